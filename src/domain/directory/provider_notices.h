// Keeping the directory true between visits: the reminder job mails each provider, for each
// of their listings,
// - the weekly "still taking clients?" check-in when its openings were not confirmed for a
//   week, with a one-click link that confirms them (single use, only its hash stored), and
// - a reminder when a licence is expiring or expired or the profile is overdue for review
//   (the same items staff see in the verification queue),
// never more than once per interval per listing. Which notices are due is a pure function
// (PlanNotices), tested without a database.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "domain/directory/directory_editor.h"
#include "domain/keys/key_service.h"
#include "domain/mail/mail_service.h"

namespace soundcheck::domain::directory {

struct NoticePolicy {
  // How often a listing may be asked (config directory.checkin_interval_days, default 7).
  int64_t interval_seconds = 7 * 86400;
  // How long a check-in link works (the openings window: a link older than that would
  // confirm openings the provider has not thought about for two weeks).
  int64_t link_seconds = 14 * 86400;
  std::string public_url;  // where links point, no trailing slash
};

// What is due for one listing now.
struct NoticePlan {
  bool checkin = false;
  std::vector<VerifyItem> reminders;  // empty: no reminder mail
};

// Listed services only (paused and removed ones are left alone). A check-in is due when the
// openings were never confirmed or not within the interval, and none was sent within it; a
// reminder when the listing needs a staff check and none was sent within the interval.
NoticePlan PlanNotices(const ServiceSummary& service, std::optional<int64_t> last_checkin,
                       std::optional<int64_t> last_reminder, int64_t now,
                       const NoticePolicy& policy);

struct NoticeCounts {
  int64_t providers = 0;  // linked provider accounts looked at
  int64_t checkins = 0;   // check-in mails queued
  int64_t reminders = 0;  // reminder mails queued
  bool operator==(const NoticeCounts&) const = default;
};

// What a one-click check-in did.
struct CheckinResult {
  std::string service_id;
  std::string service_name;
  OpeningsView openings;
};

class ProviderNotices {
 public:
  // `mail` may be null (mail not configured): then nothing is sent and nothing recorded.
  ProviderNotices(TransactionRunner& runner, const core::Clock& clock, core::IdGenerator& ids,
                  keys::KeyService& keys, const mail::MailService* mail, DirectoryEditor& editor,
                  NoticePolicy policy)
      : runner_(runner),
        clock_(clock),
        ids_(ids),
        keys_(keys),
        mail_(mail),
        editor_(editor),
        policy_(std::move(policy)) {}

  // Queues every notice due now: one transaction per provider account, so one bad row
  // never holds back the others' mail (its error is returned after the rest are done).
  core::Result<NoticeCounts> SendDue();

  // The one-click link: confirms the listing's openings (the count last confirmed, or
  // `available`) as the provider the link was sent to. kNotFound with reason "link-expired"
  // when the link was used, expired, never existed, or the provider no longer speaks for
  // the listing; kConflict when the listing was removed.
  core::Result<CheckinResult> Redeem(const std::string& token, std::optional<int64_t> available,
                                     const std::string& request_id);

  const NoticePolicy& policy() const { return policy_; }

 private:
  core::Status SendFor(UnitOfWork& uow, const ProviderLink& link, int64_t now,
                       NoticeCounts& counts);

  TransactionRunner& runner_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  keys::KeyService& keys_;
  const mail::MailService* mail_;
  DirectoryEditor& editor_;
  NoticePolicy policy_;
};

}  // namespace soundcheck::domain::directory
