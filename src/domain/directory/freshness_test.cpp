// Freshness rules with a manual clock: openings stop counting after the window, licences
// and old profiles go to the verification queue, and the dashboard adds up.
#include "domain/directory/freshness.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/clock.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/hsds_codec.h"
#include "domain/directory/synthetic.h"
#include "domain/directory/testing/hsds_files.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::directory {
namespace {

namespace json = boost::json;
using testing::ReadText;
using testing::SchemaDir;
using testing::ShippedSchema;

constexpr int64_t kDay = 86400;

const Vocabulary& Vocab() {
  static const Vocabulary v = *Vocabulary::Parse(
      ReadText(std::filesystem::path(SC_SOURCE_DIR) / "data" / "directory" / "vocabulary.json"));
  return v;
}

// A service with an openings capacity confirmed at `confirmed` and one licence.
struct Fixture {
  Record service;
  std::vector<Record> children;
};

std::string DateTime(int64_t unix) { return core::FormatRfc3339(core::FromUnixSeconds(unix)); }

Fixture Provider(int64_t available, std::optional<int64_t> confirmed,
                 const std::string& licence_expires, const std::string& assured) {
  Fixture f;
  f.service = {"service", "5d6e7f80-1111-4222-8333-944455566677",
               json::object{{"id", "5d6e7f80-1111-4222-8333-944455566677"},
                            {"name", "Demo Therapy (fictional)"},
                            {"status", "active"},
                            {"assured_date", assured}}};
  json::object capacity{{"id", "c1"},
                        {"service_id", f.service.id},
                        {"unit_id", Vocab().openings_unit().id},
                        {"available", available}};
  if (confirmed) capacity["updated"] = DateTime(*confirmed);
  f.children.push_back({"service_capacity", "c1", capacity});
  json::object licence{{"type", "LPC"},
                       {"jurisdiction", "US-TN"},
                       {"number", "DEMO-1"},
                       {"expires", licence_expires},
                       {"compacts", json::array{"PSYPACT"}}};
  f.children.push_back({"attribute", "a1",
                        json::object{{"id", "a1"},
                                     {"link_id", f.service.id},
                                     {"link_entity", "service"},
                                     {"taxonomy_term_id", Vocab().FindByCode("fact:licence")->id},
                                     {"value", json::serialize(licence)}}});
  return f;
}

const int64_t kNow = *ParseDateTime("2026-11-25T12:00:00Z");

TEST(FreshnessTest, DatesParseStrictly) {
  EXPECT_EQ(ParseDate("1970-01-02"), kDay);
  EXPECT_EQ(ParseDate("2024-02-29"), *ParseDate("2024-02-28") + kDay);
  EXPECT_FALSE(ParseDate("2025-02-29"));
  EXPECT_FALSE(ParseDate("2025-13-01"));
  EXPECT_FALSE(ParseDate("25-01-01"));
  EXPECT_EQ(ParseDateTime("2026-11-25T13:00:00+01:00"), kNow);
  EXPECT_EQ(ParseDateTime("2026-11-25T12:00:00.250Z"), kNow);
  EXPECT_FALSE(ParseDateTime("2026-11-25T12:00:00"));  // no zone: ambiguous, refused
  EXPECT_FALSE(ParseDateTime("2026-11-25 noon"));
}

TEST(FreshnessTest, FactsAreReadFromTheHsdsRecords) {
  auto f = Provider(3, kNow - 2 * kDay, "2027-06-30", "2026-10-01");
  ServiceFacts facts = FactsOf(Vocab(), f.service, f.children);
  EXPECT_EQ(facts.openings, 3);
  EXPECT_EQ(facts.openings_confirmed_at, kNow - 2 * kDay);
  EXPECT_EQ(facts.verified_at, ParseDate("2026-10-01"));
  ASSERT_EQ(facts.licences.size(), 1u);
  EXPECT_EQ(facts.licences[0].type, "LPC");
  EXPECT_EQ(facts.licences[0].compacts, std::vector<std::string>{"PSYPACT"});
  EXPECT_EQ(facts.licences[0].expires_at, *ParseDate("2027-06-30") + kDay - 1);
}

// The issue's own example: an opening confirmed 15 days ago is not counted.
TEST(FreshnessTest, AnOpeningConfirmed15DaysAgoIsNotCounted) {
  FreshnessPolicy policy;  // 14 days
  core::ManualClock clock(core::FromUnixSeconds(kNow));
  auto confirmed_at = kNow - 15 * kDay;
  auto f = Provider(2, confirmed_at, "2028-01-01", "2026-11-01");
  OpeningsView view =
      Openings(FactsOf(Vocab(), f.service, f.children), core::ToUnixSeconds(clock.Now()), policy);
  EXPECT_EQ(view.count, 0);
  EXPECT_TRUE(view.stale);
  EXPECT_EQ(view.last_confirmed_at, confirmed_at);  // the listing shows when

  // Confirmed 14 days ago to the second: still counts. One second later: it does not.
  f = Provider(2, kNow - 14 * kDay, "2028-01-01", "2026-11-01");
  auto facts = FactsOf(Vocab(), f.service, f.children);
  EXPECT_EQ(Openings(facts, kNow, policy).count, 2);
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Openings(facts, core::ToUnixSeconds(clock.Now()), policy).count, 0);

  // The window is configurable.
  policy.openings_window_seconds = 30 * kDay;
  f = Provider(2, confirmed_at, "2028-01-01", "2026-11-01");
  EXPECT_EQ(Openings(FactsOf(Vocab(), f.service, f.children), kNow, policy).count, 2);
}

TEST(FreshnessTest, NoOpeningsOrNoConfirmationNeverCount) {
  auto none = Provider(0, kNow, "2028-01-01", "2026-11-01");
  auto view = Openings(FactsOf(Vocab(), none.service, none.children), kNow, {});
  EXPECT_EQ(view.count, 0);
  EXPECT_FALSE(view.stale);  // nothing to go stale
  auto unconfirmed = Provider(4, std::nullopt, "2028-01-01", "2026-11-01");
  view = Openings(FactsOf(Vocab(), unconfirmed.service, unconfirmed.children), kNow, {});
  EXPECT_EQ(view.count, 0);
  EXPECT_TRUE(view.stale);
}

TEST(FreshnessTest, LicencesAndOldProfilesGoToTheVerificationQueue) {
  FreshnessPolicy policy;  // licence warning 60 days, unverified after 365
  auto fine = Provider(1, kNow, "2027-06-30", "2026-06-01");
  EXPECT_TRUE(
      VerificationNeeds(FactsOf(Vocab(), fine.service, fine.children), kNow, policy).empty());

  auto expiring = Provider(1, kNow, "2027-01-10", "2026-06-01");
  auto items =
      VerificationNeeds(FactsOf(Vocab(), expiring.service, expiring.children), kNow, policy);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason, VerifyReason::kLicenceExpiring);
  EXPECT_EQ(items[0].detail, "LPC US-TN");

  auto expired_and_old = Provider(1, kNow, "2026-11-24", "2025-11-01");
  items = VerificationNeeds(FactsOf(Vocab(), expired_and_old.service, expired_and_old.children),
                            kNow, policy);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].reason, VerifyReason::kLicenceExpired);
  EXPECT_EQ(items[1].reason, VerifyReason::kUnverified);
  EXPECT_EQ(items[1].due_at, *ParseDate("2025-11-01") + 365 * kDay);

  // A licence expiring today is not expired until the day is over.
  auto today = Provider(1, kNow, "2026-11-25", "2026-06-01");
  items = VerificationNeeds(FactsOf(Vocab(), today.service, today.children), kNow, policy);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].reason, VerifyReason::kLicenceExpiring);
}

// The dashboard over a generated directory agrees with a brute-force count of the same
// rules over the same records.
TEST(FreshnessTest, DashboardOverAGeneratedDirectoryMatchesABruteForceCount) {
  std::vector<Record> records;
  GeneratorOptions options;
  options.providers = 400;
  options.seed = 11;
  options.today = "2026-11-25";
  auto cities = ParseZone1970(ReadText("/usr/share/zoneinfo/zone1970.tab"));
  ASSERT_TRUE(cities);
  ASSERT_TRUE(GenerateDirectory(options, Vocab(), *cities, [&](Record r) -> core::Status {
    records.push_back(std::move(r));
    return core::Ok();
  }));
  json::object tabular;
  for (const auto& r : records) {
    auto& list = tabular[r.resource];
    if (!list.is_array()) list = json::array();
    list.as_array().push_back(r.fields);
  }
  core::ManualClock clock(core::FromUnixSeconds(kNow));
  domain::testing::MemoryRunner runner;
  DirectoryService service(runner, clock, ShippedSchema(),
                           ReadText(SchemaDir() / "datapackage.json"));
  ImportSource source;
  source.name = "generated.json";
  const std::string text = json::serialize(tabular);
  source.open = [text]() { return std::make_unique<std::istringstream>(text); };
  auto imported = service.Import(source, {});
  ASSERT_TRUE(imported && imported->imported);

  FreshnessPolicy policy;
  auto report = service.Freshness(Vocab(), policy, 50);
  ASSERT_TRUE(report) << report.error().message;

  FreshnessSummary expected;
  int64_t queue = 0;
  for (const auto& r : records) {
    if (r.resource != "service" || IndexOf(r).hidden) continue;
    std::vector<Record> children;
    for (const auto& c : records) {
      const auto* link = c.fields.if_contains(c.resource == "attribute" ? "link_id" : "service_id");
      if ((c.resource == "attribute" || c.resource == "service_capacity") && link &&
          link->is_string() && link->get_string() == r.id) {
        children.push_back(c);
      }
    }
    auto facts = FactsOf(Vocab(), r, children);
    AddToSummary(expected, facts, kNow, policy);
    queue += static_cast<int64_t>(VerificationNeeds(facts, kNow, policy).size());
  }
  const auto& got = report->summary;
  EXPECT_EQ(got.services, expected.services);
  EXPECT_GT(got.services, 380);
  EXPECT_EQ(got.verified_30_days, expected.verified_30_days);
  EXPECT_EQ(got.verified_90_days, expected.verified_90_days);
  EXPECT_EQ(got.licences_expiring, expected.licences_expiring);
  EXPECT_EQ(got.licences_expired, expected.licences_expired);
  EXPECT_EQ(got.silent, expected.silent);
  EXPECT_EQ(got.openings_counted, expected.openings_counted);
  // The generator's spread makes every figure non-trivial.
  EXPECT_GT(got.silent, 0);
  EXPECT_GT(got.openings_counted, 0);
  EXPECT_GT(got.licences_expired + got.licences_expiring, 0);
  EXPECT_EQ(report->queue_total, queue);
  ASSERT_EQ(report->queue.size(), 50u);
  for (size_t i = 1; i < report->queue.size(); ++i) {
    EXPECT_LE(report->queue[i - 1].reason, report->queue[i].reason);
  }
}

}  // namespace
}  // namespace soundcheck::domain::directory
