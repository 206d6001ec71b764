// A case's care profile (domain/care_profiles, matching/care_profile.h): read it, and save a
// new version with If-Match. Decode and check against matching's wire form → the service
// → encode. The profile every match of the case starts from.
#include <boost/json.hpp>

#include "core/clock.h"
#include "core/json_body.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"
#include "matching/care_profile.h"
#include "matching/member_query.h"

namespace soundcheck::http::handlers {

namespace {

namespace json = boost::json;
namespace profiles = domain::care_profiles;

Response ProfileResponse(const profiles::ProfileVersion& v) {
  const bool saved = v.version > 0;
  json::object o{{"case_id", v.case_id},
                 {"version", v.version},
                 {"profile", v.profile},
                 {"saved_by", saved ? json::value(v.author_id) : json::value(nullptr)},
                 {"saved_at", saved ? Timestamp(v.created_at) : json::value(nullptr)}};
  Response r = Response::Json(200, o);
  SetETag(r, v.version);
  return r;
}

}  // namespace

Response GetCareProfile(Services& s, RequestContext& ctx) {
  auto v = s.care_profiles->Get(CallerOf(ctx), ctx.params["id"]);
  if (!v) return Problem(v.error(), ctx.request_id);
  return ProfileResponse(*v);
}

Response SaveCareProfile(Services& s, RequestContext& ctx) {
  const auto expected = IfMatchVersion(ctx.request);
  if (!expected) return PreconditionRequired(ctx.request_id);
  // The body: {"profile": {...}}, the profile in MatchQuery's wire form (400 for what does
  // not read, before the case is opened).
  auto body = core::JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  const auto fields = body->Object("profile", true);  // its members are ApplyProfile's to check
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  json::object profile = matching::CanonicalProfile(fields->object());
  matching::Query scratch;
  if (auto st = matching::ApplyProfile(profile, scratch); !st) {
    return Problem(st.error(), ctx.request_id);
  }
  // Rules between fields (422) on the query the profile would give: the case's facts, then
  // the profile.
  auto facts = s.cases->MatchFacts(CallerOf(ctx), ctx.params["id"]);
  if (!facts) return Problem(facts.error(), ctx.request_id);
  const int64_t now = core::ToUnixSeconds(s.clock->Now());
  matching::Query query = matching::QueryFor(*facts, matching::DayOf(now) + 1, now);
  if (auto st = matching::ApplyProfile(profile, query); !st) {
    return Problem(st.error(), ctx.request_id);
  }
  if (auto st = matching::ValidateProfileQuery(query); !st) {
    return Problem(st.error(), ctx.request_id);
  }
  auto saved =
      s.care_profiles->Save(CallerOf(ctx), ctx.params["id"], std::move(profile), *expected);
  if (!saved) return Problem(saved.error(), ctx.request_id);
  return ProfileResponse(*saved);
}

}  // namespace soundcheck::http::handlers
