// The case queue and case reads for staff. Who sees what (security.md "Access"): a
// supervisor sees every case; a case manager sees the cases assigned to them and the
// unassigned ones waiting in the queue. Anything else is "not found" — existence is not
// revealed. Every read of a case, and every queue listing, is audited in the same
// transaction.
#pragma once

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

struct CaseDetail {
  CaseSummary summary;
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

struct CasePage {
  std::vector<CaseSummary> items;
  std::string next_cursor;  // empty: no more
};

// Statuses in their order on a case's life.
inline constexpr std::string_view kStatuses[] = {"new",      "contacted", "assessing",
                                                 "planning", "active",    "closed"};

class CaseService {
 public:
  CaseService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit)
      : runner_(runner), keys_(keys), audit_(audit) {}

  // The queue: urgent first, then oldest. Errors: kInvalidArgument for a bad filter or cursor.
  Result<CasePage> List(const accounts::Caller& caller, const CaseFilter& filter,
                        const std::string& cursor, int limit);
  // kNotFound when missing or not visible to the caller.
  Result<CaseDetail> Get(const accounts::Caller& caller, const std::string& id);

 private:
  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
};

}  // namespace soundcheck::domain::cases
