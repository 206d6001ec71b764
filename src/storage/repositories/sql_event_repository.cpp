#include "storage/repositories/sql_event_repository.h"

namespace soundcheck::storage {

Result<int64_t> SqlEvents::Append(const domain::EventRecord& e) {
  // The UPDATE takes event_head's row lock until commit: concurrent writers (other
  // connections, other nodes) queue here, so sequence order is commit order.
  SC_ASSIGN_OR_RETURN(Rows rows,
                      tx_.Query("UPDATE event_head SET seq = seq + 1 WHERE id = 1 RETURNING seq"));
  if (rows.empty()) return core::Error::Internal("event_head row missing");
  int64_t seq = rows.rows[0].Int(0).value_or(0);
  auto r = tx_.Execute(
      "INSERT INTO events (seq, at, type, subject_type, subject_id, audience, data) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {seq, e.at, e.type, e.subject_type, e.subject_id, e.audience, e.data});
  if (!r) return std::move(r).error();
  if (tx_.dialect() == Dialect::kPostgres) {
    // Transactional: PostgreSQL delivers it to every listening node only if this commits.
    SC_ASSIGN_OR_RETURN(
        Rows ignored,
        tx_.Query("SELECT pg_notify(?, ?)", {std::string(kEventsChannel), std::to_string(seq)}));
    (void)ignored;
  }
  appended_ = true;
  return seq;
}

Result<std::vector<domain::EventRecord>> SqlEvents::ReadAfter(int64_t after_seq, int limit) {
  SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT seq, at, type, subject_type, subject_id, "
                                           "audience, data FROM events WHERE seq > ? "
                                           "ORDER BY seq LIMIT ?",
                                           {after_seq, int64_t{limit}}));
  std::vector<domain::EventRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0).value_or(0), r.Int(1).value_or(0), r.Text(2).value_or(""),
                   r.Text(3).value_or(""), r.Text(4).value_or(""), r.Text(5).value_or(""),
                   r.Text(6).value_or("")});
  }
  return out;
}

Result<int64_t> SqlEvents::LastSeq() {
  SC_ASSIGN_OR_RETURN(Rows rows, tx_.Query("SELECT seq FROM event_head WHERE id = 1"));
  if (rows.empty()) return int64_t{0};
  return rows.rows[0].Int(0).value_or(0);
}

}  // namespace soundcheck::storage
