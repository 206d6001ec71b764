// The HSDS API's rules without HTTP: query parameters, the Page arithmetic, modified_after,
// great-circle geometry, the public view, and DirectoryService's HSDS reads over the
// in-memory unit of work (hidden services, postcode centroid and proximity, NDJSON batches
// across groups of locations).
#include "domain/directory/hsds_api.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

#include "domain/directory/directory_service.h"
#include "domain/directory/testing/hsds_files.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::directory {
namespace {

namespace json = boost::json;
using testing::ReadText;
using testing::SchemaDir;
using testing::ShippedSchema;

using Params = std::map<std::string, std::string>;

// The problem's parameter, or "" when the query was accepted.
std::string Rejected(std::string_view resource, const Params& params) {
  auto q = ParseHsdsListQuery(resource, params);
  if (q) return "";
  EXPECT_EQ(q.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(q.error().public_detail.empty());
  return q.error().fields.empty() ? "?" : q.error().fields[0].field;
}

TEST(HsdsQueryTest, DefaultsAreHsdsDefaults) {
  auto q = ParseHsdsListQuery("service", {});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->resource, "service");
  EXPECT_EQ(q->page, 1);
  EXPECT_EQ(q->per_page, 50);
  EXPECT_FALSE(q->ndjson);
  EXPECT_FALSE(q->full);
  EXPECT_TRUE(q->words.empty());
  EXPECT_FALSE(q->modified_after);
}

TEST(HsdsQueryTest, PagingParametersAreCheckedAndNamed) {
  EXPECT_EQ(Rejected("service", {{"per_page", "0"}}), "/per_page");
  EXPECT_EQ(Rejected("service", {{"per_page", "501"}}), "/per_page");
  EXPECT_EQ(Rejected("service", {{"per_page", "ten"}}), "/per_page");
  EXPECT_EQ(Rejected("service", {{"per_page", "5.5"}}), "/per_page");
  EXPECT_EQ(Rejected("service", {{"per_page", "-1"}}), "/per_page");
  EXPECT_EQ(Rejected("service", {{"page", "0"}}), "/page");
  EXPECT_EQ(Rejected("service", {{"page", "-3"}}), "/page");
  EXPECT_EQ(Rejected("service", {{"page", "99999999999999999999999"}}), "/page");
  EXPECT_EQ(Rejected("service", {{"format", "xml"}}), "/format");
  EXPECT_EQ(Rejected("service", {{"full", "yes please"}}), "/full");
  auto q =
      ParseHsdsListQuery("service", {{"per_page", "500"}, {"page", "7"}, {"format", "ndjson"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->per_page, 500);
  EXPECT_EQ(q->page, 7);
  EXPECT_TRUE(q->ndjson);
  // An empty value is the parameter left out.
  q = ParseHsdsListQuery("service", {{"per_page", ""}, {"search", ""}, {"page", ""}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->per_page, 50);
}

TEST(HsdsQueryTest, EachEndpointTakesOnlyItsOwnParameters) {
  EXPECT_EQ(Rejected("service", {{"per-page", "10"}}), "/per-page");  // a typo is not ignored
  EXPECT_EQ(Rejected("service", {{"postcode", "ZZ1 1AA"}}), "/postcode");
  EXPECT_EQ(Rejected("taxonomy", {{"organization_id", "x"}}), "/organization_id");
  EXPECT_EQ(Rejected("taxonomy_term", {{"full", "true"}}), "/full");
  EXPECT_EQ(Rejected("organization", {{"organization_id", "x"}}), "/organization_id");
  EXPECT_EQ(Rejected("service", {{"a b\"<>", "1"}}), "/(unreadable name)");
  EXPECT_EQ(Rejected("service_at_location", {{"postcode", "ZZ1 1AA"}, {"proximity", "10"}}), "");
  EXPECT_EQ(Rejected("taxonomy_term", {{"taxonomy_id", "5C4D79D7-CC55-470E-9F1F-8CAD074E4892"}}),
            "");
  EXPECT_EQ(Rejected("organization", {{"full_service", "true"}, {"full", "1"}}), "");
  EXPECT_FALSE(ParseHsdsListQuery("location", {}));
  EXPECT_TRUE(ParseHsdsObjectQuery("organization", {{"full_service", "false"}}));
  EXPECT_FALSE(ParseHsdsObjectQuery("service", {{"full_service", "true"}}));
  EXPECT_FALSE(ParseHsdsObjectQuery("service", {{"page", "1"}}));
}

TEST(HsdsQueryTest, IdsMustBeUuidsAndAreLowerCased) {
  EXPECT_EQ(Rejected("service", {{"taxonomy_term_id", "anxiety"}}), "/taxonomy_term_id");
  EXPECT_EQ(Rejected("service", {{"organization_id", "1234"}}), "/organization_id");
  EXPECT_EQ(Rejected("service", {{"taxonomy_id", "x"}}), "/taxonomy_id");
  auto q =
      ParseHsdsListQuery("service", {{"organization_id", "D9D5E0F5-D3CE-4F73-9A2F-4DD0ECC6C610"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->organization_id, "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610");
}

TEST(HsdsQueryTest, SearchIsLowerCaseWordsAndLikeWildcardsSeparateWords) {
  auto q = ParseHsdsListQuery("service", {{"search", "  Tuning\tFORK  tuning 100%_sure\\x "}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->words, (std::vector<std::string>{"tuning", "fork", "100", "sure", "x"}));
  EXPECT_EQ(Rejected("service", {{"search", "a b c d e f g h i j k"}}), "/search");
  EXPECT_EQ(Rejected("service", {{"search", std::string(201, 'a')}}), "/search");
  q = ParseHsdsListQuery("service", {{"search", "% _"}});
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->words.empty());
}

TEST(HsdsQueryTest, PostcodeAndProximity) {
  auto q = ParseHsdsListQuery("service_at_location", {{"postcode", "zz1 1aa"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->postcode, "ZZ11AA");
  EXPECT_FALSE(q->proximity_meters);
  q = ParseHsdsListQuery("service_at_location", {{"postcode", "ZZ1 1AA"}, {"proximity", "1500.5"}});
  ASSERT_TRUE(q);
  EXPECT_DOUBLE_EQ(*q->proximity_meters, 1500.5);
  q = ParseHsdsListQuery("service_at_location", {{"postcode", "ZZ1 1AA"}, {"proximity", "1e12"}});
  ASSERT_TRUE(q);
  EXPECT_LT(*q->proximity_meters, 2.1e7);  // half the Earth reaches everywhere
  EXPECT_EQ(Rejected("service_at_location", {{"proximity", "100"}}), "/proximity");
  EXPECT_EQ(Rejected("service_at_location", {{"postcode", "ZZ1"}, {"proximity", "-1"}}),
            "/proximity");
  EXPECT_EQ(Rejected("service_at_location", {{"postcode", "ZZ1"}, {"proximity", "nan"}}),
            "/proximity");
  EXPECT_EQ(Rejected("service_at_location", {{"postcode", "ZZ1"}, {"proximity", "inf"}}),
            "/proximity");
  EXPECT_EQ(Rejected("service_at_location", {{"postcode", "ZZ1"}, {"proximity", "5km"}}),
            "/proximity");
  EXPECT_EQ(Rejected("service_at_location", {{"postcode", std::string(40, 'A')}}), "/postcode");
}

TEST(HsdsQueryTest, ModifiedAfterTakesRfc3339DateTimesAndDates) {
  EXPECT_EQ(ParseModifiedAfter("2025-01-31"), 1738281600);
  EXPECT_EQ(ParseModifiedAfter("2025-01-31T09:00:00Z"), 1738314000);
  EXPECT_EQ(ParseModifiedAfter("2025-01-31t09:00:00z"), 1738314000);
  EXPECT_EQ(ParseModifiedAfter("2025-01-31T10:00:00+01:00"), 1738314000);
  EXPECT_EQ(ParseModifiedAfter("2025-01-31T10:00:00 01:00"), 1738314000);  // '+' as a space
  EXPECT_EQ(ParseModifiedAfter("2025-01-31T08:30:00-00:30"), 1738314000);
  EXPECT_EQ(ParseModifiedAfter("2025-01-31T09:00:00.000Z"), 1738314000);
  EXPECT_EQ(ParseModifiedAfter("2025-01-31T09:00:00.5Z"), 1738314001);  // whole seconds stored
  EXPECT_EQ(ParseModifiedAfter("2024-02-29"), 1709164800);
  EXPECT_EQ(ParseModifiedAfter("1969-12-31T23:59:59Z"), -1);
  for (const char* bad :
       {"", "yesterday", "2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-1-31",
        "2025-01-31T24:00:00Z", "2025-01-31T09:00:00", "2025-01-31T09:00Z", "2025-01-31T09:00:00.Z",
        "2025-01-31T09:00:00+1:00", "2025-01-31T09:00:00+01:00x", "2025-01-31Z", "20250131"}) {
    EXPECT_FALSE(ParseModifiedAfter(bad)) << bad;
  }
  EXPECT_EQ(Rejected("service", {{"modified_after", "2025-02-30"}}), "/modified_after");
  auto q = ParseHsdsListQuery("service", {{"modified_after", "2025-01-31"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->modified_after, 1738281600);
}

TEST(HsdsPageTest, TheWrapperOnItsEdges) {
  // Nothing matches.
  PageInfo p = PageOf(0, 1, 50, 0);
  EXPECT_EQ(p.total_items, 0);
  EXPECT_EQ(p.total_pages, 0);
  EXPECT_EQ(p.page_number, 1);
  EXPECT_EQ(p.size, 0);
  EXPECT_TRUE(p.first_page);
  EXPECT_TRUE(p.last_page);
  EXPECT_TRUE(p.empty);
  // Exactly one full page.
  p = PageOf(50, 1, 50, 50);
  EXPECT_EQ(p.total_pages, 1);
  EXPECT_TRUE(p.first_page);
  EXPECT_TRUE(p.last_page);
  EXPECT_FALSE(p.empty);
  EXPECT_EQ(p.size, 50);
  // A page in the middle.
  p = PageOf(120, 2, 50, 50);
  EXPECT_EQ(p.total_pages, 3);
  EXPECT_FALSE(p.first_page);
  EXPECT_FALSE(p.last_page);
  // The last, partial page.
  p = PageOf(120, 3, 50, 20);
  EXPECT_EQ(p.total_pages, 3);
  EXPECT_TRUE(p.last_page);
  EXPECT_EQ(p.size, 20);
  // Past the end.
  p = PageOf(120, 9, 50, 0);
  EXPECT_EQ(p.page_number, 9);
  EXPECT_TRUE(p.empty);
  EXPECT_TRUE(p.last_page);
  EXPECT_FALSE(p.first_page);
  EXPECT_EQ(PageOffset(1, 50), 0);
  EXPECT_EQ(PageOffset(3, 50), 100);
  EXPECT_EQ(PageOffset(std::numeric_limits<int64_t>::max(), 500),
            std::numeric_limits<int64_t>::max());
}

TEST(HsdsGeoTest, DistancesCentresAndBoxes) {
  const GeoPoint london{51.5074, -0.1278}, paris{48.8566, 2.3522};
  EXPECT_NEAR(HaversineMeters(london, paris), 343'500, 1'000);
  EXPECT_DOUBLE_EQ(HaversineMeters(london, london), 0);
  EXPECT_NEAR(HaversineMeters({0, 0}, {0, 180}), 3.14159265 * kEarthRadiusMeters, 1);
  // 0.001 degrees of latitude is about 111 m.
  EXPECT_NEAR(HaversineMeters({51.5, -0.1}, {51.501, -0.1}), 111.2, 0.2);

  auto c = Centroid({{51.5, -0.1}, {51.502, -0.1}});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->latitude, 51.501, 1e-6);
  EXPECT_NEAR(c->longitude, -0.1, 1e-9);
  // Either side of the antimeridian: the centre is on it, not at longitude 0.
  c = Centroid({{10, 179}, {10, -179}});
  ASSERT_TRUE(c);
  EXPECT_NEAR(std::abs(c->longitude), 180, 1e-6);
  EXPECT_FALSE(Centroid({}));
  EXPECT_FALSE(Centroid({{0, 0}, {0, 180}}));  // opposite sides: no centre

  EXPECT_TRUE(ValidPosition(90, -180));
  EXPECT_FALSE(ValidPosition(100, 101));  // the official example's location
  EXPECT_FALSE(ValidPosition(std::numeric_limits<double>::quiet_NaN(), 0));

  auto inside = [](const std::vector<GeoBox>& boxes, GeoPoint p) {
    for (const auto& b : boxes) {
      if (p.latitude >= b.min_lat && p.latitude <= b.max_lat && p.longitude >= b.min_lon &&
          p.longitude <= b.max_lon) {
        return true;
      }
    }
    return false;
  };
  auto boxes = BoxesAround({51.5, -0.1}, 1000);
  ASSERT_EQ(boxes.size(), 1u);
  // Every point on the circle is in the box; the box is not much larger than the circle.
  for (int bearing = 0; bearing < 360; bearing += 15) {
    const double b = bearing * 3.14159265358979 / 180, d = 1000 / kEarthRadiusMeters;
    const double lat1 = 51.5 * 3.14159265358979 / 180, lon1 = -0.1 * 3.14159265358979 / 180;
    const double lat2 =
        std::asin(std::sin(lat1) * std::cos(d) + std::cos(lat1) * std::sin(d) * std::cos(b));
    const double lon2 = lon1 + std::atan2(std::sin(b) * std::sin(d) * std::cos(lat1),
                                          std::cos(d) - std::sin(lat1) * std::sin(lat2));
    const GeoPoint p{lat2 * 180 / 3.14159265358979, lon2 * 180 / 3.14159265358979};
    EXPECT_NEAR(HaversineMeters({51.5, -0.1}, p), 1000, 0.01);
    EXPECT_TRUE(inside(boxes, p)) << bearing;
  }
  EXPECT_LT(boxes[0].max_lat - boxes[0].min_lat, 0.02);
  // Across the antimeridian: two boxes, one each side.
  boxes = BoxesAround({-17.7, 179.99}, 5000);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_TRUE(inside(boxes, {-17.7, -179.99}));
  EXPECT_TRUE(inside(boxes, {-17.7, 179.96}));
  EXPECT_FALSE(inside(boxes, {-17.7, 0}));
  // Reaching a pole: every longitude.
  boxes = BoxesAround({89.99, 10}, 5000);
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_TRUE(inside(boxes, {89.995, -170}));
}

TEST(HsdsPublicViewTest, PrivateFieldsNeverLeaveAtAnyDepth) {
  json::object o = json::parse(R"({
    "id": "a", "name": "Fictional Practice", "x_soundcheck_private_note": "staff only",
    "x_soundcheck_private": 1, "x_public_extension": "kept",
    "organization": {"id": "o", "x_soundcheck_private_contact": "x"},
    "phones": [{"id": "p", "x_soundcheck_private_line": "x", "languages": [
      {"id": "l", "x_soundcheck_private_flag": true, "name": "Urdu"}]}]
  })")
                       .as_object();
  PublicView(o);
  EXPECT_EQ(json::serialize(o),
            R"({"id":"a","name":"Fictional Practice","x_public_extension":"kept",)"
            R"("organization":{"id":"o"},"phones":[{"id":"p","languages":[{"id":"l",)"
            R"("name":"Urdu"}]}]})");
}

// --- DirectoryService's HSDS reads over the in-memory unit of work ---------------------

std::string S(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : "?"; }

std::string Id(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

// A tabular document (the form `export --format json` writes): one array per HSDS type.
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

class HsdsServiceTest : public ::testing::Test {
 protected:
  HsdsServiceTest()
      : clock_(core::FromUnixSeconds(1'790'000'000)),
        service_(runner_, clock_, ShippedSchema(), ReadText(SchemaDir() / "datapackage.json")) {}

  void Import(const std::string& text) {
    ImportSource source;
    source.name = "test.json";
    source.open = [text]() { return std::make_unique<std::istringstream>(text); };
    auto report = service_.Import(source, {});
    ASSERT_TRUE(report) << report.error().message;
    std::string issues;
    for (const auto& i : report->issues.issues()) issues += i.field + ": " + i.message + "\n";
    ASSERT_TRUE(report->imported) << issues;
  }

  // org 1; services 10 (active), 11 (inactive), 12 (temporarily closed);
  // locations 20 (ZZ1 1AA, 51.5/-0.1), 21 (zz1 1aa, 51.502/-0.1), 22 (ZZ9 9ZZ, 51.6/-0.1),
  // 23 (ZZ5 5ZZ, no position); service_at_locations 30 (10@20), 31 (11@20), 32 (12@21),
  // 33 (12@22), 34 (10@23).
  void Seed() {
    Tabular t;
    t.Add("organization", {{"id", Id(1)},
                           {"name", "Fictional Amp Collective"},
                           {"description", "Made up for tests."},
                           {"x_soundcheck_private_note", "staff only"}});
    auto service = [&](int n, const char* name, const char* status) {
      t.Add("service", {{"id", Id(n)},
                        {"organization_id", Id(1)},
                        {"name", name},
                        {"status", status},
                        {"x_soundcheck_private_waitlist", "staff only"}});
    };
    service(10, "Tuning Fork Counselling", "active");
    service(11, "Feedback Loop Therapy", "inactive");
    service(12, "Encore Peer Support", "temporarily closed");
    auto location = [&](int n, const char* postcode, std::optional<double> lat) {
      json::object l{{"id", Id(n)}, {"location_type", "physical"}, {"name", "Fictional Hall"}};
      if (lat) {
        l["latitude"] = *lat;
        l["longitude"] = -0.1;
      }
      t.Add("location", std::move(l));
      t.Add("address", {{"id", Id(n + 100)},
                        {"location_id", Id(n)},
                        {"address_1", "1 Made-up Row"},
                        {"city", "Nowhere"},
                        {"state_province", "Imaginary"},
                        {"postal_code", postcode},
                        {"country", "GB"},
                        {"address_type", "physical"}});
    };
    location(20, "ZZ1 1AA", 51.5);
    location(21, "zz1 1aa", 51.502);
    location(22, "ZZ9 9ZZ", 51.6);
    location(23, "ZZ5 5ZZ", std::nullopt);
    auto sal = [&](int n, int s, int l) {
      t.Add("service_at_location", {{"id", Id(n)}, {"service_id", Id(s)}, {"location_id", Id(l)}});
    };
    sal(30, 10, 20);
    sal(31, 11, 20);
    sal(32, 12, 21);
    sal(33, 12, 22);
    sal(34, 10, 23);
    Import(t.Text());
  }

  std::vector<std::string> Ids(const HsdsPage& page) {
    std::vector<std::string> ids;
    for (const auto& item : page.contents) ids.emplace_back(item.at("id").as_string());
    return ids;
  }

  HsdsListQuery Query(std::string_view resource, const Params& params) {
    auto q = ParseHsdsListQuery(resource, params);
    EXPECT_TRUE(q) << q.error().public_detail;
    return q ? *q : HsdsListQuery{};
  }

  std::vector<std::string> List(std::string_view resource, const Params& params) {
    auto page = service_.ListPage(Query(resource, params));
    EXPECT_TRUE(page) << page.error().message;
    return page ? Ids(*page) : std::vector<std::string>{"error"};
  }

  core::ManualClock clock_;
  domain::testing::MemoryRunner runner_;
  DirectoryService service_;
};

TEST_F(HsdsServiceTest, HiddenServicesAndTheirLocationsAreNeverPublic) {
  Seed();
  EXPECT_EQ(List("service", {}), (std::vector<std::string>{Id(10), Id(12)}));
  EXPECT_EQ(List("service_at_location", {}),
            (std::vector<std::string>{Id(30), Id(32), Id(33), Id(34)}));
  EXPECT_EQ(List("service", {{"search", "feedback"}}), std::vector<std::string>{});
  auto hidden = service_.PublicObject("service", Id(11), {});
  ASSERT_TRUE(hidden);
  EXPECT_FALSE(*hidden);
  auto hidden_sal = service_.PublicObject("service_at_location", Id(31), {});
  ASSERT_TRUE(hidden_sal);
  EXPECT_FALSE(*hidden_sal);
  auto not_uuid = service_.PublicObject("service", "not-a-uuid", {});
  ASSERT_TRUE(not_uuid);
  EXPECT_FALSE(*not_uuid);
  // A temporarily closed service is still shown, and its id is found in any case.
  std::string upper = Id(12);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto closed = service_.PublicObject("service", upper, {});
  ASSERT_TRUE(closed);
  ASSERT_TRUE(*closed);
  EXPECT_EQ(S((*closed)->at("status")), "temporarily closed");
  // An organization lists only its visible services.
  auto org = service_.PublicObject("organization", Id(1), {});
  ASSERT_TRUE(org && *org);
  std::vector<std::string> listed;
  for (const auto& s : (*org)->at("services").as_array())
    listed.emplace_back(s.at("id").as_string());
  EXPECT_EQ(listed, (std::vector<std::string>{Id(10), Id(12)}));
}

TEST_F(HsdsServiceTest, PrivateFieldsAreDroppedFromEveryView) {
  Seed();
  auto page = service_.ListPage(Query("service_at_location", {{"full", "true"}}));
  ASSERT_TRUE(page);
  auto org = service_.PublicObject("organization", Id(1), {.full_service = true});
  ASSERT_TRUE(org && *org);
  auto cursor = service_.OpenList(Query("service", {{"format", "ndjson"}}));
  ASSERT_TRUE(cursor);
  auto batch = service_.NextBatch(*cursor, 10);
  ASSERT_TRUE(batch);
  std::string all = json::serialize(**org);
  for (const auto& item : page->contents) all += json::serialize(item);
  for (const auto& item : *batch) all += json::serialize(item);
  EXPECT_NE(all.find("Tuning Fork Counselling"), std::string::npos);
  EXPECT_NE(all.find("Fictional Amp Collective"), std::string::npos);
  EXPECT_EQ(all.find("x_soundcheck_private"), std::string::npos) << all;
  EXPECT_EQ(all.find("staff only"), std::string::npos);
}

TEST_F(HsdsServiceTest, AServiceAtLocationComesWithItsServiceAndLocation) {
  Seed();
  auto page = service_.ListPage(Query("service_at_location", {{"per_page", "1"}}));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->contents.size(), 1u);
  const auto& item = page->contents[0];
  EXPECT_EQ(S(item.at("service").at("id")), Id(10));
  EXPECT_EQ(S(item.at("service").at("organization").at("id")), Id(1));
  EXPECT_EQ(S(item.at("location").at("id")), Id(20));
  EXPECT_EQ(page->info.total_items, 4);
  EXPECT_EQ(page->info.total_pages, 4);
  auto full = service_.PublicObject("service_at_location", Id(30), {});
  ASSERT_TRUE(full && *full);
  EXPECT_EQ((*full)->at("location").at("addresses").as_array().size(), 1u);
  EXPECT_FALSE((*full)->at("service").as_object().contains("service_at_locations"));
}

TEST_F(HsdsServiceTest, PostcodeAloneAndWithProximity) {
  Seed();
  using V = std::vector<std::string>;
  // Postcodes compare without spaces or case; the inactive service's place is not shown.
  EXPECT_EQ(List("service_at_location", {{"postcode", "zz11aa"}}), (V{Id(30), Id(32)}));
  EXPECT_EQ(List("service_at_location", {{"postcode", "ZZ0 0ZZ"}}), V{});
  // The centre of ZZ1 1AA is midway between locations 20 and 21, about 111 m from each.
  EXPECT_EQ(List("service_at_location", {{"postcode", "ZZ1 1AA"}, {"proximity", "112"}}),
            (V{Id(30), Id(32)}));
  EXPECT_EQ(List("service_at_location", {{"postcode", "ZZ1 1AA"}, {"proximity", "110"}}), V{});
  // Location 22 is 11 km north.
  EXPECT_EQ(List("service_at_location", {{"postcode", "ZZ1 1AA"}, {"proximity", "20000"}}),
            (V{Id(30), Id(32), Id(33)}));
  EXPECT_EQ(List("service_at_location",
                 {{"postcode", "ZZ1 1AA"}, {"proximity", "20000"}, {"search", "encore"}}),
            (V{Id(32), Id(33)}));
  // A postcode we do not know, or know without a position: no centre to measure from.
  for (const char* postcode : {"ZZ0 0ZZ", "ZZ5 5ZZ"}) {
    auto page = service_.ListPage(
        Query("service_at_location", {{"postcode", postcode}, {"proximity", "5"}}));
    ASSERT_FALSE(page) << postcode;
    EXPECT_EQ(page.error().code, core::ErrorCode::kUnprocessable);
    EXPECT_EQ(page.error().fields.at(0).field, "/postcode");
    EXPECT_FALSE(page.error().public_detail.empty());
    EXPECT_FALSE(service_.OpenList(
        Query("service_at_location", {{"postcode", postcode}, {"proximity", "5"}})));
  }
  // Known postcode, location without a position: found by postcode alone.
  EXPECT_EQ(List("service_at_location", {{"postcode", "ZZ5 5ZZ"}}), (V{Id(34)}));
}

TEST_F(HsdsServiceTest, ModifiedAfterCountsFromEachRecordsLastChange) {
  Seed();
  const int64_t first = core::ToUnixSeconds(clock_.Now());
  clock_.Advance(std::chrono::hours(24));
  Tabular t;
  t.Add("service", {{"id", Id(13)},
                    {"organization_id", Id(1)},
                    {"name", "Roadie Recovery Circle"},
                    {"status", "active"}});
  Import(t.Text());
  const std::string later = core::FormatRfc3339(clock_.Now());
  EXPECT_EQ(List("service", {{"modified_after", later}}), std::vector<std::string>{Id(13)});
  EXPECT_EQ(
      List("service", {{"modified_after", core::FormatRfc3339(core::FromUnixSeconds(first))}}),
      (std::vector<std::string>{Id(10), Id(12), Id(13)}));
}

// More locations than one query sends at a time: pages and batches cross the groups.
TEST_F(HsdsServiceTest, ManyLocationsAtOnePostcodeArePagedAcrossGroups) {
  constexpr int kCount = 1100;
  static_assert(kCount > static_cast<int>(kLocationChunk));
  Tabular t;
  t.Add("organization", {{"id", Id(1)},
                         {"name", "Fictional Chain of Rehearsal Rooms"},
                         {"description", "Made up for tests."}});
  for (int i = 0; i < kCount; ++i) {
    t.Add("service", {{"id", Id(10000 + i)},
                      {"organization_id", Id(1)},
                      {"name", "Fictional Room " + std::to_string(i)},
                      {"status", "active"}});
    t.Add("location", {{"id", Id(20000 + i)},
                       {"location_type", "physical"},
                       {"latitude", 51.5 + i * 1e-6},
                       {"longitude", -0.1}});
    t.Add("address", {{"id", Id(30000 + i)},
                      {"location_id", Id(20000 + i)},
                      {"address_1", "1 Made-up Row"},
                      {"city", "Nowhere"},
                      {"state_province", "Imaginary"},
                      {"postal_code", "ZZ1 1AA"},
                      {"country", "GB"},
                      {"address_type", "physical"}});
    t.Add("service_at_location",
          {{"id", Id(40000 + i)}, {"service_id", Id(10000 + i)}, {"location_id", Id(20000 + i)}});
  }
  Import(t.Text());
  for (const char* proximity : {"", "5000"}) {
    std::set<std::string> seen;
    for (int page = 1; page <= 4; ++page) {
      auto p = service_.ListPage(Query("service_at_location", {{"postcode", "ZZ1 1AA"},
                                                               {"proximity", proximity},
                                                               {"per_page", "300"},
                                                               {"page", std::to_string(page)}}));
      ASSERT_TRUE(p) << p.error().message;
      EXPECT_EQ(p->info.total_items, kCount);
      EXPECT_EQ(p->info.total_pages, 4);
      EXPECT_EQ(p->info.size, page < 4 ? 300 : 200) << page;
      for (const auto& id : Ids(*p)) EXPECT_TRUE(seen.insert(id).second) << id;
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(kCount));

    auto cursor = service_.OpenList(
        Query("service_at_location",
              {{"postcode", "ZZ1 1AA"}, {"proximity", proximity}, {"format", "ndjson"}}));
    ASSERT_TRUE(cursor);
    std::set<std::string> streamed;
    int batches = 0;
    while (!cursor->done) {
      auto batch = service_.NextBatch(*cursor, 250);
      ASSERT_TRUE(batch) << batch.error().message;
      ASSERT_LT(++batches, 20);
      for (const auto& item : *batch) {
        EXPECT_TRUE(streamed.insert(std::string(item.at("id").as_string())).second);
      }
    }
    EXPECT_EQ(streamed, seen);
  }
}

}  // namespace
}  // namespace soundcheck::domain::directory
