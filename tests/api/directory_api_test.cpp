// The directory kept by people, through the full pipeline (SQLite, and PostgreSQL as
// api_pgtest): staff browse, edit with If-Match and history, verify and see freshness;
// an admin imports a file in the background and links a provider account; the provider
// keeps their own listing and can pause or remove it, which the public HSDS API honours.
// Fictional records only.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

namespace json = boost::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kOrg = "0195b000-0000-7000-8000-000000000001";
constexpr const char* kOtherOrg = "0195b000-0000-7000-8000-000000000002";
constexpr const char* kService = "0195b000-0000-7000-8000-00000000000a";
constexpr const char* kOtherService = "0195b000-0000-7000-8000-00000000000b";

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

std::string SeedDocument() {
  return json::serialize(json::object{
      {"organization",
       json::array{
           json::object{{"id", kOrg}, {"name", "Demo Practice A"}, {"description", "d"}},
           json::object{{"id", kOtherOrg}, {"name", "Demo Practice B"}, {"description", "d"}}}},
      {"service", json::array{json::object{{"id", kService},
                                           {"organization_id", kOrg},
                                           {"name", "Demo Tour Therapy"},
                                           {"description", "Therapy for touring crew"},
                                           {"status", "active"}},
                              json::object{{"id", kOtherService},
                                           {"organization_id", kOtherOrg},
                                           {"name", "Demo Other Practice"},
                                           {"status", "active"}}}}});
}

struct Person {
  TestApp::Account account;
  TestApp::Session session;
};

class DirectoryApiTest : public ::testing::Test {
 protected:
  DirectoryApiTest() : t_({.public_requests_per_minute = 100000}) {}

  void SetUp() override {
    admin_ = Make("admin");
    staff_ = Make("case_manager");
    provider_ = Make("provider");
    auto up = Upload(SeedDocument(), "seed.json");
    ASSERT_EQ(S(up.at("state")), "done") << json::serialize(up);
    ASSERT_TRUE(up.at("report").at("imported").as_bool()) << json::serialize(up);
  }

  Person Make(const std::string& role) {
    Person p;
    p.account = t_.CreateAccount(role);
    p.session = t_.Login(p.account);
    EXPECT_EQ(p.session.status, 200);
    return p;
  }
  http::Response Call(const Person& p, const std::string& method, const std::string& path,
                      const std::string& body = "", Headers headers = {}) {
    auto r = t_.Call(method, path, body, p.session.cookie, p.session.csrf, std::move(headers));
    RecordForContract(method, path, r);
    return r;
  }
  http::Response Public(const std::string& method, const std::string& path,
                        const std::string& body = "") {
    auto r = t_.Call(method, path, body);
    RecordForContract(method, path, r);
    return r;
  }
  // Uploads through the console's route and waits (bounded) for the job to finish.
  json::object Upload(const std::string& body, const std::string& name,
                      const std::string& query = "") {
    auto r = Call(admin_, "POST", "/api/v1/directory/imports?name=" + name + query, body,
                  {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return {};
    std::string location = r.headers.Get("Location");
    EXPECT_EQ(location, "/api/v1/directory/imports/" + S(ParseJson(r.body).at("id")));
    for (int i = 0; i < 500; ++i) {
      auto poll = Call(admin_, "GET", location);
      EXPECT_EQ(poll.status, 200) << poll.body;
      auto job = ParseJson(poll.body).as_object();
      const std::string state = S(job.at("state"));
      if (state == "done" || state == "failed") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "import did not finish";
    return {};
  }
  std::string Version(const http::Response& r) {
    std::string tag = r.headers.Get("ETag");
    EXPECT_GE(tag.size(), 3u);
    return tag;
  }
  void Link() {
    auto r = Call(admin_, "PUT", "/api/v1/directory/provider-links/" + provider_.account.id,
                  json::serialize(json::object{{"organization_id", kOrg}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(S(ParseJson(r.body).at("organization_name")), "Demo Practice A");
  }
  std::vector<std::string> PublicServiceIds() {
    auto r = Public("GET", "/hsds/services?per_page=50");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    const auto page = ParseJson(r.body);
    for (const auto& s : page.at("contents").as_array()) ids.push_back(S(s.at("id")));
    return ids;
  }

  TestApp t_;
  Person admin_, staff_, provider_;
};

TEST_F(DirectoryApiTest, StaffBrowseSearchAndReadAListing) {
  auto page = Call(staff_, "GET", "/api/v1/directory/services?search=tour%20THERAPY");
  ASSERT_EQ(page.status, 200) << page.body;
  auto v = ParseJson(page.body);
  EXPECT_EQ(v.at("total").as_int64(), 1);
  EXPECT_EQ(S(v.at("services").at(0).at("id")), kService);
  EXPECT_EQ(S(v.at("services").at(0).at("organization_name")), "Demo Practice A");
  EXPECT_EQ(v.at("services").at(0).at("openings").at("count").as_int64(), 0);
  EXPECT_TRUE(v.at("services").at(0).at("openings").at("available").is_null());
  // Never verified: it is in the queue as unverified.
  EXPECT_EQ(S(v.at("services").at(0).at("needs").at(0).at("reason")), "unverified");

  auto all = ParseJson(Call(staff_, "GET", "/api/v1/directory/services?per_page=1").body);
  EXPECT_EQ(all.at("total").as_int64(), 2);
  EXPECT_EQ(all.at("services").as_array().size(), 1u);

  auto detail = Call(staff_, "GET", std::string("/api/v1/directory/services/") + kService);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto d = ParseJson(detail.body);
  EXPECT_EQ(S(d.at("service").at("name")), "Demo Tour Therapy");
  EXPECT_EQ(S(d.at("service").at("organization").at("name")), "Demo Practice A");
  EXPECT_EQ(Version(detail), "\"" + std::to_string(d.at("version").as_int64()) + "\"");
  bool status_editable = false;
  for (const auto& f : d.at("editable").as_array()) status_editable |= S(f) == "status";
  EXPECT_TRUE(status_editable);

  EXPECT_EQ(Call(staff_, "GET", "/api/v1/directory/services?page=0").status, 400);
  EXPECT_EQ(Call(staff_, "GET", "/api/v1/directory/services?per_page=500").status, 400);
  EXPECT_EQ(
      Call(staff_, "GET", "/api/v1/directory/services/0195b000-0000-7000-8000-0000000000ff").status,
      404);
  // Providers and anonymous callers never reach the staff routes.
  EXPECT_EQ(Call(provider_, "GET", "/api/v1/directory/services").status, 403);
  EXPECT_EQ(Public("GET", "/api/v1/directory/services").status, 401);
}

TEST_F(DirectoryApiTest, EditsNeedTheVersionAndLeaveHistory) {
  const std::string path = std::string("/api/v1/directory/services/") + kService;
  auto detail = Call(staff_, "GET", path);
  const std::string v1 = Version(detail);
  const std::string edit = R"({"description":"Fictional therapy for touring crew","url":null})";
  EXPECT_EQ(Call(staff_, "PATCH", path, edit).status, 428);
  auto ok = Call(staff_, "PATCH", path, edit, {{"If-Match", v1}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(Version(ok), v1);
  // Someone else's edit in between: refused, nothing changed.
  auto stale = Call(staff_, "PATCH", path, R"({"description":"overwrite"})", {{"If-Match", v1}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto bad = Call(staff_, "PATCH", path, R"({"id":"x"})", {{"If-Match", Version(ok)}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(S(ParseJson(bad.body).at("errors").at(0).at("field")), "/id");
  auto invalid =
      Call(staff_, "PATCH", path, R"({"status":"closed-forever"})", {{"If-Match", Version(ok)}});
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(Call(staff_, "PATCH", path, "[1]", {{"If-Match", Version(ok)}}).status, 400);

  auto verified = Call(staff_, "POST", path + "/verify");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_FALSE(ParseJson(verified.body).at("verified_at").is_null());
  EXPECT_TRUE(ParseJson(verified.body).at("needs").as_array().empty());

  auto after = ParseJson(Call(staff_, "GET", path).body);
  EXPECT_EQ(S(after.at("service").at("description")), "Fictional therapy for touring crew");
  const auto& history = after.at("history").as_array();
  // Newest first: the verification, the description, the import that added the listing.
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(S(history[2].at("action")), "import");
  EXPECT_EQ(S(history[2].at("actor_id")), admin_.account.id);
  EXPECT_EQ(S(history[2].at("after")), "seed.json");
  EXPECT_EQ(S(history[0].at("action")), "verify");
  EXPECT_EQ(S(history[1].at("action")), "edit");
  EXPECT_EQ(S(history[1].at("field")), "description");
  EXPECT_EQ(S(history[1].at("before")), "Therapy for touring crew");
  EXPECT_EQ(S(history[1].at("after")), "Fictional therapy for touring crew");
  EXPECT_EQ(S(history[1].at("actor_id")), staff_.account.id);
  EXPECT_EQ(S(history[1].at("actor_role")), "case_manager");
}

TEST_F(DirectoryApiTest, TheFreshnessDashboardCountsAndQueues) {
  auto r = Call(staff_, "GET", "/api/v1/directory/freshness?limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = ParseJson(r.body);
  EXPECT_EQ(v.at("openings_window_days").as_int64(), 14);
  EXPECT_EQ(v.at("summary").at("services").as_int64(), 2);
  EXPECT_EQ(v.at("summary").at("verified_30_days").as_int64(), 0);
  EXPECT_EQ(v.at("queue_total").as_int64(), 2);
  ASSERT_EQ(v.at("queue").as_array().size(), 1u);
  EXPECT_EQ(S(v.at("queue").at(0).at("reason")), "unverified");
  EXPECT_FALSE(S(v.at("queue").at(0).at("service_name")).empty());
  ASSERT_EQ(Call(staff_, "POST", std::string("/api/v1/directory/services/") + kService + "/verify")
                .status,
            200);
  v = ParseJson(Call(staff_, "GET", "/api/v1/directory/freshness").body);
  EXPECT_EQ(v.at("summary").at("verified_30_days").as_int64(), 1);
  EXPECT_EQ(v.at("queue_total").as_int64(), 1);
  EXPECT_EQ(Call(staff_, "GET", "/api/v1/directory/freshness?limit=0").status, 400);
}

TEST_F(DirectoryApiTest, ConsoleImportsReportProgressProblemsAndChangeNothingWhenRefused) {
  // A record with a bad id and a service without its required name: refused whole.
  const std::string broken = json::serialize(json::object{
      {"organization", json::array{json::object{{"id", "0195b000-0000-7000-8000-000000000003"},
                                                {"name", "Demo Practice C"},
                                                {"description", "d"}}}},
      {"service", json::array{json::object{{"id", "not-a-uuid"},
                                           {"organization_id", kOrg},
                                           {"name", "Demo Broken"},
                                           {"status", "active"}},
                              json::object{{"id", "0195b000-0000-7000-8000-00000000000c"},
                                           {"organization_id", kOrg},
                                           {"status", "active"}}}}});
  auto job = Upload(broken, "broken.json");
  ASSERT_EQ(S(job.at("state")), "done");
  const auto& report = job.at("report");
  EXPECT_FALSE(report.at("imported").as_bool());
  EXPECT_GE(report.at("issues_total").as_int64(), 2);
  bool named_field = false;
  for (const auto& i : report.at("issues").as_array()) {
    EXPECT_EQ(S(i.at("severity")), "error");
    if (S(i.at("id")) == "0195b000-0000-7000-8000-00000000000c" && S(i.at("field")) == "/name") {
      named_field = true;
    }
  }
  EXPECT_TRUE(named_field) << json::serialize(report);
  EXPECT_EQ(
      ParseJson(Call(staff_, "GET", "/api/v1/directory/services").body).at("total").as_int64(), 2);

  // A dry run of good data counts and writes nothing.
  const std::string more = json::serialize(json::object{
      {"service", json::array{json::object{{"id", "0195b000-0000-7000-8000-00000000000d"},
                                           {"organization_id", kOrg},
                                           {"name", "Demo Group"},
                                           {"status", "active"}}}}});
  job = Upload(more, "more.json", "&dry_run=true");
  EXPECT_FALSE(job.at("report").at("imported").as_bool());
  EXPECT_EQ(job.at("report").at("counts").at("service").at("added").as_int64(), 1);
  EXPECT_EQ(job.at("bytes_read").as_int64(), job.at("bytes_total").as_int64());
  EXPECT_EQ(
      ParseJson(Call(staff_, "GET", "/api/v1/directory/services").body).at("total").as_int64(), 2);
  job = Upload(more, "more.json");
  EXPECT_TRUE(job.at("report").at("imported").as_bool());
  EXPECT_EQ(
      ParseJson(Call(staff_, "GET", "/api/v1/directory/services").body).at("total").as_int64(), 3);

  // A CSV data package, as the console sends a picked folder: file name → text.
  const std::string package = json::serialize(json::object{
      {"datapackage.json", "{}"},
      {"organizations.csv",
       "id,name,description\r\n0195b000-0000-7000-8000-000000000004,Demo CSV Practice,d\r\n"},
      {"services.csv",
       "id,organization_id,name,status\r\n0195b000-0000-7000-8000-00000000000e,"
       "0195b000-0000-7000-8000-000000000004,Demo CSV Service,active\r\n"}});
  job = Upload(package, "demo-package", "&format=csv");
  ASSERT_EQ(S(job.at("state")), "done") << json::serialize(job);
  EXPECT_TRUE(job.at("report").at("imported").as_bool()) << json::serialize(job);
  EXPECT_EQ(job.at("records").as_int64(), 2);
  EXPECT_EQ(ParseJson(Call(staff_, "GET", "/api/v1/directory/services?search=csv").body)
                .at("total")
                .as_int64(),
            1);
  auto no_descriptor =
      Call(admin_, "POST", "/api/v1/directory/imports?format=csv", R"({"services.csv":"id\r\n"})");
  EXPECT_EQ(no_descriptor.status, 422) << no_descriptor.body;
  EXPECT_EQ(S(ParseJson(no_descriptor.body).at("errors").at(0).at("field")), "/datapackage.json");
  EXPECT_EQ(Call(admin_, "POST", "/api/v1/directory/imports?format=csv",
                 R"({"datapackage.json":"{}","../services.csv":""})")
                .status,
            422);
  EXPECT_EQ(Call(admin_, "POST", "/api/v1/directory/imports?format=csv",
                 R"({"datapackage.json":"{}","":""})")
                .status,
            422);
  EXPECT_EQ(Call(admin_, "POST", "/api/v1/directory/imports?format=csv", "a,b\n").status, 400);

  // Bad requests change nothing and say why.
  EXPECT_EQ(Call(admin_, "POST", "/api/v1/directory/imports?format=xml", more).status, 400);
  EXPECT_EQ(
      Call(admin_, "POST", "/api/v1/directory/imports?format=json&dry_run=maybe", more).status,
      400);
  EXPECT_EQ(Call(admin_, "POST", "/api/v1/directory/imports?format=json", "").status, 422);
  EXPECT_EQ(Call(staff_, "POST", "/api/v1/directory/imports?format=json", more).status, 403);
  EXPECT_EQ(
      Call(admin_, "GET", "/api/v1/directory/imports/0195b000-0000-7000-8000-0000000000ff").status,
      404);
}

TEST_F(DirectoryApiTest, AProviderKeepsTheirOwnListingAndPausedMeansHidden) {
  // Not linked yet: no listings, and the admin sees no link.
  auto none = Call(provider_, "GET", "/api/v1/provider/services");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_TRUE(ParseJson(none.body).at("services").as_array().empty());
  EXPECT_EQ(Call(admin_, "GET", "/api/v1/directory/provider-links/" + provider_.account.id).status,
            404);
  auto bad_org = Call(admin_, "PUT", "/api/v1/directory/provider-links/" + provider_.account.id,
                      R"({"organization_id":"0195b000-0000-7000-8000-0000000000ff"})");
  EXPECT_EQ(bad_org.status, 422) << bad_org.body;
  EXPECT_EQ(Call(admin_, "PUT", "/api/v1/directory/provider-links/" + staff_.account.id,
                 json::serialize(json::object{{"organization_id", kOrg}}))
                .status,
            404);  // not a provider account
  Link();
  auto link = Call(admin_, "GET", "/api/v1/directory/provider-links/" + provider_.account.id);
  EXPECT_EQ(S(ParseJson(link.body).at("organization_id")), kOrg);

  auto mine = ParseJson(Call(provider_, "GET", "/api/v1/provider/services").body);
  ASSERT_EQ(mine.at("services").as_array().size(), 1u);
  EXPECT_EQ(S(mine.at("services").at(0).at("id")), kService);
  // Another organization's listing does not exist for this provider.
  EXPECT_EQ(
      Call(provider_, "GET", std::string("/api/v1/provider/services/") + kOtherService).status,
      404);

  const std::string path = std::string("/api/v1/provider/services/") + kService;
  auto opened = Call(provider_, "POST", path + "/openings", R"({"available":3})");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(ParseJson(opened.body).at("openings").at("count").as_int64(), 3);
  EXPECT_EQ(Call(provider_, "POST", path + "/openings", R"({"available":-1})").status, 400);

  auto detail = Call(provider_, "GET", path);
  ASSERT_EQ(detail.status, 200);
  const auto detail_json = ParseJson(detail.body);
  for (const auto& f : detail_json.at("editable").as_array()) {
    EXPECT_NE(S(f), "status");  // providers pause and remove through /listing
  }
  auto edited = Call(provider_, "PATCH", path, R"({"fees_description":"Sliding scale"})",
                     {{"If-Match", Version(detail)}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(
      Call(provider_, "PATCH", path, R"({"status":"active"})", {{"If-Match", Version(edited)}})
          .status,
      422);

  auto ids = PublicServiceIds();
  EXPECT_NE(std::find(ids.begin(), ids.end(), kService), ids.end());
  auto paused = Call(provider_, "PUT", path + "/listing", R"({"state":"paused"})");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(S(ParseJson(paused.body).at("status")), "inactive");
  ids = PublicServiceIds();
  EXPECT_EQ(std::find(ids.begin(), ids.end(), kService), ids.end());
  EXPECT_EQ(Public("GET", std::string("/hsds/services/") + kService).status, 404);
  // Re-importing the source data does not bring it back.
  auto again = Upload(SeedDocument(), "seed.json");
  EXPECT_EQ(again.at("report").at("held").as_int64(), 1);
  ids = PublicServiceIds();
  EXPECT_EQ(std::find(ids.begin(), ids.end(), kService), ids.end());

  ASSERT_EQ(Call(provider_, "PUT", path + "/listing", R"({"state":"listed"})").status, 200);
  ASSERT_EQ(Call(provider_, "PUT", path + "/listing", R"({"state":"removed"})").status, 200);
  auto back = Call(provider_, "PUT", path + "/listing", R"({"state":"listed"})");
  EXPECT_EQ(back.status, 409) << back.body;
  EXPECT_EQ(Call(provider_, "PUT", path + "/listing", R"({"state":"gone"})").status, 422);
  // Staff see every step in the history.
  auto history =
      ParseJson(Call(staff_, "GET", std::string("/api/v1/directory/services/") + kService).body);
  int listing_changes = 0;
  for (const auto& h : history.at("history").as_array()) {
    if (S(h.at("action")) == "listing") ++listing_changes;
  }
  EXPECT_EQ(listing_changes, 3);
}

TEST_F(DirectoryApiTest, PrivateNotesAreForTheTeamOnlyAndNeverPublic) {
  Link();
  const std::string staff_path = std::string("/api/v1/directory/services/") + kService + "/private";
  const std::string mine = std::string("/api/v1/provider/services/") + kService + "/private";
  const std::string contact = "Practice manager, ext. 0142 (fictional)";
  const std::string waitlist = "Full until spring (fictional)";
  auto notes = [](json::value staff_contact, json::value waitlist_note) {
    return json::serialize(
        json::object{{"staff_contact", staff_contact}, {"waitlist_note", waitlist_note}});
  };
  auto empty = Call(staff_, "GET", staff_path);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.headers.Get("ETag"), "\"0\"");
  EXPECT_TRUE(ParseJson(empty.body).at("staff_contact").is_null());

  const std::string body = notes(json::string(contact), nullptr);
  EXPECT_EQ(Call(provider_, "PUT", mine, body).status, 428);
  auto saved = Call(provider_, "PUT", mine, body, {{"If-Match", "\"0\""}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.headers.Get("ETag"), "\"1\"");
  EXPECT_EQ(S(ParseJson(saved.body).at("updated_by_role")), "provider");
  // Staff read it (audited) and edit over the provider's version only.
  auto read = ParseJson(Call(staff_, "GET", staff_path).body);
  EXPECT_EQ(S(read.at("staff_contact")), contact);
  EXPECT_EQ(Call(staff_, "PUT", staff_path, notes(nullptr, json::string(waitlist)),
                 {{"If-Match", "\"0\""}})
                .status,
            412);
  auto staff_saved =
      Call(staff_, "PUT", staff_path, notes(json::string(contact), json::string(waitlist)),
           {{"If-Match", "\"1\""}});
  ASSERT_EQ(staff_saved.status, 200) << staff_saved.body;
  EXPECT_EQ(S(ParseJson(Call(provider_, "GET", mine).body).at("waitlist_note")), waitlist);

  // Bad input changes nothing and says which note.
  auto too_long =
      Call(staff_, "PUT", staff_path, notes(json::string(std::string(2001, 'x')), nullptr),
           {{"If-Match", "\"2\""}});
  EXPECT_EQ(too_long.status, 422) << too_long.body;
  EXPECT_EQ(S(ParseJson(too_long.body).at("errors").at(0).at("field")), "/staff_contact");
  EXPECT_EQ(Call(staff_, "PUT", staff_path,
                 json::serialize(json::object{{"staff_contact", nullptr}}), {{"If-Match", "\"2\""}})
                .status,
            422);
  EXPECT_EQ(Call(staff_, "PUT", staff_path, notes(1, nullptr), {{"If-Match", "\"2\""}}).status,
            400);
  EXPECT_EQ(ParseJson(Call(staff_, "GET", staff_path).body).at("version").as_int64(), 2);
  // Another organization's listing is not the provider's; the public never sees any of it.
  EXPECT_EQ(
      Call(provider_, "GET", std::string("/api/v1/provider/services/") + kOtherService + "/private")
          .status,
      404);
  EXPECT_EQ(Public("GET", staff_path).status, 401);
  for (const std::string& path :
       {std::string("/hsds/services/") + kService, std::string("/hsds/services?full=true"),
        std::string("/hsds/organizations/") + kOrg + "?full_service=true"}) {
    auto r = Public("GET", path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find("0142"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("until spring"), std::string::npos) << path;
  }
  std::ostringstream exported;
  ASSERT_TRUE(
      t_.app().directory().Export(domain::directory::DataFormat::kNdjson,
                                  [&](const std::string&) -> std::ostream* { return &exported; }));
  EXPECT_EQ(exported.str().find("0142"), std::string::npos);
  EXPECT_NE(exported.str().find("Demo Tour Therapy"), std::string::npos);
}

TEST_F(DirectoryApiTest, ACheckinLinkThatIsNotOursIsGone) {
  auto r = Public("POST", "/api/v1/provider/checkins",
                  R"({"token":"an-unknown-token-of-enough-length"})");
  EXPECT_EQ(r.status, 410) << r.body;
  EXPECT_EQ(Public("POST", "/api/v1/provider/checkins", R"({})").status, 422);
  EXPECT_EQ(Public("POST", "/api/v1/provider/checkins", R"({"token":"x","extra":1})").status, 400);
}

}  // namespace
}  // namespace soundcheck::testing
