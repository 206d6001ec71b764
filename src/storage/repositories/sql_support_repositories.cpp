#include "storage/repositories/sql_support_repositories.h"

#include "storage/dialect.h"

namespace soundcheck::storage {
namespace {

Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(Null{}); }
Value OptText(const std::optional<std::string>& v) { return v ? Value(*v) : Value(Null{}); }

constexpr const char* kProfileColumns =
    "user_id, on_duty, duty_since, languages, regions, updated_at";

domain::StaffProfileRecord ToProfile(const Row& r) {
  return {r.Text(0).value_or(""), r.Int(1).value_or(0) != 0, r.Int(2),
          r.Text(3).value_or(""), r.Text(4).value_or(""),    r.Int(5).value_or(0)};
}

constexpr const char* kShiftColumns =
    "id, user_id, starts_at, ends_at, time_zone, created_by, created_at";

domain::ShiftRecord ToShift(const Row& r) {
  return {r.Text(0).value_or(""), r.Text(1).value_or(""), r.Int(2).value_or(0),
          r.Int(3).value_or(0),   r.Text(4).value_or(""), r.Text(5).value_or(""),
          r.Int(6).value_or(0)};
}

constexpr const char* kAlertColumns =
    "id, case_id, raised_at, deadline_at, acknowledged_at, acknowledged_by, escalated_at";

domain::AlertRecord ToAlert(const Row& r) {
  return {r.Text(0).value_or(""),
          r.Text(1).value_or(""),
          r.Int(2).value_or(0),
          r.Int(3).value_or(0),
          r.Int(4),
          r.Text(5),
          r.Int(6)};
}

constexpr const char* kRequestColumns =
    "id, idempotency_key_hash, request_hash, status, language, country, time_zone, slot_start, "
    "slot_end, details_sealed, response, created_at, claimed_by, claimed_at, closed_at, "
    "outcome, note_sealed, version";

domain::SupportRequestRecord ToRequest(const Row& r) {
  domain::SupportRequestRecord x;
  x.id = r.Text(0).value_or("");
  x.idempotency_key_hash = r.Text(1).value_or("");
  x.request_hash = r.Text(2).value_or("");
  x.status = r.Text(3).value_or("");
  x.language = r.Text(4).value_or("");
  x.country = r.Text(5).value_or("");
  x.time_zone = r.Text(6).value_or("");
  x.slot_start = r.Int(7);
  x.slot_end = r.Int(8);
  x.details_sealed = r.Bytes(9).value_or("");
  x.response = r.Text(10).value_or("");
  x.created_at = r.Int(11).value_or(0);
  x.claimed_by = r.Text(12);
  x.claimed_at = r.Int(13);
  x.closed_at = r.Int(14);
  x.outcome = r.Text(15);
  x.note_sealed = r.Bytes(16).value_or("");
  x.version = r.Int(17).value_or(1);
  return x;
}

template <typename T, typename F>
Result<std::vector<T>> All(Result<Rows> rows, F convert) {
  if (!rows) return std::move(rows).error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : rows->rows) out.push_back(convert(r));
  return out;
}

template <typename T, typename F>
Result<std::optional<T>> First(Result<Rows> rows, F convert) {
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(convert(rows->rows[0]));
}

Status Done(Result<int64_t> r) {
  if (!r) return std::move(r).error();
  return core::Ok();
}

}  // namespace

// --- staff -------------------------------------------------------------------------------

Result<std::optional<domain::StaffProfileRecord>> SqlStaff::FindProfile(const std::string& id) {
  return First<domain::StaffProfileRecord>(
      tx_.Query(std::string("SELECT ") + kProfileColumns + " FROM staff_profiles WHERE user_id = ?",
                {id}),
      ToProfile);
}

Status SqlStaff::UpsertProfile(const domain::StaffProfileRecord& p) {
  return Done(tx_.Execute(std::string("INSERT INTO staff_profiles (") + kProfileColumns +
                              ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                              "on_duty = excluded.on_duty, duty_since = excluded.duty_since, "
                              "languages = excluded.languages, regions = excluded.regions, "
                              "updated_at = excluded.updated_at",
                          {p.user_id, int64_t{p.on_duty ? 1 : 0}, Opt(p.duty_since), p.languages,
                           p.regions, p.updated_at}));
}

Result<std::vector<domain::StaffProfileRecord>> SqlStaff::Profiles() {
  return All<domain::StaffProfileRecord>(
      tx_.Query(std::string("SELECT ") + kProfileColumns + " FROM staff_profiles ORDER BY user_id"),
      ToProfile);
}

Status SqlStaff::InsertShift(const domain::ShiftRecord& s) {
  return Done(tx_.Execute(
      std::string("INSERT INTO shifts (") + kShiftColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
      {s.id, s.user_id, s.starts_at, s.ends_at, s.time_zone, s.created_by, s.created_at}));
}

Result<std::optional<domain::ShiftRecord>> SqlStaff::FindShift(const std::string& id) {
  return First<domain::ShiftRecord>(
      tx_.Query(std::string("SELECT ") + kShiftColumns + " FROM shifts WHERE id = ?", {id}),
      ToShift);
}

Result<std::vector<domain::ShiftRecord>> SqlStaff::Shifts(int64_t from, int64_t to) {
  return All<domain::ShiftRecord>(
      tx_.Query(std::string("SELECT ") + kShiftColumns +
                    " FROM shifts WHERE ends_at > ? AND starts_at < ? ORDER BY starts_at, id",
                {from, to}),
      ToShift);
}

Result<std::vector<domain::ShiftRecord>> SqlStaff::LockShifts(int64_t from, int64_t to) {
  return All<domain::ShiftRecord>(
      tx_.Query(std::string("SELECT ") + kShiftColumns +
                    " FROM shifts WHERE ends_at > ? AND starts_at < ? ORDER BY id" +
                    std::string(ForUpdate(tx_.dialect())),
                {from, to}),
      ToShift);
}

Result<bool> SqlStaff::DeleteShift(const std::string& id) {
  SC_ASSIGN_OR_RETURN(int64_t n, tx_.Execute("DELETE FROM shifts WHERE id = ?", {id}));
  return n == 1;
}

Result<std::vector<std::pair<std::string, int64_t>>> SqlStaff::OpenCaseCounts() {
  return All<std::pair<std::string, int64_t>>(
      tx_.Query("SELECT assigned_to, COUNT(*) FROM cases WHERE assigned_to IS NOT NULL AND "
                "status <> 'closed' GROUP BY assigned_to ORDER BY assigned_to"),
      [](const Row& r) {
        return std::pair{r.Text(0).value_or(""), r.Int(1).value_or(0)};
      });
}

// --- alerts ------------------------------------------------------------------------------

Status SqlAlerts::Insert(const domain::AlertRecord& a) {
  return Done(tx_.Execute(
      std::string("INSERT INTO alerts (") + kAlertColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
      {a.id, a.case_id, a.raised_at, a.deadline_at, Opt(a.acknowledged_at),
       OptText(a.acknowledged_by), Opt(a.escalated_at)}));
}

Result<std::optional<domain::AlertRecord>> SqlAlerts::Find(const std::string& id) {
  return First<domain::AlertRecord>(
      tx_.Query(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = ?", {id}),
      ToAlert);
}

Result<std::vector<domain::AlertRecord>> SqlAlerts::List(bool open_only, int limit) {
  return All<domain::AlertRecord>(
      tx_.Query(std::string("SELECT ") + kAlertColumns + " FROM alerts" +
                    (open_only ? " WHERE acknowledged_at IS NULL" : "") +
                    " ORDER BY raised_at DESC, id DESC LIMIT ?",
                {int64_t{limit}}),
      ToAlert);
}

Result<bool> SqlAlerts::Acknowledge(const std::string& id, int64_t at, const std::string& by) {
  SC_ASSIGN_OR_RETURN(int64_t n, tx_.Execute("UPDATE alerts SET acknowledged_at = ?, "
                                             "acknowledged_by = ? WHERE id = ? AND "
                                             "acknowledged_at IS NULL",
                                             {at, by, id}));
  return n == 1;
}

Result<std::vector<domain::AlertRecord>> SqlAlerts::TakeOverdue(int64_t now, int limit) {
  SC_ASSIGN_OR_RETURN(
      std::vector<domain::AlertRecord> due,
      All<domain::AlertRecord>(tx_.Query(std::string("SELECT ") + kAlertColumns +
                                             " FROM alerts WHERE acknowledged_at IS NULL AND "
                                             "escalated_at IS NULL AND deadline_at <= ? "
                                             "ORDER BY deadline_at, id LIMIT ?",
                                         {now, int64_t{limit}}),
                               ToAlert));
  std::vector<domain::AlertRecord> out;
  for (auto& a : due) {
    // Conditional: on PostgreSQL a concurrent escalation on another node holds the row, and
    // this UPDATE then re-checks the condition and changes nothing.
    SC_ASSIGN_OR_RETURN(int64_t n, tx_.Execute("UPDATE alerts SET escalated_at = ? WHERE id = ? "
                                               "AND escalated_at IS NULL AND "
                                               "acknowledged_at IS NULL",
                                               {now, a.id}));
    if (n == 1) {
      a.escalated_at = now;
      out.push_back(std::move(a));
    }
  }
  return out;
}

// --- support requests --------------------------------------------------------------------

Status SqlSupportRequests::Insert(const domain::SupportRequestRecord& x) {
  return Done(tx_.Execute(
      std::string("INSERT INTO support_requests (") + kRequestColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {x.id, x.idempotency_key_hash, x.request_hash, x.status, x.language, x.country, x.time_zone,
       Opt(x.slot_start), Opt(x.slot_end), Blob{x.details_sealed}, x.response, x.created_at,
       OptText(x.claimed_by), Opt(x.claimed_at), Opt(x.closed_at), OptText(x.outcome),
       x.note_sealed.empty() ? Value(Null{}) : Value(Blob{x.note_sealed}), x.version}));
}

Result<std::optional<domain::SupportRequestRecord>> SqlSupportRequests::FindByKeyHash(
    const std::string& hash) {
  return First<domain::SupportRequestRecord>(
      tx_.Query(std::string("SELECT ") + kRequestColumns +
                    " FROM support_requests WHERE idempotency_key_hash = ?",
                {hash}),
      ToRequest);
}

Result<std::optional<domain::SupportRequestRecord>> SqlSupportRequests::Find(
    const std::string& id) {
  return First<domain::SupportRequestRecord>(
      tx_.Query(std::string("SELECT ") + kRequestColumns + " FROM support_requests WHERE id = ?",
                {id}),
      ToRequest);
}

Result<std::vector<domain::SupportRequestRecord>> SqlSupportRequests::List(
    const std::string& status, int limit) {
  std::string sql = std::string("SELECT ") + kRequestColumns + " FROM support_requests";
  std::vector<Value> params;
  if (!status.empty()) {
    sql += " WHERE status = ?";
    params.emplace_back(status);
  }
  sql += " ORDER BY COALESCE(slot_start, created_at), created_at, id LIMIT ?";
  params.emplace_back(int64_t{limit});
  return All<domain::SupportRequestRecord>(tx_.Query(sql, params), ToRequest);
}

Result<bool> SqlSupportRequests::Claim(const std::string& id, const std::string& by, int64_t at) {
  SC_ASSIGN_OR_RETURN(int64_t n,
                      tx_.Execute("UPDATE support_requests SET status = 'claimed', "
                                  "claimed_by = ?, claimed_at = ?, version = version + 1 "
                                  "WHERE id = ? AND status IN ('waiting', 'booked')",
                                  {by, at, id}));
  return n == 1;
}

Result<bool> SqlSupportRequests::Close(const std::string& id, int64_t at,
                                       const std::string& outcome, const std::string& note_sealed) {
  SC_ASSIGN_OR_RETURN(
      int64_t n,
      tx_.Execute(
          "UPDATE support_requests SET status = 'closed', closed_at = ?, outcome = ?, "
          "note_sealed = ?, version = version + 1 WHERE id = ? AND status = 'claimed'",
          {at, outcome, note_sealed.empty() ? Value(Null{}) : Value(Blob{note_sealed}), id}));
  return n == 1;
}

Result<std::vector<domain::SupportRequestRecord>> SqlSupportRequests::BookedBetween(int64_t from,
                                                                                    int64_t to) {
  return All<domain::SupportRequestRecord>(
      tx_.Query(std::string("SELECT ") + kRequestColumns +
                    " FROM support_requests WHERE slot_start >= ? AND slot_start < ? AND "
                    "status <> 'closed' ORDER BY slot_start, id",
                {from, to}),
      ToRequest);
}

// --- member access ------------------------------------------------------------------------

Status SqlMemberAccess::InsertLink(const std::string& token_hash, const std::string& email_index,
                                   int64_t created_at, int64_t expires_at) {
  return Done(
      tx_.Execute("INSERT INTO member_links (token_hash, email_index, created_at, "
                  "expires_at) VALUES (?, ?, ?, ?)",
                  {token_hash, email_index, created_at, expires_at}));
}

Result<int64_t> SqlMemberAccess::CountLinksSince(const std::string& email_index, int64_t since) {
  SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT COUNT(*) FROM member_links WHERE "
                                           "email_index = ? AND created_at >= ?",
                                           {email_index, since}));
  return rows.empty() ? 0 : rows.rows[0].Int(0).value_or(0);
}

Result<std::optional<std::string>> SqlMemberAccess::ConsumeLink(const std::string& token_hash,
                                                                int64_t now) {
  // One conditional UPDATE: of two racing requests, only one changes the row.
  SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("UPDATE member_links SET used_at = ? WHERE "
                                           "token_hash = ? AND used_at IS NULL AND "
                                           "expires_at > ? RETURNING email_index",
                                           {now, token_hash, now}));
  if (rows.empty()) return std::optional<std::string>();
  return rows.rows[0].Text(0);
}

Status SqlMemberAccess::InsertSession(const std::string& id_hash, const std::string& email_index,
                                      int64_t created_at, int64_t expires_at) {
  return Done(
      tx_.Execute("INSERT INTO member_sessions (id_hash, email_index, created_at, "
                  "expires_at) VALUES (?, ?, ?, ?)",
                  {id_hash, email_index, created_at, expires_at}));
}

Result<std::optional<std::string>> SqlMemberAccess::FindSession(const std::string& id_hash,
                                                                int64_t now) {
  SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT email_index FROM member_sessions WHERE "
                                           "id_hash = ? AND expires_at > ?",
                                           {id_hash, now}));
  if (rows.empty()) return std::optional<std::string>();
  return rows.rows[0].Text(0);
}

Status SqlMemberAccess::DeleteSession(const std::string& id_hash) {
  return Done(tx_.Execute("DELETE FROM member_sessions WHERE id_hash = ?", {id_hash}));
}

}  // namespace soundcheck::storage
