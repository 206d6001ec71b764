// The case queue and case reads for staff. Who sees what (security.md "Access"): a
// supervisor sees every case; a case manager sees the cases assigned to them and the
// unassigned ones waiting in the queue. Anything else is "not found" — existence is not
// revealed. Every read of a case, and every queue listing, is audited in the same
// transaction.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/keys/key_service.h"
#include "domain/screening/screening.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::cases {

struct CaseSummary {
  std::string id;
  std::string reference;
  std::string status;
  bool urgent = false;
  std::optional<std::string> assigned_to;
  std::string country, region, industry_role, src;
  std::vector<std::string> requests;
  int64_t created_at = 0;
  int64_t first_contact_due_at = 0;
  std::optional<int64_t> first_contact_at;
  int64_t version = 1;
};

// A family link as seen from one case: the other case, and how its person is related.
struct CaseLink {
  std::string case_id;
  std::string reference;
  std::string relationship;  // partner | parent | child | sibling | other
};

struct CaseDetail {
  CaseSummary summary;
  // Only links to cases the reader may see: each case keeps its own consent and access.
  std::vector<CaseLink> links;
  std::string preferred_name;
  std::string contact_json;  // {"email"?, "phone"?, "preferred", "voicemail_ok", ...}
  std::string intake_json;   // what the person submitted, as received
  std::vector<screening::ScoreResult> screenings;
  std::vector<CaseEventRecord> timeline;
};

struct CaseFilter {
  std::optional<std::string> status;
  std::optional<bool> urgent;
};

// The whole queue's counts (of the cases the caller may see), whatever page is shown.
struct QueueCounts {
  int64_t open = 0;                                        // every status but closed
  int64_t urgent_open = 0;                                 // of those, urgent
  std::vector<std::pair<std::string, int64_t>> by_status;  // in kStatuses order
};

struct CasePage {
  std::vector<CaseSummary> items;
  std::string next_cursor;  // empty: no more
  QueueCounts counts;
};

// Statuses in their order on a case's life.
inline constexpr std::string_view kStatuses[] = {"new",      "contacted", "assessing",
                                                 "planning", "active",    "closed"};

struct Note {
  std::string id;
  int64_t version = 1;  // edits add versions; older ones are kept
  std::string body;
  std::string author_id;
  int64_t created_at = 0;  // of this version
};

struct Task {
  std::string id;
  std::string title;
  int64_t due_at = 0;
  std::string status;  // open | done
  std::string created_by;
  int64_t created_at = 0;
  std::optional<int64_t> done_at;
};

struct ContactAttempt {
  std::string channel;  // phone | text | email
  std::string outcome;  // reached | no_answer | left_voicemail | message_sent | wrong_number
  int64_t at = 0;
};

// What matching needs to know about the person, read from what they told us at intake.
// Codes are the directory vocabulary's (docs/directory.md). Personal data: never log it.
struct MemberFacts {
  std::string jurisdiction;              // ISO 3166-2 region, else the country
  std::vector<std::string> care_types;   // from their requests ("care_type:psychiatry")
  std::string language;                  // the language they want care in
  std::string mode;                      // telehealth | in_person | either; "" unknown
  std::string insurance_type;            // none | employer | marketplace | medicaid | ...
  std::string carrier, plan;             // as they wrote them; "" unknown
  std::vector<std::string> prefer_tags;  // from specialties ("issue:trauma-ptsd")
  bool prefer_music_industry = true;
  std::string provider_identity;  // free text: who they would like to see
  bool on_tour = false;
  std::string on_tour_until;  // YYYY-MM-DD or ""
};
// Reads MemberFacts out of an intake as received (the JSON the person submitted). Fields
// that are absent stay empty; never fails (an unreadable intake gives empty facts).
MemberFacts MemberFactsFromIntake(std::string_view intake_json);

// The case with this id if the caller may see it (a supervisor: any; a case manager: theirs
// and the unassigned queue); kNotFound otherwise — existence is not revealed. For services
// that work on a case (care plans, referrals) inside their own unit of work.
Result<CaseRecord> VisibleCase(UnitOfWork& uow, const accounts::Caller& caller,
                               const std::string& id);

class CaseService {
 public:
  CaseService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
              const core::Clock& clock, core::IdGenerator& ids)
      : runner_(runner), keys_(keys), audit_(audit), clock_(clock), ids_(ids) {}

  // The queue: urgent first, then oldest. Errors: kInvalidArgument for a bad filter or cursor.
  Result<CasePage> List(const accounts::Caller& caller, const CaseFilter& filter,
                        const std::string& cursor, int limit);
  // kNotFound when missing or not visible to the caller.
  Result<CaseDetail> Get(const accounts::Caller& caller, const std::string& id);
  // The person's facts for matching (an audited read of the case, as Get).
  Result<MemberFacts> MatchFacts(const accounts::Caller& caller, const std::string& id);

  // Assignment. Supervisors assign to any active case manager or supervisor, or unassign
  // (empty `assignee`); a case manager may only take an unassigned case for themself.
  // kFailedPrecondition when `expected_version` is stale; kUnprocessable for a bad assignee.
  Result<CaseSummary> Assign(const accounts::Caller& caller, const std::string& id,
                             const std::string& assignee, int64_t expected_version);

  // Moves a case along new → contacted → assessing → planning → active, or to closed with a
  // reason (any step may be skipped forward; never backward). A supervisor may reopen a
  // closed case to active, with a reason. The first move past "new" records first contact.
  Result<CaseSummary> SetStatus(const accounts::Caller& caller, const std::string& id,
                                const std::string& status, const std::string& reason,
                                int64_t expected_version);

  // Notes: sealed under the person's key; edits are new versions by the same author.
  Result<Note> AddNote(const accounts::Caller& caller, const std::string& case_id,
                       const std::string& body);
  Result<Note> EditNote(const accounts::Caller& caller, const std::string& case_id,
                        const std::string& note_id, const std::string& body,
                        int64_t expected_version);
  // The latest version of every note, oldest note first (audited as a read).
  Result<std::vector<Note>> Notes(const accounts::Caller& caller, const std::string& case_id);

  // Tasks: follow-ups with a due time (unix seconds, not in the past by more than a day).
  Result<Task> AddTask(const accounts::Caller& caller, const std::string& case_id,
                       const std::string& title, int64_t due_at);
  Result<std::vector<Task>> Tasks(const accounts::Caller& caller, const std::string& case_id);
  // kNotFound when no open task of that id is on the case.
  Result<Task> CompleteTask(const accounts::Caller& caller, const std::string& case_id,
                            const std::string& task_id);

  // The reminder job: announces open tasks due within `ahead` (and overdue ones not yet
  // reminded) to whoever sees the case — its assignee and supervisors, or the queue — once
  // per task across nodes. Returns how many it reminded.
  Result<int> RemindDueTasks(std::chrono::seconds ahead);

  // Links a family member's case and the industry person's case (by the other case's
  // reference). The caller must be able to see both; kNotFound otherwise (existence is not
  // revealed); kConflict when linked already; kUnprocessable for a bad relationship or a
  // case linked to itself.
  Result<CaseLink> Link(const accounts::Caller& caller, const std::string& case_id,
                        const std::string& other_reference, const std::string& relationship);

  // Logs a contact attempt on the timeline. "reached" on a case never contacted records the
  // first contact (and moves a new case to contacted). No personal data goes to the timeline.
  Result<ContactAttempt> LogContactAttempt(const accounts::Caller& caller,
                                           const std::string& case_id, const std::string& channel,
                                           const std::string& outcome);

 private:
  Status Audit(UnitOfWork& uow, const accounts::Caller& caller, const std::string& action,
               const std::string& case_id);
  Result<CaseRecord> Visible(UnitOfWork& uow, const accounts::Caller& caller,
                             const std::string& id);

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace soundcheck::domain::cases
