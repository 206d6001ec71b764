// The repository ports of the domain, grouped into one unit of work: everything a service
// does inside one `TransactionRunner::Run` commits or rolls back together — which is how an
// audit entry always lands in the same transaction as the access it records.
// storage/ implements these; app/ wires them in.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/accounts/model.h"

namespace soundcheck::domain {

using core::Result;
using core::Status;

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual Result<std::optional<accounts::UserRecord>> FindById(const std::string& id) = 0;
  virtual Result<std::optional<accounts::UserRecord>> FindByEmailIndex(const std::string& idx) = 0;
  // Users ordered by id, starting after `after_id` (empty: from the start).
  virtual Result<std::vector<accounts::UserRecord>> List(const std::string& after_id,
                                                         int limit) = 0;
  // kConflict when the email index is taken.
  virtual Status Insert(const accounts::UserRecord& user) = 0;
  // Writes every column if the stored version equals `expected_version`; the record's
  // version is the new one. kFailedPrecondition when someone else changed it first.
  virtual Status Update(const accounts::UserRecord& user, int64_t expected_version) = 0;
  // Sign-in state that is not part of the editable profile, so it never bumps `version`
  // (an admin editing a profile must not get a 412 because its owner signed in).
  virtual Status SetCredentials(const std::string& id, const std::string& password_hash,
                                const std::string& totp_secret_sealed, bool totp_enrolled) = 0;
  // Records a used TOTP step if it is newer than the last one; false when it is not (a
  // replayed code, even from a concurrent request on another node).
  virtual Result<bool> AdvanceTotpStep(const std::string& id, int64_t step) = 0;
  virtual Result<int64_t> Count() = 0;
  // Failed-login bookkeeping for lockout.
  virtual Status RecordLoginFailure(const std::string& user_id, int64_t at) = 0;
  virtual Result<int64_t> CountLoginFailuresSince(const std::string& user_id, int64_t since) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status Insert(const accounts::SessionRecord& session) = 0;
  virtual Result<std::optional<accounts::SessionRecord>> Find(const std::string& id_hash) = 0;
  virtual Status Touch(const std::string& id_hash, int64_t last_seen_at) = 0;
  virtual Status Delete(const std::string& id_hash) = 0;
  virtual Status DeleteForUser(const std::string& user_id) = 0;
  virtual Status DeleteForUserExcept(const std::string& user_id, const std::string& keep_hash) = 0;
};

class TokenRepository {
 public:
  virtual ~TokenRepository() = default;
  virtual Status Insert(const accounts::TokenRecord& token) = 0;
  virtual Result<std::optional<accounts::TokenRecord>> FindByHash(const std::string& hash) = 0;
  virtual Result<std::vector<accounts::TokenRecord>> ListForUser(const std::string& user_id) = 0;
  virtual Status MarkUsed(const std::string& id, int64_t at) = 0;
  // Returns false when no live token of that user has this id.
  virtual Result<bool> Revoke(const std::string& user_id, const std::string& id, int64_t at) = 0;
};

struct AuditRow {
  int64_t seq = 0;
  std::string id;
  int64_t at = 0;
  std::string actor_id;
  std::string actor_role;
  std::string action;
  std::string subject_type;
  std::string subject_id;
  std::string purpose;
  std::string outcome;
  std::string request_id;
  std::string prev_hash;
  std::string hash;
};

struct AuditHead {
  int64_t seq = 0;   // seq of the last entry (0: empty log)
  std::string hash;  // hash of the last entry
  std::string mac;   // keyed MAC over (seq, hash): catches truncation at the end
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Locks the head for the rest of the transaction (serialises appends across nodes).
  virtual Result<AuditHead> LockHead() = 0;
  virtual Status Append(const AuditRow& row, const AuditHead& new_head) = 0;
  virtual Result<std::optional<AuditHead>> ReadHead() = 0;
  // Entries with seq > after_seq in seq order, at most `limit`.
  virtual Result<std::vector<AuditRow>> ReadAfter(int64_t after_seq, int limit) = 0;
};

struct WrappedKey {
  std::string subject_id;
  std::string wrapped;
  std::string master_key_id;
  int version = 1;
};

class KeyRepository {
 public:
  virtual ~KeyRepository() = default;
  virtual Result<std::optional<WrappedKey>> Find(const std::string& subject_id) = 0;
  // kConflict when the subject already has a key (a concurrent writer won; re-read).
  virtual Status Insert(const WrappedKey& key) = 0;
  virtual Result<std::vector<WrappedKey>> All() = 0;
  virtual Status Replace(const WrappedKey& key) = 0;
  // Crypto-shredding: the subject's sealed values can never be opened again.
  virtual Status Delete(const std::string& subject_id) = 0;
};

// People who reach out (members and family members). Sealed columns are opaque bytes.
struct PersonRecord {
  std::string id;
  std::string preferred_name_sealed;
  std::string contact_sealed;  // JSON of how to reach them and what is safe, sealed
  std::string language;
  int64_t created_at = 0;
};

struct CaseRecord {
  std::string id;
  std::string reference;  // "SC-XXXX-XXXX", safe to show the member
  std::string person_id;
  std::string status;  // new | contacted | assessing | planning | active | closed
  bool urgent = false;
  std::optional<std::string> assigned_to;
  std::string country;
  std::string region;
  std::string industry_role;
  std::string requests;  // comma-separated request kinds
  std::string src;       // attribution: venue code, partner app, program code
  int64_t first_contact_due_at = 0;
  std::optional<int64_t> first_contact_at;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct IntakeRecord {
  std::string id;
  std::string person_id;
  std::string case_id;
  std::string idempotency_key_hash;
  std::string request_hash;  // what was asked the first time, to refuse a reused key
  std::string answers_sealed;
  std::string screenings_sealed;
  std::string response;  // the first answer, replayed on a retry (no personal data)
  int64_t created_at = 0;
};

struct CaseEventRecord {
  std::string id;
  std::string case_id;
  int64_t at = 0;
  std::string actor_id;
  std::string type;    // "case.created", "case.status", ...
  std::string detail;  // short, no personal data
};

// The queue order: urgent first, then oldest; the cursor is the last row's position.
struct CaseQuery {
  std::optional<std::string> status;
  std::optional<bool> urgent;
  // Visibility: all cases, or those assigned to `visible_to` plus unassigned ones.
  std::optional<std::string> visible_to;
  struct Position {
    bool urgent = false;
    int64_t created_at = 0;
    std::string id;
  };
  std::optional<Position> after;
  int limit = 50;
};

struct NoteRecord {
  std::string id;
  int64_t version = 1;
  std::string case_id;
  std::string body_sealed;
  std::string author_id;
  int64_t created_at = 0;
};

class NoteRepository {
 public:
  virtual ~NoteRepository() = default;
  // kConflict when (id, version) exists: someone else saved that version first.
  virtual Status Insert(const NoteRecord& note) = 0;
  // Every version of every note on the case, by note then version.
  virtual Result<std::vector<NoteRecord>> ForCase(const std::string& case_id) = 0;
};

struct TaskRecord {
  std::string id;
  std::string case_id;
  std::string title_sealed;
  int64_t due_at = 0;
  std::string status;  // open | done
  std::string created_by;
  int64_t created_at = 0;
  std::optional<int64_t> done_at;
  std::optional<std::string> done_by;
};

class TaskRepository {
 public:
  virtual ~TaskRepository() = default;
  virtual Status Insert(const TaskRecord& task) = 0;
  // Tasks of the case, open first, then by due time.
  virtual Result<std::vector<TaskRecord>> ForCase(const std::string& case_id) = 0;
  // Marks an open task done; false when it was not open (already done, or not on this case).
  virtual Result<bool> Complete(const std::string& case_id, const std::string& id, int64_t at,
                                const std::string& by) = 0;
};

class PeopleRepository {
 public:
  virtual ~PeopleRepository() = default;
  virtual Status Insert(const PersonRecord& person) = 0;
  virtual Result<std::optional<PersonRecord>> FindById(const std::string& id) = 0;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  virtual Status Insert(const CaseRecord& c) = 0;
  virtual Result<std::optional<CaseRecord>> FindById(const std::string& id) = 0;
  virtual Result<std::vector<CaseRecord>> Query(const CaseQuery& query) = 0;
  // Writes status, assignment, first contact and version if the stored version equals
  // `expected_version`; kFailedPrecondition otherwise.
  virtual Status Update(const CaseRecord& c, int64_t expected_version) = 0;
  virtual Status InsertEvent(const CaseEventRecord& event) = 0;
  virtual Result<std::vector<CaseEventRecord>> Events(const std::string& case_id) = 0;
};

class IntakeRepository {
 public:
  virtual ~IntakeRepository() = default;
  // kConflict when the idempotency key was used already (a concurrent retry won).
  virtual Status Insert(const IntakeRecord& intake) = 0;
  virtual Result<std::optional<IntakeRecord>> FindByKeyHash(const std::string& key_hash) = 0;
  virtual Result<std::optional<IntakeRecord>> FindByCase(const std::string& case_id) = 0;
};

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  virtual UserRepository& users() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual TokenRepository& tokens() = 0;
  virtual AuditRepository& audit() = 0;
  virtual KeyRepository& keys() = 0;
  virtual PeopleRepository& people() = 0;
  virtual CaseRepository& cases() = 0;
  virtual IntakeRepository& intakes() = 0;
  virtual NoteRepository& notes() = 0;
  virtual TaskRepository& tasks() = 0;
};

class TransactionRunner {
 public:
  virtual ~TransactionRunner() = default;
  // Runs `fn` in one transaction; commits when it returns ok. May run `fn` again on a
  // transient conflict, so `fn` keeps its effects inside the unit of work. Thread-safe.
  virtual Status Run(const std::function<Status(UnitOfWork&)>& fn) = 0;
  // A read-only unit of work: may run beside other readers (SQLite's reader pool, a
  // PostgreSQL READ ONLY transaction); any write in `fn` fails. Thread-safe.
  virtual Status RunReadOnly(const std::function<Status(UnitOfWork&)>& fn) = 0;
};

}  // namespace soundcheck::domain
