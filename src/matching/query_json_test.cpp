// The answer's wire form: WriteAnswer (a JsonWriter straight into the body) against the
// boost::json encoder it replaced, kept here as the reference, on hand-made answers with
// every shape the wire has (escapes, nulls, ranges with no upper bound, empty lists) and on
// random ones.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <random>

#include "matching/engine.h"
#include "matching/query_json.h"

namespace soundcheck::matching {
namespace {

namespace json = boost::json;
namespace cov = domain::coverage;

// The encoder as it was before WriteAnswer (boost::json documents, inserted in wire order).
json::value ReferenceHighEnd(int64_t cents, bool unbounded) {
  return unbounded ? json::value(nullptr) : json::value(cents);
}

json::object ReferenceCost(const cov::ExplainedCost& explained) {
  const cov::SessionCost& c = explained.cost;
  json::object o;
  o["low_cents"] = c.low_cents;
  o["high_cents"] = ReferenceHighEnd(c.high_cents, c.high_unbounded);
  o["after_aid_low_cents"] = c.after_aid_low_cents;
  o["after_aid_high_cents"] = ReferenceHighEnd(c.after_aid_high_cents, c.high_unbounded);
  o["currency"] = "USD";
  o["complete"] = c.complete;
  o["fee_unknown"] = c.fee_unknown;
  json::array steps;
  for (const auto& line : explained.steps) {
    json::object s;
    s["name"] = line.name;
    s["low_cents"] = line.low_cents;
    s["high_cents"] = ReferenceHighEnd(line.high_cents, line.high_unbounded);
    steps.push_back(std::move(s));
  }
  o["steps"] = std::move(steps);
  auto names = [](const std::vector<std::string_view>& list) {
    json::array a;
    for (const auto& n : list) a.emplace_back(n);
    return a;
  };
  o["used"] = names(explained.used);
  o["unknown"] = names(explained.unknown);
  o["assumed"] = names(explained.assumed);
  return o;
}

json::object ReferenceMatch(const Match& m) {
  auto reasons = [](const std::vector<Reason>& list, bool points) {
    json::array a;
    for (const auto& r : list) {
      json::object o;
      o["code"] = r.code;
      o["value"] = r.value;
      if (!r.detail.empty()) o["detail"] = r.detail;
      if (points) o["points"] = r.points;
      a.push_back(std::move(o));
    }
    return a;
  };
  json::object o;
  o["service_id"] = m.id;
  o["name"] = m.name;
  o["organization_id"] = m.organization_id;
  o["score"] = m.score;
  o["telehealth"] = m.telehealth;
  if (m.distance_km) {
    o["distance_km"] = std::round(*m.distance_km * 10) / 10;
  } else {
    o["distance_km"] = nullptr;
  }
  o["met"] = reasons(m.met, false);
  o["preferences"] = reasons(m.preferences, true);
  o["cost_basis"] = m.cost_basis;
  o["cost"] = ReferenceCost(m.cost);
  json::array dates;
  for (const auto& d : m.dates) {
    json::object o2;
    o2["date"] = DayString(d.day);
    o2["jurisdiction"] = d.jurisdiction;
    o2["covered"] = d.covered;
    dates.push_back(std::move(o2));
  }
  o["dates"] = std::move(dates);
  return o;
}

json::object ReferenceAnswer(const MatchAnswer& answer) {
  json::object o;
  json::array items;
  for (const auto& m : answer.matches) items.push_back(ReferenceMatch(m));
  o["items"] = std::move(items);
  o["eligible"] = answer.eligible;
  o["eligible_at_least"] = answer.eligible_at_least;
  json::array relax;
  for (const auto& r : answer.relaxations) {
    json::object x;
    x["constraint"] = r.constraint;
    x["change"] = r.change;
    x["results"] = r.results;
    x["at_least"] = r.at_least;
    relax.push_back(std::move(x));
  }
  o["relaxations"] = std::move(relax);
  o["snapshot_version"] = answer.snapshot_version;
  return o;
}

std::string Written(const MatchAnswer& answer) {
  core::JsonWriter w;
  WriteAnswer(w, answer);
  return w.Take();
}

// The same bytes as the reference encoder, hence the same JSON.
void ExpectSameAsReference(const MatchAnswer& answer) {
  const json::object reference = ReferenceAnswer(answer);
  const std::string text = Written(answer);
  EXPECT_EQ(json::parse(text), json::value(reference));
  EXPECT_EQ(text, json::serialize(reference));
  EXPECT_EQ(EncodeAnswer(answer), reference);
}

Match HandMade() {
  Match m;
  m.id = "00000000-0000-4000-8000-000000000001";
  m.name = "Dr. \"Ana\" O'Neil \\ Clínica Ñandú\n\tsecond line \x01\x1f end";
  m.organization_id = "org/1";
  m.score = 412;
  m.telehealth = false;
  m.distance_km = 12.349;
  m.met = {{"care_type", "care_type:individual-therapy", "", 0},
           {"licence", "US-NY", "2027-06-30", 0},
           {"in_person", "12.3", "", 0},
           {"no_licence_needed", "", "", 0}};
  m.preferences = {{"tag", "identity:lgbtq-affirming", "", 100},
                   {"cost", "0", "", 60},
                   {"distance", "12.3", "", 0}};
  m.cost_basis = "out_of_network";
  m.cost.cost = {cov::Basis::kOutOfNetwork, 3000, 0, 2500, 0, false, true, true};
  m.cost.steps = {{"fee", 0, 0, true}, {"allowed", 8000, 12000, false}, {"member", 3000, 0, true}};
  m.cost.used = {"fee", "network"};
  m.cost.unknown = {"deductible_remaining"};
  m.cost.assumed = {"medicare_part_b_coinsurance"};
  m.dates = {{*ParseDay("2026-12-01"), "US-NY", true},
             {*ParseDay("2026-12-08"), "US-CA", false},
             {*ParseDay("2027-01-05"), "GB-\"x\"", true}};
  return m;
}

TEST(MatchingWire, EmptyAnswer) {
  MatchAnswer answer;
  EXPECT_EQ(Written(answer),
            R"({"items":[],"eligible":0,"eligible_at_least":false,"relaxations":[],)"
            R"("snapshot_version":0})");
  ExpectSameAsReference(answer);
}

TEST(MatchingWire, HandMadeAnswerWithEscapesNullsAndOpenRanges) {
  MatchAnswer answer;
  answer.matches.push_back(HandMade());
  Match tele = HandMade();
  tele.id = "2";
  tele.telehealth = true;
  tele.distance_km.reset();  // null
  tele.cost = {};
  tele.cost_basis = "free";
  tele.met.clear();
  tele.preferences.clear();
  tele.dates.clear();
  answer.matches.push_back(tele);
  Match far = HandMade();
  far.distance_km = 499.96;  // rounds up to 500
  far.cost.cost.high_unbounded = false;
  far.cost.cost.high_cents = 15000;
  answer.matches.push_back(far);
  Match here = HandMade();
  here.distance_km = 0;
  here.score = -5;
  answer.matches.push_back(here);
  answer.eligible = 4;
  answer.eligible_at_least = true;
  answer.relaxations = {{"language", "any", 12, true}, {"distance", "double", 0, false}};
  answer.snapshot_version = 1234567890123;
  ExpectSameAsReference(answer);
  const json::value parsed = json::parse(Written(answer));
  const auto& item = parsed.at("items").at(0);
  EXPECT_EQ(item.at("name").as_string(), HandMade().name);
  EXPECT_TRUE(item.at("cost").at("high_cents").is_null());
  EXPECT_TRUE(item.at("cost").at("steps").at(0).at("high_cents").is_null());
  EXPECT_EQ(item.at("distance_km").as_double(), 12.3);
  EXPECT_TRUE(parsed.at("items").at(1).at("distance_km").is_null());
  EXPECT_FALSE(item.at("met").at(0).as_object().contains("detail"));
  EXPECT_EQ(item.at("met").at(1).at("detail").as_string(), "2027-06-30");
  EXPECT_FALSE(item.at("met").at(1).as_object().contains("points"));
  EXPECT_EQ(item.at("preferences").at(0).at("points").as_int64(), 100);
}

TEST(MatchingWire, RandomAnswers) {
  std::mt19937_64 rng(11);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  auto text = [&] {
    static const std::vector<std::string> kPieces = {
        "care_type:individual-therapy", "US-NY", "", "é", "\"", "\\", "\n", "\x02", "a b", "12400"};
    std::string s;
    for (int i = pick(4); i > 0; --i) s += kPieces[pick(kPieces.size())];
    return s;
  };
  // Codes, cost names, ids and names are views (of static text or of the snapshot) in real
  // answers; here they view texts kept for the whole test (a deque never moves what it holds).
  std::deque<std::string> kept;
  auto kept_text = [&]() -> std::string_view { return kept.emplace_back(text()); };
  auto reasons = [&] {
    std::vector<Reason> list(pick(5));
    for (auto& r : list) {
      r = {kept_text(), text(), pick(2) ? text() : "", int64_t(rng() % 300) - 20};
    }
    return list;
  };
  auto names = [&] {
    std::vector<std::string_view> list(pick(3));
    for (auto& n : list) n = kept_text();
    return list;
  };
  for (int round = 0; round < 300; ++round) {
    MatchAnswer answer;
    answer.matches.resize(pick(6));
    for (auto& m : answer.matches) {
      m.id = kept_text();
      m.name = kept_text();
      m.organization_id = kept_text();
      m.score = int64_t(rng() % 1000) - 100;
      m.telehealth = pick(2);
      if (pick(2)) m.distance_km = std::uniform_real_distribution<double>(0, 500)(rng);
      m.met = reasons();
      m.preferences = reasons();
      m.cost_basis = text();
      m.cost.cost.low_cents = int64_t(rng() % 50000);
      m.cost.cost.high_cents = int64_t(rng() % 50000);
      m.cost.cost.after_aid_low_cents = int64_t(rng() % 50000);
      m.cost.cost.after_aid_high_cents = int64_t(rng() % 50000);
      m.cost.cost.complete = pick(2);
      m.cost.cost.fee_unknown = pick(2);
      m.cost.cost.high_unbounded = pick(2);
      m.cost.steps.resize(pick(5));
      for (auto& s : m.cost.steps) {
        s = {kept_text(), int64_t(rng() % 9000), int64_t(rng() % 9000), pick(2) == 0};
      }
      m.cost.used = names();
      m.cost.unknown = names();
      m.cost.assumed = names();
      m.dates.resize(pick(4));
      for (auto& d : m.dates) d = {Day(20000 + pick(3000)), text(), pick(2) == 0};
    }
    answer.eligible = pick(100);
    answer.eligible_at_least = pick(2);
    answer.relaxations.resize(pick(4));
    for (auto& r : answer.relaxations) r = {text(), text(), pick(50), pick(2) == 0};
    answer.snapshot_version = pick(1000);
    ExpectSameAsReference(answer);
  }
}

TEST(MatchingWire, EngineAnswer) {
  Provider p;
  p.id = "00000000-0000-4000-8000-000000000001";
  p.name = "Demo \"quoted\" clinic";
  p.care_types = {"care_type:individual-therapy"};
  p.tags = {"format:telehealth"};
  p.languages = {"en"};
  p.licences = {Licence{"LCSW", "US-NY", ParseDay("2027-01-01"), {}}};
  p.openings = 1;
  p.openings_confirmed_at = 1000;  // no fee: the cost is unknown, with no upper bound
  const auto s = Snapshot::Build({p}, {});
  Query q;
  q.jurisdiction = "US-NY";
  q.now = 2000;
  q.first_session = *ParseDay("2026-12-01");
  q.sessions = 3;
  auto answer = FindMatches(*s, q);
  ASSERT_TRUE(answer.has_value());
  ASSERT_EQ(answer->matches.size(), 1u);
  EXPECT_TRUE(answer->matches[0].cost.cost.high_unbounded);
  EXPECT_EQ(answer->matches[0].dates.size(), 3u);
  ExpectSameAsReference(*answer);
}

TEST(MatchingWire, CaseMatchesAddTheQueryAfterTheAnswer) {
  MatchAnswer answer;
  answer.matches.push_back(HandMade());
  Query q;
  q.jurisdiction = "US-NY";
  q.point = GeoPoint{40.71, -74.01};
  core::JsonWriter w;
  w.BeginObject();
  WriteAnswerMembers(w, answer);
  w.Key("query").Value(EncodeQuery(q));
  w.EndObject();
  json::object reference = ReferenceAnswer(answer);
  reference["query"] = EncodeQuery(q);
  EXPECT_EQ(w.Take(), json::serialize(reference));
}

TEST(MatchingWire, FormatDayIsDayString) {
  // Against the printf form it replaced, from before year 0 to after 9999.
  for (Day day = -800000; day < 3000000; day += 11) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    char expected[16];
    std::snprintf(expected, sizeof expected, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    char out[16];
    ASSERT_EQ(std::string(out, FormatDay(day, out)), expected) << day;
    ASSERT_EQ(DayString(day), expected);
  }
}

}  // namespace
}  // namespace soundcheck::matching
