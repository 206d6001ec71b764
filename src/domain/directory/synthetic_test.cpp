// The vocabulary, the zone1970.tab reader and the synthetic directory generator.
//
// Bounded memory is by design and not measured here: GenerateDirectory hands each record to
// the sink as soon as it is built and keeps nothing between providers (only the city table,
// the plan catalogue and the resolved terms live for the whole run), so a million providers
// need no more memory than ten. The checks below are themselves streaming: they keep ids for
// the foreign-key check and one provider's facts at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <ios>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/json.hpp>

#include "domain/directory/synthetic.h"
#include "domain/directory/vocabulary.h"

namespace soundcheck::domain::directory {
namespace {

constexpr char kToday[] = "2025-06-15";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& VocabularyText() {
  static const std::string text = ReadFile(SC_SOURCE_DIR "/data/directory/vocabulary.json");
  return text;
}

const Vocabulary& TheVocabulary() {
  static const Vocabulary v = [] {
    auto parsed = Vocabulary::Parse(VocabularyText());
    if (!parsed) ADD_FAILURE() << parsed.error().message;
    return parsed ? *parsed : Vocabulary();
  }();
  return v;
}

const std::vector<City>& Cities() {
  static const std::vector<City> cities = [] {
    auto parsed = ParseZone1970(ReadFile("/usr/share/zoneinfo/zone1970.tab"));
    if (!parsed) ADD_FAILURE() << parsed.error().message;
    return parsed ? *parsed : std::vector<City>();
  }();
  return cities;
}

const City* FindCity(std::string_view zone) {
  for (const City& c : Cities()) {
    if (c.zone == zone) return &c;
  }
  return nullptr;
}

std::string DayOffset(int days) {
  using namespace std::chrono;
  const year_month_day base{2025y, June, 15d};
  const year_month_day ymd{sys_days(base) + std::chrono::days(days)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

bool IsLowerUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = s[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsDate(std::string_view s) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2})");
  return std::regex_match(s.begin(), s.end(), re);
}

// ---------------------------------------------------------------------------------------
// Vocabulary

TEST(VocabularyTest, ParsesTheShippedVocabulary) {
  auto parsed = Vocabulary::Parse(VocabularyText());
  ASSERT_TRUE(parsed) << parsed.error().message;
  const Vocabulary& v = *parsed;
  EXPECT_EQ(v.taxonomy().name, "Soundcheck facets");
  EXPECT_EQ(v.taxonomy().id, "e6a0bad2-9ee2-5f88-80a8-66fe70e900dd");
  EXPECT_EQ(v.openings_unit().name, "openings");
  EXPECT_EQ(v.openings_unit().id, "badfd5d8-cdd6-5c09-bad0-9be4c5e72e24");
  EXPECT_EQ(v.terms().size(), 100u);

  const Term* therapy = v.FindByCode("care_type:individual-therapy");
  ASSERT_NE(therapy, nullptr);
  EXPECT_EQ(therapy->id, "7fde81f2-027d-58fa-9fb9-276c2885d313");
  EXPECT_EQ(therapy->facet, "care_type");
  EXPECT_EQ(therapy->kind, "flag");
  const Term* group = v.FindById(therapy->parent_id);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->code, "care_type");
  EXPECT_EQ(group->kind, "group");
  EXPECT_TRUE(group->parent_id.empty());
  EXPECT_EQ(v.FindById(therapy->id), therapy);
  EXPECT_EQ(v.FindByCode("care_type:nonexistent"), nullptr);
  EXPECT_EQ(v.FindById("00000000-0000-4000-8000-000000000000"), nullptr);

  EXPECT_EQ(v.TermsOf("care_type", "flag").size(), 32u);
  EXPECT_EQ(v.FindByCode("fact:licence")->kind, "value");
}

TEST(VocabularyTest, EmitsHsdsRecordsOnly) {
  const Vocabulary& v = TheVocabulary();
  std::vector<Record> records;
  ASSERT_TRUE(v.EmitRecords([&](Record r) {
    records.push_back(std::move(r));
    return core::Ok();
  }));
  ASSERT_EQ(records.size(), 1 + v.terms().size() + 1);
  EXPECT_EQ(records.front().resource, "taxonomy");
  EXPECT_EQ(records.front().fields.at("name").as_string(), "Soundcheck facets");
  EXPECT_EQ(records.front().fields.at("version").as_string(), "1");
  EXPECT_EQ(records.back().resource, "unit");
  EXPECT_EQ(records.back().fields.at("name").as_string(), "openings");
  EXPECT_EQ(records.back().fields.at("identifier").as_string(), "openings");

  std::set<std::string> seen;
  const std::set<std::string> allowed = {"id",        "code",        "name",    "description",
                                         "parent_id", "taxonomy_id", "taxonomy"};
  for (size_t i = 1; i + 1 < records.size(); ++i) {
    const Record& r = records[i];
    EXPECT_EQ(r.resource, "taxonomy_term");
    EXPECT_EQ(r.id, r.fields.at("id").as_string());
    for (const auto& [key, value] : r.fields) {
      EXPECT_TRUE(allowed.count(std::string(key))) << "non-HSDS key " << key;
    }
    EXPECT_EQ(r.fields.at("taxonomy").as_string(), "Soundcheck facets");
    EXPECT_EQ(r.fields.at("taxonomy_id").as_string(), v.taxonomy().id);
    if (const auto* parent = r.fields.if_contains("parent_id")) {
      EXPECT_TRUE(seen.count(std::string(parent->as_string()))) << "parent after child";
    }
    seen.insert(r.id);
  }
  // The sink's error stops the emission.
  int calls = 0;
  auto failed = v.EmitRecords([&](Record) -> core::Status {
    if (++calls == 3) return core::Error::Unavailable("sink full");
    return core::Ok();
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "sink full");
  EXPECT_EQ(calls, 3);
}

TEST(VocabularyTest, RejectsBrokenInput) {
  const boost::json::value original = boost::json::parse(VocabularyText());
  const std::string other_uuid = "11111111-2222-4333-8444-555555555555";
  struct Case {
    std::string name;
    std::function<void(boost::json::object&)> mutate;  // null: use `text`
    std::string text;
    std::string pointer;  // the first field error's JSON pointer; "*parent_id": ends so
  };
  auto term = [](boost::json::object& doc, size_t i) -> boost::json::object& {
    return doc["terms"].as_array()[i].as_object();
  };
  const std::vector<Case> cases = {
      {"text that is not JSON", nullptr, "{\"taxonomy\": ", ""},
      {"a root that is not an object", nullptr, "[]", ""},
      {"no taxonomy", [](auto& d) { d.erase("taxonomy"); }, "", "/taxonomy"},
      {"a taxonomy id that is not a UUID",
       [](auto& d) { d["taxonomy"].as_object()["id"] = "facets"; }, "", "/taxonomy/id"},
      {"a taxonomy without a description",
       [](auto& d) { d["taxonomy"].as_object().erase("description"); }, "",
       "/taxonomy/description"},
      {"no openings unit", [](auto& d) { d.erase("openings_unit"); }, "", "/openings_unit"},
      {"an openings unit without a name",
       [](auto& d) { d["openings_unit"].as_object().erase("name"); }, "", "/openings_unit/name"},
      {"terms that are not an array", [](auto& d) { d["terms"] = "many"; }, "", "/terms"},
      {"no terms", [](auto& d) { d.erase("terms"); }, "", "/terms"},
      {"a term that is not an object", [](auto& d) { d["terms"].as_array()[3] = 7; }, "",
       "/terms/3"},
      {"a term without a code", [&](auto& d) { term(d, 3).erase("code"); }, "", "/terms/3/code"},
      {"a term without an id", [&](auto& d) { term(d, 3).erase("id"); }, "", "/terms/3/id"},
      {"an upper-case term id",
       [&](auto& d) { term(d, 3)["id"] = "7FDE81F2-027D-58FA-9FB9-276C2885D313"; }, "",
       "/terms/3/id"},
      {"a name that is not a string", [&](auto& d) { term(d, 3)["name"] = 5; }, "",
       "/terms/3/name"},
      {"an empty description", [&](auto& d) { term(d, 3)["description"] = ""; }, "",
       "/terms/3/description"},
      {"a term without a facet", [&](auto& d) { term(d, 3).erase("facet"); }, "", "/terms/3/facet"},
      {"a kind that is not group, flag or value", [&](auto& d) { term(d, 3)["kind"] = "tag"; }, "",
       "/terms/3/kind"},
      {"a term without a kind", [&](auto& d) { term(d, 3).erase("kind"); }, "", "/terms/3/kind"},
      {"a duplicate id", [&](auto& d) { term(d, 5)["id"] = term(d, 4)["id"]; }, "", "/terms/5/id"},
      {"a term reusing the taxonomy's id",
       [&](auto& d) { term(d, 5)["id"] = d["taxonomy"].as_object()["id"]; }, "", "/terms/5/id"},
      {"a duplicate code", [&](auto& d) { term(d, 5)["code"] = term(d, 4)["code"]; }, "",
       "/terms/5/code"},
      {"a code outside its facet", [&](auto& d) { term(d, 3)["code"] = "issue:grief-2"; }, "",
       "/terms/3/code"},
      {"a code with upper case", [&](auto& d) { term(d, 3)["code"] = "care_type:Yoga"; }, "",
       "/terms/3/code"},
      {"a group whose code is not its facet",
       [&](auto& d) { term(d, 0)["code"] = "care_type:all"; }, "", "/terms/0/code"},
      {"a parent that does not exist", [&](auto& d) { term(d, 3)["parent_id"] = other_uuid; }, "",
       "/terms/3/parent_id"},
      {"a term that is its own parent",
       [&](auto& d) { term(d, 3)["parent_id"] = term(d, 3)["id"]; }, "", "/terms/3/parent_id"},
      {"a cycle of parents", [&](auto& d) { term(d, 0)["parent_id"] = term(d, 1)["id"]; }, "",
       "*parent_id"},
      {"another taxonomy's term", [&](auto& d) { term(d, 3)["taxonomy_id"] = other_uuid; }, "",
       "/terms/3/taxonomy_id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = c.text;
    if (c.mutate) {
      boost::json::value doc = original;
      c.mutate(doc.as_object());
      text = boost::json::serialize(doc);
    }
    auto parsed = Vocabulary::Parse(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
    ASSERT_FALSE(parsed.error().fields.empty());
    const std::string& pointer = parsed.error().fields[0].field;
    if (c.pointer.starts_with("*")) {
      EXPECT_TRUE(pointer.ends_with(c.pointer.substr(1))) << pointer;
    } else {
      EXPECT_EQ(pointer, c.pointer) << parsed.error().message;
    }
    EXPECT_FALSE(parsed.error().message.empty());
  }
}

// ---------------------------------------------------------------------------------------
// zone1970.tab

TEST(Zone1970Test, ParsesTheSystemTable) {
  const auto& cities = Cities();
  EXPECT_GE(cities.size(), 300u);
  for (const City& c : cities) {
    EXPECT_LE(std::abs(c.latitude), 90.0) << c.zone;
    EXPECT_LE(std::abs(c.longitude), 180.0) << c.zone;
    EXPECT_EQ(c.country.size(), 2u) << c.zone;
    EXPECT_FALSE(c.name.empty()) << c.zone;
    EXPECT_EQ(c.name.find('_'), std::string::npos) << c.zone;
    if (c.country == "US" || c.country == "CA") {
      EXPECT_TRUE(c.jurisdiction.starts_with(c.country + "-")) << c.zone;
    }
  }

  const City* la = FindCity("America/Los_Angeles");  // +340308-1181434
  ASSERT_NE(la, nullptr);
  EXPECT_EQ(la->name, "Los Angeles");
  EXPECT_EQ(la->country, "US");
  EXPECT_EQ(la->jurisdiction, "US-CA");
  EXPECT_NEAR(la->latitude, 34 + 3 / 60.0 + 8 / 3600.0, 1e-9);
  EXPECT_NEAR(la->longitude, -(118 + 14 / 60.0 + 34 / 3600.0), 1e-9);
  const City* berlin = FindCity("Europe/Berlin");  // +5230+01322, the ±DDMM form
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->country, "DE");  // the first of DE,DK,NO,SE,SJ
  EXPECT_EQ(berlin->jurisdiction, "DE");
  EXPECT_NEAR(berlin->latitude, 52.5, 1e-9);
  EXPECT_NEAR(berlin->longitude, 13 + 22 / 60.0, 1e-9);

  const std::map<std::string, std::string> expected = {
      {"America/New_York", "US-NY"},
      {"America/Chicago", "US-IL"},
      {"America/Denver", "US-CO"},
      {"America/Phoenix", "US-AZ"},
      {"America/Detroit", "US-MI"},
      {"America/Menominee", "US-MI"},
      {"America/Boise", "US-ID"},
      {"America/Anchorage", "US-AK"},
      {"America/Adak", "US-AK"},
      {"America/Sitka", "US-AK"},
      {"Pacific/Honolulu", "US-HI"},
      {"America/Indiana/Knox", "US-IN"},
      {"America/Kentucky/Louisville", "US-KY"},
      {"America/North_Dakota/New_Salem", "US-ND"},
      {"America/Toronto", "CA-ON"},
      {"America/Vancouver", "CA-BC"},
      {"America/Halifax", "CA-NS"},
      {"America/Edmonton", "CA-AB"},
      {"Europe/London", "GB"},
      {"Asia/Tokyo", "JP"},
  };
  for (const auto& [zone, jurisdiction] : expected) {
    const City* c = FindCity(zone);
    ASSERT_NE(c, nullptr) << zone;
    EXPECT_EQ(c->jurisdiction, jurisdiction) << zone;
  }
  EXPECT_EQ(FindCity("America/North_Dakota/New_Salem")->name, "New Salem");
  EXPECT_EQ(FindCity("America/Phoenix")->country, "US");  // "US,CA": the first
  EXPECT_EQ(FindCity("America/Toronto")->country, "CA");  // "CA,BS"
  EXPECT_EQ(JurisdictionOfZone("America/Nowhere", "US"), "US");
  EXPECT_EQ(JurisdictionOfZone("America/Toronto", "BS"), "BS");
}

TEST(Zone1970Test, ReadsCommentsSecondsAndCrLf) {
  const std::string text =
      "# comment\n"
      "\n"
      "US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)\r\n"
      "GB,GG\t+513030-0000731\tEurope/London\n"
      "AQ\t-7824+10654\tAntarctica/Vostok";
  auto cities = ParseZone1970(text);
  ASSERT_TRUE(cities) << cities.error().message;
  ASSERT_EQ(cities->size(), 3u);
  EXPECT_EQ((*cities)[0].name, "New York");
  EXPECT_NEAR((*cities)[0].latitude, 40 + 42 / 60.0 + 51 / 3600.0, 1e-9);
  EXPECT_NEAR((*cities)[0].longitude, -(74 + 0 / 60.0 + 23 / 3600.0), 1e-9);
  EXPECT_EQ((*cities)[1].country, "GB");
  EXPECT_NEAR((*cities)[1].longitude, -(7 / 60.0 + 31 / 3600.0), 1e-9);
  EXPECT_NEAR((*cities)[2].latitude, -(78 + 24 / 60.0), 1e-9);
}

TEST(Zone1970Test, RejectsBrokenRows) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"two columns", "# x\nUS\t+4042-07400\n"},
      {"lower-case country", "us\t+4042-07400\tAmerica/New_York\n"},
      {"three-letter country", "USA\t+4042-07400\tAmerica/New_York\n"},
      {"coordinates without a second sign", "US\t+404207400\tAmerica/New_York\n"},
      {"coordinates with too few digits", "US\t+404-07400\tAmerica/New_York\n"},
      {"minutes beyond 59", "US\t+4072-07400\tAmerica/New_York\n"},
      {"latitude beyond 90", "US\t+9130-07400\tAmerica/New_York\n"},
      {"an empty zone", "US\t+4042-07400\t\n"},
  };
  for (const auto& [name, text] : cases) {
    SCOPED_TRACE(name);
    auto parsed = ParseZone1970(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
    const std::string line = name == "two columns" ? "line 2" : "line 1";
    EXPECT_NE(parsed.error().message.find(line), std::string::npos) << parsed.error().message;
  }
}

TEST(Zone1970Test, RanksMusicHubsFirst) {
  const auto ranked = RankCities(Cities());
  ASSERT_GE(ranked.size(), 6u);
  EXPECT_EQ(ranked[0].zone, "America/Los_Angeles");
  EXPECT_EQ(ranked[1].zone, "America/New_York");
  EXPECT_EQ(ranked[2].zone, "America/Chicago");
  EXPECT_EQ(ranked[3].zone, "Europe/London");
  EXPECT_EQ(ranked[4].zone, "America/Toronto");
  EXPECT_EQ(ranked[5].zone, "Europe/Berlin");
  for (const City& c : ranked) EXPECT_NE(c.country, "AQ");
  std::set<std::string> zones;
  for (const City& c : ranked) zones.insert(c.zone);
  EXPECT_EQ(zones.size(), ranked.size());
}

// ---------------------------------------------------------------------------------------
// The generator

core::Status Generate(int64_t providers, uint64_t seed, const RecordSink& sink) {
  return GenerateDirectory({providers, seed, kToday}, TheVocabulary(), Cities(), sink);
}

uint64_t Fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

uint64_t StreamHash(int64_t providers, uint64_t seed, size_t* count = nullptr) {
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t n = 0;
  auto status = Generate(providers, seed, [&](Record r) {
    h = Fnv1a(h, r.resource);
    h = Fnv1a(h, "\n");
    h = Fnv1a(h, boost::json::serialize(r.fields));
    h = Fnv1a(h, "\n");
    ++n;
    return core::Ok();
  });
  EXPECT_TRUE(status) << status.error().message;
  if (count) *count = n;
  return h;
}

TEST(GeneratorTest, IsDeterministic) {
  size_t n1 = 0;
  size_t n2 = 0;
  const uint64_t a = StreamHash(300, 7, &n1);
  const uint64_t b = StreamHash(300, 7, &n2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(n1, n2);
  EXPECT_NE(a, StreamHash(300, 8));

  // Provider i depends only on (seed, i): a smaller directory is a prefix of a larger one.
  std::vector<Record> small;
  std::vector<Record> large;
  ASSERT_TRUE(Generate(40, 7, [&](Record r) {
    small.push_back(std::move(r));
    return core::Ok();
  }));
  ASSERT_TRUE(Generate(80, 7, [&](Record r) {
    large.push_back(std::move(r));
    return core::Ok();
  }));
  ASSERT_LT(small.size(), large.size());
  for (size_t i = 0; i < small.size(); ++i) ASSERT_EQ(small[i], large[i]) << i;
}

// The output is pinned: the same bytes from every compiler, standard library and platform
// (the generator has its own PRNG and distributions and never draws twice in one expression,
// whose evaluation order compilers choose differently). The inputs are fixed here: four
// cities, and the vocabulary with every name and description replaced by the term's code, so
// editing the vocabulary's wording does not move the pin. A deliberate change to the
// generator changes the value: update kPinned from the failure message.
TEST(GeneratorTest, OutputIsPinned) {
  constexpr uint64_t kPinned = 0x595bd406b9ea8906ULL;
  const std::string tab =
      "US\t+340308-1181434\tAmerica/Los_Angeles\n"
      "US\t+404251-0740023\tAmerica/New_York\n"
      "GB,GG,IM,JE\t+513030-0000731\tEurope/London\n"
      "DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\n";
  auto cities = ParseZone1970(tab);
  ASSERT_TRUE(cities);
  boost::json::value doc = boost::json::parse(VocabularyText());
  for (auto& t : doc.as_object()["terms"].as_array()) {
    auto& term = t.as_object();
    term["name"] = term["code"];
    term["description"] = term["code"];
  }
  auto vocabulary = Vocabulary::Parse(boost::json::serialize(doc));
  ASSERT_TRUE(vocabulary) << vocabulary.error().message;
  uint64_t h = 0xcbf29ce484222325ULL;
  auto status = GenerateDirectory({300, 1, kToday}, *vocabulary, *cities, [&](Record r) {
    if (r.resource != "taxonomy" && r.resource != "taxonomy_term" && r.resource != "unit") {
      h = Fnv1a(h, r.resource);
      h = Fnv1a(h, boost::json::serialize(r.fields));
    }
    return core::Ok();
  });
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(h, kPinned) << "the generator's output changed; if on purpose, kPinned = 0x" << std::hex
                        << h;
}

TEST(GeneratorTest, RejectsBadOptionsAndStopsAtTheSinksError) {
  auto ok_sink = [](Record) { return core::Ok(); };
  for (const char* today : {"2025-02-30", "2025-6-15", "yesterday", ""}) {
    auto s = GenerateDirectory({10, 1, today}, TheVocabulary(), Cities(), ok_sink);
    ASSERT_FALSE(s) << today;
    EXPECT_EQ(s.error().code, core::ErrorCode::kInvalidArgument) << today;
  }
  auto negative = GenerateDirectory({-1, 1, kToday}, TheVocabulary(), Cities(), ok_sink);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().code, core::ErrorCode::kInvalidArgument);
  auto no_cities = GenerateDirectory({10, 1, kToday}, TheVocabulary(), {}, ok_sink);
  ASSERT_FALSE(no_cities);
  EXPECT_EQ(no_cities.error().code, core::ErrorCode::kInvalidArgument);

  // A vocabulary without fact:licence cannot carry the directory.
  boost::json::value doc = boost::json::parse(VocabularyText());
  auto& terms = doc.as_object()["terms"].as_array();
  terms.erase(std::remove_if(terms.begin(), terms.end(),
                             [](const boost::json::value& t) {
                               return t.as_object().at("code").as_string() == "fact:licence";
                             }),
              terms.end());
  auto smaller = Vocabulary::Parse(boost::json::serialize(doc));
  ASSERT_TRUE(smaller) << smaller.error().message;
  auto lacking = GenerateDirectory({10, 1, kToday}, *smaller, Cities(), ok_sink);
  ASSERT_FALSE(lacking);
  EXPECT_EQ(lacking.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(lacking.error().message.find("fact:licence"), std::string::npos);

  // Zero providers: the vocabulary's records only.
  size_t count = 0;
  ASSERT_TRUE(Generate(0, 1, [&](Record) {
    ++count;
    return core::Ok();
  }));
  EXPECT_EQ(count, TheVocabulary().terms().size() + 2);

  int calls = 0;
  auto stopped = Generate(100, 1, [&](Record) -> core::Status {
    if (++calls == 150) return core::Error::Unavailable("disk full");
    return core::Ok();
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "disk full");
  EXPECT_EQ(calls, 150);
}

// The HSDS schema of one object, as far as flat records need it.
struct SchemaInfo {
  std::vector<std::string> required;  // required in the tabular form
  boost::json::object properties;
};

const std::string& SchemaDir() {
  static const std::string dir = SC_SOURCE_DIR "/../shared/hsds/schema";
  return dir;
}

const SchemaInfo& SchemaFor(const std::string& resource) {
  static std::map<std::string, SchemaInfo> cache;
  auto it = cache.find(resource);
  if (it != cache.end()) return it->second;
  SchemaInfo info;
  const std::string text = ReadFile(SchemaDir() + "/" + resource + ".json");
  boost::system::error_code ec;
  const auto doc = boost::json::parse(text, ec);
  if (ec || !doc.is_object()) {
    ADD_FAILURE() << "no HSDS schema for " << resource;
    return cache[resource];
  }
  const auto& o = doc.as_object();
  info.properties = o.at("properties").as_object();
  for (const char* list : {"required", "tabular_required"}) {
    if (const auto* v = o.if_contains(list)) {
      for (const auto& f : v->as_array()) {
        std::string name(f.as_string());
        // A required embedded object ("unit") is its foreign key in the tabular form.
        const auto& prop = info.properties.at(name).as_object();
        if (prop.contains("$ref")) name += "_id";
        info.required.push_back(name);
      }
    }
  }
  return cache[resource] = std::move(info);
}

// The resource a foreign-key field points at.
const std::map<std::string, std::string>& ForeignKeys() {
  static const std::map<std::string, std::string> fks = {
      {"organization_id", "organization"},
      {"service_id", "service"},
      {"location_id", "location"},
      {"service_at_location_id", "service_at_location"},
      {"unit_id", "unit"},
      {"taxonomy_id", "taxonomy"},
      {"taxonomy_term_id", "taxonomy_term"},
      {"parent_id", "taxonomy_term"},
      {"phone_id", "phone"},
      {"contact_id", "contact"},
      {"program_id", "program"},
      {"parent_organization_id", "organization"},
  };
  return fks;
}

// One service's facts, gathered while its records stream past.
struct ServiceFacts {
  bool clinician = false;
  bool telehealth = false;
  bool virtual_only = false;
  bool accepting = false;
  bool has_capacity = false;
  bool inactive = false;
  bool stale_assurance = false;
  bool music = false;
  bool lgbtq = false;
  bool sliding = false;
  bool sliding_minimum = false;
  bool gender = false;
  bool prescriber = false;
  bool licence_prescriber = false;
  int panels = 0;
  int languages = 0;
  int care_types = 0;
  int earliest = 0;
  int waitlist = 0;
  bool english = false;
  bool spanish = false;
  std::string city;
};

struct Totals {
  int64_t services = 0;
  int64_t clinicians = 0;
  int64_t telehealth = 0;
  int64_t virtual_only = 0;
  int64_t accepting = 0;
  int64_t inactive = 0;
  int64_t stale_assurance = 0;
  int64_t music = 0;
  int64_t lgbtq = 0;
  int64_t sliding = 0;
  int64_t gender = 0;
  int64_t panels = 0;
  int64_t english = 0;
  int64_t spanish = 0;
  std::vector<int64_t> fees;
  std::map<std::string, int64_t> resources;
  std::map<std::string, int64_t> cities;
  std::map<std::string, int64_t> care_types;
  std::map<std::string, int64_t> plans;
  std::set<std::string> soft_tags;
  std::map<std::string, int64_t> licence_types;
};

// Checks every record as it arrives and gathers the distributions.
class Checker {
 public:
  explicit Checker(const Vocabulary& v) : vocab_(v) {}

  core::Status operator()(Record r) {
    Check(r);
    return core::Ok();
  }
  void Finish() { Flush(); }
  const Totals& totals() const { return totals_; }

 private:
  void Flush() {
    if (!open_) return;
    open_ = false;
    const ServiceFacts& f = current_;
    EXPECT_TRUE(f.has_capacity);
    EXPECT_GE(f.languages, 1);
    EXPECT_LE(f.languages, 3);
    EXPECT_GE(f.care_types, 1);
    EXPECT_LE(f.care_types, 3);
    EXPECT_EQ(f.prescriber, f.licence_prescriber);
    EXPECT_EQ(f.sliding, f.sliding_minimum);
    // Accepting services say when; the others say how long the wait is.
    EXPECT_EQ(f.earliest, f.accepting ? 1 : 0);
    EXPECT_EQ(f.waitlist, f.accepting ? 0 : 1);
    ++totals_.services;
    totals_.clinicians += f.clinician;
    totals_.telehealth += f.telehealth;
    totals_.virtual_only += f.virtual_only;
    totals_.accepting += f.accepting;
    totals_.inactive += f.inactive;
    totals_.stale_assurance += f.stale_assurance;
    totals_.music += f.music;
    totals_.lgbtq += f.lgbtq;
    totals_.sliding += f.sliding;
    totals_.gender += f.gender;
    totals_.panels += f.panels;
    totals_.english += f.english;
    totals_.spanish += f.spanish;
    if (!f.city.empty()) ++totals_.cities[f.city];
  }

  void CheckSchema(const Record& r) {
    const SchemaInfo& schema = SchemaFor(r.resource);
    for (const std::string& name : schema.required) {
      EXPECT_TRUE(r.fields.contains(name)) << r.resource << " lacks required " << name;
    }
    for (const auto& [key, value] : r.fields) {
      const auto* prop = schema.properties.if_contains(key);
      if (prop == nullptr) {
        ADD_FAILURE() << r.resource << " has a field HSDS does not define: " << key;
        continue;
      }
      const auto& p = prop->as_object();
      ASSERT_FALSE(p.contains("$ref")) << r.resource << "." << key << " is nested";
      const std::string type(p.at("type").as_string());
      if (type == "string") {
        ASSERT_TRUE(value.is_string()) << r.resource << "." << key;
        EXPECT_FALSE(value.as_string().empty()) << r.resource << "." << key;
      } else if (type == "number") {
        EXPECT_TRUE(value.is_number()) << r.resource << "." << key;
      } else {
        ADD_FAILURE() << r.resource << "." << key << " has schema type " << type;
      }
      if (const auto* e = p.if_contains("enum")) {
        const auto& options = e->as_array();
        EXPECT_NE(std::find(options.begin(), options.end(), value), options.end())
            << r.resource << "." << key << " = " << boost::json::serialize(value);
      }
      if (const auto* fmt = p.if_contains("format"); fmt && value.is_string()) {
        const std::string_view s = value.as_string();
        if (fmt->as_string() == "uuid") {
          EXPECT_TRUE(IsLowerUuid(s)) << r.resource << "." << key << " = " << s;
        } else if (fmt->as_string() == "date-time") {
          static const std::regex re(
              R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
          EXPECT_TRUE(std::regex_match(s.begin(), s.end(), re)) << s;
        } else if (fmt->as_string() == "email") {
          EXPECT_TRUE(s.ends_with("@example.org")) << r.resource << "." << key << " = " << s;
        } else if (fmt->as_string() == "uri") {
          EXPECT_TRUE(s.starts_with("https://")) << s;
        }
      }
    }
  }

  void CheckForeignKeys(const Record& r) {
    for (const auto& [key, value] : r.fields) {
      auto fk = ForeignKeys().find(std::string(key));
      if (fk == ForeignKeys().end()) continue;
      const std::string target(value.as_string());
      EXPECT_TRUE(ids_[fk->second].count(target))
          << r.resource << "." << key << " points at no earlier " << fk->second;
    }
    if (r.resource == "attribute") {
      const std::string entity(r.fields.at("link_entity").as_string());
      EXPECT_TRUE(ids_[entity].count(std::string(r.fields.at("link_id").as_string())))
          << "attribute.link_id points at no earlier " << entity;
    }
  }

  void Check(const Record& r) {
    ASSERT_TRUE(r.fields.contains("id"));
    ASSERT_EQ(r.id, r.fields.at("id").as_string());
    EXPECT_TRUE(all_ids_.insert(r.id).second) << "duplicate id " << r.id;
    ++totals_.resources[r.resource];
    CheckSchema(r);
    CheckForeignKeys(r);
    ids_[r.resource].insert(r.id);

    const auto str = [&](const char* key) {
      const auto* v = r.fields.if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    if (r.resource == "organization") {
      Flush();
      open_ = true;
      current_ = ServiceFacts{};
      const std::string name = str("name");
      EXPECT_TRUE(name.find("DEMO") != std::string::npos ||
                  name.find("fictional") != std::string::npos)
          << name;
      EXPECT_TRUE(str("website").starts_with("https://example.org/"));
    } else if (r.resource == "service") {
      const std::string name = str("name");
      EXPECT_TRUE(name.find("DEMO") != std::string::npos ||
                  name.find("fictional") != std::string::npos)
          << name;
      current_.clinician = name.find("Demo Clinician") != std::string::npos;
      current_.inactive = str("status") == "inactive";
      EXPECT_TRUE(IsDate(str("assured_date")));
      EXPECT_LE(str("assured_date"), kToday);
      EXPECT_GE(str("assured_date"), DayOffset(-400));
      current_.stale_assurance = str("assured_date") < DayOffset(-365);
    } else if (r.resource == "location") {
      if (str("location_type") == "virtual") {
        current_.virtual_only = true;
        EXPECT_FALSE(r.fields.contains("latitude"));
      } else {
        EXPECT_TRUE(r.fields.at("latitude").is_double());
        EXPECT_TRUE(r.fields.at("longitude").is_double());
      }
    } else if (r.resource == "address") {
      EXPECT_TRUE(str("address_1").ends_with(" Demo Street")) << str("address_1");
      EXPECT_TRUE(str("postal_code").starts_with("DEMO-")) << str("postal_code");
      EXPECT_EQ(str("country").size(), 2u);
      current_.city = str("city");
    } else if (r.resource == "phone") {
      static const std::regex re(R"(\+1-[2-9][0-8][0-9]-555-01[0-9]{2})");
      const std::string number = str("number");
      EXPECT_TRUE(std::regex_match(number, re)) << number;
    } else if (r.resource == "language") {
      ++current_.languages;
      const std::string code = str("code");
      EXPECT_EQ(code.size(), 2u) << code;
      current_.english |= code == "en";
      current_.spanish |= code == "es";
    } else if (r.resource == "cost_option") {
      EXPECT_EQ(str("currency"), "USD");
      ASSERT_TRUE(r.fields.at("amount").is_int64());
      const int64_t amount = r.fields.at("amount").as_int64();
      EXPECT_GE(amount, 40);
      totals_.fees.push_back(amount);
    } else if (r.resource == "service_capacity") {
      current_.has_capacity = true;
      EXPECT_EQ(str("unit_id"), vocab_.openings_unit().id);
      const int64_t available = r.fields.at("available").as_int64();
      EXPECT_GE(available, 0);
      current_.accepting = available > 0;
      const std::string updated = str("updated");
      EXPECT_GE(updated, DayOffset(-30) + "T00:00:00Z");
      EXPECT_LE(updated, std::string(kToday) + "T00:00:00Z");
    } else if (r.resource == "attribute") {
      CheckAttribute(r);
    }
  }

  void CheckAttribute(const Record& r) {
    EXPECT_EQ(r.fields.at("link_type").as_string(), "service");
    EXPECT_EQ(r.fields.at("link_entity").as_string(), "service");
    const Term* term = vocab_.FindById(r.fields.at("taxonomy_term_id").as_string());
    ASSERT_NE(term, nullptr);
    EXPECT_NE(term->kind, "group");
    const auto* value_field = r.fields.if_contains("value");
    EXPECT_EQ(value_field != nullptr, term->kind == "value") << term->code;
    const std::string value = value_field ? std::string(value_field->as_string()) : "";
    const std::string& code = term->code;
    if (term->facet == "care_type") {
      ++current_.care_types;
      ++totals_.care_types[code];
    } else if (term->kind == "flag") {
      totals_.soft_tags.insert(code);
    }
    if (code == "format:telehealth") current_.telehealth = true;
    if (term->facet == "music_industry") current_.music = true;
    if (code == "identity:lgbtq-affirming") current_.lgbtq = true;
    if (code == "cost:sliding-scale") current_.sliding = true;
    if (code == "clinical:prescriber") current_.prescriber = true;
    if (code == "fact:gender") current_.gender = true;
    if (code == "fact:earliest-opening") {
      ++current_.earliest;
      EXPECT_TRUE(IsDate(value));
      EXPECT_GE(value, kToday);
      EXPECT_LE(value, DayOffset(42));
    }
    if (code == "fact:waitlist-weeks") {
      ++current_.waitlist;
      EXPECT_GE(std::stoi(value), 1);
    }
    if (code == "fact:telehealth-jurisdiction") {
      EXPECT_TRUE(current_.telehealth);  // format:telehealth comes first
      EXPECT_GE(value.size(), 2u);
    }
    if (code == "fact:sliding-scale-minimum") {
      current_.sliding_minimum = true;
      const auto v = boost::json::parse(value).as_object();
      EXPECT_EQ(v.at("currency").as_string(), "USD");
      static const std::regex re(R"(\d+\.00)");
      const std::string amount(v.at("amount").as_string());
      EXPECT_TRUE(std::regex_match(amount, re)) << amount;
    }
    if (code == "fact:insurance-panel") {
      ++current_.panels;
      const auto v = boost::json::parse(value).as_object();
      EXPECT_EQ(v.size(), 2u);
      const std::string carrier(v.at("carrier").as_string());
      EXPECT_TRUE(carrier.ends_with("(DEMO)")) << carrier;
      ++totals_.plans[carrier + " / " + std::string(v.at("plan").as_string())];
    }
    if (code == "fact:licence") {
      const auto v = boost::json::parse(value).as_object();
      std::vector<std::string> keys;
      for (const auto& [k, unused] : v) keys.emplace_back(k);
      EXPECT_EQ(keys, (std::vector<std::string>{"type", "jurisdiction", "number", "expires",
                                                "compacts"}));
      const std::string type(v.at("type").as_string());
      static const std::set<std::string> types = {"MD",   "DO",  "PMHNP", "PhD",  "PsyD", "LCSW",
                                                  "LMFT", "LPC", "LMHC",  "LADC", "CPRS"};
      EXPECT_TRUE(types.count(type)) << type;
      ++totals_.licence_types[type];
      current_.licence_prescriber |= type == "MD" || type == "DO" || type == "PMHNP";
      EXPECT_TRUE(std::string(v.at("number").as_string()).starts_with("DEMO-"));
      const std::string expires(v.at("expires").as_string());
      EXPECT_GE(expires, DayOffset(-30));
      EXPECT_LE(expires, DayOffset(730));
      for (const auto& c : v.at("compacts").as_array()) {
        EXPECT_EQ(c.as_string(), "PSYPACT");
        EXPECT_TRUE(type == "PhD" || type == "PsyD");
      }
    }
  }

  const Vocabulary& vocab_;
  std::unordered_map<std::string, std::unordered_set<std::string>> ids_;
  std::unordered_set<std::string> all_ids_;
  bool open_ = false;
  ServiceFacts current_;
  Totals totals_;
};

class GeneratedDirectoryTest : public ::testing::Test {
 protected:
  static constexpr int64_t kProviders = 5000;

  static void SetUpTestSuite() {
    ASSERT_TRUE(std::filesystem::exists(SchemaDir() + "/service.json"))
        << "the HSDS schemas are expected beside the repository, in " << SchemaDir();
    checker_ = new Checker(TheVocabulary());
    auto status = Generate(kProviders, 20250615, std::ref(*checker_));
    ASSERT_TRUE(status) << status.error().message;
    checker_->Finish();
  }
  static void TearDownTestSuite() {
    delete checker_;
    checker_ = nullptr;
  }
  static const Totals& totals() { return checker_->totals(); }
  static double Share(int64_t count) {
    return static_cast<double>(count) / static_cast<double>(totals().services);
  }

  static Checker* checker_;
};

Checker* GeneratedDirectoryTest::checker_ = nullptr;

TEST_F(GeneratedDirectoryTest, OneOfEachCoreRecordPerProvider) {
  const auto& r = totals().resources;
  EXPECT_EQ(totals().services, kProviders);
  EXPECT_EQ(r.at("taxonomy"), 1);
  EXPECT_EQ(r.at("unit"), 1);
  EXPECT_EQ(r.at("taxonomy_term"), static_cast<int64_t>(TheVocabulary().terms().size()));
  for (const char* one : {"organization", "service", "location", "service_at_location", "phone",
                          "schedule", "service_capacity"}) {
    EXPECT_EQ(r.at(one), kProviders) << one;
  }
  EXPECT_EQ(r.at("address") + totals().virtual_only, kProviders);
  EXPECT_LE(r.at("cost_option"), kProviders);
  std::printf("[ record mix per provider over %lld providers ]\n",
              static_cast<long long>(kProviders));
  int64_t per_provider = 0;
  for (const auto& [resource, count] : r) {
    if (resource == "taxonomy" || resource == "taxonomy_term" || resource == "unit") continue;
    per_provider += count;
    std::printf("  %-20s %7.3f\n", resource.c_str(),
                static_cast<double>(count) / static_cast<double>(kProviders));
  }
  std::printf("  %-20s %7.3f\n", "total",
              static_cast<double>(per_provider) / static_cast<double>(kProviders));
}

TEST_F(GeneratedDirectoryTest, DistributionsMatchThePerformancePlan) {
  const Totals& t = totals();
  EXPECT_NEAR(Share(t.clinicians), 0.90, 0.02);
  EXPECT_NEAR(Share(t.telehealth), 0.40, 0.03);
  EXPECT_NEAR(Share(t.accepting), 0.60, 0.03);
  EXPECT_NEAR(Share(t.inactive), 0.02, 0.01);
  EXPECT_NEAR(Share(t.stale_assurance), 0.0875, 0.02);  // not re-verified for 12 months
  EXPECT_NEAR(Share(t.music), 0.55, 0.03);
  EXPECT_NEAR(Share(t.lgbtq), 0.35, 0.03);
  EXPECT_NEAR(Share(t.sliding), 0.30, 0.04);
  EXPECT_NEAR(static_cast<double>(t.gender) / static_cast<double>(t.clinicians), 0.70, 0.03);
  EXPECT_NEAR(Share(t.english), 0.95, 0.015);
  EXPECT_NEAR(Share(t.spanish), 0.30, 0.04);
  EXPECT_NEAR(static_cast<double>(t.panels) / static_cast<double>(t.services), 8.0, 1.5);
  EXPECT_GT(Share(t.virtual_only), 0.05);
  std::printf(
      "[ shares: clinicians %.3f, telehealth %.3f, telehealth-only %.3f, accepting %.3f, "
      "inactive %.3f, unverified 12 months %.3f, music industry %.3f, LGBTQ+ %.3f, "
      "sliding scale %.3f, English %.3f, Spanish %.3f; panels/provider %.2f ]\n",
      Share(t.clinicians), Share(t.telehealth), Share(t.virtual_only), Share(t.accepting),
      Share(t.inactive), Share(t.stale_assurance), Share(t.music), Share(t.lgbtq), Share(t.sliding),
      Share(t.english), Share(t.spanish),
      static_cast<double>(t.panels) / static_cast<double>(t.services));

  // Fees: log-normal around 150 USD.
  std::vector<int64_t> fees = t.fees;
  ASSERT_GT(fees.size(), static_cast<size_t>(kProviders) * 8 / 10);
  std::nth_element(fees.begin(), fees.begin() + fees.size() / 2, fees.end());
  EXPECT_NEAR(static_cast<double>(fees[fees.size() / 2]), 150.0, 15.0);
  std::printf("[ median fee USD %lld; %zu care types, %zu soft tags, %zu plans, %zu cities ]\n",
              static_cast<long long>(fees[fees.size() / 2]), t.care_types.size(),
              t.soft_tags.size(), t.plans.size(), t.cities.size());

  // Care types: therapy dominant, nearly all 32 in use.
  EXPECT_GE(t.care_types.size(), 30u);
  const auto top_care =
      std::max_element(t.care_types.begin(), t.care_types.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(top_care->first, "care_type:individual-therapy");

  // Soft tags: about 50 distinct ones in use.
  EXPECT_GE(t.soft_tags.size(), 45u);

  // Insurance: most of the ~500 plans appear, popularity skewed.
  EXPECT_GE(t.plans.size(), 400u);
  EXPECT_LE(t.plans.size(), DemoInsurancePlans().size());
  int64_t top_plan = 0;
  int64_t median_plan = 0;
  {
    std::vector<int64_t> counts;
    for (const auto& [name, count] : t.plans) counts.push_back(count);
    std::sort(counts.rbegin(), counts.rend());
    top_plan = counts.front();
    median_plan = counts[counts.size() / 2];
  }
  EXPECT_GT(top_plan, 10 * median_plan);

  // Cities: Zipf-like, the music hubs first.
  const auto top_city =
      std::max_element(t.cities.begin(), t.cities.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(top_city->first, "Los Angeles");
  EXPECT_GT(t.cities.at("New York"), t.cities.at("Berlin"));
  EXPECT_GE(t.cities.size(), 150u);

  // Prescribers are MD, DO or PMHNP (checked per service); psychologists exist.
  EXPECT_GT(t.licence_types.at("PMHNP"), 0);
  EXPECT_GT(t.licence_types.at("PsyD") + t.licence_types.at("PhD"), 0);
  EXPECT_GT(t.licence_types.at("CPRS"), 0);
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Measured, not asserted. Under the sanitizers (about 7x slower) a tenth of the run.
TEST(GeneratorTest, MeasuresGenerationRate) {
  constexpr int64_t kProviders = kSanitized ? 10000 : 100000;
  int64_t records = 0;
  const auto start = std::chrono::steady_clock::now();
  auto status = Generate(kProviders, 42, [&](Record) {
    ++records;
    return core::Ok();
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(status) << status.error().message;
  std::printf(
      "[ generated %lld providers (%lld records) in %.2f s: %.0f providers/s, "
      "%.0f records/s ]\n",
      static_cast<long long>(kProviders), static_cast<long long>(records), seconds,
      kProviders / seconds, records / seconds);
}

}  // namespace
}  // namespace soundcheck::domain::directory
