#include "http/problem.h"

#include <boost/json.hpp>

namespace soundcheck::http {
namespace {

struct Kind {
  int status;
  std::string_view slug;
  std::string_view title;
  std::string_view detail;
};

Kind KindFor(core::ErrorCode code) {
  using C = core::ErrorCode;
  switch (code) {
    case C::kInvalidArgument:
      return {400, "invalid-request", "Invalid request", "The request is not valid."};
    case C::kUnprocessable:
      return {422, "validation-failed", "Validation failed",
              "Some fields need attention; see errors."};
    case C::kNotFound:
      return {404, "not-found", "Not found", "Nothing was found at this address."};
    case C::kConflict:
      return {409, "conflict", "Conflict", "This conflicts with something that already exists."};
    case C::kFailedPrecondition:
      return {412, "precondition-failed", "Precondition failed",
              "Someone else changed this first. Reload it and try again."};
    case C::kUnauthenticated:
      return {401, "unauthenticated", "Sign-in required", "Please sign in."};
    case C::kPermissionDenied:
      return {403, "forbidden", "Forbidden", "You are not allowed to do this."};
    case C::kResourceExhausted:
      return {429, "rate-limited", "Too many requests", "Too many attempts. Try again later."};
    case C::kUnavailable:
      return {503, "unavailable", "Service unavailable",
              "The service is temporarily unavailable. Try again shortly."};
    case C::kInternal:
      break;
  }
  return {500, "internal", "Internal error", "Something went wrong on our side."};
}

}  // namespace

int StatusFor(core::ErrorCode code) { return KindFor(code).status; }

Response Problem(const core::Error& error, std::string_view request_id,
                 std::string_view type_slug) {
  Kind k = KindFor(error.code);
  boost::json::object o;
  std::string_view slug = !type_slug.empty()      ? type_slug
                          : !error.reason.empty() ? std::string_view(error.reason)
                                                  : k.slug;
  o["type"] = std::string(kProblemBase) + std::string(slug);
  o["title"] = k.title;
  o["status"] = k.status;
  o["detail"] = error.public_detail.empty() ? std::string(k.detail) : error.public_detail;
  o["instance"] = "urn:request:" + std::string(request_id);
  if (!error.fields.empty()) {
    boost::json::array errs;
    for (const auto& f : error.fields) {
      errs.push_back({{"field", f.field}, {"code", f.code}, {"message", f.message}});
    }
    o["errors"] = std::move(errs);
  }
  Response r = Response::Json(k.status, o);
  r.headers.Set("Content-Type", "application/problem+json");
  return r;
}

Response Problem(int status, std::string_view type_slug, std::string_view title,
                 std::string_view detail, std::string_view request_id) {
  boost::json::object o;
  o["type"] = std::string(kProblemBase) + std::string(type_slug);
  o["title"] = title;
  o["status"] = status;
  o["detail"] = detail;
  o["instance"] = "urn:request:" + std::string(request_id);
  Response r = Response::Json(status, o);
  r.headers.Set("Content-Type", "application/problem+json");
  return r;
}

}  // namespace soundcheck::http
