#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <list>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/log.h"
#include "storage/detail/common.h"
#include "storage/detail/pool.h"
#include "storage/sqlite/errors.h"

namespace soundcheck::storage::detail {
namespace {

constexpr size_t kStatementCacheSize = 64;

// One SQLite connection with its prepared-statement cache. Used by one thread at a time
// (it is only ever reached through a pool lease), so it takes no locks itself.
class Connection {
 public:
  enum class Role { kWriter, kReader };

  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Role role,
                                                  const OpenOptions& options) {
    sqlite3* db = nullptr;
    // NOMUTEX: SQLite's own per-connection mutex is redundant, a lease is exclusive.
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (role == Role::kWriter) flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    auto conn = std::unique_ptr<Connection>(new Connection(db));  // closes db on every path
    if (rc != SQLITE_OK) {
      return SqliteError(db, rc, "cannot open the SQLite database").error;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    SC_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
    if (role == Role::kWriter) {
      // The journal mode is stored in the file, so readers opened later inherit WAL.
      SC_ASSIGN_OR_RETURN(std::string mode, conn->PragmaText("PRAGMA journal_mode = WAL"));
      if (mode != "wal" && !(path == ":memory:" && mode == "memory")) {
        return core::Error::Unavailable("SQLite refused WAL mode (journal_mode is " + mode + ")");
      }
    } else {
      // A reader never writes; query_only makes a write inside kReadOnly fail loudly.
      SC_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only = ON"));
    }
    // FULL: each commit fsyncs the WAL, so an acknowledged write survives power loss.
    SC_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = FULL"));
    return conn;
  }

  ~Connection() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* db() const { return db_; }

  // Runs SQL without parameters or results (BEGIN, COMMIT, PRAGMA x = y).
  core::Status Exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), sql).error;
    return core::Ok();
  }

  // Runs a PRAGMA and returns the text of its first column ("" when it returns no row).
  Result<std::string> PragmaText(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    std::string out;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(stmt, 0);
        if (t != nullptr) out = reinterpret_cast<const char*>(t);
        rc = SQLITE_OK;
      } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
      }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), sql).error;
    return out;
  }

  // Returns the cached prepared statement for `sql` (reset, no bindings), preparing it on
  // first use; nullptr for SQL that holds no statement (blank or only comments).
  // kInvalidArgument when `sql` holds more than one statement; SQLite's own errors (syntax,
  // unknown table) are also stored in *engine_error, so the caller can abort the transaction.
  Result<sqlite3_stmt*> Prepare(std::string_view sql, std::optional<EngineError>* engine_error) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      *engine_error = SqliteError(db_, sqlite3_extended_errcode(db_), "prepare");
      return (*engine_error)->error;
    }
    if (stmt == nullptr) return static_cast<sqlite3_stmt*>(nullptr);
    // Only blanks and comments may follow the statement.
    const char* end = key.data() + key.size();
    while (tail != nullptr && tail < end) {
      sqlite3_stmt* extra = nullptr;
      const char* next = nullptr;
      rc = sqlite3_prepare_v2(db_, tail, static_cast<int>(end - tail), &extra, &next);
      sqlite3_finalize(extra);
      if (rc != SQLITE_OK || extra != nullptr) {
        sqlite3_finalize(stmt);
        return core::Error::InvalidArgument("more than one SQL statement in one call");
      }
      if (next == tail) break;
      tail = next;
    }
    if (cache_.size() >= kStatementCacheSize) {
      auto victim = cache_.find(lru_.back());
      sqlite3_finalize(victim->second.stmt);
      cache_.erase(victim);
      lru_.pop_back();
    }
    lru_.push_front(key);
    cache_.emplace(std::move(key), Entry{stmt, lru_.begin()});
    return stmt;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  struct Entry {
    sqlite3_stmt* stmt;
    std::list<std::string>::iterator lru;
  };
  sqlite3* db_;
  std::unordered_map<std::string, Entry> cache_;
  std::list<std::string> lru_;  // most recently used first
};

// Resets a cached statement and drops its bindings when the call is done with it, so the
// next use starts clean and no statement stays active past the call (COMMIT needs that).
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      const int n = sqlite3_column_bytes(stmt, i);
      return std::string(p == nullptr ? "" : p, p == nullptr ? 0 : n);
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const int n = sqlite3_column_bytes(stmt, i);
      return Blob{std::string(p == nullptr ? "" : p, p == nullptr ? 0 : n)};
    }
    default:
      return Null{};
  }
}

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& conn) : conn_(conn) {}

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    SC_RETURN_IF_ERROR(Run(sql, params, &rows, nullptr));
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override {
    int64_t changes = 0;
    SC_RETURN_IF_ERROR(Run(sql, params, nullptr, &changes));
    return changes;
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  const TxState& state() const { return state_; }

 private:
  core::Status Run(std::string_view sql, const std::vector<Value>& params, Rows* rows,
                   int64_t* changes) {
    if (state_.failed()) return state_.AbortedError();
    sqlite3* db = conn_.db();
    std::optional<EngineError> engine_error;
    Result<sqlite3_stmt*> prepared = conn_.Prepare(sql, &engine_error);
    if (!prepared) {
      // Engine errors (syntax, unknown table) abort the transaction as on PostgreSQL;
      // our own checks (several statements) leave it usable, also as on PostgreSQL.
      if (engine_error) return state_.Fail(*engine_error);
      return std::move(prepared).error();
    }
    sqlite3_stmt* stmt = *prepared;
    if (stmt == nullptr) {
      if (!params.empty()) return PlaceholderMismatch(0, params.size());
      return core::Ok();
    }
    StatementReset reset(stmt);
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<size_t>(expected) != params.size()) {
      return PlaceholderMismatch(expected, params.size());
    }
    for (size_t i = 0; i < params.size(); ++i) {
      SC_RETURN_IF_ERROR(Bind(stmt, static_cast<int>(i) + 1, params[i], i));
    }
    const int64_t total_before = sqlite3_total_changes64(db);
    if (rows != nullptr) {
      const int n = sqlite3_column_count(stmt);
      rows->columns.reserve(n);
      for (int i = 0; i < n; ++i) {
        const char* name = sqlite3_column_name(stmt, i);
        rows->columns.emplace_back(name == nullptr ? "" : name);
      }
    }
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        return state_.Fail(SqliteError(db, sqlite3_extended_errcode(db), "statement"));
      }
      if (rows != nullptr) {
        const int n = sqlite3_column_count(stmt);
        std::vector<Value> values;
        values.reserve(n);
        for (int i = 0; i < n; ++i) values.push_back(ColumnValue(stmt, i));
        rows->rows.emplace_back(std::move(values));
      }
    }
    if (changes != nullptr) {
      // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so after DDL
      // it would repeat a stale number; the total tells whether this statement changed rows.
      *changes = sqlite3_total_changes64(db) != total_before ? sqlite3_changes64(db) : 0;
    }
    return core::Ok();
  }

  core::Status Bind(sqlite3_stmt* stmt, int pos, const Value& v, size_t index) {
    int rc = SQLITE_OK;
    if (std::holds_alternative<Null>(v)) {
      rc = sqlite3_bind_null(stmt, pos);
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, pos, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, pos, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      SC_RETURN_IF_ERROR(CheckTextParam(*s, index));
      // STATIC: `params` outlives the statement's use; StatementReset clears the binding.
      rc = sqlite3_bind_text64(stmt, pos, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Blob>(&v)) {
      // A null pointer would bind NULL, so an empty blob is bound as a zero-length blob.
      rc = b->bytes.empty()
               ? sqlite3_bind_zeroblob(stmt, pos, 0)
               : sqlite3_bind_blob64(stmt, pos, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return state_.Fail(SqliteError(conn_.db(), rc, "bind"));
    return core::Ok();
  }

  static core::Error PlaceholderMismatch(int expected, size_t given) {
    return core::Error::InvalidArgument("statement has " + std::to_string(expected) +
                                        " placeholders but " + std::to_string(given) +
                                        " values were given");
  }

  Connection& conn_;
  TxState state_;
};

class SqliteDatabase final : public Database {
 public:
  using Pool = ConnectionPool<Connection>;

  SqliteDatabase(const std::string& path, const OpenOptions& options)
      : memory_(path == ":memory:"),
        options_(options),
        writer_(
            1, std::chrono::milliseconds(options.pool_wait_ms),
            [path, options] { return Connection::Open(path, Connection::Role::kWriter, options); }),
        readers_(options.pool_size, std::chrono::milliseconds(options.pool_wait_ms),
                 [path, options] {
                   return Connection::Open(path, Connection::Role::kReader, options);
                 }) {}

  Status Init(const std::string& path) {
    if (sqlite3_threadsafe() == 0) {
      return core::Error::Internal("the SQLite library was built without thread support");
    }
    // Open the writer now: it creates the file and switches it to WAL before any reader.
    SC_ASSIGN_OR_RETURN(auto writer, Connection::Open(path, Connection::Role::kWriter, options_));
    writer_.Add(std::move(writer));
    return core::Ok();
  }

  Status Transact(const std::function<Status(Transaction&)>& fn, TxMode mode) override {
    TransactGuard guard(this);
    if (guard.nested()) return NestedTransactError();
    return RetryTransaction(options_.max_attempts, [&] { return AttemptOnce(fn, mode); });
  }

  Status Ping() override {
    Pool& pool = memory_ ? writer_ : readers_;
    SC_ASSIGN_OR_RETURN(Pool::Lease lease, pool.Acquire());
    // Reads the schema cookie from page 1: proves the file is still there and readable.
    Result<std::string> v = lease->PragmaText("PRAGMA schema_version");
    if (!v) return core::Error::Unavailable("ping failed: " + v.error().message);
    return core::Ok();
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  PoolStats Stats() const override {
    PoolStats w = writer_.Stats();
    PoolStats r = readers_.Stats();
    return PoolStats{w.size + r.size, w.in_use + r.in_use, w.waits + r.waits};
  }

 private:
  Attempt AttemptOnce(const std::function<Status(Transaction&)>& fn, TxMode mode) {
    const bool read_only = mode == TxMode::kReadOnly;
    // In-memory: the data lives in the writer connection, which also serves reads.
    Pool& pool = (read_only && !memory_) ? readers_ : writer_;
    Result<Pool::Lease> leased = pool.Acquire();
    if (!leased) return {std::move(leased).error(), false};
    Pool::Lease lease = std::move(leased).value();
    Connection& conn = *lease;

    // The in-memory connection also writes, so read-only mode is switched on for this
    // transaction only, and off again however it ends (fn may throw).
    struct QueryOnlyScope {
      Connection* conn = nullptr;
      ~QueryOnlyScope() {
        if (conn != nullptr && !conn->Exec("PRAGMA query_only = OFF")) {
          core::log::error("storage: could not leave query_only on the in-memory connection");
        }
      }
    } query_only;
    if (read_only && memory_) {
      if (Status s = conn.Exec("PRAGMA query_only = ON"); !s) return {s, false};
      query_only.conn = &conn;
    }
    return RunInTransaction(conn, lease, fn, read_only);
  }

  Attempt RunInTransaction(Connection& conn, Pool::Lease& lease,
                           const std::function<Status(Transaction&)>& fn, bool read_only) {
    // IMMEDIATE takes the write lock up front, so a writer never fails half-way with BUSY
    // when another process holds it; the busy timeout waits for it instead.
    const char* begin = read_only ? "BEGIN" : "BEGIN IMMEDIATE";
    if (int rc = sqlite3_exec(conn.db(), begin, nullptr, nullptr, nullptr); rc != SQLITE_OK) {
      EngineError e = SqliteError(conn.db(), sqlite3_extended_errcode(conn.db()), begin);
      return {e.error, e.retryable};
    }
    SqliteTransaction tx(conn);
    Status status;
    try {
      status = fn(tx);
    } catch (...) {
      Rollback(conn, lease);
      throw;
    }
    if (status && tx.state().failed()) status = tx.state().AbortedError();
    if (!status) {
      Rollback(conn, lease);
      return {status, tx.state().retryable()};
    }
    if (int rc = sqlite3_exec(conn.db(), "COMMIT", nullptr, nullptr, nullptr); rc != SQLITE_OK) {
      EngineError e = SqliteError(conn.db(), sqlite3_extended_errcode(conn.db()), "COMMIT");
      Rollback(conn, lease);
      return {e.error, e.retryable};
    }
    return {core::Ok(), false};
  }

  void Rollback(Connection& conn, Pool::Lease& lease) {
    if (sqlite3_get_autocommit(conn.db()) != 0) return;  // SQLite already rolled back
    if (sqlite3_exec(conn.db(), "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK) return;
    core::log::error("storage: SQLite ROLLBACK failed (code {})",
                     sqlite3_extended_errcode(conn.db()));
    // The in-memory database lives in its only connection: closing it would lose the data.
    if (!memory_) lease.Discard();
  }

  const bool memory_;
  const OpenOptions options_;
  Pool writer_;   // one connection: holding its lease is holding the write lock
  Pool readers_;  // unused for ":memory:"
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  auto db = std::make_unique<SqliteDatabase>(path, options);
  SC_RETURN_IF_ERROR(db->Init(path));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace soundcheck::storage::detail
