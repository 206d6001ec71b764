// Import, export and the nested views, over the in-memory unit of work.
#include "domain/directory/directory_service.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/json_text.h"
#include "domain/directory/hsds_codec.h"
#include "domain/directory/testing/changed_directory.h"
#include "domain/directory/testing/hsds_files.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain::directory {
namespace {

namespace json = boost::json;
using testing::ChangedCases;
using testing::ChangedDirectory;
using testing::ExamplesDir;
using testing::ReadText;
using testing::SchemaDir;
using testing::ShippedSchema;

constexpr const char* kService = "ac148810-d857-441c-9679-408f346de14b";

ImportSource FromText(std::string name, std::string text, std::string resource = "") {
  ImportSource source;
  source.name = name;
  source.resource = std::move(resource);
  source.open = [text]() { return std::make_unique<std::istringstream>(text); };
  source.total_bytes = text.size();
  return source;
}

ImportSource FromExample(const std::string& file) {
  return FromText(file, ReadText(ExamplesDir() / file), ResourceFromFileName(file));
}

ImportSource FromTables(std::map<std::string, std::string> tables) {
  ImportSource source;
  source.name = "package";
  source.format = DataFormat::kCsv;
  source.open_table = [tables](const std::string& table) -> std::unique_ptr<std::istream> {
    auto it = tables.find(table);
    if (it == tables.end()) return nullptr;
    return std::make_unique<std::istringstream>(it->second);
  };
  return source;
}

ImportSource OfficialCsv() {
  std::map<std::string, std::string> tables;
  for (const auto& spec : ShippedSchema().resources()) {
    auto path = ExamplesDir() / "csv" / (spec.table + ".csv");
    if (std::filesystem::exists(path)) tables[spec.table] = ReadText(path);
  }
  return FromTables(tables);
}

std::string Describe(const ImportReport& report) {
  std::string out;
  for (const auto& i : report.issues.issues()) {
    out += i.where + " " + i.resource + " " + i.record_id + " " + i.field + ": " + i.message + "\n";
  }
  return out;
}

class DirectoryServiceTest : public ::testing::Test {
 protected:
  DirectoryServiceTest()
      : clock_(core::FromUnixSeconds(1'790'000'000)),
        service_(runner_, clock_, ShippedSchema(), ReadText(SchemaDir() / "datapackage.json")) {}

  ImportReport MustImport(const ImportSource& source, ImportOptions options = {}) {
    auto report = service_.Import(source, options);
    EXPECT_TRUE(report) << report.error().message;
    if (!report) return ImportReport();
    EXPECT_TRUE(report->imported) << Describe(*report);
    return *std::move(report);
  }

  // Everything stored: (type, id) → (fields, modified_at).
  std::map<std::pair<std::string, std::string>, std::pair<json::object, int64_t>> Stored() {
    std::map<std::pair<std::string, std::string>, std::pair<json::object, int64_t>> out;
    for (const auto& [key, row] : runner_.state().directory.rows) {
      out[key] = {row.stored.record.fields, row.stored.modified_at};
    }
    return out;
  }

  std::map<std::string, std::string> ExportFiles(DataFormat format) {
    std::map<std::string, std::unique_ptr<std::ostringstream>> streams;
    auto report = service_.Export(format, [&](const std::string& file) -> std::ostream* {
      auto& s = streams[file];
      s = std::make_unique<std::ostringstream>();
      return s.get();
    });
    EXPECT_TRUE(report) << report.error().message;
    std::map<std::string, std::string> files;
    for (auto& [name, s] : streams) files[name] = s->str();
    return files;
  }

  core::ManualClock clock_;
  domain::testing::MemoryRunner runner_;
  DirectoryService service_;
};

int64_t Added(const ImportReport& r) {
  int64_t n = 0;
  for (const auto& [type, c] : r.counts) n += c.added;
  return n;
}

TEST_F(DirectoryServiceTest, ImportsAnOfficialExampleAndImportingItTwiceChangesNothing) {
  auto first = MustImport(FromExample("service_full.json"));
  EXPECT_GT(Added(first), 20);
  EXPECT_EQ(first.counts.at("service").added, 1);
  auto stored = Stored();

  clock_.Advance(std::chrono::hours(24));
  auto second = MustImport(FromExample("service_full.json"));
  EXPECT_EQ(Added(second), 0);
  for (const auto& [type, c] : second.counts) {
    EXPECT_EQ(c.updated, 0) << type;
  }
  // Same content and the same modified times: nothing changed.
  EXPECT_EQ(Stored(), stored);
}

TEST_F(DirectoryServiceTest, AnUpdateChangesTheModifiedTimeOfThatRecordOnly) {
  MustImport(FromExample("service_full.json"));
  auto before = Stored();
  clock_.Advance(std::chrono::hours(1));
  auto doc = json::parse(ReadText(ExamplesDir() / "service_full.json")).as_object();
  doc["name"] = "Community Counselling (renamed)";
  auto report = MustImport(FromText("s.json", core::JsonText(doc), "service"));
  EXPECT_EQ(report.counts.at("service").updated, 1);
  auto after = Stored();
  const auto key = std::make_pair(std::string("service"), std::string(kService));
  EXPECT_EQ(after.at(key).second, before.at(key).second + 3600);
  EXPECT_EQ(after.at(key).first.at("name").as_string(), "Community Counselling (renamed)");
  int changed = 0;
  for (const auto& [k, v] : after) changed += (before.at(k) != v);
  EXPECT_EQ(changed, 1);
}

TEST_F(DirectoryServiceTest, EveryOfficialExampleImportsAndRoundTripsThroughEveryFormat) {
  for (const char* file :
       {"service_full.json", "organization_full.json", "service_at_location_full.json",
        "location.json", "taxonomy.json", "taxonomy_term.json", "service_list.json",
        "organization_list.json", "service_at_location_list.json", "taxonomy_list.json",
        "taxonomy_term_list.json", "tabular.json", "csv"}) {
    SCOPED_TRACE(file);
    runner_.state().directory = {};
    MustImport(std::string(file) == "csv" ? OfficialCsv() : FromExample(file));
    const auto original = Stored();
    ASSERT_FALSE(original.empty());

    auto json_files = ExportFiles(DataFormat::kJson);
    auto csv_files = ExportFiles(DataFormat::kCsv);
    ASSERT_TRUE(csv_files.count("datapackage.json"));

    // JSON: into an empty directory, the same records with the same content.
    runner_.state().directory = {};
    MustImport(FromText("directory.json", json_files.at("directory.json")));
    auto again = Stored();
    ASSERT_EQ(again.size(), original.size());
    for (const auto& [key, value] : original) EXPECT_EQ(again.at(key).first, value.first);

    // CSV data package: the same.
    runner_.state().directory = {};
    std::map<std::string, std::string> tables;
    for (const auto& [name, text] : csv_files) {
      if (name != "datapackage.json") tables[name.substr(0, name.size() - 4)] = text;
    }
    MustImport(FromTables(tables));
    again = Stored();
    ASSERT_EQ(again.size(), original.size());
    for (const auto& [key, value] : original) EXPECT_EQ(again.at(key).first, value.first);
  }
}

TEST_F(DirectoryServiceTest, NestedServiceCarriesEverythingTheExampleHad) {
  MustImport(FromExample("service_full.json"));
  json::object nested;
  ASSERT_TRUE(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, service_.Nested(uow, "service", kService, true));
    if (!found) return core::Error::NotFound("service");
    nested = std::move(*found);
    return core::Ok();
  }));
  auto original = json::parse(ReadText(ExamplesDir() / "service_full.json")).as_object();
  // Every field of the example, at every depth, is in the nested view with the same value
  // (the view may add the keys the nesting implied, such as a phone's service_id).
  std::function<void(const json::value&, const json::value&, std::string)> contains =
      [&](const json::value& want, const json::value& got, std::string path) {
        if (want.is_object()) {
          ASSERT_TRUE(got.is_object()) << path;
          for (const auto& [k, v] : want.as_object()) {
            ASSERT_TRUE(got.as_object().contains(k)) << path << "/" << k;
            contains(v, got.as_object().at(k), path + "/" + std::string(k));
          }
        } else if (want.is_array()) {
          ASSERT_TRUE(got.is_array()) << path;
          ASSERT_EQ(got.as_array().size(), want.as_array().size()) << path;
          for (const auto& w : want.as_array()) {
            bool found = false;
            for (const auto& g : got.as_array()) {
              if (g.is_object() && w.is_object() &&
                  g.as_object().at("id") == w.as_object().at("id")) {
                contains(w, g, path + "[" + std::string(w.as_object().at("id").as_string()) + "]");
                found = true;
              }
            }
            EXPECT_TRUE(found) << path;
          }
        } else {
          EXPECT_EQ(core::JsonText(want), core::JsonText(got)) << path;
        }
      };
  contains(original, nested, "");
}

// Each official example nests the shared phone differently (under the service, under the
// location); importing one after the other keeps both of its links.
TEST_F(DirectoryServiceTest, KeysLeftOutByALaterImportAreKept) {
  MustImport(FromExample("service_full.json"));
  MustImport(FromExample("organization_full.json"));
  const auto& phone =
      runner_.state().directory.rows.at({"phone", "1554f2e2-a373-45db-a3fa-9fc48a61c15e"});
  EXPECT_EQ(phone.stored.record.fields.at("service_id").as_string(), kService);
  json::object nested;
  ASSERT_TRUE(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, service_.Nested(uow, "service", kService, true));
    nested = std::move(*found);
    return core::Ok();
  }));
  ASSERT_TRUE(nested.contains("phones"));
  EXPECT_EQ(nested.at("phones").as_array().size(), 1u);
  // And a third import of either changes nothing.
  auto again = MustImport(FromExample("service_full.json"));
  for (const auto& [type, c] : again.counts) EXPECT_EQ(c.added + c.updated, 0) << type;
}

TEST_F(DirectoryServiceTest, ARefusedImportWritesNothing) {
  MustImport(FromExample("organization_full.json"));
  const auto before = Stored();
  auto doc = json::parse(ReadText(ExamplesDir() / "service_full.json")).as_object();
  doc["status"] = "open for business";
  auto report = service_.Import(FromText("broken.json", core::JsonText(doc), "service"), {});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->imported);
  ASSERT_EQ(report->issues.total(), 1u) << Describe(*report);
  EXPECT_EQ(report->issues.issues()[0].field, "/status");
  EXPECT_EQ(Stored(), before);
}

TEST_F(DirectoryServiceTest, AnIssueLateInTheFileUndoesTheRecordsBeforeIt) {
  const std::string good =
      core::JsonText(json::parse(ReadText(ExamplesDir() / "service_full.json")));
  auto broken = json::parse(good).as_object();
  broken["id"] = "5d6e7f80-1111-4222-8333-944455566677";
  broken.erase("name");
  auto report = service_.Import(
      FromText("two.ndjson", good + "\n" + core::JsonText(broken) + "\n", "service"), {});
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->imported);
  EXPECT_EQ(report->issues.issues().at(0).where, "two.ndjson:2");
  EXPECT_EQ(report->issues.issues().at(0).record_id, "5d6e7f80-1111-4222-8333-944455566677");
  EXPECT_TRUE(Stored().empty());
}

TEST_F(DirectoryServiceTest, TheSameObjectTwiceWithDifferentValuesIsRefused) {
  auto doc = json::parse(ReadText(ExamplesDir() / "service_full.json")).as_object();
  auto second = doc;
  second["phones"].as_array()[0].as_object()["number"] = "+44 0000 000000";
  json::array both{doc, second};
  auto report = service_.Import(FromText("dup.json", core::JsonText(both), "service"), {});
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->imported);
  ASSERT_GE(report->issues.total(), 1u);
  EXPECT_EQ(report->issues.issues()[0].record_id, "1554f2e2-a373-45db-a3fa-9fc48a61c15e");
  EXPECT_EQ(report->issues.issues()[0].field, "/number");
  EXPECT_TRUE(Stored().empty());
}

TEST_F(DirectoryServiceTest, DryRunValidatesAndCountsButWritesNothing) {
  ImportOptions options;
  options.dry_run = true;
  auto report = service_.Import(FromExample("service_full.json"), options);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->imported);
  EXPECT_TRUE(report->issues.empty());
  EXPECT_GT(Added(*report), 20);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(DirectoryServiceTest, DanglingKeysAreWarningsOrErrorsWhenStrict) {
  // The official CSV example points at records it does not contain (fixed upstream later).
  auto lenient = MustImport(OfficialCsv());
  EXPECT_GE(lenient.dangling_total, 7);
  runner_.state().directory = {};
  ImportOptions strict;
  strict.strict_references = true;
  auto refused = service_.Import(OfficialCsv(), strict);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->imported);
  EXPECT_GE(refused->issues.total(), 7u);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(DirectoryServiceTest, ProgressIsReportedUpToTheWholeInput) {
  std::vector<ImportProgress> seen;
  ImportOptions options;
  options.progress = [&](const ImportProgress& p) { seen.push_back(p); };
  auto source = FromExample("service_full.json");
  MustImport(source, options);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().bytes_read, source.total_bytes);
  EXPECT_GT(seen.back().records, 20);
}

TEST_F(DirectoryServiceTest, NdjsonExportHasOneFullServicePerLine) {
  MustImport(FromExample("service_full.json"));
  auto files = ExportFiles(DataFormat::kNdjson);
  const std::string& text = files.at("directory.ndjson");
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  auto line = json::parse(text).as_object();
  EXPECT_EQ(line.at("id").as_string(), kService);
  EXPECT_TRUE(line.contains("phones"));
  EXPECT_TRUE(line.contains("organization"));
  // And it imports back to the same records.
  const auto original = Stored();
  runner_.state().directory = {};
  MustImport(FromText("directory.ndjson", text, "service"));
  auto again = Stored();
  for (const auto& [key, value] : original) {
    ASSERT_TRUE(again.count(key)) << key.first << " " << key.second;
    EXPECT_EQ(again.at(key).first, value.first) << key.first << " " << key.second;
  }
}

// ReadChanged (the matching index's patches): every kind of record traced to its listings,
// read as ScanListed reads them. The same cases run on SQLite and PostgreSQL in
// tests/storage/directory_repository_contract.cpp.
class ReadChangedTest : public DirectoryServiceTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::PutRecords(runner_, ShippedSchema(), ChangedDirectory()));
  }
  testing::ChangedRead Read(const std::vector<DirectoryService::ChangedRecord>& changed) {
    auto read = testing::ReadChangedOf(service_, changed);
    EXPECT_TRUE(read) << read.error().message;
    return read ? *std::move(read) : testing::ChangedRead{};
  }
};

TEST_F(ReadChangedTest, EachKindOfRecordTouchesExactlyItsListings) {
  for (const auto& c : ChangedCases()) {
    SCOPED_TRACE(c.name);
    auto read = Read(c.changed);
    EXPECT_EQ(read.visited, c.visited);
    EXPECT_EQ(read.unlisted, c.unlisted);
  }
}

TEST_F(ReadChangedTest, AVisitGetsWhatScanListedGivesForThatListing) {
  auto scanned = testing::ScanListedOf(service_);
  ASSERT_TRUE(scanned) << scanned.error().message;
  ASSERT_EQ(scanned->size(), 3u);  // svc-a, svc-b, svc-d
  // svc-a: its attribute, language, two service_at_locations, both locations, one address.
  const auto& a = scanned->at("svc-a");
  EXPECT_EQ(std::count(a.begin(), a.end(), '\n'), 8) << a;
  for (const auto& c : ChangedCases()) {
    SCOPED_TRACE(c.name);
    auto read = Read(c.changed);
    for (const auto& [id, listing] : read.listings) {
      ASSERT_TRUE(scanned->count(id)) << id;
      EXPECT_EQ(listing, scanned->at(id)) << id;
    }
  }
}

TEST_F(ReadChangedTest, AListingPausedRemovedOrDeletedIsUnlistedNotVisited) {
  // Paused after the fixture was stored: its language now reports it unlisted.
  auto a = ChangedDirectory().at(2);
  ASSERT_EQ(a.id, "svc-a");
  a.fields["status"] = "inactive";
  ASSERT_TRUE(testing::PutRecords(runner_, ShippedSchema(), {a}));
  auto paused = Read({{"language", "lang-a"}, {"location", "loc-shared"}});
  EXPECT_EQ(paused.visited, (std::vector<std::string>{"svc-b"}));
  EXPECT_EQ(paused.unlisted, (std::vector<std::string>{"svc-a"}));
  // Deleted from storage: its service_at_location still names it, and says it is gone.
  runner_.state().directory.rows.erase({"service", "svc-b"});
  auto gone = Read({{"location", "loc-shared"}});
  EXPECT_TRUE(gone.visited.empty());
  EXPECT_EQ(gone.unlisted, (std::vector<std::string>{"svc-a", "svc-b"}));
}

TEST_F(ReadChangedTest, AResourceItCannotTraceIsRefusedBeforeAnythingIsRead) {
  for (const char* resource : {"phone", "taxonomy_term", "schedule", "import", "no-such-thing"}) {
    SCOPED_TRACE(resource);
    int visits = 0;
    std::vector<std::string> unlisted;
    auto st = service_.ReadChanged(
        {{"service", "svc-a"}, {resource, "svc-a"}},
        [&](const Record&, const std::vector<Record>&) { ++visits; }, unlisted);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(visits, 0);
    EXPECT_TRUE(unlisted.empty());
  }
}

TEST_F(ReadChangedTest, MoreThanOneBatchOfChangesIsReadWhole) {
  constexpr int kCount = 1200;  // ReadChanged reads 500 ids a query
  ASSERT_TRUE(testing::PutRecords(runner_, ShippedSchema(), testing::BulkDirectory(kCount)));
  auto scanned = testing::ScanListedOf(service_);
  ASSERT_TRUE(scanned);
  std::vector<std::string> listed, paused;
  for (int i = 0; i < kCount; ++i)
    (i % 7 == 3 ? paused : listed).push_back(testing::BulkId("svc", i));
  const std::vector<std::pair<std::string, std::string>> kinds = {{"attribute", "att"},
                                                                  {"location", "loc"},
                                                                  {"service", "svc"},
                                                                  {"service_at_location", "sal"}};
  for (const auto& [resource, prefix] : kinds) {
    SCOPED_TRACE(resource);
    std::vector<DirectoryService::ChangedRecord> changed;
    // Last first, as a burst might name them; and one named twice.
    for (int i = kCount - 1; i >= 0; --i) changed.push_back({resource, testing::BulkId(prefix, i)});
    changed.push_back(changed.front());
    auto read = Read(changed);
    EXPECT_EQ(read.visited, listed);
    EXPECT_EQ(read.unlisted, paused);
    for (const auto& [id, listing] : read.listings) {
      EXPECT_EQ(listing, scanned->at(id)) << id;
    }
  }
  auto read = Read({{"organization", "org-bulk"}});
  EXPECT_EQ(read.visited, listed);
  EXPECT_EQ(read.unlisted, paused);
  // Every listing named twice (its service and its attribute), with one more before them:
  // a listing's two mentions fall into two batches, and it is still read once.
  std::vector<DirectoryService::ChangedRecord> twice = {{"service", "svc-a"}};
  for (int i = 0; i < kCount; ++i) {
    twice.push_back({"service", testing::BulkId("svc", i)});
    twice.push_back({"attribute", testing::BulkId("att", i)});
  }
  read = Read(twice);
  listed.insert(listed.begin(), "svc-a");
  EXPECT_EQ(read.visited, listed);
  EXPECT_EQ(read.unlisted, paused);
}

TEST(DirectoryIndexTest, LinksAndDerivedColumns) {
  Record attribute{
      "attribute", "a",
      json::parse(R"({"id":"a","link_id":"S","link_entity":"service","taxonomy_term_id":"T"})")
          .as_object()};
  auto links = LinksOf(ShippedSchema(), attribute);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].field, "taxonomy_term_id");
  EXPECT_EQ(links[1].field, "link_id");
  EXPECT_EQ(links[1].target_resource, "service");
  EXPECT_EQ(links[1].target_id, "s");

  Record address{"address", "b",
                 json::parse(R"({"id":"b","postal_code":" sw1a 1aa"})").as_object()};
  EXPECT_EQ(IndexOf(address).search_text, "SW1A1AA");
  Record location{"location", "c",
                  json::parse(R"({"id":"c","latitude":40.5,"longitude":"-73.9"})").as_object()};
  EXPECT_EQ(IndexOf(location).latitude, 40.5);
  EXPECT_EQ(IndexOf(location).longitude, -73.9);
  Record service{"service", "d",
                 json::parse(R"({"id":"d","name":"Tour Care","status":"defunct"})").as_object()};
  EXPECT_TRUE(IndexOf(service).hidden);
  EXPECT_NE(IndexOf(service).search_text.find("tour care"), std::string::npos);
}

}  // namespace
}  // namespace soundcheck::domain::directory
