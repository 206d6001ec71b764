// Matching through the full pipeline (SQLite, and PostgreSQL as api_pgtest): a case
// manager's explained, costed, tour-aware matches for a case; the public finder; and the
// index following directory changes. The directory is the synthetic one (fictional).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "domain/directory/directory_service.h"
#include "domain/events/events.h"
#include "tests/support/synthetic_directory.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

namespace json = boost::json;
namespace dir = domain::directory;
using Headers = std::vector<std::pair<std::string, std::string>>;

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

constexpr const char* kIntake = R"({"for":"self","preferred_name":"Demo Member","language":"en",
    "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
    "industry_role":"touring_crew",
    "location":{"country":"US","region":"US-NY","city":"New York","time_zone":"America/New_York"},
    "requests":["therapy"],
    "insurance":{"type":"none"},
    "preferences":{"format":"telehealth","specialties":["music_industry"]},
    "consents":{"privacy_notice_version":"2026-11","contact":true}})";

class MatchingApiTest : public ::testing::Test {
 protected:
  MatchingApiTest() : t_({.public_requests_per_minute = 100000}) {}

  void SetUp() override {
    admin_ = t_.CreateAccount("admin");
    admin_session_ = t_.Login(admin_);
    manager_ = t_.CreateAccount("case_manager");
    manager_session_ = t_.Login(manager_);
    // 200 fictional providers, their openings confirmed around the test clock's day.
    const std::string today = core::FormatRfc3339(t_.clock().Now()).substr(0, 10);
    auto r =
        t_.Call("POST", "/api/v1/directory/imports?name=demo.json", SyntheticDirectory(200, today),
                admin_session_.cookie, admin_session_.csrf, {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string job = r.headers.Get("Location");
    for (int i = 0; i < 1000; ++i) {
      auto poll = t_.Call("GET", job, "", admin_session_.cookie, admin_session_.csrf);
      const std::string state = S(ParseJson(poll.body).at("state"));
      if (state == "done") break;
      ASSERT_NE(state, "failed") << poll.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(t_.app().matches().Rebuild());
    ASSERT_GT(t_.app().matches().stats().providers, 180u);
    auto intake = t_.Call("POST", "/api/v1/intakes", kIntake, "", "",
                          {{"Idempotency-Key", "match-0001-aaaa"}});
    ASSERT_EQ(intake.status, 201) << intake.body;
    auto list = Staff("GET", "/api/v1/cases");
    ASSERT_EQ(list.status, 200) << list.body;
    case_id_ = S(ParseJson(list.body).at("items").at(0).at("id"));
  }

  http::Response Staff(const std::string& method, const std::string& path,
                       const std::string& body = "") {
    auto r = t_.Call(method, path, body, manager_session_.cookie, manager_session_.csrf);
    RecordForContract(method, path, r);
    return r;
  }
  http::Response Public(const std::string& path) {
    auto r = t_.Call("GET", path);
    RecordForContract("GET", path, r);
    return r;
  }
  std::string FirstField(const http::Response& r) {
    return S(ParseJson(r.body).at("errors").at(0).at("field"));
  }

  TestApp t_;
  TestApp::Account admin_, manager_;
  TestApp::Session admin_session_, manager_session_;
  std::string case_id_;
};

bool HasCode(const json::value& reasons, const std::string& code) {
  for (const auto& r : reasons.as_array()) {
    if (S(r.at("code")) == code) return true;
  }
  return false;
}

TEST_F(MatchingApiTest, CaseMatchesUseTheCaseFactsAndExplainEveryResult) {
  auto r = Staff("POST", "/api/v1/cases/" + case_id_ + "/matches", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Cache-Control"), "no-store");
  const auto answer = ParseJson(r.body).as_object();
  // The intake's facts became the query: New York, therapy, English, telehealth, uninsured.
  const auto& query = answer.at("query");
  EXPECT_EQ(S(query.at("location").at("jurisdiction")), "US-NY");
  EXPECT_EQ(S(query.at("care_types").at(0)), "care_type:individual-therapy");
  EXPECT_EQ(S(query.at("mode")), "telehealth");
  EXPECT_EQ(S(query.at("insurance").at("plan_type")), "uninsured");
  const auto& items = answer.at("items").as_array();
  ASSERT_FALSE(items.empty()) << r.body;
  EXPECT_GE(answer.at("eligible").as_int64(), static_cast<int64_t>(items.size()));
  int64_t previous = INT64_MAX;
  for (const auto& item : items) {
    const auto& met = item.at("met");
    EXPECT_TRUE(HasCode(met, "care_type")) << json::serialize(item);
    EXPECT_TRUE(HasCode(met, "telehealth")) << json::serialize(item);
    EXPECT_TRUE(HasCode(met, "licence") || HasCode(met, "licence_psypact"))
        << json::serialize(item);
    EXPECT_TRUE(HasCode(met, "opening")) << json::serialize(item);
    EXPECT_TRUE(item.at("telehealth").as_bool());
    const std::string basis = S(item.at("cost_basis"));
    EXPECT_TRUE(basis == "self_pay" || basis == "sliding_scale" || basis == "free") << basis;
    // Ranked best first.
    EXPECT_LE(item.at("score").as_int64(), previous);
    previous = item.at("score").as_int64();
  }
}

TEST_F(MatchingApiTest, ATourSeriesFlagsTheDatesAProviderCannotCover) {
  const std::string first =
      core::FormatRfc3339(t_.clock().Now() + std::chrono::hours(24 * 7)).substr(0, 10);
  const std::string from =
      core::FormatRfc3339(t_.clock().Now() + std::chrono::hours(24 * 12)).substr(0, 10);
  const std::string to =
      core::FormatRfc3339(t_.clock().Now() + std::chrono::hours(24 * 22)).substr(0, 10);
  json::object body{{"first_session", first},
                    {"sessions", 4},
                    {"itinerary", json::array{json::object{
                                      {"from", from}, {"to", to}, {"jurisdiction", "US-CA"}}}}};
  auto r = Staff("POST", "/api/v1/cases/" + case_id_ + "/matches", json::serialize(body));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = ParseJson(r.body);
  const auto& items = answer.at("items").as_array();
  ASSERT_FALSE(items.empty());
  int flagged = 0;
  for (const auto& item : items) {
    const auto& dates = item.at("dates").as_array();
    ASSERT_EQ(dates.size(), 4u);
    EXPECT_EQ(S(dates[0].at("date")), first);
    EXPECT_EQ(S(dates[0].at("jurisdiction")), "US-NY");
    EXPECT_TRUE(dates[0].at("covered").as_bool());
    EXPECT_EQ(S(dates[1].at("jurisdiction")), "US-CA");
    EXPECT_EQ(S(dates[2].at("jurisdiction")), "US-CA");
    for (const auto& d : dates) flagged += d.at("covered").as_bool() ? 0 : 1;
  }
  // Few New York clinicians also hold a California licence: some dates must be flagged.
  EXPECT_GT(flagged, 0);
}

TEST_F(MatchingApiTest, TooFewResultsSayWhatToRelax) {
  auto r = Staff("POST", "/api/v1/cases/" + case_id_ + "/matches",
                 R"({"languages": ["xx"], "limit": 5})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = ParseJson(r.body);
  EXPECT_EQ(answer.at("eligible").as_int64(), 0);
  bool language = false;
  for (const auto& relax : answer.at("relaxations").as_array()) {
    if (S(relax.at("constraint")) == "language") {
      language = true;
      EXPECT_GT(relax.at("results").as_int64(), 0);
    }
  }
  EXPECT_TRUE(language) << r.body;
}

TEST_F(MatchingApiTest, BadQueriesGetProblemsAndUnknownCasesAreNotFound) {
  const std::string path = "/api/v1/cases/" + case_id_ + "/matches";
  auto mode = Staff("POST", path, R"({"mode": "teleport"})");
  EXPECT_EQ(mode.status, 400);
  EXPECT_EQ(FirstField(mode), "/mode");
  auto typo = Staff("POST", path, R"({"langauges": ["es"]})");
  EXPECT_EQ(typo.status, 400);
  EXPECT_EQ(FirstField(typo), "/langauges");
  auto where = Staff("POST", path, R"({"location": {"jurisdiction": ""}})");
  EXPECT_EQ(where.status, 422);
  EXPECT_EQ(FirstField(where), "/location/jurisdiction");
  auto in_person = Staff("POST", path, R"({"mode": "in_person"})");
  EXPECT_EQ(in_person.status, 422);
  EXPECT_EQ(FirstField(in_person), "/location/latitude");
  auto missing = Staff("POST", "/api/v1/cases/0195b000-0000-7000-8000-0000000000ff/matches", "");
  EXPECT_EQ(missing.status, 404);
}

TEST_F(MatchingApiTest, AGoodFaithEstimateForASelfPayMember) {
  auto matches = Staff("POST", "/api/v1/cases/" + case_id_ + "/matches", R"({"limit": 50})");
  ASSERT_EQ(matches.status, 200) << matches.body;
  const auto answer = ParseJson(matches.body);
  std::string service_id;
  for (const auto& item : answer.at("items").as_array()) {
    if (S(item.at("cost_basis")) == "self_pay") {
      service_id = S(item.at("service_id"));
      break;
    }
  }
  ASSERT_FALSE(service_id.empty()) << "a self-pay match to estimate";
  const std::string path = "/api/v1/cases/" + case_id_ + "/good-faith-estimate";
  auto r = Staff("POST", path,
                 json::serialize(json::object{{"service_id", service_id},
                                              {"sessions", 12},
                                              {"session_minutes", 45},
                                              {"first_session_on", "2026-10-01"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Cache-Control"), "no-store");
  const auto gfe = ParseJson(r.body);
  const auto detail = ParseJson(Staff("GET", "/api/v1/cases/" + case_id_).body);
  EXPECT_EQ(S(gfe.at("member_reference")), S(detail.at("reference")));
  const auto& services = gfe.at("services").as_array();
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(S(services[0].at("cpt")), "90791");
  EXPECT_EQ(S(services[1].at("cpt")), "90834");
  EXPECT_EQ(services[1].at("quantity").as_int64(), 12);
  const int64_t fee = services[1].at("unit_cents").as_int64();
  EXPECT_GT(fee, 0);
  EXPECT_EQ(gfe.at("total_cents").as_int64(), fee * 13) << "the intake at the session fee";
  EXPECT_EQ(S(gfe.at("assumed").at(0)), "intake_fee");
  EXPECT_EQ(S(gfe.at("missing").at(0)), "provider_npi");
  EXPECT_EQ(gfe.at("notices").as_array().size(), 4u);

  auto unknown = Staff("POST", path, R"({"service_id": "0195b000-0000-7000-8000-0000000000aa"})");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(FirstField(unknown), "/service_id");
  auto minutes =
      Staff("POST", path,
            json::serialize(json::object{{"service_id", service_id}, {"session_minutes", 50}}));
  EXPECT_EQ(minutes.status, 422);
  EXPECT_EQ(FirstField(minutes), "/session_minutes");
}

TEST_F(MatchingApiTest, TheFinderIsPublicAndStoresNothing) {
  auto r = Public("/api/v1/finder?jurisdiction=US-NY&care_type=individual-therapy&mode=telehealth");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Cache-Control"), "public, max-age=60");
  const auto answer = ParseJson(r.body);
  EXPECT_FALSE(answer.at("providers").at("items").as_array().empty());
  for (const auto& item : answer.at("providers").at("items").as_array()) {
    EXPECT_TRUE(HasCode(item.at("met"), "care_type"));
  }
  for (const auto& item : answer.at("resources").at("items").as_array()) {
    EXPECT_TRUE(HasCode(item.at("met"), "care_type"));
  }
  auto unknown = Public("/api/v1/finder?jurisdiction=US-NY&color=blue");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(FirstField(unknown), "/color");
  auto nowhere = Public("/api/v1/finder?care_type=psychiatry");
  EXPECT_EQ(nowhere.status, 422);
  EXPECT_EQ(FirstField(nowhere), "/jurisdiction");
  auto half = Public("/api/v1/finder?jurisdiction=US-NY&latitude=40.7");
  EXPECT_EQ(half.status, 400);
}

// Waits (bounded) until `index` has a snapshot in service.
bool WaitReady(const app::MatchIndex& index) {
  for (int i = 0; i < 1000 && !index.ready(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return index.ready();
}

TEST_F(MatchingApiTest, ARestartLoadsTheSavedIndexUnlessTheDirectoryChanged) {
  ASSERT_TRUE(t_.app().events().Start());
  app::MatchIndex::Options o;
  o.saved_path = ::testing::TempDir() + "/sc-matching-index-" + case_id_ + ".bin";
  o.fingerprint = app::VocabularyFingerprint(t_.app().vocabulary());
  auto index = [&](const app::MatchIndex::Options& options) {
    return std::make_unique<app::MatchIndex>(t_.app().directory(), t_.app().vocabulary(),
                                             t_.app().events(), options);
  };
  uint32_t providers = 0;
  {
    auto first = index(o);
    ASSERT_TRUE(first->Rebuild());  // builds, publishes and saves
    providers = first->stats().providers;
    ASSERT_GT(providers, 180u);
  }
  {
    // A restart with nothing changed: served from the saved index at once.
    auto again = index(o);
    again->Start();
    EXPECT_TRUE(again->ready()) << "the saved index is in service when Start returns";
    EXPECT_TRUE(again->stats().loaded);
    EXPECT_EQ(again->stats().providers, providers);
    again->Stop();
  }

  // The directory changes while this node is down: a listing is paused.
  auto finder = Public("/api/v1/finder?jurisdiction=US-NY&care_type=individual-therapy");
  ASSERT_EQ(finder.status, 200) << finder.body;
  const std::string id =
      S(ParseJson(finder.body).at("providers").at("items").at(0).at("service_id"));
  auto detail = Staff("GET", "/api/v1/directory/services/" + id);
  const int64_t before = t_.app().events().last_seq();
  auto paused = t_.Call(
      "PATCH", "/api/v1/directory/services/" + id, R"({"status":"inactive"})",
      manager_session_.cookie, manager_session_.csrf,
      {{"If-Match", detail.headers.Get("ETag")}, {"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(paused.status, 200) << paused.body;
  // A starting node's hub reads the log's end from the database; this one fetches it.
  for (int i = 0; i < 500 && t_.app().events().last_seq() == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GT(t_.app().events().last_seq(), before);
  {
    auto after = index(o);
    after->Start();
    ASSERT_TRUE(WaitReady(*after));
    // Patched from the one change while down, not rebuilt: in service when Start returns.
    EXPECT_TRUE(after->ready()) << "the saved index is patched before Start returns";
    EXPECT_TRUE(after->stats().loaded);
    EXPECT_EQ(after->stats().patches, 1);
    EXPECT_EQ(after->stats().builds, 0);
    EXPECT_EQ(after->stats().providers, providers - 1) << "a stale saved index must not be served";
    EXPECT_EQ(after->stats().version, t_.app().events().last_seq());
    auto* snapshot = after->holder().Current().get();
    ASSERT_NE(snapshot, nullptr);
    EXPECT_FALSE(snapshot->Find(id).has_value()) << "the paused listing is out";
    after->Stop();
  }
  {
    // The patched index was saved: the next start loads it with nothing to patch.
    auto again = index(o);
    again->Start();
    EXPECT_TRUE(again->ready());
    EXPECT_TRUE(again->stats().loaded);
    EXPECT_EQ(again->stats().patches, 0);
    EXPECT_EQ(again->stats().providers, providers - 1);
    again->Stop();
  }
  {
    // An import while down: the saved index is not patched but rebuilt.
    const int64_t at = t_.app().events().last_seq();
    ASSERT_TRUE(t_.app().runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
      return domain::events::DirectoryChanged(uow, 1, "import", "");
    }));
    for (int i = 0; i < 500 && t_.app().events().last_seq() == at; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto rebuilt = index(o);
    rebuilt->Start();
    ASSERT_TRUE(WaitReady(*rebuilt));
    EXPECT_FALSE(rebuilt->stats().loaded);
    EXPECT_EQ(rebuilt->stats().builds, 1);
    EXPECT_EQ(rebuilt->stats().patches, 0);
    EXPECT_EQ(rebuilt->stats().providers, providers - 1);
    rebuilt->Stop();
  }
  {
    // Saved under another vocabulary: rebuilt, not misread.
    app::MatchIndex::Options other = o;
    other.fingerprint ^= 1;
    auto rebuilt = index(other);
    rebuilt->Start();
    ASSERT_TRUE(WaitReady(*rebuilt));
    EXPECT_FALSE(rebuilt->stats().loaded);
    rebuilt->Stop();
  }
  std::filesystem::remove(o.saved_path);
}

// Waits (bounded) until the followed index includes every event logged so far (SetUp's
// import reached it as a rebuild with the event hub not yet started: a catch-up rebuild).
bool WaitCaughtUp(TestApp& t) {
  for (int i = 0; i < 500; ++i) {
    if (t.app().matches().stats().version >= t.app().events().last_seq()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(MatchingApiTest, TheIndexFollowsDirectoryChanges) {
  ASSERT_TRUE(t_.app().events().Start());
  t_.app().matches().Follow();
  ASSERT_TRUE(WaitCaughtUp(t_));
  const auto builds = t_.app().matches().stats().builds;
  const std::string finder = "/api/v1/finder?jurisdiction=US-NY&care_type=individual-therapy";
  auto before = Public(finder);
  ASSERT_EQ(before.status, 200);
  const auto items = ParseJson(before.body).at("providers").at("items").as_array();
  ASSERT_FALSE(items.empty());
  const std::string id = S(items.at(0).at("service_id"));
  const int64_t version = t_.app().matches().stats().version;

  // Staff pause the top listing; the index must drop it without a restart.
  auto detail = Staff("GET", "/api/v1/directory/services/" + id);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto paused = t_.Call(
      "PATCH", "/api/v1/directory/services/" + id, R"({"status":"inactive"})",
      manager_session_.cookie, manager_session_.csrf,
      {{"If-Match", detail.headers.Get("ETag")}, {"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(paused.status, 200) << paused.body;
  // Visible once a rebuild that includes the edit has been published (an earlier catch-up
  // rebuild may finish first), so wait for the answer itself, bounded.
  bool gone = false;
  json::value answer;
  for (int i = 0; i < 500 && !gone; ++i) {
    auto after = Public(finder);
    answer = ParseJson(after.body);
    gone = true;
    for (const auto& item : answer.at("providers").at("items").as_array()) {
      if (S(item.at("service_id")) == id) gone = false;
    }
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(gone) << "the paused listing was still matched after 5 s";
  EXPECT_GT(answer.at("providers").at("snapshot_version").as_int64(), version);
  EXPECT_GE(t_.app().matches().stats().patches, 1) << "an edit is patched in, not rebuilt";
  EXPECT_EQ(t_.app().matches().stats().builds, builds);
  t_.app().matches().Stop();
}

// Writes `record` as an editor does (the record, then its directory.changed event).
core::Status PutAsEditor(TestApp& t, const dir::Record& record) {
  return t.app().runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
    const auto& schema = t.app().directory().schema();
    SC_RETURN_IF_ERROR(
        uow.directory().Put(record, dir::LinksOf(schema, record), dir::IndexOf(record), 1));
    return domain::events::DirectoryChanged(uow, 1, record.resource, record.id);
  });
}

// Waits (bounded) until `pass` holds for the finder's answer to `path`.
bool WaitFor(TestApp& t, const std::string& path,
             const std::function<bool(const json::value&)>& pass) {
  for (int i = 0; i < 500; ++i) {
    auto r = t.Call("GET", path);
    if (r.status == 200 && pass(ParseJson(r.body))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

bool Lists(const json::value& answer, const std::string& id) {
  for (const auto& item : answer.at("providers").at("items").as_array()) {
    if (S(item.at("service_id")) == id) return true;
  }
  return false;
}

TEST_F(MatchingApiTest, EditsOfAListingAndItsRecordsArePatchedIn) {
  ASSERT_TRUE(t_.app().events().Start());
  t_.app().matches().Follow();
  ASSERT_TRUE(WaitCaughtUp(t_));
  const auto builds = t_.app().matches().stats().builds;
  const std::string finder = "/api/v1/finder?jurisdiction=US-NY&care_type=individual-therapy";
  auto before = Public(finder);
  ASSERT_EQ(before.status, 200);
  const auto items = ParseJson(before.body).at("providers").at("items").as_array();
  ASSERT_GE(items.size(), 2u);
  const std::string id = S(items.at(0).at("service_id"));
  const std::string other = S(items.at(1).at("service_id"));

  // A language nobody in the directory speaks: new to the index's vocabulary.
  const std::string xhosa = finder + "&language=xh&limit=50";
  auto none = Public(xhosa);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_FALSE(Lists(ParseJson(none.body), id));
  dir::Record language{"language",
                       "0195b000-0000-7000-8000-00000000a001",
                       {{"id", "0195b000-0000-7000-8000-00000000a001"},
                        {"service_id", id},
                        {"name", "Xhosa"},
                        {"code", "xh"}}};
  ASSERT_TRUE(PutAsEditor(t_, language));
  ASSERT_TRUE(WaitFor(t_, xhosa, [&](const json::value& a) { return Lists(a, id); }))
      << "the language added was not matched after 5 s";
  EXPECT_GE(t_.app().matches().stats().patches, 1);

  // A location re-saved: every listing offered there is read again (and stays).
  std::string location_id;
  ASSERT_TRUE(t_.app().runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto links,
                        uow.directory().LinkedTo({other}, {"service_at_location"}, {"service_id"}));
    for (const auto& l : links) {
      const auto* v = l.record.fields.if_contains("location_id");
      if (v != nullptr && v->is_string()) location_id = std::string(v->get_string());
    }
    return core::Ok();
  }));
  EXPECT_FALSE(location_id.empty()) << "the second listing has an office";
  if (!location_id.empty()) {
    const auto patches = t_.app().matches().stats().patches;
    dir::Record location;
    ASSERT_TRUE(t_.app().runner().Run([&](domain::UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("location", location_id));
      if (found) location = found->record;
      return core::Ok();
    }));
    ASSERT_FALSE(location.id.empty());
    ASSERT_TRUE(PutAsEditor(t_, location));
    for (int i = 0; i < 500 && t_.app().matches().stats().patches == patches; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GT(t_.app().matches().stats().patches, patches);
    EXPECT_TRUE(
        WaitFor(t_, finder + "&limit=50", [&](const json::value& a) { return Lists(a, other); }));
  }

  // Paused by staff: out of the index.
  auto detail = Staff("GET", "/api/v1/directory/services/" + id);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto paused = t_.Call(
      "PATCH", "/api/v1/directory/services/" + id, R"({"status":"inactive"})",
      manager_session_.cookie, manager_session_.csrf,
      {{"If-Match", detail.headers.Get("ETag")}, {"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(paused.status, 200) << paused.body;
  ASSERT_TRUE(WaitFor(t_, finder + "&limit=50", [&](const json::value& a) {
    return !Lists(a, id);
  })) << "the paused listing was still matched after 5 s";
  const auto stats = t_.app().matches().stats();
  EXPECT_EQ(stats.builds, builds) << "edits are patched in, never a full rebuild";
  EXPECT_GE(stats.patches, 2);
  EXPECT_EQ(stats.version, t_.app().events().last_seq());
  t_.app().matches().Stop();
}

TEST(MatchingIndexStarting, MatchingAnswers503UntilTheIndexIsInService) {
  TestApp t;
  const std::string path = "/api/v1/finder?jurisdiction=US-NY&care_type=individual-therapy";
  auto starting = t.Call("GET", path);
  RecordForContract("GET", path, starting);
  EXPECT_EQ(starting.status, 503) << starting.body;
  EXPECT_EQ(starting.headers.Get("Retry-After"), "2");
  EXPECT_NE(S(ParseJson(starting.body).at("type")).find("matching-starting"), std::string::npos);
  ASSERT_TRUE(t.app().matches().Rebuild());
  EXPECT_EQ(t.Call("GET", path).status, 200);
}

}  // namespace
}  // namespace soundcheck::testing
