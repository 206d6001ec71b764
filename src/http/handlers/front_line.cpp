// The front line: staff on duty and the rota, urgent-case alerts, the "talk to someone
// now" support queue, assignment suggestions and family links. Thin: decode strictly,
// call one domain service, encode.
#include <boost/json.hpp>
#include <charconv>

#include "core/json_body.h"
#include "domain/cases/case_service.h"
#include "domain/support/alerts.h"
#include "domain/support/staff_service.h"
#include "domain/support/support_service.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"

namespace soundcheck::http::handlers {

using core::JsonBody;

boost::json::object CrisisJson(const domain::crisis::CrisisResources& c);  // public.cpp

namespace {

namespace support = domain::support;
using boost::json::array;
using boost::json::object;
using boost::json::value;

value Ts(std::optional<int64_t> t) {
  return t ? value(core::FormatRfc3339(core::FromUnixSeconds(*t))) : value(nullptr);
}

value Str(const std::optional<std::string>& s) { return s ? value(*s) : value(nullptr); }

array Strings(const std::vector<std::string>& v) {
  array a;
  for (const auto& s : v) a.push_back(value(s));
  return a;
}

object StaffJson(const support::StaffMember& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"role", m.role},
          {"on_duty", m.on_duty},
          {"open_cases", m.open_cases},
          {"languages", Strings(m.languages)},
          {"regions", Strings(m.regions)}};
}

object ShiftJson(const support::Shift& s) {
  return {{"id", s.id},
          {"user_id", s.user_id},
          {"user_name", s.user_name},
          {"starts_at", Ts(s.starts_at)},
          {"ends_at", Ts(s.ends_at)},
          {"time_zone", s.time_zone}};
}

object DutyJson(const support::DutyStatus& d) {
  return {{"on_duty", d.on_duty},
          {"since", Ts(d.since)},
          {"on_duty_count", d.on_duty_count},
          {"shift", d.shift ? value(ShiftJson(*d.shift)) : value(nullptr)}};
}

object AlertJson(const support::Alert& a) {
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"reference", a.reference},
          {"raised_at", Ts(a.raised_at)},
          {"deadline_at", Ts(a.deadline_at)},
          {"acknowledged_at", Ts(a.acknowledged_at)},
          {"acknowledged_by", Str(a.acknowledged_by)},
          {"escalated_at", Ts(a.escalated_at)}};
}

object RequestJson(const support::SupportRequest& r) {
  object o{{"id", r.id},
           {"status", r.status},
           {"created_at", Ts(r.created_at)},
           {"language", r.language},
           {"country", r.country},
           {"time_zone", r.time_zone},
           {"slot_start", Ts(r.slot_start)},
           {"claimed_by", Str(r.claimed_by)},
           {"claimed_at", Ts(r.claimed_at)},
           {"outcome", Str(r.outcome)},
           {"closed_at", Ts(r.closed_at)}};
  if (r.phone) {
    o["preferred_name"] = Str(r.preferred_name);
    o["phone"] = Str(r.phone);
    o["voicemail_ok"] = r.voicemail_ok.value_or(false);
    o["case_reference"] =
        r.case_reference && !r.case_reference->empty() ? value(*r.case_reference) : value(nullptr);
  }
  return o;
}

// RFC 3339 query parameter, or `fallback` when absent.
std::optional<int64_t> TimeParam(std::map<std::string, std::string>& q, const std::string& name,
                                 int64_t fallback, bool& bad) {
  auto it = q.find(name);
  if (it == q.end()) return fallback;
  auto t = core::ParseRfc3339(it->second);
  if (!t) {
    bad = true;
    return std::nullopt;
  }
  return core::ToUnixSeconds(*t);
}

}  // namespace

// --- staff, duty, rota ---------------------------------------------------------------------

Response ListStaff(Services& s, RequestContext& ctx) {
  auto staff = s.staff->Directory(CallerOf(ctx));
  if (!staff) return Problem(staff.error(), ctx.request_id);
  array items;
  for (const auto& m : *staff) items.push_back(StaffJson(m));
  return Response::Json(200, {{"items", std::move(items)}});
}

Response UpdateStaffProfile(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto languages = body->StringArray("languages", true, 20, 20);
  auto regions = body->StringArray("regions", true, 60, 20);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto m = s.staff->SetProfile(CallerOf(ctx), ctx.params["id"], *languages, *regions);
  if (!m) return Problem(m.error(), ctx.request_id);
  return Response::Json(200, StaffJson(*m));
}

Response GetDuty(Services& s, RequestContext& ctx) {
  auto d = s.staff->Duty(CallerOf(ctx));
  if (!d) return Problem(d.error(), ctx.request_id);
  return Response::Json(200, DutyJson(*d));
}

Response SetDuty(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto on = body->Bool("on_duty", true);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto d = s.staff->SetDuty(CallerOf(ctx), *on);
  if (!d) return Problem(d.error(), ctx.request_id);
  return Response::Json(200, DutyJson(*d));
}

Response ListShifts(Services& s, RequestContext& ctx) {
  auto q = ctx.request.QueryParams();
  const int64_t now = core::ToUnixSeconds(s.clock->Now());
  bool bad = false;
  auto from = TimeParam(q, "from", now - 24 * 3600, bad);
  auto to = TimeParam(q, "to", now + 7 * 24 * 3600, bad);
  if (bad) {
    return Problem(core::Error::InvalidArgument(
                       "bad time", {{"/from", "format", "Use RFC 3339 times for from and to."}}),
                   ctx.request_id);
  }
  auto shifts = s.staff->Shifts(CallerOf(ctx), *from, *to);
  if (!shifts) return Problem(shifts.error(), ctx.request_id);
  array items;
  for (const auto& x : *shifts) items.push_back(ShiftJson(x));
  return Response::Json(200, {{"items", std::move(items)}});
}

Response AddShift(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  support::NewShift in;
  in.user_id = body->String("user_id", true, 40).value_or("");
  in.starts_local = body->String("starts_at", true, 25).value_or("");
  in.ends_local = body->String("ends_at", true, 25).value_or("");
  in.time_zone = body->String("time_zone", true, 64).value_or("");
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto shift = s.staff->AddShift(CallerOf(ctx), in);
  if (!shift) return Problem(shift.error(), ctx.request_id);
  return Response::Json(201, ShiftJson(*shift));
}

Response DeleteShift(Services& s, RequestContext& ctx) {
  auto st = s.staff->DeleteShift(CallerOf(ctx), ctx.params["id"]);
  if (!st) return Problem(st.error(), ctx.request_id);
  return Response::NoContent();
}

// --- alerts --------------------------------------------------------------------------------

Response ListAlerts(Services& s, RequestContext& ctx) {
  auto q = ctx.request.QueryParams();
  std::string state = q.count("state") ? q["state"] : "open";
  if (state != "open" && state != "all") {
    return Problem(core::Error::InvalidArgument("bad state",
                                                {{"/state", "invalid_value", "Use open or all."}}),
                   ctx.request_id);
  }
  auto alerts = s.alerts->List(CallerOf(ctx), state == "all");
  if (!alerts) return Problem(alerts.error(), ctx.request_id);
  array items;
  for (const auto& a : *alerts) items.push_back(AlertJson(a));
  return Response::Json(200, {{"items", std::move(items)}});
}

Response AcknowledgeAlert(Services& s, RequestContext& ctx) {
  auto a = s.alerts->Acknowledge(CallerOf(ctx), ctx.params["id"]);
  if (!a) return Problem(a.error(), ctx.request_id);
  return Response::Json(200, AlertJson(*a));
}

// --- the support queue ---------------------------------------------------------------------

Response SupportAvailability(Services& s, RequestContext& ctx) {
  auto a = s.support->GetAvailability();
  if (!a) return Problem(a.error(), ctx.request_id);
  array slots;
  for (const auto& x : a->slots)
    slots.push_back(object{{"start", Ts(x.start)}, {"end", Ts(x.end)}});
  return Response::Json(200, {{"open_now", a->open_now},
                              {"on_duty_count", a->on_duty_count},
                              {"slots", std::move(slots)}});
}

Response RequestSupport(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  support::SupportInput in;
  in.raw_json = ctx.request.body;
  in.preferred_name = body->String("preferred_name", true, 200).value_or("");
  in.phone = body->String("phone", true, 40).value_or("");
  in.voicemail_ok = body->Bool("voicemail_ok", false).value_or(false);
  in.language = body->String("language", true, 10).value_or("");
  in.country = body->String("country", true, 2).value_or("");
  in.time_zone = body->String("time_zone", true, 64).value_or("");
  in.case_reference = body->String("case_reference", false, 20).value_or("");
  in.email = body->String("email", false, 320).value_or("");
  in.privacy_notice_version = body->String("privacy_notice_version", true, 20).value_or("");
  std::optional<std::string> slot = body->String("slot_start", false, 40);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  if (slot) {
    auto t = core::ParseRfc3339(*slot);
    if (!t) {
      return Problem(core::Error::InvalidArgument(
                         "bad slot", {{"/slot_start", "format", "Use a time from the slot list."}}),
                     ctx.request_id);
    }
    in.slot_start = core::ToUnixSeconds(*t);
  }
  const bool es = in.language == "es";
  const std::string summary = s.text(in.language, "ics.summary", {});
  const std::string description = s.text(in.language, "ics.description", {});
  auto r = s.support->Request(in, ctx.request.headers.Get("Idempotency-Key"), ctx.request_id,
                              summary, description);
  if (!r) return Problem(r.error(), ctx.request_id);
  object o{
      {"id", r->id},
      {"status", r->status},
      {"open_now", r->open_now},
      {"slot", r->slot ? value(object{{"start", Ts(r->slot->start)}, {"end", Ts(r->slot->end)}})
                       : value(nullptr)},
      {"calendar_ics", r->calendar_ics.empty() ? value(nullptr) : value(r->calendar_ics)},
      {"next_step",
       s.text(in.language, r->status == "booked" ? "support.next.booked" : "support.next.waiting",
              {})}};
  if (s.crisis) {
    auto c = s.crisis->For(in.country, es ? "es" : "en");
    if (!c) c = s.crisis->For("", es ? "es" : "en");
    if (c) o["crisis"] = object{{"resources", CrisisJson(*c)}};  // as the intake answers
  }
  Response res = Response::Json(201, o);
  if (r->replayed) res.headers.Set("Idempotent-Replayed", "true");
  return res;
}

Response ListSupportRequests(Services& s, RequestContext& ctx) {
  auto q = ctx.request.QueryParams();
  auto list = s.support->List(CallerOf(ctx), q.count("status") ? q["status"] : "");
  if (!list) return Problem(list.error(), ctx.request_id);
  array items;
  for (const auto& r : *list) items.push_back(RequestJson(r));
  return Response::Json(200, {{"items", std::move(items)}});
}

Response GetSupportRequest(Services& s, RequestContext& ctx) {
  auto r = s.support->Get(CallerOf(ctx), ctx.params["id"]);
  if (!r) return Problem(r.error(), ctx.request_id);
  return Response::Json(200, RequestJson(*r));
}

Response ClaimSupportRequest(Services& s, RequestContext& ctx) {
  auto r = s.support->Claim(CallerOf(ctx), ctx.params["id"]);
  if (!r) return Problem(r.error(), ctx.request_id);
  return Response::Json(200, RequestJson(*r));
}

Response CloseSupportRequest(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto outcome = body->String("outcome", true, 40);
  auto note = body->String("note", false, 8000);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto r = s.support->Close(CallerOf(ctx), ctx.params["id"], *outcome, note.value_or(""));
  if (!r) return Problem(r.error(), ctx.request_id);
  return Response::Json(200, RequestJson(*r));
}

// --- case additions ------------------------------------------------------------------------

Response SuggestAssignees(Services& s, RequestContext& ctx) {
  auto list = s.staff->Suggest(CallerOf(ctx), ctx.params["id"]);
  if (!list) return Problem(list.error(), ctx.request_id);
  array items;
  for (const auto& x : *list) {
    items.push_back(object{{"user_id", x.user_id},
                           {"name", x.name},
                           {"open_cases", x.open_cases},
                           {"score", x.score},
                           {"reasons", Strings(x.reasons)}});
  }
  return Response::Json(200, {{"items", std::move(items)}});
}

Response LinkCase(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto ref = body->String("case_reference", true, 20);
  auto rel = body->String("relationship", true, 20);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto l = s.cases->Link(CallerOf(ctx), ctx.params["id"], *ref, *rel);
  if (!l) return Problem(l.error(), ctx.request_id);
  return Response::Json(
      201,
      {{"case_id", l->case_id}, {"reference", l->reference}, {"relationship", l->relationship}});
}

}  // namespace soundcheck::http::handlers
