// Matching (docs/matching.md): a case's explained, costed, tour-aware matches for staff, and
// the public finder. Decode → the engine on this node's current snapshot → encode.
#include <boost/json.hpp>
#include <charconv>
#include <set>

#include "core/clock.h"
#include "core/json_body.h"
#include "core/json_writer.h"
#include "domain/coverage/good_faith_estimate.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"
#include "matching/care_profile.h"
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

// Room for an answer's JSON with `results` items (about 1 KB each with their reasons, cost
// and dates), so writing it rarely has to grow the string.
// The index is not in service yet (a start that is building it): 503 with a retry hint,
// never an answer from an empty directory.
Response IndexStarting(const RequestContext& ctx) {
  Response r =
      Problem(503, "matching-starting", "Matching is starting",
              "The matching index is being built; try again in a few seconds.", ctx.request_id);
  r.headers.Set("Retry-After", "2");
  return r;
}

size_t AnswerBytes(size_t results) { return 1024 + results * 1280; }

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
  static const std::string kAbsent;
  auto get = [&](const char* name) -> const std::string& {
    auto it = params.find(name);
    return it == params.end() ? kAbsent : it->second;
  };
  q.jurisdiction = get("jurisdiction");
  if (const std::string& care = get("care_type"); !care.empty()) {
    q.care_types = {care.find(':') == std::string::npos ? "care_type:" + care : care};
  }
  if (const std::string& language = get("language"); !language.empty()) q.languages = {language};
  if (const std::string& mode = get("mode"); !mode.empty()) {
    if (mode == "telehealth") {
      q.mode = matching::Mode::kTelehealth;
    } else if (mode == "in_person") {
      q.mode = matching::Mode::kInPerson;
    } else if (mode != "either") {
      return BadParam("mode", "invalid_value", "Use either, telehealth or in_person.");
    }
  }
  const std::string& lat = get("latitude");
  const std::string& lon = get("longitude");
  if (!lat.empty() || !lon.empty()) {
    const auto la = Number(lat), lo = Number(lon);
    if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180) {
      return BadParam(la ? "longitude" : "latitude", "invalid_value",
                      "Give latitude and longitude together, in decimal degrees.");
    }
    q.point = matching::GeoPoint{*la, *lo};
  }
  if (const std::string& km = get("max_km"); !km.empty()) {
    const auto v = Number(km);
    if (!v) return BadParam("max_km", "invalid_value", "Give a distance in kilometres.");
    q.max_km = *v;
  }
  if (const std::string& carrier = get("carrier"); !carrier.empty()) {
    q.plan = matching::PlanKey(carrier, get("plan"));
  }
  if (const std::string& budget = get("budget_cents"); !budget.empty()) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(budget.data(), budget.data() + budget.size(), v);
    if (ec != std::errc() || p != budget.data() + budget.size()) {
      return BadParam("budget_cents", "invalid_value", "Give whole cents.");
    }
    q.budget_cents = v;
  }
  if (const std::string& limit = get("limit"); !limit.empty()) {
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
  auto facts = s.cases->MatchFacts(CallerOf(ctx), ctx.params["id"]);
  if (!facts) return Problem(facts.error(), ctx.request_id);
  auto profile = s.care_profiles->Get(CallerOf(ctx), ctx.params["id"]);
  if (!profile) return Problem(profile.error(), ctx.request_id);
  const int64_t now = core::ToUnixSeconds(s.clock->Now());
  // The case's facts first, then its saved care profile; the request overrides any of them.
  matching::Query query = matching::QueryFor(*facts, matching::DayOf(now) + 1, now);
  if (!matching::ApplyProfile(profile->profile, query)) {
    // It was checked when it was saved: not reading now is ours to fix, not the caller's.
    return Problem(core::Error::Internal("saved care profile does not read"), ctx.request_id);
  }
  const std::string_view text =
      ctx.request.body.empty() ? std::string_view("{}") : std::string_view(ctx.request.body);
  auto body = JsonBody::Parse(text);
  if (!body) return Problem(body.error(), ctx.request_id);
  matching::DecodeQuery(*body, query);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  const auto snapshot = s.matches->Current();
  if (!snapshot) return IndexStarting(ctx);
  auto answer = matching::FindMatches(*snapshot, query);
  if (!answer) return Problem(answer.error(), ctx.request_id);
  // Written straight into the body: no document of small strings to build and then copy.
  core::JsonWriter out(AnswerBytes(answer->matches.size()));
  out.BeginObject();
  matching::WriteAnswerMembers(out, *answer);
  out.Key("query").Value(matching::EncodeQuery(query));
  out.Key("profile_version").Int(profile->version);
  out.EndObject();
  return Response::JsonText(200, out.Take());
}

Response GoodFaithEstimate(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  const auto service_id = body->String("service_id", true, 64);
  const auto sessions = body->Int("sessions", false, 1, 52);
  const auto minutes = body->Int("session_minutes", false, 30, 60);
  const auto first = body->String("first_session_on", false, 10);
  const auto intake = body->Bool("intake_visit", false);
  const auto fee = body->Int("session_fee_cents", false, 0, domain::coverage::kMaxGfeFeeCents);
  const auto intake_fee =
      body->Int("intake_fee_cents", false, 0, domain::coverage::kMaxGfeFeeCents);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  // The case's reference names the member on the document (never their name); reading it is
  // the audited case read.
  auto c = s.cases->Get({*ctx.principal, ctx.request_id}, ctx.params["id"]);
  if (!c) return Problem(c.error(), ctx.request_id);
  const auto snapshot = s.matches->Current();
  if (!snapshot) return IndexStarting(ctx);
  const auto listing = snapshot->Find(*service_id);
  if (!listing) {
    return Problem(
        core::Error::Unprocessable(
            "unknown listing", {{"/service_id", "not_found", "No listed service has this id."}}),
        ctx.request_id);
  }
  const auto listed_fee = snapshot->fee_cents(*listing);
  if (!fee && !listed_fee) {
    return Problem(core::Error::Unprocessable("fee unknown",
                                              {{"/session_fee_cents", "required",
                                                "The listing gives no fee: ask the provider, then "
                                                "enter it."}}),
                   ctx.request_id);
  }
  const std::string today = core::FormatRfc3339(s.clock->Now()).substr(0, 10);
  domain::coverage::GfeInput in;
  in.member_reference = c->summary.reference;
  in.provider_name = std::string(snapshot->name(*listing));
  in.issued_on = today;
  in.first_session_on = first.value_or(today);
  in.sessions = static_cast<int>(sessions.value_or(12));
  in.session_minutes = static_cast<int>(minutes.value_or(45));
  in.intake_visit = intake.value_or(true);
  in.session_fee_cents = fee.value_or(listed_fee.value_or(0));
  in.intake_fee_cents = intake_fee;
  auto gfe = domain::coverage::BuildGoodFaithEstimate(in);
  if (!gfe) return Problem(gfe.error(), ctx.request_id);
  json::array services;
  for (const auto& line : gfe->services) {
    services.push_back(json::object{{"cpt", line.cpt},
                                    {"description_key", line.description_key},
                                    {"unit_cents", line.unit_cents},
                                    {"quantity", line.quantity}});
  }
  auto strings = [](const std::vector<std::string>& list) {
    json::array a;
    for (const auto& v : list) a.emplace_back(v);
    return a;
  };
  json::object out{{"member_reference", in.member_reference},
                   {"service_id", *service_id},
                   {"provider_name", in.provider_name},
                   {"issued_on", in.issued_on},
                   {"first_session_on", in.first_session_on},
                   {"valid_until", gfe->valid_until},
                   {"currency", "USD"},
                   {"services", std::move(services)},
                   {"total_cents", gfe->total_cents},
                   {"notices", strings(gfe->notices)},
                   {"missing", strings(gfe->missing)},
                   {"assumed", strings(gfe->assumed)}};
  return Response::Json(200, out);
}

Response Finder(Services& s, RequestContext& ctx) {
  const int64_t now = core::ToUnixSeconds(s.clock->Now());
  auto query = FinderQuery(ctx.request.QueryParams(), now);
  if (!query) return Problem(query.error(), ctx.request_id);
  const auto snapshot = s.matches->Current();
  if (!snapshot) return IndexStarting(ctx);
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
  around.relaxations = false;  // resources are a bonus beside the answer; nothing to relax
  auto resources = matching::FindMatches(*snapshot, around);
  if (!resources) return Problem(resources.error(), ctx.request_id);
  // Written straight into the body: no document of small strings to build and then copy.
  core::JsonWriter out(AnswerBytes(providers->matches.size() + resources->matches.size()));
  out.BeginObject();
  matching::WriteAnswer(out.Key("providers"), *providers);
  matching::WriteAnswer(out.Key("resources"), *resources);
  out.EndObject();
  Response r = Response::JsonText(200, out.Take());
  r.headers.Set("Cache-Control", "public, max-age=60");
  return r;
}

}  // namespace soundcheck::http::handlers
