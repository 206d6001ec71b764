// The care profile service on in-memory repositories: versions and If-Match, sealing under
// the person's key, the timeline and the audit trail, and erasure.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/init.h"
#include "crypto/random.h"
#include "domain/care_profiles/care_profile_service.h"
#include "domain/intake/intake_service.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::care_profiles {
namespace {

namespace json = boost::json;
using accounts::Caller;
using accounts::Role;

intake::IntakeInput Intake() {
  intake::IntakeInput in;
  in.for_whom = "self";
  in.preferred_name = "Fictional Person";
  in.language = "en";
  in.contact.phone = "+1 615 555 0100";
  in.contact.preferred = "text";
  in.contact.text_ok = true;
  in.industry_role = "touring_crew";
  in.location = {"US", "US-TN", "Nashville", "America/Chicago"};
  in.requests = {"therapy"};
  in.screenings.push_back({"phq2", {0, 1}});
  in.privacy_notice_version = "2026-11";
  in.consent_contact = true;
  in.raw_json = R"({"fictional":true})";
  return in;
}

class CareProfileTest : public ::testing::Test {
 protected:
  CareProfileTest()
      : clock_(core::FromUnixSeconds(1'790'000'000)),
        master_(*crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-1")),
        keys_(master_),
        audit_(keys_, clock_, ids_),
        intake_(runner_, keys_, audit_, clock_, ids_, {},
                [](std::string_view tz) { return tz == "America/Chicago"; }),
        profiles_(runner_, keys_, audit_, clock_, ids_) {}
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  void SetUp() override {
    auto r = intake_.Submit(Intake(), "key-00000001", "req");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(runner_.state().cases.size(), 1u);
    case_id_ = runner_.state().cases.begin()->first;
    person_id_ = runner_.state().cases.begin()->second.person_id;
  }

  static Caller Supervisor() {
    accounts::Principal p;
    p.user_id = "sup-1";
    p.role = Role::kSupervisor;
    return {p, "req-1"};
  }

  // A fictional profile with a value that must never appear outside its seal.
  static json::object Profile(int64_t budget) {
    return json::object{{"budget_cents", budget},
                        {"itinerary", json::array{json::object{{"from", "2026-12-05"},
                                                               {"to", "2026-12-19"},
                                                               {"jurisdiction", "US-CA"}}}},
                        {"prefer", json::object{{"gender", "canary-7f3a"}}}};
  }

  core::ManualClock clock_;
  core::SequentialIdGenerator ids_;
  crypto::MasterKey master_;
  testing::MemoryRunner runner_;
  keys::KeyService keys_;
  audit::AuditLog audit_;
  intake::IntakeService intake_;
  CareProfileService profiles_;
  std::string case_id_;
  std::string person_id_;
};

TEST_F(CareProfileTest, ACaseStartsWithNoProfile) {
  auto v = profiles_.Get(Supervisor(), case_id_);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->case_id, case_id_);
  EXPECT_EQ(v->version, 0);
  EXPECT_TRUE(v->profile.empty());
  EXPECT_EQ(v->author_id, "");
}

TEST_F(CareProfileTest, EachSaveIsTheNextVersionAndAStaleOneChangesNothing) {
  auto first = profiles_.Save(Supervisor(), case_id_, Profile(9000), 0);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->author_id, "sup-1");
  EXPECT_EQ(first->created_at, 1'790'000'000);
  clock_.Advance(std::chrono::seconds(60));
  auto second = profiles_.Save(Supervisor(), case_id_, Profile(12000), 1);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, 2);

  // Someone edited version 1 while version 2 was saved: refused, nothing written.
  auto stale = profiles_.Save(Supervisor(), case_id_, Profile(1), 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(runner_.state().care_profiles.size(), 2u);

  auto now = profiles_.Get(Supervisor(), case_id_);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->profile, Profile(12000));
  EXPECT_EQ(now->created_at, 1'790'000'060);
}

TEST_F(CareProfileTest, TheProfileIsSealedAndTheTrailHoldsIdsAndVersionsOnly) {
  ASSERT_TRUE(profiles_.Save(Supervisor(), case_id_, Profile(9000), 0));
  ASSERT_TRUE(profiles_.Get(Supervisor(), case_id_));
  const auto& st = runner_.state();
  ASSERT_EQ(st.care_profiles.size(), 1u);
  const std::string& sealed = st.care_profiles[0].body_sealed;
  EXPECT_EQ(sealed.find("canary-7f3a"), std::string::npos);
  EXPECT_EQ(sealed.find("US-CA"), std::string::npos);

  int saved_events = 0;
  for (const auto& e : st.case_events) {
    if (e.type == "care_profile.saved") {
      ++saved_events;
      EXPECT_EQ(e.detail, "version 1");
      EXPECT_EQ(e.case_id, case_id_);
    }
  }
  EXPECT_EQ(saved_events, 1);
  std::vector<std::string> actions;
  for (const auto& [seq, row] : st.audit) {
    if (row.action.rfind("care_profile.", 0) == 0) {
      actions.push_back(row.action);
      EXPECT_EQ(row.subject_id, case_id_);
    }
    for (const std::string* field : {&row.action, &row.subject_id, &row.purpose, &row.outcome}) {
      EXPECT_EQ(field->find("canary-7f3a"), std::string::npos);
    }
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"care_profile.save", "care_profile.read"}));
}

TEST_F(CareProfileTest, AnUnknownCaseIsNotFoundAndNothingIsSaved) {
  auto v = profiles_.Save(Supervisor(), "no-such-case", Profile(9000), 0);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(runner_.state().care_profiles.empty());
}

TEST_F(CareProfileTest, ErasingThePersonsKeyMakesTheProfileUnreadable) {
  ASSERT_TRUE(profiles_.Save(Supervisor(), case_id_, Profile(9000), 0));
  ASSERT_TRUE(
      runner_.Run([&](UnitOfWork& uow) { return keys::KeyService::Erase(uow, person_id_); }));
  auto after = profiles_.Get(Supervisor(), case_id_);
  EXPECT_FALSE(after);
}

}  // namespace
}  // namespace soundcheck::domain::care_profiles
