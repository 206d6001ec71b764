// The storage contract: what every Database adapter guarantees. Written once; built as
// storage_contract_sqlite_test (a fresh SQLite file per test) and storage_contract_pgtest (a
// fresh PostgreSQL schema per test; needs SC_TEST_PG_URL). A test that only holds on one
// engine does not belong here.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "contract_engine.h"
#include "storage/dialect.h"
#include "storage/migrations.h"
#include "storage/testing/fault_injecting_database.h"
#include "test_util.h"

// The fixture is named per build (StorageContractSqlite, StorageContractPostgres), so the
// two executables' tests have distinct ctest names.
#ifndef SC_CONTRACT_FIXTURE
#error \
    "compile with -DSC_CONTRACT_FIXTURE=StorageContract<Engine> (see tests/storage/CMakeLists.txt)"
#endif

namespace soundcheck::storage::test {
namespace {

using core::ErrorCode;

class SC_CONTRACT_FIXTURE : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MakeContractEngine();
    db_ = engine_->OpenFresh(Options());
    ASSERT_NE(db_, nullptr) << "no database to test (see the failure above)";
  }
  void TearDown() override {
    db_.reset();
    if (engine_) engine_->Cleanup();
  }
  virtual OpenOptions Options() const { return OpenOptions{}; }

  Database& db() { return *db_; }
  Dialect dialect() { return db_->dialect(); }

  // A table with one column of each kind.
  void CreateValuesTable() {
    const Dialect d = dialect();
    ASSERT_TRUE(Exec(db(), "CREATE TABLE vals (id INTEGER PRIMARY KEY, i " +
                               std::string(Int64Type(d)) + ", r " + std::string(DoubleType(d)) +
                               ", t TEXT, b " + std::string(BlobType(d)) + ")"));
  }
  void CreateCounter() {
    ASSERT_TRUE(Exec(db(), "CREATE TABLE counter (id INTEGER PRIMARY KEY, n " +
                               std::string(Int64Type(dialect())) + " NOT NULL)"));
    ASSERT_TRUE(Exec(db(), "INSERT INTO counter (id, n) VALUES (1, 0)"));
  }
  int64_t Count(const std::string& table) {
    return QueryInt(db(), "SELECT COUNT(*) FROM " + table);
  }

  std::unique_ptr<ContractEngine> engine_;
  std::unique_ptr<Database> db_;
};

// ---- values ----

TEST_F(SC_CONTRACT_FIXTURE, RoundTripsEveryValueType) {
  CreateValuesTable();
  std::string blob_with_nuls("\0a\0\xff\x00z", 6);
  std::string big_blob(1 << 20, '\0');
  for (size_t i = 0; i < big_blob.size(); ++i) big_blob[i] = static_cast<char>((i * 131) % 251);
  struct Case {
    Value i, r, t, b;
  };
  const std::vector<Case> cases = {
      {int64_t{0}, 0.0, std::string(""), Blob{""}},
      {std::numeric_limits<int64_t>::max(), 3.141592653589793, std::string("plain"),
       Blob{blob_with_nuls}},
      {std::numeric_limits<int64_t>::min(), -1.7976931348623157e308,
       std::string("héllo — 世界 🎸 Ω"), Blob{big_blob}},
      {int64_t{-1}, 4.9406564584124654e-324, std::string(10000, 'x'), Blob{"\xff"}},
      {Null{}, Null{}, Null{}, Null{}},
      {int64_t{42}, 0.1, std::string("it's a 'quote' and \"double\" and \\ backslash"),
       Blob{"\\x00"}},
  };
  ASSERT_TRUE(db().Transact([&](Transaction& tx) -> Status {
    for (size_t k = 0; k < cases.size(); ++k) {
      SC_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO vals (id, i, r, t, b) VALUES (?, ?, ?, ?, ?)",
                     {static_cast<int64_t>(k), cases[k].i, cases[k].r, cases[k].t, cases[k].b}));
    }
    return core::Ok();
  }));
  Rows rows = QueryAll(db(), "SELECT i, r, t, b FROM vals ORDER BY id");
  ASSERT_EQ(rows.size(), cases.size());
  EXPECT_EQ(rows.columns, (std::vector<std::string>{"i", "r", "t", "b"}));
  for (size_t k = 0; k < cases.size(); ++k) {
    SCOPED_TRACE("case " + std::to_string(k));
    EXPECT_EQ(rows.rows[k].at(0), cases[k].i);
    EXPECT_EQ(rows.rows[k].at(1), cases[k].r);
    EXPECT_EQ(rows.rows[k].at(2), cases[k].t);
    EXPECT_EQ(rows.rows[k].at(3), cases[k].b);
  }
  // NULL and the empty string stay apart.
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM vals WHERE t = ''"), 1);
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM vals WHERE t IS NULL"), 1);
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM vals WHERE b IS NULL"), 1);
}

TEST_F(SC_CONTRACT_FIXTURE, ParametersComeBackWithTheirType) {
  Rows rows = QueryAll(db(), "SELECT ?, ?, ?, ?, ?",
                       {int64_t{-7}, 2.5, std::string("ü"), Blob{std::string("\0\1", 2)}, Null{}});
  ASSERT_EQ(rows.size(), 1u);
  const Row& r = rows.rows[0];
  EXPECT_EQ(r.at(0), Value(int64_t{-7}));
  EXPECT_EQ(r.at(1), Value(2.5));
  EXPECT_EQ(r.at(2), Value(std::string("ü")));
  EXPECT_EQ(r.at(3), Value(Blob{std::string("\0\1", 2)}));
  EXPECT_TRUE(r.IsNull(4));
  // 64-bit arithmetic on parameters.
  EXPECT_EQ(QueryInt(db(), "SELECT ? + 1", {int64_t{9007199254740993}}), 9007199254740994);
}

TEST_F(SC_CONTRACT_FIXTURE, TextMustBeUtf8WithoutNul) {
  for (const std::string& bad : {std::string("a\0b", 3), std::string("\xff\xfe")}) {
    Status s = db().Transact([&](Transaction& tx) -> Status {
      SC_RETURN_IF_ERROR(tx.Query("SELECT ?", {bad}));
      return core::Ok();
    });
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << Describe(s);
  }
}

TEST_F(SC_CONTRACT_FIXTURE, QuestionMarksInsideLiteralsAreNotPlaceholders) {
  Rows rows = QueryAll(db(),
                       "SELECT '?' AS a, 'it''s ?' AS b, ? AS c, \"x?\".y AS d -- trailing ?\n"
                       "FROM (SELECT '?;' AS y) AS \"x?\" /* and ? here */",
                       {std::string("value")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.rows[0].Text(0), "?");
  EXPECT_EQ(rows.rows[0].Text(1), "it's ?");
  EXPECT_EQ(rows.rows[0].Text(2), "value");
  EXPECT_EQ(rows.rows[0].Text(3), "?;");
}

TEST_F(SC_CONTRACT_FIXTURE, PlaceholderCountMustMatch) {
  for (const std::vector<Value>& params :
       {std::vector<Value>{}, std::vector<Value>{int64_t{1}, int64_t{2}}}) {
    Status s = db().Transact([&](Transaction& tx) -> Status {
      SC_RETURN_IF_ERROR(tx.Query("SELECT ?", params));
      return core::Ok();
    });
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << Describe(s);
  }
}

TEST_F(SC_CONTRACT_FIXTURE, OneStatementPerCall) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  Status s = Exec(db(), "INSERT INTO t VALUES (1); DROP TABLE t");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << Describe(s);
  EXPECT_EQ(Count("t"), 0);
  // A trailing `;` and comment are fine.
  EXPECT_TRUE(Exec(db(), "INSERT INTO t VALUES (2); -- done"));
}

// ---- statements ----

TEST_F(SC_CONTRACT_FIXTURE, ExecuteReturnsChangedRows) {
  int64_t created = -1, inserted = -1, updated = -1, none = -1, deleted = -1;
  ASSERT_TRUE(db().Transact([&](Transaction& tx) -> Status {
    SC_ASSIGN_OR_RETURN(created, tx.Execute("CREATE TABLE t (x INTEGER)"));
    SC_ASSIGN_OR_RETURN(inserted, tx.Execute("INSERT INTO t (x) VALUES (1), (2), (3)"));
    SC_ASSIGN_OR_RETURN(updated, tx.Execute("UPDATE t SET x = x + 10 WHERE x >= ?", {int64_t{2}}));
    SC_ASSIGN_OR_RETURN(none, tx.Execute("UPDATE t SET x = 0 WHERE x = 99"));
    SC_ASSIGN_OR_RETURN(deleted, tx.Execute("DELETE FROM t"));
    return core::Ok();
  }));
  EXPECT_EQ(created, 0);
  EXPECT_EQ(inserted, 3);
  EXPECT_EQ(updated, 2);
  EXPECT_EQ(none, 0);
  EXPECT_EQ(deleted, 3);
}

TEST_F(SC_CONTRACT_FIXTURE, AutoIdsAndReturning) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE items (id " + std::string(AutoIdColumn(dialect())) +
                             ", name TEXT NOT NULL)"));
  std::vector<int64_t> ids;
  ASSERT_TRUE(db().Transact([&](Transaction& tx) -> Status {
    for (const char* name : {"a", "b", "c"}) {
      SC_ASSIGN_OR_RETURN(Rows r, tx.Query("INSERT INTO items (name) VALUES (?) RETURNING id",
                                           {std::string(name)}));
      ids.push_back(r.rows.at(0).Int(0).value_or(-1));
    }
    return core::Ok();
  }));
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_GT(ids[0], 0);
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
}

TEST_F(SC_CONTRACT_FIXTURE, InsertOnConflictWorksOnBoth) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"));
  const std::string upsert =
      "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
  ASSERT_TRUE(Exec(db(), upsert, {std::string("a"), int64_t{1}}));
  ASSERT_TRUE(Exec(db(), upsert, {std::string("a"), int64_t{2}}));
  int64_t changed = -1;
  ASSERT_TRUE(db().Transact([&](Transaction& tx) -> Status {
    SC_ASSIGN_OR_RETURN(changed, tx.Execute("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) "
                                            "DO NOTHING",
                                            {std::string("a"), int64_t{3}}));
    return core::Ok();
  }));
  EXPECT_EQ(changed, 0);
  EXPECT_EQ(QueryInt(db(), "SELECT v FROM kv WHERE k = ?", {std::string("a")}), 2);
}

TEST_F(SC_CONTRACT_FIXTURE, SumOfIntegersReadsAsInt) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE m (cents " + std::string(Int64Type(dialect())) + ")"));
  ASSERT_TRUE(
      Exec(db(), "INSERT INTO m (cents) VALUES (?), (?)", {int64_t{4000000000000}, int64_t{-1}}));
  // NUMERIC on PostgreSQL, INTEGER on SQLite: Row::Int reads both.
  EXPECT_EQ(QueryInt(db(), "SELECT SUM(cents) FROM m"), 3999999999999);
}

// ---- transactions ----

TEST_F(SC_CONTRACT_FIXTURE, CommitIsVisibleAfterTransact) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE(Exec(db(), "INSERT INTO t (x) VALUES (?)", {int64_t{5}}));
  EXPECT_EQ(QueryInt(db(), "SELECT x FROM t"), 5);
}

TEST_F(SC_CONTRACT_FIXTURE, ErrorReturnRollsBack) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  Status s = db().Transact([](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO t (x) VALUES (1)"));
    return core::Error::NotFound("changed my mind");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s.error().message, "changed my mind");
  EXPECT_EQ(Count("t"), 0);
}

TEST_F(SC_CONTRACT_FIXTURE, ThrowRollsBackAndPropagates) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  EXPECT_THROW((void)db().Transact([](Transaction& tx) -> Status {
    (void)tx.Execute("INSERT INTO t (x) VALUES (1)");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(Count("t"), 0);
  // The connection went back to the pool in a clean state.
  EXPECT_TRUE(Exec(db(), "INSERT INTO t (x) VALUES (2)"));
  EXPECT_EQ(Count("t"), 1);
  EXPECT_EQ(db().Stats().in_use, 0);
}

TEST_F(SC_CONTRACT_FIXTURE, DdlIsTransactional) {
  Status s = db().Transact([](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute("CREATE TABLE ghost (x INTEGER)"));
    return core::Error::Internal("abort");
  });
  ASSERT_FALSE(s);
  EXPECT_TRUE(
      QueryAll(db(), std::string(TableExistsQuery(dialect())), {std::string("ghost")}).empty());
}

TEST_F(SC_CONTRACT_FIXTURE, UniqueViolationIsConflictAndWritesNothing) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE users (email TEXT UNIQUE, n INTEGER)"));
  ASSERT_TRUE(Exec(db(), "INSERT INTO users (email, n) VALUES (?, 1)",
                   {std::string("canary-7c1@example.org")}));
  Status s = db().Transact([](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO users (email, n) VALUES ('other@example.org', 2)"));
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO users (email, n) VALUES (?, 3)",
                                  {std::string("canary-7c1@example.org")}));
    return core::Ok();
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << Describe(s);
  // The engine's words, never the value.
  EXPECT_EQ(s.error().message.find("canary-7c1"), std::string::npos) << s.error().message;
  EXPECT_EQ(Count("users"), 1);
}

TEST_F(SC_CONTRACT_FIXTURE, ForeignKeyViolationIsConflict) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE parent (id INTEGER PRIMARY KEY)"));
  ASSERT_TRUE(Exec(db(),
                   "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
                   "REFERENCES parent(id))"));
  Status s = Exec(db(), "INSERT INTO child (id, parent_id) VALUES (1, ?)", {int64_t{404}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << Describe(s);
  EXPECT_EQ(Count("child"), 0);
}

TEST_F(SC_CONTRACT_FIXTURE, NotNullAndCheckViolationsAreInvalidArgument) {
  ASSERT_TRUE(
      Exec(db(), "CREATE TABLE p (name TEXT NOT NULL, code TEXT CHECK (length(code) < 5))"));
  Status s = Exec(db(), "INSERT INTO p (name, code) VALUES (?, ?)", {Null{}, std::string("ok")});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << Describe(s);
  s = Exec(db(), "INSERT INTO p (name, code) VALUES (?, ?)",
           {std::string("n"), std::string("canary-3f9-too-long")});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument) << Describe(s);
  EXPECT_EQ(s.error().message.find("canary-3f9"), std::string::npos) << s.error().message;
}

TEST_F(SC_CONTRACT_FIXTURE, SyntaxErrorIsInternal) {
  Status s = Exec(db(), "SELEKT 1");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInternal) << Describe(s);
}

TEST_F(SC_CONTRACT_FIXTURE, FailedStatementAbortsTheTransaction) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE u (k TEXT PRIMARY KEY)"));
  ASSERT_TRUE(Exec(db(), "INSERT INTO u (k) VALUES ('a')"));
  bool later_statement_failed = false;
  Status s = db().Transact([&](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO u (k) VALUES ('b')"));
    (void)tx.Execute("INSERT INTO u (k) VALUES ('a')");  // conflict, ignored by the caller
    later_statement_failed = !tx.Execute("INSERT INTO u (k) VALUES ('c')").has_value();
    return core::Ok();  // ... but the transaction is aborted anyway
  });
  EXPECT_TRUE(later_statement_failed);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << Describe(s);
  EXPECT_EQ(Count("u"), 1);
}

TEST_F(SC_CONTRACT_FIXTURE, NestedTransactIsRefused) {
  Status inner_status;
  Status s = db().Transact([&](Transaction&) -> Status {
    inner_status = db().Transact([](Transaction&) { return core::Ok(); });
    return core::Ok();
  });
  EXPECT_TRUE(s);
  ASSERT_FALSE(inner_status);
  EXPECT_EQ(inner_status.error().code, ErrorCode::kInternal);
}

TEST_F(SC_CONTRACT_FIXTURE, ReadOnlySeesCommittedDataAndRefusesWrites) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE(Exec(db(), "INSERT INTO t (x) VALUES (1), (2)"));
  EXPECT_EQ(QueryInt(db(), "SELECT SUM(x) FROM t"), 3);
  Status s = db().Transact(
      [](Transaction& tx) -> Status {
        SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO t (x) VALUES (3)"));
        return core::Ok();
      },
      TxMode::kReadOnly);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInternal) << Describe(s);
  EXPECT_EQ(Count("t"), 2);
}

TEST_F(SC_CONTRACT_FIXTURE, ReadOnlyTransactionReadsOneSnapshot) {
  CreateCounter();
  int64_t first = -1, second = -1;
  Status writer_status;
  Status s = db().Transact(
      [&](Transaction& tx) -> Status {
        SC_ASSIGN_OR_RETURN(Rows a, tx.Query("SELECT n FROM counter WHERE id = 1"));
        first = a.rows.at(0).Int(0).value_or(-1);
        // Another thread commits a change meanwhile; it must not block on this reader.
        std::thread writer(
            [&] { writer_status = Exec(db(), "UPDATE counter SET n = 100 WHERE id = 1"); });
        writer.join();
        SC_ASSIGN_OR_RETURN(Rows b, tx.Query("SELECT n FROM counter WHERE id = 1"));
        second = b.rows.at(0).Int(0).value_or(-1);
        return core::Ok();
      },
      TxMode::kReadOnly);
  ASSERT_TRUE(s) << Describe(s);
  ASSERT_TRUE(writer_status) << Describe(writer_status);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0);
  EXPECT_EQ(QueryInt(db(), "SELECT n FROM counter WHERE id = 1"), 100);
}

// ---- concurrency ----

TEST_F(SC_CONTRACT_FIXTURE, ConcurrentWritersLoseNoIncrement) {
  CreateCounter();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        Status s = Exec(db(), "UPDATE counter SET n = n + 1 WHERE id = 1");
        if (!s) {
          ++failures;
          ADD_FAILURE() << Describe(s);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(QueryInt(db(), "SELECT n FROM counter WHERE id = 1"), kThreads * kPerThread);
  PoolStats stats = db().Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_GE(stats.size, 1);
}

// Read, decide in C++, write back: run with `mode`, locking the row with `for_update`.
void ReadModifyWrite(Database& db, TxMode mode, std::string_view for_update, int* runs_out) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        Status s = db.Transact(
            [&](Transaction& tx) -> Status {
              ++runs;
              SC_ASSIGN_OR_RETURN(
                  Rows r, tx.Query("SELECT n FROM counter WHERE id = 1" + std::string(for_update)));
              const int64_t n = r.rows.at(0).Int(0).value_or(0);
              std::this_thread::yield();  // widen the race window
              SC_RETURN_IF_ERROR(tx.Execute("UPDATE counter SET n = ? WHERE id = 1", {n + 1}));
              return core::Ok();
            },
            mode);
        EXPECT_TRUE(s) << Describe(s);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(QueryInt(db, "SELECT n FROM counter WHERE id = 1"), kThreads * kPerThread);
  *runs_out = runs.load();
}

// kReadWrite + ForUpdate: the lock makes read-check-write safe (and on PostgreSQL, queue).
TEST_F(SC_CONTRACT_FIXTURE, ReadModifyWriteWithRowLockLosesNoUpdate) {
  CreateCounter();
  int runs = 0;
  ReadModifyWrite(db(), TxMode::kReadWrite, ForUpdate(dialect()), &runs);
  EXPECT_GE(runs, 200);
}

// kSerializable: no lock needed; the engine makes losers run again.
TEST_F(SC_CONTRACT_FIXTURE, SerializableReadModifyWriteLosesNoUpdate) {
  CreateCounter();
  OpenOptions patient;
  patient.max_attempts = 200;  // a hot row under SERIALIZABLE: many retries, by design
  auto db2 = engine_->OpenAgain(patient);
  ASSERT_TRUE(db2) << db2.error().message;
  int runs = 0;
  ReadModifyWrite(**db2, TxMode::kSerializable, "", &runs);
  EXPECT_GE(runs, 200);
}

// Transfers between accounts with a "no negative balance" rule checked in C++ (rows locked
// first), and readers that check the total at the same time: no money appears, vanishes or
// goes below zero.
TEST_F(SC_CONTRACT_FIXTURE, ConcurrentTransfersKeepInvariants) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE accounts (id INTEGER PRIMARY KEY, cents " +
                             std::string(Int64Type(dialect())) + " NOT NULL)"));
  ASSERT_TRUE(Exec(db(), "INSERT INTO accounts (id, cents) VALUES (1, 100), (2, 100), (3, 100)"));
  std::atomic<bool> stop{false};
  std::atomic<int> bad_totals{0};
  std::thread reader([&] {
    while (!stop) {
      const int64_t total = QueryInt(db(), "SELECT SUM(cents) FROM accounts");
      const int64_t negative = QueryInt(db(), "SELECT COUNT(*) FROM accounts WHERE cents < 0");
      if (total != 300 || negative != 0) ++bad_totals;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        const int64_t from = 1 + (t + i) % 3;
        const int64_t to = 1 + (t + i + 1) % 3;
        const int64_t amount = 30 + (i % 5) * 10;
        Status s = db().Transact([&](Transaction& tx) -> Status {
          // Lock both rows in one statement, in key order (no deadlock), then check.
          SC_ASSIGN_OR_RETURN(Rows r, tx.Query("SELECT id, cents FROM accounts WHERE id IN (?, ?) "
                                               "ORDER BY id" +
                                                   std::string(ForUpdate(dialect())),
                                               {from, to}));
          const Row& source = r.rows.at(r.rows.at(0).Int(0) == from ? 0 : 1);
          if (source.Int(1).value_or(0) < amount) return core::Ok();  // would go negative
          SC_RETURN_IF_ERROR(
              tx.Execute("UPDATE accounts SET cents = cents - ? WHERE id = ?", {amount, from}));
          SC_RETURN_IF_ERROR(
              tx.Execute("UPDATE accounts SET cents = cents + ? WHERE id = ?", {amount, to}));
          return core::Ok();
        });
        EXPECT_TRUE(s) << Describe(s);
      }
    });
  }
  for (auto& w : writers) w.join();
  stop = true;
  reader.join();
  EXPECT_EQ(bad_totals.load(), 0);
  EXPECT_EQ(QueryInt(db(), "SELECT SUM(cents) FROM accounts"), 300);
  EXPECT_EQ(QueryInt(db(), "SELECT COUNT(*) FROM accounts WHERE cents < 0"), 0);
}

TEST_F(SC_CONTRACT_FIXTURE, TwoHandlesOnOneDatabaseBothWrite) {
  CreateCounter();
  auto other = engine_->OpenAgain(OpenOptions{});
  ASSERT_TRUE(other) << other.error().message;
  std::vector<std::thread> threads;
  for (Database* d : {&db(), other->get()}) {
    threads.emplace_back([d] {
      for (int i = 0; i < 50; ++i) {
        Status s = Exec(*d, "UPDATE counter SET n = n + 1 WHERE id = 1");
        EXPECT_TRUE(s) << Describe(s);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(QueryInt(db(), "SELECT n FROM counter WHERE id = 1"), 100);
}

TEST_F(SC_CONTRACT_FIXTURE, PingAndStats) {
  EXPECT_TRUE(db().Ping());
  PoolStats s = db().Stats();
  EXPECT_GE(s.size, 1);
  EXPECT_EQ(s.in_use, 0);
  PoolStats during;
  ASSERT_TRUE(db().Transact([&](Transaction&) {
    during = db().Stats();
    return core::Ok();
  }));
  EXPECT_EQ(during.in_use, 1);
}

// ---- migrations ----

std::vector<Migration> TestMigrations(Dialect d, int count) {
  std::vector<Migration> all = {
      {1, "people",
       "-- first\nCREATE TABLE people (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL\n);\n"
       "INSERT INTO people (id, name) VALUES (1, 'seed; with semicolon');\n"},
      {2, "photos",
       "CREATE TABLE photos (id INTEGER PRIMARY KEY, data " + std::string(BlobType(d)) +
           ");\nCREATE INDEX photos_id ON photos (id);\n"},
      {3, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"},
  };
  all.resize(count);
  return all;
}

TEST_F(SC_CONTRACT_FIXTURE, MigrationsApplyOnceAndReportStatus) {
  const auto migrations = TestMigrations(dialect(), 2);
  auto before = GetMigrationStatus(db(), migrations);
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->current, 0);
  EXPECT_EQ(before->latest, 2);
  // Reading the status creates nothing.
  EXPECT_TRUE(
      QueryAll(db(), std::string(TableExistsQuery(dialect())), {std::string("schema_migrations")})
          .empty());

  ASSERT_TRUE(Migrate(db(), migrations));
  auto after = GetMigrationStatus(db(), migrations);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->current, 2);
  EXPECT_EQ(after->latest, 2);
  Rows recorded =
      QueryAll(db(), "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded.rows[0].Int(0), 1);
  EXPECT_EQ(recorded.rows[0].Text(1), "people");
  EXPECT_EQ(recorded.rows[1].Text(1), "photos");
  EXPECT_EQ(recorded.rows[0].Text(2).value_or("").size(), 20u);  // 2024-01-02T03:04:05Z
  EXPECT_EQ(QueryAll(db(), "SELECT name FROM people").rows.at(0).Text(0), "seed; with semicolon");

  // Idempotent: nothing runs twice.
  ASSERT_TRUE(Migrate(db(), migrations));
  EXPECT_EQ(Count("people"), 1);
  EXPECT_EQ(Count("schema_migrations"), 2);
}

TEST_F(SC_CONTRACT_FIXTURE, MigrationsApplyOnlyTheNewOnes) {
  ASSERT_TRUE(Migrate(db(), TestMigrations(dialect(), 1)));
  EXPECT_EQ(GetMigrationStatus(db(), TestMigrations(dialect(), 3))->current, 1);
  ASSERT_TRUE(Migrate(db(), TestMigrations(dialect(), 3)));
  auto st = GetMigrationStatus(db(), TestMigrations(dialect(), 3));
  EXPECT_EQ(st->current, 3);
  EXPECT_EQ(st->latest, 3);
  EXPECT_EQ(Count("people"), 1);
  EXPECT_EQ(Count("notes"), 0);
}

TEST_F(SC_CONTRACT_FIXTURE, MigrateRefusesANewerDatabase) {
  ASSERT_TRUE(Migrate(db(), TestMigrations(dialect(), 3)));
  const auto older = TestMigrations(dialect(), 2);
  Status s = Migrate(db(), older);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition) << Describe(s);
  auto st = GetMigrationStatus(db(), older);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->current, 3);
  EXPECT_EQ(st->latest, 2);
}

TEST_F(SC_CONTRACT_FIXTURE, MigrateRefusesARenamedMigration) {
  ASSERT_TRUE(Migrate(db(), TestMigrations(dialect(), 1)));
  auto renamed = TestMigrations(dialect(), 2);
  renamed[0].name = "persons";
  Status s = Migrate(db(), renamed);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition) << Describe(s);
  EXPECT_EQ(GetMigrationStatus(db(), renamed)->current, 1);  // 2 was not applied either
}

TEST_F(SC_CONTRACT_FIXTURE, FailedMigrationLeavesNoTrace) {
  auto migrations = TestMigrations(dialect(), 2);
  migrations[1].sql = "CREATE TABLE photos (id INTEGER);\nCREATE TABLE broken (;\n";
  Status s = Migrate(db(), migrations);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("migration 0002_photos"), std::string::npos) << Describe(s);
  EXPECT_EQ(GetMigrationStatus(db(), migrations)->current, 1);
  EXPECT_TRUE(
      QueryAll(db(), std::string(TableExistsQuery(dialect())), {std::string("photos")}).empty());
  // Fixed, it applies.
  ASSERT_TRUE(Migrate(db(), TestMigrations(dialect(), 2)));
  EXPECT_EQ(GetMigrationStatus(db(), migrations)->current, 2);
}

TEST_F(SC_CONTRACT_FIXTURE, MigrateRefusesABadList) {
  auto dup = TestMigrations(dialect(), 2);
  dup[1].version = 1;
  EXPECT_EQ(Migrate(db(), dup).error().code, ErrorCode::kInvalidArgument);
  auto zero = TestMigrations(dialect(), 1);
  zero[0].version = 0;
  EXPECT_EQ(Migrate(db(), zero).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SC_CONTRACT_FIXTURE, ConcurrentMigratorsApplyEachMigrationOnce) {
  auto other = engine_->OpenAgain(OpenOptions{});
  ASSERT_TRUE(other) << other.error().message;
  const auto migrations = TestMigrations(dialect(), 3);
  Status a, b;
  std::thread ta([&] { a = Migrate(db(), migrations); });
  std::thread tb([&] { b = Migrate(**other, migrations); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a) << Describe(a);
  EXPECT_TRUE(b) << Describe(b);
  EXPECT_EQ(Count("schema_migrations"), 3);
  EXPECT_EQ(Count("people"), 1);
}

// The schema this binary ships (src/storage/migrations/) applies on this engine, twice.
TEST_F(SC_CONTRACT_FIXTURE, EmbeddedMigrationsApply) {
  const std::vector<Migration> shipped = EmbeddedMigrations(dialect());
  Status s = Migrate(db(), shipped);
  ASSERT_TRUE(s) << Describe(s);
  ASSERT_TRUE(Migrate(db(), shipped));
  auto st = GetMigrationStatus(db(), shipped);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->current, st->latest);
  EXPECT_EQ(Count("schema_migrations"), static_cast<int64_t>(shipped.size()));
}

// ---- fault injection decorator ----

TEST_F(SC_CONTRACT_FIXTURE, FaultInjectionFailsTheNthCommitAndRollsItBack) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  FaultInjectingDatabase faulty(db());
  faulty.FailNthCommit(2);
  EXPECT_TRUE(Exec(faulty, "INSERT INTO t (x) VALUES (1)"));
  bool ran = false;
  Status s = faulty.Transact([&](Transaction& tx) -> Status {
    ran = true;
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO t (x) VALUES (2)"));
    return core::Ok();
  });
  EXPECT_TRUE(ran);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("injected"), std::string::npos);
  EXPECT_TRUE(Exec(faulty, "INSERT INTO t (x) VALUES (3)"));  // only the 2nd fails
  EXPECT_EQ(QueryInt(db(), "SELECT SUM(x) FROM t"), 4);
  EXPECT_EQ(faulty.transact_calls(), 3);
  EXPECT_EQ(faulty.injected_faults(), 1);
}

TEST_F(SC_CONTRACT_FIXTURE, FaultInjectionCanLoseTheAcknowledgement) {
  ASSERT_TRUE(Exec(db(), "CREATE TABLE t (x INTEGER)"));
  FaultInjectingDatabase faulty(db());
  faulty.FailNthCommit(1, CommitFault::kCommittedButReported);
  Status s = Exec(faulty, "INSERT INTO t (x) VALUES (1)");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(Count("t"), 1);  // it did commit
}

TEST_F(SC_CONTRACT_FIXTURE, FaultInjectionReportsTheFunctionsOwnError) {
  FaultInjectingDatabase faulty(db());
  faulty.FailNthCommit(1);
  Status s = faulty.Transact([](Transaction&) -> Status { return core::Error::NotFound("nope"); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(faulty.injected_faults(), 0);
  // Spent: the next call succeeds. Disarming works too.
  EXPECT_TRUE(faulty.Transact([](Transaction&) { return core::Ok(); }));
  faulty.FailNthCommit(1);
  faulty.FailNthCommit(0);
  EXPECT_TRUE(faulty.Transact([](Transaction&) { return core::Ok(); }, TxMode::kReadOnly));
  EXPECT_EQ(faulty.dialect(), db().dialect());
  EXPECT_TRUE(faulty.Ping());
}

}  // namespace
}  // namespace soundcheck::storage::test
