// The pure parts of matching: days, distances, the licensing tables, the index's sets,
// reading HSDS, the wire decoder, and the engine's explanations on a hand-made directory.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "matching/engine.h"
#include "matching/from_hsds.h"
#include "matching/member_query.h"
#include "matching/query_json.h"
#include "matching/rules.h"

namespace soundcheck::matching {
namespace {

TEST(MatchingFacts, DaysRoundTripAndRejectImpossibleDates) {
  const auto day = ParseDay("2026-12-01");
  ASSERT_TRUE(day.has_value());
  EXPECT_EQ(DayString(*day), "2026-12-01");
  EXPECT_EQ(*ParseDay("1970-01-01"), 0);
  EXPECT_EQ(*ParseDay("1969-12-31"), -1);
  EXPECT_FALSE(ParseDay("2026-02-30").has_value());
  EXPECT_FALSE(ParseDay("2026-1-01").has_value());
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(-1), -1);
  EXPECT_EQ(DayOf(86400 * 3 + 5), 3);
}

TEST(MatchingFacts, DistanceIsHaversine) {
  const GeoPoint nyc{40.7128, -74.0060};
  const GeoPoint la{34.0522, -118.2437};
  EXPECT_NEAR(DistanceKm(nyc, la), 3936, 5);
  EXPECT_DOUBLE_EQ(DistanceKm(nyc, nyc), 0);
  EXPECT_NEAR(DistanceKm({0, 179.9}, {0, -179.9}), 22.2, 0.1);  // across the date line
}

TEST(MatchingFacts, PlanKeysIgnoreCaseAndSpaces) {
  EXPECT_EQ(PlanKey(" Harmony Mutual ", "Gold PPO"), PlanKey("harmony mutual", "GOLD PPO "));
  EXPECT_NE(PlanKey("a", "b c"), PlanKey("a b", "c"));
}

TEST(MatchingRules, CompactsAndLicensedCare) {
  EXPECT_TRUE(PsypactCovers("US-PA", "US-TX"));
  EXPECT_FALSE(PsypactCovers("US-PA", "US-NY"));  // New York has not joined
  EXPECT_FALSE(PsypactCovers("US-CA", "US-TX"));
  EXPECT_TRUE(NeedsLicence("care_type:individual-therapy"));
  EXPECT_TRUE(NeedsLicence("care_type:psychiatry"));
  EXPECT_FALSE(NeedsLicence("care_type:support-group"));
  EXPECT_FALSE(NeedsLicence("care_type:peer-support"));
  EXPECT_TRUE(JurisdictionCovers("US", "US-NY"));
  EXPECT_TRUE(JurisdictionCovers("US-NY", "US-NY"));
  EXPECT_FALSE(JurisdictionCovers("US-NY", "US"));
  EXPECT_FALSE(JurisdictionCovers("U", "US-NY"));
  EXPECT_FALSE(JurisdictionCovers("US", "USA"));
}

TEST(MatchingSnapshot, SortsByIdAndTheLastOfEqualIdsWins) {
  Provider a{.id = "b", .name = "first b"};
  Provider b{.id = "a", .name = "a"};
  Provider c{.id = "b", .name = "second b"};
  const auto s = Snapshot::Build({a, b, c}, {});
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(s->id(0), "a");
  EXPECT_EQ(s->id(1), "b");
  EXPECT_EQ(s->name(1), "second b");
  EXPECT_EQ(s->Find("a"), 0u);
  EXPECT_EQ(s->Find("b"), 1u);
  EXPECT_FALSE(s->Find("c").has_value());
  EXPECT_FALSE(s->Find("").has_value());
  EXPECT_FALSE(s->fee_cents(0).has_value());
  EXPECT_GT(s->Stats().bytes, 0u);
}

TEST(MatchingSnapshot, SparseAndDenseSetsAnswerAlike) {
  std::vector<uint32_t> few{3, 70, 999};
  std::vector<uint32_t> many;
  for (uint32_t i = 0; i < 1000; i += 2) many.push_back(i);
  const auto sparse = detail::IdSet::From(few, 1000);
  const auto dense = detail::IdSet::From(many, 1000);
  for (uint32_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(sparse.Contains(i), i == 3 || i == 70 || i == 999);
    EXPECT_EQ(dense.Contains(i), i % 2 == 0);
  }
  std::vector<uint64_t> words((1000 + 63) / 64, ~uint64_t{0});
  std::vector<uint64_t> scratch;
  sparse.AndInto(words, scratch);
  int set = 0;
  for (auto w : words) set += std::popcount(w);
  EXPECT_EQ(set, 3);
}

TEST(MatchingFromHsds, AddressesGiveJurisdictions) {
  EXPECT_EQ(JurisdictionOfAddress("US", "ny"), "US-NY");
  EXPECT_EQ(JurisdictionOfAddress("ca", "ON"), "CA-ON");
  EXPECT_EQ(JurisdictionOfAddress("GB", "London"), "GB");
  EXPECT_EQ(JurisdictionOfAddress("US", "New York"), "US");
  EXPECT_EQ(JurisdictionOfAddress("USA", "NY"), "");
}

TEST(MatchingQueryJson, DecodesTheWireFormAndNamesBadFields) {
  Query q;
  auto body = core::JsonBody::Parse(R"({"care_types": ["psychiatry"], "mode": "telehealth",
      "location": {"jurisdiction": "US-TX", "latitude": 30.1, "longitude": -97.7},
      "first_session": "2026-12-01", "sessions": 6,
      "itinerary": [{"from": "2026-12-05", "to": "2026-12-09", "jurisdiction": "US-TN"}],
      "insurance": {"carrier": "A", "plan": "B", "network": "hmo", "copay_cents": 2500},
      "budget_cents": 9000, "prefer": {"tags": ["approach:cbt"], "gender": "woman"}})");
  ASSERT_TRUE(body.has_value());
  DecodeQuery(*body, q);
  ASSERT_TRUE(body->Finish());
  EXPECT_EQ(q.care_types, std::vector<std::string>{"care_type:psychiatry"});
  EXPECT_EQ(q.mode, Mode::kTelehealth);
  EXPECT_EQ(q.jurisdiction, "US-TX");
  ASSERT_TRUE(q.point.has_value());
  EXPECT_EQ(q.sessions, 6);
  ASSERT_EQ(q.itinerary.size(), 1u);
  EXPECT_EQ(DayString(q.itinerary[0].to), "2026-12-09");
  EXPECT_EQ(q.plan, PlanKey("a", "b"));
  ASSERT_TRUE(q.insurance.has_value());
  EXPECT_EQ(q.insurance->network, domain::coverage::Network::kHmo);
  EXPECT_EQ(q.insurance->copay_cents, 2500);
  EXPECT_EQ(q.budget_cents, 9000);
  EXPECT_EQ(q.prefer_gender, "woman");

  // An empty plan name and a null budget clear what the case's facts gave.
  auto clearing =
      core::JsonBody::Parse(R"({"insurance": {"carrier": "", "plan": ""}, "budget_cents": null})");
  ASSERT_TRUE(clearing.has_value());
  DecodeQuery(*clearing, q);
  ASSERT_TRUE(clearing->Finish());
  EXPECT_TRUE(q.plan.empty());
  EXPECT_TRUE(q.insurance.has_value());
  EXPECT_FALSE(q.budget_cents.has_value());

  Query bad;
  auto wrong = core::JsonBody::Parse(
      R"({"mode": "teleport", "first_session": "2026-02-30", "sessions": 0, "typo": 1})");
  ASSERT_TRUE(wrong.has_value());
  DecodeQuery(*wrong, bad);
  auto status = wrong->Finish();
  ASSERT_FALSE(status);
  std::vector<std::string> fields;
  for (const auto& f : status.error().fields) fields.push_back(f.field);
  for (const char* f : {"/mode", "/first_session", "/sessions", "/typo"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
}

TEST(MatchingQueryJson, EncodedQueriesDecodeToTheSameQuery) {
  Query q;
  q.care_types = {"care_type:psychiatry", "care_type:support-group"};
  q.jurisdiction = "US-TX";
  q.point = GeoPoint{30.25, -97.75};
  q.first_session = *ParseDay("2026-12-01");
  q.sessions = 5;
  q.itinerary = {
      Stop{*ParseDay("2026-12-05"), *ParseDay("2026-12-09"), "US-TN", GeoPoint{36.16, -86.78}}};
  q.mode = Mode::kInPerson;
  q.max_km = 25;
  q.languages = {"es"};
  q.age = "age:adults";
  q.require_opening = false;
  q.plan = PlanKey("Harmony Mutual (DEMO)", "Gold PPO");
  domain::coverage::InsuranceFacts f;
  f.plan_type = domain::coverage::PlanType::kMarketplace;
  f.network = domain::coverage::Network::kPpo;
  f.copay_cents = 2500;
  f.coinsurance_bp = 2000;
  f.copay_before_deductible = false;
  q.insurance = f;
  q.budget_cents = 9000;
  q.sliding_scale = true;
  q.prefer_tags = {"approach:cbt"};
  q.prefer_gender = "woman";
  q.weights.cost = 10;
  q.limit = 7;
  const std::string first = boost::json::serialize(EncodeQuery(q));
  Query back;
  auto body = core::JsonBody::Parse(first);
  ASSERT_TRUE(body.has_value());
  DecodeQuery(*body, back);
  ASSERT_TRUE(body->Finish());
  EXPECT_EQ(boost::json::serialize(EncodeQuery(back)), first);
  EXPECT_EQ(back.plan, q.plan);
  EXPECT_EQ(back.insurance->copay_cents, 2500);
  EXPECT_FALSE(back.insurance->copay_before_deductible);
}

TEST(MatchingMemberQuery, AnIntakeBecomesTheStartingQuery) {
  const auto facts = domain::cases::MemberFactsFromIntake(R"({"language":"es",
      "location":{"country":"US","region":"US-TN","time_zone":"America/Chicago"},
      "on_tour":{"now":true,"until":"2026-12-20"},
      "requests":["therapy","psychiatry","therapy","not_sure"],
      "insurance":{"type":"union","carrier":"Example Health Fund","plan_name":"Gold"},
      "preferences":{"format":"telehealth","specialties":["trauma_informed","lgbtq_affirming"],
                     "provider_identity":"woman"}})");
  EXPECT_EQ(facts.jurisdiction, "US-TN");
  EXPECT_TRUE(facts.on_tour);
  const Query q = QueryFor(facts, *ParseDay("2026-12-01"), 0);
  EXPECT_EQ(q.jurisdiction, "US-TN");
  EXPECT_EQ(q.care_types,
            (std::vector<std::string>{"care_type:individual-therapy", "care_type:psychiatry",
                                      "care_type:medication-management"}));
  EXPECT_EQ(q.languages, std::vector<std::string>{"es"});
  EXPECT_EQ(q.mode, Mode::kTelehealth);
  EXPECT_EQ(q.plan, PlanKey("example health fund", "gold"));
  ASSERT_TRUE(q.insurance.has_value());
  EXPECT_EQ(q.insurance->plan_type, domain::coverage::PlanType::kUnion);
  EXPECT_EQ(q.prefer_tags,
            (std::vector<std::string>{"issue:trauma-ptsd", "identity:lgbtq-affirming"}));
  EXPECT_EQ(q.prefer_gender, "woman");

  const Query uninsured =
      QueryFor(domain::cases::MemberFactsFromIntake(
                   R"({"location":{"country":"CA"},"insurance":{"type":"none"}})"),
               0, 0);
  EXPECT_EQ(uninsured.jurisdiction, "CA");
  EXPECT_TRUE(uninsured.plan.empty());
  EXPECT_EQ(uninsured.insurance->plan_type, domain::coverage::PlanType::kUninsured);
  EXPECT_TRUE(
      QueryFor(domain::cases::MemberFactsFromIntake("not json"), 0, 0).jurisdiction.empty());
}

TEST(MatchingEngine, ValidatesTheQuery) {
  Query q;
  q.sessions = 0;
  q.limit = 0;
  q.max_km = 0;
  q.mode = Mode::kInPerson;
  q.itinerary.push_back(Stop{10, 5, "", std::nullopt});
  auto status = ValidateQuery(q);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kUnprocessable);
  std::vector<std::string> fields;
  for (const auto& f : status.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"/location/jurisdiction", "/sessions", "/limit",
                                              "/max_km", "/itinerary/0/to",
                                              "/itinerary/0/jurisdiction", "/location/latitude"}));
}

TEST(MatchingEngine, InPersonNeedsAPlaceForTheFirstSession) {
  Query q;
  q.jurisdiction = "US-NY";
  q.mode = Mode::kInPerson;
  q.first_session = 100;
  // A later stop with a point does not give the first session (at home) one.
  q.itinerary.push_back(Stop{110, 120, "US-CA", GeoPoint{34.05, -118.24}});
  auto status = ValidateQuery(q);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().fields.at(0).field, "/location/latitude");
  // On a stop without a point, the stop is what lacks it.
  q.itinerary.push_back(Stop{95, 105, "US-TN", std::nullopt});
  status = ValidateQuery(q);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().fields.at(0).field, "/itinerary/1/latitude");
  q.itinerary[1].point = GeoPoint{36.16, -86.78};
  EXPECT_TRUE(ValidateQuery(q));
}

TEST(MatchingEngine, AnEmptyDirectoryAnswersWithWaysForward) {
  const auto s = Snapshot::Build({}, {});
  Query q;
  q.jurisdiction = "US-NY";
  q.languages = {"es"};
  auto answer = FindMatches(*s, q);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->eligible, 0);
  EXPECT_TRUE(answer->matches.empty());
  EXPECT_FALSE(answer->relaxations.empty());
}

TEST(MatchingEngine, EncodesAnswersWithReasonsAndCosts) {
  Provider p;
  p.id = "00000000-0000-4000-8000-000000000001";
  p.name = "Demo";
  p.care_types = {"care_type:individual-therapy"};
  p.tags = {"format:telehealth"};
  p.languages = {"en"};
  p.licences = {Licence{"LCSW", "US-NY", ParseDay("2027-01-01"), {}}};
  p.fee_cents = 12000;
  p.openings = 1;
  p.openings_confirmed_at = 1000;
  const auto s = Snapshot::Build({p}, {});
  Query q;
  q.jurisdiction = "US-NY";
  q.now = 2000;
  q.first_session = *ParseDay("2026-12-01");
  auto answer = FindMatches(*s, q);
  ASSERT_TRUE(answer.has_value());
  const auto json = EncodeAnswer(*answer);
  const auto& item = json.at("items").as_array().at(0).as_object();
  EXPECT_EQ(item.at("service_id").as_string(), p.id);
  EXPECT_EQ(item.at("cost_basis").as_string(), "self_pay");
  EXPECT_EQ(item.at("cost").as_object().at("high_cents").as_int64(), 12000);
  EXPECT_EQ(item.at("dates").as_array().size(), 1u);
  bool licence = false;
  for (const auto& r : item.at("met").as_array()) {
    licence = licence || r.as_object().at("code").as_string() == "licence";
  }
  EXPECT_TRUE(licence);
}

}  // namespace
}  // namespace soundcheck::matching
