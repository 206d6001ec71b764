#include "matching/query_json.h"

#include <boost/json.hpp>

namespace soundcheck::matching {
namespace {

namespace json = boost::json;
namespace cov = domain::coverage;
using core::JsonBody;

constexpr int64_t kMaxCents = 100'000'000;  // a million dollars: far above any session

std::optional<Day> DayField(JsonBody& body, const std::string& name, bool required) {
  const auto text = body.String(name, required, 10);
  if (!text) return std::nullopt;
  const auto day = ParseDay(*text);
  if (!day) body.Reject(name, "invalid_format", "Expected a date, YYYY-MM-DD.");
  return day;
}

// A point: "latitude" and "longitude" together, or neither.
std::optional<GeoPoint> PointFields(JsonBody& body) {
  const auto lat = body.Double("latitude", false, -90, 90);
  const auto lon = body.Double("longitude", false, -180, 180);
  if (lat.has_value() != lon.has_value() && !body.IsNull("latitude") && !body.IsNull("longitude")) {
    body.Reject(lat ? "longitude" : "latitude", "required",
                "Give latitude and longitude together.");
  }
  if (lat && lon) return GeoPoint{*lat, *lon};
  return std::nullopt;
}

void DecodeInsurance(JsonBody& body, Query& query) {
  cov::InsuranceFacts facts = query.insurance.value_or(cov::InsuranceFacts{});
  const auto carrier = body.String("carrier", false, 200);
  const auto plan = body.String("plan", false, 200);
  if (carrier || plan) {
    // Both empty says "no plan named" (the facts may still be known), not a plan no one is on.
    const bool none = carrier.value_or("").empty() && plan.value_or("").empty();
    query.plan = none ? std::string() : PlanKey(carrier.value_or(""), plan.value_or(""));
  }
  if (const auto type = body.String("plan_type", false, 40)) {
    if (const auto parsed = cov::ParsePlanType(*type)) {
      facts.plan_type = *parsed;
    } else {
      body.Reject("plan_type", "invalid_value",
                  "Expected employer, marketplace, medicaid, medicare, union or uninsured.");
    }
  }
  if (const auto network = body.String("network", false, 10)) {
    if (const auto parsed = cov::ParseNetwork(*network)) {
      facts.network = *parsed;
    } else {
      body.Reject("network", "invalid_value", "Expected hmo, epo, ppo or pos.");
    }
  }
  auto cents = [&](const char* name, std::optional<int64_t>& out) {
    if (const auto v = body.Int(name, false, 0, kMaxCents)) out = *v;
  };
  cents("deductible_remaining_cents", facts.deductible_remaining_cents);
  cents("copay_cents", facts.copay_cents);
  cents("out_of_pocket_remaining_cents", facts.out_of_pocket_remaining_cents);
  cents("oon_deductible_remaining_cents", facts.oon_deductible_remaining_cents);
  cents("oon_out_of_pocket_remaining_cents", facts.oon_out_of_pocket_remaining_cents);
  cents("oon_allowed_cents", facts.oon_allowed_cents);
  if (const auto v = body.Bool("copay_before_deductible", false))
    facts.copay_before_deductible = *v;
  if (const auto v = body.Int("coinsurance_bp", false, 0, 10000)) {
    facts.coinsurance_bp = static_cast<int32_t>(*v);
  }
  if (const auto v = body.Int("oon_coinsurance_bp", false, 0, 10000)) {
    facts.oon_coinsurance_bp = static_cast<int32_t>(*v);
  }
  query.insurance = facts;
}

std::string TermCode(std::string_view facet, const std::string& value) {
  // "individual-therapy" and "care_type:individual-therapy" name the same term.
  if (value.find(':') != std::string::npos) return value;
  return std::string(facet) + ":" + value;
}

}  // namespace

void DecodeQuery(JsonBody& body, Query& query) {
  if (const auto v = body.StringArray("care_types", false, 32, 80)) {
    query.care_types.clear();
    for (const auto& code : *v) query.care_types.push_back(TermCode("care_type", code));
  }
  if (auto where = body.Object("location", false)) {
    if (const auto j = where->String("jurisdiction", false, 10)) query.jurisdiction = *j;
    if (const auto point = PointFields(*where)) query.point = point;
    body.Merge(std::move(*where));
  }
  if (const auto day = DayField(body, "first_session", false)) query.first_session = *day;
  if (const auto v = body.Int("sessions", false, 1, 52)) query.sessions = static_cast<int32_t>(*v);
  if (body.Has("itinerary")) {
    query.itinerary.clear();
    for (auto& stop_body : body.ObjectArray("itinerary", false, 60)) {
      Stop stop;
      if (const auto d = DayField(stop_body, "from", true)) stop.from = *d;
      if (const auto d = DayField(stop_body, "to", true)) stop.to = *d;
      if (const auto j = stop_body.String("jurisdiction", true, 10)) stop.jurisdiction = *j;
      stop.point = PointFields(stop_body);
      query.itinerary.push_back(std::move(stop));
      body.Merge(std::move(stop_body));
    }
  }
  if (const auto mode = body.String("mode", false, 20)) {
    if (*mode == "either") {
      query.mode = Mode::kEither;
    } else if (*mode == "telehealth") {
      query.mode = Mode::kTelehealth;
    } else if (*mode == "in_person") {
      query.mode = Mode::kInPerson;
    } else {
      body.Reject("mode", "invalid_value", "Expected either, telehealth or in_person.");
    }
  }
  if (const auto v = body.Double("max_km", false, 0.1, 500)) query.max_km = *v;
  if (const auto v = body.StringArray("languages", false, 10, 20)) query.languages = *v;
  if (const auto v = body.String("age", false, 40))
    query.age = v->empty() ? "" : TermCode("age", *v);
  if (const auto v = body.String("format", false, 40)) {
    query.format = v->empty() ? "" : TermCode("format", *v);
  }
  if (const auto v = body.Bool("require_opening", false)) query.require_opening = *v;
  if (auto insurance = body.Object("insurance", false)) {
    DecodeInsurance(*insurance, query);
    body.Merge(std::move(*insurance));
  } else if (body.IsNull("insurance")) {
    body.Bool("insurance", false);  // marks it seen: null means "none"
    query.plan.clear();
    query.insurance.reset();
  }
  if (const auto v = body.Int("budget_cents", false, 0, kMaxCents)) {
    query.budget_cents = *v;
  } else if (body.IsNull("budget_cents")) {
    query.budget_cents.reset();  // null clears a budget the case's facts gave
  }
  if (const auto v = body.Bool("sliding_scale", false)) query.sliding_scale = *v;
  if (const auto v = body.Int("aid_per_session_cents", false, 0, kMaxCents)) {
    query.aid_per_session_cents = *v;
  }
  if (auto prefer = body.Object("prefer", false)) {
    if (const auto v = prefer->StringArray("tags", false, 40, 80)) query.prefer_tags = *v;
    if (const auto v = prefer->Bool("music_industry", false)) query.prefer_music_industry = *v;
    if (const auto v = prefer->String("gender", false, 60)) query.prefer_gender = *v;
    body.Merge(std::move(*prefer));
  }
  if (auto weights = body.Object("weights", false)) {
    Weights& w = query.weights;
    auto weight = [&](const char* name, int64_t& out) {
      if (const auto v = weights->Int(name, false, 0, 1000)) out = *v;
    };
    weight("tag", w.tag);
    weight("music_industry", w.music_industry);
    weight("gender", w.gender);
    weight("earliest_opening", w.earliest_opening);
    weight("distance", w.distance);
    weight("cost", w.cost);
    weight("coverage", w.coverage);
    body.Merge(std::move(*weights));
  }
  if (const auto v = body.Int("limit", false, 1, 100)) query.limit = static_cast<int32_t>(*v);
}

json::object EncodeQuery(const Query& q) {
  auto strings = [](const std::vector<std::string>& list) {
    json::array a;
    for (const auto& v : list) a.emplace_back(v);
    return a;
  };
  auto point = [](json::object& o, const std::optional<GeoPoint>& p) {
    if (p) {
      o["latitude"] = p->latitude;
      o["longitude"] = p->longitude;
    }
  };
  json::object o;
  o["care_types"] = strings(q.care_types);
  json::object location{{"jurisdiction", q.jurisdiction}};
  point(location, q.point);
  o["location"] = std::move(location);
  o["first_session"] = DayString(q.first_session);
  o["sessions"] = q.sessions;
  json::array itinerary;
  for (const auto& stop : q.itinerary) {
    json::object s{{"from", DayString(stop.from)},
                   {"to", DayString(stop.to)},
                   {"jurisdiction", stop.jurisdiction}};
    point(s, stop.point);
    itinerary.push_back(std::move(s));
  }
  o["itinerary"] = std::move(itinerary);
  o["mode"] = q.mode == Mode::kTelehealth ? "telehealth"
              : q.mode == Mode::kInPerson ? "in_person"
                                          : "either";
  o["max_km"] = q.max_km;
  o["languages"] = strings(q.languages);
  o["age"] = q.age;
  o["format"] = q.format;
  o["require_opening"] = q.require_opening;
  if (q.insurance || !q.plan.empty()) {
    const cov::InsuranceFacts f = q.insurance.value_or(cov::InsuranceFacts{});
    json::object ins;
    // The plan travels as its key ("carrier|plan"), as the engine matches it.
    const size_t bar = q.plan.find('|');
    if (!q.plan.empty()) {
      ins["carrier"] = q.plan.substr(0, bar);
      ins["plan"] = bar == std::string::npos ? "" : q.plan.substr(bar + 1);
    }
    ins["plan_type"] = cov::PlanTypeName(f.plan_type);
    ins["network"] = cov::NetworkName(f.network);
    auto cents = [&](const char* name, const std::optional<int64_t>& v) {
      if (v) ins[name] = *v;
    };
    cents("deductible_remaining_cents", f.deductible_remaining_cents);
    cents("copay_cents", f.copay_cents);
    cents("out_of_pocket_remaining_cents", f.out_of_pocket_remaining_cents);
    cents("oon_deductible_remaining_cents", f.oon_deductible_remaining_cents);
    cents("oon_out_of_pocket_remaining_cents", f.oon_out_of_pocket_remaining_cents);
    cents("oon_allowed_cents", f.oon_allowed_cents);
    ins["copay_before_deductible"] = f.copay_before_deductible;
    if (f.coinsurance_bp) ins["coinsurance_bp"] = *f.coinsurance_bp;
    if (f.oon_coinsurance_bp) ins["oon_coinsurance_bp"] = *f.oon_coinsurance_bp;
    o["insurance"] = std::move(ins);
  } else {
    o["insurance"] = nullptr;
  }
  if (q.budget_cents) o["budget_cents"] = *q.budget_cents;
  o["sliding_scale"] = q.sliding_scale;
  o["aid_per_session_cents"] = q.aid_per_session_cents;
  o["prefer"] = json::object{{"tags", strings(q.prefer_tags)},
                             {"music_industry", q.prefer_music_industry},
                             {"gender", q.prefer_gender}};
  const Weights& w = q.weights;
  o["weights"] = json::object{{"tag", w.tag},           {"music_industry", w.music_industry},
                              {"gender", w.gender},     {"earliest_opening", w.earliest_opening},
                              {"distance", w.distance}, {"cost", w.cost},
                              {"coverage", w.coverage}};
  o["limit"] = q.limit;
  return o;
}

namespace {

using core::JsonWriter;

// The top of a range: null when nothing bounds it.
void HighEnd(JsonWriter& w, int64_t cents, bool unbounded) {
  if (unbounded) {
    w.Null();
  } else {
    w.Int(cents);
  }
}

void Names(JsonWriter& w, const std::vector<std::string_view>& list) {
  w.BeginArray();
  for (const auto& n : list) w.String(n);
  w.EndArray();
}

// Reasons carry `detail` only when there is one, and `points` only for preferences.
void Reasons(JsonWriter& w, const std::vector<Reason>& list, bool points) {
  w.BeginArray();
  for (const auto& r : list) {
    w.BeginObject().Key("code").String(r.code).Key("value").String(r.value);
    if (!r.detail.empty()) w.Key("detail").String(r.detail);
    if (points) w.Key("points").Int(r.points);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void WriteCost(JsonWriter& w, const cov::ExplainedCost& explained) {
  const cov::SessionCost& c = explained.cost;
  w.BeginObject();
  w.Key("low_cents").Int(c.low_cents);
  HighEnd(w.Key("high_cents"), c.high_cents, c.high_unbounded);
  w.Key("after_aid_low_cents").Int(c.after_aid_low_cents);
  HighEnd(w.Key("after_aid_high_cents"), c.after_aid_high_cents, c.high_unbounded);
  w.Key("currency").String("USD");
  w.Key("complete").Bool(c.complete);
  w.Key("fee_unknown").Bool(c.fee_unknown);
  w.Key("steps").BeginArray();
  for (const auto& line : explained.steps) {
    w.BeginObject().Key("name").String(line.name).Key("low_cents").Int(line.low_cents);
    HighEnd(w.Key("high_cents"), line.high_cents, line.high_unbounded);
    w.EndObject();
  }
  w.EndArray();
  Names(w.Key("used"), explained.used);
  Names(w.Key("unknown"), explained.unknown);
  Names(w.Key("assumed"), explained.assumed);
  w.EndObject();
}

void WriteMatch(JsonWriter& w, const Match& m) {
  w.BeginObject();
  w.Key("service_id").String(m.id);
  w.Key("name").String(m.name);
  w.Key("organization_id").String(m.organization_id);
  w.Key("score").Int(m.score);
  w.Key("telehealth").Bool(m.telehealth);
  w.Key("distance_km");
  if (m.distance_km) {
    w.Double(std::round(*m.distance_km * 10) / 10);  // to 100 m
  } else {
    w.Null();
  }
  Reasons(w.Key("met"), m.met, false);
  Reasons(w.Key("preferences"), m.preferences, true);
  w.Key("cost_basis").String(m.cost_basis);
  WriteCost(w.Key("cost"), m.cost);
  w.Key("dates").BeginArray();
  for (const auto& d : m.dates) {
    // Formatted in place: no string per date.
    char day[16];
    const size_t n = FormatDay(d.day, day);
    w.BeginObject().Key("date").String(std::string_view(day, n));
    w.Key("jurisdiction").String(d.jurisdiction).Key("covered").Bool(d.covered).EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteAnswerMembers(JsonWriter& w, const MatchAnswer& answer) {
  w.Key("items").BeginArray();
  for (const auto& m : answer.matches) WriteMatch(w, m);
  w.EndArray();
  w.Key("eligible").Int(answer.eligible);
  w.Key("eligible_at_least").Bool(answer.eligible_at_least);
  w.Key("relaxations").BeginArray();
  for (const auto& r : answer.relaxations) {
    w.BeginObject().Key("constraint").String(r.constraint).Key("change").String(r.change);
    w.Key("results").Int(r.results).Key("at_least").Bool(r.at_least).EndObject();
  }
  w.EndArray();
  w.Key("snapshot_version").Int(answer.snapshot_version);
}

void WriteAnswer(JsonWriter& w, const MatchAnswer& answer) {
  w.BeginObject();
  WriteAnswerMembers(w, answer);
  w.EndObject();
}

json::object EncodeAnswer(const MatchAnswer& answer) {
  JsonWriter w;
  WriteAnswer(w, answer);
  return json::parse(w.text()).as_object();
}

}  // namespace soundcheck::matching
