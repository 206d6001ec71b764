// The HTTP server: Boost.Beast over Asio with C++20 coroutines. It owns sockets, limits and
// timeouts, and hands each request to the Pipeline as a plain Request. The only file that
// includes Beast.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/pipeline.h"

namespace soundcheck::http {

class Metrics;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see Server::port())
  int threads = 1;
  int max_header_bytes = 16 * 1024;
  int max_body_bytes = 1024 * 1024;
  int max_upload_bytes = 64 * 1024 * 1024;  // routes marked `upload` (Route::upload)
  int max_connections = 10000;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 75;
  int shutdown_grace_seconds = 20;
};

// The status line and header fields sent before `response.body` on a kept-alive or closing
// HTTP/1.1 connection: the response's fields in their order, then "Server: soundcheck",
// "Connection: close" when the connection ends after it, and the body's Content-Length
// (those three are the server's: a response's own are left out). Byte for byte what Beast's
// serializer wrote for the same response (values trimmed of spaces and tabs, the standard
// reason phrase), which the test checks.
std::string ResponseHead(const Response& response, bool keep_alive);

class Server {
 public:
  Server(Pipeline& pipeline, ServerOptions options, Metrics* metrics);
  ~Server();

  // Binds and listens. kUnavailable with the reason when the address cannot be bound.
  core::Status Listen();
  // The bound port (after Listen).
  uint16_t port() const;
  // Serves until SIGINT/SIGTERM or Stop(), then shuts down gracefully: stops accepting,
  // lets in-flight requests finish (up to the grace period), closes connections. Blocks.
  void Run();
  // Asks Run() to shut down; thread-safe, may be called from any thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace soundcheck::http
