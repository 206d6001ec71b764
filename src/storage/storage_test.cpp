// Unit tests of the engine-independent pieces and of in-memory SQLite. The behaviour both
// engines share is in tests/storage/storage_contract.cpp.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <limits>

#include "storage/database.h"
#include "storage/detail/common.h"
#include "storage/dialect.h"
#include "storage/postgres/errors.h"
#include "storage/sqlite/errors.h"

namespace soundcheck::storage {
namespace {

using core::ErrorCode;

TEST(StorageRow, ConvertsBetweenTypes) {
  Row r({Null{}, int64_t{42}, 2.75, std::string("17"), Blob{std::string("a\0b", 3)},
         std::string("12.000"), std::string("abc"), 1e300});
  EXPECT_TRUE(r.IsNull(0));
  EXPECT_EQ(r.Int(0), std::nullopt);
  EXPECT_EQ(r.Text(0), std::nullopt);
  EXPECT_EQ(r.Int(1), 42);
  EXPECT_EQ(r.Real(1), 42.0);
  EXPECT_EQ(r.Text(1), "42");
  EXPECT_EQ(r.Int(2), 2);
  EXPECT_EQ(r.Real(2), 2.75);
  EXPECT_EQ(r.Text(2), "2.75");
  EXPECT_EQ(r.Int(3), 17);
  EXPECT_EQ(r.Real(3), 17.0);
  EXPECT_EQ(r.Bytes(3), "17");
  EXPECT_EQ(r.Bytes(4), std::string("a\0b", 3));
  EXPECT_EQ(r.Text(4), std::string("a\0b", 3));
  EXPECT_EQ(r.Int(4), std::nullopt);
  EXPECT_EQ(r.Int(5), 12);  // NUMERIC text
  EXPECT_EQ(r.Int(6), std::nullopt);
  EXPECT_EQ(r.Real(6), std::nullopt);
  EXPECT_EQ(r.Int(7), std::nullopt);  // does not fit
  EXPECT_THROW(r.at(99), std::out_of_range);
}

TEST(StorageRow, IntOfRealAtTheEdges) {
  Row r({-9223372036854775808.0, 9223372036854775808.0});
  EXPECT_EQ(r.Int(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(r.Int(1), std::nullopt);
}

TEST(StorageDialect, NamesAndTypes) {
  EXPECT_EQ(DialectName(Dialect::kSqlite), "sqlite");
  EXPECT_EQ(DialectName(Dialect::kPostgres), "postgres");
  EXPECT_EQ(BlobType(Dialect::kSqlite), "BLOB");
  EXPECT_EQ(BlobType(Dialect::kPostgres), "BYTEA");
  EXPECT_EQ(ForUpdate(Dialect::kSqlite), "");
}

TEST(StorageOpenDatabase, RefusesUnknownSchemesWithoutEchoingTheUrl) {
  auto db = OpenDatabase("mysql://user:s3cret@host/db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos);
  EXPECT_EQ(OpenDatabase("sqlite:").error().code, ErrorCode::kInvalidArgument);
  OpenOptions bad;
  bad.pool_size = 0;
  EXPECT_EQ(OpenDatabase("sqlite::memory:", bad).error().code, ErrorCode::kInvalidArgument);
}

TEST(StorageOpenDatabase, UnreachablePostgresIsUnavailable) {
  OpenOptions o;
  o.busy_timeout_ms = 1000;
  // Port 1 on loopback: connection refused at once.
  auto db = OpenDatabase("postgresql://nobody:pw-canary@127.0.0.1:1/x", o);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().message.find("pw-canary"), std::string::npos);
}

TEST(StorageOpenDatabase, MissingDirectoryIsUnavailable) {
  auto db = OpenDatabase("sqlite:/nonexistent-dir-sc/x.db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
}

TEST(StorageCheckTextParam, AcceptsUtf8AndRefusesNulAndBadBytes) {
  EXPECT_TRUE(detail::CheckTextParam("", 0));
  EXPECT_TRUE(detail::CheckTextParam("héllo — 世界 🎸", 0));
  EXPECT_FALSE(detail::CheckTextParam(std::string("a\0b", 3), 0));
  EXPECT_FALSE(detail::CheckTextParam("\xff", 0));
  EXPECT_FALSE(detail::CheckTextParam("\xc0\xaf", 0));          // overlong "/"
  EXPECT_FALSE(detail::CheckTextParam("\xed\xa0\x80", 0));      // surrogate
  EXPECT_FALSE(detail::CheckTextParam("\xf4\x90\x80\x80", 0));  // past U+10FFFF
  EXPECT_FALSE(detail::CheckTextParam("\xe4\xb8", 0));          // truncated
  auto s = detail::CheckTextParam(std::string("x\0", 2), 2);
  EXPECT_NE(s.error().message.find("parameter 3"), std::string::npos);
}

TEST(StorageSqliteErrors, MapCodes) {
  EXPECT_EQ(detail::SqliteError(nullptr, SQLITE_CONSTRAINT_UNIQUE, "x").error.code,
            ErrorCode::kConflict);
  EXPECT_EQ(detail::SqliteError(nullptr, SQLITE_CONSTRAINT_FOREIGNKEY, "x").error.code,
            ErrorCode::kConflict);
  EXPECT_EQ(detail::SqliteError(nullptr, SQLITE_CONSTRAINT_NOTNULL, "x").error.code,
            ErrorCode::kInvalidArgument);
  auto busy = detail::SqliteError(nullptr, SQLITE_BUSY, "x");
  EXPECT_EQ(busy.error.code, ErrorCode::kUnavailable);
  EXPECT_TRUE(busy.retryable);
  EXPECT_EQ(detail::SqliteError(nullptr, SQLITE_ERROR, "x").error.code, ErrorCode::kInternal);
  EXPECT_NE(detail::SqliteError(nullptr, SQLITE_CONSTRAINT_UNIQUE, "x")
                .error.message.find("SQLITE_CONSTRAINT_UNIQUE"),
            std::string::npos);
}

TEST(StoragePgErrors, NullResultIsALostConnection) {
  auto e = detail::PgResultError(nullptr, nullptr, "statement");
  EXPECT_EQ(e.error.code, ErrorCode::kUnavailable);
  EXPECT_TRUE(e.connection_lost);
}

TEST(StorageRetryTransaction, RetriesOnlyRetryableErrorsAndGivesUp) {
  int runs = 0;
  auto s = detail::RetryTransaction(3, [&] {
    ++runs;
    return detail::Attempt{core::Error::Unavailable("busy"), true};
  });
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("3 attempts"), std::string::npos);
  runs = 0;
  s = detail::RetryTransaction(5, [&] {
    ++runs;
    return detail::Attempt{core::Error::Conflict("dup"), false};
  });
  EXPECT_EQ(runs, 1);
  runs = 0;
  s = detail::RetryTransaction(5, [&] {
    return ++runs < 3 ? detail::Attempt{core::Error::Unavailable("busy"), true}
                      : detail::Attempt{core::Ok(), false};
  });
  EXPECT_TRUE(s);
  EXPECT_EQ(runs, 3);
}

// In-memory SQLite: one connection serves reads and writes.
TEST(StorageMemorySqlite, ReadsAndWritesOnOneConnection) {
  auto db = OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE((*db)->Transact([](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute("CREATE TABLE t (x INTEGER)"));
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO t VALUES (?)", {int64_t{7}}));
    return core::Ok();
  }));
  int64_t seen = 0;
  ASSERT_TRUE((*db)->Transact(
      [&](Transaction& tx) -> Status {
        SC_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT x FROM t"));
        seen = rows.rows.at(0).Int(0).value_or(0);
        return core::Ok();
      },
      TxMode::kReadOnly));
  EXPECT_EQ(seen, 7);
  // A write inside a read-only transaction fails, and the connection is writable after.
  auto s = (*db)->Transact(
      [](Transaction& tx) -> Status {
        return tx.Execute("INSERT INTO t VALUES (8)").has_value()
                   ? core::Ok()
                   : core::Error::Internal("write refused");
      },
      TxMode::kReadOnly);
  EXPECT_FALSE(s);
  EXPECT_TRUE((*db)->Transact([](Transaction& tx) -> Status {
    SC_RETURN_IF_ERROR(tx.Execute("INSERT INTO t VALUES (9)"));
    return core::Ok();
  }));
  EXPECT_EQ((*db)->Stats().size, 1);
  EXPECT_TRUE((*db)->Ping());
}

}  // namespace
}  // namespace soundcheck::storage
