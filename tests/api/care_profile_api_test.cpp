// A case's care profile through the full pipeline (SQLite, and PostgreSQL as api_pgtest):
// versions with If-Match, what a profile may hold, matches that start from it (and a request
// that overrides it), who may see it, and an audit trail that holds ids, never contents.
// The people, insurers and directory are fictional.
#include <gtest/gtest.h>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "tests/support/synthetic_directory.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

// New York, therapy, English, telehealth, uninsured: the intake gives no point to measure
// offices from.
constexpr const char* kIntake = R"({"for":"self","preferred_name":"Profile Tester","language":"en",
    "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
    "industry_role":"touring_crew",
    "location":{"country":"US","region":"US-NY","city":"New York","time_zone":"America/New_York"},
    "requests":["therapy"],
    "insurance":{"type":"none"},
    "preferences":{"format":"telehealth","specialties":["music_industry"]},
    "consents":{"privacy_notice_version":"2026-11","contact":true}})";

// Where the person is staying (a point in Manhattan) and that they will only go in person.
constexpr const char* kInPerson =
    R"({"profile": {"location": {"latitude": 40.7128, "longitude": -74.006},
                    "mode": "in_person", "max_km": 50}})";

class CareProfileApiTest : public ::testing::Test {
 protected:
  CareProfileApiTest() : t_({.public_requests_per_minute = 100000}) {}

  void SetUp() override {
    manager_ = t_.CreateAccount("case_manager");
    manager_session_ = t_.Login(manager_);
    other_ = t_.CreateAccount("case_manager");
    other_session_ = t_.Login(other_);
    supervisor_ = t_.CreateAccount("supervisor");
    supervisor_session_ = t_.Login(supervisor_);
    auto intake = t_.Call("POST", "/api/v1/intakes", kIntake, "", "",
                          {{"Idempotency-Key", "profile-0001-aaaa"}});
    ASSERT_EQ(intake.status, 201) << intake.body;
    auto list = Call(supervisor_session_, "GET", "/api/v1/cases");
    ASSERT_EQ(list.status, 200) << list.body;
    const json::value page = ParseJson(list.body);
    const json::value& item = page.at("items").at(0);
    case_id_ = S(item.at("id"));
    // The case is this case manager's: another case manager no longer sees it in the queue.
    auto assigned = Call(supervisor_session_, "POST", "/api/v1/cases/" + case_id_ + "/assign",
                         R"({"user_id":")" + manager_.id + R"("})",
                         {{"If-Match", std::to_string(item.at("version").as_int64())}});
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    path_ = "/api/v1/cases/" + case_id_ + "/care-profile";
  }

  // 200 fictional providers, their openings confirmed around the test clock's day.
  void ImportDirectory() {
    auto admin = t_.CreateAccount("admin");
    auto session = t_.Login(admin);
    const std::string today = core::FormatRfc3339(t_.clock().Now()).substr(0, 10);
    auto r =
        t_.Call("POST", "/api/v1/directory/imports?name=demo.json", SyntheticDirectory(200, today),
                session.cookie, session.csrf, {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string job = r.headers.Get("Location");
    for (int i = 0; i < 1000; ++i) {
      auto poll = t_.Call("GET", job, "", session.cookie, session.csrf);
      const std::string state = S(ParseJson(poll.body).at("state"));
      if (state == "done") break;
      ASSERT_NE(state, "failed") << poll.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(t_.app().matches().Rebuild());
    ASSERT_GT(t_.app().matches().stats().providers, 180u);
  }

  http::Response Call(const TestApp::Session& who, const std::string& method,
                      const std::string& path, const std::string& body = "", Headers headers = {}) {
    return t_.Call(method, path, body, who.cookie, who.csrf, std::move(headers));
  }
  http::Response Get() { return Call(manager_session_, "GET", path_); }
  http::Response Put(const std::string& body, const std::string& if_match) {
    Headers h;
    if (!if_match.empty()) h.push_back({"If-Match", if_match});
    return Call(manager_session_, "PUT", path_, body, h);
  }
  http::Response Matches(const std::string& body = "") {
    return Call(manager_session_, "POST", "/api/v1/cases/" + case_id_ + "/matches", body);
  }
  static json::value FirstError(const http::Response& r) {
    return ParseJson(r.body).at("errors").at(0);
  }
  static std::string Day(const core::ManualClock& clock, int days_ahead) {
    return core::FormatRfc3339(clock.Now() + std::chrono::hours(24 * days_ahead)).substr(0, 10);
  }

  TestApp t_;
  TestApp::Account manager_, other_, supervisor_;
  TestApp::Session manager_session_, other_session_, supervisor_session_;
  std::string case_id_, path_;
};

TEST_F(CareProfileApiTest, ACaseWithNoProfileHasVersionZero) {
  auto r = Get();
  ASSERT_EQ(r.status, 200) << r.body;
  const auto v = ParseJson(r.body);
  EXPECT_EQ(S(v.at("case_id")), case_id_);
  EXPECT_EQ(v.at("version").as_int64(), 0);
  EXPECT_TRUE(v.at("profile").as_object().empty());
  EXPECT_TRUE(v.at("saved_by").is_null());
  EXPECT_TRUE(v.at("saved_at").is_null());
  EXPECT_EQ(r.headers.Get("ETag"), "\"0\"");
  EXPECT_EQ(r.headers.Get("Cache-Control"), "no-store");
}

TEST_F(CareProfileApiTest, EachSaveIsANewVersionAndStaleSavesChangeNothing) {
  auto missing = Put(kInPerson, "");
  EXPECT_EQ(missing.status, 428) << missing.body;

  auto first = Put(kInPerson, "\"0\"");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.headers.Get("ETag"), "\"1\"");
  const auto v1 = ParseJson(first.body);
  EXPECT_EQ(v1.at("version").as_int64(), 1);
  EXPECT_EQ(S(v1.at("saved_by")), manager_.id);
  EXPECT_EQ(S(v1.at("saved_at")), core::FormatRfc3339(t_.clock().Now()));
  EXPECT_EQ(S(v1.at("profile").at("mode")), "in_person");

  auto read = Get();
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.headers.Get("ETag"), "\"1\"");
  const auto got = ParseJson(read.body);
  EXPECT_EQ(got.at("version").as_int64(), 1);
  EXPECT_EQ(got.at("profile"), ParseJson(kInPerson).at("profile")) << read.body;
  EXPECT_EQ(S(got.at("saved_by")), manager_.id);

  // Someone else's save came first: 412, and the profile is as it was.
  auto stale = Put(R"({"profile": {"mode": "telehealth"}})", "\"0\"");
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto after = ParseJson(Get().body);
  EXPECT_EQ(after.at("version").as_int64(), 1);
  EXPECT_EQ(S(after.at("profile").at("mode")), "in_person");

  // The next save, on the version read. Nulls that mean "not given" are not kept.
  auto second = Put(R"({"profile": {"mode": "telehealth", "languages": null,
                                   "budget_cents": null}})",
                    "\"1\"");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.headers.Get("ETag"), "\"2\"");
  const auto v2 = ParseJson(Get().body);
  EXPECT_EQ(v2.at("version").as_int64(), 2);
  EXPECT_EQ(v2.at("profile"), ParseJson(R"({"mode": "telehealth", "budget_cents": null})"));
}

TEST_F(CareProfileApiTest, WhatAProfileCannotHoldIsRefusedAndNothingIsSaved) {
  // Chosen for each search, never kept.
  auto r = Put(R"({"profile": {"mode": "telehealth", "first_session": "2026-12-01"}})", "\"0\"");
  ASSERT_EQ(r.status, 400) << r.body;
  auto e = FirstError(r);
  EXPECT_EQ(S(e.at("field")), "/profile/first_session");
  EXPECT_EQ(S(e.at("code")), "not_a_profile_field");
  EXPECT_EQ(S(e.at("message")), "Chosen for each search, not kept on the case.");
  EXPECT_EQ(ParseJson(r.body).at("errors").as_array().size(), 1u) << "reported once: " << r.body;
  r = Put(R"({"profile": {"weights": {"cost": 100}}})", "\"0\"");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(S(FirstError(r).at("field")), "/profile/weights");

  // Wrong types and unknown fields, named under /profile as the match query names them.
  r = Put(R"({"profile": {"budget_cents": "a lot"}})", "\"0\"");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(S(FirstError(r).at("field")), "/profile/budget_cents");
  EXPECT_EQ(S(FirstError(r).at("code")), "invalid_type");
  r = Put(R"({"profile": {"insurance": {"copay_cents": true}}})", "\"0\"");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(S(FirstError(r).at("field")), "/profile/insurance/copay_cents");
  r = Put(R"({"profile": {"langauges": ["es"]}})", "\"0\"");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(S(FirstError(r).at("field")), "/profile/langauges");
  EXPECT_EQ(S(FirstError(r).at("code")), "unknown_field");
  r = Put(R"({"profile": {}, "extra": 1})", "\"0\"");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(S(FirstError(r).at("field")), "/extra");
  r = Put(R"({"profile": "in person"})", "\"0\"");
  EXPECT_EQ(r.status, 400) << r.body;
  r = Put("not json", "\"0\"");
  EXPECT_EQ(r.status, 400) << r.body;

  // Rules between fields: 422 on the query the profile would give.
  r = Put(R"({"profile": {"itinerary": [{"from": "2026-12-10", "to": "2026-12-05",
                                         "jurisdiction": "US-CA"}]}})",
          "\"0\"");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(S(FirstError(r).at("field")), "/profile/itinerary/0/to");
  r = Put(R"({"profile": {"mode": "in_person"}})", "\"0\"");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(S(FirstError(r).at("field")), "/profile/location/latitude");

  auto view = ParseJson(Get().body);
  EXPECT_EQ(view.at("version").as_int64(), 0);
  EXPECT_TRUE(view.at("profile").as_object().empty());
}

TEST_F(CareProfileApiTest, MatchesStartFromTheSavedProfile) {
  ImportDirectory();
  // Before a profile: the intake's facts (telehealth, no distance) and profile_version 0.
  auto before = Matches();
  ASSERT_EQ(before.status, 200) << before.body;
  const auto b = ParseJson(before.body);
  EXPECT_EQ(b.at("profile_version").as_int64(), 0);
  EXPECT_EQ(S(b.at("query").at("mode")), "telehealth");

  ASSERT_EQ(Put(kInPerson, "\"0\"").status, 200);
  auto r = Matches();
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = ParseJson(r.body);
  EXPECT_EQ(answer.at("profile_version").as_int64(), 1);
  const auto& query = answer.at("query");
  EXPECT_EQ(S(query.at("mode")), "in_person");
  EXPECT_EQ(S(query.at("location").at("jurisdiction")), "US-NY") << "the intake's, kept";
  EXPECT_DOUBLE_EQ(query.at("location").at("latitude").to_number<double>(), 40.7128);
  EXPECT_DOUBLE_EQ(query.at("max_km").to_number<double>(), 50);
  const auto& items = answer.at("items").as_array();
  ASSERT_FALSE(items.empty()) << r.body;
  for (const auto& item : items) {
    ASSERT_TRUE(item.at("distance_km").is_number()) << json::serialize(item);
    EXPECT_LE(item.at("distance_km").to_number<double>(), 50.0);
    EXPECT_FALSE(item.at("telehealth").as_bool());
  }
}

TEST_F(CareProfileApiTest, ASavedItineraryGivesTheTourDates) {
  ImportDirectory();
  json::object profile{{"itinerary", json::array{json::object{{"from", Day(t_.clock(), 12)},
                                                              {"to", Day(t_.clock(), 22)},
                                                              {"jurisdiction", "US-CA"}}}}};
  ASSERT_EQ(Put(json::serialize(json::object{{"profile", profile}}), "\"0\"").status, 200);
  // The search chooses the series; the tour comes from the case.
  json::object body{{"first_session", Day(t_.clock(), 7)}, {"sessions", 4}};
  auto r = Matches(json::serialize(body));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = ParseJson(r.body);
  EXPECT_EQ(answer.at("profile_version").as_int64(), 1);
  const auto& items = answer.at("items").as_array();
  ASSERT_FALSE(items.empty()) << r.body;
  for (const auto& item : items) {
    const auto& dates = item.at("dates").as_array();
    ASSERT_EQ(dates.size(), 4u);
    EXPECT_EQ(S(dates[0].at("jurisdiction")), "US-NY");
    EXPECT_EQ(S(dates[1].at("jurisdiction")), "US-CA");
    EXPECT_EQ(S(dates[2].at("jurisdiction")), "US-CA");
  }
}

TEST_F(CareProfileApiTest, TheRequestOverridesTheProfile) {
  ImportDirectory();
  ASSERT_EQ(Put(kInPerson, "\"0\"").status, 200);
  auto r = Matches(R"({"mode": "telehealth", "languages": ["en"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = ParseJson(r.body);
  EXPECT_EQ(answer.at("profile_version").as_int64(), 1);
  const auto& query = answer.at("query");
  EXPECT_EQ(S(query.at("mode")), "telehealth");
  // What the request did not name still comes from the profile.
  EXPECT_DOUBLE_EQ(query.at("max_km").to_number<double>(), 50);
  EXPECT_DOUBLE_EQ(query.at("location").at("longitude").to_number<double>(), -74.006);
  const auto& items = answer.at("items").as_array();
  ASSERT_FALSE(items.empty()) << r.body;
  for (const auto& item : items) EXPECT_TRUE(item.at("telehealth").as_bool());
  // The request's errors are still the request's.
  auto bad = Matches(R"({"mode": "teleport"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(S(FirstError(bad).at("field")), "/mode");
}

TEST_F(CareProfileApiTest, OnlyThoseWhoSeeTheCaseSeeItsProfile) {
  ASSERT_EQ(Put(kInPerson, "\"0\"").status, 200);
  // Another case manager's case: not found, whether reading, saving or matching.
  EXPECT_EQ(Call(other_session_, "GET", path_).status, 404);
  EXPECT_EQ(Call(other_session_, "PUT", path_, kInPerson, {{"If-Match", "\"1\""}}).status, 404);
  EXPECT_EQ(Call(other_session_, "POST", "/api/v1/cases/" + case_id_ + "/matches", "").status, 404);
  EXPECT_EQ(Put(kInPerson, "\"0\"").status, 412) << "their attempt changed nothing";
  EXPECT_EQ(Call(manager_session_, "GET",
                 "/api/v1/cases/0195b000-0000-7000-8000-0000000000ff/care-profile")
                .status,
            404);
  // A supervisor sees every case.
  auto sup = Call(supervisor_session_, "GET", path_);
  ASSERT_EQ(sup.status, 200) << sup.body;
  EXPECT_EQ(ParseJson(sup.body).at("version").as_int64(), 1);
  // Roles outside clinical work: forbidden.
  for (const char* role : {"provider", "admin", "fund_reviewer"}) {
    auto account = t_.CreateAccount(role);
    auto session = t_.Login(account);
    EXPECT_EQ(Call(session, "GET", path_).status, 403) << role;
    EXPECT_EQ(Call(session, "PUT", path_, kInPerson, {{"If-Match", "\"1\""}}).status, 403) << role;
  }
  EXPECT_EQ(t_.Call("GET", path_).status, 401);
  EXPECT_EQ(ParseJson(Get().body).at("version").as_int64(), 1);
}

TEST_F(CareProfileApiTest, TheAuditTrailAndLogsHoldIdsNeverContents) {
  // Log lines written while the profile is saved and read.
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(4096);
  spdlog::default_logger()->sinks().push_back(sink);
  struct Unhook {
    std::shared_ptr<spdlog::sinks::sink> sink;
    ~Unhook() {
      auto& sinks = spdlog::default_logger()->sinks();
      sinks.erase(std::remove(sinks.begin(), sinks.end(), sink), sinks.end());
    }
  } unhook{sink};

  const std::string canary_carrier = "Zqxvbn Mutual (DEMO)";
  const std::string canary_gender = "zqxvbn-identity";
  json::object profile{{"insurance", json::object{{"carrier", canary_carrier},
                                                  {"plan", "Zqxvbn Gold"},
                                                  {"plan_type", "employer"},
                                                  {"deductible_remaining_cents", 987654}}},
                       {"prefer", json::object{{"gender", canary_gender}}},
                       {"budget_cents", 876543}};
  auto saved = Put(json::serialize(json::object{{"profile", profile}}), "\"0\"");
  ASSERT_EQ(saved.status, 200) << saved.body;
  ASSERT_EQ(Get().status, 200);
  // A refused save: its message names the field, never the value sent.
  auto refused = Put(R"({"profile": {"budget_cents": "Zqxvbn"}})", "\"1\"");
  ASSERT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body.find("Zqxvbn"), std::string::npos) << refused.body;

  const std::vector<std::string> canaries = {"Zqxvbn", "zqxvbn", "987654", "876543"};
  std::vector<domain::AuditRow> rows;
  auto st = t_.app().runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(rows, uow.audit().ReadAfter(0, 100000));
    return core::Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  int saves = 0, reads = 0;
  for (const auto& row : rows) {
    const std::string line = row.actor_id + "|" + row.actor_role + "|" + row.action + "|" +
                             row.subject_type + "|" + row.subject_id + "|" + row.purpose + "|" +
                             row.outcome + "|" + row.request_id;
    for (const auto& c : canaries) EXPECT_EQ(line.find(c), std::string::npos) << line;
    if (row.action == "care_profile.save") {
      ++saves;
      EXPECT_EQ(row.subject_type, "case");
      EXPECT_EQ(row.subject_id, case_id_);
      EXPECT_EQ(row.actor_id, manager_.id);
    }
    if (row.action == "care_profile.read") ++reads;
  }
  EXPECT_EQ(saves, 1);
  EXPECT_EQ(reads, 1);

  // The timeline says a version was saved, not what it holds.
  auto detail = ParseJson(Call(manager_session_, "GET", "/api/v1/cases/" + case_id_).body);
  bool on_timeline = false;
  for (const auto& e : detail.at("timeline").as_array()) {
    if (S(e.at("type")) == "care_profile.saved") {
      on_timeline = true;
      EXPECT_EQ(S(e.at("detail")), "version 1");
    }
  }
  EXPECT_TRUE(on_timeline) << json::serialize(detail.at("timeline"));

  // Sealed at rest: the stored body does not hold the values in plaintext.
  std::string sealed;
  st = t_.app().db().Transact([&](storage::Transaction& tx) -> core::Status {
    SC_ASSIGN_OR_RETURN(
        auto result,
        tx.Query("SELECT body_sealed FROM care_profiles WHERE case_id = ?", {case_id_}));
    if (result.rows.size() != 1) return core::Error::Internal("expected one version");
    sealed = result.rows[0].Bytes(0).value_or("");
    return core::Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_FALSE(sealed.empty());
  for (const auto& c : canaries) EXPECT_EQ(sealed.find(c), std::string::npos) << c;

  spdlog::default_logger()->flush();
  const auto lines = sink->last_formatted();
  EXPECT_FALSE(lines.empty()) << "the requests were logged";
  for (const auto& line : lines) {
    for (const auto& c : canaries) EXPECT_EQ(line.find(c), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace soundcheck::testing
