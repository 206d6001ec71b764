#include "http/message.h"

#include <strings.h>
#include <boost/json/serialize.hpp>

namespace soundcheck::http {
namespace {
bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

std::string Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (IEquals(k, name)) return v;
  return {};
}

bool Headers::Has(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (IEquals(k, name)) return true;
  return false;
}

void Headers::Set(std::string name, std::string value) {
  std::erase_if(items_, [&](const auto& kv) { return IEquals(kv.first, name); });
  Add(std::move(name), std::move(value));
}

void Headers::Add(std::string name, std::string value) {
  // A response gathers about a dozen (security, caching, rate limits): room for them at
  // once rather than regrowing, and moving every string, four times.
  if (items_.capacity() == 0) items_.reserve(16);
  items_.emplace_back(std::move(name), std::move(value));
}

namespace {

// RFC 3986 query characters other than '%': unreserved, sub-delims, ':', '@', '/', '?'.
constexpr bool IsQueryChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
    case '?':
      return true;
    default:
      return false;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent escapes and '+' as a space; false on a malformed escape.
bool DecodeInto(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      if (k + 2 >= text.size()) return false;
      const int hi = HexValue(text[k + 1]), lo = HexValue(text[k + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      k += 2;
    }
  }
  return true;
}

}  // namespace

std::map<std::string, std::string> Request::QueryParams() const {
  // Read here rather than with Boost.URL's parse_query: a public route reads its query on
  // every request, and this is the same grammar (message_test.cpp holds the two equal).
  std::map<std::string, std::string> out;
  if (query.empty()) return out;
  for (size_t k = 0; k < query.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(query[k]);
    if (c == '%') {
      if (k + 2 >= query.size() || HexValue(query[k + 1]) < 0 || HexValue(query[k + 2]) < 0) {
        return {};
      }
      k += 2;
    } else if (!IsQueryChar(c)) {
      return {};  // not a query (a space, a quote...): nothing is read from it
    }
  }
  std::string key, value;
  const std::string_view text(query);
  size_t begin = 0;
  for (;;) {
    const size_t end = std::min(text.find('&', begin), text.size());
    const std::string_view param = text.substr(begin, end - begin);
    const size_t eq = param.find('=');
    const std::string_view k = param.substr(0, eq);
    const std::string_view v =
        eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
    if (!DecodeInto(k, key) || !DecodeInto(v, value)) return {};
    out.insert_or_assign(key, value);
    if (end == text.size()) break;
    begin = end + 1;
  }
  return out;
}

Response Response::Json(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

Response Response::JsonText(int status, std::string json) {
  Response r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.body = std::move(json);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.Set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

}  // namespace soundcheck::http
