// A blocking Server-Sent Events client over loopback for end-to-end tests: opens
// GET /api/v1/stream, then reads chunked event frames as they arrive.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace soundcheck::testing {

struct SseEvent {
  std::string id;
  std::string type;
  std::string data;
};

class SseClient {
 public:
  // Connects and sends the request; status() tells how the server answered.
  SseClient(int port, const std::string& target,
            const std::vector<std::pair<std::string, std::string>>& headers);
  ~SseClient();
  int status() const { return status_; }
  const std::string& content_type() const { return content_type_; }
  // Reads until an event matching `pred` arrives (returning it) or the timeout passes
  // (returning nullopt-like: an event with empty type). Every event read is kept in seen().
  SseEvent WaitFor(const std::function<bool(const SseEvent&)>& pred,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
  const std::vector<SseEvent>& seen() const { return seen_; }
  // True once the server ended the stream (the last chunk arrived or the socket closed).
  bool ended() const { return ended_; }

 private:
  bool Fill(int timeout_ms);
  void Parse();

  int fd_ = -1;
  int status_ = 0;
  std::string content_type_;
  std::string raw_;   // bytes not yet de-chunked
  std::string text_;  // de-chunked text not yet split into events
  std::vector<SseEvent> seen_;
  size_t consumed_ = 0;  // events of seen_ already offered to a WaitFor predicate
  bool ended_ = false;
};

}  // namespace soundcheck::testing
