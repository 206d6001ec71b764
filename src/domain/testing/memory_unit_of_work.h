// In-memory implementations of every repository port, for testing domain rules without a
// database. A Run() works on a copy of the state and keeps it only when `fn` succeeds, so
// rollback behaves like a real transaction. Thread-safe (runs are serialised).
#pragma once

#include <algorithm>
#include <map>
#include <mutex>

#include "domain/unit_of_work.h"

namespace soundcheck::domain::testing {

struct MemoryState {
  std::map<std::string, accounts::UserRecord> users;
  std::vector<std::pair<std::string, int64_t>> login_failures;
  std::map<std::string, accounts::SessionRecord> sessions;
  std::map<std::string, accounts::TokenRecord> tokens;
  std::map<int64_t, AuditRow> audit;
  AuditHead head;
  std::map<std::string, WrappedKey> keys;
  std::map<std::string, PersonRecord> people;
  std::map<std::string, CaseRecord> cases;
  std::vector<CaseEventRecord> case_events;
  std::map<std::string, IntakeRecord> intakes;
  std::vector<NoteRecord> notes;
  std::vector<TaskRecord> tasks;
};

class MemoryUsers final : public UserRepository {
 public:
  explicit MemoryUsers(MemoryState& s) : s_(s) {}
  Result<std::optional<accounts::UserRecord>> FindById(const std::string& id) override {
    auto it = s_.users.find(id);
    if (it == s_.users.end()) return std::optional<accounts::UserRecord>();
    return std::optional(it->second);
  }
  Result<std::optional<accounts::UserRecord>> FindByEmailIndex(const std::string& idx) override {
    for (const auto& [id, u] : s_.users)
      if (u.email_index == idx) return std::optional(u);
    return std::optional<accounts::UserRecord>();
  }
  Result<std::vector<accounts::UserRecord>> List(const std::string& after, int limit) override {
    std::vector<accounts::UserRecord> out;
    for (auto it = s_.users.upper_bound(after);
         it != s_.users.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(it->second);
    }
    return out;
  }
  Status Insert(const accounts::UserRecord& u) override {
    for (const auto& [id, other] : s_.users) {
      if (other.email_index == u.email_index || id == u.id) {
        return core::Error::Conflict("users unique");
      }
    }
    s_.users[u.id] = u;
    return core::Ok();
  }
  Status Update(const accounts::UserRecord& u, int64_t expected) override {
    auto it = s_.users.find(u.id);
    if (it == s_.users.end() || it->second.version != expected) {
      return core::Error::FailedPrecondition("version");
    }
    auto created = it->second.created_at;
    it->second = u;
    it->second.created_at = created;
    return core::Ok();
  }
  Status SetCredentials(const std::string& id, const std::string& password_hash,
                        const std::string& totp_secret_sealed, bool totp_enrolled) override {
    auto& u = s_.users.at(id);
    u.password_hash = password_hash;
    u.totp_secret_sealed = totp_secret_sealed;
    u.totp_enrolled = totp_enrolled;
    return core::Ok();
  }
  Result<bool> AdvanceTotpStep(const std::string& id, int64_t step) override {
    auto& u = s_.users.at(id);
    if (u.totp_last_step >= step) return false;
    u.totp_last_step = step;
    return true;
  }
  Result<int64_t> Count() override { return static_cast<int64_t>(s_.users.size()); }
  Status RecordLoginFailure(const std::string& user_id, int64_t at) override {
    s_.login_failures.emplace_back(user_id, at);
    return core::Ok();
  }
  Result<int64_t> CountLoginFailuresSince(const std::string& user_id, int64_t since) override {
    return static_cast<int64_t>(
        std::count_if(s_.login_failures.begin(), s_.login_failures.end(),
                      [&](const auto& f) { return f.first == user_id && f.second >= since; }));
  }

 private:
  MemoryState& s_;
};

class MemorySessions final : public SessionRepository {
 public:
  explicit MemorySessions(MemoryState& s) : s_(s) {}
  Status Insert(const accounts::SessionRecord& s) override {
    s_.sessions[s.id_hash] = s;
    return core::Ok();
  }
  Result<std::optional<accounts::SessionRecord>> Find(const std::string& h) override {
    auto it = s_.sessions.find(h);
    if (it == s_.sessions.end()) return std::optional<accounts::SessionRecord>();
    return std::optional(it->second);
  }
  Status Touch(const std::string& h, int64_t at) override {
    if (auto it = s_.sessions.find(h); it != s_.sessions.end()) it->second.last_seen_at = at;
    return core::Ok();
  }
  Status Delete(const std::string& h) override {
    s_.sessions.erase(h);
    return core::Ok();
  }
  Status DeleteForUser(const std::string& user_id) override {
    std::erase_if(s_.sessions, [&](const auto& kv) { return kv.second.user_id == user_id; });
    return core::Ok();
  }
  Status DeleteForUserExcept(const std::string& user_id, const std::string& keep) override {
    std::erase_if(s_.sessions,
                  [&](const auto& kv) { return kv.second.user_id == user_id && kv.first != keep; });
    return core::Ok();
  }

 private:
  MemoryState& s_;
};

class MemoryTokens final : public TokenRepository {
 public:
  explicit MemoryTokens(MemoryState& s) : s_(s) {}
  Status Insert(const accounts::TokenRecord& t) override {
    s_.tokens[t.id] = t;
    return core::Ok();
  }
  Result<std::optional<accounts::TokenRecord>> FindByHash(const std::string& h) override {
    for (const auto& [id, t] : s_.tokens)
      if (t.token_hash == h) return std::optional(t);
    return std::optional<accounts::TokenRecord>();
  }
  Result<std::vector<accounts::TokenRecord>> ListForUser(const std::string& user_id) override {
    std::vector<accounts::TokenRecord> out;
    for (const auto& [id, t] : s_.tokens)
      if (t.user_id == user_id) out.push_back(t);
    return out;
  }
  Status MarkUsed(const std::string& id, int64_t at) override {
    s_.tokens[id].last_used_at = at;
    return core::Ok();
  }
  Result<bool> Revoke(const std::string& user_id, const std::string& id, int64_t at) override {
    auto it = s_.tokens.find(id);
    if (it == s_.tokens.end() || it->second.user_id != user_id || it->second.revoked_at) {
      return false;
    }
    it->second.revoked_at = at;
    return true;
  }

 private:
  MemoryState& s_;
};

class MemoryAudit final : public AuditRepository {
 public:
  explicit MemoryAudit(MemoryState& s) : s_(s) {}
  Result<AuditHead> LockHead() override { return s_.head; }
  Status Append(const AuditRow& row, const AuditHead& head) override {
    s_.audit[row.seq] = row;
    s_.head = head;
    return core::Ok();
  }
  Result<std::optional<AuditHead>> ReadHead() override { return std::optional(s_.head); }
  Result<std::vector<AuditRow>> ReadAfter(int64_t after, int limit) override {
    std::vector<AuditRow> out;
    for (auto it = s_.audit.upper_bound(after);
         it != s_.audit.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

 private:
  MemoryState& s_;
};

class MemoryKeys final : public KeyRepository {
 public:
  explicit MemoryKeys(MemoryState& s) : s_(s) {}
  Result<std::optional<WrappedKey>> Find(const std::string& subject) override {
    auto it = s_.keys.find(subject);
    if (it == s_.keys.end()) return std::optional<WrappedKey>();
    return std::optional(it->second);
  }
  Status Insert(const WrappedKey& k) override {
    if (s_.keys.count(k.subject_id)) return core::Error::Conflict("key exists");
    s_.keys[k.subject_id] = k;
    return core::Ok();
  }
  Result<std::vector<WrappedKey>> All() override {
    std::vector<WrappedKey> out;
    for (const auto& [s, k] : s_.keys) out.push_back(k);
    return out;
  }
  Status Replace(const WrappedKey& k) override {
    s_.keys[k.subject_id] = k;
    return core::Ok();
  }
  Status Delete(const std::string& subject) override {
    s_.keys.erase(subject);
    return core::Ok();
  }

 private:
  MemoryState& s_;
};

class MemoryPeople final : public PeopleRepository {
 public:
  explicit MemoryPeople(MemoryState& s) : s_(s) {}
  Status Insert(const PersonRecord& p) override {
    s_.people[p.id] = p;
    return core::Ok();
  }
  Result<std::optional<PersonRecord>> FindById(const std::string& id) override {
    auto it = s_.people.find(id);
    if (it == s_.people.end()) return std::optional<PersonRecord>();
    return std::optional(it->second);
  }

 private:
  MemoryState& s_;
};

class MemoryCases final : public CaseRepository {
 public:
  explicit MemoryCases(MemoryState& s) : s_(s) {}
  Status Insert(const CaseRecord& c) override {
    for (const auto& [id, other] : s_.cases) {
      if (other.reference == c.reference) return core::Error::Conflict("reference taken");
    }
    s_.cases[c.id] = c;
    return core::Ok();
  }
  Result<std::optional<CaseRecord>> FindById(const std::string& id) override {
    auto it = s_.cases.find(id);
    if (it == s_.cases.end()) return std::optional<CaseRecord>();
    return std::optional(it->second);
  }
  Result<std::vector<CaseRecord>> Query(const CaseQuery& q) override {
    std::vector<CaseRecord> all;
    for (const auto& [id, c] : s_.cases) {
      if (q.status && c.status != *q.status) continue;
      if (q.urgent && c.urgent != *q.urgent) continue;
      if (q.visible_to && c.assigned_to && *c.assigned_to != *q.visible_to) continue;
      all.push_back(c);
    }
    auto key = [](const CaseRecord& c) { return std::make_tuple(!c.urgent, c.created_at, c.id); };
    std::sort(all.begin(), all.end(),
              [&](const auto& a, const auto& b) { return key(a) < key(b); });
    std::vector<CaseRecord> out;
    for (const auto& c : all) {
      if (q.after &&
          key(c) <= std::make_tuple(!q.after->urgent, q.after->created_at, q.after->id)) {
        continue;
      }
      if (static_cast<int>(out.size()) >= q.limit) break;
      out.push_back(c);
    }
    return out;
  }
  Status Update(const CaseRecord& c, int64_t expected) override {
    auto it = s_.cases.find(c.id);
    if (it == s_.cases.end() || it->second.version != expected) {
      return core::Error::FailedPrecondition("version");
    }
    it->second = c;
    return core::Ok();
  }
  Status InsertEvent(const CaseEventRecord& e) override {
    s_.case_events.push_back(e);
    return core::Ok();
  }
  Result<std::vector<CaseEventRecord>> Events(const std::string& case_id) override {
    std::vector<CaseEventRecord> out;
    for (const auto& e : s_.case_events)
      if (e.case_id == case_id) out.push_back(e);
    return out;
  }

 private:
  MemoryState& s_;
};

class MemoryIntakes final : public IntakeRepository {
 public:
  explicit MemoryIntakes(MemoryState& s) : s_(s) {}
  Status Insert(const IntakeRecord& i) override {
    for (const auto& [id, other] : s_.intakes) {
      if (other.idempotency_key_hash == i.idempotency_key_hash) {
        return core::Error::Conflict("idempotency key used");
      }
    }
    s_.intakes[i.id] = i;
    return core::Ok();
  }
  Result<std::optional<IntakeRecord>> FindByKeyHash(const std::string& h) override {
    for (const auto& [id, i] : s_.intakes)
      if (i.idempotency_key_hash == h) return std::optional(i);
    return std::optional<IntakeRecord>();
  }
  Result<std::optional<IntakeRecord>> FindByCase(const std::string& case_id) override {
    for (const auto& [id, i] : s_.intakes)
      if (i.case_id == case_id) return std::optional(i);
    return std::optional<IntakeRecord>();
  }

 private:
  MemoryState& s_;
};

class MemoryNotes final : public NoteRepository {
 public:
  explicit MemoryNotes(MemoryState& s) : s_(s) {}
  Status Insert(const NoteRecord& n) override {
    for (const auto& o : s_.notes) {
      if (o.id == n.id && o.version == n.version) return core::Error::Conflict("note version");
    }
    s_.notes.push_back(n);
    return core::Ok();
  }
  Result<std::vector<NoteRecord>> ForCase(const std::string& case_id) override {
    std::vector<NoteRecord> out;
    for (const auto& n : s_.notes)
      if (n.case_id == case_id) out.push_back(n);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.id, a.version) < std::tie(b.id, b.version);
    });
    return out;
  }

 private:
  MemoryState& s_;
};

class MemoryTasks final : public TaskRepository {
 public:
  explicit MemoryTasks(MemoryState& s) : s_(s) {}
  Status Insert(const TaskRecord& t) override {
    s_.tasks.push_back(t);
    return core::Ok();
  }
  Result<std::vector<TaskRecord>> ForCase(const std::string& case_id) override {
    std::vector<TaskRecord> out;
    for (const auto& t : s_.tasks)
      if (t.case_id == case_id) out.push_back(t);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::make_tuple(a.status != "open", a.due_at, a.id) <
             std::make_tuple(b.status != "open", b.due_at, b.id);
    });
    return out;
  }
  Result<bool> Complete(const std::string& case_id, const std::string& id, int64_t at,
                        const std::string& by) override {
    for (auto& t : s_.tasks) {
      if (t.id == id && t.case_id == case_id && t.status == "open") {
        t.status = "done";
        t.done_at = at;
        t.done_by = by;
        return true;
      }
    }
    return false;
  }

 private:
  MemoryState& s_;
};

class MemoryUnitOfWork final : public UnitOfWork {
 public:
  explicit MemoryUnitOfWork(MemoryState& s)
      : users_(s),
        sessions_(s),
        tokens_(s),
        audit_(s),
        keys_(s),
        people_(s),
        cases_(s),
        intakes_(s),
        notes_(s),
        tasks_(s) {}
  UserRepository& users() override { return users_; }
  SessionRepository& sessions() override { return sessions_; }
  TokenRepository& tokens() override { return tokens_; }
  AuditRepository& audit() override { return audit_; }
  KeyRepository& keys() override { return keys_; }
  PeopleRepository& people() override { return people_; }
  CaseRepository& cases() override { return cases_; }
  IntakeRepository& intakes() override { return intakes_; }
  NoteRepository& notes() override { return notes_; }
  TaskRepository& tasks() override { return tasks_; }

 private:
  MemoryUsers users_;
  MemorySessions sessions_;
  MemoryTokens tokens_;
  MemoryAudit audit_;
  MemoryKeys keys_;
  MemoryPeople people_;
  MemoryCases cases_;
  MemoryIntakes intakes_;
  MemoryNotes notes_;
  MemoryTasks tasks_;
};

class MemoryRunner final : public TransactionRunner {
 public:
  Status Run(const std::function<Status(UnitOfWork&)>& fn) override {
    std::lock_guard lock(mu_);
    MemoryState copy = state_;
    MemoryUnitOfWork uow(copy);
    Status st = fn(uow);
    if (st) state_ = std::move(copy);
    return st;
  }
  Status RunReadOnly(const std::function<Status(UnitOfWork&)>& fn) override {
    std::lock_guard lock(mu_);
    MemoryState copy = state_;  // whatever fn changes is thrown away
    MemoryUnitOfWork uow(copy);
    return fn(uow);
  }
  MemoryState& state() { return state_; }

 private:
  std::mutex mu_;
  MemoryState state_;
};

}  // namespace soundcheck::domain::testing
