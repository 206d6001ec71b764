// Plain request and response values. Handlers, middleware and tests see only these, never
// Beast types, so the whole pipeline can be exercised without a socket.
#pragma once

#include <boost/json/value.hpp>
#include <map>
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

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response Json(int status, const boost::json::value& body);
  static Response NoContent();
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
};

}  // namespace soundcheck::http
