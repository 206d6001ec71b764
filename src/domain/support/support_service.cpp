#include "domain/support/support_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <map>

#include "core/time_zone.h"
#include "crypto/hashing.h"
#include "domain/events/events.h"
#include "domain/idempotency.h"
#include "domain/support/staff_service.h"

namespace soundcheck::domain::support {
namespace {

using accounts::Role;
using core::Error;

constexpr std::string_view kTable = "support_requests";

std::string IcsTime(int64_t t) {
  return core::FormatRfc3339(core::FromUnixSeconds(t)).substr(0, 19);  // "2026-11-26T15:00:00"
}

std::string IcsStamp(int64_t t) {
  std::string s = IcsTime(t);
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '-' || c == ':'; }), s.end());
  return s + "Z";  // 20261126T150000Z
}

// RFC 5545 text: escape \ ; , and newlines; fold lines at 75 octets (never inside a UTF-8
// sequence).
std::string IcsText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') continue;
    out += c;
  }
  return out;
}

std::string Fold(const std::string& line) {
  std::string out;
  size_t col = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    const bool starts_char = (c & 0xC0) != 0x80;
    if (col >= 73 && starts_char) {
      out += "\r\n ";
      col = 1;
    }
    out += line[i];
    ++col;
  }
  return out + "\r\n";
}

bool ValidPhone(const std::string& p) {
  int digits = 0;
  for (char c : p) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return digits >= 7 && digits <= 15 && p.size() <= 32;
}

bool ValidReference(const std::string& r) {
  if (r.size() != 12 || r.rfind("SC-", 0) != 0 || r[7] != '-') return false;
  for (size_t i : {3, 4, 5, 6, 8, 9, 10, 11}) {
    if (!std::isalnum(static_cast<unsigned char>(r[i]))) return false;
  }
  return true;
}

std::string EncodeReceipt(const SupportReceipt& r) {
  boost::json::object o{{"id", r.id},
                        {"status", r.status},
                        {"open_now", r.open_now},
                        {"calendar_ics", r.calendar_ics}};
  if (r.slot) o["slot"] = {{"start", r.slot->start}, {"end", r.slot->end}};
  return boost::json::serialize(o);
}

std::optional<SupportReceipt> DecodeReceipt(const std::string& s) {
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  SupportReceipt r;
  r.id = std::string(o.at("id").as_string());
  r.status = std::string(o.at("status").as_string());
  r.open_now = o.at("open_now").as_bool();
  r.calendar_ics = std::string(o.at("calendar_ics").as_string());
  if (auto* slot = o.if_contains("slot")) {
    r.slot = Slot{slot->at("start").as_int64(), slot->at("end").as_int64()};
  }
  return r;
}

std::string Str(const boost::json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string CalendarInvite(const std::string& uid, int64_t start, int64_t end, int64_t stamp,
                           const std::string& summary, const std::string& description) {
  std::string ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Soundcheck//Support call//EN\r\n"
      "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n";
  ics += Fold("UID:" + uid + "@soundcheck");
  ics += "DTSTAMP:" + IcsStamp(stamp) + "\r\n";
  ics += "DTSTART:" + IcsStamp(start) + "\r\n";
  ics += "DTEND:" + IcsStamp(end) + "\r\n";
  ics += Fold("SUMMARY:" + IcsText(summary));
  ics += Fold("DESCRIPTION:" + IcsText(description));
  ics += "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\n";
  ics += Fold("DESCRIPTION:" + IcsText(summary));
  ics += "END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  return ics;
}

Status SupportService::Audit(UnitOfWork& uow, const accounts::Caller& caller,
                             const std::string& action, const std::string& id) {
  return audit_.Append(
      uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
            action, "support_request", id, "support call", "success", caller.request_id});
}

Result<std::vector<Slot>> SupportService::FreeSlots(UnitOfWork& uow, int64_t now, bool lock) {
  const int64_t step = int64_t{policy_.slot_minutes} * 60;
  const int64_t horizon = now + int64_t{policy_.booking_days} * 24 * 3600;
  SC_ASSIGN_OR_RETURN(
      auto shifts, lock ? uow.staff().LockShifts(now, horizon) : uow.staff().Shifts(now, horizon));
  SC_ASSIGN_OR_RETURN(auto booked, uow.support().BookedBetween(now, horizon));
  std::map<int64_t, int> capacity;
  const int64_t earliest = now + int64_t{policy_.min_lead_minutes} * 60;
  for (const auto& s : shifts) {
    // Slots sit on the slot grid (e.g. :00 and :30 UTC), wholly inside the shift.
    for (int64_t t = (s.starts_at + step - 1) / step * step; t + step <= s.ends_at; t += step) {
      if (t >= earliest && t < horizon) ++capacity[t];
    }
  }
  for (const auto& b : booked) {
    if (b.slot_start) --capacity[*b.slot_start];
  }
  std::vector<Slot> out;
  for (const auto& [t, n] : capacity) {
    if (n > 0) out.push_back({t, t + step});
    if (out.size() >= 200) break;
  }
  return out;
}

Result<Availability> SupportService::GetAvailability() {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  Availability out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto ids, OnDutyUserIds(uow));
    out.on_duty_count = static_cast<int64_t>(ids.size());
    out.open_now = !ids.empty();
    SC_ASSIGN_OR_RETURN(out.slots, FreeSlots(uow, now));
    return core::Ok();
  }));
  return out;
}

Result<SupportReceipt> SupportService::Request(const SupportInput& in, const std::string& key,
                                               const std::string& request_id,
                                               const std::string& invite_summary,
                                               const std::string& invite_description) {
  SC_ASSIGN_OR_RETURN(IdempotencyKey idem, CheckIdempotencyKey("support", key, in.raw_json));
  const std::string& key_hash = idem.key_hash;
  const std::string& request_hash = idem.request_hash;
  auto replay = [&](const SupportRequestRecord& rec) -> Result<SupportReceipt> {
    if (rec.request_hash != request_hash) return IdempotencyKeyReused();
    auto r = DecodeReceipt(rec.response);
    if (!r) return Error::Internal("stored receipt unreadable");
    r->replayed = true;
    return *r;
  };
  auto find = [&]() -> Result<std::optional<SupportRequestRecord>> {
    std::optional<SupportRequestRecord> found;
    SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
      SC_ASSIGN_OR_RETURN(found, uow.support().FindByKeyHash(key_hash));
      return core::Ok();
    }));
    return found;
  };
  {
    SC_ASSIGN_OR_RETURN(auto existing, find());
    if (existing) return replay(*existing);
  }

  std::vector<core::FieldError> errors;
  if (in.preferred_name.empty() || in.preferred_name.size() > 80) {
    errors.push_back(
        {"/preferred_name", "required", "Tell us what to call you (up to 80 characters)."});
  }
  if (!ValidPhone(in.phone)) {
    errors.push_back(
        {"/phone", "invalid_format", "Enter a phone number we can call, with its country code."});
  }
  if (in.language != "en" && in.language != "es") {
    errors.push_back({"/language", "invalid_value", "Choose en or es."});
  }
  if (in.country.size() != 2 || !std::isupper(static_cast<unsigned char>(in.country[0])) ||
      !std::isupper(static_cast<unsigned char>(in.country[1]))) {
    errors.push_back({"/country", "invalid_value", "Use a two-letter country code such as US."});
  }
  if (!core::KnownTimeZone(in.time_zone)) {
    errors.push_back({"/time_zone", "invalid_value", "Use a time zone such as America/Chicago."});
  }
  if (!in.case_reference.empty() && !ValidReference(in.case_reference)) {
    errors.push_back({"/case_reference", "invalid_format", "A reference looks like SC-AB12-CD34."});
  }
  if (!in.email.empty() && !mail::IsValidAddress(in.email)) {
    errors.push_back({"/email", "invalid_format", "Enter an email address, or leave it empty."});
  }
  if (in.privacy_notice_version.empty()) {
    errors.push_back(
        {"/privacy_notice_version", "required", "Say which privacy notice was shown."});
  }
  if (!errors.empty()) return Error::Unprocessable("bad support request", std::move(errors));

  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SupportReceipt receipt;
  receipt.id = ids_.NewId();
  Status st = runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto on_duty, OnDutyUserIds(uow));
    receipt.open_now = !on_duty.empty();
    SupportRequestRecord rec;
    rec.id = receipt.id;
    rec.idempotency_key_hash = key_hash;
    rec.request_hash = request_hash;
    rec.language = in.language;
    rec.country = in.country;
    rec.time_zone = in.time_zone;
    rec.created_at = now;
    if (in.slot_start) {
      // Checked inside the transaction: two members cannot book the last place in a slot.
      SC_ASSIGN_OR_RETURN(auto free, FreeSlots(uow, now, /*lock=*/true));
      auto it = std::find_if(free.begin(), free.end(),
                             [&](const Slot& s) { return s.start == *in.slot_start; });
      if (it == free.end()) {
        return Error::Conflict("slot not free")
            .WithReason("slot-taken")
            .WithDetail("That time is no longer free. Please choose another.");
      }
      rec.status = "booked";
      rec.slot_start = it->start;
      rec.slot_end = it->end;
      receipt.slot = *it;
      receipt.calendar_ics =
          CalendarInvite(receipt.id, it->start, it->end, now, invite_summary, invite_description);
    } else if (receipt.open_now) {
      rec.status = "waiting";
    } else {
      return Error::Unprocessable(
          "nobody on duty",
          {{"/slot_start", "required", "Nobody can call right now. Please choose a time."}});
    }
    receipt.status = rec.status;
    boost::json::object details{{"preferred_name", in.preferred_name},
                                {"phone", in.phone},
                                {"voicemail_ok", in.voicemail_ok},
                                {"case_reference", in.case_reference},
                                {"email", in.email},
                                {"privacy_notice_version", in.privacy_notice_version}};
    SC_ASSIGN_OR_RETURN(rec.details_sealed, keys_.Seal(uow, rec.id, {kTable, "details", rec.id},
                                                       boost::json::serialize(details)));
    rec.response = EncodeReceipt(receipt);
    SC_RETURN_IF_ERROR(uow.support().Insert(rec));
    if (mail_ != nullptr && receipt.slot && !in.email.empty()) {
      // The invite by mail too, in their language and time zone; sealed under the request's
      // own key like the rest of what they told us.
      SC_ASSIGN_OR_RETURN(std::string local, core::UnixToLocal(receipt.slot->start, in.time_zone));
      local[10] = ' ';
      mail::MailRequest m;
      m.template_key = "mail.support_booking";
      m.language = in.language;
      m.recipient = in.email;
      m.subject_id = rec.id;
      m.params = {{"when_local", local}, {"time_zone", in.time_zone}};
      m.attachment =
          mail::Attachment{"soundcheck-call.ics", "text/calendar; charset=UTF-8; method=PUBLISH",
                           receipt.calendar_ics};
      auto queued = mail_->Enqueue(uow, m);
      if (!queued) return std::move(queued).error();
    }
    boost::json::object data{{"request_id", rec.id}, {"status", rec.status}};
    data["slot_start"] =
        rec.slot_start
            ? boost::json::value(core::FormatRfc3339(core::FromUnixSeconds(*rec.slot_start)))
            : boost::json::value(nullptr);
    SC_RETURN_IF_ERROR(events::Emit(
        uow, now, "support.requested", "support_request", rec.id,
        events::Role(Role::kCaseManager) + " " + events::Role(Role::kSupervisor), data));
    return audit_.Append(uow, {"anonymous", "member", "support.request", "support_request", rec.id,
                               "support call", "success", request_id});
  });
  if (!st && st.error().code == core::ErrorCode::kConflict) {
    SC_ASSIGN_OR_RETURN(auto existing, find());
    if (existing) return replay(*existing);
  }
  if (!st) return std::move(st).error();
  return receipt;
}

Result<SupportRequest> SupportService::Summary(const SupportRequestRecord& r) {
  SupportRequest s;
  s.id = r.id;
  s.status = r.status;
  s.created_at = r.created_at;
  s.language = r.language;
  s.country = r.country;
  s.time_zone = r.time_zone;
  s.slot_start = r.slot_start;
  s.claimed_by = r.claimed_by;
  s.claimed_at = r.claimed_at;
  s.outcome = r.outcome;
  s.closed_at = r.closed_at;
  return s;
}

Result<std::vector<SupportRequest>> SupportService::List(const accounts::Caller& caller,
                                                         const std::string& status) {
  if (!status.empty() && status != "waiting" && status != "booked" && status != "claimed" &&
      status != "closed") {
    return Error::InvalidArgument(
        "bad status", {{"/status", "invalid_value", "Use waiting, booked, claimed or closed."}});
  }
  std::vector<SupportRequest> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rows, uow.support().List(status, 200));
    for (const auto& r : rows) {
      SC_ASSIGN_OR_RETURN(auto s, Summary(r));
      out.push_back(std::move(s));
    }
    return Audit(uow, caller, "support.list", "*");
  }));
  return out;
}

Result<SupportRequest> SupportService::Get(const accounts::Caller& caller, const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such request");
  SupportRequest out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto r, uow.support().Find(id));
    if (!r) return Error::NotFound("no such request");
    SC_ASSIGN_OR_RETURN(out, Summary(*r));
    SC_ASSIGN_OR_RETURN(std::string json,
                        keys_.Open(uow, r->id, {kTable, "details", r->id}, r->details_sealed));
    boost::system::error_code ec;
    auto v = boost::json::parse(json, ec);
    if (ec || !v.is_object()) return Error::Internal("support details unreadable");
    const auto& o = v.as_object();
    out.preferred_name = Str(o, "preferred_name");
    out.phone = Str(o, "phone");
    out.case_reference = Str(o, "case_reference");
    auto* vm = o.if_contains("voicemail_ok");
    out.voicemail_ok = vm && vm->is_bool() && vm->as_bool();
    return Audit(uow, caller, "support.read", id);
  }));
  return out;
}

Result<SupportRequest> SupportService::Claim(const accounts::Caller& caller,
                                             const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such request");
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto r, uow.support().Find(id));
    if (!r) return Error::NotFound("no such request");
    SC_ASSIGN_OR_RETURN(bool won, uow.support().Claim(id, caller.principal.user_id, now));
    if (!won) {
      if (r->claimed_by == caller.principal.user_id && r->status == "claimed") return core::Ok();
      return Error::Conflict("claimed already")
          .WithReason("support-request-taken")
          .WithDetail("Someone else has taken this request.");
    }
    SC_RETURN_IF_ERROR(
        events::Emit(uow, now, "support.claimed", "support_request", id,
                     events::Role(Role::kCaseManager) + " " + events::Role(Role::kSupervisor),
                     {{"request_id", id}, {"by", caller.principal.user_id}}));
    return Audit(uow, caller, "support.claim", id);
  }));
  return Get(caller, id);
}

Result<SupportRequest> SupportService::Close(const accounts::Caller& caller, const std::string& id,
                                             const std::string& outcome, const std::string& note) {
  if (std::find(std::begin(kOutcomes), std::end(kOutcomes), outcome) == std::end(kOutcomes)) {
    return Error::Unprocessable("bad outcome",
                                {{"/outcome", "invalid_value",
                                  "Use talked, no_answer, voicemail, crisis_referral or other."}});
  }
  if (note.size() > 4000) {
    return Error::Unprocessable("note too long",
                                {{"/note", "too_long", "At most 4000 characters."}});
  }
  if (!core::IsUuid(id)) return Error::NotFound("no such request");
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto r, uow.support().Find(id));
    if (!r) return Error::NotFound("no such request");
    if (r->status != "claimed") {
      return Error::Conflict("not claimed")
          .WithReason("support-request-not-claimed")
          .WithDetail(r->status == "closed" ? "This request is closed already."
                                            : "Claim the request before closing it.");
    }
    if (r->claimed_by != caller.principal.user_id && caller.principal.role != Role::kSupervisor) {
      return Error::PermissionDenied("not yours")
          .WithDetail("Only the person who took this request, or a supervisor, can close it.");
    }
    std::string sealed;
    if (!note.empty()) {
      SC_ASSIGN_OR_RETURN(sealed, keys_.Seal(uow, id, {kTable, "note", id}, note));
    }
    SC_ASSIGN_OR_RETURN(bool closed, uow.support().Close(id, now, outcome, sealed));
    if (!closed)
      return Error::Conflict("not claimed").WithDetail("This request changed meanwhile.");
    SC_RETURN_IF_ERROR(
        events::Emit(uow, now, "support.closed", "support_request", id,
                     events::Role(Role::kCaseManager) + " " + events::Role(Role::kSupervisor),
                     {{"request_id", id}, {"outcome", outcome}}));
    return Audit(uow, caller, "support.close", id);
  }));
  return Get(caller, id);
}

}  // namespace soundcheck::domain::support
