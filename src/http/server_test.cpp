// The server's response head against what Beast's serializer wrote for the same response
// before the server wrote heads itself (the reference below is that code).
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <sstream>

#include "http/problem.h"
#include "http/server.h"

namespace soundcheck::http {
namespace {

namespace bhttp = boost::beast::http;

std::string BeastWire(const Response& response, bool keep_alive) {
  bhttp::response<bhttp::string_body> res;
  res.version(11);
  res.result(static_cast<unsigned>(response.status));
  for (const auto& [k, v] : response.headers.all()) res.insert(k, v);
  res.set(bhttp::field::server, "soundcheck");
  res.body() = response.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  std::ostringstream out;
  out << res;
  return out.str();
}

void ExpectSameAsBeast(const Response& response) {
  for (bool keep_alive : {true, false}) {
    EXPECT_EQ(ResponseHead(response, keep_alive) + response.body, BeastWire(response, keep_alive))
        << "status " << response.status << " keep_alive " << keep_alive;
  }
}

TEST(ResponseHead, IsWhatBeastWrote) {
  Response json = Response::JsonText(200, R"({"providers":{"items":[]}})");
  json.headers.Set("Cache-Control", "public, max-age=60");
  json.headers.Set("RateLimit-Limit", "300");
  json.headers.Set("X-Request-Id", "abc-1");
  AddSecurityHeaders(json);
  ExpectSameAsBeast(json);

  ExpectSameAsBeast(Response::NoContent());
  ExpectSameAsBeast(Response::Text(200, ""));  // a HEAD answer: headers only
  for (int status :
       {201, 301, 304, 400, 401, 403, 404, 405, 409, 412, 413, 422, 428, 429, 431, 500, 503}) {
    Response r = Problem(status, "x", "Title", "Detail.", "id-1");
    if (status == 304) r.body.clear();
    ExpectSameAsBeast(r);
  }

  Response odd = Response::Text(299, "body");  // a status with no standard reason
  odd.headers.Add("X-Spaced", "  padded value\t ");
  odd.headers.Add("X-Dup", "1");
  odd.headers.Add("x-dup", "2");
  odd.headers.Add("X-Empty", "");
  ExpectSameAsBeast(odd);
}

TEST(ResponseHead, TheServerOwnsServerConnectionAndLength) {
  Response r = Response::Text(200, "hello");
  r.headers.Add("Server", "someone-else");
  r.headers.Add("Content-Length", "999");
  r.headers.Add("connection", "keep-alive");
  EXPECT_EQ(ResponseHead(r, false),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Server: soundcheck\r\nConnection: close\r\nContent-Length: 5\r\n\r\n");
  EXPECT_EQ(ResponseHead(r, true),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Server: soundcheck\r\nContent-Length: 5\r\n\r\n");
}

}  // namespace
}  // namespace soundcheck::http
