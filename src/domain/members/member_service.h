// Members' own view: a single-use link by mail (short-lived, the token only in the URL's
// fragment) opens a status page showing where their case is, who their case manager is,
// how to reach us and the crisis lines. The email is looked up through a keyed blind index;
// asking for a link never reveals whether an address is known.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/audit/audit_log.h"
#include "domain/care_plans/care_plan_service.h"
#include "domain/keys/key_service.h"
#include "domain/mail/mail_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::members {

struct MemberCase {
  std::string reference;
  std::string status;
  int64_t updated_at = 0;
  std::optional<std::string> case_manager;  // first name as staff entered it
  // Their care plan as they may see it (care_plans::CarePlanService::ForMember).
  std::optional<care_plans::MemberPlan> plan;
};

struct MemberStatus {
  std::string language;  // of their most recent intake
  std::string country;
  std::vector<MemberCase> cases;  // newest first
};

struct MemberPolicy {
  int link_minutes = 15;
  int session_minutes = 60;
  int max_links_per_hour = 5;  // per email: a mailbox cannot be flooded through us
  std::string public_url;      // "https://help.example.org": where links point
};

// Lower-case, trimmed: the form the blind index is computed over.
std::string NormalizeEmail(std::string_view email);
// The keyed blind index people are found by (the same for intake and for a link request).
Result<std::string> EmailIndex(UnitOfWork& uow, keys::KeyService& keys, std::string_view email);

class MemberService {
 public:
  MemberService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
                const core::Clock& clock, const mail::MailService* mail, MemberPolicy policy)
      : runner_(runner),
        keys_(keys),
        audit_(audit),
        clock_(clock),
        mail_(mail),
        policy_(std::move(policy)) {}

  // Mails a link to every address we know as `email` — or does nothing, silently, for an
  // unknown one or one over the hourly cap. Errors only for storage failures.
  core::Status RequestLink(const std::string& email, const std::string& request_id);

  // Inside the caller's transaction (an intake): issues a link for `email_index` and
  // queues the mail. Returns false (nothing queued) when mail is not configured.
  Result<bool> SendLink(UnitOfWork& uow, const std::string& email_index, const std::string& email,
                        const std::string& language, const std::string& person_id);

  // Exchanges a link's token for a session (returned: the session token and the status).
  // kGone when the link was used, expired or never existed.
  Result<std::pair<std::string, MemberStatus>> Exchange(const std::string& token,
                                                        const std::string& request_id);
  // kUnauthenticated when the session is unknown or expired.
  Result<MemberStatus> GetStatus(const std::string& session_token, const std::string& request_id);
  core::Status Logout(const std::string& session_token);

  // Shows each case's care plan on the status page. Set before serving; without it no plan
  // is shown.
  void SetCarePlans(care_plans::CarePlanService* plans) { plans_ = plans; }

 private:
  Result<MemberStatus> Load(UnitOfWork& uow, const std::string& email_index,
                            const std::string& request_id);

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  const mail::MailService* mail_;
  MemberPolicy policy_;
  care_plans::CarePlanService* plans_ = nullptr;
};

}  // namespace soundcheck::domain::members
