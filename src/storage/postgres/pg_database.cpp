#include "storage/postgres/pg_database.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <string_view>
#include <thread>

#include "core/log.h"
#include "storage/detail/common.h"
#include "storage/detail/pool.h"
#include "storage/postgres/errors.h"
#include "storage/postgres/placeholders.h"

namespace soundcheck::storage::detail {
namespace {

// Type OIDs from pg_type.h (stable since forever; the server headers are not a dependency).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool ResultOk(const PGresult* r) {
  if (r == nullptr) return false;
  const ExecStatusType s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

// One libpq connection. Used by one thread at a time (only reached through a pool lease).
class PgConnection {
 public:
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url,
                                                       const OpenOptions& options) {
    const std::string timeout = std::to_string(std::max(2, (options.busy_timeout_ms + 999) / 1000));
    // Later entries override earlier ones, so the URL may set its own timeout and name, but
    // client_encoding is pinned: the adapter speaks UTF-8.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                          nullptr};
    const char* values[] = {timeout.c_str(), "soundcheck", url.c_str(), "UTF8", nullptr};
    auto conn = std::unique_ptr<PgConnection>(new PgConnection(PQconnectdbParams(keys, values, 1)));
    if (conn->conn_ == nullptr || PQstatus(conn->conn_) != CONNECTION_OK) {
      return PgConnectionError(conn->conn_, "cannot connect to PostgreSQL").error;
    }
    // Server notices ("relation already exists, skipping") would go to stderr and may quote
    // values; drop them.
    PQsetNoticeProcessor(
        conn->conn_, [](void*, const char*) {}, nullptr);
    // The placeholder rewriter reads '…' the standard way.
    ResultPtr r(PQexec(conn->conn_, "SET standard_conforming_strings = on"));
    if (!ResultOk(r.get())) return PgResultError(r.get(), conn->conn_, "session setup").error;
    // An acknowledged commit must be durable. Stronger server settings (remote_apply, …)
    // are kept; only "off" is overridden.
    r.reset(PQexec(conn->conn_, "SELECT current_setting('synchronous_commit')"));
    if (!ResultOk(r.get()) || PQntuples(r.get()) != 1) {
      return PgResultError(r.get(), conn->conn_, "session setup").error;
    }
    if (std::string_view(PQgetvalue(r.get(), 0, 0)) == "off") {
      core::log::warn("storage: server has synchronous_commit=off; turning it on for this session");
      r.reset(PQexec(conn->conn_, "SET synchronous_commit = on"));
      if (!ResultOk(r.get())) return PgResultError(r.get(), conn->conn_, "session setup").error;
    }
    return conn;
  }

  ~PgConnection() { PQfinish(conn_); }
  PGconn* get() const { return conn_; }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
};

std::string DoubleText(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
  return std::string(buf, end);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea arrives in text form: "\x" + hex (bytea_output=hex, the default) or the old
// escape form, which libpq decodes.
Value DecodeBytea(const char* v, int len) {
  if (len >= 2 && v[0] == '\\' && v[1] == 'x') {
    std::string bytes;
    bytes.reserve((len - 2) / 2);
    for (int i = 2; i + 1 < len; i += 2) {
      const int hi = HexDigit(v[i]);
      const int lo = HexDigit(v[i + 1]);
      if (hi < 0 || lo < 0) return std::string(v, len);
      bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    return Blob{std::move(bytes)};
  }
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
  if (raw == nullptr) return std::string(v, len);
  Blob b{std::string(reinterpret_cast<char*>(raw), n)};
  PQfreemem(raw);
  return b;
}

Value FieldValue(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col) != 0) return Null{};
  const char* v = PQgetvalue(r, row, col);
  const int len = PQgetlength(r, row, col);
  switch (PQftype(r, col)) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
    case kOidOid: {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(v, v + len, i);
      if (ec == std::errc() && p == v + len) return i;
      return std::string(v, len);
    }
    case kBoolOid:
      return static_cast<int64_t>(len > 0 && v[0] == 't' ? 1 : 0);
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      auto [p, ec] = std::from_chars(v, v + len, d);  // also reads NaN, Infinity, -Infinity
      if (ec == std::errc() && p == v + len) return d;
      return std::string(v, len);
    }
    case kByteaOid:
      return DecodeBytea(v, len);
    default:
      return std::string(v, len);  // text, varchar, numeric, timestamps, json, …
  }
}

class PgTransaction final : public Transaction {
 public:
  explicit PgTransaction(PGconn* conn) : conn_(conn) {}

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    SC_ASSIGN_OR_RETURN(ResultPtr r, Run(sql, params));
    Rows rows;
    const int cols = PQnfields(r.get());
    const int n = PQntuples(r.get());
    rows.columns.reserve(cols);
    for (int c = 0; c < cols; ++c) rows.columns.emplace_back(PQfname(r.get(), c));
    rows.rows.reserve(n);
    for (int i = 0; i < n; ++i) {
      std::vector<Value> values;
      values.reserve(cols);
      for (int c = 0; c < cols; ++c) values.push_back(FieldValue(r.get(), i, c));
      rows.rows.emplace_back(std::move(values));
    }
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override {
    SC_ASSIGN_OR_RETURN(ResultPtr r, Run(sql, params));
    const char* tuples = PQcmdTuples(r.get());  // "" for statements that change no rows
    int64_t n = 0;
    std::from_chars(tuples, tuples + std::strlen(tuples), n);
    return n;
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  const TxState& state() const { return state_; }

 private:
  Result<ResultPtr> Run(std::string_view sql, const std::vector<Value>& params) {
    if (state_.failed()) return state_.AbortedError();
    if (sql.find('\0') != std::string_view::npos) {
      return core::Error::InvalidArgument("SQL text contains a NUL byte");
    }
    RewrittenSql rw = RewritePlaceholders(sql);
    if (rw.several_statements) {
      return core::Error::InvalidArgument("more than one SQL statement in one call");
    }
    if (static_cast<size_t>(rw.placeholders) != params.size()) {
      return core::Error::InvalidArgument("statement has " + std::to_string(rw.placeholders) +
                                          " placeholders but " + std::to_string(params.size()) +
                                          " values were given");
    }
    const size_t n = params.size();
    std::vector<Oid> types(n, 0);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    std::vector<int> formats(n, 0);
    std::vector<std::string> texts(n);  // numbers rendered as text live here
    for (size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (const auto* x = std::get_if<int64_t>(&v)) {
        // Typed int8 so `? + 1` and comparisons are 64-bit, as on SQLite.
        types[i] = kInt8Oid;
        texts[i] = std::to_string(*x);
        values[i] = texts[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        types[i] = kFloat8Oid;
        texts[i] = DoubleText(*d);
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        // Untyped (unknown) so the server coerces text to the column's type (timestamptz,
        // jsonb, …) as it would a literal. libpq reads text values up to the first NUL,
        // which CheckTextParam has ruled out.
        SC_RETURN_IF_ERROR(CheckTextParam(*s, i));
        values[i] = s->c_str();
      } else if (const auto* b = std::get_if<Blob>(&v)) {
        types[i] = kByteaOid;
        values[i] = b->bytes.data();
        lengths[i] = static_cast<int>(b->bytes.size());
        formats[i] = 1;  // binary: the bytes as they are
      }
      // Null: type 0, value nullptr.
    }
    ResultPtr r(PQexecParams(conn_, rw.sql.c_str(), static_cast<int>(n), types.data(),
                             values.data(), lengths.data(), formats.data(), 0));
    if (!ResultOk(r.get())) return state_.Fail(PgResultError(r.get(), conn_, "statement"));
    return r;
  }

  PGconn* conn_;
  TxState state_;
};

// LISTEN on its own connection, in its own thread. The thread sleeps in poll() on the
// connection's socket and an eventfd (which the destructor writes to stop it); a broken
// connection is re-opened once a second until it works, and every (re)connect is reported
// as a notification because whatever was sent meanwhile is lost.
class PgListener final : public Listener {
 public:
  PgListener(std::string url, OpenOptions options, std::string channel,
             std::function<void()> on_notify)
      : url_(std::move(url)),
        options_(options),
        channel_(std::move(channel)),
        on_notify_(std::move(on_notify)),
        wake_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~PgListener() override {
    stop_ = true;
    uint64_t one = 1;
    if (wake_ >= 0) (void)!write(wake_, &one, sizeof one);
    thread_.join();
    if (wake_ >= 0) close(wake_);
  }

 private:
  void Loop() {
    std::unique_ptr<PgConnection> conn;
    bool warned = false;
    while (!stop_) {
      if (!conn) {
        conn = Open();
        if (!conn) {
          if (!warned) core::log::warn("storage: LISTEN connection lost; retrying every second");
          warned = true;
          Wait(-1, 1000);
          continue;
        }
        warned = false;
        on_notify_();
      }
      const int sock = PQsocket(conn->get());
      if (!Wait(sock, 5000)) continue;
      if (PQconsumeInput(conn->get()) == 0 || conn->broken()) {
        conn.reset();
        continue;
      }
      bool any = false;
      while (PGnotify* n = PQnotifies(conn->get())) {
        PQfreemem(n);
        any = true;
      }
      if (any) on_notify_();
    }
  }

  // Waits for `sock` to be readable (true) or the timeout/stop (false).
  bool Wait(int sock, int timeout_ms) {
    pollfd fds[2] = {{wake_, POLLIN, 0}, {sock, POLLIN, 0}};
    const int n = poll(fds, sock >= 0 ? 2 : 1, timeout_ms);
    return n > 0 && sock >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  }

  std::unique_ptr<PgConnection> Open() {
    auto conn = PgConnection::Connect(url_, options_);
    if (!conn) return nullptr;
    char* quoted = PQescapeIdentifier((*conn)->get(), channel_.data(), channel_.size());
    if (quoted == nullptr) return nullptr;
    const std::string sql = std::string("LISTEN ") + quoted;
    PQfreemem(quoted);
    ResultPtr r(PQexec((*conn)->get(), sql.c_str()));
    if (!ResultOk(r.get())) return nullptr;
    return std::move(conn).value();
  }

  const std::string url_;
  const OpenOptions options_;
  const std::string channel_;
  const std::function<void()> on_notify_;
  const int wake_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class PgDatabase final : public Database {
 public:
  using Pool = ConnectionPool<PgConnection>;

  PgDatabase(const std::string& url, const OpenOptions& options)
      : url_(url),
        options_(options),
        pool_(options.pool_size, std::chrono::milliseconds(options.pool_wait_ms),
              [url, options] { return PgConnection::Connect(url, options); }) {}

  Status Init(const std::string& url) {
    if (PQisthreadsafe() == 0) {
      return core::Error::Internal("libpq was built without thread support");
    }
    SC_ASSIGN_OR_RETURN(auto first, PgConnection::Connect(url, options_));
    pool_.Add(std::move(first));
    return core::Ok();
  }

  Status Transact(const std::function<Status(Transaction&)>& fn, TxMode mode) override {
    TransactGuard guard(this);
    if (guard.nested()) return NestedTransactError();
    return RetryTransaction(options_.max_attempts, [&] { return AttemptOnce(fn, mode); });
  }

  Status Ping() override {
    for (int tries = 0; tries <= options_.pool_size; ++tries) {
      SC_ASSIGN_OR_RETURN(Pool::Lease lease, pool_.Acquire());
      ResultPtr r(PQexec(lease->get(), "SELECT 1"));
      if (ResultOk(r.get())) return core::Ok();
      EngineError e = PgResultError(r.get(), lease->get(), "ping");
      if (!lease->broken()) return e.error;
      lease.Discard();  // a pooled connection died; try a fresh one
    }
    return core::Error::Unavailable("ping: no working connection to PostgreSQL");
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  PoolStats Stats() const override { return pool_.Stats(); }

  Result<std::unique_ptr<Listener>> Listen(const std::string& channel,
                                           std::function<void()> on_notify) override {
    if (channel.empty()) return core::Error::InvalidArgument("LISTEN: empty channel name");
    return std::unique_ptr<Listener>(
        std::make_unique<PgListener>(url_, options_, channel, std::move(on_notify)));
  }

 private:
  // Leases a connection and opens a transaction on it. A pooled connection that turns out
  // dead (server restart, idle timeout, pg_terminate_backend) is replaced without spending
  // one of Transact's attempts: nothing has run on it yet.
  Result<Pool::Lease> Begin(TxMode mode, bool* retryable) {
    // Explicit levels: a server's default_transaction_isolation must not change the contract.
    const char* begin = "BEGIN ISOLATION LEVEL READ COMMITTED";
    if (mode == TxMode::kReadOnly) begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    if (mode == TxMode::kSerializable) begin = "BEGIN ISOLATION LEVEL SERIALIZABLE";
    EngineError last;
    for (int tries = 0; tries <= options_.pool_size; ++tries) {
      bool timed_out = false;
      Result<Pool::Lease> leased = pool_.Acquire(&timed_out);
      if (!leased) {
        // A refused connect may be a restarting server: worth another attempt. A pool wait
        // that timed out has waited long enough already.
        *retryable = !timed_out && leased.error().code == core::ErrorCode::kUnavailable;
        return std::move(leased).error();
      }
      Pool::Lease lease = std::move(leased).value();
      if (lease->broken()) {
        lease.Discard();
        continue;
      }
      ResultPtr r(PQexec(lease->get(), begin));
      if (ResultOk(r.get())) return lease;
      last = PgResultError(r.get(), lease->get(), "BEGIN");
      if (!lease->broken()) {
        *retryable = last.retryable;
        return last.error;
      }
      lease.Discard();
    }
    *retryable = true;
    return last.error;
  }

  Attempt AttemptOnce(const std::function<Status(Transaction&)>& fn, TxMode mode) {
    bool retryable = false;
    Result<Pool::Lease> begun = Begin(mode, &retryable);
    if (!begun) return {std::move(begun).error(), retryable};
    Pool::Lease lease = std::move(begun).value();
    PGconn* conn = lease->get();

    PgTransaction tx(conn);
    Status status;
    try {
      status = fn(tx);
    } catch (...) {
      Rollback(lease);
      throw;
    }
    if (status && tx.state().failed()) status = tx.state().AbortedError();
    if (!status) {
      Rollback(lease);
      // A statement that lost its connection never committed: running fn again is safe.
      return {status, tx.state().retryable()};
    }
    ResultPtr r(PQexec(conn, "COMMIT"));
    if (!ResultOk(r.get())) {
      EngineError e = PgResultError(r.get(), conn, "COMMIT");
      if (lease->broken()) {
        lease.Discard();
        // The server may or may not have committed; retrying could apply fn twice.
        return {core::Error::Unavailable("connection lost during COMMIT; the outcome is "
                                         "unknown: " +
                                         e.error.message),
                false};
      }
      Rollback(lease);
      return {e.error, e.retryable};  // 40001 at COMMIT (kSerializable lost): run fn again
    }
    // COMMIT of a transaction the server had aborted answers "ROLLBACK", not an error.
    if (std::string_view(PQcmdStatus(r.get())) != "COMMIT") {
      return {
          core::Error::Internal("COMMIT was answered with " + std::string(PQcmdStatus(r.get()))),
          false};
    }
    return {core::Ok(), false};
  }

  static void Rollback(Pool::Lease& lease) {
    PGconn* conn = lease->get();
    if (PQtransactionStatus(conn) == PQTRANS_IDLE) return;
    ResultPtr r(PQexec(conn, "ROLLBACK"));
    if (!ResultOk(r.get()) || PQtransactionStatus(conn) != PQTRANS_IDLE) lease.Discard();
  }

  const std::string url_;
  const OpenOptions options_;
  Pool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options) {
  auto db = std::make_unique<PgDatabase>(url, options);
  SC_RETURN_IF_ERROR(db->Init(url));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace soundcheck::storage::detail
