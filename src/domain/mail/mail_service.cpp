#include "domain/mail/mail_service.h"

#include <algorithm>
#include <cctype>

namespace soundcheck::domain::mail {
namespace {

using core::Error;
using core::FieldError;

const TemplateSpec* FindTemplate(std::string_view key) {
  for (const auto& t : Templates())
    if (t.key == key) return &t;
  return nullptr;
}

bool Contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Parameter values go into the body only. Control characters would let a value fake the
// layout of the message (extra lines, a forged sign-off), so they are refused.
bool IsCleanText(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool IsValidFilename(std::string_view s) {
  if (s.empty() || s.size() > 100 || s.front() == '.') return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

// A MIME type with parameters, e.g. "text/calendar; charset=UTF-8; method=PUBLISH".
bool IsValidContentType(std::string_view s) {
  if (s.empty() || s.size() > 200 || s.find('/') == std::string_view::npos) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

// The attachment's sealed plaintext: content type and filename on the first two lines (both
// validated free of line breaks), then the raw content.
std::string EncodeAttachment(const Attachment& a) {
  return a.content_type + "\n" + a.filename + "\n" + a.content;
}

Result<Attachment> DecodeAttachment(std::string_view s) {
  auto first = s.find('\n');
  auto second = first == std::string_view::npos ? first : s.find('\n', first + 1);
  if (second == std::string_view::npos) return Error::Internal("malformed sealed attachment");
  return Attachment{std::string(s.substr(first + 1, second - first - 1)),
                    std::string(s.substr(0, first)), std::string(s.substr(second + 1))};
}

keys::SealSite Site(std::string_view column, const std::string& id) {
  return {MailService::kTable, column, id};
}

}  // namespace

const std::vector<TemplateSpec>& Templates() {
  static const std::vector<TemplateSpec> templates = {
      {"mail.status_link", {"link", "minutes"}, {"name", "crisis_line"}, true, false},
      {"mail.support_booking", {"when_local", "time_zone"}, {"name", "crisis_line"}, true, true},
      {"mail.alert_escalation", {"reference", "minutes", "link"}, {"name"}, false, false},
      {"mail.openings_checkin",
       {"service", "openings", "link", "days", "portal"},
       {"name"},
       false,
       false,
       "mail.signature"},
      {"mail.licence_reminder",
       {"service", "licence", "date", "portal"},
       {"name"},
       false,
       false,
       "mail.signature"},
      {"mail.profile_review", {"service", "portal"}, {"name"}, false, false, "mail.signature"},
  };
  return templates;
}

bool IsValidAddress(std::string_view a) {
  if (a.size() < 3 || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= a.size() ||
      a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = a.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : a) {
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']') {
      return false;
    }
  }
  return true;
}

Result<MailService> MailService::Create(core::i18n::Translations catalogs, keys::KeyService& keys,
                                        const core::Clock& clock, core::IdGenerator& ids) {
  // Fail at start, not at the first mail: every key every template can use is present, and
  // no subject has a placeholder.
  std::vector<std::string> common = {
      "mail.greeting",  "mail.greeting_anonymous", "mail.help_footer",   "mail.help_footer_line",
      "mail.signature", "mail.staff_signature",    "mail.automated_note"};
  for (const auto& [lang, catalog] : catalogs.catalogs()) {
    std::vector<std::string> keys_needed = common;
    for (const auto& t : Templates()) {
      keys_needed.push_back(std::string(t.key) + ".subject");
      keys_needed.push_back(std::string(t.key) + ".body");
    }
    for (const auto& k : keys_needed) {
      SC_ASSIGN_OR_RETURN(std::string text, catalog.Text(k));
      if (k.ends_with(".subject") && !core::i18n::Placeholders(text).empty()) {
        return Error::InvalidArgument(k + " in " + catalog.source() +
                                      " has a placeholder: subjects carry no parameters");
      }
    }
  }
  return MailService(std::move(catalogs), keys, clock, ids);
}

Result<RenderedMail> MailService::Render(const MailRequest& req) const {
  std::vector<FieldError> problems;
  const TemplateSpec* spec = FindTemplate(req.template_key);
  if (!spec) problems.push_back({"/template", "unknown", "unknown mail template"});
  if (!catalogs_.Supports(req.language)) {
    problems.push_back({"/language", "unsupported", "unsupported language"});
  }
  if (!IsValidAddress(req.recipient)) {
    problems.push_back({"/recipient", "invalid_format", "not a valid email address"});
  }
  if (req.subject_id.empty()) problems.push_back({"/subject_id", "required", "required"});
  if (spec) {
    for (auto name : spec->required) {
      auto it = req.params.find(std::string(name));
      if (it == req.params.end() || it->second.empty()) {
        problems.push_back({"/params/" + std::string(name), "required", "required"});
      }
    }
    for (const auto& [name, value] : req.params) {
      if (!Contains(spec->required, name) && !Contains(spec->optional, name)) {
        problems.push_back({"/params/" + name, "unknown", "not a parameter of this template"});
      } else if (value.size() > kMaxParamBytes || !IsCleanText(value)) {
        problems.push_back(
            {"/params/" + name, "invalid_format", "too long, or contains control characters"});
      }
    }
    if (req.attachment) {
      if (!spec->attachment) {
        problems.push_back({"/attachment", "unexpected", "this template takes no attachment"});
      } else if (!IsValidFilename(req.attachment->filename) ||
                 !IsValidContentType(req.attachment->content_type) ||
                 req.attachment->content.size() > kMaxAttachmentBytes) {
        problems.push_back({"/attachment", "invalid_format", "bad filename, type or size"});
      }
    }
  }
  if (!problems.empty()) {
    return Error::InvalidArgument("invalid mail request", std::move(problems));
  }

  const std::string& lang = req.language;
  const std::string key(spec->key);
  core::i18n::Params params(req.params.begin(), req.params.end());
  RenderedMail out;
  // The subject is the catalog text alone: never rendered with parameters.
  SC_ASSIGN_OR_RETURN(out.subject, catalogs_.Text(lang, key + ".subject"));
  if (!core::i18n::Placeholders(out.subject).empty()) {
    return Error::Internal(key + ".subject has a placeholder");
  }

  std::vector<std::string> parts;
  auto add = [&parts](Result<std::string> text) -> core::Status {
    if (!text) return std::move(text).error();
    parts.push_back(std::move(text).value());
    return core::Ok();
  };
  auto name = req.params.find("name");
  if (name != req.params.end() && !name->second.empty()) {
    SC_RETURN_IF_ERROR(add(catalogs_.Render(lang, "mail.greeting", params)));
  } else {
    SC_RETURN_IF_ERROR(add(catalogs_.Text(lang, "mail.greeting_anonymous")));
  }
  SC_RETURN_IF_ERROR(add(catalogs_.Render(lang, key + ".body", params)));
  if (spec->member_facing) {
    // Safe messaging (clinical.md section 6): every member mail points to help.
    SC_RETURN_IF_ERROR(add(catalogs_.Text(lang, "mail.help_footer")));
    auto line = req.params.find("crisis_line");
    if (line != req.params.end() && !line->second.empty()) {
      SC_ASSIGN_OR_RETURN(std::string extra,
                          catalogs_.Render(lang, "mail.help_footer_line", params));
      parts.back() += " " + extra;
    }
    SC_RETURN_IF_ERROR(add(catalogs_.Text(lang, "mail.signature")));
  } else {
    const std::string signature =
        spec->signature.empty() ? "mail.staff_signature" : std::string(spec->signature);
    SC_RETURN_IF_ERROR(add(catalogs_.Text(lang, signature)));
  }
  SC_RETURN_IF_ERROR(add(catalogs_.Text(lang, "mail.automated_note")));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.body += "\n\n";
    out.body += parts[i];
  }
  return out;
}

Result<std::string> MailService::Enqueue(UnitOfWork& uow, const MailRequest& req) const {
  SC_ASSIGN_OR_RETURN(RenderedMail rendered, Render(req));
  MailRecord row;
  row.id = ids_->NewId();
  row.created_at = core::ToUnixSeconds(clock_->Now());
  row.subject_id = req.subject_id;
  SC_ASSIGN_OR_RETURN(row.to_sealed,
                      keys_->Seal(uow, req.subject_id, Site("to", row.id), req.recipient));
  row.subject = rendered.subject;
  SC_ASSIGN_OR_RETURN(row.body_sealed,
                      keys_->Seal(uow, req.subject_id, Site("body", row.id), rendered.body));
  if (req.attachment) {
    SC_ASSIGN_OR_RETURN(row.attachment_sealed,
                        keys_->Seal(uow, req.subject_id, Site("attachment", row.id),
                                    EncodeAttachment(*req.attachment)));
  }
  row.template_key = req.template_key;
  row.language = req.language;
  row.status = "pending";
  row.attempts = 0;
  row.next_attempt_at = row.created_at;
  SC_RETURN_IF_ERROR(uow.mail().Insert(row));
  return row.id;
}

Result<OpenedMail> MailService::Open(UnitOfWork& uow, const MailRecord& row) const {
  OpenedMail m;
  m.id = row.id;
  m.subject = row.subject;
  m.language = row.language;
  m.template_key = row.template_key;
  m.attempt = row.attempts;
  m.created_at = row.created_at;
  SC_ASSIGN_OR_RETURN(m.to, keys_->Open(uow, row.subject_id, Site("to", row.id), row.to_sealed));
  SC_ASSIGN_OR_RETURN(m.body,
                      keys_->Open(uow, row.subject_id, Site("body", row.id), row.body_sealed));
  if (!row.attachment_sealed.empty()) {
    SC_ASSIGN_OR_RETURN(
        std::string plain,
        keys_->Open(uow, row.subject_id, Site("attachment", row.id), row.attachment_sealed));
    SC_ASSIGN_OR_RETURN(m.attachment, DecodeAttachment(plain));
  }
  return m;
}

}  // namespace soundcheck::domain::mail
