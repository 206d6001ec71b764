#include "http/server.h"

#include <strings.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "core/log.h"
#include "http/metrics.h"
#include "http/problem.h"

namespace soundcheck::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// A field value without the spaces and tabs around it, as Beast stores one.
std::string_view TrimValue(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

std::string ResponseHead(const Response& response, bool keep_alive) {
  const auto status = static_cast<unsigned>(response.status);
  const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(status));
  size_t size = 96 + reason.size();
  for (const auto& [name, value] : response.headers.all()) size += name.size() + value.size() + 4;
  std::string head;
  head.reserve(size);
  head += "HTTP/1.1 ";
  head += std::to_string(status);
  head += ' ';
  head.append(reason.data(), reason.size());
  head += "\r\n";
  for (const auto& [name, value] : response.headers.all()) {
    // These three are the server's own, written below.
    if (IEquals(name, "Server") || IEquals(name, "Connection") || IEquals(name, "Content-Length")) {
      continue;
    }
    head += name;
    head += ": ";
    head += TrimValue(value);
    head += "\r\n";
  }
  head += "Server: soundcheck\r\n";
  if (!keep_alive) head += "Connection: close\r\n";
  head += "Content-Length: ";
  head += std::to_string(response.body.size());
  head += "\r\n\r\n";
  return head;
}

struct Server::Impl {
  Pipeline& pipeline;
  ServerOptions options;
  Metrics* metrics;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::atomic<bool> stopping{false};
  std::atomic<int> busy{0};  // requests read but not yet fully written
  std::atomic<int> connections{0};
  uint16_t bound_port = 0;

  Impl(Pipeline& p, ServerOptions o, Metrics* m)
      : pipeline(p), options(std::move(o)), metrics(m), ioc(std::max(1, options.threads)) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> Session(tcp::socket socket);
  asio::awaitable<void> WriteStream(beast::tcp_stream& stream, Response& response);
  static Request ToRequest(bhttp::request<bhttp::string_body>& req, const std::string& remote,
                           bool& ok);
  void BeginShutdown();
};

Request Server::Impl::ToRequest(bhttp::request<bhttp::string_body>& req, const std::string& remote,
                                bool& ok) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  auto u = boost::urls::parse_origin_form(r.target);
  ok = u.has_value();
  if (ok) {
    r.path = std::string(u->path());  // percent-decoded
    r.query = std::string(u->encoded_query());
  }
  for (const auto& f : req) r.headers.Add(std::string(f.name_string()), std::string(f.value()));
  r.body = std::move(req.body());
  r.remote_address = remote;
  return r;
}

asio::awaitable<void> Server::Impl::Session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  std::string remote;
  {
    boost::system::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  ++connections;
  if (metrics) ++metrics->connections();
  bool first = true;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(options.max_header_bytes);
    // The header is read under the larger limit (Beast checks Content-Length against the
    // limit as the header completes); once the route is known, the body gets its own.
    const uint64_t largest = std::max<uint64_t>(options.max_body_bytes, options.max_upload_bytes);
    parser.body_limit(largest);
    // A new request on a kept-alive connection may be idle for a while; once it starts it
    // must arrive whole within the read timeout.
    stream.expires_after(
        std::chrono::seconds(first ? options.read_timeout_seconds : options.idle_timeout_seconds));
    first = false;
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser,
                                                     asio::as_tuple(asio::use_awaitable));
    // A request with no body (most GETs) is complete with its header: no limit to choose.
    if (!ec && !parser.is_done()) {
      bool target_ok = false;
      // The body is still empty here: this copies the header only.
      const Request header = ToRequest(parser.get(), remote, target_ok);
      const bool upload = target_ok && pipeline.AcceptsUpload(header);
      const uint64_t limit = upload ? options.max_upload_bytes : options.max_body_bytes;
      if (parser.content_length() && *parser.content_length() > limit) {
        ec = bhttp::error::body_limit;
      } else {
        parser.body_limit(limit);  // chunked bodies are counted as they arrive
        auto [bec, bn] =
            co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        ec = bec;
      }
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      break;
    }
    ++busy;
    Response response;
    bool keep_alive = false;
    if (ec == bhttp::error::body_limit) {
      response = Problem(413, "payload-too-large", "Payload too large",
                         "The request body is larger than this server accepts.", "-");
      AddSecurityHeaders(response);
    } else if (ec == bhttp::error::header_limit) {
      response = Problem(431, "headers-too-large", "Request header fields too large",
                         "The request headers are larger than this server accepts.", "-");
      AddSecurityHeaders(response);
    } else if (ec) {
      response = Problem(400, "malformed-request", "Bad request",
                         "The request could not be read as HTTP.", "-");
      AddSecurityHeaders(response);
    } else {
      auto req = parser.release();
      keep_alive = req.keep_alive() && !stopping;
      bool ok = false;
      Request request = ToRequest(req, remote, ok);
      if (!ok) {
        response = Problem(400, "malformed-request", "Bad request",
                           "The request target is not a valid path.", "-");
        AddSecurityHeaders(response);
      } else {
        response = pipeline.Handle(std::move(request));
      }
    }
    if (response.stream && response.status == 200) {
      co_await WriteStream(stream, response);
      break;
    }
    // The head and the body go out in one write of two buffers: no copy of the body and no
    // per-field buffer sequence to walk (Beast's serializer was a visible share of a request).
    const std::string head = ResponseHead(response, keep_alive);
    const std::array<asio::const_buffer, 2> wire{asio::buffer(head), asio::buffer(response.body)};
    stream.expires_after(std::chrono::seconds(options.read_timeout_seconds));
    auto [wec, wn] = co_await asio::async_write(stream, wire, asio::as_tuple(asio::use_awaitable));
    --busy;
    if (wec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  --connections;
  if (metrics) --metrics->connections();
}

// Streams a StreamBody with chunked encoding until it is done, the client goes away or the
// server shuts down. A stream is not an in-flight request: shutdown does not wait for it.
asio::awaitable<void> Server::Impl::WriteStream(beast::tcp_stream& stream, Response& response) {
  bhttp::response<bhttp::empty_body> res;
  res.version(11);
  res.result(static_cast<unsigned>(response.status));
  for (const auto& [k, v] : response.headers.all()) res.insert(k, v);
  res.set(bhttp::field::server, "soundcheck");
  res.keep_alive(false);
  res.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr(res);
  stream.expires_after(std::chrono::seconds(options.read_timeout_seconds));
  auto [hec, hn] =
      co_await bhttp::async_write_header(stream, sr, asio::as_tuple(asio::use_awaitable));
  --busy;
  if (hec) co_return;
  std::shared_ptr<StreamBody> body = response.stream;
  auto executor = co_await asio::this_coro::executor;
  // Wake-ups arrive from the event hub's thread: they are posted to this connection's
  // strand, where they set `pending` and cut the current wait short.
  struct Signal {
    explicit Signal(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    bool pending = false;
  };
  auto signal = std::make_shared<Signal>(executor);
  std::weak_ptr<Signal> weak = signal;
  body->OnReady([executor, weak] {
    asio::post(executor, [weak] {
      if (auto sig = weak.lock()) {
        sig->pending = true;
        sig->timer.cancel();
      }
    });
  });
  auto write = [&](const std::string& data) -> asio::awaitable<bool> {
    stream.expires_after(std::chrono::seconds(options.read_timeout_seconds));
    auto [wec, wn] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(data)),
                                                asio::as_tuple(asio::use_awaitable));
    co_return !wec;
  };
  bool done = false;
  while (!done && !stopping) {
    signal->pending = false;
    std::string data = body->Next(done);
    if (!data.empty() && !co_await write(data)) co_return;
    if (done || signal->pending) continue;
    signal->timer.expires_after(std::chrono::seconds(body->heartbeat_seconds()));
    auto [tec] = co_await signal->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!tec && !signal->pending) {
      if (!co_await write(body->Heartbeat())) co_return;  // also finds vanished clients
    }
  }
  if (body->failed()) co_return;  // no final chunk: the client must not take it as whole
  stream.expires_after(std::chrono::seconds(options.read_timeout_seconds));
  co_await asio::async_write(stream, bhttp::make_chunk_last(), asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    // Each connection gets its own strand when several threads run the loop: its coroutine,
    // its timers and the wake-ups an event stream receives from other threads never run
    // concurrently. One thread already runs everything in turn, so a strand would only add
    // a queue to every step of every request.
    const asio::any_io_executor executor =
        options.threads > 1 ? asio::any_io_executor(asio::make_strand(ioc)) : ioc.get_executor();
    auto [ec, socket] =
        co_await acceptor.async_accept(executor, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    if (connections >= options.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);  // over the limit: refuse rather than degrade everyone
      continue;
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(executor, Session(std::move(socket)), asio::detached);
  }
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  core::log::info("shutting down: no new connections, finishing in-flight requests");
  asio::post(ioc, [this] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  });
  // Wait for in-flight requests (bounded by the grace period), then stop the loop, which
  // closes idle keep-alive connections.
  std::thread([this] {
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
    while (busy > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ioc.stop();
  }).detach();
}

Server::Server(Pipeline& pipeline, ServerOptions options, Metrics* metrics)
    : impl_(std::make_unique<Impl>(pipeline, std::move(options), metrics)) {}

Server::~Server() = default;

core::Status Server::Listen() {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return core::Error::InvalidArgument("listen: not an IP address: " + impl_->options.host);
  tcp::endpoint ep(addr, impl_->options.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::Error::Unavailable("cannot listen on " + impl_->options.host + ":" +
                                    std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->bound_port = a.local_endpoint().port();
  return core::Ok();
}

uint16_t Server::port() const { return impl_->bound_port; }

void Server::Run() {
  auto& ioc = impl_->ioc;
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) impl_->BeginShutdown();
  });
  asio::co_spawn(ioc, impl_->Accept(), asio::detached);
  std::vector<std::thread> workers;
  for (int i = 1; i < impl_->options.threads; ++i) workers.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : workers) t.join();
}

void Server::Stop() { impl_->BeginShutdown(); }

}  // namespace soundcheck::http
