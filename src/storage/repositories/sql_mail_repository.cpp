#include "storage/repositories/sql_mail_repository.h"

#include <algorithm>

namespace soundcheck::storage {
namespace {

using domain::MailRecord;

constexpr const char* kColumns =
    "id, created_at, subject_id, to_sealed, subject, body_sealed, attachment_sealed, template, "
    "language, status, attempts, next_attempt_at, lease_until, last_error, sent_at";

Value OptInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

MailRecord ToMail(const Row& r) {
  MailRecord m;
  m.id = r.Text(0).value_or("");
  m.created_at = r.Int(1).value_or(0);
  m.subject_id = r.Text(2).value_or("");
  m.to_sealed = r.Bytes(3).value_or("");
  m.subject = r.Text(4).value_or("");
  m.body_sealed = r.Bytes(5).value_or("");
  m.attachment_sealed = r.Bytes(6).value_or("");
  m.template_key = r.Text(7).value_or("");
  m.language = r.Text(8).value_or("");
  m.status = r.Text(9).value_or("");
  m.attempts = static_cast<int>(r.Int(10).value_or(0));
  m.next_attempt_at = r.Int(11).value_or(0);
  m.lease_until = r.Int(12);
  m.last_error = r.Text(13).value_or("");
  m.sent_at = r.Int(14);
  return m;
}

Result<bool> OneRowChanged(Result<int64_t> r) {
  if (!r) return std::move(r).error();
  return *r == 1;
}

}  // namespace

Status SqlMail::Insert(const MailRecord& m) {
  auto r = tx_.Execute(
      std::string("INSERT INTO mail_outbox (") + kColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.id, m.created_at, m.subject_id, Blob{m.to_sealed}, m.subject, Blob{m.body_sealed},
       m.attachment_sealed.empty() ? Value(Null{}) : Value(Blob{m.attachment_sealed}),
       m.template_key, m.language, m.status, int64_t{m.attempts}, m.next_attempt_at,
       OptInt(m.lease_until), m.last_error, OptInt(m.sent_at)});
  if (!r) return std::move(r).error();
  return core::Ok();
}

Result<std::optional<MailRecord>> SqlMail::FindById(const std::string& id) {
  SC_ASSIGN_OR_RETURN(
      Rows rows,
      tx_.Query(std::string("SELECT ") + kColumns + " FROM mail_outbox WHERE id = ?", {id}));
  if (rows.empty()) return std::optional<MailRecord>();
  return std::optional<MailRecord>(ToMail(rows.rows[0]));
}

Result<std::vector<MailRecord>> SqlMail::ClaimDue(int64_t now, int64_t lease_until, int limit) {
  // One statement: pick the due rows (on PostgreSQL locking them and skipping rows another
  // transaction is claiming, so concurrent claimers take disjoint sets instead of queueing),
  // then claim each with a conditional UPDATE. The pick is a MATERIALIZED CTE so it runs
  // exactly once: as a plain IN (subquery) PostgreSQL may re-run it per row and, seeing the
  // rows just claimed as no longer due, claim more than `limit`. The repeated due condition
  // makes the claim safe even where no row lock was taken: under READ COMMITTED PostgreSQL
  // re-checks it against the latest committed row, and SQLite runs one writer at a time.
  const std::string skip_locked =
      tx_.dialect() == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  SC_ASSIGN_OR_RETURN(
      Rows rows,
      tx_.Query(std::string("WITH due(due_id) AS MATERIALIZED (SELECT id FROM mail_outbox "
                            "WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? "
                            "ORDER BY next_attempt_at, id LIMIT ?") +
                    skip_locked +
                    ") UPDATE mail_outbox SET status = 'sending', lease_until = ?, "
                    "next_attempt_at = ?, attempts = attempts + 1 "
                    "WHERE id IN (SELECT due_id FROM due) "
                    "AND status IN ('pending', 'sending') AND next_attempt_at <= ? "
                    "RETURNING " +
                    kColumns,
                {now, int64_t{limit}, lease_until, lease_until, now}));
  std::vector<MailRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(ToMail(r));
  // RETURNING has no order; hand rows out oldest first (ids are UUIDv7).
  std::sort(out.begin(), out.end(),
            [](const MailRecord& a, const MailRecord& b) { return a.id < b.id; });
  return out;
}

Result<bool> SqlMail::MarkSent(const std::string& id, int attempt, int64_t at) {
  return OneRowChanged(
      tx_.Execute("UPDATE mail_outbox SET status = 'sent', sent_at = ?, lease_until = NULL, "
                  "last_error = '', body_sealed = ?, attachment_sealed = NULL "
                  "WHERE id = ? AND status = 'sending' AND attempts = ?",
                  {at, Blob{""}, id, int64_t{attempt}}));
}

Result<bool> SqlMail::Reschedule(const std::string& id, int attempt, int64_t next_attempt_at,
                                 const std::string& error) {
  return OneRowChanged(
      tx_.Execute("UPDATE mail_outbox SET status = 'pending', next_attempt_at = ?, "
                  "lease_until = NULL, last_error = ? "
                  "WHERE id = ? AND status = 'sending' AND attempts = ?",
                  {next_attempt_at, error, id, int64_t{attempt}}));
}

Result<bool> SqlMail::MarkFailed(const std::string& id, int attempt, const std::string& error) {
  return OneRowChanged(
      tx_.Execute("UPDATE mail_outbox SET status = 'failed', lease_until = NULL, last_error = ? "
                  "WHERE id = ? AND status = 'sending' AND attempts = ?",
                  {error, id, int64_t{attempt}}));
}

Result<domain::MailCounts> SqlMail::Counts() {
  SC_ASSIGN_OR_RETURN(Rows rows,
                      tx_.Query("SELECT status, COUNT(*) FROM mail_outbox GROUP BY status"));
  domain::MailCounts c;
  for (const auto& r : rows.rows) {
    std::string status = r.Text(0).value_or("");
    int64_t n = r.Int(1).value_or(0);
    if (status == "pending") c.pending = n;
    if (status == "sending") c.sending = n;
    if (status == "sent") c.sent = n;
    if (status == "failed") c.failed = n;
  }
  return c;
}

}  // namespace soundcheck::storage
