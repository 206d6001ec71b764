#include "http/pipeline.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "core/log.h"
#include "crypto/random.h"
#include "http/crisis_footer.h"
#include "http/metrics.h"
#include "http/problem.h"
#include "http/static_files.h"

namespace soundcheck::http {
namespace {

bool IsWrite(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string RandomPrefix() {
  std::random_device rd;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", rd());
  return buf;
}

}  // namespace

std::string CookieValue(std::string_view header, std::string_view name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    size_t end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(pos, end - pos);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    pos = end + 1;
  }
  return {};
}

void AddSecurityHeaders(Response& r) {
  r.headers.Set("X-Content-Type-Options", "nosniff");
  r.headers.Set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  r.headers.Set("X-Frame-Options", "DENY");
  r.headers.Set("Referrer-Policy", "no-referrer");
  r.headers.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  r.headers.Set("Cross-Origin-Opener-Policy", "same-origin");
  r.headers.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (!r.headers.Has("Cache-Control")) r.headers.Set("Cache-Control", "no-store");
}

Pipeline::Pipeline(Services services, std::vector<Route> routes)
    : services_(std::move(services)),
      router_(std::move(routes)),
      id_prefix_(RandomPrefix()),
      limit_text_(std::to_string(services_.public_requests_per_minute)) {}

bool Pipeline::AcceptsUpload(const Request& header) {
  Match match;
  std::vector<std::string> allowed;
  if (router_.Find(header.method, header.path, match, allowed) != Router::Outcome::kFound ||
      !match.route->upload || services_.accounts == nullptr) {
    return false;
  }
  std::optional<domain::accounts::Principal> principal;
  const std::string auth = header.headers.Get("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    if (auto p = services_.accounts->AuthenticateToken(auth.substr(7))) principal = std::move(*p);
  } else if (std::string cookie = CookieValue(header.headers.Get("Cookie"), kSessionCookie);
             !cookie.empty()) {
    if (auto p = services_.accounts->AuthenticateSession(cookie)) principal = std::move(*p);
  }
  if (!principal || !principal->mfa_complete) return false;
  const auto& roles = match.route->roles;
  return std::find(roles.begin(), roles.end(), principal->role) != roles.end();
}

Response Pipeline::Handle(Request request) {
  // 1. Request id, timing, access log.
  auto started = std::chrono::steady_clock::now();
  std::string request_id = id_prefix_ + "-" + std::to_string(next_request_++);
  if (services_.metrics) ++services_.metrics->in_flight();
  std::string route_name = "unmatched";
  Response response;
  // 2. Catch-all: nothing escapes as an exception.
  try {
    response = Dispatch(request, request_id, route_name);
  } catch (const std::exception& e) {
    core::log::error("request {} failed with an exception", request_id);
    response =
        Problem(500, "internal", "Internal error", "Something went wrong on our side.", request_id);
  }
  // 8. Headers on every response.
  response.headers.Set("X-Request-Id", request_id);
  AddSecurityHeaders(response);
  // The HSDS API is public open data that partners' web apps read from their own origins
  // (CORS), for GET only: nothing there needs credentials, so no cookie is ever sent along.
  if ((request.method == "GET" || request.method == "HEAD") &&
      (request.path == "/hsds" || request.path.starts_with("/hsds/"))) {
    response.headers.Set("Access-Control-Allow-Origin", "*");
    response.headers.Set("Access-Control-Expose-Headers",
                         "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, "
                         "X-Request-Id");
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (services_.metrics) {
    --services_.metrics->in_flight();
    services_.metrics->Observe(route_name, request.method, response.status, secs);
  }
  // Route names and statuses only: paths can carry ids, never names or emails (api.md).
  core::log::info("{} {} {} {} {:.3f}ms", request_id, request.method, route_name, response.status,
                  secs * 1000);
  return response;
}

int Pipeline::CountRequest(const Request& request) {
  int64_t window = std::chrono::duration_cast<std::chrono::minutes>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  std::lock_guard lock(rate_mu_);
  if (rate_.size() > 100000) rate_.clear();  // bound memory under address floods
  auto& [w, c] = rate_[request.remote_address];
  if (w != window) {
    w = window;
    c = 0;
  }
  return ++c;
}

void Pipeline::SetRateLimitHeaders(Headers& headers, int remaining) const {
  headers.Set("RateLimit-Limit", limit_text_);
  headers.Set("RateLimit-Remaining", std::to_string(remaining));
  headers.Set("RateLimit-Reset", "60");
}

Response Pipeline::Dispatch(Request& request, const std::string& request_id,
                            std::string& route_name) {
  // 4. Routing.
  Match match;
  std::vector<std::string> allowed;
  auto outcome = router_.Find(request.method, request.path, match, allowed);
  if (outcome == Router::Outcome::kMethodNotAllowed) {
    Response r = Problem(405, "method-not-allowed", "Method not allowed",
                         "This address does not accept this method.", request_id);
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    r.headers.Set("Allow", allow);
    return r;
  }
  if (outcome == Router::Outcome::kNotFound) {
    if ((request.method == "GET" || request.method == "HEAD") && !services_.web_dir.empty()) {
      route_name = "static";
      auto footer = [this](const Request& r) -> std::string {
        if (!services_.crisis) return "";
        auto c = services_.crisis->For(PageCountry(r), PageLanguage(r));
        if (!c) c = services_.crisis->For("", PageLanguage(r));
        return c ? RenderCrisisFooter(*c) : "";
      };
      if (auto file = ServeStatic(services_.web_dir, request, footer)) return std::move(*file);
    }
    return Problem(404, "not-found", "Not found", "Nothing was found at this address.", request_id);
  }
  const Route& route = *match.route;
  route_name = route.name;
  RequestContext ctx{request, std::move(match.params), std::nullopt, request_id};

  // 3. Limits: public routes are rate-limited per client address. The RateLimit-* headers
  // go on the handler's answer (or the 429), not on the 401/403 problems between.
  const bool limited = !NeedsAccount(route.access) && route.rate_limited;
  int remaining = 0;
  if (limited) {
    const int count = CountRequest(request);
    if (count > services_.public_requests_per_minute) {
      Response r =
          Problem(429, "rate-limited", "Too many requests",
                  "Too many requests from this address. Try again in a minute.", request_id);
      r.headers.Set("Retry-After", "60");
      SetRateLimitHeaders(r.headers, 0);
      return r;
    }
    remaining = services_.public_requests_per_minute - count;
  }

  // 5. Authentication: a bearer token, else the session cookie.
  bool via_cookie = false;
  if (services_.accounts) {
    std::string auth = request.headers.Get("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) {
      auto p = services_.accounts->AuthenticateToken(auth.substr(7));
      if (p) {
        ctx.principal = std::move(*p);
      } else if (p.error().code != core::ErrorCode::kUnauthenticated) {
        return Problem(p.error(), request_id);
      } else if (NeedsAccount(route.access)) {
        return Problem(p.error(), request_id);
      }
    } else if (std::string cookie = CookieValue(request.headers.Get("Cookie"), kSessionCookie);
               !cookie.empty()) {
      auto p = services_.accounts->AuthenticateSession(cookie);
      if (p) {
        ctx.principal = std::move(*p);
        via_cookie = true;
      } else if (p.error().code != core::ErrorCode::kUnauthenticated) {
        return Problem(p.error(), request_id);
      }
    }
  }

  // 6. Authorisation.
  if (NeedsAccount(route.access)) {
    if (!ctx.principal) {
      return Problem(401, "unauthenticated", "Sign-in required", "Please sign in.", request_id);
    }
    if (route.access == Access::kRoles) {
      bool ok = false;
      for (Role r : route.roles) ok = ok || r == ctx.principal->role;
      if (!ok) {
        return Problem(403, "forbidden", "Forbidden", "You are not allowed to do this.",
                       request_id);
      }
    }
    if (!ctx.principal->mfa_complete && !route.before_mfa) {
      return Problem(403, "mfa-enrolment-required", "Two-step sign-in required",
                     "Set up two-step sign-in before using the console.", request_id);
    }
    // CSRF: a write authenticated by the cookie must echo the session's token in a header
    // (a cross-site form cannot set headers; SameSite=Strict is the second line).
    if (via_cookie && IsWrite(request.method)) {
      std::string sent = request.headers.Get("X-CSRF-Token");
      if (sent.empty() || !crypto::ConstantTimeEquals(sent, ctx.principal->csrf_token)) {
        return Problem(403, "csrf-token-invalid", "Forbidden",
                       "The request is missing its security token. Reload the page and try again.",
                       request_id);
      }
    }
  }

  // 7. The handler.
  Response response = route.handler(ctx);
  if (limited) SetRateLimitHeaders(response.headers, remaining);
  if (route.personal_data) response.headers.Set("Cache-Control", "no-store");
  if (request.method == "HEAD") {
    response.body.clear();
    response.stream.reset();  // headers only, for streamed bodies too
  }
  return response;
}

}  // namespace soundcheck::http
