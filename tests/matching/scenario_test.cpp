// Matching scenarios as data: every tests/matching/scenarios/*.json is one case — a small
// directory, a query in the API's wire form, and what must come out. A new case needs no
// C++ (tests/matching/README.md describes the format).
//
// The directory goes the whole way a real one does: written as HSDS records with the
// Soundcheck vocabulary's terms, read back by ProviderFromHsds, indexed by a Snapshot; the
// query is decoded by the same DecodeQuery the HTTP handlers use.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/directory/freshness.h"
#include "matching/engine.h"
#include "matching/from_hsds.h"
#include "matching/query_json.h"

namespace soundcheck::matching {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using domain::directory::Record;
using domain::directory::Vocabulary;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const Vocabulary& Vocab() {
  static const Vocabulary v = *Vocabulary::Parse(
      ReadText(fs::path(SC_SOURCE_DIR) / "data" / "directory" / "vocabulary.json"));
  return v;
}

std::string Str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Writes one scenario provider as the HSDS records a directory would hold for it.
class HsdsWriter {
 public:
  explicit HsdsWriter(std::string service_id) : service_(std::move(service_id)) {}

  std::vector<Record> Write(const json::object& p) {
    json::object s{{"id", service_},
                   {"name", Str(p, "name")},
                   {"organization_id", "0000000a-0000-4000-8000-000000000001"},
                   {"status", p.contains("status") ? Str(p, "status") : "active"}};
    service = Record{"service", service_, s};
    auto strings = [&](std::string_view key) {
      std::vector<std::string> out;
      if (const auto* a = p.if_contains(key); a && a->is_array()) {
        for (const auto& v : a->get_array()) out.emplace_back(v.as_string());
      }
      return out;
    };
    for (const auto& c : strings("care_types")) Attribute("care_type:" + c, "");
    for (const auto& t : strings("tags")) Attribute(t, "");
    for (const auto& l : strings("languages")) {
      Add("language", {{"service_id", service_}, {"name", l}, {"code", l}});
    }
    if (const auto* a = p.if_contains("licences"); a && a->is_array()) {
      for (const auto& l : a->get_array()) Attribute("fact:licence", json::serialize(l));
    }
    if (const auto* a = p.if_contains("plans"); a && a->is_array()) {
      for (const auto& plan : a->get_array())
        Attribute("fact:insurance-panel", json::serialize(plan));
    }
    for (const auto& j : strings("telehealth_jurisdictions")) {
      Attribute("fact:telehealth-jurisdiction", j);
    }
    if (p.contains("sliding_minimum")) {
      json::object v{{"amount", Str(p, "sliding_minimum")}, {"currency", "USD"}};
      Attribute("fact:sliding-scale-minimum", json::serialize(v));
    }
    if (p.contains("earliest_opening"))
      Attribute("fact:earliest-opening", Str(p, "earliest_opening"));
    if (p.contains("gender")) Attribute("fact:gender", Str(p, "gender"));
    if (const auto* fee = p.if_contains("fee")) {
      Add("cost_option", {{"service_id", service_}, {"currency", "USD"}, {"amount", *fee}});
    }
    if (const auto* openings = p.if_contains("openings")) {
      json::object c{{"service_id", service_},
                     {"unit_id", Vocab().openings_unit().id},
                     {"available", *openings}};
      if (p.contains("confirmed")) c["updated"] = Str(p, "confirmed");
      Add("service_capacity", std::move(c));
    }
    if (const auto* office = p.if_contains("office"); office && office->is_object()) {
      const auto& o = office->get_object();
      const std::string location = NextId();
      Add("location",
          {{"location_type", "physical"},
           {"latitude", o.at("latitude")},
           {"longitude", o.at("longitude")}},
          location);
      Add("address", {{"location_id", location},
                      {"country", Str(o, "country")},
                      {"state_province", Str(o, "state_province")}});
      Add("service_at_location", {{"service_id", service_}, {"location_id", location}});
    }
    return records;
  }

  Record service;
  std::vector<Record> records;

 private:
  std::string NextId() {
    char id[40];
    std::snprintf(id, sizeof id, "%s-%04d", service_.substr(0, 31).c_str(), ++next_);
    return id;
  }
  void Add(std::string resource, json::object fields, std::string id = {}) {
    if (id.empty()) id = NextId();
    fields["id"] = id;
    records.push_back(Record{std::move(resource), id, std::move(fields)});
  }
  void Attribute(const std::string& code, const std::string& value) {
    const auto* term = Vocab().FindByCode(code);
    ASSERT_NE(term, nullptr) << "scenario names an unknown term: " << code;
    json::object a{{"link_id", service_},
                   {"link_type", "service"},
                   {"link_entity", "service"},
                   {"taxonomy_term_id", term->id}};
    if (!value.empty()) a["value"] = value;
    Add("attribute", std::move(a));
  }
  std::string service_;
  int next_ = 0;
};

// "code" or "code:value" (and "code:value:detail") matches a reason.
bool HasReason(const std::vector<Reason>& reasons, const std::string& want) {
  for (const auto& r : reasons) {
    const std::string code(r.code);
    if (want == code || want == code + ":" + r.value ||
        want == code + ":" + r.value + ":" + r.detail) {
      return true;
    }
  }
  return false;
}

std::string Describe(const std::vector<Reason>& reasons) {
  std::string out;
  for (const auto& r : reasons)
    out += " " + std::string(r.code) + ":" + r.value + (r.detail.empty() ? "" : ":" + r.detail);
  return out;
}

class Scenario : public testing::TestWithParam<fs::path> {};

TEST_P(Scenario, GivesTheExpectedAnswer) {
  const auto doc = json::parse(ReadText(GetParam())).as_object();
  const auto now = domain::directory::ParseDateTime(Str(doc, "now"));
  ASSERT_TRUE(now.has_value()) << "\"now\" must be an RFC 3339 time";

  // The directory, through HSDS.
  std::vector<Provider> providers;
  std::map<std::string, std::string> id_of;  // the scenario's short name → service id
  int n = 0;
  for (const auto& item : doc.at("providers").as_array()) {
    const auto& p = item.as_object();
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++n);
    id_of[Str(p, "id")] = id;
    HsdsWriter writer(id);
    auto records = writer.Write(p);
    auto provider = ProviderFromHsds(Vocab(), writer.service, records);
    if (provider) {
      provider->name = Str(p, "id");  // answers name providers by the scenario's short name
      providers.push_back(std::move(*provider));
    }
  }
  const auto snapshot = Snapshot::Build(providers, SnapshotOptions{1, 14 * 86400});

  // The query, as the API reads it.
  Query query;
  query.now = *now;
  auto body = core::JsonBody::Parse(json::serialize(doc.at("query")));
  ASSERT_TRUE(body.has_value());
  DecodeQuery(*body, query);
  ASSERT_TRUE(body->Finish()) << "the scenario's query does not decode";
  auto answer = FindMatches(*snapshot, query);
  const auto& expect = doc.at("expect").as_object();
  if (const auto* error = expect.if_contains("error")) {
    ASSERT_FALSE(answer.has_value());
    ASSERT_FALSE(answer.error().fields.empty());
    EXPECT_EQ(answer.error().fields[0].field, error->as_string());
    return;
  }
  ASSERT_TRUE(answer.has_value()) << answer.error().message;

  std::vector<std::string> ranking;
  for (const auto& m : answer->matches) ranking.push_back(std::string(m.name));
  std::vector<std::string> want;
  for (const auto& v : expect.at("ranking").as_array()) want.emplace_back(v.as_string());
  EXPECT_EQ(ranking, want);
  if (const auto* eligible = expect.if_contains("eligible")) {
    EXPECT_EQ(answer->eligible, eligible->to_number<int64_t>());
  }
  auto match_named = [&](const std::string& name) -> const Match* {
    for (const auto& m : answer->matches) {
      if (m.name == name) return &m;
    }
    return nullptr;
  };
  auto each = [&](const char* key, auto check) {
    const auto* section = expect.if_contains(key);
    if (section == nullptr) return;
    for (const auto& [name, value] : section->as_object()) {
      const Match* m = match_named(std::string(name));
      ASSERT_NE(m, nullptr) << key << ": " << name << " is not among the results";
      check(*m, value);
    }
  };
  each("met", [](const Match& m, const json::value& v) {
    for (const auto& r : v.as_array()) {
      EXPECT_TRUE(HasReason(m.met, std::string(r.as_string())))
          << m.name << " lacks " << r.as_string() << "; has" << Describe(m.met);
    }
  });
  each("preferences", [](const Match& m, const json::value& v) {
    for (const auto& r : v.as_array()) {
      EXPECT_TRUE(HasReason(m.preferences, std::string(r.as_string())))
          << m.name << " lacks " << r.as_string() << "; has" << Describe(m.preferences);
    }
  });
  each("uncovered", [](const Match& m, const json::value& v) {
    std::vector<std::string> uncovered;
    for (const auto& d : m.dates) {
      if (!d.covered) uncovered.push_back(DayString(d.day) + " " + d.jurisdiction);
    }
    std::vector<std::string> want_dates;
    for (const auto& d : v.as_array()) want_dates.emplace_back(d.as_string());
    EXPECT_EQ(uncovered, want_dates) << m.name;
  });
  each("cost", [](const Match& m, const json::value& v) {
    const auto& c = v.as_object();
    if (c.contains("basis")) {
      EXPECT_EQ(m.cost_basis, Str(c, "basis")) << m.name;
    }
    if (const auto* x = c.if_contains("low_cents")) {
      EXPECT_EQ(m.cost.cost.low_cents, x->to_number<int64_t>()) << m.name;
    }
    if (const auto* x = c.if_contains("high_cents")) {
      EXPECT_EQ(m.cost.cost.high_cents, x->to_number<int64_t>()) << m.name;
    }
    if (const auto* x = c.if_contains("after_aid_high_cents")) {
      EXPECT_EQ(m.cost.cost.after_aid_high_cents, x->to_number<int64_t>()) << m.name;
    }
  });
  if (const auto* relax = expect.if_contains("relaxations")) {
    for (const auto& [constraint, count] : relax->as_object()) {
      bool found = false;
      for (const auto& r : answer->relaxations) {
        if (r.constraint == constraint) {
          found = true;
          EXPECT_EQ(r.results, count.to_number<int64_t>()) << constraint;
        }
      }
      EXPECT_TRUE(found) << "no relaxation offered for " << constraint;
    }
  }
}

std::vector<fs::path> Scenarios() {
  std::vector<fs::path> files;
  for (const auto& e :
       fs::directory_iterator(fs::path(SC_SOURCE_DIR) / "tests" / "matching" / "scenarios")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

INSTANTIATE_TEST_SUITE_P(Files, Scenario, testing::ValuesIn(Scenarios()),
                         [](const testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace soundcheck::matching
