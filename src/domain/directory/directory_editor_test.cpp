// Staff and provider edits of the directory: history, versions, ownership, listing states,
// openings confirmations under a manual clock.
#include "domain/directory/directory_editor.h"
#include "domain/directory/provider_notices.h"

#include <gtest/gtest.h>

#include <sstream>

#include "crypto/init.h"
#include "crypto/random.h"
#include "domain/directory/hsds_codec.h"
#include "domain/directory/testing/hsds_files.h"
#include "domain/keys/key_service.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::directory {
namespace {

namespace json = boost::json;
using accounts::Caller;
using accounts::Role;
using testing::ReadText;
using testing::SchemaDir;
using testing::ShippedSchema;

constexpr int64_t kDay = 86400;
constexpr const char* kOrg = "0a0b0c0d-1111-4222-8333-000000000001";
constexpr const char* kOtherOrg = "0a0b0c0d-1111-4222-8333-000000000002";
constexpr const char* kService = "0a0b0c0d-1111-4222-8333-00000000000a";
constexpr const char* kOtherService = "0a0b0c0d-1111-4222-8333-00000000000b";

const Vocabulary& Vocab() {
  static const Vocabulary v = *Vocabulary::Parse(
      ReadText(std::filesystem::path(SC_SOURCE_DIR) / "data" / "directory" / "vocabulary.json"));
  return v;
}

class DirectoryEditorTest : public ::testing::Test {
 protected:
  DirectoryEditorTest()
      : clock_(core::FromUnixSeconds(*ParseDateTime("2026-11-25T12:00:00Z"))),
        master_(*crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-1")),
        keys_(master_),
        audit_(keys_, clock_, ids_),
        directory_(runner_, clock_, ShippedSchema(), ReadText(SchemaDir() / "datapackage.json")),
        editor_(runner_, clock_, ids_, keys_, audit_, directory_, Vocab(), FreshnessPolicy{}) {}
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  void SetUp() override {
    // Two fictional practices, one service each; a provider account for the first.
    json::object doc{
        {"organization",
         json::array{
             json::object{{"id", kOrg}, {"name", "Demo Practice A"}, {"description", "d"}},
             json::object{{"id", kOtherOrg}, {"name", "Demo Practice B"}, {"description", "d"}}}},
        {"service", json::array{json::object{{"id", kService},
                                             {"organization_id", kOrg},
                                             {"name", "Demo Tour Therapy"},
                                             {"status", "active"},
                                             {"assured_date", "2025-10-01"}},
                                json::object{{"id", kOtherService},
                                             {"organization_id", kOtherOrg},
                                             {"name", "Demo Other"},
                                             {"status", "active"}}}}};
    ImportSource source;
    source.name = "seed.json";
    const std::string text = json::serialize(doc);
    source.open = [text]() { return std::make_unique<std::istringstream>(text); };
    auto report = directory_.Import(source, {});
    ASSERT_TRUE(report && report->imported);
    runner_.state().users["prov-1"] = {};
    runner_.state().users["prov-1"].id = "prov-1";
    runner_.state().users["prov-1"].role = "provider";
    ASSERT_TRUE(editor_.LinkProvider(Staff(), "prov-1", kOrg));
  }

  Caller Staff() { return {{"staff-1", Role::kSupervisor}, "req"}; }
  Caller Provider() { return {{"prov-1", Role::kProvider}, "req"}; }
  int64_t Version(const std::string& id) {
    return runner_.state().directory.rows.at({"service", id}).stored.modified_at;
  }
  json::object Fields(const std::string& id) {
    return runner_.state().directory.rows.at({"service", id}).stored.record.fields;
  }

  core::ManualClock clock_;
  core::SequentialIdGenerator ids_;
  crypto::MasterKey master_;
  domain::testing::MemoryRunner runner_;
  keys::KeyService keys_;
  audit::AuditLog audit_;
  DirectoryService directory_;
  DirectoryEditor editor_;
};

TEST_F(DirectoryEditorTest, StaffEditKeepsHistoryAndChecksTheVersion) {
  const int64_t v1 = Version(kService);
  clock_.Advance(std::chrono::minutes(5));
  auto edited = editor_.Edit(Staff(), kService,
                             json::object{{"description", "Therapy for touring crew (fictional)"},
                                          {"name", "Demo Tour Therapy"}},  // unchanged: no history
                             v1);
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_GT(edited->modified_at, v1);
  EXPECT_EQ(Fields(kService).at("description").as_string(), "Therapy for touring crew (fictional)");

  auto detail = editor_.Detail(Staff(), kService);
  ASSERT_TRUE(detail);
  // Newest first: the edit, then the seed import that added the listing.
  ASSERT_EQ(detail->history.size(), 2u);
  EXPECT_EQ(detail->history[1].action, "import");
  EXPECT_EQ(detail->history[1].field, "added");
  EXPECT_EQ(detail->history[1].after, "\"seed.json\"");
  EXPECT_EQ(detail->history[1].actor_id, "system");
  EXPECT_EQ(detail->history[0].field, "description");
  EXPECT_EQ(detail->history[0].actor_id, "staff-1");
  EXPECT_EQ(detail->history[0].before, "");
  EXPECT_EQ(detail->history[0].after, "\"Therapy for touring crew (fictional)\"");
  EXPECT_EQ(detail->history[0].at, core::ToUnixSeconds(clock_.Now()));

  // A second edit against the old version is refused and changes nothing.
  auto stale = editor_.Edit(Staff(), kService, json::object{{"name", "Other"}}, v1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Fields(kService).at("name").as_string(), "Demo Tour Therapy");
}

TEST_F(DirectoryEditorTest, EditsThatWouldBreakHsdsOrTouchKeysAreRefused) {
  auto bad_status =
      editor_.Edit(Staff(), kService, json::object{{"status", "open"}}, Version(kService));
  ASSERT_FALSE(bad_status);
  EXPECT_EQ(bad_status.error().code, core::ErrorCode::kUnprocessable);
  EXPECT_EQ(bad_status.error().fields.at(0).field, "/status");
  auto key = editor_.Edit(Staff(), kService, json::object{{"organization_id", kOtherOrg}},
                          Version(kService));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().fields.at(0).field, "/organization_id");
  auto empty_name = editor_.Edit(Staff(), kService, json::object{{"name", ""}}, Version(kService));
  ASSERT_FALSE(empty_name);
  EXPECT_EQ(empty_name.error().fields.at(0).field, "/name");
  EXPECT_EQ(Fields(kService).at("name").as_string(), "Demo Tour Therapy");
}

TEST_F(DirectoryEditorTest, VerifyRecordsTodayAndLeavesTheQueue) {
  auto before = editor_.Detail(Staff(), kService);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->summary.needs.size(), 1u);  // verified 2025-10-01: over a year ago
  EXPECT_EQ(before->summary.needs[0].reason, VerifyReason::kUnverified);
  auto verified = editor_.Verify(Staff(), kService);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->needs.empty());
  EXPECT_EQ(Fields(kService).at("assured_date").as_string(), "2026-11-25");
  auto detail = editor_.Detail(Staff(), kService);
  EXPECT_EQ(detail->history.at(0).action, "verify");
}

TEST_F(DirectoryEditorTest, ProvidersConfirmOpeningsWhichGoStaleAfterTheWindow) {
  auto confirmed = editor_.ConfirmOpenings(Provider(), kService, 3);
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->openings.count, 3);
  EXPECT_FALSE(confirmed->openings.stale);

  clock_.Advance(std::chrono::hours(24 * 14));
  auto mine = editor_.MyServices(Provider());
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).openings.count, 3);  // 14 days: still counts

  clock_.Advance(std::chrono::hours(24));
  mine = editor_.MyServices(Provider());
  EXPECT_EQ(mine->at(0).openings.count, 0);  // 15 days: not counted
  EXPECT_TRUE(mine->at(0).openings.stale);
  EXPECT_EQ(mine->at(0).openings.last_confirmed_at, *ParseDateTime("2026-11-25T12:00:00Z"));

  // One click later it counts again, and the history shows both confirmations.
  ASSERT_TRUE(editor_.ConfirmOpenings(Provider(), kService, 2));
  auto detail = editor_.MyService(Provider(), kService);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->summary.openings.count, 2);
  ASSERT_EQ(detail->history.size(), 3u);  // two confirmations and the import
  EXPECT_EQ(detail->history[0].before, "3");
  EXPECT_EQ(detail->history[0].after, "2");
  EXPECT_EQ(editor_.ConfirmOpenings(Provider(), kService, -1).error().code,
            core::ErrorCode::kUnprocessable);
}

TEST_F(DirectoryEditorTest, ProvidersSeeAndChangeOnlyTheirOwnOrganization) {
  EXPECT_EQ(editor_.MyService(Provider(), kOtherService).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(editor_.ConfirmOpenings(Provider(), kOtherService, 1).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(editor_.SetListing(Provider(), kOtherService, ListingState::kPaused).error().code,
            core::ErrorCode::kNotFound);
  // An unlinked provider sees nothing at all.
  Caller stranger{{"prov-2", Role::kProvider}, "req"};
  auto none = editor_.MyServices(stranger);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  // Providers may not change the status directly (only pause or remove).
  auto status = editor_.ProviderEdit(Provider(), kService, json::object{{"status", "defunct"}},
                                     Version(kService));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().fields.at(0).field, "/status");
}

TEST_F(DirectoryEditorTest, PausedAndRemovedListingsAreHiddenAndRemovalIsFinal) {
  auto paused = editor_.SetListing(Provider(), kService, ListingState::kPaused);
  ASSERT_TRUE(paused);
  EXPECT_EQ(paused->status, "inactive");
  EXPECT_TRUE(runner_.state().directory.rows.at({"service", kService}).index.hidden);
  ASSERT_TRUE(editor_.SetListing(Provider(), kService, ListingState::kListed));
  EXPECT_FALSE(runner_.state().directory.rows.at({"service", kService}).index.hidden);
  ASSERT_TRUE(editor_.SetListing(Provider(), kService, ListingState::kRemoved));
  EXPECT_EQ(Fields(kService).at("status").as_string(), "defunct");
  auto back = editor_.SetListing(Provider(), kService, ListingState::kListed);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, core::ErrorCode::kConflict);
  auto detail = editor_.Detail(Staff(), kService);
  ASSERT_EQ(detail->history.size(), 4u);  // three listing changes and the import
  EXPECT_EQ(detail->history[0].after, "\"defunct\"");
}

TEST_F(DirectoryEditorTest, AnImportNeverPutsBackAListingTakenDown) {
  ASSERT_TRUE(editor_.SetListing(Provider(), kService, ListingState::kPaused));
  // The source system still lists it as active, and renames it.
  const std::string text = json::serialize(json::object{
      {"service", json::array{json::object{{"id", kService},
                                           {"organization_id", kOrg},
                                           {"name", "Demo Tour Therapy (renamed)"},
                                           {"status", "active"}}}}});
  ImportSource source;
  source.name = "again.json";
  source.open = [text]() { return std::make_unique<std::istringstream>(text); };
  auto report = directory_.Import(source, {});
  ASSERT_TRUE(report && report->imported);
  EXPECT_EQ(report->held, 1);
  EXPECT_EQ(Fields(kService).at("status").as_string(), "inactive");
  EXPECT_EQ(Fields(kService).at("name").as_string(), "Demo Tour Therapy (renamed)");
  // A listing nobody took down follows the import.
  const std::string other = json::serialize(
      json::object{{"service", json::array{json::object{{"id", kOtherService},
                                                        {"organization_id", kOtherOrg},
                                                        {"name", "Demo Other"},
                                                        {"status", "inactive"}}}}});
  source.open = [other]() { return std::make_unique<std::istringstream>(other); };
  ASSERT_TRUE(directory_.Import(source, {}));
  source.open = [text = json::serialize(json::object{
                     {"service", json::array{json::object{{"id", kOtherService},
                                                          {"organization_id", kOtherOrg},
                                                          {"name", "Demo Other"},
                                                          {"status", "active"}}}}})]() {
    return std::make_unique<std::istringstream>(text);
  };
  auto back = directory_.Import(source, {});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->held, 0);
  EXPECT_EQ(Fields(kOtherService).at("status").as_string(), "active");
}

TEST_F(DirectoryEditorTest, LinkingNeedsAProviderAccountAndAKnownOrganization) {
  runner_.state().users["cm-1"] = {};
  runner_.state().users["cm-1"].id = "cm-1";
  runner_.state().users["cm-1"].role = "case_manager";
  EXPECT_EQ(editor_.LinkProvider(Staff(), "cm-1", kOrg).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(
      editor_.LinkProvider(Staff(), "prov-1", "0a0b0c0d-1111-4222-8333-0000000000ff").error().code,
      core::ErrorCode::kUnprocessable);
  auto link = editor_.ProviderLink(Staff(), "prov-1");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->organization_id, kOrg);
  EXPECT_TRUE(link->organization_name.has_value());
  EXPECT_EQ(editor_.ProviderLink(Staff(), "cm-1").error().code, core::ErrorCode::kNotFound);
}

TEST_F(DirectoryEditorTest, ConfirmingWithoutACountKeepsTheLastOne) {
  ASSERT_TRUE(editor_.ConfirmOpenings(Provider(), kService, 4));
  clock_.Advance(std::chrono::hours(24 * 20));
  auto before = editor_.MyServices(Provider());
  ASSERT_TRUE(before);
  EXPECT_EQ(before->at(0).openings.count, 0);  // 20 days: no longer counted
  EXPECT_EQ(before->at(0).openings.available, std::optional<int64_t>(4));
  EXPECT_TRUE(before->at(0).openings.stale);
  core::Result<ServiceSummary> again = core::Error::Internal("not run");
  ASSERT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    again = editor_.ConfirmOpeningsIn(uow, Provider(), kService, std::nullopt);
    return again ? core::Ok() : core::Status(again.error());
  }));
  EXPECT_EQ(again->openings.count, 4);
  EXPECT_FALSE(again->openings.stale);
}

TEST_F(DirectoryEditorTest, BrowseSearchesHiddenListingsToo) {
  ASSERT_TRUE(editor_.SetListing(Provider(), kService, ListingState::kPaused));
  auto page = editor_.Browse(Staff(), "tour THERAPY", 1, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->services[0].id, kService);
  EXPECT_EQ(page->services[0].status, "inactive");
  page = editor_.Browse(Staff(), "", 2, 1);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->services.size(), 1u);
}

// --- the reminder job and the one-click check-in (provider_notices.h) ---

ServiceSummary Listed(std::optional<int64_t> confirmed, std::vector<VerifyItem> needs = {}) {
  ServiceSummary s;
  s.id = kService;
  s.status = "active";
  s.openings.last_confirmed_at = confirmed;
  s.needs = std::move(needs);
  return s;
}

TEST(PlanNoticesTest, AsksWeeklyOnlyWhenOpeningsWentUnconfirmed) {
  const int64_t now = 100 * kDay;
  NoticePolicy policy;  // 7 days
  EXPECT_TRUE(PlanNotices(Listed(std::nullopt), std::nullopt, std::nullopt, now, policy).checkin);
  EXPECT_FALSE(
      PlanNotices(Listed(now - 6 * kDay), std::nullopt, std::nullopt, now, policy).checkin);
  EXPECT_TRUE(PlanNotices(Listed(now - 7 * kDay), std::nullopt, std::nullopt, now, policy).checkin);
  // Asked six days ago: not again yet; seven days ago: again.
  EXPECT_FALSE(
      PlanNotices(Listed(now - 30 * kDay), now - 6 * kDay, std::nullopt, now, policy).checkin);
  EXPECT_TRUE(
      PlanNotices(Listed(now - 30 * kDay), now - 7 * kDay, std::nullopt, now, policy).checkin);
  // Paused and removed listings are left alone.
  auto paused = Listed(std::nullopt, {{kService, VerifyReason::kUnverified, now, ""}});
  paused.status = "inactive";
  auto plan = PlanNotices(paused, std::nullopt, std::nullopt, now, policy);
  EXPECT_FALSE(plan.checkin);
  EXPECT_TRUE(plan.reminders.empty());
}

TEST(PlanNoticesTest, RemindsOfWhatStaffWouldCheckAtMostOncePerInterval) {
  const int64_t now = 100 * kDay;
  NoticePolicy policy;
  auto s = Listed(now, {{kService, VerifyReason::kLicenceExpiring, now + 20 * kDay, "LCSW CA"}});
  EXPECT_EQ(PlanNotices(s, std::nullopt, std::nullopt, now, policy).reminders.size(), 1u);
  EXPECT_TRUE(PlanNotices(s, std::nullopt, now - kDay, now, policy).reminders.empty());
  EXPECT_EQ(PlanNotices(s, std::nullopt, now - 7 * kDay, now, policy).reminders.size(), 1u);
  EXPECT_TRUE(PlanNotices(Listed(now), std::nullopt, std::nullopt, now, policy).reminders.empty());
}

class ProviderNoticesTest : public DirectoryEditorTest {
 protected:
  ProviderNoticesTest()
      : mail_(*mail::MailService::Create(Catalogs(), keys_, clock_, ids_)),
        notices_(runner_, clock_, ids_, keys_, &mail_, editor_,
                 NoticePolicy{7 * kDay, 14 * kDay, "https://help.example.test"}) {}

  static core::i18n::Translations Catalogs() {
    auto t =
        core::i18n::Translations::Load(std::string(SC_SOURCE_DIR) + "/i18n", "mail", {"en", "es"});
    EXPECT_TRUE(t) << t.error().message;
    return std::move(t).value();
  }

  void SetUp() override {
    DirectoryEditorTest::SetUp();
    // Sealed in a unit of work (which creates the data key); stored after it commits.
    std::string email, name;
    ASSERT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(email, keys_.Seal(uow, "prov-1", {"users", "email", "prov-1"},
                                            "provider-1@example.test"));
      SC_ASSIGN_OR_RETURN(name,
                          keys_.Seal(uow, "prov-1", {"users", "name", "prov-1"}, "Demo Provider"));
      return core::Ok();
    }));
    runner_.state().users["prov-1"].email_sealed = email;
    runner_.state().users["prov-1"].name_sealed = name;
  }

  // Every queued mail, opened: (template, body).
  std::vector<std::pair<std::string, std::string>> Outbox() {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(runner_.Run([&](UnitOfWork& uow) -> core::Status {
      for (const auto& [id, row] : runner_.state().mail.rows) {
        SC_ASSIGN_OR_RETURN(auto opened, mail_.Open(uow, row));
        out.emplace_back(opened.template_key, opened.body);
      }
      return core::Ok();
    }));
    return out;
  }

  static std::string TokenIn(const std::string& body) {
    const std::string marker = "/provider/checkin#t=";
    auto at = body.find(marker);
    if (at == std::string::npos) return "";
    auto start = at + marker.size();
    auto end = body.find_first_of(" \n", start);
    return body.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }

  mail::MailService mail_;
  ProviderNotices notices_;
};

TEST_F(ProviderNoticesTest, SendsTheWeeklyCheckinAndRemindersOnceThenWaitsAWeek) {
  auto first = notices_.SendDue();
  ASSERT_TRUE(first) << first.error().message;
  // Never confirmed → a check-in; assured 2025-10-01, over a year ago → a profile reminder.
  EXPECT_EQ(*first, (NoticeCounts{1, 1, 1}));
  auto mails = Outbox();
  ASSERT_EQ(mails.size(), 2u);
  std::map<std::string, std::string> by_template(mails.begin(), mails.end());
  ASSERT_TRUE(by_template.count("mail.openings_checkin"));
  ASSERT_TRUE(by_template.count("mail.profile_review"));
  EXPECT_NE(by_template["mail.openings_checkin"].find("Demo Tour Therapy"), std::string::npos);
  EXPECT_FALSE(TokenIn(by_template["mail.openings_checkin"]).empty());

  clock_.Advance(std::chrono::hours(24 * 6));
  EXPECT_EQ(*notices_.SendDue(), (NoticeCounts{1, 0, 0}));
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(*notices_.SendDue(), (NoticeCounts{1, 1, 1}));
  // Confirmed in the portal: no check-in is due for a week; verified: no reminder.
  ASSERT_TRUE(editor_.ConfirmOpenings(Provider(), kService, 2));
  ASSERT_TRUE(editor_.Verify(Staff(), kService));
  clock_.Advance(std::chrono::hours(24 * 7));
  EXPECT_EQ(*notices_.SendDue(), (NoticeCounts{1, 1, 0}));
}

TEST_F(ProviderNoticesTest, TheLinkConfirmsOpeningsExactlyOnce) {
  ASSERT_TRUE(editor_.ConfirmOpenings(Provider(), kService, 3));
  clock_.Advance(std::chrono::hours(24 * 20));  // openings no longer counted
  ASSERT_TRUE(notices_.SendDue());
  std::string token;
  for (const auto& [key, body] : Outbox()) {
    if (key != "mail.openings_checkin") continue;
    token = TokenIn(body);
    // The count the provider gave, though it no longer counts: that is what we ask about.
    EXPECT_NE(body.find("shows 3 opening(s)"), std::string::npos) << body;
  }
  ASSERT_FALSE(token.empty());
  clock_.Advance(std::chrono::hours(2));
  auto done = notices_.Redeem(token, std::nullopt, "req-1");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->service_id, kService);
  EXPECT_EQ(done->service_name, "Demo Tour Therapy");
  EXPECT_EQ(done->openings.count, 3);
  EXPECT_EQ(done->openings.last_confirmed_at, core::ToUnixSeconds(clock_.Now()));
  auto again = notices_.Redeem(token, std::nullopt, "req-2");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "link-expired");
  EXPECT_EQ(notices_.Redeem("not-a-real-token-at-all-000", std::nullopt, "r").error().reason,
            "link-expired");
  auto history = editor_.Detail(Staff(), kService)->history;
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history[0].action, "openings");
  EXPECT_EQ(history[0].actor_id, "prov-1");
}

TEST_F(ProviderNoticesTest, AnExpiredOrOrphanedLinkConfirmsNothing) {
  ASSERT_TRUE(notices_.SendDue());
  std::string token;
  for (const auto& [key, body] : Outbox()) {
    if (key == "mail.openings_checkin") token = TokenIn(body);
  }
  ASSERT_FALSE(token.empty());
  // The account now speaks for another organization: the link is void.
  ASSERT_TRUE(editor_.LinkProvider(Staff(), "prov-1", kOtherOrg));
  EXPECT_EQ(notices_.Redeem(token, 5, "r").error().reason, "link-expired");
  ASSERT_TRUE(editor_.LinkProvider(Staff(), "prov-1", kOrg));
  clock_.Advance(std::chrono::hours(24 * 14));  // past the link's lifetime
  EXPECT_EQ(notices_.Redeem(token, 5, "r").error().reason, "link-expired");
  auto mine = editor_.MyServices(Provider());
  EXPECT_FALSE(mine->at(0).openings.last_confirmed_at.has_value());
}

}  // namespace
}  // namespace soundcheck::domain::directory
