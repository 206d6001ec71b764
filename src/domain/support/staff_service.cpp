#include "domain/support/staff_service.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/time_zone.h"
#include "domain/events/events.h"

namespace soundcheck::domain::support {
namespace {

using accounts::Role;
using core::Error;

std::vector<std::string> Split(const std::string& csv) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < csv.size()) {
    size_t comma = csv.find(',', pos);
    if (comma == std::string::npos) comma = csv.size();
    if (comma > pos) out.push_back(csv.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

bool IsLanguage(const std::string& s) {
  return s.size() == 2 && std::islower(static_cast<unsigned char>(s[0])) &&
         std::islower(static_cast<unsigned char>(s[1]));
}

// "MX" (a country) or "US-TN" (ISO 3166-2: country, dash, 1–3 letters or digits).
bool IsRegion(const std::string& s) {
  if (s.size() < 2 || !std::isupper(static_cast<unsigned char>(s[0])) ||
      !std::isupper(static_cast<unsigned char>(s[1]))) {
    return false;
  }
  if (s.size() == 2) return true;
  if (s.size() < 4 || s.size() > 6 || s[2] != '-') return false;
  return std::all_of(s.begin() + 3, s.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  });
}

bool IsCaseRole(const std::string& role) { return role == "case_manager" || role == "supervisor"; }

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

constexpr int64_t kMaxShiftSeconds = 16 * 3600;
constexpr int64_t kMinShiftSeconds = 15 * 60;
constexpr int64_t kMaxRangeSeconds = 31 * 24 * 3600;

}  // namespace

Result<std::vector<std::string>> OnDutyUserIds(UnitOfWork& uow) {
  SC_ASSIGN_OR_RETURN(auto profiles, uow.staff().Profiles());
  std::vector<std::string> out;
  for (const auto& p : profiles) {
    if (!p.on_duty) continue;
    SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(p.user_id));
    if (user && !user->disabled && IsCaseRole(user->role)) out.push_back(p.user_id);
  }
  return out;
}

Status StaffService::Audit(UnitOfWork& uow, const accounts::Caller& caller,
                           const std::string& action, const std::string& subject_type,
                           const std::string& subject_id) {
  return audit_.Append(
      uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
            action, subject_type, subject_id, "staff rota", "success", caller.request_id});
}

Result<std::vector<StaffMember>> StaffService::LoadStaff(UnitOfWork& uow) {
  std::map<std::string, StaffProfileRecord> profiles;
  {
    SC_ASSIGN_OR_RETURN(auto all, uow.staff().Profiles());
    for (auto& p : all) profiles[p.user_id] = std::move(p);
  }
  std::map<std::string, int64_t> counts;
  {
    SC_ASSIGN_OR_RETURN(auto all, uow.staff().OpenCaseCounts());
    for (auto& [id, n] : all) counts[id] = n;
  }
  std::vector<StaffMember> out;
  std::string after;
  for (;;) {
    SC_ASSIGN_OR_RETURN(auto users, uow.users().List(after, 500));
    for (const auto& u : users) {
      if (u.disabled || !IsCaseRole(u.role)) continue;
      StaffMember m;
      m.id = u.id;
      SC_ASSIGN_OR_RETURN(m.name, keys_.Open(uow, u.id, {"users", "name", u.id}, u.name_sealed));
      m.role = u.role;
      if (auto it = profiles.find(u.id); it != profiles.end()) {
        m.on_duty = it->second.on_duty;
        m.languages = Split(it->second.languages);
        m.regions = Split(it->second.regions);
      }
      m.open_cases = counts[u.id];
      out.push_back(std::move(m));
    }
    if (users.size() < 500) break;
    after = users.back().id;
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
  return out;
}

Result<std::vector<StaffMember>> StaffService::Directory(const accounts::Caller& caller) {
  std::vector<StaffMember> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(out, LoadStaff(uow));
    return Audit(uow, caller, "staff.list", "user", "*");
  }));
  return out;
}

Result<DutyStatus> StaffService::Duty(const accounts::Caller& caller) {
  DutyStatus out;
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto p, uow.staff().FindProfile(caller.principal.user_id));
    if (p) {
      out.on_duty = p->on_duty;
      out.since = p->on_duty ? p->duty_since : std::nullopt;
    }
    SC_ASSIGN_OR_RETURN(auto ids, OnDutyUserIds(uow));
    out.on_duty_count = static_cast<int64_t>(ids.size());
    SC_ASSIGN_OR_RETURN(auto shifts, uow.staff().Shifts(now, now + 7 * 24 * 3600));
    for (const auto& s : shifts) {
      if (s.user_id != caller.principal.user_id) continue;
      out.shift = Shift{s.id, s.user_id, "", s.starts_at, s.ends_at, s.time_zone};
      break;
    }
    return core::Ok();
  }));
  return out;
}

Result<DutyStatus> StaffService::SetDuty(const accounts::Caller& caller, bool on_duty) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto p, uow.staff().FindProfile(caller.principal.user_id));
    StaffProfileRecord rec = p.value_or(StaffProfileRecord{caller.principal.user_id});
    if (rec.on_duty == on_duty) return core::Ok();  // nothing changes, nothing announced
    rec.on_duty = on_duty;
    rec.duty_since = on_duty ? std::optional<int64_t>(now) : std::nullopt;
    rec.updated_at = now;
    SC_RETURN_IF_ERROR(uow.staff().UpsertProfile(rec));
    SC_ASSIGN_OR_RETURN(auto ids, OnDutyUserIds(uow));
    SC_RETURN_IF_ERROR(
        events::Emit(uow, now, "duty.changed", "user", caller.principal.user_id,
                     events::Role(Role::kCaseManager) + " " + events::Role(Role::kSupervisor),
                     {{"user_id", caller.principal.user_id},
                      {"on_duty", on_duty},
                      {"on_duty_count", static_cast<int64_t>(ids.size())}}));
    return Audit(uow, caller, on_duty ? "duty.on" : "duty.off", "user", caller.principal.user_id);
  }));
  return Duty(caller);
}

Result<StaffMember> StaffService::SetProfile(const accounts::Caller& caller,
                                             const std::string& user_id,
                                             const std::vector<std::string>& languages,
                                             const std::vector<std::string>& regions) {
  std::vector<core::FieldError> errors;
  for (size_t i = 0; i < languages.size(); ++i) {
    if (!IsLanguage(languages[i])) {
      errors.push_back({"/languages/" + std::to_string(i), "invalid_value",
                        "Use a two-letter language code such as \"es\"."});
    }
  }
  for (size_t i = 0; i < regions.size(); ++i) {
    if (!IsRegion(regions[i])) {
      errors.push_back({"/regions/" + std::to_string(i), "invalid_value",
                        "Use a country (\"MX\") or region code (\"US-TN\")."});
    }
  }
  if (languages.size() > 20 || regions.size() > 60) {
    errors.push_back({"/", "too_many", "At most 20 languages and 60 regions."});
  }
  if (!errors.empty()) return Error::Unprocessable("bad profile", std::move(errors));
  if (caller.principal.role != Role::kSupervisor && caller.principal.user_id != user_id) {
    return Error::PermissionDenied("own profile only")
        .WithDetail(
            "You can change your own languages and regions; a supervisor can change anyone's.");
  }
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  StaffMember out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(user_id));
    if (!user || user->disabled || !IsCaseRole(user->role)) {
      return Error::NotFound("no such staff member");
    }
    SC_ASSIGN_OR_RETURN(auto p, uow.staff().FindProfile(user_id));
    StaffProfileRecord rec = p.value_or(StaffProfileRecord{user_id});
    rec.languages = Join(languages);
    rec.regions = Join(regions);
    rec.updated_at = now;
    SC_RETURN_IF_ERROR(uow.staff().UpsertProfile(rec));
    SC_ASSIGN_OR_RETURN(auto all, LoadStaff(uow));
    for (auto& m : all) {
      if (m.id == user_id) out = std::move(m);
    }
    return Audit(uow, caller, "staff.profile", "user", user_id);
  }));
  return out;
}

Result<std::vector<Shift>> StaffService::Shifts(const accounts::Caller& caller, int64_t from,
                                                int64_t to) {
  if (to <= from || to - from > kMaxRangeSeconds) {
    return Error::InvalidArgument(
        "bad range", {{"/to", "invalid_range", "Ask for at most 31 days, with to after from."}});
  }
  std::vector<Shift> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto staff, LoadStaff(uow));
    std::map<std::string, std::string> names;
    for (const auto& m : staff) names[m.id] = m.name;
    SC_ASSIGN_OR_RETURN(auto shifts, uow.staff().Shifts(from, to));
    for (const auto& s : shifts) {
      out.push_back({s.id, s.user_id, names[s.user_id], s.starts_at, s.ends_at, s.time_zone});
    }
    return Audit(uow, caller, "shift.list", "shift", "*");
  }));
  return out;
}

Result<Shift> StaffService::AddShift(const accounts::Caller& caller, const NewShift& in) {
  std::vector<core::FieldError> errors;
  if (!core::KnownTimeZone(in.time_zone)) {
    errors.push_back(
        {"/time_zone", "invalid_value", "Use an IANA time zone such as America/Chicago."});
  }
  Result<int64_t> start = core::LocalToUnix(in.starts_local, in.time_zone);
  Result<int64_t> end = core::LocalToUnix(in.ends_local, in.time_zone);
  if (errors.empty() && !start) {
    errors.push_back({"/starts_at", "format", "Use a local time like 2026-11-26T09:00."});
  }
  if (errors.empty() && !end) {
    errors.push_back({"/ends_at", "format", "Use a local time like 2026-11-26T17:00."});
  }
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  if (errors.empty()) {
    const int64_t length = *end - *start;
    if (length < kMinShiftSeconds || length > kMaxShiftSeconds) {
      errors.push_back({"/ends_at", "invalid_range", "A shift lasts 15 minutes to 16 hours."});
    } else if (*end <= now) {
      errors.push_back({"/ends_at", "in_past", "This shift is already over."});
    }
  }
  if (!errors.empty()) return Error::Unprocessable("bad shift", std::move(errors));
  if (caller.principal.role != Role::kSupervisor && caller.principal.user_id != in.user_id) {
    return Error::PermissionDenied("own shifts only")
        .WithDetail("You can add your own shifts; a supervisor can add anyone's.");
  }
  Shift out{ids_.NewId(), in.user_id, "", *start, *end, in.time_zone};
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(in.user_id));
    if (!user || user->disabled || !IsCaseRole(user->role)) {
      return Error::Unprocessable("bad user", {{"/user_id", "invalid_value",
                                                "Choose an active case manager or supervisor."}});
    }
    SC_ASSIGN_OR_RETURN(auto overlapping, uow.staff().Shifts(out.starts_at, out.ends_at));
    for (const auto& other : overlapping) {
      if (other.user_id == in.user_id) {
        return Error::Unprocessable(
            "overlapping shift",
            {{"/starts_at", "overlaps", "This overlaps another shift of the same person."}});
      }
    }
    SC_ASSIGN_OR_RETURN(out.user_name,
                        keys_.Open(uow, user->id, {"users", "name", user->id}, user->name_sealed));
    SC_RETURN_IF_ERROR(uow.staff().InsertShift({out.id, out.user_id, out.starts_at, out.ends_at,
                                                out.time_zone, caller.principal.user_id, now}));
    return Audit(uow, caller, "shift.create", "shift", out.id);
  }));
  return out;
}

Status StaffService::DeleteShift(const accounts::Caller& caller, const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such shift");
  return runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto s, uow.staff().FindShift(id));
    if (!s) return Error::NotFound("no such shift");
    if (caller.principal.role != Role::kSupervisor && caller.principal.user_id != s->user_id) {
      return Error::PermissionDenied("own shifts only")
          .WithDetail("You can remove your own shifts; a supervisor can remove anyone's.");
    }
    SC_ASSIGN_OR_RETURN(bool gone, uow.staff().DeleteShift(id));
    if (!gone) return Error::NotFound("no such shift");
    return Audit(uow, caller, "shift.delete", "shift", id);
  });
}

Result<std::vector<Suggestion>> StaffService::Suggest(const accounts::Caller& caller,
                                                      const std::string& case_id) {
  if (caller.principal.role != Role::kSupervisor) {
    return Error::PermissionDenied("supervisors only")
        .WithDetail("Suggestions help supervisors assign cases.");
  }
  if (!core::IsUuid(case_id)) return Error::NotFound("no such case");
  std::vector<Suggestion> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(case_id));
    if (!c) return Error::NotFound("no such case");
    SC_ASSIGN_OR_RETURN(auto person, uow.people().FindById(c->person_id));
    const std::string language = person ? person->language : "";
    // Regions are stored as the intake sent them: "US-TN", or "TN" beside country "US".
    const std::string region = c->region.empty() || c->region.find('-') != std::string::npos
                                   ? c->region
                                   : c->country + "-" + c->region;
    SC_ASSIGN_OR_RETURN(auto staff, LoadStaff(uow));
    int64_t lightest = INT64_MAX;
    for (const auto& m : staff) lightest = std::min(lightest, m.open_cases);
    for (const auto& m : staff) {
      Suggestion s{m.id, m.name, m.open_cases, 0, {}};
      // Language matters most: a person in distress should not need an interpreter.
      if (!language.empty() && language != "en" && Contains(m.languages, language)) {
        s.score += 40;
        s.reasons.push_back("speaks_language");
      } else if (language == "en" || language.empty()) {
        s.score += 10;
      }
      if ((!region.empty() && Contains(m.regions, region)) || Contains(m.regions, c->country)) {
        s.score += 20;
        s.reasons.push_back("covers_region");
      }
      if (m.on_duty) {
        s.score += 15;
        s.reasons.push_back("on_duty");
      }
      if (m.open_cases == lightest) s.reasons.push_back("lightest_caseload");
      s.score += std::max<int64_t>(0, 30 - 2 * m.open_cases);
      out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(b.score, a.open_cases, a.user_id) <
             std::tie(a.score, b.open_cases, b.user_id);
    });
    if (out.size() > 10) out.resize(10);
    return Audit(uow, caller, "case.suggestions", "case", case_id);
  }));
  return out;
}

}  // namespace soundcheck::domain::support
