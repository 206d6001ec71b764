// In-memory implementations of every repository port, for testing domain rules without a
// database. A Run() works on a copy of the state and keeps it only when `fn` succeeds, so
// rollback behaves like a real transaction. Thread-safe (runs are serialised).
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

#include "domain/testing/memory_directory_repository.h"
#include "domain/testing/memory_mail_repository.h"
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
  std::vector<CarePlanRecord> care_plans;
  std::vector<CareProfileRecord> care_profiles;
  std::vector<TaskRecord> tasks;
  std::vector<EventRecord> events;
  std::map<std::string, int64_t> reminded;  // task id → when its reminder went out
  std::map<std::string, StaffProfileRecord> staff;
  std::map<std::string, ShiftRecord> shifts;
  std::map<std::string, AlertRecord> alerts;
  std::map<std::string, SupportRequestRecord> support;
  std::vector<CaseLinkRecord> case_links;
  struct MemberLink {
    std::string email_index;
    int64_t created_at = 0, expires_at = 0;
    std::optional<int64_t> used_at;
  };
  std::map<std::string, MemberLink> member_links;
  std::map<std::string, std::pair<std::string, int64_t>> member_sessions;  // → (index, expiry)
  MemoryMailState mail;
  MemoryDirectoryState directory;
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
  Result<std::vector<PersonRecord>> FindByEmailIndex(const std::string& index) override {
    std::vector<PersonRecord> out;
    for (const auto& [id, p] : s_.people)
      if (!index.empty() && p.email_index == index) out.push_back(p);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
    return out;
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
  Result<std::vector<StatusCount>> CountByStatus(
      const std::optional<std::string>& visible_to) override {
    std::map<std::pair<std::string, bool>, int64_t> n;
    for (const auto& [id, c] : s_.cases) {
      if (visible_to && c.assigned_to && *c.assigned_to != *visible_to) continue;
      ++n[{c.status, c.urgent}];
    }
    std::vector<StatusCount> out;
    for (const auto& [k, v] : n) out.push_back({k.first, k.second, v});
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
  Result<std::optional<CaseRecord>> FindByReference(const std::string& ref) override {
    for (const auto& [id, c] : s_.cases)
      if (c.reference == ref) return std::optional(c);
    return std::optional<CaseRecord>();
  }
  Result<std::vector<CaseRecord>> ForPerson(const std::string& person_id) override {
    std::vector<CaseRecord> out;
    for (const auto& [id, c] : s_.cases)
      if (c.person_id == person_id) out.push_back(c);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
    });
    return out;
  }
  Status InsertLink(const CaseLinkRecord& l) override {
    for (const auto& x : s_.case_links) {
      if (x.case_id == l.case_id && x.linked_case_id == l.linked_case_id) {
        return core::Error::Conflict("linked already");
      }
    }
    s_.case_links.push_back(l);
    return core::Ok();
  }
  Result<std::vector<CaseLinkRecord>> Links(const std::string& case_id) override {
    std::vector<CaseLinkRecord> out;
    for (auto l : s_.case_links) {
      if (l.linked_case_id == case_id) std::swap(l.case_id, l.linked_case_id);
      if (l.case_id == case_id) out.push_back(l);
    }
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

class MemoryCarePlans final : public CarePlanRepository {
 public:
  explicit MemoryCarePlans(MemoryState& s) : s_(s) {}
  Status Insert(const CarePlanRecord& p) override {
    for (const auto& o : s_.care_plans) {
      if (o.case_id == p.case_id && o.version == p.version) {
        return core::Error::Conflict("care plan version");
      }
    }
    s_.care_plans.push_back(p);
    return core::Ok();
  }
  Result<std::optional<CarePlanRecord>> Find(const std::string& case_id, int64_t version) override {
    for (const auto& p : s_.care_plans) {
      if (p.case_id == case_id && p.version == version) return std::optional(p);
    }
    return std::optional<CarePlanRecord>();
  }
  Result<std::optional<CarePlanRecord>> Latest(const std::string& case_id,
                                               bool signed_off_only) override {
    std::optional<CarePlanRecord> best;
    for (const auto& p : s_.care_plans) {
      if (p.case_id != case_id || (signed_off_only && !p.signed_off_at)) continue;
      if (!best || p.version > best->version) best = p;
    }
    return best;
  }
  Result<std::vector<CarePlanRecord>> Versions(const std::string& case_id) override {
    std::vector<CarePlanRecord> out;
    for (auto p : s_.care_plans) {
      if (p.case_id != case_id) continue;
      p.body_sealed.clear();
      out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
  }
  Result<bool> SignOff(const std::string& case_id, int64_t version, const std::string& user_id,
                       int64_t at) override {
    for (auto& p : s_.care_plans) {
      if (p.case_id == case_id && p.version == version && !p.signed_off_at) {
        p.signed_off_by = user_id;
        p.signed_off_at = at;
        return true;
      }
    }
    return false;
  }

 private:
  MemoryState& s_;
};

class MemoryCareProfiles final : public CareProfileRepository {
 public:
  explicit MemoryCareProfiles(MemoryState& s) : s_(s) {}
  Status Insert(const CareProfileRecord& p) override {
    for (const auto& o : s_.care_profiles) {
      if (o.case_id == p.case_id && o.version == p.version) {
        return core::Error::Conflict("care profile version");
      }
    }
    s_.care_profiles.push_back(p);
    return core::Ok();
  }
  Result<std::optional<CareProfileRecord>> Latest(const std::string& case_id) override {
    std::optional<CareProfileRecord> best;
    for (const auto& p : s_.care_profiles) {
      if (p.case_id == case_id && (!best || p.version > best->version)) best = p;
    }
    return best;
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

  Result<std::vector<TaskRecord>> TakeDueForReminder(int64_t until, int64_t now,
                                                     int limit) override {
    std::vector<TaskRecord> out;
    for (auto& t : s_.tasks) {
      if (static_cast<int>(out.size()) >= limit) break;
      if (t.status == "open" && t.due_at <= until && !s_.reminded.contains(t.id)) {
        s_.reminded[t.id] = now;
        out.push_back(t);
      }
    }
    return out;
  }

 private:
  MemoryState& s_;
};

class MemoryEvents final : public EventRepository {
 public:
  explicit MemoryEvents(MemoryState& s) : s_(s) {}
  Result<int64_t> Append(const EventRecord& e) override {
    EventRecord copy = e;
    copy.seq = s_.events.empty() ? 1 : s_.events.back().seq + 1;
    s_.events.push_back(copy);
    return copy.seq;
  }
  Result<std::vector<EventRecord>> ReadAfter(int64_t after, int limit) override {
    std::vector<EventRecord> out;
    for (const auto& e : s_.events) {
      if (e.seq > after && static_cast<int>(out.size()) < limit) out.push_back(e);
    }
    return out;
  }
  Result<int64_t> LastSeq() override { return s_.events.empty() ? 0 : s_.events.back().seq; }

 private:
  MemoryState& s_;
};

class MemoryStaff final : public StaffRepository {
 public:
  explicit MemoryStaff(MemoryState& s) : s_(s) {}
  Result<std::optional<StaffProfileRecord>> FindProfile(const std::string& id) override {
    auto it = s_.staff.find(id);
    if (it == s_.staff.end()) return std::optional<StaffProfileRecord>();
    return std::optional(it->second);
  }
  Status UpsertProfile(const StaffProfileRecord& p) override {
    s_.staff[p.user_id] = p;
    return core::Ok();
  }
  Result<std::vector<StaffProfileRecord>> Profiles() override {
    std::vector<StaffProfileRecord> out;
    for (const auto& [id, p] : s_.staff) out.push_back(p);
    return out;
  }
  Status InsertShift(const ShiftRecord& x) override {
    if (s_.shifts.contains(x.id)) return core::Error::Conflict("shift id");
    s_.shifts[x.id] = x;
    return core::Ok();
  }
  Result<std::optional<ShiftRecord>> FindShift(const std::string& id) override {
    auto it = s_.shifts.find(id);
    if (it == s_.shifts.end()) return std::optional<ShiftRecord>();
    return std::optional(it->second);
  }
  Result<std::vector<ShiftRecord>> Shifts(int64_t from, int64_t to) override {
    std::vector<ShiftRecord> out;
    for (const auto& [id, x] : s_.shifts)
      if (x.ends_at > from && x.starts_at < to) out.push_back(x);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.starts_at, a.id) < std::tie(b.starts_at, b.id);
    });
    return out;
  }
  // Memory runs are serialised already: nothing to lock.
  Result<std::vector<ShiftRecord>> LockShifts(int64_t from, int64_t to) override {
    return Shifts(from, to);
  }
  Result<bool> DeleteShift(const std::string& id) override { return s_.shifts.erase(id) == 1; }
  Result<std::vector<std::pair<std::string, int64_t>>> OpenCaseCounts() override {
    std::map<std::string, int64_t> counts;
    for (const auto& [id, c] : s_.cases)
      if (c.assigned_to && c.status != "closed") ++counts[*c.assigned_to];
    return std::vector<std::pair<std::string, int64_t>>(counts.begin(), counts.end());
  }

 private:
  MemoryState& s_;
};

class MemoryAlerts final : public AlertRepository {
 public:
  explicit MemoryAlerts(MemoryState& s) : s_(s) {}
  Status Insert(const AlertRecord& a) override {
    if (s_.alerts.contains(a.id)) return core::Error::Conflict("alert id");
    s_.alerts[a.id] = a;
    return core::Ok();
  }
  Result<std::optional<AlertRecord>> Find(const std::string& id) override {
    auto it = s_.alerts.find(id);
    if (it == s_.alerts.end()) return std::optional<AlertRecord>();
    return std::optional(it->second);
  }
  Result<std::vector<AlertRecord>> List(bool open_only, int limit) override {
    std::vector<AlertRecord> out;
    for (const auto& [id, a] : s_.alerts)
      if (!open_only || !a.acknowledged_at) out.push_back(a);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.raised_at, a.id) > std::tie(b.raised_at, b.id);
    });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<size_t>(limit));
    return out;
  }
  Result<bool> Acknowledge(const std::string& id, int64_t at, const std::string& by) override {
    auto it = s_.alerts.find(id);
    if (it == s_.alerts.end() || it->second.acknowledged_at) return false;
    it->second.acknowledged_at = at;
    it->second.acknowledged_by = by;
    return true;
  }
  Result<std::vector<AlertRecord>> TakeOverdue(int64_t now, int limit) override {
    std::vector<AlertRecord> out;
    for (auto& [id, a] : s_.alerts) {
      if (static_cast<int>(out.size()) >= limit) break;
      if (!a.acknowledged_at && !a.escalated_at && a.deadline_at <= now) {
        a.escalated_at = now;
        out.push_back(a);
      }
    }
    return out;
  }

 private:
  MemoryState& s_;
};

class MemorySupport final : public SupportRequestRepository {
 public:
  explicit MemorySupport(MemoryState& s) : s_(s) {}
  Status Insert(const SupportRequestRecord& r) override {
    for (const auto& [id, x] : s_.support) {
      if (id == r.id || x.idempotency_key_hash == r.idempotency_key_hash) {
        return core::Error::Conflict("support request key");
      }
    }
    s_.support[r.id] = r;
    return core::Ok();
  }
  Result<std::optional<SupportRequestRecord>> FindByKeyHash(const std::string& h) override {
    for (const auto& [id, x] : s_.support)
      if (x.idempotency_key_hash == h) return std::optional(x);
    return std::optional<SupportRequestRecord>();
  }
  Result<std::optional<SupportRequestRecord>> Find(const std::string& id) override {
    auto it = s_.support.find(id);
    if (it == s_.support.end()) return std::optional<SupportRequestRecord>();
    return std::optional(it->second);
  }
  Result<std::vector<SupportRequestRecord>> List(const std::string& status, int limit) override {
    std::vector<SupportRequestRecord> out;
    for (const auto& [id, x] : s_.support)
      if (status.empty() || x.status == status) out.push_back(x);
    auto key = [](const SupportRequestRecord& x) {
      return std::make_tuple(x.slot_start.value_or(x.created_at), x.created_at, x.id);
    };
    std::sort(out.begin(), out.end(),
              [&](const auto& a, const auto& b) { return key(a) < key(b); });
    if (static_cast<int>(out.size()) > limit) out.resize(static_cast<size_t>(limit));
    return out;
  }
  Result<bool> Claim(const std::string& id, const std::string& by, int64_t at) override {
    auto it = s_.support.find(id);
    if (it == s_.support.end()) return false;
    auto& x = it->second;
    if (x.status != "waiting" && x.status != "booked") return false;
    x.status = "claimed";
    x.claimed_by = by;
    x.claimed_at = at;
    ++x.version;
    return true;
  }
  Result<bool> Close(const std::string& id, int64_t at, const std::string& outcome,
                     const std::string& note_sealed) override {
    auto it = s_.support.find(id);
    if (it == s_.support.end() || it->second.status != "claimed") return false;
    auto& x = it->second;
    x.status = "closed";
    x.closed_at = at;
    x.outcome = outcome;
    x.note_sealed = note_sealed;
    ++x.version;
    return true;
  }
  Result<std::vector<SupportRequestRecord>> BookedBetween(int64_t from, int64_t to) override {
    std::vector<SupportRequestRecord> out;
    for (const auto& [id, x] : s_.support) {
      if (x.slot_start && *x.slot_start >= from && *x.slot_start < to && x.status != "closed") {
        out.push_back(x);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return *a.slot_start < *b.slot_start; });
    return out;
  }

 private:
  MemoryState& s_;
};

class MemoryMembers final : public MemberAccessRepository {
 public:
  explicit MemoryMembers(MemoryState& s) : s_(s) {}
  Status InsertLink(const std::string& h, const std::string& idx, int64_t at,
                    int64_t expires) override {
    if (s_.member_links.contains(h)) return core::Error::Conflict("link");
    s_.member_links[h] = {idx, at, expires, std::nullopt};
    return core::Ok();
  }
  Result<int64_t> CountLinksSince(const std::string& idx, int64_t since) override {
    int64_t n = 0;
    for (const auto& [h, l] : s_.member_links)
      if (l.email_index == idx && l.created_at >= since) ++n;
    return n;
  }
  Result<std::optional<std::string>> ConsumeLink(const std::string& h, int64_t now) override {
    auto it = s_.member_links.find(h);
    if (it == s_.member_links.end() || it->second.used_at || it->second.expires_at <= now) {
      return std::optional<std::string>();
    }
    it->second.used_at = now;
    return std::optional(it->second.email_index);
  }
  Status InsertSession(const std::string& h, const std::string& idx, int64_t,
                       int64_t expires) override {
    s_.member_sessions[h] = {idx, expires};
    return core::Ok();
  }
  Result<std::optional<std::string>> FindSession(const std::string& h, int64_t now) override {
    auto it = s_.member_sessions.find(h);
    if (it == s_.member_sessions.end() || it->second.second <= now) {
      return std::optional<std::string>();
    }
    return std::optional(it->second.first);
  }
  Status DeleteSession(const std::string& h) override {
    s_.member_sessions.erase(h);
    return core::Ok();
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
        care_plans_(s),
        care_profiles_(s),
        tasks_(s),
        events_(s),
        staff_(s),
        alerts_(s),
        support_(s),
        members_(s),
        mail_(s.mail),
        directory_(s.directory) {}
  UserRepository& users() override { return users_; }
  SessionRepository& sessions() override { return sessions_; }
  TokenRepository& tokens() override { return tokens_; }
  AuditRepository& audit() override { return audit_; }
  KeyRepository& keys() override { return keys_; }
  PeopleRepository& people() override { return people_; }
  CaseRepository& cases() override { return cases_; }
  IntakeRepository& intakes() override { return intakes_; }
  NoteRepository& notes() override { return notes_; }
  CarePlanRepository& care_plans() override { return care_plans_; }
  CareProfileRepository& care_profiles() override { return care_profiles_; }
  TaskRepository& tasks() override { return tasks_; }
  EventRepository& events() override { return events_; }
  StaffRepository& staff() override { return staff_; }
  AlertRepository& alerts() override { return alerts_; }
  SupportRequestRepository& support() override { return support_; }
  MemberAccessRepository& members() override { return members_; }
  MailRepository& mail() override { return mail_; }
  directory::DirectoryRepository& directory() override { return directory_; }

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
  MemoryCarePlans care_plans_;
  MemoryCareProfiles care_profiles_;
  MemoryTasks tasks_;
  MemoryEvents events_;
  MemoryStaff staff_;
  MemoryAlerts alerts_;
  MemorySupport support_;
  MemoryMembers members_;
  MemoryMail mail_;
  MemoryDirectory directory_;
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
