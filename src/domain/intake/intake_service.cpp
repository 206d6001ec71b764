#include "domain/intake/intake_service.h"

#include "domain/events/events.h"
#include "domain/idempotency.h"
#include "domain/members/member_service.h"
#include "domain/support/alerts.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "crypto/hashing.h"
#include "crypto/random.h"

namespace soundcheck::domain::intake {

using core::Error;
using core::FieldError;

namespace {

const std::set<std::string> kFor = {"self", "family"};
const std::set<std::string> kRelationships = {"partner", "parent", "child",
                                              "sibling", "friend", "other"};
const std::set<std::string> kPreferred = {"phone", "text", "email"};
const std::set<std::string> kRoles = {"artist",
                                      "touring_crew",
                                      "tour_or_production_manager",
                                      "venue_or_festival_staff",
                                      "label_agency_management",
                                      "photographer_videographer",
                                      "driver",
                                      "other",
                                      "family_member"};
const std::set<std::string> kRequests = {"therapy",        "psychiatry", "substance_use",
                                         "financial_help", "wellness",   "not_sure"};
const std::set<std::string> kInsurance = {"none",     "employer", "marketplace", "medicaid",
                                          "medicare", "union",    "other"};
const std::set<std::string> kIncome = {"under_25k", "25k_50k",   "50k_75k",          "75k_100k",
                                       "100k_150k", "over_150k", "prefer_not_to_say"};
const std::set<std::string> kFormats = {"telehealth", "in_person", "either"};
const std::set<std::string> kSpecialties = {"trauma_informed", "music_industry", "lgbtq_affirming"};
const std::set<std::string> kLanguages = {"en", "es"};

std::string OneOf(const std::set<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return "Choose one of: " + out + ".";
}

bool LooksLikeEmail(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size() || e.size() > 254) {
    return false;
  }
  if (e.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f) return false;
  return e.find('.', at) != std::string_view::npos;
}

bool LooksLikePhone(std::string_view p) {
  int digits = 0;
  for (char c : p) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return digits >= 7 && digits <= 15;
}

bool IsDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool IsCountry(std::string_view c) {
  return c.size() == 2 && std::isupper(static_cast<unsigned char>(c[0])) &&
         std::isupper(static_cast<unsigned char>(c[1]));
}

bool IsRegion(std::string_view r, std::string_view country) {
  if (r.size() < 4 || r.size() > 6 || r.substr(0, 2) != country || r[2] != '-') return false;
  return std::all_of(r.begin() + 3, r.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  });
}

bool IsSrc(std::string_view s) {
  if (s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == '_' || c == '-' ||
           c == '.';
  });
}

// A minimal JSON string escaper for the few values the domain serialises itself.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string ContactJson(const Contact& c) {
  std::string out = "{";
  if (c.email) out += "\"email\":" + Quote(*c.email) + ",";
  if (c.phone) out += "\"phone\":" + Quote(*c.phone) + ",";
  out += "\"preferred\":" + Quote(c.preferred);
  out += std::string(",\"voicemail_ok\":") + (c.voicemail_ok ? "true" : "false");
  out += std::string(",\"text_ok\":") + (c.text_ok ? "true" : "false");
  out += std::string(",\"email_ok\":") + (c.email_ok ? "true" : "false") + "}";
  return out;
}

// "SC-7KQ2-M9XD": Crockford base32, no I, L, O, U, so it reads well over the phone.
std::string NewReference() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string bytes = crypto::RandomBytes(8);
  std::string out = "SC-";
  for (int i = 0; i < 8; ++i) {
    if (i == 4) out += '-';
    out += kAlphabet[static_cast<unsigned char>(bytes[static_cast<size_t>(i)]) % 32];
  }
  return out;
}

std::string EncodeReceipt(const Receipt& r) {
  return "v2|" + r.reference + "|" + (r.urgent ? "1" : "0") + "|" +
         std::to_string(r.contact_within_hours) + "|" + r.language + "|" + r.country + "|" +
         (r.status_link_sent ? "1" : "0");
}

std::optional<Receipt> DecodeReceipt(std::string_view s) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == '|') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  // v1 receipts (before status links) have six fields.
  const bool v1 = parts.size() == 6 && parts[0] == "v1";
  const bool v2 = parts.size() == 7 && parts[0] == "v2";
  if (!v1 && !v2) return std::nullopt;
  Receipt r;
  r.reference = parts[1];
  r.urgent = parts[2] == "1";
  r.contact_within_hours = std::atoi(parts[3].c_str());
  r.language = parts[4];
  r.country = parts[5];
  r.status_link_sent = v2 && parts[6] == "1";
  return r;
}

}  // namespace

bool HasRiskAnswer(const IntakeInput& input) {
  for (const auto& s : input.screenings)
    if (screening::HasRiskAnswer(s)) return true;
  return false;
}

IntakeService::IntakeService(TransactionRunner& runner, keys::KeyService& keys,
                             audit::AuditLog& audit, const core::Clock& clock,
                             core::IdGenerator& ids, IntakePolicy policy,
                             std::function<bool(std::string_view)> valid_time_zone)
    : runner_(runner),
      keys_(keys),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      policy_(policy),
      valid_time_zone_(std::move(valid_time_zone)) {}

core::Status IntakeService::Validate(const IntakeInput& in) const {
  std::vector<FieldError> e;
  auto need = [&](bool ok, std::string field, std::string code, std::string message) {
    if (!ok) e.push_back({std::move(field), std::move(code), std::move(message)});
  };
  need(kFor.count(in.for_whom) > 0, "/for", "invalid_value", OneOf(kFor));
  if (in.for_whom == "family") {
    need(kRelationships.count(in.relationship) > 0, "/relationship", "invalid_value",
         OneOf(kRelationships));
  } else {
    need(in.relationship.empty(), "/relationship", "not_applicable",
         "Only for someone asking for a family member.");
  }
  need(!in.preferred_name.empty() && in.preferred_name.size() <= 100, "/preferred_name",
       in.preferred_name.empty() ? "required" : "too_long",
       "Tell us what to call you (up to 100 characters).");
  need(kLanguages.count(in.language) > 0, "/language", "invalid_value", OneOf(kLanguages));
  const Contact& c = in.contact;
  if (c.email)
    need(LooksLikeEmail(*c.email), "/contact/email", "invalid_format",
         "Enter an email address like name@example.org.");
  if (c.phone)
    need(LooksLikePhone(*c.phone), "/contact/phone", "invalid_format",
         "Enter a phone number with its country code, like +1 615 555 0100.");
  need(kPreferred.count(c.preferred) > 0, "/contact/preferred", "invalid_value", OneOf(kPreferred));
  need(c.email || c.phone, "/contact", "required", "Give us at least one way to reach you.");
  if (c.preferred == "email") {
    need(c.email.has_value() && c.email_ok, "/contact/email", "required",
         "Add an email address we may use, or choose another way.");
  }
  if (c.preferred == "phone") {
    need(c.phone.has_value(), "/contact/phone", "required",
         "Add a phone number, or choose another way.");
  }
  if (c.preferred == "text") {
    need(c.phone.has_value() && c.text_ok, "/contact/phone", "required",
         "Add a phone number we may text, or choose another way.");
  }
  need(kRoles.count(in.industry_role) > 0, "/industry_role", "invalid_value", OneOf(kRoles));
  need(IsCountry(in.location.country), "/location/country", "invalid_format",
       "Choose your country.");
  if (!in.location.region.empty()) {
    need(IsRegion(in.location.region, in.location.country), "/location/region", "invalid_format",
         "Use a region code of your country, like US-TN.");
  }
  need(in.location.city.size() <= 100, "/location/city", "too_long", "Use at most 100 characters.");
  need(!in.location.time_zone.empty() && valid_time_zone_(in.location.time_zone),
       "/location/time_zone", "invalid_value", "Choose a time zone, like America/Chicago.");
  if (!in.on_tour_until.empty()) {
    need(IsDate(in.on_tour_until), "/on_tour/until", "invalid_format",
         "Use a date like 2026-12-20.");
  }
  need(!in.requests.empty(), "/requests", "required",
       "Choose at least one thing you would like help with.");
  for (size_t i = 0; i < in.requests.size(); ++i) {
    need(kRequests.count(in.requests[i]) > 0, "/requests/" + std::to_string(i), "invalid_value",
         OneOf(kRequests));
  }
  if (in.insurance) {
    need(kInsurance.count(in.insurance->type) > 0, "/insurance/type", "invalid_value",
         OneOf(kInsurance));
    for (const auto& [field, v] : {std::pair{"carrier", &in.insurance->carrier},
                                   std::pair{"plan_name", &in.insurance->plan_name},
                                   std::pair{"member_id", &in.insurance->member_id}}) {
      need(v->size() <= 100, std::string("/insurance/") + field, "too_long",
           "Use at most 100 characters.");
    }
  }
  if (in.household) {
    if (in.household->size) {
      need(*in.household->size >= 1 && *in.household->size <= 20, "/household/size", "out_of_range",
           "Use a number from 1 to 20.");
    }
    if (!in.household->income_band.empty()) {
      need(kIncome.count(in.household->income_band) > 0, "/household/income_band", "invalid_value",
           OneOf(kIncome));
    }
  }
  if (!in.preferences.format.empty()) {
    need(kFormats.count(in.preferences.format) > 0, "/preferences/format", "invalid_value",
         OneOf(kFormats));
  }
  need(in.preferences.provider_identity.size() <= 200, "/preferences/provider_identity", "too_long",
       "Use at most 200 characters.");
  for (size_t i = 0; i < in.preferences.specialties.size(); ++i) {
    need(kSpecialties.count(in.preferences.specialties[i]) > 0,
         "/preferences/specialties/" + std::to_string(i), "invalid_value", OneOf(kSpecialties));
  }
  for (size_t i = 0; i < in.screenings.size(); ++i) {
    auto r = screening::Score(in.screenings[i]);
    if (!r) {
      for (const auto& f : r.error().fields) {
        e.push_back({"/screenings/" + std::to_string(i) + f.field, f.code, f.message});
      }
    }
  }
  need(!in.privacy_notice_version.empty() && in.privacy_notice_version.size() <= 20,
       "/consents/privacy_notice_version", "required", "Please read the privacy notice.");
  need(in.consent_contact, "/consents/contact", "required",
       "We need your permission to contact you.");
  need(IsSrc(in.src), "/src", "invalid_format", "Unknown source code.");
  if (!e.empty()) return Error::Unprocessable("intake invalid", std::move(e));
  return core::Ok();
}

core::Result<Receipt> IntakeService::Submit(const IntakeInput& in, const std::string& key,
                                            const std::string& request_id) {
  SC_ASSIGN_OR_RETURN(IdempotencyKey idem, CheckIdempotencyKey("intake", key, in.raw_json));
  const std::string& key_hash = idem.key_hash;
  const std::string& request_hash = idem.request_hash;

  // A retry of a committed submission answers with the first receipt.
  auto replay = [&](const IntakeRecord& rec) -> core::Result<Receipt> {
    if (rec.request_hash != request_hash) return IdempotencyKeyReused();
    auto r = DecodeReceipt(rec.response);
    if (!r) return Error::Internal("stored receipt unreadable");
    r->replayed = true;
    return *r;
  };
  auto find = [&]() -> core::Result<std::optional<IntakeRecord>> {
    std::optional<IntakeRecord> found;
    // A reader: it runs beside the writer instead of taking a turn in its commit queue.
    SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(found, uow.intakes().FindByKeyHash(key_hash));
      return core::Ok();
    }));
    return found;
  };
  {
    SC_ASSIGN_OR_RETURN(auto existing, find());
    if (existing) return replay(*existing);
  }
  SC_RETURN_IF_ERROR(Validate(in));

  std::vector<screening::ScoreResult> results;
  bool urgent = HasRiskAnswer(in);
  for (const auto& s : in.screenings) {
    auto r = screening::Score(s);
    if (r) {
      urgent = urgent || screening::IsRiskResult(*r);
      results.push_back(std::move(*r));
    }
  }
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  Receipt receipt;
  receipt.reference = NewReference();
  receipt.urgent = urgent;
  receipt.language = in.language;
  receipt.country = in.location.country;
  receipt.contact_within_hours =
      urgent ? policy_.urgent_contact_within_hours : policy_.contact_within_hours;

  auto st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
    PersonRecord person;
    person.id = ids_.NewId();
    person.language = in.language;
    person.created_at = now;
    SC_ASSIGN_OR_RETURN(
        person.preferred_name_sealed,
        keys_.Seal(uow, person.id, {"people", "preferred_name", person.id}, in.preferred_name));
    SC_ASSIGN_OR_RETURN(
        person.contact_sealed,
        keys_.Seal(uow, person.id, {"people", "contact", person.id}, ContactJson(in.contact)));
    if (in.contact.email) {
      SC_ASSIGN_OR_RETURN(person.email_index, members::EmailIndex(uow, keys_, *in.contact.email));
    }
    SC_RETURN_IF_ERROR(uow.people().Insert(person));

    CaseRecord c;
    c.id = ids_.NewId();
    c.reference = receipt.reference;
    c.person_id = person.id;
    c.status = "new";
    c.urgent = urgent;
    c.country = in.location.country;
    c.region = in.location.region;
    c.industry_role = in.industry_role;
    for (const auto& r : in.requests) c.requests += (c.requests.empty() ? "" : ",") + r;
    c.src = in.src;
    c.first_contact_due_at = now + int64_t{receipt.contact_within_hours} * 3600;
    c.created_at = c.updated_at = now;
    SC_RETURN_IF_ERROR(uow.cases().Insert(c));

    // Email is only used when they said it is safe to write to them there.
    receipt.status_link_sent = false;
    if (status_link_ && in.contact.email && in.contact.email_ok) {
      SC_ASSIGN_OR_RETURN(
          receipt.status_link_sent,
          status_link_(uow, person.email_index, *in.contact.email, in.language, person.id));
    }

    IntakeRecord rec;
    rec.id = ids_.NewId();
    rec.person_id = person.id;
    rec.case_id = c.id;
    rec.idempotency_key_hash = key_hash;
    rec.request_hash = request_hash;
    rec.created_at = now;
    rec.response = EncodeReceipt(receipt);
    SC_ASSIGN_OR_RETURN(rec.answers_sealed,
                        keys_.Seal(uow, person.id, {"intakes", "answers", rec.id}, in.raw_json));
    SC_ASSIGN_OR_RETURN(
        rec.screenings_sealed,
        keys_.Seal(uow, person.id, {"intakes", "screenings", rec.id}, EncodeResults(results)));
    SC_RETURN_IF_ERROR(uow.intakes().Insert(rec));
    SC_RETURN_IF_ERROR(
        uow.cases().InsertEvent({ids_.NewId(), c.id, now, "anonymous", "case.created",
                                 std::string(urgent ? "urgent; " : "") + "intake" +
                                     (in.src.empty() ? "" : " via " + in.src)}));
    SC_RETURN_IF_ERROR(events::CaseCreated(uow, c, now));
    if (c.urgent) {
      SC_RETURN_IF_ERROR(support::RaiseUrgentAlert(uow, c, now, ids_, policy_.alert_ack_seconds));
    }
    return audit_.Append(uow, {"anonymous", "member", "intake.create", "person", person.id,
                               "intake", "success", request_id});
  });
  if (!st && st.error().code == core::ErrorCode::kConflict) {
    // A concurrent retry with the same key committed first: answer as it did.
    SC_ASSIGN_OR_RETURN(auto existing, find());
    if (existing) return replay(*existing);
  }
  if (!st) return std::move(st).error();
  return receipt;
}

std::string EncodeResults(const std::vector<screening::ScoreResult>& results) {
  std::string out;
  for (const auto& r : results) {
    std::string flags;
    for (const auto& f : r.flags) flags += (flags.empty() ? "" : ",") + f;
    out += r.instrument + "|" + (r.score ? std::to_string(*r.score) : "") + "|" + r.band + "|" +
           (r.positive ? "1" : "0") + "|" + r.risk + "|" + flags + "\n";
  }
  return out;
}

std::vector<screening::ScoreResult> DecodeResults(std::string_view encoded) {
  std::vector<screening::ScoreResult> out;
  std::istringstream in{std::string(encoded)};
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> p;
    std::string cur;
    for (char ch : line) {
      if (ch == '|') {
        p.push_back(cur);
        cur.clear();
      } else {
        cur += ch;
      }
    }
    p.push_back(cur);
    if (p.size() != 6) continue;
    screening::ScoreResult r;
    r.instrument = p[0];
    if (!p[1].empty()) r.score = std::atoi(p[1].c_str());
    r.band = p[2];
    r.positive = p[3] == "1";
    r.risk = p[4];
    std::string f;
    for (char ch : p[5]) {
      if (ch == ',') {
        r.flags.push_back(f);
        f.clear();
      } else {
        f += ch;
      }
    }
    if (!f.empty()) r.flags.push_back(f);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace soundcheck::domain::intake
