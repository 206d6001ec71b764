// The public HSDS 3.1 API under /hsds, through the full pipeline, on SQLite and (as
// api_pgtest) on PostgreSQL. The directory holds the official Open Referral examples and a
// few hand-made, obviously fictional providers, so every filter is checked against exact
// ids and counts: paging, search, taxonomy and organization filters, modified_after,
// hidden services, postcode and proximity, NDJSON, problems, CORS, and sameness for every
// caller.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/accounts/roles.h"
#include "domain/directory/hsds_codec.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

namespace json = boost::json;
namespace dir = domain::directory;
using V = std::vector<std::string>;

std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

// Ids of our fictional records: they sort before the official examples' ids.
std::string Id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0195a000-0000-7000-8000-%012d", n);
  return buf;
}

// The official examples' ids.
constexpr const char* kOfficialService = "ac148810-d857-441c-9679-408f346de14b";
constexpr const char* kOfficialOrganization = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
constexpr const char* kOfficialServiceAtLocation = "e94c9f38-1e8f-4564-91d4-d53501ab1765";
constexpr const char* kOfficialTaxonomy = "5c4d79d7-cc55-470e-9f1f-8cad074e4892";
constexpr const char* kOfficialTerm = "3f7b145d-84af-42d7-8fae-eaca714b02b2";

void ExpectProblem(const http::Response& r, int status, const std::string& field = "") {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/problem+json");
  auto v = ParseJson(r.body);
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.at("status").as_int64(), status);
  EXPECT_FALSE(S(v.at("title")).empty());
  EXPECT_FALSE(S(v.at("detail")).empty());
  EXPECT_EQ(S(v.at("instance")).rfind("urn:request:", 0), 0u);
  if (!field.empty()) {
    ASSERT_TRUE(v.as_object().contains("errors")) << r.body;
    EXPECT_EQ(S(v.at("errors").at(0).at("field")), field) << r.body;
    // The detail a person reads names the parameter too.
    EXPECT_NE(S(v.at("detail")).find(field.substr(1)), std::string::npos) << r.body;
  }
}

// Everything a streamed body sends, as the server would write it.
std::string Drain(http::Response& r, int* pieces = nullptr) {
  if (!r.stream) return r.body;
  int wakes = 0;
  r.stream->OnReady([&wakes] { ++wakes; });
  std::string out;
  bool done = false;
  int n = 0;
  while (!done && n < 100000) {
    out += r.stream->Next(done);
    ++n;
  }
  EXPECT_TRUE(done);
  EXPECT_FALSE(r.stream->failed());
  EXPECT_EQ(wakes, n - 1);  // woken after every batch but the last
  r.stream.reset();
  if (pieces) *pieces = n;
  return out;
}

std::vector<json::object> NdjsonLines(const std::string& body) {
  std::vector<json::object> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    auto v = ParseJson(line);
    EXPECT_TRUE(v.is_object()) << line;
    if (v.is_object()) out.push_back(v.as_object());
  }
  EXPECT_TRUE(body.empty() || body.back() == '\n');
  return out;
}

json::value Get(TestApp& t, const std::string& target, int status = 200) {
  auto r = t.Call("GET", target);
  EXPECT_EQ(r.status, status) << target << "\n" << r.body;
  return ParseJson(r.body);
}

dir::ImportSource FromText(std::string name, std::string text, std::string resource = "") {
  dir::ImportSource source;
  source.name = std::move(name);
  source.resource = std::move(resource);
  source.open = [text]() { return std::make_unique<std::istringstream>(text); };
  source.total_bytes = text.size();
  return source;
}

void MustImport(TestApp& t, dir::ImportSource source) {
  auto report = t.app().directory().Import(source, {});
  ASSERT_TRUE(report) << report.error().message;
  std::string issues;
  for (const auto& i : report->issues.issues()) {
    issues += i.where + " " + i.resource + " " + i.field + ": " + i.message + "\n";
  }
  ASSERT_TRUE(report->imported) << source.name << "\n" << issues;
}

// A tabular document: one array of flat records per HSDS type.
class Tabular {
 public:
  Tabular& Add(const std::string& resource, json::object fields) {
    auto& list = doc_[resource];
    if (!list.is_array()) list = json::array();
    list.as_array().push_back(std::move(fields));
    return *this;
  }
  std::string Text() const { return json::serialize(doc_); }

 private:
  json::object doc_;
};

json::object Address(int location, const char* postcode) {
  return {
      {"id", Id(location + 100)}, {"location_id", Id(location)},   {"address_1", "1 Made-up Row"},
      {"city", "Nowhere"},        {"state_province", "Imaginary"}, {"postal_code", postcode},
      {"country", "GB"},          {"address_type", "physical"}};
}

class HsdsApiTest : public ::testing::Test {
 protected:
  HsdsApiTest() : t({.public_requests_per_minute = 100000}) {}

  // The official examples, then two batches of fictional providers two days apart:
  //   organization 1; taxonomy 2 with terms 3 and 4;
  //   services 10 active, 11 active, 12 inactive, 13 defunct, 14 active (batch 1),
  //            15 temporarily closed, 16 active (batch 2);
  //   locations 20 ZZ1 1AA (51.5, -0.1), 21 zz1 1aa (51.502, -0.1), 22 ZZ9 9ZZ (51.6, -0.1),
  //             23 37203 (Nashville);
  //   service_at_locations 30 (10@20), 31 (11@21), 32 (12@20), 33 (14@22), 34 (16@23);
  //   attributes: 10 → term 3, 11 → term 4, 12 → term 3.
  void SetUp() override {
    const auto examples =
        std::filesystem::path(SC_SOURCE_DIR) / ".." / "shared" / "hsds" / "examples";
    for (const char* file :
         {"organization_full.json", "service_full.json", "service_at_location_full.json",
          "location.json", "taxonomy.json", "taxonomy_term.json", "organization_list.json",
          "service_list.json", "service_at_location_list.json", "taxonomy_list.json",
          "taxonomy_term_list.json"}) {
      std::ifstream in(examples / file);
      std::stringstream text;
      text << in.rdbuf();
      ASSERT_FALSE(text.str().empty()) << file;
      MustImport(t, FromText(file, text.str(), dir::ResourceFromFileName(file)));
    }
    first_import_ = core::ToUnixSeconds(t.clock().Now());

    Tabular a;
    a.Add("organization", {{"id", Id(1)},
                           {"name", "Fictional Amp Collective"},
                           {"description", "A made-up practice group for tests."},
                           {"x_soundcheck_private_contact", "staff only"}});
    a.Add("taxonomy",
          {{"id", Id(2)}, {"name", "Fictional facets"}, {"description", "Made up for tests."}});
    a.Add("taxonomy_term", {{"id", Id(3)},
                            {"name", "Touring fatigue"},
                            {"description", "Made up."},
                            {"taxonomy_id", Id(2)}});
    a.Add("taxonomy_term", {{"id", Id(4)},
                            {"name", "Stage fright"},
                            {"description", "Made up."},
                            {"taxonomy_id", Id(2)}});
    auto service = [](Tabular& t, int n, const char* name, const char* status) {
      t.Add("service", {{"id", Id(n)},
                        {"organization_id", Id(1)},
                        {"name", name},
                        {"description", "A fictional provider for tests."},
                        {"status", status},
                        {"x_soundcheck_private_waitlist_note", "staff only"}});
    };
    service(a, 10, "Tuning Fork Counselling", "active");
    service(a, 11, "Encore Peer Support", "active");
    service(a, 12, "Feedback Loop Therapy", "inactive");
    service(a, 13, "Backstage Wellness Clinic", "defunct");
    service(a, 14, "Soundboard Counselling Group", "active");
    auto location = [](Tabular& t, int n, const char* postcode, double lat, double lon) {
      t.Add("location", {{"id", Id(n)},
                         {"location_type", "physical"},
                         {"name", "Fictional Hall " + std::to_string(n)},
                         {"latitude", lat},
                         {"longitude", lon}});
      t.Add("address", Address(n, postcode));
    };
    location(a, 20, "ZZ1 1AA", 51.5, -0.1);
    location(a, 21, "zz1 1aa", 51.502, -0.1);
    location(a, 22, "ZZ9 9ZZ", 51.6, -0.1);
    location(a, 23, "37203", 36.16, -86.78);
    auto sal = [](Tabular& t, int n, int s, int l) {
      t.Add("service_at_location", {{"id", Id(n)}, {"service_id", Id(s)}, {"location_id", Id(l)}});
    };
    sal(a, 30, 10, 20);
    sal(a, 31, 11, 21);
    sal(a, 32, 12, 20);
    sal(a, 33, 14, 22);
    auto attribute = [](Tabular& t, int n, int s, int term) {
      t.Add("attribute", {{"id", Id(n)},
                          {"link_id", Id(s)},
                          {"link_entity", "service"},
                          {"link_type", "service"},
                          {"taxonomy_term_id", Id(term)}});
    };
    attribute(a, 40, 10, 3);
    attribute(a, 41, 11, 4);
    attribute(a, 42, 12, 3);
    MustImport(t, FromText("fictional-1.json", a.Text()));

    t.clock().Advance(std::chrono::hours(48));
    second_import_ = core::ToUnixSeconds(t.clock().Now());
    Tabular b;
    service(b, 15, "Roadie Recovery Circle", "temporarily closed");
    service(b, 16, "Green Room Listening Line", "active");
    sal(b, 34, 16, 23);
    MustImport(t, FromText("fictional-2.json", b.Text()));
  }

  json::value Get(const std::string& target, int status = 200) {
    return testing::Get(t, target, status);
  }
  V Ids(const json::value& page) {
    V ids;
    if (!page.is_object() || !page.as_object().contains("contents")) return {"(no page)"};
    for (const auto& item : page.at("contents").as_array()) ids.push_back(S(item.at("id")));
    return ids;
  }
  V List(const std::string& target) { return Ids(Get(target)); }
  int64_t Total(const std::string& target) { return Get(target).at("total_items").as_int64(); }

  TestApp t;
  int64_t first_import_ = 0;
  int64_t second_import_ = 0;
};

TEST_F(HsdsApiTest, BaseEndpointDescribesTheApi) {
  for (const char* path : {"/hsds/", "/hsds"}) {
    auto v = Get(path);
    ASSERT_TRUE(v.is_object());
    EXPECT_EQ(v.as_object().size(), 3u);
    EXPECT_EQ(S(v.at("version")), "3.1");
    EXPECT_EQ(S(v.at("profile")), "https://github.com/openreferral/specification");
    const std::string url = S(v.at("openapi_url"));
    EXPECT_EQ(url.rfind("http", 0), 0u) << url;
    EXPECT_TRUE(url.ends_with("/hsds/openapi.json")) << url;
    EXPECT_EQ(url.find("//hsds"), std::string::npos) << url;
  }
  // Our HSDS document: only the /hsds paths, with HSDS's parameters.
  auto doc = Get("/hsds/openapi.json");
  const auto& paths = doc.at("paths").as_object();
  EXPECT_TRUE(paths.contains("/hsds/services"));
  EXPECT_TRUE(paths.contains("/hsds/taxonomy_terms/{id}"));
  EXPECT_FALSE(paths.contains("/hsds/"));
  for (const auto& [path, item] : paths) EXPECT_TRUE(path.starts_with("/hsds")) << path;
  V names;
  for (const auto& p :
       doc.at("paths").at("/hsds/service_at_locations").at("get").at("parameters").as_array()) {
    names.push_back(S(p.at("name")));
  }
  EXPECT_EQ(names, (V{"search", "page", "per_page", "format", "modified_after", "taxonomy_term_id",
                      "taxonomy_id", "full", "organization_id", "postcode", "proximity"}));
  // ...and the whole API's document has them too.
  auto all = Get("/api/v1/openapi.json");
  EXPECT_TRUE(all.at("paths").as_object().contains("/hsds/services/{id}"));
}

TEST_F(HsdsApiTest, ThePageWrapperOnItsEdges) {
  // Six visible services: ours 10, 11, 14, 15, 16 and the official one (ids sort so).
  const V all = {Id(10), Id(11), Id(14), Id(15), Id(16), kOfficialService};
  auto page = Get("/hsds/services");
  EXPECT_EQ(Ids(page), all);
  EXPECT_EQ(json::serialize(json::object{{"total_items", 6},
                                         {"total_pages", 1},
                                         {"page_number", 1},
                                         {"size", 6},
                                         {"first_page", true},
                                         {"last_page", true},
                                         {"empty", false}}),
            [&] {
              auto o = page.as_object();
              o.erase("contents");
              return json::serialize(o);
            }());
  // Keys in HSDS's order, and nothing else.
  V keys;
  for (const auto& [k, v] : page.as_object()) keys.emplace_back(k);
  EXPECT_EQ(keys, (V{"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
                     "empty", "contents"}));

  // Exactly one full page.
  page = Get("/hsds/services?per_page=6");
  EXPECT_EQ(page.at("total_pages").as_int64(), 1);
  EXPECT_TRUE(page.at("last_page").as_bool());
  EXPECT_EQ(page.at("size").as_int64(), 6);
  // Two full pages of three.
  page = Get("/hsds/services?per_page=3&page=1");
  EXPECT_EQ(Ids(page), (V{Id(10), Id(11), Id(14)}));
  EXPECT_EQ(page.at("total_pages").as_int64(), 2);
  EXPECT_TRUE(page.at("first_page").as_bool());
  EXPECT_FALSE(page.at("last_page").as_bool());
  page = Get("/hsds/services?per_page=3&page=2");
  EXPECT_EQ(Ids(page), (V{Id(15), Id(16), kOfficialService}));
  EXPECT_FALSE(page.at("first_page").as_bool());
  EXPECT_TRUE(page.at("last_page").as_bool());
  // The last, partial page.
  page = Get("/hsds/services?per_page=4&page=2");
  EXPECT_EQ(Ids(page), (V{Id(16), kOfficialService}));
  EXPECT_EQ(page.at("size").as_int64(), 2);
  EXPECT_EQ(page.at("total_pages").as_int64(), 2);
  EXPECT_TRUE(page.at("last_page").as_bool());
  EXPECT_FALSE(page.at("empty").as_bool());
  // Past the end: 200, empty.
  page = Get("/hsds/services?per_page=3&page=3");
  EXPECT_EQ(Ids(page), V{});
  EXPECT_EQ(page.at("page_number").as_int64(), 3);
  EXPECT_EQ(page.at("total_items").as_int64(), 6);
  EXPECT_EQ(page.at("size").as_int64(), 0);
  EXPECT_TRUE(page.at("empty").as_bool());
  EXPECT_TRUE(page.at("last_page").as_bool());
  EXPECT_FALSE(page.at("first_page").as_bool());
  page = Get("/hsds/services?page=9223372036854775807&per_page=500");
  EXPECT_TRUE(page.at("empty").as_bool());
  // Nothing matches.
  page = Get("/hsds/services?search=zzzzzz");
  EXPECT_EQ(page.at("total_items").as_int64(), 0);
  EXPECT_EQ(page.at("total_pages").as_int64(), 0);
  EXPECT_EQ(page.at("size").as_int64(), 0);
  EXPECT_TRUE(page.at("empty").as_bool());
  EXPECT_TRUE(page.at("first_page").as_bool());
  EXPECT_TRUE(page.at("last_page").as_bool());
}

TEST_F(HsdsApiTest, SearchTaxonomyOrganizationAndModifiedAfterFilters) {
  // Every word must match, in any case; hidden services are not found.
  EXPECT_EQ(List("/hsds/services?search=counselling"), (V{Id(10), Id(14), kOfficialService}));
  EXPECT_EQ(List("/hsds/services?search=COUNSELLING%20Tuning"), (V{Id(10)}));
  EXPECT_EQ(List("/hsds/services?search=counselling+group"), (V{Id(14)}));
  EXPECT_EQ(List("/hsds/services?search=feedback"), V{});
  EXPECT_EQ(List("/hsds/services?search=100%25"), V{});
  // Taxonomy terms and taxonomies (the hidden service 12 has term 3 too).
  EXPECT_EQ(List("/hsds/services?taxonomy_term_id=" + Id(3)), (V{Id(10)}));
  EXPECT_EQ(List("/hsds/services?taxonomy_term_id=" + std::string(kOfficialTerm)),
            (V{kOfficialService}));
  EXPECT_EQ(List("/hsds/services?taxonomy_id=" + Id(2)), (V{Id(10), Id(11)}));
  EXPECT_EQ(List("/hsds/services?taxonomy_id=" + std::string(kOfficialTaxonomy)),
            (V{kOfficialService}));
  EXPECT_EQ(List("/hsds/services?taxonomy_id=" + Id(2) + "&search=encore"), (V{Id(11)}));
  EXPECT_EQ(List("/hsds/service_at_locations?taxonomy_term_id=" + Id(3)), (V{Id(30)}));
  // Organizations.
  EXPECT_EQ(List("/hsds/services?organization_id=" + Id(1)),
            (V{Id(10), Id(11), Id(14), Id(15), Id(16)}));
  EXPECT_EQ(List("/hsds/services?organization_id=" + std::string(kOfficialOrganization)),
            (V{kOfficialService}));
  EXPECT_EQ(List("/hsds/service_at_locations?organization_id=" + Id(1)),
            (V{Id(30), Id(31), Id(33), Id(34)}));
  // modified_after: the second batch came two days after everything else.
  const std::string second = core::FormatRfc3339(core::FromUnixSeconds(second_import_));
  const std::string first = core::FormatRfc3339(core::FromUnixSeconds(first_import_));
  EXPECT_EQ(List("/hsds/services?modified_after=" + second), (V{Id(15), Id(16)}));
  EXPECT_EQ(List("/hsds/services?modified_after=" + first),
            (V{Id(10), Id(11), Id(14), Id(15), Id(16), kOfficialService}));
  EXPECT_EQ(List("/hsds/services?modified_after=" + first.substr(0, 10)).size(), 6u);  // a date
  EXPECT_EQ(List("/hsds/service_at_locations?modified_after=" + second), (V{Id(34)}));
  // An offset: "+" must be sent as %2B; a bare "+" (read as a space) is understood too.
  const std::string local = core::FormatRfc3339(core::FromUnixSeconds(second_import_ + 3600));
  EXPECT_EQ(List("/hsds/services?modified_after=" + local.substr(0, 19) + "%2B01:00"),
            (V{Id(15), Id(16)}));
  EXPECT_EQ(List("/hsds/services?modified_after=" + local.substr(0, 19) + "+01:00"),
            (V{Id(15), Id(16)}));
  // Organizations, taxonomies and terms.
  EXPECT_EQ(List("/hsds/organizations"), (V{Id(1), kOfficialOrganization}));
  EXPECT_EQ(List("/hsds/organizations?search=collective"), (V{Id(1)}));
  EXPECT_EQ(List("/hsds/taxonomies"), (V{Id(2), kOfficialTaxonomy}));
  EXPECT_EQ(List("/hsds/taxonomy_terms"), (V{Id(3), Id(4), kOfficialTerm}));
  EXPECT_EQ(List("/hsds/taxonomy_terms?taxonomy_id=" + Id(2)), (V{Id(3), Id(4)}));
  EXPECT_EQ(List("/hsds/taxonomy_terms?search=stage"), (V{Id(4)}));
}

TEST_F(HsdsApiTest, HiddenServicesNeverAppear) {
  EXPECT_EQ(List("/hsds/service_at_locations"),
            (V{Id(30), Id(31), Id(33), Id(34), kOfficialServiceAtLocation}));
  Get("/hsds/services/" + Id(12), 404);
  Get("/hsds/services/" + Id(13), 404);
  Get("/hsds/service_at_locations/" + Id(32), 404);
  // The temporarily closed one is shown.
  EXPECT_EQ(S(Get("/hsds/services/" + Id(15)).at("status")), "temporarily closed");
  // Organizations list only their visible services.
  V services;
  const auto org = Get("/hsds/organizations/" + Id(1));
  for (const auto& s : org.at("services").as_array()) {
    services.push_back(S(s.at("id")));
  }
  EXPECT_EQ(services, (V{Id(10), Id(11), Id(14), Id(15), Id(16)}));
  // Not in NDJSON either, nor anywhere in any answer.
  std::string everything;
  for (const std::string& target :
       V{"/hsds/services?format=ndjson", "/hsds/service_at_locations?format=ndjson&full=true",
         "/hsds/organizations?format=ndjson&full=true&full_service=true",
         "/hsds/services?full=true&per_page=500", "/hsds/taxonomy_terms?format=ndjson"}) {
    auto r = t.Call("GET", target);
    ASSERT_EQ(r.status, 200) << target;
    everything += Drain(r);
  }
  for (const char* name : {"Feedback Loop Therapy", "Backstage Wellness Clinic"}) {
    EXPECT_EQ(everything.find(name), std::string::npos) << name;
  }
  for (int id : {12, 13, 32, 42}) EXPECT_EQ(everything.find(Id(id)), std::string::npos) << id;
  EXPECT_NE(everything.find("Tuning Fork Counselling"), std::string::npos);
  // Private extension fields never leave.
  EXPECT_EQ(everything.find("x_soundcheck_private"), std::string::npos);
  EXPECT_EQ(everything.find("staff only"), std::string::npos);
}

TEST_F(HsdsApiTest, ObjectsByIdAreFullyNested) {
  auto s = Get("/hsds/services/" + Id(10));
  EXPECT_EQ(S(s.at("name")), "Tuning Fork Counselling");
  EXPECT_EQ(S(s.at("organization").at("id")), Id(1));
  EXPECT_EQ(S(s.at("service_at_locations").at(0).at("id")), Id(30));
  EXPECT_EQ(
      S(s.at("service_at_locations").at(0).at("location").at("addresses").at(0).at("postal_code")),
      "ZZ1 1AA");
  EXPECT_EQ(S(s.at("attributes").at(0).at("taxonomy_term").at("id")), Id(3));
  EXPECT_FALSE(s.as_object().contains("x_soundcheck_private_waitlist_note"));
  EXPECT_FALSE(s.at("organization").as_object().contains("x_soundcheck_private_contact"));
  // Ids in upper case are the same ids.
  std::string upper = kOfficialService;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto official = Get("/hsds/services/" + upper);
  EXPECT_EQ(S(official.at("id")), kOfficialService);
  EXPECT_EQ(S(official.at("organization").at("id")), kOfficialOrganization);
  EXPECT_EQ(S(official.at("service_at_locations").at(0).at("id")), kOfficialServiceAtLocation);
  EXPECT_FALSE(official.at("cost_options").as_array().empty());
  // A service at a location comes with its service (as HSDS's examples show).
  auto sal = Get("/hsds/service_at_locations/" + std::string(kOfficialServiceAtLocation));
  EXPECT_EQ(S(sal.at("service").at("id")), kOfficialService);
  EXPECT_EQ(S(sal.at("location").at("id")), "3a19ff88-4620-4d17-9830-ac1d859eb5d5");
  EXPECT_FALSE(sal.at("service").as_object().contains("service_at_locations"));
  auto item = Get("/hsds/service_at_locations?per_page=1").at("contents").at(0);
  EXPECT_EQ(S(item.at("service").at("name")), "Tuning Fork Counselling");
  EXPECT_EQ(S(item.at("location").at("id")), Id(20));
  // List items carry their embedded references only; full=true nests them.
  auto flat = Get("/hsds/services?per_page=1").at("contents").at(0);
  EXPECT_EQ(S(flat.at("organization").at("id")), Id(1));
  EXPECT_FALSE(flat.as_object().contains("service_at_locations"));
  auto nested = Get("/hsds/services?per_page=1&full=true").at("contents").at(0);
  EXPECT_EQ(S(nested.at("service_at_locations").at(0).at("id")), Id(30));
  // Organizations: services simple, or fully nested with full_service.
  auto org = Get("/hsds/organizations/" + Id(1));
  EXPECT_FALSE(org.at("services").at(0).as_object().contains("service_at_locations"));
  org = Get("/hsds/organizations/" + Id(1) + "?full_service=true");
  EXPECT_EQ(S(org.at("services").at(0).at("service_at_locations").at(0).at("id")), Id(30));
  // Taxonomies and terms.
  EXPECT_EQ(S(Get("/hsds/taxonomies/" + Id(2)).at("name")), "Fictional facets");
  auto term = Get("/hsds/taxonomy_terms/" + Id(3));
  EXPECT_EQ(S(term.at("taxonomy_detail").at("id")), Id(2));
  EXPECT_EQ(
      S(Get("/hsds/taxonomy_terms/" + std::string(kOfficialTerm)).at("taxonomy_detail").at("id")),
      kOfficialTaxonomy);
}

TEST_F(HsdsApiTest, PostcodeAndProximity) {
  const std::string sal = "/hsds/service_at_locations?";
  // Postcodes compare without spaces or case (the hidden service's place is not shown).
  EXPECT_EQ(List(sal + "postcode=ZZ1%201AA"), (V{Id(30), Id(31)}));
  EXPECT_EQ(List(sal + "postcode=zz11aa"), (V{Id(30), Id(31)}));
  EXPECT_EQ(List(sal + "postcode=ABC+1234"), (V{kOfficialServiceAtLocation}));
  EXPECT_EQ(List(sal + "postcode=NO1+1NE"), V{});
  // The centre of ZZ1 1AA is the mean of locations 20 and 21: about 111 m from each.
  EXPECT_EQ(List(sal + "postcode=ZZ1+1AA&proximity=200"), (V{Id(30), Id(31)}));
  EXPECT_EQ(List(sal + "postcode=ZZ1+1AA&proximity=100"), V{});
  // Location 22 is 11 km north, Nashville far away.
  EXPECT_EQ(List(sal + "postcode=ZZ1+1AA&proximity=20000"), (V{Id(30), Id(31), Id(33)}));
  EXPECT_EQ(List(sal + "postcode=ZZ1+1AA&proximity=20000&per_page=2&page=2"), (V{Id(33)}));
  EXPECT_EQ(List(sal + "postcode=ZZ1+1AA&proximity=20000&search=encore"), (V{Id(31)}));
  EXPECT_EQ(List(sal + "postcode=37203&proximity=10000000"),
            (V{Id(30), Id(31), Id(33), Id(34)}));  // not the official one: no position
  // Unknown to the directory, or known without a position: 422; proximity alone: 400.
  ExpectProblem(t.Call("GET", sal + "postcode=NO1+1NE&proximity=10"), 422, "/postcode");
  ExpectProblem(t.Call("GET", sal + "postcode=ABC+1234&proximity=1000"), 422, "/postcode");
  ExpectProblem(t.Call("GET", sal + "postcode=NO1+1NE&proximity=10&format=ndjson"), 422,
                "/postcode");
  ExpectProblem(t.Call("GET", sal + "proximity=10"), 400, "/proximity");
  ExpectProblem(t.Call("GET", sal + "postcode=ZZ1&proximity=-5"), 400, "/proximity");
  ExpectProblem(t.Call("GET", "/hsds/services?postcode=ZZ1+1AA"), 400, "/postcode");
}

TEST_F(HsdsApiTest, NdjsonStreamsEveryItemWithoutTheWrapper) {
  for (const std::string& query : V{"", "search=counselling", "organization_id=" + Id(1),
                                    "taxonomy_id=" + Id(2), "modified_after=2026-09-22"}) {
    const std::string sep = query.empty() ? "" : "&";
    auto page = Get("/hsds/services?per_page=2&" + query);
    auto r = t.Call("GET", "/hsds/services?format=ndjson" + sep + query);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.Get("Content-Type"), "application/x-ndjson");
    EXPECT_TRUE(r.body.empty());
    ASSERT_TRUE(r.stream);
    auto lines = NdjsonLines(Drain(r));
    EXPECT_EQ(static_cast<int64_t>(lines.size()), page.at("total_items").as_int64()) << query;
    // The same items as the pages, in the same order.
    V ids;
    for (const auto& l : lines) {
      ids.push_back(S(l.at("id")));
      EXPECT_FALSE(l.contains("contents"));
    }
    V paged;
    for (int p = 1; p <= page.at("total_pages").as_int64(); ++p) {
      for (const auto& id :
           List("/hsds/services?per_page=2&page=" + std::to_string(p) + "&" + query)) {
        paged.push_back(id);
      }
    }
    EXPECT_EQ(ids, paged) << query;
  }
  auto r = t.Call("GET", "/hsds/service_at_locations?format=ndjson&postcode=ZZ1+1AA&proximity=200");
  auto lines = NdjsonLines(Drain(r));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(S(lines[1].at("service").at("name")), "Encore Peer Support");
  // Page parameters are still checked, then ignored.
  ExpectProblem(t.Call("GET", "/hsds/services?format=ndjson&per_page=0"), 400, "/per_page");
  auto taxonomies = t.Call("GET", "/hsds/taxonomies?format=ndjson&per_page=1");
  EXPECT_EQ(NdjsonLines(Drain(taxonomies)).size(), 2u);
  // HEAD: the headers only.
  auto head = t.Call("HEAD", "/hsds/services?format=ndjson");
  EXPECT_EQ(head.status, 200);
  EXPECT_FALSE(head.stream);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(HsdsApiTest, BadParametersAreProblemsNamingTheParameter) {
  ExpectProblem(t.Call("GET", "/hsds/services?per_page=0"), 400, "/per_page");
  ExpectProblem(t.Call("GET", "/hsds/services?per_page=501"), 400, "/per_page");
  ExpectProblem(t.Call("GET", "/hsds/services?per_page=lots"), 400, "/per_page");
  ExpectProblem(t.Call("GET", "/hsds/services?page=0"), 400, "/page");
  ExpectProblem(t.Call("GET", "/hsds/organizations?page=-1"), 400, "/page");
  ExpectProblem(t.Call("GET", "/hsds/services?format=csv"), 400, "/format");
  ExpectProblem(t.Call("GET", "/hsds/services?modified_after=2026-02-30"), 400, "/modified_after");
  ExpectProblem(t.Call("GET", "/hsds/services?modified_after=last+week"), 400, "/modified_after");
  ExpectProblem(t.Call("GET", "/hsds/services?taxonomy_term_id=anxiety"), 400, "/taxonomy_term_id");
  ExpectProblem(t.Call("GET", "/hsds/services?full=maybe"), 400, "/full");
  ExpectProblem(t.Call("GET", "/hsds/services?perpage=10"), 400, "/perpage");
  ExpectProblem(t.Call("GET", "/hsds/taxonomies?organization_id=" + Id(1)), 400,
                "/organization_id");
  ExpectProblem(t.Call("GET", "/hsds/services/" + Id(10) + "?full=true"), 400, "/full");
  // 404s: unknown, not a UUID, hidden.
  for (const std::string& target :
       V{"/hsds/services/" + Id(999), "/hsds/services/not-a-uuid", "/hsds/services/" + Id(12),
         "/hsds/organizations/" + Id(10), "/hsds/taxonomies/" + Id(3),
         "/hsds/taxonomy_terms/" + Id(2), "/hsds/service_at_locations/" + Id(32)}) {
    ExpectProblem(t.Call("GET", target), 404);
  }
  // Read-only.
  EXPECT_EQ(t.Call("POST", "/hsds/services", "{}").status, 405);
  EXPECT_EQ(t.Call("DELETE", "/hsds/services/" + Id(10)).status, 405);
}

TEST_F(HsdsApiTest, PublicCacheableAndReadableFromOtherOrigins) {
  auto r = t.Call("GET", "/hsds/services");
  EXPECT_EQ(r.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_NE(r.headers.Get("Access-Control-Expose-Headers").find("RateLimit-Remaining"),
            std::string::npos);
  EXPECT_EQ(r.headers.Get("Cache-Control"), "public, max-age=60");
  EXPECT_FALSE(r.headers.Get("RateLimit-Limit").empty());
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/json");
  // Problems too (a browser app must be able to read why), but only under /hsds, GET only.
  auto missing = t.Call("GET", "/hsds/services/" + Id(999));
  EXPECT_EQ(missing.headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(missing.headers.Get("Cache-Control"), "no-store");
  EXPECT_EQ(t.Call("GET", "/hsds/").headers.Get("Access-Control-Allow-Origin"), "*");
  EXPECT_TRUE(
      t.Call("POST", "/hsds/services", "{}").headers.Get("Access-Control-Allow-Origin").empty());
  EXPECT_TRUE(
      t.Call("GET", "/api/v1/crisis-resources").headers.Get("Access-Control-Allow-Origin").empty());
  EXPECT_TRUE(t.Call("GET", "/hsdsx").headers.Get("Access-Control-Allow-Origin").empty());
}

TEST_F(HsdsApiTest, EveryCallerGetsTheSameAnswer) {
  std::vector<TestApp::Session> sessions = {TestApp::Session{}};  // nobody
  for (auto role : domain::accounts::kAllRoles) {
    auto s = t.Login(t.CreateAccount(std::string(domain::accounts::RoleName(role))));
    ASSERT_EQ(s.status, 200);
    sessions.push_back(s);
  }
  for (const std::string& target :
       V{"/hsds/", "/hsds/services?per_page=2", "/hsds/services/" + Id(10),
         "/hsds/organizations?full=true", "/hsds/organizations/" + Id(1),
         "/hsds/service_at_locations?postcode=ZZ1+1AA&proximity=200",
         "/hsds/service_at_locations/" + Id(30), "/hsds/taxonomies", "/hsds/taxonomies/" + Id(2),
         "/hsds/taxonomy_terms", "/hsds/taxonomy_terms/" + Id(3), "/hsds/services/" + Id(12),
         "/hsds/services?per_page=0", "/hsds/services?format=ndjson"}) {
    std::optional<std::pair<int, std::string>> first;
    for (const auto& s : sessions) {
      auto r = t.Call("GET", target, "", s.cookie);
      std::string body = Drain(r);
      if (r.status >= 400) body = std::to_string(r.status);  // problems carry the request id
      if (!first) {
        first = {r.status, body};
        continue;
      }
      EXPECT_EQ(r.status, first->first) << target;
      EXPECT_EQ(body, first->second) << target;
    }
  }
}

// More services than one NDJSON batch: the stream reads them a batch at a time.
TEST(HsdsApiLargeTest, NdjsonOfManyServicesComesInBatches) {
  TestApp t({.public_requests_per_minute = 100000});
  constexpr int kCount = 450;
  Tabular d;
  d.Add("organization", {{"id", Id(1)},
                         {"name", "Fictional Chain of Rehearsal Rooms"},
                         {"description", "Made up for tests."}});
  for (int i = 0; i < kCount; ++i) {
    d.Add("service", {{"id", Id(1000 + i)},
                      {"organization_id", Id(1)},
                      {"name", "Fictional Room " + std::to_string(i)},
                      {"status", i % 10 == 9 ? "defunct" : "active"}});
  }
  MustImport(t, FromText("generated.json", d.Text()));
  const int64_t visible = kCount - kCount / 10;
  EXPECT_EQ(Get(t, "/hsds/services?per_page=1").at("total_items").as_int64(), visible);
  auto r = t.Call("GET", "/hsds/services?format=ndjson");
  int pieces = 0;
  auto lines = NdjsonLines(Drain(r, &pieces));
  EXPECT_EQ(static_cast<int64_t>(lines.size()), visible);
  EXPECT_GE(pieces, 3);
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_LT(S(lines[i - 1].at("id")), S(lines[i].at("id")));
  }
  auto last = Get(t, "/hsds/services?per_page=500&page=1");
  EXPECT_EQ(last.at("size").as_int64(), visible);
  EXPECT_TRUE(last.at("last_page").as_bool());
}

}  // namespace
}  // namespace soundcheck::testing
