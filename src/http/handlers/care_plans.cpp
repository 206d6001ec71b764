// Care plans on a case (domain/care_plans): read, save a new version with If-Match, read an
// old version, and a supervisor's sign-off. Decode → CarePlanService → encode.
#include <boost/json.hpp>
#include <charconv>

#include "core/clock.h"
#include "core/json_body.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

namespace {

namespace json = boost::json;
namespace plans = domain::care_plans;

json::object VersionJson(const plans::PlanVersion& v) {
  json::object o = plans::EncodePlan(v.plan, true);
  o["case_id"] = v.case_id;
  o["version"] = v.version;
  o["author_id"] = v.version > 0 ? json::value(v.author_id) : json::value(nullptr);
  o["created_at"] = v.version > 0 ? Timestamp(v.created_at) : json::value(nullptr);
  o["signed_off_by"] = v.signed_off_by ? json::value(*v.signed_off_by) : json::value(nullptr);
  o["signed_off_at"] = v.signed_off_at ? Timestamp(*v.signed_off_at) : json::value(nullptr);
  o["needs_sign_off"] = v.needs_sign_off;
  return o;
}

Response WithVersion(const plans::PlanVersion& v, json::object body) {
  Response r = Response::Json(200, body);
  SetETag(r, v.version);
  return r;
}

}  // namespace

Response GetCarePlan(Services& s, RequestContext& ctx) {
  auto view = s.care_plans->Get(CallerOf(ctx), ctx.params["id"]);
  if (!view) return Problem(view.error(), ctx.request_id);
  json::object o = VersionJson(view->current);
  json::array versions;
  for (const auto& v : view->versions) {
    versions.push_back(json::object{
        {"version", v.version},
        {"author_id", v.author_id},
        {"created_at", Timestamp(v.created_at)},
        {"signed_off_at", v.signed_off_at ? Timestamp(*v.signed_off_at) : json::value(nullptr)}});
  }
  o["versions"] = std::move(versions);
  return WithVersion(view->current, std::move(o));
}

Response GetCarePlanVersion(Services& s, RequestContext& ctx) {
  const std::string& text = ctx.params["version"];
  int64_t version = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || p != text.data() + text.size() || version < 1) {
    return Problem(core::Error::NotFound("no such plan version"), ctx.request_id);
  }
  auto v = s.care_plans->GetVersion(CallerOf(ctx), ctx.params["id"], version);
  if (!v) return Problem(v.error(), ctx.request_id);
  return WithVersion(*v, VersionJson(*v));
}

Response SaveCarePlan(Services& s, RequestContext& ctx) {
  const auto expected = IfMatchVersion(ctx.request);
  if (!expected) return PreconditionRequired(ctx.request_id);
  boost::system::error_code ec;
  json::value doc = json::parse(ctx.request.body, ec);
  if (ec || !doc.is_object()) {
    return Problem(core::Error::InvalidArgument("malformed json",
                                                {{"", "invalid_json", "Expected a JSON object."}}),
                   ctx.request_id);
  }
  auto plan = plans::DecodePlan(doc.get_object());
  if (!plan) return Problem(plan.error(), ctx.request_id);
  auto saved = s.care_plans->Save(CallerOf(ctx), ctx.params["id"], std::move(*plan), *expected);
  if (!saved) return Problem(saved.error(), ctx.request_id);
  return WithVersion(*saved, VersionJson(*saved));
}

Response SignOffCarePlan(Services& s, RequestContext& ctx) {
  const auto expected = IfMatchVersion(ctx.request);
  if (!expected) return PreconditionRequired(ctx.request_id);
  auto v = s.care_plans->SignOff(CallerOf(ctx), ctx.params["id"], *expected);
  if (!v) return Problem(v.error(), ctx.request_id);
  return WithVersion(*v, VersionJson(*v));
}

}  // namespace soundcheck::http::handlers
