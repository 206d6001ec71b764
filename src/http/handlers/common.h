// Small pieces every handler file needs.
#pragma once

#include <boost/json/value.hpp>
#include <charconv>
#include <optional>

#include "core/clock.h"
#include "domain/accounts/account_service.h"
#include "http/message.h"
#include "http/problem.h"
#include "http/router.h"

namespace soundcheck::http::handlers {

// The version an If-Match header names ("3" or 3), or nullopt when absent or malformed.
inline std::optional<int64_t> IfMatchVersion(const Request& request) {
  std::string v = request.headers.Get("If-Match");
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t version = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return version;
}

// 428: an edit came without the version it was made on.
inline Response PreconditionRequired(std::string_view request_id) {
  return Problem(428, "precondition-required", "Precondition required",
                 "Send If-Match with the version you edited, so no one's changes are lost.",
                 request_id);
}

// Who is asking, for a domain service: a route behind sign-in has a principal.
inline domain::accounts::Caller CallerOf(const RequestContext& ctx) {
  return {*ctx.principal, ctx.request_id};
}

// A time in unix seconds as the API writes it (RFC 3339, UTC).
inline boost::json::value Timestamp(int64_t unix_seconds) {
  return boost::json::value(core::FormatRfc3339(core::FromUnixSeconds(unix_seconds)));
}

inline void SetETag(Response& r, int64_t version) {
  r.headers.Set("ETag", "\"" + std::to_string(version) + "\"");
}

}  // namespace soundcheck::http::handlers
