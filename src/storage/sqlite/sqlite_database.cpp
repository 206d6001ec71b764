#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
    // Reads of the database file through a memory map instead of a pread per page: a scan of
    // a large directory (the matching index's build) spent a third of its time copying pages
    // out of the kernel. Writes still go through the WAL; SQLite caps the size at its
    // compile-time limit.
    SC_RETURN_IF_ERROR(conn->Exec("PRAGMA mmap_size = 4294967296"));
    sqlite3_set_authorizer(db, &Connection::Authorize, conn.get());
    return conn;
  }

  ~Connection() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    for (auto& [sql, stmt] : control_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* db() const { return db_; }

  // Runs SQL without parameters or results (BEGIN, COMMIT, PRAGMA x = y).
  core::Status Exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), sql).error;
    return core::Ok();
  }

  // Runs a transaction-control statement (BEGIN IMMEDIATE, SAVEPOINT, COMMIT, …) and returns
  // the engine's error, or nullopt when it succeeded. The few distinct statements stay
  // prepared: a write runs four or five of them, and parsing each every time showed up.
  std::optional<EngineError> Control(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    for (const auto& [text, prepared] : control_) {
      if (std::strcmp(text, sql) == 0) stmt = prepared;
    }
    if (stmt == nullptr) {
      if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
          SQLITE_OK) {
        return SqliteError(db_, sqlite3_extended_errcode(db_), sql);
      }
      control_.emplace_back(sql, stmt);
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return std::nullopt;
    return SqliteError(db_, sqlite3_extended_errcode(db_), sql);
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
    CallerSqlScope caller_sql(*this);
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      if (refused_control_) {
        *engine_error = EngineError{core::Error::Internal(
            "prepare: transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is the "
            "adapter's; Transact runs fn inside a savepoint of a transaction it may share")};
      } else {
        *engine_error = SqliteError(db_, sqlite3_extended_errcode(db_), "prepare");
      }
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

  // Marks the preparation of a caller's SQL, which the authorizer checks.
  class CallerSqlScope {
   public:
    explicit CallerSqlScope(Connection& c) : c_(c) {
      c_.preparing_caller_sql_ = true;
      c_.refused_control_ = false;
    }
    ~CallerSqlScope() { c_.preparing_caller_sql_ = false; }
    CallerSqlScope(const CallerSqlScope&) = delete;
    CallerSqlScope& operator=(const CallerSqlScope&) = delete;

   private:
    Connection& c_;
  };

  // Refuses transaction control in a caller's SQL: `fn` runs inside a savepoint of a
  // transaction it may share with other callers (group commit), so a COMMIT, ROLLBACK or
  // RELEASE of its own would commit or undo their work, or ours. The adapter's own BEGIN,
  // SAVEPOINT and COMMIT are not prepared through Prepare() and pass.
  static int Authorize(void* self, int action, const char*, const char*, const char*, const char*) {
    auto* c = static_cast<Connection*>(self);
    if (c->preparing_caller_sql_ && (action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT)) {
      c->refused_control_ = true;
      return SQLITE_DENY;
    }
    return SQLITE_OK;
  }

  struct Entry {
    sqlite3_stmt* stmt;
    std::list<std::string>::iterator lru;
  };
  sqlite3* db_;
  std::unordered_map<std::string, Entry> cache_;
  std::list<std::string> lru_;                                  // most recently used first
  std::vector<std::pair<const char*, sqlite3_stmt*>> control_;  // see Control()
  bool preparing_caller_sql_ = false;
  bool refused_control_ = false;  // the authorizer refused the SQL being prepared
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

using TxFn = std::function<Status(Transaction&)>;

// ---- group commit (docs/adr/0005-sqlite-group-commit.md) ----
//
// SQLite has one writer, and with synchronous=FULL every COMMIT waits for an fsync of the
// WAL. Writers that arrive while a write transaction is running share the next one instead
// of queuing for one each:
//
//   leader:    BEGIN IMMEDIATE; SAVEPOINT; own fn; RELEASE | ROLLBACK TO + RELEASE
//   follower:  (its turn, on its own thread)  SAVEPOINT; fn; RELEASE | ROLLBACK TO + RELEASE
//   …          (every caller queued meanwhile, up to the caps below)
//   leader:    COMMIT (one fsync), then each kept caller's Transact returns the outcome
//
// The first writer to find the writer free is the leader. Callers that find it taken queue
// (FIFO) and block; the leader hands the connection to each in turn, and each runs its own
// fn on its own thread — so thread-locals, the nested-Transact guard and exceptions behave
// as without batching. After the COMMIT the oldest caller still queued (one that arrived during
// the COMMIT, or over the caps) becomes the next leader. A caller alone never waits for
// company: it leads, runs, and commits at once.
//
// Each caller keeps its own transaction semantics: its own SqliteTransaction (a failed
// statement aborts that caller's unit only), its own error, its own retries (it queues again
// for a later batch). A unit that fails or throws is rolled back to its savepoint and its
// caller returns (or rethrows) at once; only units released into the transaction wait for
// the COMMIT, and they all get its outcome: nothing is acknowledged that did not commit.
// Deferred foreign keys are checked at the end of each unit (SQLite would check them only at
// COMMIT, failing every neighbour for one caller's violation). When SQLite ends the whole
// transaction inside a unit (an I/O error, ON CONFLICT ROLLBACK) or a savepoint cannot be
// undone, the units kept so far were lost with it: they get a retryable kUnavailable and run
// again in a later batch.

// At most this many callers share one transaction, …
constexpr int kMaxBatchUnits = 64;
// … and followers are taken in for at most this long after the leader's own unit, so the
// first callers of a batch wait a bounded time for its COMMIT.
constexpr auto kMaxFollowTime = std::chrono::milliseconds(4);

// What one caller's turn inside a shared write transaction left behind.
struct Turn {
  Attempt attempt;                // the caller's outcome when its work was not kept
  bool kept = false;              // released into the transaction; its fate is the COMMIT's
  bool transaction_lost = false;  // the whole transaction is gone or in doubt: roll it back
  std::exception_ptr thrown;      // what fn threw (its work was rolled back)
};

// True when the transaction holds foreign-key violations that a COMMIT would refuse
// (DEFERRABLE INITIALLY DEFERRED constraints, or PRAGMA defer_foreign_keys).
bool DeferredForeignKeysPending(sqlite3* db) {
  int current = 0;
  int highwater = 0;
  return sqlite3_db_status(db, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highwater, 0) ==
             SQLITE_OK &&
         current > 0;
}

// Runs one caller's `fn` on the calling thread inside SAVEPOINT on `conn`, whose write
// transaction is open: RELEASE when it succeeds, ROLLBACK TO + RELEASE when it fails or
// throws, so a failed unit leaves no trace in the shared transaction. Does not throw what fn
// throws: it comes back in Turn::thrown, for the caller to rethrow once the batch no longer
// needs it.
Turn RunUnit(Connection& conn, const TxFn& fn) {
  Turn turn;
  sqlite3* db = conn.db();
  if (std::optional<EngineError> e = conn.Control("SAVEPOINT sc_unit")) {
    turn.attempt = {e->error, e->retryable};
    turn.transaction_lost = sqlite3_get_autocommit(db) != 0;
    return turn;
  }
  SqliteTransaction tx(conn);
  Status status;
  try {
    status = fn(tx);
  } catch (...) {
    turn.thrown = std::current_exception();
  }
  if (!turn.thrown && status) {
    if (tx.state().failed()) {
      status = tx.state().AbortedError();
    } else if (DeferredForeignKeysPending(db)) {
      status = SqliteError(db, SQLITE_CONSTRAINT_FOREIGNKEY, "end of transaction").error;
    } else if (sqlite3_get_autocommit(db) == 0) {
      if (std::optional<EngineError> e = conn.Control("RELEASE sc_unit")) {
        turn.attempt = {e->error, e->retryable};
        turn.transaction_lost = true;
        return turn;
      }
      turn.kept = true;
      return turn;
    } else {
      // Statements never end the transaction without failing; be safe if one did.
      turn.attempt = {core::Error::Internal("the write transaction ended inside fn"), false};
      turn.transaction_lost = true;
      return turn;
    }
  }
  turn.attempt = {status, tx.state().retryable()};
  turn.transaction_lost = sqlite3_get_autocommit(db) != 0 ||
                          conn.Control("ROLLBACK TO sc_unit").has_value() ||
                          conn.Control("RELEASE sc_unit").has_value();
  return turn;
}

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

  // Writes to a file database go through the group commit; reads, and everything on
  // ":memory:" (one connection, nothing to fsync), take the plain path.
  Status Transact(const TxFn& fn, TxMode mode) override {
    TransactGuard guard(this);
    if (guard.nested()) return NestedTransactError();
    const bool grouped = !memory_ && mode != TxMode::kReadOnly;
    return RetryTransaction(options_.max_attempts,
                            [&] { return grouped ? AttemptGrouped(fn) : AttemptOnce(fn, mode); });
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

  // Writers queued for the group commit count as waits for the writer.
  PoolStats Stats() const override {
    PoolStats w = writer_.Stats();
    PoolStats r = readers_.Stats();
    return PoolStats{w.size + r.size, w.in_use + r.in_use,
                     w.waits + r.waits + queued_writers_.load()};
  }

  GroupCommitStats group_commit_stats() const {
    return GroupCommitStats{units_.load(), commits_.load(), failed_commits_.load(),
                            largest_batch_.load()};
  }

 private:
  // One caller of the group commit. mu_ guards phase, conn and result. Shared, so that a
  // Unit outlives a notification sent after mu_ is released (notifying under mu_ would wake
  // the waiter into a mutex still held: an extra context switch per handover).
  struct Unit {
    enum class Phase {
      kQueued,      // waiting for a turn or for the lead
      kLead,        // appointed leader of the next batch
      kRun,         // its turn: run fn on `conn`
      kWaitCommit,  // its work is in the transaction; waiting for the COMMIT
      kDone,        // `result` holds the COMMIT's outcome
    };
    Phase phase = Phase::kQueued;
    Connection* conn = nullptr;
    Attempt result;
    std::condition_variable cv;
  };
  using UnitPtr = std::shared_ptr<Unit>;

  // One attempt of a write on a file database: lead a batch when the writer is free, else
  // queue to run inside the current leader's transaction (or to lead the next one).
  Attempt AttemptGrouped(const TxFn& fn) {
    std::unique_lock lock(mu_);
    if (!leading_) {
      leading_ = true;
      lock.unlock();
      return Lead(fn);
    }
    auto me = std::make_shared<Unit>();
    queue_.push_back(me);
    ++queued_writers_;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.pool_wait_ms);
    while (me->phase == Unit::Phase::kQueued) {
      if (me->cv.wait_until(lock, deadline) == std::cv_status::timeout &&
          me->phase == Unit::Phase::kQueued) {
        queue_.erase(std::find(queue_.begin(), queue_.end(), me));
        return {core::Error::Unavailable("no turn at the SQLite writer within " +
                                         std::to_string(options_.pool_wait_ms) + " ms"),
                false};
      }
    }
    if (me->phase == Unit::Phase::kLead) {
      lock.unlock();
      return Lead(fn);
    }
    // Our turn: the leader waits until we report back.
    lock.unlock();
    Turn turn = RunUnit(*me->conn, fn);
    lock.lock();
    turn_over_ = true;
    turn_kept_ = turn.kept;
    turn_lost_ = turn.transaction_lost;
    if (turn.kept) me->phase = Unit::Phase::kWaitCommit;
    lock.unlock();
    leader_cv_.notify_one();
    if (!turn.kept) {
      // Nothing of ours is left in the transaction: answer now.
      if (turn.thrown) std::rethrow_exception(turn.thrown);
      return turn.attempt;
    }
    lock.lock();
    me->cv.wait(lock, [&] { return me->phase == Unit::Phase::kDone; });
    return std::move(me->result);
  }

  // Runs one batch as its leader: BEGIN IMMEDIATE, its own unit, then each queued caller's
  // unit in turn (up to the caps), then one COMMIT; tells every kept unit the outcome and
  // appoints the next leader. Returns the leader's own outcome, or rethrows what its own fn
  // threw — after the batch is done, so the followers are never left waiting.
  Attempt Lead(const TxFn& fn) {
    std::optional<Pool::Lease> lease;
    {
      Result<Pool::Lease> leased = writer_.Acquire();
      if (!leased) {
        HandOver({}, {});
        return {std::move(leased).error(), false};
      }
      lease.emplace(std::move(leased).value());
    }
    Connection& conn = **lease;
    // IMMEDIATE takes the write lock up front, so a writer never fails half-way with BUSY
    // when another process holds it; the busy timeout waits for it instead.
    if (std::optional<EngineError> e = conn.Control("BEGIN IMMEDIATE")) {
      lease.reset();
      HandOver({}, {});
      return {e->error, e->retryable};
    }
    Turn own = RunUnit(conn, fn);
    std::vector<UnitPtr> kept;
    int units = 1;
    bool lost = own.transaction_lost;
    {
      std::unique_lock lock(mu_);
      const auto until = std::chrono::steady_clock::now() + kMaxFollowTime;
      while (!lost && units < kMaxBatchUnits && !queue_.empty() &&
             std::chrono::steady_clock::now() < until) {
        UnitPtr next = std::move(queue_.front());
        queue_.pop_front();
        next->conn = &conn;
        next->phase = Unit::Phase::kRun;
        turn_over_ = false;
        lock.unlock();
        next->cv.notify_one();
        lock.lock();
        leader_cv_.wait(lock, [&] { return turn_over_; });
        ++units;
        if (turn_kept_) kept.push_back(std::move(next));
        lost = turn_lost_;
      }
    }
    units_ += units;
    int64_t largest = largest_batch_.load();
    while (units > largest && !largest_batch_.compare_exchange_weak(largest, units)) {
    }

    Attempt outcome;  // of the COMMIT, for every kept unit
    if (lost) {
      Rollback(conn, *lease);
      outcome = {core::Error::Unavailable(
                     "not committed: another unit of work in the same group commit ended the "
                     "transaction"),
                 true};
    } else if (!own.kept && kept.empty()) {
      Rollback(conn, *lease);  // nothing to keep: release the write lock, no fsync
    } else if (std::optional<EngineError> e = conn.Control("COMMIT")) {
      Rollback(conn, *lease);
      ++failed_commits_;
      outcome = {e->error, e->retryable};
    } else {
      ++commits_;
    }
    lease.reset();  // before the next leader asks for it
    HandOver(kept, outcome);
    if (own.thrown) std::rethrow_exception(own.thrown);
    return own.kept ? outcome : own.attempt;
  }

  // Gives every kept unit of the batch the COMMIT's outcome, then appoints the oldest queued
  // caller leader of the next batch, or marks the writer free. The kept callers are woken
  // first: in a closed loop their next writes then still join the next batch.
  void HandOver(const std::vector<UnitPtr>& kept, const Attempt& outcome) {
    UnitPtr lead;
    {
      std::lock_guard lock(mu_);
      for (const UnitPtr& u : kept) {
        u->result = outcome;
        u->phase = Unit::Phase::kDone;
      }
      if (queue_.empty()) {
        leading_ = false;
      } else {
        lead = std::move(queue_.front());
        queue_.pop_front();
        lead->phase = Unit::Phase::kLead;
      }
    }
    for (const UnitPtr& u : kept) u->cv.notify_one();
    if (lead) lead->cv.notify_one();
  }

  // The plain path: reads, and every transaction on ":memory:".
  Attempt AttemptOnce(const TxFn& fn, TxMode mode) {
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

  Attempt RunInTransaction(Connection& conn, Pool::Lease& lease, const TxFn& fn, bool read_only) {
    const char* begin = read_only ? "BEGIN" : "BEGIN IMMEDIATE";
    if (std::optional<EngineError> e = conn.Control(begin)) return {e->error, e->retryable};
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
    if (std::optional<EngineError> e = conn.Control("COMMIT")) {
      Rollback(conn, lease);
      return {e->error, e->retryable};
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
  Pool writer_;   // one connection, lent to the leader of the current batch (or, on
                  // ":memory:", to whoever holds the write lock)
  Pool readers_;  // unused for ":memory:"

  // The group commit. mu_ guards leading_, queue_, the turn_* fields and every queued Unit.
  std::mutex mu_;
  bool leading_ = false;               // a leader owns the writer
  std::deque<UnitPtr> queue_;          // writers waiting, oldest first
  std::condition_variable leader_cv_;  // the running follower's turn ended
  bool turn_over_ = false;
  bool turn_kept_ = false;
  bool turn_lost_ = false;
  std::atomic<int64_t> queued_writers_{0};
  std::atomic<int64_t> units_{0};
  std::atomic<int64_t> commits_{0};
  std::atomic<int64_t> failed_commits_{0};
  std::atomic<int64_t> largest_batch_{0};
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  auto db = std::make_unique<SqliteDatabase>(path, options);
  SC_RETURN_IF_ERROR(db->Init(path));
  return std::unique_ptr<Database>(std::move(db));
}

std::optional<GroupCommitStats> SqliteGroupCommitStats(const Database& db) {
  const auto* sqlite = dynamic_cast<const SqliteDatabase*>(&db);
  if (sqlite == nullptr) return std::nullopt;
  return sqlite->group_commit_stats();
}

}  // namespace soundcheck::storage::detail
