// What only the SQLite adapter promises: the durability settings, reader connections, busy
// retries across processes, and online backup / restore. The group commit has its own file,
// sqlite_group_commit_test.cpp, in the same executable.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "storage/backup.h"
#include "storage/database.h"
#include "test_util.h"

namespace soundcheck::storage::test {
namespace {

using core::ErrorCode;

std::unique_ptr<Database> Open(const std::string& path, OpenOptions o = {}) {
  auto db = OpenDatabase("sqlite:" + path, o);
  EXPECT_TRUE(db) << db.error().message;
  return db ? std::move(db).value() : nullptr;
}

std::string PragmaIn(Database& db, const std::string& pragma, TxMode mode) {
  Rows r = QueryAll(db, "PRAGMA " + pragma, {}, mode);
  return r.empty() ? "" : r.rows[0].Text(0).value_or("");
}

TEST(SqliteAdapter, FileIsWalWithSynchronousFullOnEveryConnection) {
  TempDir dir;
  auto db = Open(dir.File("a.db"));
  ASSERT_NE(db, nullptr);
  for (TxMode mode : {TxMode::kReadWrite, TxMode::kReadOnly}) {
    SCOPED_TRACE(mode == TxMode::kReadOnly ? "reader" : "writer");
    EXPECT_EQ(PragmaIn(*db, "journal_mode", mode), "wal");
    EXPECT_EQ(PragmaIn(*db, "synchronous", mode), "2");  // FULL
    EXPECT_EQ(PragmaIn(*db, "foreign_keys", mode), "1");
    EXPECT_EQ(PragmaIn(*db, "busy_timeout", mode), "5000");
  }
  // WAL is recorded in the file itself: a plain connection sees it too.
  db.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("a.db").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST(SqliteAdapter, ReadersRunBesideTheWriter) {
  TempDir dir;
  OpenOptions o;
  o.pool_size = 3;
  auto db = Open(dir.File("r.db"), o);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x INTEGER)"));
  // A write commits while a reader holds its snapshot.
  Status write;
  Status read = db->Transact(
      [&](Transaction& tx) -> Status {
        SC_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM t"));
        std::thread writer([&] { write = Exec(*db, "INSERT INTO t (x) VALUES (1)"); });
        writer.join();
        return core::Ok();
      },
      TxMode::kReadOnly);
  EXPECT_TRUE(read) << Describe(read);
  EXPECT_TRUE(write) << Describe(write);
  // Several readers at once use several connections.
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      for (int k = 0; k < 20; ++k) EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
    });
  }
  for (auto& t : readers) t.join();
  PoolStats s = db->Stats();
  EXPECT_GE(s.size, 2);
  EXPECT_LE(s.size, 1 + 3);
  EXPECT_EQ(s.in_use, 0);
}

TEST(SqliteAdapter, MemoryDatabaseUsesOneConnection) {
  auto db = OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE(Exec(**db, "CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE(Exec(**db, "INSERT INTO t (x) VALUES (1)"));
  EXPECT_EQ(QueryInt(**db, "SELECT COUNT(*) FROM t"), 1);
  EXPECT_EQ((*db)->Stats().size, 1);
  // A read-only transaction that throws leaves the one connection writable.
  EXPECT_THROW((void)(*db)->Transact([](Transaction&) -> Status { throw std::runtime_error("x"); },
                                     TxMode::kReadOnly),
               std::runtime_error);
  EXPECT_TRUE(Exec(**db, "INSERT INTO t (x) VALUES (2)"));
}

// Another process holding the write lock: BEGIN IMMEDIATE gets SQLITE_BUSY (no busy timeout
// here), and Transact retries until the lock is free.
TEST(SqliteAdapter, BusyFromAnotherConnectionIsRetried) {
  TempDir dir;
  OpenOptions o;
  o.busy_timeout_ms = 0;
  auto db = Open(dir.File("b.db"), o);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE t (x INTEGER)"));

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("b.db").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  Status s = Exec(*db, "INSERT INTO t (x) VALUES (1)");
  release.join();
  EXPECT_TRUE(s) << Describe(s);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);

  // With one attempt only, the busy database is reported as unavailable.
  o.max_attempts = 1;
  auto impatient = Open(dir.File("b.db"), o);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  s = Exec(*impatient, "INSERT INTO t (x) VALUES (2)");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable) << Describe(s);
}

// ---- backup and restore ----

struct Snapshot {
  std::vector<int64_t> ids;
  std::vector<std::string> payloads;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Read(Database& db) {
  Snapshot s;
  for (const Row& r : QueryAll(db, "SELECT id, payload FROM log ORDER BY id").rows) {
    s.ids.push_back(r.Int(0).value_or(-1));
    s.payloads.push_back(r.Text(1).value_or(""));
  }
  return s;
}

void CreateLog(Database& db) {
  ASSERT_TRUE(Exec(db,
                   "CREATE TABLE log (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, "
                   "data BLOB)"));
  ASSERT_TRUE(Exec(db, "CREATE INDEX log_payload ON log (payload)"));
}

Status Append(Database& db, int64_t id) {
  return Exec(db, "INSERT INTO log (id, payload, data) VALUES (?, ?, ?)",
              {id, "entry-" + std::to_string(id), Blob{std::string(200, static_cast<char>(id))}});
}

TEST(SqliteBackup, BackupWhileWritingThenRestore) {
  TempDir dir;
  const std::string live = dir.File("live.db");
  auto db = Open(live);
  ASSERT_NE(db, nullptr);
  CreateLog(*db);
  for (int64_t id = 1; id <= 500; ++id) ASSERT_TRUE(Append(*db, id));

  // A writer keeps appending while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<int64_t> committed{500};
  std::thread writer([&] {
    for (int64_t id = 501; !stop; ++id) {
      Status s = Append(*db, id);
      if (!s) {
        ADD_FAILURE() << Describe(s);
        return;
      }
      committed = id;
    }
  });
  while (committed < 600) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int64_t before_backup = committed;
  Status b = BackupSqlite(live, dir.File("mid.backup"));
  const int64_t after_backup = committed;
  while (committed < after_backup + 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop = true;
  writer.join();
  ASSERT_TRUE(b) << Describe(b);

  // The mid-write backup is one snapshot: a gap-free prefix of the log.
  ASSERT_TRUE(RestoreSqlite(dir.File("mid.backup"), dir.File("restored.db")));
  auto restored = Open(dir.File("restored.db"));
  ASSERT_NE(restored, nullptr);
  Snapshot got = Read(*restored);
  ASSERT_FALSE(got.ids.empty());
  const int64_t n = static_cast<int64_t>(got.ids.size());
  EXPECT_EQ(got.ids.front(), 1);
  EXPECT_EQ(got.ids.back(), n);  // no gaps
  EXPECT_GE(n, before_backup);
  EXPECT_LE(n, after_backup);
  Snapshot live_rows = Read(*db);
  EXPECT_TRUE(std::equal(got.payloads.begin(), got.payloads.end(), live_rows.payloads.begin()));
  EXPECT_EQ(QueryInt(*restored, "SELECT COUNT(*) FROM log WHERE length(data) = 200"), n);
  EXPECT_LT(n, static_cast<int64_t>(live_rows.ids.size()));  // the writer went on after it

  // A backup taken when writing has stopped restores exactly, over the earlier restore.
  ASSERT_TRUE(BackupSqlite(live, dir.File("final.backup")));
  restored.reset();
  Status refused = RestoreSqlite(dir.File("final.backup"), dir.File("restored.db"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition) << Describe(refused);
  ASSERT_TRUE(RestoreSqlite(dir.File("final.backup"), dir.File("restored.db"), /*overwrite=*/true));
  restored = Open(dir.File("restored.db"));
  EXPECT_EQ(Read(*restored), live_rows);
  // The restored file is a normal Soundcheck database again.
  EXPECT_EQ(PragmaIn(*restored, "journal_mode", TxMode::kReadWrite), "wal");
  EXPECT_TRUE(Append(*restored, 1'000'000));
}

TEST(SqliteBackup, BackupIsOneSelfContainedFile) {
  TempDir dir;
  auto db = Open(dir.File("live.db"));
  ASSERT_NE(db, nullptr);
  CreateLog(*db);
  ASSERT_TRUE(Append(*db, 1));
  ASSERT_TRUE(BackupSqlite(dir.File("live.db"), dir.File("copy.backup")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("copy.backup-wal")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("copy.backup-journal")));
  // Header bytes 18-19 are 1 for rollback-journal files, 2 for WAL.
  std::ifstream f(dir.File("copy.backup"), std::ios::binary);
  char header[20];
  f.read(header, sizeof header);
  EXPECT_EQ(header[18], 1);
  EXPECT_EQ(header[19], 1);
  // No temporary file is left beside it.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    files += e.path().filename().string().starts_with("copy.backup") ? 1 : 0;
  }
  EXPECT_EQ(files, 1);
  // A second backup replaces the first.
  ASSERT_TRUE(Append(*db, 2));
  ASSERT_TRUE(BackupSqlite(dir.File("live.db"), dir.File("copy.backup")));
  ASSERT_TRUE(RestoreSqlite(dir.File("copy.backup"), dir.File("r.db")));
  EXPECT_EQ(QueryInt(*Open(dir.File("r.db")), "SELECT COUNT(*) FROM log"), 2);
}

TEST(SqliteBackup, RestoreRefusesACorruptBackup) {
  TempDir dir;
  auto db = Open(dir.File("live.db"));
  ASSERT_NE(db, nullptr);
  CreateLog(*db);
  ASSERT_TRUE(db->Transact([](Transaction& tx) -> Status {
    for (int64_t id = 1; id <= 2000; ++id) {
      SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO log (id, payload) VALUES (?, ?)",
                                    {id, "entry-" + std::to_string(id)}));
    }
    return core::Ok();
  }));
  ASSERT_TRUE(BackupSqlite(dir.File("live.db"), dir.File("good.backup")));
  std::filesystem::copy_file(dir.File("good.backup"), dir.File("bad.backup"));
  const auto size = std::filesystem::file_size(dir.File("bad.backup"));
  ASSERT_GT(size, 16u * 4096u);
  {
    // Scribble over a few pages in the middle (b-tree pages of the table and its index).
    std::fstream f(dir.File("bad.backup"), std::ios::in | std::ios::out | std::ios::binary);
    const std::string junk(3 * 4096, '\xA5');
    f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Status s = RestoreSqlite(dir.File("bad.backup"), dir.File("restored.db"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition) << Describe(s);
  EXPECT_NE(s.error().message.find("refusing"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("corrupt"), std::string::npos) << s.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.File("restored.db")));
  // The good one restores.
  EXPECT_TRUE(RestoreSqlite(dir.File("good.backup"), dir.File("restored.db")));
}

// A file whose pages all parse but whose index disagrees with its table: only
// integrity_check finds this kind of damage.
TEST(SqliteBackup, RestoreRefusesABackupThatFailsIntegrityCheck) {
  TempDir dir;
  auto db = Open(dir.File("live.db"));
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(Exec(*db, "CREATE TABLE small (id INTEGER PRIMARY KEY, v TEXT)"));
  ASSERT_TRUE(Exec(*db, "CREATE INDEX small_v ON small (v)"));
  ASSERT_TRUE(Exec(*db, "INSERT INTO small (id, v) VALUES (1, 'marker-aaa'), (2, 'marker-bbb')"));
  ASSERT_TRUE(BackupSqlite(dir.File("live.db"), dir.File("b.backup")));
  std::string bytes;
  {
    std::ifstream f(dir.File("b.backup"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  // The value is stored twice: in the table's page, then in the index's page (created later).
  const size_t in_table = bytes.find("marker-bbb");
  const size_t in_index = bytes.find("marker-bbb", in_table + 1);
  ASSERT_NE(in_index, std::string::npos);
  bytes.replace(in_index, 10, "marker-zzz");
  {
    std::ofstream f(dir.File("b.backup"), std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  Status s = RestoreSqlite(dir.File("b.backup"), dir.File("restored.db"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition) << Describe(s);
  EXPECT_NE(s.error().message.find("failed PRAGMA integrity_check"), std::string::npos)
      << s.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.File("restored.db")));
}

TEST(SqliteBackup, RestoreRefusesFilesThatAreNotDatabases) {
  TempDir dir;
  { std::ofstream(dir.File("notes.txt")) << "this is not a database, just some text\n"; }
  { std::ofstream(dir.File("empty.backup")); }
  for (const char* name : {"notes.txt", "empty.backup"}) {
    Status s = RestoreSqlite(dir.File(name), dir.File("x.db"));
    ASSERT_FALSE(s) << name;
    EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition) << Describe(s);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.db")));
  EXPECT_EQ(RestoreSqlite(dir.File("missing.backup"), dir.File("x.db")).error().code,
            ErrorCode::kNotFound);
}

TEST(SqliteBackup, BackupArgumentsAreChecked) {
  TempDir dir;
  EXPECT_EQ(BackupSqlite(dir.File("missing.db"), dir.File("b")).error().code, ErrorCode::kNotFound);
  auto db = Open(dir.File("live.db"));
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(BackupSqlite(dir.File("live.db"), dir.File("live.db")).error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(BackupSqlite(dir.File("live.db"), dir.File("b")));
  EXPECT_EQ(RestoreSqlite(dir.File("b"), dir.File("b"), true).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace soundcheck::storage::test
