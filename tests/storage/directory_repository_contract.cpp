// The directory repository (storage/repositories/sql_directory_repository.cpp) on a real
// database, written once and built for SQLite (directory_repository_sqlite_test) and
// PostgreSQL (directory_repository_pgtest). It must agree with the in-memory port the
// domain tests use (domain/testing/memory_directory_repository.h): the same import gives
// the same stored records and the same export, byte for byte.
#include <gtest/gtest.h>

#include <sstream>

#include "contract_engine.h"
#include "core/clock.h"
#include "core/json_text.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/hsds_codec.h"
#include "domain/directory/testing/changed_directory.h"
#include "domain/directory/testing/hsds_files.h"
#include "domain/testing/memory_unit_of_work.h"
#include "storage/migrations.h"
#include "storage/repositories/sql_unit_of_work.h"
#include "test_util.h"

#ifndef SC_DIRECTORY_FIXTURE
#error \
    "compile with -DSC_DIRECTORY_FIXTURE=DirectoryRepository<Engine> (tests/storage/CMakeLists.txt)"
#endif

namespace soundcheck::storage::test {
namespace {

namespace json = boost::json;
namespace dir = domain::directory;
using dir::testing::ExamplesDir;
using dir::testing::ReadText;
using dir::testing::SchemaDir;
using dir::testing::ShippedSchema;

dir::Record Rec(std::string resource, std::string id, std::string fields_json) {
  return {std::move(resource), std::move(id), json::parse(fields_json).as_object()};
}

class SC_DIRECTORY_FIXTURE : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MakeContractEngine();
    db_ = engine_->OpenFresh(OpenOptions{});
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(Migrate(*db_, EmbeddedMigrations(db_->dialect())));
    runner_ = std::make_unique<SqlTransactionRunner>(*db_);
  }
  void TearDown() override {
    runner_.reset();
    db_.reset();
    if (engine_) engine_->Cleanup();
  }

  Status With(const std::function<Status(dir::DirectoryRepository&)>& fn) {
    return db_->Transact([&](Transaction& tx) -> Status {
      auto uow = MakeSqlUnitOfWork(tx);
      return fn(uow->directory());
    });
  }
  void Put(const dir::Record& r, int64_t at = 100) {
    ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) {
      return repo.Put(r, dir::LinksOf(ShippedSchema(), r), dir::IndexOf(r), at);
    }));
  }
  // A small directory: two services of one organization, one hidden, with locations,
  // an address and attributes.
  void SeedSmall() {
    Put(Rec("organization", "o1", R"({"id":"o1","name":"Demo Practice","description":"d"})"));
    Put(Rec("service", "s1",
            R"({"id":"s1","organization_id":"o1","name":"Tour Therapy","status":"active","description":"Care for touring crew"})"),
        100);
    Put(Rec("service", "s2",
            R"({"id":"s2","organization_id":"o1","name":"Quiet Room","status":"defunct"})"),
        200);
    Put(Rec("location", "l1",
            R"({"id":"l1","location_type":"physical","latitude":36.16,"longitude":-86.78})"));
    Put(Rec("location", "l2",
            R"({"id":"l2","location_type":"physical","latitude":51.5,"longitude":-0.12})"));
    Put(Rec(
        "address", "a1",
        R"({"id":"a1","location_id":"l1","address_1":"1 Demo St","city":"Nashville","state_province":"TN","postal_code":"37203","country":"US","address_type":"physical"})"));
    Put(Rec("service_at_location", "sl1", R"({"id":"sl1","service_id":"s1","location_id":"l1"})"));
    Put(Rec("service_at_location", "sl2", R"({"id":"sl2","service_id":"s2","location_id":"l2"})"));
    Put(Rec("taxonomy_term", "t1", R"({"id":"t1","name":"Anxiety","description":"x"})"));
    Put(Rec("attribute", "at1",
            R"({"id":"at1","link_id":"s1","link_entity":"service","taxonomy_term_id":"t1"})"));
    Put(Rec("phone", "p1", R"({"id":"p1","service_id":"s1","number":"+1-615-555-0100"})"));
  }
  std::vector<std::string> Ids(const dir::RecordQuery& q, int64_t* total = nullptr) {
    std::vector<std::string> ids;
    EXPECT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
      SC_ASSIGN_OR_RETURN(auto page, repo.Query(q));
      if (total) *total = page.total;
      for (const auto& r : page.records) ids.push_back(r.record.id);
      return core::Ok();
    }));
    return ids;
  }

  std::unique_ptr<ContractEngine> engine_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqlTransactionRunner> runner_;
};

TEST_F(SC_DIRECTORY_FIXTURE, RecordsRoundTripExactly) {
  auto r = Rec(
      "service", "s1",
      R"({"id":"s1","name":"Café Ñandú — 音楽","status":"active","minimum_age":12,"fee":51.5,"tags":["a",{"b":null}]})");
  Put(r, 1234);
  ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
    SC_ASSIGN_OR_RETURN(auto found, repo.Find("service", "s1"));
    EXPECT_TRUE(found);
    if (!found) return core::Ok();
    EXPECT_EQ(found->record, r);
    EXPECT_EQ(found->modified_at, 1234);
    SC_ASSIGN_OR_RETURN(auto none, repo.Find("organization", "s1"));
    EXPECT_FALSE(none);
    return core::Ok();
  }));
  // Put again replaces fields, links and index.
  auto changed = Rec("service", "s1", R"({"id":"s1","name":"Renamed","status":"inactive"})");
  Put(changed, 2000);
  ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
    SC_ASSIGN_OR_RETURN(auto found, repo.Find("service", "s1"));
    EXPECT_EQ(found->record, changed);
    EXPECT_EQ(found->modified_at, 2000);
    return core::Ok();
  }));
}

TEST_F(SC_DIRECTORY_FIXTURE, ListFindManyAndChildren) {
  SeedSmall();
  ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
    SC_ASSIGN_OR_RETURN(auto first, repo.List("service", "", 1));
    EXPECT_EQ(first.size(), 1u);
    EXPECT_EQ(first.at(0).record.id, "s1");
    SC_ASSIGN_OR_RETURN(auto rest, repo.List("service", "s1", 10));
    EXPECT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest.at(0).record.id, "s2");
    SC_ASSIGN_OR_RETURN(auto many, repo.FindMany("location", {"l2", "l1", "nope"}));
    EXPECT_EQ(many.size(), 2u);
    // Children of s1 by the keys that name a parent; the term's attribute is not a child of
    // the term.
    SC_ASSIGN_OR_RETURN(auto children,
                        repo.LinkedTo({"s1"}, {"phone", "attribute", "service_at_location"},
                                      {"service_id", "link_id"}));
    std::set<std::string> ids;
    for (const auto& c : children) ids.insert(c.record.id);
    EXPECT_EQ(ids, (std::set<std::string>{"p1", "at1", "sl1"}));
    SC_ASSIGN_OR_RETURN(auto of_term, repo.LinkedTo({"t1"}, {"metadata"}, {"resource_id"}));
    EXPECT_TRUE(of_term.empty());
    SC_ASSIGN_OR_RETURN(auto counts, repo.Counts());
    EXPECT_EQ(counts.at("service"), 2);
    EXPECT_EQ(counts.at("location"), 2);
    return core::Ok();
  }));
}

TEST_F(SC_DIRECTORY_FIXTURE, QueriesFilterPageAndCount) {
  SeedSmall();
  dir::RecordQuery q;
  q.resource = "service";
  int64_t total = 0;
  EXPECT_EQ(Ids(q, &total), (std::vector<std::string>{"s1"}));  // s2 is defunct
  EXPECT_EQ(total, 1);
  q.visible_only = false;
  EXPECT_EQ(Ids(q, &total), (std::vector<std::string>{"s1", "s2"}));
  q.limit = 1;
  q.offset = 1;
  EXPECT_EQ(Ids(q, &total), (std::vector<std::string>{"s2"}));
  EXPECT_EQ(total, 2);
  q = {};
  q.resource = "service";
  q.visible_only = false;
  q.words = {"touring", "care"};
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"s1"}));
  q.words = {"touring", "nothing-like-this"};
  EXPECT_TRUE(Ids(q).empty());
  q.words = {};
  q.taxonomy_term_id = "t1";
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"s1"}));
  q.taxonomy_term_id = "";
  q.modified_after = 150;
  EXPECT_EQ(Ids(q), (std::vector<std::string>{"s2"}));
  q.modified_after.reset();
  q.organization_id = "o1";
  EXPECT_EQ(Ids(q).size(), 2u);

  dir::RecordQuery sal;
  sal.resource = "service_at_location";
  EXPECT_EQ(Ids(sal), (std::vector<std::string>{"sl1"}));  // sl2's service is hidden
  sal.words = {"tour"};
  sal.taxonomy_term_id = "t1";
  sal.organization_id = "o1";
  sal.location_ids = std::vector<std::string>{"l1", "l2"};
  EXPECT_EQ(Ids(sal), (std::vector<std::string>{"sl1"}));
  sal.location_ids = std::vector<std::string>{};
  EXPECT_TRUE(Ids(sal).empty());
}

TEST_F(SC_DIRECTORY_FIXTURE, PlacesPostcodesAndDanglingKeys) {
  SeedSmall();
  Put(Rec("phone", "p2", R"({"id":"p2","service_id":"missing-service","number":"x"})"));
  ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
    SC_ASSIGN_OR_RETURN(auto box, repo.LocationsInBox(36, 37, -87, -86));
    EXPECT_EQ(box.size(), 1u);
    if (!box.empty()) EXPECT_EQ(box[0].first, "l1");
    SC_ASSIGN_OR_RETURN(auto postcode, repo.LocationsWithPostcode("37203"));
    EXPECT_EQ(postcode, (std::vector<std::string>{"l1"}));
    SC_ASSIGN_OR_RETURN(auto dangling, repo.Dangling(10));
    EXPECT_EQ(dangling.size(), 1u);
    if (!dangling.empty()) {
      EXPECT_EQ(dangling[0].id, "p2");
      EXPECT_EQ(dangling[0].field, "service_id");
      EXPECT_EQ(dangling[0].target_resource, "service");
    }
    return core::Ok();
  }));
}

// The same imports through DirectoryService give the same export from SQL as from memory.
TEST_F(SC_DIRECTORY_FIXTURE, ProviderLinksAndNoticesAndACheckinUsedOnce) {
  ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
    SC_RETURN_IF_ERROR(repo.SetProviderOrganization("u2", "o1", 10, "admin"));
    SC_RETURN_IF_ERROR(repo.SetProviderOrganization("u1", "o9", 10, "admin"));
    SC_RETURN_IF_ERROR(repo.SetProviderOrganization("u1", "o1", 11, "admin"));  // relinked
    SC_ASSIGN_OR_RETURN(auto links, repo.ProviderLinks("", 10));
    EXPECT_EQ(links.size(), 2u);
    if (links.size() == 2) {
      EXPECT_EQ(links[0].user_id, "u1");
      EXPECT_EQ(links[0].organization_id, "o1");
      EXPECT_EQ(links[1].user_id, "u2");
    }
    SC_ASSIGN_OR_RETURN(auto after, repo.ProviderLinks("u1", 10));
    EXPECT_EQ(after.size(), 1u);

    SC_ASSIGN_OR_RETURN(auto none, repo.LastNotice("checkin", "u1", "s1"));
    EXPECT_FALSE(none);
    dir::ProviderNotice n{"n1", "checkin", "u1", "s1", "hash-1", 100, 200, std::nullopt};
    SC_RETURN_IF_ERROR(repo.AddNotice(n));
    SC_RETURN_IF_ERROR(repo.AddNotice({"n2", "checkin", "u1", "s1", "hash-2", 150, 250, {}}));
    // Reminders carry no token: several of them never clash.
    SC_RETURN_IF_ERROR(repo.AddNotice({"n3", "reminder", "u1", "s1", "", 120, 120, {}}));
    SC_RETURN_IF_ERROR(repo.AddNotice({"n4", "reminder", "u1", "s1", "", 130, 130, {}}));
    SC_ASSIGN_OR_RETURN(auto last, repo.LastNotice("checkin", "u1", "s1"));
    EXPECT_EQ(last, std::optional<int64_t>(150));
    SC_ASSIGN_OR_RETURN(auto last_reminder, repo.LastNotice("reminder", "u1", "s1"));
    EXPECT_EQ(last_reminder, std::optional<int64_t>(130));
    SC_ASSIGN_OR_RETURN(auto other, repo.LastNotice("checkin", "u2", "s1"));
    EXPECT_FALSE(other);

    SC_ASSIGN_OR_RETURN(auto expired, repo.UseCheckin("hash-1", 200));  // at its expiry
    EXPECT_FALSE(expired);
    SC_ASSIGN_OR_RETURN(auto used, repo.UseCheckin("hash-2", 160));
    EXPECT_TRUE(used);
    if (used) {
      EXPECT_EQ(used->id, "n2");
      EXPECT_EQ(used->user_id, "u1");
      EXPECT_EQ(used->service_id, "s1");
      EXPECT_EQ(used->used_at, std::optional<int64_t>(160));
    }
    SC_ASSIGN_OR_RETURN(auto again, repo.UseCheckin("hash-2", 161));
    EXPECT_FALSE(again);
    SC_ASSIGN_OR_RETURN(auto unknown, repo.UseCheckin("hash-9", 100));
    EXPECT_FALSE(unknown);
    return core::Ok();
  }));
}

TEST_F(SC_DIRECTORY_FIXTURE, PrivateNotesRoundTripAndReplace) {
  ASSERT_TRUE(With([&](dir::DirectoryRepository& repo) -> Status {
    SC_ASSIGN_OR_RETURN(auto none, repo.FindPrivateNotes("s1"));
    EXPECT_FALSE(none);
    std::string sealed("\x00\x01sealed\xff", 10);  // sealed bytes are binary
    SC_RETURN_IF_ERROR(repo.PutPrivateNotes({"s1", sealed, "w1", 1, 100, "u1", "provider"}));
    SC_RETURN_IF_ERROR(repo.PutPrivateNotes({"s1", sealed, "w2", 2, 200, "u2", "supervisor"}));
    SC_ASSIGN_OR_RETURN(auto found, repo.FindPrivateNotes("s1"));
    EXPECT_TRUE(found);
    if (found) {
      EXPECT_EQ(found->staff_contact_sealed, sealed);
      EXPECT_EQ(found->waitlist_note_sealed, "w2");
      EXPECT_EQ(found->version, 2);
      EXPECT_EQ(found->updated_at, 200);
      EXPECT_EQ(found->updated_by, "u2");
      EXPECT_EQ(found->updated_by_role, "supervisor");
    }
    return core::Ok();
  }));
}

// ReadChanged (the matching index's patches) traces each kind of record to the same listings
// on SQL as in memory (domain/directory/directory_service_test.cpp has the cases), in one
// batch and in several, and reads each with the related records ScanListed gives it. (The
// records' text is compared with SQL's own ScanListed, not memory's: SQL gives a whole double
// such as -74.0 back as the integer -74.)
TEST_F(SC_DIRECTORY_FIXTURE, ReadChangedTracesLikeTheInMemoryPort) {
  core::ManualClock clock(core::FromUnixSeconds(1'790'000'000));
  const std::string package = ReadText(SchemaDir() / "datapackage.json");
  dir::DirectoryService sql(*runner_, clock, ShippedSchema(), package);
  domain::testing::MemoryRunner memory_runner;
  dir::DirectoryService memory(memory_runner, clock, ShippedSchema(), package);
  for (domain::TransactionRunner* runner :
       std::initializer_list<domain::TransactionRunner*>{runner_.get(), &memory_runner}) {
    ASSERT_TRUE(
        dir::testing::PutRecords(*runner, ShippedSchema(), dir::testing::ChangedDirectory()));
    ASSERT_TRUE(
        dir::testing::PutRecords(*runner, ShippedSchema(), dir::testing::BulkDirectory(600)));
  }
  auto scanned = dir::testing::ScanListedOf(sql);
  ASSERT_TRUE(scanned) << scanned.error().message;
  auto cases = dir::testing::ChangedCases();
  // Each bulk listing named twice, after svc-a: its two mentions fall into two batches.
  dir::testing::ChangedCase bulk{
      "600 attributes and 600 locations", {{"service", "svc-a"}}, {"svc-a"}, {}};
  for (int i = 0; i < 600; ++i) {
    bulk.changed.push_back({"attribute", dir::testing::BulkId("att", i)});
    bulk.changed.push_back({"location", dir::testing::BulkId("loc", 599 - i)});
    (i % 7 == 3 ? bulk.unlisted : bulk.visited).push_back(dir::testing::BulkId("svc", i));
  }
  cases.push_back(bulk);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto read = dir::testing::ReadChangedOf(sql, c.changed);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->visited, c.visited);
    EXPECT_EQ(read->unlisted, c.unlisted);
    for (const auto& [id, listing] : read->listings) {
      ASSERT_TRUE(scanned->count(id)) << id;
      EXPECT_EQ(listing, scanned->at(id)) << id;
    }
    auto in_memory = dir::testing::ReadChangedOf(memory, c.changed);
    ASSERT_TRUE(in_memory);
    EXPECT_EQ(read->visited, in_memory->visited);
    EXPECT_EQ(read->unlisted, in_memory->unlisted);
  }
  std::vector<std::string> unlisted;
  auto refused = sql.ReadChanged(
      {{"phone", "p1"}}, [](const dir::Record&, const std::vector<dir::Record>&) {}, unlisted);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(SC_DIRECTORY_FIXTURE, ImportAndExportAgreeWithTheInMemoryPort) {
  core::ManualClock clock(core::FromUnixSeconds(1'790'000'000));
  const std::string package = ReadText(SchemaDir() / "datapackage.json");
  dir::DirectoryService sql(*runner_, clock, ShippedSchema(), package);
  domain::testing::MemoryRunner memory_runner;
  dir::DirectoryService memory(memory_runner, clock, ShippedSchema(), package);
  for (const char* file :
       {"service_full.json", "organization_full.json", "taxonomy_term_list.json"}) {
    dir::ImportSource source;
    source.name = file;
    source.resource = dir::ResourceFromFileName(file);
    const std::string text = ReadText(ExamplesDir() / file);
    source.open = [text]() { return std::make_unique<std::istringstream>(text); };
    for (auto* service : {&sql, &memory}) {
      auto report = service->Import(source, {});
      ASSERT_TRUE(report) << report.error().message;
      EXPECT_TRUE(report->imported) << file;
    }
  }
  auto export_text = [](dir::DirectoryService& service, dir::DataFormat format) {
    std::map<std::string, std::unique_ptr<std::ostringstream>> files;
    auto report = service.Export(format, [&](const std::string& name) -> std::ostream* {
      files[name] = std::make_unique<std::ostringstream>();
      return files[name].get();
    });
    EXPECT_TRUE(report) << report.error().message;
    std::string all;
    for (auto& [name, s] : files) all += name + "\n" + s->str();
    return all;
  };
  for (auto format : {dir::DataFormat::kJson, dir::DataFormat::kNdjson, dir::DataFormat::kCsv}) {
    EXPECT_EQ(export_text(sql, format), export_text(memory, format));
  }
  // A second import of the same file changes nothing on SQL either.
  dir::ImportSource again;
  again.name = "service_full.json";
  again.resource = "service";
  const std::string text = ReadText(ExamplesDir() / "service_full.json");
  again.open = [text]() { return std::make_unique<std::istringstream>(text); };
  const std::string before = export_text(sql, dir::DataFormat::kJson);
  clock.Advance(std::chrono::hours(5));
  auto report = sql.Import(again, {});
  ASSERT_TRUE(report);
  for (const auto& [type, c] : report->counts) {
    EXPECT_EQ(c.added + c.updated, 0) << type;
  }
  EXPECT_EQ(export_text(sql, dir::DataFormat::kJson), before);
}

}  // namespace
}  // namespace soundcheck::storage::test
