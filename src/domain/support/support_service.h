// "Talk to someone now" (product capability 9): a member asks for a call. While someone is
// on duty the request waits in the live support queue, where one staff member claims it
// (only one can), calls back and closes it with an outcome. Out of hours the member books a
// call in a rota slot, in their own time zone, and gets a calendar invite.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/keys/key_service.h"
#include "domain/mail/mail_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::support {

struct SupportInput {
  std::string preferred_name;
  std::string phone;
  bool voicemail_ok = false;
  std::string language;  // en | es
  std::string country;   // ISO 3166-1 alpha-2
  std::string time_zone;
  std::string case_reference;         // optional
  std::optional<int64_t> slot_start;  // books that slot
  std::string email;                  // optional, for the calendar invite
  std::string privacy_notice_version;
  std::string raw_json;  // the body as received, to recognise a retry
};

struct Slot {
  int64_t start = 0;
  int64_t end = 0;
};

struct Availability {
  bool open_now = false;
  int64_t on_duty_count = 0;
  std::vector<Slot> slots;
};

struct SupportReceipt {
  std::string id;
  std::string status;  // waiting | booked
  bool open_now = false;
  std::optional<Slot> slot;
  std::string calendar_ics;  // empty unless booked
  bool replayed = false;
};

struct SupportRequest {
  std::string id;
  std::string status;
  int64_t created_at = 0;
  std::string language, country, time_zone;
  std::optional<int64_t> slot_start;
  std::optional<std::string> claimed_by;
  std::optional<int64_t> claimed_at;
  std::optional<std::string> outcome;
  std::optional<int64_t> closed_at;
  // Only on a single read (audited):
  std::optional<std::string> preferred_name, phone, case_reference;
  std::optional<bool> voicemail_ok;
};

// Call outcomes, in the order the console offers them.
inline constexpr std::string_view kOutcomes[] = {"talked", "no_answer", "voicemail",
                                                 "crisis_referral", "other"};

// The text of a calendar invite (RFC 5545) for a booked call; times in UTC so every
// calendar shows them in its owner's zone.
std::string CalendarInvite(const std::string& uid, int64_t start, int64_t end, int64_t stamp,
                           const std::string& summary, const std::string& description);

class SupportService {
 public:
  struct Policy {
    int slot_minutes = 30;
    int booking_days = 7;
    int min_lead_minutes = 30;  // the earliest bookable slot starts this far ahead
  };

  // `mail` (may be null) sends a booked call's invite when the member gives an email.
  SupportService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
                 const core::Clock& clock, core::IdGenerator& ids, const mail::MailService* mail,
                 Policy policy)
      : runner_(runner),
        keys_(keys),
        audit_(audit),
        clock_(clock),
        ids_(ids),
        mail_(mail),
        policy_(policy) {}

  // Public: whether someone is on duty, and the bookable slots of the coming days.
  Result<Availability> GetAvailability();

  // Public, idempotent by `key` (a retry returns the first receipt). kUnprocessable with
  // field errors for bad input — including a slot that is not (or no longer) free, and
  // asking for a call now when nobody is on duty (then a slot is needed).
  Result<SupportReceipt> Request(const SupportInput& in, const std::string& key,
                                 const std::string& request_id, const std::string& invite_summary,
                                 const std::string& invite_description);

  // Staff: the queue (no names or numbers), one request (audited), claim, close.
  Result<std::vector<SupportRequest>> List(const accounts::Caller& caller,
                                           const std::string& status);
  Result<SupportRequest> Get(const accounts::Caller& caller, const std::string& id);
  // kConflict when someone else claimed it first (or it is closed).
  Result<SupportRequest> Claim(const accounts::Caller& caller, const std::string& id);
  // Only the claimer or a supervisor; kConflict unless claimed.
  Result<SupportRequest> Close(const accounts::Caller& caller, const std::string& id,
                               const std::string& outcome, const std::string& note);

 private:
  // Bookable slots; with `lock`, the shifts they come from stay locked until the
  // transaction ends, so a booking checks and takes a place as one step.
  Result<std::vector<Slot>> FreeSlots(UnitOfWork& uow, int64_t now, bool lock = false);
  Result<SupportRequest> Summary(const SupportRequestRecord& r);
  Status Audit(UnitOfWork& uow, const accounts::Caller& caller, const std::string& action,
               const std::string& id);

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  const mail::MailService* mail_;
  Policy policy_;
};

}  // namespace soundcheck::domain::support
