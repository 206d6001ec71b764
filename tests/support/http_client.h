// A minimal blocking HTTP/1.1 client over loopback for end-to-end tests.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace soundcheck::testing {

struct HttpResult {
  int status = 0;                              // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class HttpConnection {
 public:
  explicit HttpConnection(int port);
  ~HttpConnection();
  bool connected() const { return fd_ >= 0; }
  // Sends raw bytes (for malformed-request tests).
  bool SendRaw(const std::string& bytes);
  // Reads one response (Content-Length bodies).
  HttpResult ReadResponse(int timeout_ms = 10000);
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
HttpResult Fetch(int port, const std::string& method, const std::string& target,
                 const std::string& body = "",
                 const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace soundcheck::testing
