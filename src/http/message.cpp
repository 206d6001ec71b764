#include "http/message.h"

#include <strings.h>
#include <boost/json/serialize.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

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

std::map<std::string, std::string> Request::QueryParams() const {
  std::map<std::string, std::string> out;
  if (query.empty()) return out;
  const auto params = boost::urls::parse_query(query);
  if (!params) return out;
  // Decoded as url_view::params() decodes a query: percent escapes, and '+' as a space.
  boost::urls::encoding_opts opt;
  opt.space_as_plus = true;
  for (const auto& p : *params) out[p.key.decode(opt)] = p.value.decode(opt);
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
