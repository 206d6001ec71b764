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

// One result row. Accessors return the column converted, or nullopt for NULL — and for a
// value that does not convert (Int() of "abc", Real() of a blob). Int() and Real() accept
// integers, reals and decimal text (PostgreSQL NUMERIC, e.g. SUM(bigint), arrives as text);
// Int() of a real truncates toward zero when it fits. Text() and Bytes() of a number give its
// decimal text. at() throws std::out_of_range for a bad index (a bug, never outside input).
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

// "sqlite" or "postgres".
std::string_view DialectName(Dialect d);

// A transaction in progress. Not thread-safe; used by one thread inside Database::Transact,
// and only until `fn` returns.
//
// Rules both adapters enforce, so code tested on SQLite behaves the same on PostgreSQL:
// - One statement per call, and as many values as `?` placeholders (kInvalidArgument
//   otherwise). A `?` inside a string literal, quoted identifier, comment or dollar-quoted
//   body is not a placeholder. (PostgreSQL's jsonb `?` operators cannot be used: call
//   jsonb_exists() instead.)
// - Text values must be valid UTF-8 without NUL bytes (kInvalidArgument); binary data goes
//   in a Blob. Integers bind as 64-bit, reals as double (a NaN reads back as NULL on SQLite).
// - When a statement fails, the whole transaction is aborted (PostgreSQL's rule): later
//   statements fail with the same error code and Transact rolls back and returns that error
//   even if `fn` returns ok. Write INSERT ... ON CONFLICT rather than catching kConflict.
// - Error messages carry the engine's error code and constraint/table names, never parameter
//   values (they hold personal data).
// - Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) belongs to Transact:
//   SQLite refuses it (kInternal, and the transaction is aborted) because `fn` may run inside
//   a savepoint of a transaction shared with other callers (see Database::Transact).
class Transaction {
 public:
  virtual ~Transaction() = default;
  // Runs one statement with `?` placeholders bound in order and returns its rows.
  // Errors: kConflict on unique/foreign-key violations, kUnavailable when the engine is
  // busy or unreachable (Transact retries those), kInvalidArgument/kInternal otherwise.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs one statement and returns the number of rows it changed (0 for DDL).
  virtual Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  virtual Dialect dialect() const = 0;
};

// How a transaction isolates itself. SQLite runs every writing mode the same way: one
// writer at a time, so each is serializable. PostgreSQL:
//   kReadWrite     READ COMMITTED. Concurrent writers to one row queue on its lock
//                  (`UPDATE … SET n = n + 1` and `UPDATE … RETURNING` never lose updates), but
//                  a value read and then written back from C++ needs the row locked first:
//                  SELECT … + ForUpdate(dialect) (dialect.h). Deadlocks are retried; lock
//                  several rows in one statement, in key order, to avoid them.
//   kSerializable  SERIALIZABLE: read-check-write is safe without locks; a transaction that
//                  would break serializability fails with 40001 and Transact runs it again.
//                  Under heavy contention on one row this means many retries (and, past
//                  OpenOptions::max_attempts, kUnavailable); prefer kReadWrite + a lock there.
//   kReadOnly      REPEATABLE READ, READ ONLY: one snapshot, never blocks writers. On SQLite a
//                  WAL reader connection. A write fails with kInternal on both engines.
enum class TxMode { kReadWrite, kReadOnly, kSerializable };

struct PoolStats {
  int size = 0;       // connections open
  int in_use = 0;     // connections lent out now
  int64_t waits = 0;  // times a caller waited for a connection
};

// A running subscription to a notification channel; destroying it stops listening (and
// joins its thread).
class Listener {
 public:
  virtual ~Listener() = default;
};

class Database {
 public:
  virtual ~Database() = default;
  // Runs `fn` in one transaction: commits when it returns ok (the commit is durable when
  // Transact returns ok), rolls back when it returns an error or throws. Serialization
  // failures and SQLITE_BUSY are retried a few times, so `fn` may run more than once and
  // must not have side effects outside the transaction. Thread-safe. `fn` always runs on the
  // calling thread.
  //
  // Isolation: see TxMode.
  //
  // Group commit (SQLite file databases, kReadWrite and kSerializable): writers that arrive
  // while another write is in progress share the next transaction and its one fsync. Each
  // caller's `fn` runs in turn inside its own savepoint, so everything here still holds per
  // caller: its own errors and aborted-statement state, its work committed or rolled back as
  // a whole (a failing or throwing `fn` leaves no trace and affects no other caller), and ok
  // only once the shared COMMIT is durable — a failed COMMIT fails every caller in it. A
  // caller whose work was lost because a neighbour's `fn` hit an error that ends the whole
  // SQLite transaction (an I/O error) is run again like a busy retry. A lone writer commits
  // at once. See docs/adr/0005-sqlite-group-commit.md.
  //
  // Errors: what `fn` returned, or the statement/commit error (see Transaction);
  // kUnavailable when no connection came free within OpenOptions::pool_wait_ms, when
  // retries ran out, or when the connection broke during COMMIT (outcome unknown);
  // kInternal for a Transact on the same database from inside `fn` (it would deadlock, or
  // not see the outer writes). If `fn` throws, the transaction is rolled back and the
  // exception propagates unchanged (storage does not translate the caller's exceptions).
  virtual Status Transact(const std::function<Status(Transaction&)>& fn,
                          TxMode mode = TxMode::kReadWrite) = 0;
  // Cheap round trip to the engine (readiness). kUnavailable when it cannot be reached.
  virtual Status Ping() = 0;
  virtual Dialect dialect() const = 0;
  // SQLite: the writer plus the reader connections; waits count callers queued for either.
  virtual PoolStats Stats() const = 0;
  // Cross-process notifications (PostgreSQL LISTEN/NOTIFY): calls `on_notify` from a
  // background thread whenever any session — on any node — commits a NOTIFY on `channel`,
  // and once after every (re)connect, because notifications sent while disconnected are
  // lost and the caller must re-read what it tracks. Uses its own connection, outside the
  // pool. Returns null on engines without it (SQLite: one process owns the file, so there
  // is nobody else to hear from).
  virtual Result<std::unique_ptr<Listener>> Listen(const std::string& channel,
                                                   std::function<void()> on_notify) {
    (void)channel;
    (void)on_notify;
    return std::unique_ptr<Listener>();
  }
};

struct OpenOptions {
  int pool_size = 4;           // PostgreSQL connections / SQLite reader connections
  int busy_timeout_ms = 5000;  // SQLite busy timeout; PostgreSQL connect timeout
  int pool_wait_ms = 30000;    // longest wait for a free connection, then kUnavailable
  int max_attempts = 10;       // runs of `fn` per Transact when the engine asks for a retry
};

// Opens "sqlite:PATH" (":memory:" allowed; the file is created; "sqlite://" + PATH works
// too), or a PostgreSQL URL ("postgres://…" / "postgresql://…", any libpq URI parameter).
// Errors: kInvalidArgument for a malformed URL or options (messages never repeat the URL:
// it may hold a password), kUnavailable when the engine cannot be reached. The returned
// database is thread-safe and must outlive every call into it.
//
// SQLite: one writer connection (writes serialized, BEGIN IMMEDIATE; concurrent writers share
// one transaction, see Transact) and up to `pool_size` reader connections for kReadOnly, each
// with WAL, synchronous=FULL, foreign_keys=ON and the busy timeout. `pool_wait_ms` also bounds
// how long a writer waits for its turn. ":memory:" uses its single connection for everything: a
// private in-memory database lives inside one connection, and shared-cache mode would bring
// table-level locks. PostgreSQL: up to `pool_size` connections opened on demand (one at open, to
// check the URL); a broken connection is replaced; synchronous_commit is forced on if a server has
// it off.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url,
                                               const OpenOptions& options = {});

}  // namespace soundcheck::storage
