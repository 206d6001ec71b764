// The mail outbox port in memory, for domain and delivery tests without a database. Same
// promises as the SQL implementation (storage/repositories/sql_mail_repository.cpp): claims
// are exclusive, and an outcome applies only while its claim holds the row. Used through
// MemoryUnitOfWork, whose runner serialises transactions.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "domain/unit_of_work.h"

namespace soundcheck::domain::testing {

struct MemoryMailState {
  std::map<std::string, MailRecord> rows;
};

class MemoryMail final : public MailRepository {
 public:
  explicit MemoryMail(MemoryMailState& s) : s_(s) {}

  Status Insert(const MailRecord& m) override {
    if (s_.rows.count(m.id)) return core::Error::Conflict("mail_outbox id");
    s_.rows[m.id] = m;
    return core::Ok();
  }
  Result<std::optional<MailRecord>> FindById(const std::string& id) override {
    auto it = s_.rows.find(id);
    if (it == s_.rows.end()) return std::optional<MailRecord>();
    return std::optional<MailRecord>(it->second);
  }
  Result<std::vector<MailRecord>> ClaimDue(int64_t now, int64_t lease_until, int limit) override {
    std::vector<MailRecord*> due;
    for (auto& [id, m] : s_.rows) {
      if (Due(m, now)) due.push_back(&m);
    }
    std::sort(due.begin(), due.end(), [](const MailRecord* a, const MailRecord* b) {
      return std::tie(a->next_attempt_at, a->id) < std::tie(b->next_attempt_at, b->id);
    });
    std::vector<MailRecord> out;
    for (MailRecord* m : due) {
      if (static_cast<int>(out.size()) >= limit) break;
      m->status = "sending";
      m->lease_until = lease_until;
      m->next_attempt_at = lease_until;
      m->attempts += 1;
      out.push_back(*m);
    }
    std::sort(out.begin(), out.end(),
              [](const MailRecord& a, const MailRecord& b) { return a.id < b.id; });
    return out;
  }
  Result<bool> MarkSent(const std::string& id, int attempt, int64_t at) override {
    MailRecord* m = Held(id, attempt);
    if (!m) return false;
    m->status = "sent";
    m->sent_at = at;
    m->lease_until.reset();
    m->last_error.clear();
    m->body_sealed.clear();
    m->attachment_sealed.clear();
    return true;
  }
  Result<bool> Reschedule(const std::string& id, int attempt, int64_t next_attempt_at,
                          const std::string& error) override {
    MailRecord* m = Held(id, attempt);
    if (!m) return false;
    m->status = "pending";
    m->next_attempt_at = next_attempt_at;
    m->lease_until.reset();
    m->last_error = error;
    return true;
  }
  Result<bool> MarkFailed(const std::string& id, int attempt, const std::string& error) override {
    MailRecord* m = Held(id, attempt);
    if (!m) return false;
    m->status = "failed";
    m->lease_until.reset();
    m->last_error = error;
    return true;
  }
  Result<MailCounts> Counts() override {
    MailCounts c;
    for (const auto& [id, m] : s_.rows) {
      if (m.status == "pending") ++c.pending;
      if (m.status == "sending") ++c.sending;
      if (m.status == "sent") ++c.sent;
      if (m.status == "failed") ++c.failed;
    }
    return c;
  }

 private:
  static bool Due(const MailRecord& m, int64_t now) {
    return (m.status == "pending" || m.status == "sending") && m.next_attempt_at <= now;
  }
  MailRecord* Held(const std::string& id, int attempt) {
    auto it = s_.rows.find(id);
    if (it == s_.rows.end() || it->second.status != "sending" || it->second.attempts != attempt) {
      return nullptr;
    }
    return &it->second;
  }
  MemoryMailState& s_;
};

}  // namespace soundcheck::domain::testing
