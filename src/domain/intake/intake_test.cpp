// Intake and the case queue on in-memory repositories: validation, sealing, urgency,
// idempotent retries, and who sees which case.
#include <gtest/gtest.h>

#include "crypto/init.h"
#include "crypto/random.h"
#include "domain/cases/case_service.h"
#include "domain/intake/intake_service.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::intake {
namespace {

using accounts::Caller;
using accounts::Role;

IntakeInput Valid() {
  IntakeInput in;
  in.for_whom = "self";
  in.preferred_name = "Robin";
  in.language = "en";
  in.contact.phone = "+1 615 555 0100";
  in.contact.preferred = "text";
  in.contact.text_ok = true;
  in.industry_role = "touring_crew";
  in.location = {"US", "US-TN", "Nashville", "America/Chicago"};
  in.on_tour = true;
  in.on_tour_until = "2026-12-20";
  in.requests = {"therapy"};
  in.screenings.push_back({"phq2", {1, 1}});
  in.privacy_notice_version = "2026-11";
  in.consent_contact = true;
  in.src = "venue:ryman";
  in.raw_json = R"({"the":"request as received"})";
  return in;
}

class IntakeTest : public ::testing::Test {
 protected:
  IntakeTest()
      : clock_(core::FromUnixSeconds(1'790'000'000)),
        master_(*crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-1")),
        keys_(master_),
        audit_(keys_, clock_, ids_),
        intake_(runner_, keys_, audit_, clock_, ids_, {},
                [](std::string_view tz) { return tz == "America/Chicago"; }),
        cases_(runner_, keys_, audit_, clock_, ids_) {}
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  Caller As(Role role, std::string id) {
    accounts::Principal p;
    p.user_id = std::move(id);
    p.role = role;
    return {p, "req"};
  }

  core::ManualClock clock_;
  core::SequentialIdGenerator ids_;
  crypto::MasterKey master_;
  testing::MemoryRunner runner_;
  keys::KeyService keys_;
  audit::AuditLog audit_;
  IntakeService intake_;
  cases::CaseService cases_;
};

TEST_F(IntakeTest, AValidIntakeOpensACaseWithSealedAnswers) {
  auto r = intake_.Submit(Valid(), "key-00000001", "req");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->reference.rfind("SC-", 0), 0u);
  EXPECT_EQ(r->reference.size(), 12u);
  EXPECT_FALSE(r->urgent);
  EXPECT_EQ(r->contact_within_hours, 24);
  auto& st = runner_.state();
  ASSERT_EQ(st.cases.size(), 1u);
  const auto& c = st.cases.begin()->second;
  EXPECT_EQ(c.status, "new");
  EXPECT_EQ(c.src, "venue:ryman");
  EXPECT_EQ(c.requests, "therapy");
  EXPECT_EQ(c.first_contact_due_at, 1'790'000'000 + 24 * 3600);
  const auto& person = st.people.begin()->second;
  EXPECT_EQ(person.preferred_name_sealed.find("Robin"), std::string::npos);
  EXPECT_EQ(person.contact_sealed.find("615"), std::string::npos);
  EXPECT_EQ(st.intakes.begin()->second.answers_sealed.find("as received"), std::string::npos);
  EXPECT_EQ(st.audit.size(), 1u);
  EXPECT_EQ(st.audit.begin()->second.action, "intake.create");
  ASSERT_EQ(st.case_events.size(), 1u);
  EXPECT_EQ(st.case_events[0].type, "case.created");
}

TEST_F(IntakeTest, ARiskAnswerMakesTheCaseUrgent) {
  auto in = Valid();
  in.language = "es";
  in.screenings = {{"phq9", {0, 0, 0, 0, 0, 0, 0, 0, 1}}};
  EXPECT_TRUE(HasRiskAnswer(in));
  auto r = intake_.Submit(in, "key-00000002", "req");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->urgent);
  EXPECT_EQ(r->contact_within_hours, 1);
  EXPECT_EQ(r->language, "es");
  EXPECT_TRUE(runner_.state().cases.begin()->second.urgent);
}

TEST_F(IntakeTest, ARetryAnswersAsTheFirstTimeAndMakesNoSecondCase) {
  auto first = intake_.Submit(Valid(), "key-retry-1", "req");
  auto second = intake_.Submit(Valid(), "key-retry-1", "req");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->reference, second->reference);
  EXPECT_FALSE(first->replayed);
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(runner_.state().cases.size(), 1u);
  auto other = Valid();
  other.raw_json = R"({"a":"different request"})";
  auto reused = intake_.Submit(other, "key-retry-1", "req");
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().reason, "idempotency-key-reused");
  auto no_key = intake_.Submit(Valid(), "", "req");
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(IntakeTest, InvalidAnswersNameTheirFieldsAndStoreNothing) {
  auto in = Valid();
  in.for_whom = "family";  // relationship missing
  in.contact = {};
  in.contact.preferred = "email";
  in.contact.email = "not-an-email";
  in.location.country = "usa";
  in.location.time_zone = "Mars/Olympus";
  in.requests = {"therapy", "massage"};
  in.screenings = {{"phq9", {1, 2}}};
  in.consent_contact = false;
  auto r = intake_.Submit(in, "key-invalid-1", "req");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnprocessable);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  for (const char* f :
       {"/relationship", "/contact/email", "/location/country", "/location/time_zone",
        "/requests/1", "/screenings/0/answers", "/consents/contact"}) {
    EXPECT_TRUE(fields.count(f)) << f;
  }
  for (const auto& f : r.error().fields) {
    EXPECT_EQ(f.message.find("not-an-email"), std::string::npos);  // never echoed
  }
  EXPECT_TRUE(runner_.state().cases.empty());
  EXPECT_TRUE(runner_.state().people.empty());
}

TEST_F(IntakeTest, TheQueueIsUrgentFirstThenOldestAndVisibilityHolds) {
  ASSERT_TRUE(intake_.Submit(Valid(), "key-q-000001", "req"));
  clock_.Advance(std::chrono::minutes(5));
  auto risky = Valid();
  risky.screenings = {{"phq9", {0, 0, 0, 0, 0, 0, 0, 0, 2}}};
  risky.raw_json = "risky";
  ASSERT_TRUE(intake_.Submit(risky, "key-q-000002", "req"));
  clock_.Advance(std::chrono::minutes(5));
  auto third = Valid();
  third.raw_json = "third";
  ASSERT_TRUE(intake_.Submit(third, "key-q-000003", "req"));

  auto page = cases_.List(As(Role::kSupervisor, "sup"), {}, "", 2);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_TRUE(page->items[0].urgent);
  EXPECT_FALSE(page->items[1].urgent);
  ASSERT_FALSE(page->next_cursor.empty());
  auto rest = cases_.List(As(Role::kSupervisor, "sup"), {}, page->next_cursor, 2);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_TRUE(rest->next_cursor.empty());
  EXPECT_GT(rest->items[0].created_at, page->items[1].created_at);

  // Assign one case to someone else: a case manager no longer sees it.
  auto& c = runner_.state().cases.at(page->items[1].id);
  c.assigned_to = "other-cm";
  auto cm = cases_.List(As(Role::kCaseManager, "cm-1"), {}, "", 50);
  ASSERT_TRUE(cm);
  EXPECT_EQ(cm->items.size(), 2u);
  auto hidden = cases_.Get(As(Role::kCaseManager, "cm-1"), page->items[1].id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, core::ErrorCode::kNotFound);
  auto sup = cases_.Get(As(Role::kSupervisor, "sup"), page->items[1].id);
  ASSERT_TRUE(sup) << sup.error().message;
  EXPECT_EQ(sup->preferred_name, "Robin");
  EXPECT_NE(sup->contact_json.find("+1 615 555 0100"), std::string::npos);
  ASSERT_EQ(sup->screenings.size(), 1u);
  EXPECT_EQ(sup->screenings[0].instrument, "phq2");
  EXPECT_EQ(sup->timeline.size(), 1u);
  EXPECT_FALSE(cases_.List(As(Role::kSupervisor, "sup"), {"bogus", std::nullopt}, "", 5));
  EXPECT_FALSE(cases_.List(As(Role::kSupervisor, "sup"), {}, "garbage", 5));
}

TEST_F(IntakeTest, AssignmentStatusAndNotesFollowTheRules) {
  ASSERT_TRUE(intake_.Submit(Valid(), "key-w-000001", "req"));
  std::string id = runner_.state().cases.begin()->first;
  // Staff accounts the assignments point at.
  for (auto [uid, role] : {std::pair{"cm-1", "case_manager"}, std::pair{"cm-2", "case_manager"},
                           std::pair{"adm", "admin"}}) {
    accounts::UserRecord u;
    u.id = uid;
    u.email_index = uid;
    u.role = role;
    runner_.state().users[uid] = u;
  }
  auto cm1 = As(Role::kCaseManager, "cm-1");
  auto cm2 = As(Role::kCaseManager, "cm-2");
  auto sup = As(Role::kSupervisor, "sup");
  // A case manager takes an unassigned case for themself, not for others.
  EXPECT_EQ(cases_.Assign(cm1, id, "cm-2", 1).error().code, core::ErrorCode::kPermissionDenied);
  auto taken = cases_.Assign(cm1, id, "cm-1", 1);
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->version, 2);
  // Now cm-2 cannot see it at all; a stale version is refused.
  EXPECT_EQ(cases_.Get(cm2, id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(cases_.Assign(sup, id, "cm-2", 1).error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(cases_.Assign(sup, id, "adm", 2).error().code, core::ErrorCode::kUnprocessable);

  // Status moves forward only; the first move records first contact; closing needs a reason.
  clock_.Advance(std::chrono::minutes(42));
  auto contacted = cases_.SetStatus(cm1, id, "contacted", "", 2);
  ASSERT_TRUE(contacted) << contacted.error().message;
  EXPECT_EQ(*contacted->first_contact_at, 1'790'000'000 + 42 * 60);
  EXPECT_EQ(cases_.SetStatus(cm1, id, "new", "", 3).error().code, core::ErrorCode::kUnprocessable);
  EXPECT_EQ(cases_.SetStatus(cm1, id, "closed", "", 3).error().code,
            core::ErrorCode::kUnprocessable);
  ASSERT_TRUE(cases_.SetStatus(cm1, id, "closed", "Moved to another service", 3));
  EXPECT_EQ(cases_.SetStatus(cm1, id, "active", "Came back", 4).error().code,
            core::ErrorCode::kPermissionDenied);
  ASSERT_TRUE(cases_.SetStatus(sup, id, "active", "Came back", 4));

  // Notes: sealed, versioned, edited only by their author.
  auto note = cases_.AddNote(cm1, id, "Called; prefers texts after 2 pm.");
  ASSERT_TRUE(note) << note.error().message;
  bool sealed = true;
  for (const auto& n : runner_.state().notes) {
    sealed = sealed && n.body_sealed.find("prefers texts") == std::string::npos;
  }
  EXPECT_TRUE(sealed);
  EXPECT_EQ(cases_.EditNote(sup, id, note->id, "x", 1).error().code,
            core::ErrorCode::kPermissionDenied);
  auto edited = cases_.EditNote(cm1, id, note->id, "Called; prefers texts after 3 pm.", 1);
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->version, 2);
  EXPECT_EQ(cases_.EditNote(cm1, id, note->id, "stale", 1).error().code,
            core::ErrorCode::kFailedPrecondition);
  auto notes = cases_.Notes(cm1, id);
  ASSERT_TRUE(notes) << notes.error().message;
  ASSERT_EQ(notes->size(), 3u);  // the two status reasons and the edited note
  bool found = false;
  for (const auto& n : *notes) found = found || n.body == "Called; prefers texts after 3 pm.";
  EXPECT_TRUE(found);
  // Every version is kept.
  EXPECT_EQ(runner_.state().notes.size(), 4u);
  // The timeline has no personal data: the reason and the note text are not in it.
  for (const auto& e : runner_.state().case_events) {
    EXPECT_EQ(e.detail.find("prefers"), std::string::npos);
    EXPECT_EQ(e.detail.find("Moved to another"), std::string::npos);
  }
}

TEST_F(IntakeTest, ClosingANewCaseRecordsNoContact) {
  ASSERT_TRUE(intake_.Submit(Valid(), "key-c-000001", "req"));
  std::string id = runner_.state().cases.begin()->first;
  auto closed = cases_.SetStatus(As(Role::kSupervisor, "sup"), id, "closed", "Duplicate", 1);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_FALSE(closed->first_contact_at.has_value());
}

TEST_F(IntakeTest, TasksAndContactAttempts) {
  ASSERT_TRUE(intake_.Submit(Valid(), "key-t-000001", "req"));
  std::string id = runner_.state().cases.begin()->first;
  auto cm = As(Role::kCaseManager, "cm-1");
  const int64_t now = 1'790'000'000;
  EXPECT_EQ(cases_.AddTask(cm, id, "", now).error().code, core::ErrorCode::kUnprocessable);
  EXPECT_EQ(cases_.AddTask(cm, id, "x", now - 3 * 86400).error().code,
            core::ErrorCode::kUnprocessable);
  auto later = cases_.AddTask(cm, id, "Send Robin the group list", now + 7200);
  auto sooner = cases_.AddTask(cm, id, "Call back about insurance", now + 3600);
  ASSERT_TRUE(later && sooner);
  for (const auto& t : runner_.state().tasks) {
    EXPECT_EQ(t.title_sealed.find("Robin"), std::string::npos);
  }
  auto tasks = cases_.Tasks(cm, id);
  ASSERT_TRUE(tasks);
  ASSERT_EQ(tasks->size(), 2u);
  EXPECT_EQ((*tasks)[0].title, "Call back about insurance");  // open, soonest first
  auto done = cases_.CompleteTask(cm, id, sooner->id);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "done");
  EXPECT_EQ(cases_.CompleteTask(cm, id, sooner->id).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(cases_.Tasks(cm, id)->front().id, later->id);  // open tasks first

  EXPECT_EQ(cases_.LogContactAttempt(cm, id, "pigeon", "reached").error().code,
            core::ErrorCode::kUnprocessable);
  ASSERT_TRUE(cases_.LogContactAttempt(cm, id, "phone", "no_answer"));
  EXPECT_FALSE(runner_.state().cases.at(id).first_contact_at);
  clock_.Advance(std::chrono::minutes(30));
  ASSERT_TRUE(cases_.LogContactAttempt(cm, id, "text", "reached"));
  const auto& c = runner_.state().cases.at(id);
  EXPECT_EQ(*c.first_contact_at, now + 1800);
  EXPECT_EQ(c.status, "contacted");
}

TEST(ResultsCodecTest, RoundTrips) {
  screening::ScoreResult a;
  a.instrument = "phq9";
  a.score = 12;
  a.band = "moderate";
  a.positive = true;
  a.risk = "low";
  a.flags = {"safety_item9", "x"};
  screening::ScoreResult b;
  b.instrument = "cssrs";
  b.band = "high";
  b.risk = "high";
  auto back = DecodeResults(EncodeResults({a, b}));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].score, 12);
  EXPECT_EQ(back[0].flags, a.flags);
  EXPECT_FALSE(back[1].score.has_value());
  EXPECT_EQ(back[1].risk, "high");
}

}  // namespace
}  // namespace soundcheck::domain::intake
