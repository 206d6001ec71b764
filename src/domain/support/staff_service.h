// The front line's people: who is on duty now, the rota of shifts (entered in a time zone,
// stored in UTC), each staff member's languages and regions, and — from those and the
// caseloads — who should take a case.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/keys/key_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::support {

struct StaffMember {
  std::string id;
  std::string name;
  std::string role;
  bool on_duty = false;
  int64_t open_cases = 0;
  std::vector<std::string> languages;
  std::vector<std::string> regions;
};

struct Shift {
  std::string id;
  std::string user_id;
  std::string user_name;
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  std::string time_zone;
};

struct DutyStatus {
  bool on_duty = false;
  std::optional<int64_t> since;
  int64_t on_duty_count = 0;
  std::optional<Shift> shift;  // the caller's current or next shift (within a week)
};

struct NewShift {
  std::string user_id;
  std::string starts_local;  // "2026-11-26T09:00" in time_zone
  std::string ends_local;
  std::string time_zone;
};

struct Suggestion {
  std::string user_id;
  std::string name;
  int64_t open_cases = 0;
  int score = 0;
  std::vector<std::string> reasons;  // codes: "speaks_language", "covers_region", …
};

// Whether a staff member on duty may be counted on (used by alerts and the support queue).
Result<std::vector<std::string>> OnDutyUserIds(UnitOfWork& uow);

class StaffService {
 public:
  StaffService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
               const core::Clock& clock, core::IdGenerator& ids)
      : runner_(runner), keys_(keys), audit_(audit), clock_(clock), ids_(ids) {}

  // Active case managers and supervisors, by name.
  Result<std::vector<StaffMember>> Directory(const accounts::Caller& caller);

  Result<DutyStatus> Duty(const accounts::Caller& caller);
  // Goes on or off duty (idempotent); everyone's console hears of it.
  Result<DutyStatus> SetDuty(const accounts::Caller& caller, bool on_duty);

  // Languages (ISO 639-1, e.g. "es") and regions ("US-TN", or a country "MX"). Staff edit
  // their own; supervisors anyone's. kUnprocessable for malformed codes.
  Result<StaffMember> SetProfile(const accounts::Caller& caller, const std::string& user_id,
                                 const std::vector<std::string>& languages,
                                 const std::vector<std::string>& regions);

  // Shifts overlapping [from, to) (at most 31 days).
  Result<std::vector<Shift>> Shifts(const accounts::Caller& caller, int64_t from, int64_t to);
  // Supervisors add shifts for anyone, case managers for themselves. A shift is 15 minutes
  // to 16 hours long and ends in the future.
  Result<Shift> AddShift(const accounts::Caller& caller, const NewShift& shift);
  // kNotFound when missing; the same who-may rule as AddShift.
  Status DeleteShift(const accounts::Caller& caller, const std::string& id);

  // Who should take the case: active case managers and supervisors ranked by language,
  // region, duty and caseload (lightest first). Supervisors only (they assign).
  Result<std::vector<Suggestion>> Suggest(const accounts::Caller& caller,
                                          const std::string& case_id);

 private:
  Result<std::vector<StaffMember>> LoadStaff(UnitOfWork& uow);
  Status Audit(UnitOfWork& uow, const accounts::Caller& caller, const std::string& action,
               const std::string& subject_type, const std::string& subject_id);

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace soundcheck::domain::support
