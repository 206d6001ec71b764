#include "storage/repositories/sql_unit_of_work.h"

#include "storage/repositories/sql_directory_repository.h"
#include "storage/repositories/sql_event_repository.h"
#include "storage/repositories/sql_mail_repository.h"
#include "storage/repositories/sql_support_repositories.h"

namespace soundcheck::storage {
namespace {

using core::Error;
using domain::AuditHead;
using domain::AuditRow;
using domain::WrappedKey;
using domain::accounts::SessionRecord;
using domain::accounts::TokenRecord;
using domain::accounts::UserRecord;

Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value BlobOrNull(const std::string& s) { return s.empty() ? Value(Null{}) : Value(Blob{s}); }

constexpr const char* kUserColumns =
    "id, email_index, email_sealed, name_sealed, role, password_hash, totp_secret_sealed, "
    "totp_enrolled, totp_last_step, disabled, version, created_at, updated_at";

UserRecord ToUser(const Row& r) {
  UserRecord u;
  u.id = r.Text(0).value_or("");
  u.email_index = r.Text(1).value_or("");
  u.email_sealed = r.Bytes(2).value_or("");
  u.name_sealed = r.Bytes(3).value_or("");
  u.role = r.Text(4).value_or("");
  u.password_hash = r.Text(5).value_or("");
  u.totp_secret_sealed = r.Bytes(6).value_or("");
  u.totp_enrolled = r.Int(7).value_or(0) != 0;
  u.totp_last_step = r.Int(8).value_or(0);
  u.disabled = r.Int(9).value_or(0) != 0;
  u.version = r.Int(10).value_or(0);
  u.created_at = r.Int(11).value_or(0);
  u.updated_at = r.Int(12).value_or(0);
  return u;
}

class SqlUsers final : public domain::UserRepository {
 public:
  explicit SqlUsers(Transaction& tx) : tx_(tx) {}

  Result<std::optional<UserRecord>> FindById(const std::string& id) override {
    return One(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", id);
  }
  Result<std::optional<UserRecord>> FindByEmailIndex(const std::string& idx) override {
    return One(std::string("SELECT ") + kUserColumns + " FROM users WHERE email_index = ?", idx);
  }
  Result<std::vector<UserRecord>> List(const std::string& after_id, int limit) override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query(std::string("SELECT ") + kUserColumns +
                                                 " FROM users WHERE id > ? ORDER BY id LIMIT ?",
                                             {after_id, int64_t{limit}}));
    std::vector<UserRecord> out;
    for (const auto& r : rows.rows) out.push_back(ToUser(r));
    return out;
  }
  Status Insert(const UserRecord& u) override {
    auto r = tx_.Execute(std::string("INSERT INTO users (") + kUserColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         Params(u));
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Status Update(const UserRecord& u, int64_t expected_version) override {
    auto p = Params(u);
    p.erase(p.begin());                       // id goes last
    p.erase(p.begin() + 10, p.begin() + 11);  // created_at never changes
    p.push_back(u.id);
    p.push_back(expected_version);
    SC_ASSIGN_OR_RETURN(
        int64_t n, tx_.Execute("UPDATE users SET email_index = ?, email_sealed = ?, "
                               "name_sealed = ?, role = ?, password_hash = ?, "
                               "totp_secret_sealed = ?, totp_enrolled = ?, totp_last_step = ?, "
                               "disabled = ?, version = ?, updated_at = ? "
                               "WHERE id = ? AND version = ?",
                               p));
    if (n != 1) return Error::FailedPrecondition("user version changed");
    return core::Ok();
  }
  Status SetCredentials(const std::string& id, const std::string& password_hash,
                        const std::string& totp_secret_sealed, bool totp_enrolled) override {
    auto r = tx_.Execute(
        "UPDATE users SET password_hash = ?, totp_secret_sealed = ?, "
        "totp_enrolled = ? WHERE id = ?",
        {password_hash, BlobOrNull(totp_secret_sealed), int64_t{totp_enrolled ? 1 : 0}, id});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<bool> AdvanceTotpStep(const std::string& id, int64_t step) override {
    SC_ASSIGN_OR_RETURN(int64_t n, tx_.Execute("UPDATE users SET totp_last_step = ? "
                                               "WHERE id = ? AND totp_last_step < ?",
                                               {step, id, step}));
    return n == 1;
  }
  Result<int64_t> Count() override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT COUNT(*) FROM users"));
    return rows.rows.at(0).Int(0).value_or(0);
  }
  Status RecordLoginFailure(const std::string& user_id, int64_t at) override {
    auto r = tx_.Execute("INSERT INTO login_failures (user_id, at) VALUES (?, ?)", {user_id, at});
    if (!r) return std::move(r).error();
    // Keep the table small: failures older than a day no longer matter.
    r = tx_.Execute("DELETE FROM login_failures WHERE user_id = ? AND at < ?",
                    {user_id, at - 86400});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<int64_t> CountLoginFailuresSince(const std::string& user_id, int64_t since) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows, tx_.Query("SELECT COUNT(*) FROM login_failures WHERE user_id = ? AND at >= ?",
                             {user_id, since}));
    return rows.rows.at(0).Int(0).value_or(0);
  }

 private:
  static std::vector<Value> Params(const UserRecord& u) {
    return {u.id,
            u.email_index,
            Blob{u.email_sealed},
            Blob{u.name_sealed},
            u.role,
            u.password_hash,
            BlobOrNull(u.totp_secret_sealed),
            int64_t{u.totp_enrolled ? 1 : 0},
            u.totp_last_step,
            int64_t{u.disabled ? 1 : 0},
            u.version,
            u.created_at,
            u.updated_at};
  }
  Result<std::optional<UserRecord>> One(const std::string& sql, const std::string& arg) {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query(sql, {arg}));
    if (rows.empty()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(ToUser(rows.rows[0]));
  }
  Transaction& tx_;
};

class SqlSessions final : public domain::SessionRepository {
 public:
  explicit SqlSessions(Transaction& tx) : tx_(tx) {}
  Status Insert(const SessionRecord& s) override {
    return Done(tx_.Execute(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at}));
  }
  Result<std::optional<SessionRecord>> Find(const std::string& id_hash) override {
    SC_ASSIGN_OR_RETURN(Rows rows,
                        tx_.Query("SELECT id_hash, user_id, csrf_token, created_at, "
                                  "last_seen_at, expires_at FROM sessions WHERE id_hash = ?",
                                  {id_hash}));
    if (rows.empty()) return std::optional<SessionRecord>();
    const Row& r = rows.rows[0];
    return std::optional<SessionRecord>(
        SessionRecord{r.Text(0).value_or(""), r.Text(1).value_or(""), r.Text(2).value_or(""),
                      r.Int(3).value_or(0), r.Int(4).value_or(0), r.Int(5).value_or(0)});
  }
  Status Touch(const std::string& id_hash, int64_t at) override {
    return Done(
        tx_.Execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {at, id_hash}));
  }
  Status Delete(const std::string& id_hash) override {
    return Done(tx_.Execute("DELETE FROM sessions WHERE id_hash = ?", {id_hash}));
  }
  Status DeleteForUser(const std::string& user_id) override {
    return Done(tx_.Execute("DELETE FROM sessions WHERE user_id = ?", {user_id}));
  }
  Status DeleteForUserExcept(const std::string& user_id, const std::string& keep) override {
    return Done(
        tx_.Execute("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", {user_id, keep}));
  }

 private:
  static Status Done(Result<int64_t> r) {
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Transaction& tx_;
};

class SqlTokens final : public domain::TokenRepository {
 public:
  explicit SqlTokens(Transaction& tx) : tx_(tx) {}
  Status Insert(const TokenRecord& t) override {
    auto r = tx_.Execute(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, "
        "last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {t.id, t.user_id, t.name, t.token_hash, t.created_at, Opt(t.last_used_at),
         Opt(t.revoked_at)});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::optional<TokenRecord>> FindByHash(const std::string& hash) override {
    SC_ASSIGN_OR_RETURN(Rows rows,
                        tx_.Query(std::string(kSelect) + " WHERE token_hash = ?", {hash}));
    if (rows.empty()) return std::optional<TokenRecord>();
    return std::optional<TokenRecord>(ToToken(rows.rows[0]));
  }
  Result<std::vector<TokenRecord>> ListForUser(const std::string& user_id) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows, tx_.Query(std::string(kSelect) + " WHERE user_id = ? ORDER BY id", {user_id}));
    std::vector<TokenRecord> out;
    for (const auto& r : rows.rows) out.push_back(ToToken(r));
    return out;
  }
  Status MarkUsed(const std::string& id, int64_t at) override {
    auto r = tx_.Execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {at, id});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<bool> Revoke(const std::string& user_id, const std::string& id, int64_t at) override {
    SC_ASSIGN_OR_RETURN(int64_t n, tx_.Execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? "
                                               "AND user_id = ? AND revoked_at IS NULL",
                                               {at, id, user_id}));
    return n == 1;
  }

 private:
  static constexpr const char* kSelect =
      "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at FROM api_tokens";
  static TokenRecord ToToken(const Row& r) {
    TokenRecord t;
    t.id = r.Text(0).value_or("");
    t.user_id = r.Text(1).value_or("");
    t.name = r.Text(2).value_or("");
    t.token_hash = r.Text(3).value_or("");
    t.created_at = r.Int(4).value_or(0);
    t.last_used_at = r.Int(5);
    t.revoked_at = r.Int(6);
    return t;
  }
  Transaction& tx_;
};

class SqlAudit final : public domain::AuditRepository {
 public:
  explicit SqlAudit(Transaction& tx) : tx_(tx) {}
  Result<AuditHead> LockHead() override {
    // An UPDATE takes the row lock on PostgreSQL (and SQLite holds the write lock already),
    // so concurrent appends on any node queue here instead of forking the chain.
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, mac"));
    if (rows.empty()) return Error::Internal("audit head row missing");
    const Row& r = rows.rows[0];
    return AuditHead{r.Int(0).value_or(0), r.Text(1).value_or(""), r.Text(2).value_or("")};
  }
  Status Append(const AuditRow& a, const AuditHead& head) override {
    auto r = tx_.Execute(
        "INSERT INTO audit_log (seq, id, at, actor_id, actor_role, action, "
        "subject_type, subject_id, purpose, outcome, request_id, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {a.seq, a.id, a.at, a.actor_id, a.actor_role, a.action, a.subject_type, a.subject_id,
         a.purpose, a.outcome, a.request_id, a.prev_hash, a.hash});
    if (!r) return std::move(r).error();
    SC_ASSIGN_OR_RETURN(int64_t n,
                        tx_.Execute("UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1",
                                    {head.seq, head.hash, head.mac}));
    if (n != 1) return Error::Internal("audit head row missing");
    return core::Ok();
  }
  Result<std::optional<AuditHead>> ReadHead() override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT seq, hash, mac FROM audit_head WHERE id = 1"));
    if (rows.empty()) return std::optional<AuditHead>();
    const Row& r = rows.rows[0];
    return std::optional<AuditHead>(
        AuditHead{r.Int(0).value_or(0), r.Text(1).value_or(""), r.Text(2).value_or("")});
  }
  Result<std::vector<AuditRow>> ReadAfter(int64_t after_seq, int limit) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query("SELECT seq, id, at, actor_id, actor_role, action, subject_type, subject_id, "
                  "purpose, outcome, request_id, prev_hash, hash FROM audit_log WHERE seq > ? "
                  "ORDER BY seq LIMIT ?",
                  {after_seq, int64_t{limit}}));
    std::vector<AuditRow> out;
    for (const auto& r : rows.rows) {
      AuditRow a;
      a.seq = r.Int(0).value_or(0);
      a.id = r.Text(1).value_or("");
      a.at = r.Int(2).value_or(0);
      a.actor_id = r.Text(3).value_or("");
      a.actor_role = r.Text(4).value_or("");
      a.action = r.Text(5).value_or("");
      a.subject_type = r.Text(6).value_or("");
      a.subject_id = r.Text(7).value_or("");
      a.purpose = r.Text(8).value_or("");
      a.outcome = r.Text(9).value_or("");
      a.request_id = r.Text(10).value_or("");
      a.prev_hash = r.Text(11).value_or("");
      a.hash = r.Text(12).value_or("");
      out.push_back(std::move(a));
    }
    return out;
  }

 private:
  Transaction& tx_;
};

class SqlKeys final : public domain::KeyRepository {
 public:
  explicit SqlKeys(Transaction& tx) : tx_(tx) {}
  Result<std::optional<WrappedKey>> Find(const std::string& subject_id) override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT subject_id, wrapped, master_key_id, version "
                                             "FROM data_keys WHERE subject_id = ?",
                                             {subject_id}));
    if (rows.empty()) return std::optional<WrappedKey>();
    return std::optional<WrappedKey>(ToKey(rows.rows[0]));
  }
  Status Insert(const WrappedKey& k) override {
    auto r = tx_.Execute(
        "INSERT INTO data_keys (subject_id, wrapped, master_key_id, version, "
        "created_at) VALUES (?, ?, ?, ?, 0)",
        {k.subject_id, Blob{k.wrapped}, k.master_key_id, int64_t{k.version}});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::vector<WrappedKey>> All() override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT subject_id, wrapped, master_key_id, version "
                                             "FROM data_keys ORDER BY subject_id"));
    std::vector<WrappedKey> out;
    for (const auto& r : rows.rows) out.push_back(ToKey(r));
    return out;
  }
  Status Replace(const WrappedKey& k) override {
    SC_ASSIGN_OR_RETURN(
        int64_t n,
        tx_.Execute("UPDATE data_keys SET wrapped = ?, master_key_id = ?, "
                    "version = ? WHERE subject_id = ?",
                    {Blob{k.wrapped}, k.master_key_id, int64_t{k.version}, k.subject_id}));
    if (n != 1) return Error::NotFound("data key missing");
    return core::Ok();
  }
  Status Delete(const std::string& subject_id) override {
    auto r = tx_.Execute("DELETE FROM data_keys WHERE subject_id = ?", {subject_id});
    if (!r) return std::move(r).error();
    return core::Ok();
  }

 private:
  static WrappedKey ToKey(const Row& r) {
    return {r.Text(0).value_or(""), r.Bytes(1).value_or(""), r.Text(2).value_or(""),
            static_cast<int>(r.Int(3).value_or(1))};
  }
  Transaction& tx_;
};

class SqlPeople final : public domain::PeopleRepository {
 public:
  explicit SqlPeople(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::PersonRecord& p) override {
    auto r = tx_.Execute(
        "INSERT INTO people (id, preferred_name_sealed, contact_sealed, language, "
        "created_at, email_index) VALUES (?, ?, ?, ?, ?, ?)",
        {p.id, Blob{p.preferred_name_sealed}, Blob{p.contact_sealed}, p.language, p.created_at,
         p.email_index.empty() ? Value(Null{}) : Value(p.email_index)});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::optional<domain::PersonRecord>> FindById(const std::string& id) override {
    SC_ASSIGN_OR_RETURN(Rows rows,
                        tx_.Query("SELECT id, preferred_name_sealed, contact_sealed, language, "
                                  "created_at, email_index FROM people WHERE id = ?",
                                  {id}));
    if (rows.empty()) return std::optional<domain::PersonRecord>();
    return std::optional<domain::PersonRecord>(ToPerson(rows.rows[0]));
  }
  Result<std::vector<domain::PersonRecord>> FindByEmailIndex(const std::string& index) override {
    SC_ASSIGN_OR_RETURN(Rows rows,
                        tx_.Query("SELECT id, preferred_name_sealed, contact_sealed, language, "
                                  "created_at, email_index FROM people WHERE email_index = ? "
                                  "ORDER BY created_at, id",
                                  {index}));
    std::vector<domain::PersonRecord> out;
    for (const auto& r : rows.rows) out.push_back(ToPerson(r));
    return out;
  }

 private:
  static domain::PersonRecord ToPerson(const Row& r) {
    return {r.Text(0).value_or(""), r.Bytes(1).value_or(""), r.Bytes(2).value_or(""),
            r.Text(3).value_or(""), r.Int(4).value_or(0),    r.Text(5).value_or("")};
  }

 public:
 private:
  Transaction& tx_;
};

class SqlCases final : public domain::CaseRepository {
 public:
  explicit SqlCases(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::CaseRecord& c) override {
    auto r = tx_.Execute(std::string("INSERT INTO cases (") + kColumns +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         {c.id, c.reference, c.person_id, c.status, int64_t{c.urgent ? 1 : 0},
                          c.assigned_to ? Value(*c.assigned_to) : Value(Null{}), c.country,
                          c.region, c.industry_role, c.requests, c.src, c.first_contact_due_at,
                          Opt(c.first_contact_at), c.version, c.created_at, c.updated_at});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::optional<domain::CaseRecord>> FindById(const std::string& id) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows, tx_.Query(std::string("SELECT ") + kColumns + " FROM cases WHERE id = ?", {id}));
    if (rows.empty()) return std::optional<domain::CaseRecord>();
    return std::optional<domain::CaseRecord>(ToCase(rows.rows[0]));
  }
  Result<std::optional<domain::CaseRecord>> FindByReference(const std::string& ref) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query(std::string("SELECT ") + kColumns + " FROM cases WHERE reference = ?", {ref}));
    if (rows.empty()) return std::optional<domain::CaseRecord>();
    return std::optional<domain::CaseRecord>(ToCase(rows.rows[0]));
  }
  Result<std::vector<domain::CaseRecord>> ForPerson(const std::string& person_id) override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query(std::string("SELECT ") + kColumns +
                                                 " FROM cases WHERE person_id = ? "
                                                 "ORDER BY created_at DESC, id DESC",
                                             {person_id}));
    std::vector<domain::CaseRecord> out;
    for (const auto& r : rows.rows) out.push_back(ToCase(r));
    return out;
  }
  Status InsertLink(const domain::CaseLinkRecord& l) override {
    auto r = tx_.Execute(
        "INSERT INTO case_links (case_id, linked_case_id, relationship, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {l.case_id, l.linked_case_id, l.relationship, l.created_by, l.created_at});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::vector<domain::CaseLinkRecord>> Links(const std::string& case_id) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query("SELECT case_id, linked_case_id, relationship, created_by, created_at "
                  "FROM case_links WHERE case_id = ? OR linked_case_id = ? ORDER BY created_at",
                  {case_id, case_id}));
    std::vector<domain::CaseLinkRecord> out;
    for (const auto& r : rows.rows) {
      domain::CaseLinkRecord l{r.Text(0).value_or(""), r.Text(1).value_or(""),
                               r.Text(2).value_or(""), r.Text(3).value_or(""),
                               r.Int(4).value_or(0)};
      if (l.case_id != case_id) std::swap(l.case_id, l.linked_case_id);
      out.push_back(std::move(l));
    }
    return out;
  }
  Result<std::vector<domain::CaseRecord>> Query(const domain::CaseQuery& q) override {
    std::string sql = std::string("SELECT ") + kColumns + " FROM cases WHERE 1 = 1";
    std::vector<Value> params;
    if (q.status) {
      sql += " AND status = ?";
      params.push_back(*q.status);
    }
    if (q.urgent) {
      sql += " AND urgent = ?";
      params.push_back(int64_t{*q.urgent ? 1 : 0});
    }
    if (q.visible_to) {
      sql += " AND (assigned_to = ? OR assigned_to IS NULL)";
      params.push_back(*q.visible_to);
    }
    if (q.after) {
      // Keyset pagination in queue order: urgent DESC, created_at ASC, id ASC.
      int64_t u = q.after->urgent ? 1 : 0;
      sql +=
          " AND (urgent < ? OR (urgent = ? AND (created_at > ? OR (created_at = ? AND id > ?))))";
      params.insert(params.end(), {u, u, q.after->created_at, q.after->created_at, q.after->id});
    }
    sql += " ORDER BY urgent DESC, created_at ASC, id ASC LIMIT ?";
    params.push_back(int64_t{q.limit});
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query(sql, params));
    std::vector<domain::CaseRecord> out;
    for (const auto& r : rows.rows) out.push_back(ToCase(r));
    return out;
  }
  Result<std::vector<StatusCount>> CountByStatus(
      const std::optional<std::string>& visible_to) override {
    std::string sql = "SELECT status, urgent, COUNT(*) FROM cases";
    std::vector<Value> params;
    if (visible_to) {
      sql += " WHERE assigned_to = ? OR assigned_to IS NULL";
      params.push_back(*visible_to);
    }
    sql += " GROUP BY status, urgent ORDER BY status, urgent";
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query(sql, params));
    std::vector<StatusCount> out;
    for (const auto& r : rows.rows) {
      out.push_back({r.Text(0).value_or(""), r.Int(1).value_or(0) != 0, r.Int(2).value_or(0)});
    }
    return out;
  }
  Status Update(const domain::CaseRecord& c, int64_t expected_version) override {
    SC_ASSIGN_OR_RETURN(
        int64_t n,
        tx_.Execute(
            "UPDATE cases SET status = ?, urgent = ?, assigned_to = ?, first_contact_at = ?, "
            "version = ?, updated_at = ? WHERE id = ? AND version = ?",
            {c.status, int64_t{c.urgent ? 1 : 0},
             c.assigned_to ? Value(*c.assigned_to) : Value(Null{}), Opt(c.first_contact_at),
             c.version, c.updated_at, c.id, expected_version}));
    if (n != 1) return Error::FailedPrecondition("case version changed");
    return core::Ok();
  }
  Status InsertEvent(const domain::CaseEventRecord& e) override {
    auto r = tx_.Execute(
        "INSERT INTO case_events (id, case_id, at, actor_id, type, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {e.id, e.case_id, e.at, e.actor_id, e.type, e.detail});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::vector<domain::CaseEventRecord>> Events(const std::string& case_id) override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT id, case_id, at, actor_id, type, detail FROM "
                                             "case_events WHERE case_id = ? ORDER BY at, id",
                                             {case_id}));
    std::vector<domain::CaseEventRecord> out;
    for (const auto& r : rows.rows) {
      out.push_back({r.Text(0).value_or(""), r.Text(1).value_or(""), r.Int(2).value_or(0),
                     r.Text(3).value_or(""), r.Text(4).value_or(""), r.Text(5).value_or("")});
    }
    return out;
  }

 private:
  static constexpr const char* kColumns =
      "id, reference, person_id, status, urgent, assigned_to, country, region, industry_role, "
      "requests, src, first_contact_due_at, first_contact_at, version, created_at, updated_at";
  static domain::CaseRecord ToCase(const Row& r) {
    domain::CaseRecord c;
    c.id = r.Text(0).value_or("");
    c.reference = r.Text(1).value_or("");
    c.person_id = r.Text(2).value_or("");
    c.status = r.Text(3).value_or("");
    c.urgent = r.Int(4).value_or(0) != 0;
    c.assigned_to = r.Text(5);
    c.country = r.Text(6).value_or("");
    c.region = r.Text(7).value_or("");
    c.industry_role = r.Text(8).value_or("");
    c.requests = r.Text(9).value_or("");
    c.src = r.Text(10).value_or("");
    c.first_contact_due_at = r.Int(11).value_or(0);
    c.first_contact_at = r.Int(12);
    c.version = r.Int(13).value_or(1);
    c.created_at = r.Int(14).value_or(0);
    c.updated_at = r.Int(15).value_or(0);
    return c;
  }
  Transaction& tx_;
};

class SqlIntakes final : public domain::IntakeRepository {
 public:
  explicit SqlIntakes(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::IntakeRecord& i) override {
    auto r = tx_.Execute(
        "INSERT INTO intakes (id, person_id, case_id, idempotency_key_hash, request_hash, "
        "answers_sealed, screenings_sealed, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?)",
        {i.id, i.person_id, i.case_id, i.idempotency_key_hash, i.request_hash,
         Blob{i.answers_sealed}, Blob{i.screenings_sealed}, i.response, i.created_at});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::optional<domain::IntakeRecord>> FindByKeyHash(const std::string& h) override {
    return One("idempotency_key_hash", h);
  }
  Result<std::optional<domain::IntakeRecord>> FindByCase(const std::string& case_id) override {
    return One("case_id", case_id);
  }

 private:
  Result<std::optional<domain::IntakeRecord>> One(const char* column, const std::string& v) {
    SC_ASSIGN_OR_RETURN(
        Rows rows, tx_.Query(std::string("SELECT id, person_id, case_id, idempotency_key_hash, "
                                         "request_hash, answers_sealed, screenings_sealed, "
                                         "response, created_at FROM intakes WHERE ") +
                                 column + " = ?",
                             {v}));
    if (rows.empty()) return std::optional<domain::IntakeRecord>();
    const Row& r = rows.rows[0];
    return std::optional<domain::IntakeRecord>(domain::IntakeRecord{
        r.Text(0).value_or(""), r.Text(1).value_or(""), r.Text(2).value_or(""),
        r.Text(3).value_or(""), r.Text(4).value_or(""), r.Bytes(5).value_or(""),
        r.Bytes(6).value_or(""), r.Text(7).value_or(""), r.Int(8).value_or(0)});
  }
  Transaction& tx_;
};

class SqlNotes final : public domain::NoteRepository {
 public:
  explicit SqlNotes(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::NoteRecord& n) override {
    auto r = tx_.Execute(
        "INSERT INTO case_notes (id, version, case_id, body_sealed, author_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {n.id, n.version, n.case_id, Blob{n.body_sealed}, n.author_id, n.created_at});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::vector<domain::NoteRecord>> ForCase(const std::string& case_id) override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT id, version, case_id, body_sealed, author_id, "
                                             "created_at FROM case_notes WHERE case_id = ? "
                                             "ORDER BY id, version",
                                             {case_id}));
    std::vector<domain::NoteRecord> out;
    for (const auto& r : rows.rows) {
      out.push_back({r.Text(0).value_or(""), r.Int(1).value_or(1), r.Text(2).value_or(""),
                     r.Bytes(3).value_or(""), r.Text(4).value_or(""), r.Int(5).value_or(0)});
    }
    return out;
  }

 private:
  Transaction& tx_;
};

class SqlCarePlans final : public domain::CarePlanRepository {
 public:
  explicit SqlCarePlans(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::CarePlanRecord& p) override {
    auto r = tx_.Execute(
        "INSERT INTO care_plans (case_id, version, body_sealed, author_id, created_at, "
        "signed_off_by, signed_off_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {p.case_id, p.version, Blob{p.body_sealed}, p.author_id, p.created_at,
         p.signed_off_by ? Value(*p.signed_off_by) : Value(Null{}), Opt(p.signed_off_at)});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::optional<domain::CarePlanRecord>> Find(const std::string& case_id,
                                                     int64_t version) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query(std::string(kSelect) + " WHERE case_id = ? AND version = ?", {case_id, version}));
    if (rows.rows.empty()) return std::optional<domain::CarePlanRecord>();
    return std::optional(Read(rows.rows[0], true));
  }
  Result<std::optional<domain::CarePlanRecord>> Latest(const std::string& case_id,
                                                       bool signed_off_only) override {
    SC_ASSIGN_OR_RETURN(Rows rows,
                        tx_.Query(std::string(kSelect) + " WHERE case_id = ?" +
                                      (signed_off_only ? " AND signed_off_at IS NOT NULL" : "") +
                                      " ORDER BY version DESC LIMIT 1",
                                  {case_id}));
    if (rows.rows.empty()) return std::optional<domain::CarePlanRecord>();
    return std::optional(Read(rows.rows[0], true));
  }
  Result<std::vector<domain::CarePlanRecord>> Versions(const std::string& case_id) override {
    SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT case_id, version, NULL, author_id, "
                                             "created_at, signed_off_by, signed_off_at FROM "
                                             "care_plans WHERE case_id = ? ORDER BY version",
                                             {case_id}));
    std::vector<domain::CarePlanRecord> out;
    for (const auto& r : rows.rows) out.push_back(Read(r, false));
    return out;
  }
  Result<bool> SignOff(const std::string& case_id, int64_t version, const std::string& user_id,
                       int64_t at) override {
    SC_ASSIGN_OR_RETURN(int64_t changed,
                        tx_.Execute("UPDATE care_plans SET signed_off_by = ?, signed_off_at = ? "
                                    "WHERE case_id = ? AND version = ? AND signed_off_at IS NULL",
                                    {user_id, at, case_id, version}));
    return changed == 1;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT case_id, version, body_sealed, author_id, created_at, signed_off_by, "
      "signed_off_at FROM care_plans";
  static domain::CarePlanRecord Read(const Row& r, bool body) {
    domain::CarePlanRecord p;
    p.case_id = r.Text(0).value_or("");
    p.version = r.Int(1).value_or(1);
    if (body) p.body_sealed = r.Bytes(2).value_or("");
    p.author_id = r.Text(3).value_or("");
    p.created_at = r.Int(4).value_or(0);
    p.signed_off_by = r.Text(5);
    p.signed_off_at = r.Int(6);
    return p;
  }
  Transaction& tx_;
};

class SqlCareProfiles final : public domain::CareProfileRepository {
 public:
  explicit SqlCareProfiles(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::CareProfileRecord& p) override {
    auto r = tx_.Execute(
        "INSERT INTO care_profiles (case_id, version, body_sealed, author_id, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {p.case_id, p.version, Blob{p.body_sealed}, p.author_id, p.created_at});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::optional<domain::CareProfileRecord>> Latest(const std::string& case_id) override {
    SC_ASSIGN_OR_RETURN(Rows rows,
                        tx_.Query("SELECT case_id, version, body_sealed, author_id, created_at "
                                  "FROM care_profiles WHERE case_id = ? "
                                  "ORDER BY version DESC LIMIT 1",
                                  {case_id}));
    if (rows.rows.empty()) return std::optional<domain::CareProfileRecord>();
    const Row& r = rows.rows[0];
    domain::CareProfileRecord p;
    p.case_id = r.Text(0).value_or("");
    p.version = r.Int(1).value_or(1);
    p.body_sealed = r.Bytes(2).value_or("");
    p.author_id = r.Text(3).value_or("");
    p.created_at = r.Int(4).value_or(0);
    return std::optional(std::move(p));
  }

 private:
  Transaction& tx_;
};

class SqlTasks final : public domain::TaskRepository {
 public:
  explicit SqlTasks(Transaction& tx) : tx_(tx) {}
  Status Insert(const domain::TaskRecord& t) override {
    auto r = tx_.Execute(
        "INSERT INTO case_tasks (id, case_id, title_sealed, due_at, status, "
        "created_by, created_at, done_at, done_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {t.id, t.case_id, Blob{t.title_sealed}, t.due_at, t.status, t.created_by, t.created_at,
         Opt(t.done_at), t.done_by ? Value(*t.done_by) : Value(Null{})});
    if (!r) return std::move(r).error();
    return core::Ok();
  }
  Result<std::vector<domain::TaskRecord>> ForCase(const std::string& case_id) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query("SELECT id, case_id, title_sealed, due_at, status, created_by, created_at, "
                  "done_at, done_by FROM case_tasks WHERE case_id = ? "
                  "ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_at, id",
                  {case_id}));
    std::vector<domain::TaskRecord> out;
    for (const auto& r : rows.rows) {
      out.push_back({r.Text(0).value_or(""), r.Text(1).value_or(""), r.Bytes(2).value_or(""),
                     r.Int(3).value_or(0), r.Text(4).value_or(""), r.Text(5).value_or(""),
                     r.Int(6).value_or(0), r.Int(7), r.Text(8)});
    }
    return out;
  }
  Result<bool> Complete(const std::string& case_id, const std::string& id, int64_t at,
                        const std::string& by) override {
    SC_ASSIGN_OR_RETURN(int64_t n,
                        tx_.Execute("UPDATE case_tasks SET status = 'done', done_at = ?, "
                                    "done_by = ? WHERE id = ? AND case_id = ? AND "
                                    "status = 'open'",
                                    {at, by, id, case_id}));
    return n == 1;
  }
  Result<std::vector<domain::TaskRecord>> TakeDueForReminder(int64_t until, int64_t now,
                                                             int limit) override {
    SC_ASSIGN_OR_RETURN(
        Rows rows,
        tx_.Query("SELECT id, case_id, title_sealed, due_at, status, created_by, created_at, "
                  "done_at, done_by FROM case_tasks WHERE status = 'open' AND "
                  "reminded_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?",
                  {until, int64_t{limit}}));
    std::vector<domain::TaskRecord> out;
    for (const auto& r : rows.rows) {
      // Conditional: a node that got here first has set reminded_at, and this changes nothing.
      SC_ASSIGN_OR_RETURN(int64_t n, tx_.Execute("UPDATE case_tasks SET reminded_at = ? WHERE "
                                                 "id = ? AND reminded_at IS NULL",
                                                 {now, r.Text(0).value_or("")}));
      if (n != 1) continue;
      out.push_back({r.Text(0).value_or(""), r.Text(1).value_or(""), r.Bytes(2).value_or(""),
                     r.Int(3).value_or(0), r.Text(4).value_or(""), r.Text(5).value_or(""),
                     r.Int(6).value_or(0), r.Int(7), r.Text(8)});
    }
    return out;
  }

 private:
  Transaction& tx_;
};

class SqlUnitOfWork final : public domain::UnitOfWork {
 public:
  explicit SqlUnitOfWork(Transaction& tx)
      : users_(tx),
        sessions_(tx),
        tokens_(tx),
        audit_(tx),
        keys_(tx),
        people_(tx),
        cases_(tx),
        intakes_(tx),
        notes_(tx),
        care_plans_(tx),
        care_profiles_(tx),
        tasks_(tx),
        events_(tx),
        staff_(tx),
        alerts_(tx),
        support_(tx),
        members_(tx),
        mail_(tx),
        directory_(tx) {}
  domain::UserRepository& users() override { return users_; }
  domain::SessionRepository& sessions() override { return sessions_; }
  domain::TokenRepository& tokens() override { return tokens_; }
  domain::AuditRepository& audit() override { return audit_; }
  domain::KeyRepository& keys() override { return keys_; }
  domain::PeopleRepository& people() override { return people_; }
  domain::CaseRepository& cases() override { return cases_; }
  domain::IntakeRepository& intakes() override { return intakes_; }
  domain::NoteRepository& notes() override { return notes_; }
  domain::CarePlanRepository& care_plans() override { return care_plans_; }
  domain::CareProfileRepository& care_profiles() override { return care_profiles_; }
  domain::TaskRepository& tasks() override { return tasks_; }
  domain::EventRepository& events() override { return events_; }
  domain::StaffRepository& staff() override { return staff_; }
  domain::AlertRepository& alerts() override { return alerts_; }
  domain::SupportRequestRepository& support() override { return support_; }
  domain::MemberAccessRepository& members() override { return members_; }
  domain::MailRepository& mail() override { return mail_; }
  domain::directory::DirectoryRepository& directory() override { return directory_; }
  bool events_appended() const { return events_.appended(); }

 private:
  SqlUsers users_;
  SqlSessions sessions_;
  SqlTokens tokens_;
  SqlAudit audit_;
  SqlKeys keys_;
  SqlPeople people_;
  SqlCases cases_;
  SqlIntakes intakes_;
  SqlNotes notes_;
  SqlCarePlans care_plans_;
  SqlCareProfiles care_profiles_;
  SqlTasks tasks_;
  SqlEvents events_;
  SqlStaff staff_;
  SqlAlerts alerts_;
  SqlSupportRequests support_;
  SqlMemberAccess members_;
  SqlMail mail_;
  SqlDirectory directory_;
};

}  // namespace

std::unique_ptr<domain::UnitOfWork> MakeSqlUnitOfWork(Transaction& tx) {
  return std::make_unique<SqlUnitOfWork>(tx);
}

Status SqlTransactionRunner::Run(const std::function<Status(domain::UnitOfWork&)>& fn) {
  bool appended = false;
  Status st = db_.Transact([&](Transaction& tx) -> Status {
    SqlUnitOfWork uow(tx);
    Status s = fn(uow);
    appended = uow.events_appended();  // of the last attempt: the one that committed
    return s;
  });
  if (st && appended && on_events_) on_events_();
  return st;
}

}  // namespace soundcheck::storage

namespace soundcheck::storage {

Status SqlTransactionRunner::RunReadOnly(const std::function<Status(domain::UnitOfWork&)>& fn) {
  return db_.Transact(
      [&](Transaction& tx) -> Status {
        SqlUnitOfWork uow(tx);
        return fn(uow);
      },
      TxMode::kReadOnly);
}

}  // namespace soundcheck::storage
