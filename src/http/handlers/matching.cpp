// Matching (docs/matching.md): a case's explained, costed, tour-aware matches for staff, and
// the public finder. Decode → the engine on this node's current snapshot → encode.
#include <boost/json.hpp>
#include <charconv>
#include <set>

#include "core/clock.h"
#include "core/json_body.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"
#include "matching/engine.h"
#include "matching/member_query.h"
#include "matching/query_json.h"

namespace soundcheck::http::handlers {

using core::JsonBody;

namespace {

namespace json = boost::json;

// Care types the finder offers beside the care asked for: community resources that need
// no licence and often no appointment.
const std::vector<std::string> kResourceCareTypes = {
    "care_type:support-group",      "care_type:peer-support",    "care_type:recovery-meeting",
    "care_type:financial-aid",      "care_type:case-management", "care_type:grief-support",
    "care_type:housing-assistance", "care_type:legal-aid"};

core::Error BadParam(const std::string& name, std::string code, std::string message) {
  return core::Error::InvalidArgument("bad finder parameter",
                                      {{"/" + name, std::move(code), std::move(message)}});
}

std::optional<double> Number(const std::string& text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// The finder's query string → a Query. Unknown parameters are errors, as unknown fields are.
core::Result<matching::Query> FinderQuery(const std::map<std::string, std::string>& params,
                                          int64_t now) {
  static const std::set<std::string> kKnown = {
      "jurisdiction", "care_type", "language", "mode",         "latitude", "longitude",
      "max_km",       "carrier",   "plan",     "budget_cents", "limit"};
  for (const auto& [name, value] : params) {
    if (!kKnown.count(name)) return BadParam(name, "unknown_field", "Unknown parameter.");
  }
  matching::Query q;
  q.now = now;
  q.first_session = matching::DayOf(now) + 1;
  q.prefer_music_industry = true;
  auto get = [&](const char* name) -> std::string {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  q.jurisdiction = get("jurisdiction");
  if (const std::string care = get("care_type"); !care.empty()) {
    q.care_types = {care.find(':') == std::string::npos ? "care_type:" + care : care};
  }
  if (const std::string language = get("language"); !language.empty()) q.languages = {language};
  if (const std::string mode = get("mode"); !mode.empty()) {
    if (mode == "telehealth") {
      q.mode = matching::Mode::kTelehealth;
    } else if (mode == "in_person") {
      q.mode = matching::Mode::kInPerson;
    } else if (mode != "either") {
      return BadParam("mode", "invalid_value", "Use either, telehealth or in_person.");
    }
  }
  const std::string lat = get("latitude"), lon = get("longitude");
  if (!lat.empty() || !lon.empty()) {
    const auto la = Number(lat), lo = Number(lon);
    if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180) {
      return BadParam(la ? "longitude" : "latitude", "invalid_value",
                      "Give latitude and longitude together, in decimal degrees.");
    }
    q.point = matching::GeoPoint{*la, *lo};
  }
  if (const std::string km = get("max_km"); !km.empty()) {
    const auto v = Number(km);
    if (!v) return BadParam("max_km", "invalid_value", "Give a distance in kilometres.");
    q.max_km = *v;
  }
  if (const std::string carrier = get("carrier"); !carrier.empty()) {
    q.plan = matching::PlanKey(carrier, get("plan"));
  }
  if (const std::string budget = get("budget_cents"); !budget.empty()) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(budget.data(), budget.data() + budget.size(), v);
    if (ec != std::errc() || p != budget.data() + budget.size()) {
      return BadParam("budget_cents", "invalid_value", "Give whole cents.");
    }
    q.budget_cents = v;
  }
  if (const std::string limit = get("limit"); !limit.empty()) {
    int32_t v = 0;
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), v);
    if (ec != std::errc() || p != limit.data() + limit.size() || v < 1 || v > 50) {
      return BadParam("limit", "out_of_range", "Use a limit from 1 to 50.");
    }
    q.limit = v;
  }
  return q;
}

}  // namespace

Response CaseMatches(Services& s, RequestContext& ctx) {
  auto facts = s.cases->MatchFacts({*ctx.principal, ctx.request_id}, ctx.params["id"]);
  if (!facts) return Problem(facts.error(), ctx.request_id);
  const int64_t now = core::ToUnixSeconds(s.clock->Now());
  // The case's facts first; the request overrides any of them.
  matching::Query query = matching::QueryFor(*facts, matching::DayOf(now) + 1, now);
  const std::string_view text =
      ctx.request.body.empty() ? std::string_view("{}") : std::string_view(ctx.request.body);
  auto body = JsonBody::Parse(text);
  if (!body) return Problem(body.error(), ctx.request_id);
  matching::DecodeQuery(*body, query);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  const auto snapshot = s.matches->Current();
  auto answer = matching::FindMatches(*snapshot, query);
  if (!answer) return Problem(answer.error(), ctx.request_id);
  json::object out = matching::EncodeAnswer(*answer);
  out["query"] = matching::EncodeQuery(query);
  return Response::Json(200, out);
}

Response Finder(Services& s, RequestContext& ctx) {
  const int64_t now = core::ToUnixSeconds(s.clock->Now());
  auto query = FinderQuery(ctx.request.QueryParams(), now);
  if (!query) return Problem(query.error(), ctx.request_id);
  const auto snapshot = s.matches->Current();
  auto providers = matching::FindMatches(*snapshot, *query);
  if (!providers) {
    // Name the finder's own parameters, not the fields of the case query's body.
    core::Error error = std::move(providers).error();
    for (auto& f : error.fields) {
      if (f.field == "/location/jurisdiction") f.field = "/jurisdiction";
      if (f.field == "/location/latitude") f.field = "/latitude";
    }
    return Problem(error, ctx.request_id);
  }
  // Community resources near the same place, in the same language, whatever the cost.
  matching::Query around = *query;
  around.care_types = kResourceCareTypes;
  around.require_opening = false;
  around.plan.clear();
  around.budget_cents.reset();
  around.limit = std::min(query->limit, 10);
  auto resources = matching::FindMatches(*snapshot, around);
  if (!resources) return Problem(resources.error(), ctx.request_id);
  json::object out;
  out["providers"] = matching::EncodeAnswer(*providers);
  out["resources"] = matching::EncodeAnswer(*resources);
  Response r = Response::Json(200, out);
  r.headers.Set("Cache-Control", "public, max-age=60");
  return r;
}

}  // namespace soundcheck::http::handlers
