// The one middleware pipeline. Every request passes these steps, in this order:
//
//   1. request id + access log + metrics   (always; the log line has no personal data)
//   2. catch-all                           (an escaped exception becomes a 500 problem)
//   3. limits                              (body/header size are enforced by the server;
//                                           here: per-client rate limit on public routes)
//   4. routing                             (404 vs 405 with Allow)
//   5. authentication                      (session cookie or bearer token → Principal)
//   6. authorisation                       (route roles, MFA enrolment gate, CSRF on
//                                           cookie-authenticated writes)
//   7. handler                             (thin: decode → domain service → encode; the
//                                           domain service writes the audit entry in the
//                                           same transaction as the access)
//   8. response headers                    (security headers on every response; no-store
//                                           on personal data; CORS on GETs under /hsds)
//
// Handle() is synchronous and thread-safe; the server calls it from its worker threads.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/message.h"
#include "http/router.h"
#include "http/services.h"

namespace soundcheck::http {

class Pipeline {
 public:
  Pipeline(Services services, std::vector<Route> routes);

  Response Handle(Request request);

  const Router& router() const { return router_; }
  // Whether `header` (a request whose body has not been read yet) may send a file: its route
  // takes one (Route::upload) and its credentials are of a role that route admits, with
  // two-step sign-in done. Only then does the server allow ServerOptions::max_upload_bytes;
  // anyone else's body stays under max_body_bytes, so no stranger can make a node buffer a
  // large body. The request is authenticated again when it is handled.
  bool AcceptsUpload(const Request& header);

 private:
  Response Dispatch(Request& request, const std::string& request_id, std::string& route_name);
  // Counts the request in its client address's current one-minute window; returns the count
  // so far, this request included.
  int CountRequest(const Request& request);
  // RateLimit-Limit, RateLimit-Remaining (`remaining`) and RateLimit-Reset, replacing any.
  void SetRateLimitHeaders(Headers& headers, int remaining) const;

  Services services_;
  Router router_;
  std::atomic<uint64_t> next_request_{1};
  std::string id_prefix_;
  std::string limit_text_;  // public_requests_per_minute, as RateLimit-Limit says it

  // A fixed-window limiter per client address for public routes.
  std::mutex rate_mu_;
  std::unordered_map<std::string, std::pair<int64_t, int>> rate_;  // address → (window, count)
};

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "sc_session";

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// Applies the security headers of security.md to a response.
void AddSecurityHeaders(Response& response);

}  // namespace soundcheck::http
