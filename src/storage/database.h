// The Database interface every repository is written against, with one adapter per engine
// (sqlite/ and postgres/, both private). SQL uses `?` placeholders; the PostgreSQL adapter
// rewrites them to $1..$n. SQL text sticks to the subset both engines share; where they
// differ, the Dialect says how (see dialect.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace soundcheck::storage {

using core::Result;
using core::Status;

// Binary data (BLOB in SQLite, BYTEA in PostgreSQL).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

struct Null {
  bool operator==(const Null&) const = default;
};

// One SQL value. Integers are 64-bit; text is UTF-8.
using Value = std::variant<Null, int64_t, double, std::string, Blob>;

// One result row. Accessors return the column converted, or nullopt for NULL.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const { return values_.at(i); }
  bool IsNull(size_t i) const { return std::holds_alternative<Null>(values_.at(i)); }
  std::optional<int64_t> Int(size_t i) const;
  std::optional<double> Real(size_t i) const;
  std::optional<std::string> Text(size_t i) const;   // TEXT, or BLOB bytes as-is
  std::optional<std::string> Bytes(size_t i) const;  // BLOB/BYTEA, or TEXT bytes as-is

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
};

enum class Dialect { kSqlite, kPostgres };

std::string_view DialectName(Dialect d);

// A transaction in progress. Not thread-safe; used by one thread inside Database::Transact.
class Transaction {
 public:
  virtual ~Transaction() = default;
  // Runs one statement with `?` placeholders bound in order and returns its rows.
  // Errors: kConflict on unique/foreign-key violations, kUnavailable when the engine is
  // busy or unreachable (Transact retries those), kInvalidArgument/kInternal otherwise.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  virtual Dialect dialect() const = 0;
};

enum class TxMode { kReadWrite, kReadOnly };

struct PoolStats {
  int size = 0;    // connections open
  int in_use = 0;  // connections lent out now
  int64_t waits = 0;  // times a caller waited for a connection
};

class Database {
 public:
  virtual ~Database() = default;
  // Runs `fn` in one transaction: commits when it returns ok (the commit is durable when
  // Transact returns ok), rolls back when it returns an error or throws. Serialization
  // failures and SQLITE_BUSY are retried a few times, so `fn` may run more than once and
  // must not have side effects outside the transaction. Thread-safe.
  virtual Status Transact(const std::function<Status(Transaction&)>& fn,
                          TxMode mode = TxMode::kReadWrite) = 0;
  // Cheap round trip to the engine (readiness).
  virtual Status Ping() = 0;
  virtual Dialect dialect() const = 0;
  virtual PoolStats Stats() const = 0;
};

struct OpenOptions {
  int pool_size = 4;              // PostgreSQL connections / SQLite reader connections
  int busy_timeout_ms = 5000;     // SQLite busy timeout; PostgreSQL connect timeout
};

// Opens "sqlite:PATH" (":memory:" allowed; the file is created), or a PostgreSQL URL
// ("postgres://…" / "postgresql://…"). Errors: kInvalidArgument for a malformed URL,
// kUnavailable when the engine cannot be reached. The returned database is thread-safe.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, const OpenOptions& options = {});

}  // namespace soundcheck::storage
