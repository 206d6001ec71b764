// The front door: a person (or a family member) tells us who they are, how to reach them
// safely, what they ask for, and answers a few screens. Submit() validates everything,
// seals what they said under their own data key, opens a case (urgent when any risk
// answer was given) and records it all in one transaction — acknowledged only once
// committed. A retry with the same Idempotency-Key returns the first receipt and never
// makes a second case.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/audit/audit_log.h"
#include "domain/crisis/crisis_directory.h"
#include "domain/keys/key_service.h"
#include "domain/screening/screening.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::intake {

struct Contact {
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::string preferred;  // phone | text | email
  bool voicemail_ok = false;
  bool text_ok = false;
  bool email_ok = false;
};

struct Location {
  std::string country;  // ISO 3166-1 alpha-2
  std::string region;   // ISO 3166-2, optional
  std::string city;     // optional
  std::string time_zone;
};

struct Insurance {
  std::string type;
  std::string carrier, plan_name, member_id;  // optional, sealed
};

struct Household {
  std::optional<int> size;
  std::string income_band;
};

struct Preferences {
  std::string language, format, provider_identity;
  std::vector<std::string> specialties;
};

struct IntakeInput {
  std::string for_whom;  // self | family
  std::string relationship;
  std::string preferred_name;
  std::string language;  // en | es
  Contact contact;
  std::string industry_role;
  Location location;
  bool on_tour = false;
  std::string on_tour_until;  // YYYY-MM-DD, optional
  std::vector<std::string> requests;
  std::optional<Insurance> insurance;
  std::optional<Household> household;
  Preferences preferences;
  std::vector<screening::ScoreRequest> screenings;
  std::string privacy_notice_version;
  bool consent_contact = false;
  std::string src;
  // The request body exactly as received (already strictly decoded): sealed as the record
  // of what the person told us.
  std::string raw_json;
};

struct Receipt {
  std::string reference;
  bool urgent = false;
  std::string language;
  std::string country;
  int contact_within_hours = 24;
  bool replayed = false;          // true: this answers a retry of an earlier submission
  bool status_link_sent = false;  // a link to their status page is on its way by mail
};

// Sends the member a link to their status page, inside the intake's transaction:
// (uow, email index, email, language, person id) → whether a mail was queued.
using StatusLinkSender = std::function<Result<bool>(
    UnitOfWork&, const std::string&, const std::string&, const std::string&, const std::string&)>;

struct IntakePolicy {
  int contact_within_hours = 24;        // time to first contact, normal cases
  int urgent_contact_within_hours = 1;  // urgent cases: same-day clinician safety review
  int alert_ack_seconds = 300;  // an urgent case's alert escalates to supervisors after this
};

// True when any screen in the input carries a risk answer (PHQ-9 item 9 ≥ 1, any C-SSRS
// yes), judged on the raw answers so it holds even when the rest of the input is invalid.
bool HasRiskAnswer(const IntakeInput& input);

class IntakeService {
 public:
  IntakeService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
                const core::Clock& clock, core::IdGenerator& ids, IntakePolicy policy,
                std::function<bool(std::string_view)> valid_time_zone);

  // Errors: kInvalidArgument for a missing/short/long idempotency key; kUnprocessable with
  // field errors (JSON Pointers) for invalid answers; kUnprocessable "idempotency-key-reused"
  // when the key came with a different request; kUnavailable when the database is down
  // (nothing was saved). Never returns personal data in an error.
  core::Result<Receipt> Submit(const IntakeInput& input, const std::string& idempotency_key,
                               const std::string& request_id);

  // The validation alone (exposed for tests and for a future "check this page" endpoint).
  core::Status Validate(const IntakeInput& input) const;

  // Wires the status-link mail (members/); without it no link is sent. Set before serving.
  void SetStatusLinkSender(StatusLinkSender sender) { status_link_ = std::move(sender); }

 private:
  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  IntakePolicy policy_;
  std::function<bool(std::string_view)> valid_time_zone_;
  StatusLinkSender status_link_;
};

// Screening results sealed with an intake, one per line; Decode is the inverse.
std::string EncodeResults(const std::vector<screening::ScoreResult>& results);
std::vector<screening::ScoreResult> DecodeResults(std::string_view encoded);

}  // namespace soundcheck::domain::intake
