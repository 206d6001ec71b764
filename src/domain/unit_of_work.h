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
#include "domain/directory/directory_repository.h"

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
  std::string email_index;  // keyed blind index of the email they gave; empty: none
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

// One version of a case's care plan (domain/care_plans): the document (goals and items)
// sealed under the person's data key. Versions are never edited: a save adds the next one.
struct CarePlanRecord {
  std::string case_id;
  int64_t version = 1;
  std::string body_sealed;
  std::string author_id;
  int64_t created_at = 0;
  std::optional<std::string> signed_off_by;  // a supervisor
  std::optional<int64_t> signed_off_at;
};

class CarePlanRepository {
 public:
  virtual ~CarePlanRepository() = default;
  // kConflict when (case_id, version) exists: someone else saved that version first.
  virtual Status Insert(const CarePlanRecord& plan) = 0;
  virtual Result<std::optional<CarePlanRecord>> Find(const std::string& case_id,
                                                     int64_t version) = 0;
  // The newest version; with `signed_off_only`, the newest one a supervisor signed off.
  virtual Result<std::optional<CarePlanRecord>> Latest(const std::string& case_id,
                                                       bool signed_off_only) = 0;
  // Every version, oldest first, without their bodies (body_sealed left empty).
  virtual Result<std::vector<CarePlanRecord>> Versions(const std::string& case_id) = 0;
  // Records a supervisor's sign-off; false when that version does not exist or is signed.
  virtual Result<bool> SignOff(const std::string& case_id, int64_t version,
                               const std::string& user_id, int64_t at) = 0;
};

// One version of a case's care profile (domain/care_profiles): the person's facts for
// matching, as a JSON object sealed under their data key. A save adds the next version.
struct CareProfileRecord {
  std::string case_id;
  int64_t version = 1;
  std::string body_sealed;
  std::string author_id;
  int64_t created_at = 0;
};

class CareProfileRepository {
 public:
  virtual ~CareProfileRepository() = default;
  // kConflict when (case_id, version) exists: someone else saved that version first.
  virtual Status Insert(const CareProfileRecord& profile) = 0;
  // The newest version; nullopt when none was saved.
  virtual Result<std::optional<CareProfileRecord>> Latest(const std::string& case_id) = 0;
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
  // Open tasks due by `until` whose reminder has not gone out: marks them reminded at `now`
  // and returns them. Each task is returned once, whichever node asks.
  virtual Result<std::vector<TaskRecord>> TakeDueForReminder(int64_t until, int64_t now,
                                                             int limit) = 0;
};

class PeopleRepository {
 public:
  virtual ~PeopleRepository() = default;
  virtual Status Insert(const PersonRecord& person) = 0;
  virtual Result<std::optional<PersonRecord>> FindById(const std::string& id) = 0;
  // Everyone who gave this email (a person may have come more than once), oldest first.
  virtual Result<std::vector<PersonRecord>> FindByEmailIndex(const std::string& index) = 0;
};

// Single-use status links and member sessions, stored as token hashes.
class MemberAccessRepository {
 public:
  virtual ~MemberAccessRepository() = default;
  virtual Status InsertLink(const std::string& token_hash, const std::string& email_index,
                            int64_t created_at, int64_t expires_at) = 0;
  // Links made for this email since `since` (to cap how many anyone can ask for).
  virtual Result<int64_t> CountLinksSince(const std::string& email_index, int64_t since) = 0;
  // Marks the link used if it is unused and unexpired at `now`, returning its email index;
  // nullopt otherwise. A link works once, even when two requests race.
  virtual Result<std::optional<std::string>> ConsumeLink(const std::string& token_hash,
                                                         int64_t now) = 0;
  virtual Status InsertSession(const std::string& id_hash, const std::string& email_index,
                               int64_t created_at, int64_t expires_at) = 0;
  // The email index of a session live at `now`.
  virtual Result<std::optional<std::string>> FindSession(const std::string& id_hash,
                                                         int64_t now) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
};

// A family member's case linked to the industry person's case (both directions).
struct CaseLinkRecord {
  std::string case_id;
  std::string linked_case_id;
  std::string relationship;
  std::string created_by;
  int64_t created_at = 0;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  virtual Status Insert(const CaseRecord& c) = 0;
  virtual Result<std::optional<CaseRecord>> FindById(const std::string& id) = 0;
  virtual Result<std::vector<CaseRecord>> Query(const CaseQuery& query) = 0;
  // How many cases there are per (status, urgent), of those `visible_to` sees (all when
  // unset): the queue's counts, whatever page is shown.
  struct StatusCount {
    std::string status;
    bool urgent = false;
    int64_t count = 0;
  };
  virtual Result<std::vector<StatusCount>> CountByStatus(
      const std::optional<std::string>& visible_to) = 0;
  // Writes status, assignment, first contact and version if the stored version equals
  // `expected_version`; kFailedPrecondition otherwise.
  virtual Status Update(const CaseRecord& c, int64_t expected_version) = 0;
  virtual Status InsertEvent(const CaseEventRecord& event) = 0;
  virtual Result<std::vector<CaseEventRecord>> Events(const std::string& case_id) = 0;
  virtual Result<std::optional<CaseRecord>> FindByReference(const std::string& reference) = 0;
  // The cases of one person, newest first.
  virtual Result<std::vector<CaseRecord>> ForPerson(const std::string& person_id) = 0;
  // kConflict when the two cases are linked already.
  virtual Status InsertLink(const CaseLinkRecord& link) = 0;
  // Links from or to the case, each seen from `case_id` (linked_case_id is the other one).
  virtual Result<std::vector<CaseLinkRecord>> Links(const std::string& case_id) = 0;
};

class IntakeRepository {
 public:
  virtual ~IntakeRepository() = default;
  // kConflict when the idempotency key was used already (a concurrent retry won).
  virtual Status Insert(const IntakeRecord& intake) = 0;
  virtual Result<std::optional<IntakeRecord>> FindByKeyHash(const std::string& key_hash) = 0;
  virtual Result<std::optional<IntakeRecord>> FindByCase(const std::string& case_id) = 0;
};

// One entry of the event log behind live updates. Carries ids and flags only — never
// personal data — so it can be stored in the clear and fanned out to many consoles.
struct EventRecord {
  int64_t seq = 0;  // assigned by Append: 1, 2, 3, … in commit order
  int64_t at = 0;
  std::string type;          // "case.created", "alert.raised", …
  std::string subject_type;  // "case", "alert", "support_request", "user"
  std::string subject_id;
  // Who may receive it: space-separated "role:<role>" and "user:<id>" tokens.
  std::string audience;
  std::string data;  // a small JSON object
};

class EventRepository {
 public:
  virtual ~EventRepository() = default;
  // Appends the event with the next sequence number and returns it. Holds the sequence lock
  // until the transaction ends, so events become visible in sequence order (a reader that
  // has seen seq N has seen every event before it).
  virtual Result<int64_t> Append(const EventRecord& event) = 0;
  // Events with seq > after_seq in seq order, at most `limit`.
  virtual Result<std::vector<EventRecord>> ReadAfter(int64_t after_seq, int limit) = 0;
  // The highest committed seq (0: none yet).
  virtual Result<int64_t> LastSeq() = 0;
};

// One message in the mail outbox (migration 0006). Enqueued in the transaction of the
// change that causes it, so a rolled-back change sends nothing; the delivery job sends it
// later. The recipient, body and attachment are sealed under `subject_id`'s data key; the
// subject line is plain and never carries personal data.
struct MailRecord {
  std::string id;
  int64_t created_at = 0;
  std::string subject_id;  // whose data key seals the row: a person's or a staff user's id
  std::string to_sealed;
  std::string subject;
  std::string body_sealed;
  std::string attachment_sealed;       // empty: no attachment
  std::string template_key;            // "mail.status_link"
  std::string language;                // "en" | "es"
  std::string status;                  // pending | sending | sent | failed
  int attempts = 0;                    // claims so far; a claim is identified by (id, attempts)
  int64_t next_attempt_at = 0;         // when due: the retry time, or while sending the
                                       // lease's end (so one index serves the pick query)
  std::optional<int64_t> lease_until;  // while status is sending
  std::string last_error;              // engine or SMTP code only, never an address
  std::optional<int64_t> sent_at;
};

struct MailCounts {
  int64_t pending = 0;
  int64_t sending = 0;
  int64_t sent = 0;
  int64_t failed = 0;
};

class MailRepository {
 public:
  virtual ~MailRepository() = default;
  // Adds the row as given (MailService enqueues it pending). kConflict when the id exists.
  virtual Status Insert(const MailRecord& mail) = 0;
  virtual Result<std::optional<MailRecord>> FindById(const std::string& id) = 0;
  // Claims up to `limit` due rows — pending with next_attempt_at <= now, or sending with an
  // expired lease (a node died mid-send) — oldest due first: each becomes `sending` with
  // `lease_until` and attempts + 1, and is returned as claimed. A row another transaction
  // claimed first is skipped, never returned twice (on PostgreSQL the candidates are read
  // FOR UPDATE SKIP LOCKED and every claim is a conditional UPDATE). Returned in id order.
  virtual Result<std::vector<MailRecord>> ClaimDue(int64_t now, int64_t lease_until, int limit) = 0;
  // The outcome of the claim (id, attempt). Each returns false, changing nothing, when that
  // claim no longer holds the row (its lease expired and another claim took it over).
  // MarkSent also drops the sealed body and attachment: once sent they are not kept.
  virtual Result<bool> MarkSent(const std::string& id, int attempt, int64_t at) = 0;
  // Back to pending, due at `next_attempt_at`.
  virtual Result<bool> Reschedule(const std::string& id, int attempt, int64_t next_attempt_at,
                                  const std::string& error) = 0;
  virtual Result<bool> MarkFailed(const std::string& id, int attempt, const std::string& error) = 0;
  virtual Result<MailCounts> Counts() = 0;
};

// Staff on the front line: duty status, languages and regions (for assignment
// suggestions). A user without a profile row is off duty with no languages or regions.
struct StaffProfileRecord {
  std::string user_id;
  bool on_duty = false;
  std::optional<int64_t> duty_since;
  std::string languages;  // comma-separated ISO 639-1 codes
  std::string regions;    // comma-separated "US-TN" style codes
  int64_t updated_at = 0;
};

// One rota shift: an interval in UTC, entered in (and shown with) a time zone.
struct ShiftRecord {
  std::string id;
  std::string user_id;
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  std::string time_zone;
  std::string created_by;
  int64_t created_at = 0;
};

class StaffRepository {
 public:
  virtual ~StaffRepository() = default;
  virtual Result<std::optional<StaffProfileRecord>> FindProfile(const std::string& user_id) = 0;
  virtual Status UpsertProfile(const StaffProfileRecord& profile) = 0;
  virtual Result<std::vector<StaffProfileRecord>> Profiles() = 0;
  virtual Status InsertShift(const ShiftRecord& shift) = 0;
  virtual Result<std::optional<ShiftRecord>> FindShift(const std::string& id) = 0;
  // Shifts overlapping [from, to), by start time.
  virtual Result<std::vector<ShiftRecord>> Shifts(int64_t from, int64_t to) = 0;
  // The same, locking those shifts until the transaction ends: two bookings of the last
  // place in a slot then run one after the other (PostgreSQL; SQLite writers already do).
  virtual Result<std::vector<ShiftRecord>> LockShifts(int64_t from, int64_t to) = 0;
  virtual Result<bool> DeleteShift(const std::string& id) = 0;
  // Open (not closed) cases per assignee.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> OpenCaseCounts() = 0;
};

// An urgent case waiting for a human to acknowledge it.
struct AlertRecord {
  std::string id;
  std::string case_id;
  int64_t raised_at = 0;
  int64_t deadline_at = 0;
  std::optional<int64_t> acknowledged_at;
  std::optional<std::string> acknowledged_by;
  std::optional<int64_t> escalated_at;
};

class AlertRepository {
 public:
  virtual ~AlertRepository() = default;
  virtual Status Insert(const AlertRecord& alert) = 0;
  virtual Result<std::optional<AlertRecord>> Find(const std::string& id) = 0;
  // Newest first; only unacknowledged ones when `open_only`.
  virtual Result<std::vector<AlertRecord>> List(bool open_only, int limit) = 0;
  // False when it was acknowledged already (the first acknowledgement stands).
  virtual Result<bool> Acknowledge(const std::string& id, int64_t at, const std::string& by) = 0;
  // Marks unacknowledged, unescalated alerts past their deadline as escalated at `now` and
  // returns them. Each alert is returned by exactly one caller, even across nodes.
  virtual Result<std::vector<AlertRecord>> TakeOverdue(int64_t now, int limit) = 0;
};

// "Talk to someone now": a call-back request, or a booked call out of hours.
struct SupportRequestRecord {
  std::string id;
  std::string idempotency_key_hash;
  std::string request_hash;
  std::string status;  // waiting | booked | claimed | closed
  std::string language;
  std::string country;
  std::string time_zone;
  std::optional<int64_t> slot_start;
  std::optional<int64_t> slot_end;
  std::string details_sealed;  // name, phone, voicemail, email, case reference (JSON)
  std::string response;        // the first answer, replayed on a retry
  int64_t created_at = 0;
  std::optional<std::string> claimed_by;
  std::optional<int64_t> claimed_at;
  std::optional<int64_t> closed_at;
  std::optional<std::string> outcome;
  std::string note_sealed;  // empty: none
  int64_t version = 1;
};

class SupportRequestRepository {
 public:
  virtual ~SupportRequestRepository() = default;
  // kConflict when the idempotency key was used already.
  virtual Status Insert(const SupportRequestRecord& r) = 0;
  virtual Result<std::optional<SupportRequestRecord>> FindByKeyHash(const std::string& hash) = 0;
  virtual Result<std::optional<SupportRequestRecord>> Find(const std::string& id) = 0;
  // Oldest first within a status (booked ones by slot); all statuses when empty.
  virtual Result<std::vector<SupportRequestRecord>> List(const std::string& status, int limit) = 0;
  // Claims a waiting or booked request for `by`; false when someone else has it already.
  virtual Result<bool> Claim(const std::string& id, const std::string& by, int64_t at) = 0;
  // Closes a claimed request; false when it was not claimed (or is closed already).
  virtual Result<bool> Close(const std::string& id, int64_t at, const std::string& outcome,
                             const std::string& note_sealed) = 0;
  // Booked, not closed requests whose slot starts in [from, to).
  virtual Result<std::vector<SupportRequestRecord>> BookedBetween(int64_t from, int64_t to) = 0;
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
  virtual CarePlanRepository& care_plans() = 0;
  virtual CareProfileRepository& care_profiles() = 0;
  virtual TaskRepository& tasks() = 0;
  virtual EventRepository& events() = 0;
  virtual MailRepository& mail() = 0;
  virtual StaffRepository& staff() = 0;
  virtual AlertRepository& alerts() = 0;
  virtual SupportRequestRepository& support() = 0;
  virtual MemberAccessRepository& members() = 0;
  virtual directory::DirectoryRepository& directory() = 0;
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
