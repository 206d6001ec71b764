// Mail, from the domain's side: what a message says (rendered from the message catalogs,
// i18n/<language>/mail.json — the one translation mechanism) and how it waits for delivery
// (sealed in the outbox, in the caller's transaction). Sending is mail/'s job.
//
// Promises:
// - Enqueue writes through the caller's unit of work, so the message commits or rolls back
//   with the change that causes it: a rolled-back change sends nothing.
// - The recipient, body and attachment are sealed under the data key of `subject_id`, bound
//   to the outbox row; erasing that key makes a queued message unreadable (and unsendable).
// - Subjects never carry personal data: a subject is the catalog text alone, and a subject
//   text with a placeholder is refused, so no parameter value can reach a subject line.
// - Errors name templates, parameters and fields, never values or addresses.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/i18n.h"
#include "core/ids.h"
#include "domain/keys/key_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::mail {

// A file sent with the message (e.g. an ICS invitation). Stored sealed like the body.
struct Attachment {
  std::string filename;      // [A-Za-z0-9._-], 1-100 characters
  std::string content_type;  // e.g. "text/calendar; charset=UTF-8; method=PUBLISH"
  std::string content;       // raw bytes, at most kMaxAttachmentBytes
  bool operator==(const Attachment&) const = default;
};

struct MailRequest {
  std::string template_key;  // "mail.status_link", "mail.support_booking", ...
  std::string language;      // "en" | "es"
  std::string recipient;     // one address, user@domain (ASCII)
  std::string subject_id;    // whose data key seals the row: a person's or a staff user's id
  std::map<std::string, std::string> params;
  std::optional<Attachment> attachment;
};

// A message rendered from the catalogs, before sealing.
struct RenderedMail {
  std::string subject;
  std::string body;  // UTF-8, lines separated by "\n"
};

// A claimed outbox row opened for sending.
struct OpenedMail {
  std::string id;
  std::string to;
  std::string subject;
  std::string body;
  std::optional<Attachment> attachment;
  std::string language;
  std::string template_key;
  int attempt = 0;  // which claim this is (1 for the first try)
  int64_t created_at = 0;
};

// What a template needs. Templates are code, texts are data: adding a language is a new
// catalog file; adding a template is a row here plus its keys in every catalog.
struct TemplateSpec {
  std::string_view key;
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
  bool member_facing = true;  // members get the help footer and a warm sign-off
  bool attachment = false;    // whether an attachment may be sent with it
  // Not member-facing: signed with this key when set (providers get the team's sign-off),
  // else with mail.staff_signature (internal alerts).
  std::string_view signature = {};
};

// The shipped templates:
//   mail.status_link       member: a magic link to their status page {link, minutes; name?}
//   mail.support_booking   member: a booked call {when_local, time_zone; name?} + ICS file
//   mail.alert_escalation  staff: an urgent case waits for acknowledgement
//                          {reference, minutes, link; name?}
//   mail.openings_checkin  provider: "still taking clients?" with a one-click link
//                          {service, openings, link, days, portal; name?}
//   mail.licence_reminder  provider: a licence expiring or expired {service, licence, date,
//                          portal; name?}
//   mail.profile_review    provider: the listing is due its yearly review {service, portal;
//                          name?}
// Member templates also take an optional {crisis_line} ("988 (call or text)") for the footer.
const std::vector<TemplateSpec>& Templates();

inline constexpr size_t kMaxParamBytes = 2000;
inline constexpr size_t kMaxAttachmentBytes = 1 << 20;

// True for an address we will hand to SMTP: ASCII local@domain, no spaces, quotes, angle
// brackets or control characters, at most 254 characters.
bool IsValidAddress(std::string_view address);

class MailService {
 public:
  // Every catalog must hold every key of every template (checked here). `keys`, `clock` and
  // `ids` must outlive the service. Errors: kInvalidArgument naming the missing key.
  static Result<MailService> Create(core::i18n::Translations catalogs, keys::KeyService& keys,
                                    const core::Clock& clock, core::IdGenerator& ids);

  // Renders, seals and adds the message to the outbox through `uow`, due now. Returns the
  // outbox id (also the stable part of the Message-ID). Call it inside the transaction of
  // the change that causes the mail. Errors: kInvalidArgument with field errors (/template,
  // /language, /recipient, /params/<name>, /attachment) for a bad request; storage errors
  // as they come.
  Result<std::string> Enqueue(UnitOfWork& uow, const MailRequest& request) const;

  // Renders without sealing or storing (tests, previews). Same validation as Enqueue.
  Result<RenderedMail> Render(const MailRequest& request) const;

  // Opens a row ClaimDue returned. Errors: kNotFound when the subject's data key is gone
  // (erased: the message can never be sent); kInternal when a sealed value does not open.
  Result<OpenedMail> Open(UnitOfWork& uow, const MailRecord& row) const;

  static constexpr std::string_view kTable = "mail_outbox";

 private:
  MailService(core::i18n::Translations catalogs, keys::KeyService& keys, const core::Clock& clock,
              core::IdGenerator& ids)
      : catalogs_(std::move(catalogs)), keys_(&keys), clock_(&clock), ids_(&ids) {}

  core::i18n::Translations catalogs_;
  keys::KeyService* keys_;
  const core::Clock* clock_;
  core::IdGenerator* ids_;
};

}  // namespace soundcheck::domain::mail
