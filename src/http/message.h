// Plain request and response values. Handlers, middleware and tests see only these, never
// Beast types, so the whole pipeline can be exercised without a socket.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soundcheck::http {

// Case-insensitive header list (order kept, duplicates allowed).
class Headers {
 public:
  // First value of `name`, or "" when absent.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  void Set(std::string name, std::string value);  // replaces every existing value
  void Add(std::string name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  std::string method;  // "GET", ...
  std::string target;  // as sent: path + "?" + query
  std::string path;    // decoded path without the query
  std::string query;   // raw query string without "?"
  Headers headers;
  std::string body;
  std::string remote_address;

  // Query parameters, percent-decoded; the last value wins for repeated names.
  std::map<std::string, std::string> QueryParams() const;
};

// A response body that is written as it becomes available (Server-Sent Events). The server
// sends the headers, then calls Next() until `done`, sleeping between calls until the waker
// given to OnReady() is called or the heartbeat interval passes. Next() and OnReady() are
// called from one connection's strand, never concurrently; the waker may be called from any
// thread, any number of times, until the body is destroyed.
class StreamBody {
 public:
  virtual ~StreamBody() = default;
  // What is ready to send now ("" when nothing). Sets `done` when the stream should end
  // after this piece (the client reconnects as it sees fit).
  virtual std::string Next(bool& done) = 0;
  virtual void OnReady(std::function<void()> wake) = 0;
  // Sent when nothing was sent for heartbeat_seconds(), so proxies keep the connection and
  // a vanished client is noticed.
  virtual std::string Heartbeat() = 0;
  virtual int heartbeat_seconds() const = 0;
  // Asked when the stream stops: true when the body is not complete (an error midway, or a
  // server shutdown before the end). The server then closes the connection without the
  // final chunk, so the client sees a cut-off body rather than a short one that looks whole.
  virtual bool failed() const { return false; }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set for streamed responses; `body` is then ignored.
  std::shared_ptr<StreamBody> stream;

  static Response Json(int status, const boost::json::value& body);
  // A body already written as JSON (core::JsonWriter), sent as application/json unchanged.
  static Response JsonText(int status, std::string json);
  static Response NoContent();
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
};

}  // namespace soundcheck::http
