// Urgent-case alerts (clinical.md section 6): a risk answer makes the case urgent and raises
// an alert to every staff member on duty, at once, in the same transaction as the case. If
// nobody acknowledges it before the deadline, supervisors are alerted (the escalation job).
// Nothing is ever sent to emergency services automatically.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::support {

struct Alert {
  std::string id;
  std::string case_id;
  std::string reference;
  int64_t raised_at = 0;
  int64_t deadline_at = 0;
  std::optional<int64_t> acknowledged_at;
  std::optional<std::string> acknowledged_by;
  std::optional<int64_t> escalated_at;
};

// Raises the alert for an urgent case inside the caller's transaction. The on-duty staff
// hear it; when nobody is on duty the deadline is now, so supervisors hear at once.
Status RaiseUrgentAlert(UnitOfWork& uow, const CaseRecord& c, int64_t now, core::IdGenerator& ids,
                        int ack_deadline_seconds);

// What the escalation job does for each alert it takes (e.g. queue a mail to each
// supervisor), inside the job's transaction.
using EscalationHook = std::function<Status(UnitOfWork&, const Alert&)>;

class AlertService {
 public:
  AlertService(TransactionRunner& runner, audit::AuditLog& audit, const core::Clock& clock)
      : runner_(runner), audit_(audit), clock_(clock) {}

  // Newest first (open only unless `all`).
  Result<std::vector<Alert>> List(const accounts::Caller& caller, bool all);
  // The first acknowledgement stands; acknowledging again returns the alert unchanged.
  // kNotFound when missing.
  Result<Alert> Acknowledge(const accounts::Caller& caller, const std::string& id);

  // The escalation job, run every few seconds on every node: takes the overdue alerts
  // (each exactly once across nodes), announces them to supervisors and runs `hook`.
  // Returns how many it escalated.
  Result<int> EscalateOverdue(const EscalationHook& hook);

 private:
  Result<Alert> Load(UnitOfWork& uow, const AlertRecord& a);

  TransactionRunner& runner_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
};

}  // namespace soundcheck::domain::support
