// Members' status page: a mailed single-use link becomes a short member session (its own
// cookie, scoped to /api/v1/member), which shows where their case is. Nothing here says
// whether an email address is known.
#include <boost/json.hpp>

#include "core/json_body.h"
#include "domain/members/member_service.h"
#include "http/handlers/handlers.h"
#include "http/pipeline.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

using core::JsonBody;

boost::json::object CrisisJson(const domain::crisis::CrisisResources& c);  // public.cpp

namespace {

constexpr std::string_view kMemberCookie = "sc_member";

std::string MemberCookie(const std::string& value, int max_age) {
  return std::string(kMemberCookie) + "=" + value +
         "; Path=/api/v1/member; HttpOnly; Secure; SameSite=Strict; Max-Age=" +
         std::to_string(max_age);
}

// The care plan the member may see (no staff notes), or null.
boost::json::value PlanJson(const std::optional<domain::care_plans::MemberPlan>& plan) {
  if (!plan) return nullptr;
  boost::json::object o = domain::care_plans::EncodePlan({plan->goals, plan->items}, false);
  o["version"] = plan->version;
  o["updated_at"] = core::FormatRfc3339(core::FromUnixSeconds(plan->updated_at));
  return o;
}

boost::json::object StatusJson(Services& s, const domain::members::MemberStatus& m) {
  boost::json::array cases;
  for (const auto& c : m.cases) {
    cases.push_back(boost::json::object{
        {"reference", c.reference},
        {"status", c.status},
        {"updated_at", core::FormatRfc3339(core::FromUnixSeconds(c.updated_at))},
        {"case_manager", c.case_manager
                             ? boost::json::value(boost::json::object{{"name", *c.case_manager}})
                             : boost::json::value(nullptr)},
        {"plan", PlanJson(c.plan)}});
  }
  const std::string lang = m.language == "es" ? "es" : "en";
  boost::json::object o{{"language", lang}, {"cases", std::move(cases)}};
  auto text = [&](const char* key) { return s.text(lang, key, {}); };
  o["contact"] = boost::json::object{{"email", text("contact.email")},
                                     {"phone", text("contact.phone")},
                                     {"hours", text("contact.hours")}};
  if (s.crisis) {
    auto c = s.crisis->For(m.country.empty() ? "US" : m.country, lang);
    if (!c) c = s.crisis->For("", lang);
    if (c) o["crisis"] = boost::json::object{{"resources", CrisisJson(*c)}};  // as the intake
  }
  return o;
}

}  // namespace

Response RequestMemberLink(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto email = body->String("email", true, 320);
  const std::string lang = body->String("language", false, 2).value_or("en") == "es" ? "es" : "en";
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto st = s.members->RequestLink(*email, ctx.request_id);
  if (!st) return Problem(st.error(), ctx.request_id);
  // The same answer whether or not we know the address.
  return Response::Json(202, {{"message", s.text(lang, "member.link_sent", {})}});
}

Response OpenMemberSession(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto token = body->String("token", true, 200);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto r = s.members->Exchange(*token, ctx.request_id);
  if (!r) {
    if (r.error().reason == "link-expired") {
      return Problem(410, "link-expired", "Link expired",
                     "This link was used already or has expired. Ask for a new one.",
                     ctx.request_id);
    }
    return Problem(r.error(), ctx.request_id);
  }
  Response res = Response::Json(200, StatusJson(s, r->second));
  res.headers.Add("Set-Cookie", MemberCookie(r->first, s.member_session_seconds));
  return res;
}

Response MemberStatus(Services& s, RequestContext& ctx) {
  std::string token = CookieValue(ctx.request.headers.Get("Cookie"), kMemberCookie);
  if (token.empty()) {
    return Problem(401, "unauthenticated", "Link needed",
                   "Open the link we sent you, or ask for a new one.", ctx.request_id);
  }
  auto st = s.members->GetStatus(token, ctx.request_id);
  if (!st) return Problem(st.error(), ctx.request_id);
  return Response::Json(200, StatusJson(s, *st));
}

Response MemberLogout(Services& s, RequestContext& ctx) {
  std::string token = CookieValue(ctx.request.headers.Get("Cookie"), kMemberCookie);
  if (!token.empty()) {
    auto st = s.members->Logout(token);
    if (!st) return Problem(st.error(), ctx.request_id);
  }
  Response r = Response::NoContent();
  r.headers.Add("Set-Cookie", MemberCookie("", 0));
  return r;
}

}  // namespace soundcheck::http::handlers
