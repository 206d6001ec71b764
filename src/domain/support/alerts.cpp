#include "domain/support/alerts.h"

#include "domain/events/events.h"
#include "domain/support/staff_service.h"

namespace soundcheck::domain::support {
namespace {

using accounts::Role;
using core::Error;

boost::json::value Time(std::optional<int64_t> t) {
  return t ? boost::json::value(core::FormatRfc3339(core::FromUnixSeconds(*t)))
           : boost::json::value(nullptr);
}

}  // namespace

Status RaiseUrgentAlert(UnitOfWork& uow, const CaseRecord& c, int64_t now, core::IdGenerator& ids,
                        int ack_deadline_seconds) {
  SC_ASSIGN_OR_RETURN(auto on_duty, OnDutyUserIds(uow));
  AlertRecord a;
  a.id = ids.NewId();
  a.case_id = c.id;
  a.raised_at = now;
  a.deadline_at = on_duty.empty() ? now : now + ack_deadline_seconds;
  SC_RETURN_IF_ERROR(uow.alerts().Insert(a));
  // Everyone on duty; supervisors too, so a supervisor's console shows what is pending.
  std::string audience = events::Role(Role::kSupervisor);
  for (const auto& id : on_duty) audience += " " + events::User(id);
  return events::Emit(uow, now, "alert.raised", "alert", a.id, audience,
                      {{"alert_id", a.id},
                       {"case_id", c.id},
                       {"reference", c.reference},
                       {"deadline_at", Time(a.deadline_at)},
                       {"on_duty_count", static_cast<int64_t>(on_duty.size())}});
}

Result<Alert> AlertService::Load(UnitOfWork& uow, const AlertRecord& a) {
  SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(a.case_id));
  return Alert{a.id,          a.case_id,         c ? c->reference : "", a.raised_at,
               a.deadline_at, a.acknowledged_at, a.acknowledged_by,     a.escalated_at};
}

Result<std::vector<Alert>> AlertService::List(const accounts::Caller& caller, bool all) {
  std::vector<Alert> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rows, uow.alerts().List(!all, 200));
    for (const auto& a : rows) {
      SC_ASSIGN_OR_RETURN(auto x, Load(uow, a));
      out.push_back(std::move(x));
    }
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "alert.list", "alert", "*", "crisis safety", "success", caller.request_id});
  }));
  return out;
}

Result<Alert> AlertService::Acknowledge(const accounts::Caller& caller, const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such alert");
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  Alert out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(bool first, uow.alerts().Acknowledge(id, now, caller.principal.user_id));
    SC_ASSIGN_OR_RETURN(auto a, uow.alerts().Find(id));
    if (!a) return Error::NotFound("no such alert");
    SC_ASSIGN_OR_RETURN(out, Load(uow, *a));
    if (first) {
      // Everyone who heard the alert hears that it is taken care of.
      SC_RETURN_IF_ERROR(events::Emit(
          uow, now, "alert.acknowledged", "alert", id,
          events::Role(Role::kCaseManager) + " " + events::Role(Role::kSupervisor),
          {{"alert_id", id}, {"case_id", a->case_id}, {"by", caller.principal.user_id}}));
    }
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "alert.acknowledge", "alert", id, "crisis safety", "success", caller.request_id});
  }));
  return out;
}

Result<int> AlertService::EscalateOverdue(const EscalationHook& hook) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  int n = 0;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    n = 0;
    SC_ASSIGN_OR_RETURN(auto due, uow.alerts().TakeOverdue(now, 50));
    for (const auto& rec : due) {
      SC_ASSIGN_OR_RETURN(Alert a, Load(uow, rec));
      SC_RETURN_IF_ERROR(
          events::Emit(uow, now, "alert.escalated", "alert", a.id, events::Role(Role::kSupervisor),
                       {{"alert_id", a.id}, {"case_id", a.case_id}, {"reference", a.reference}}));
      if (hook) SC_RETURN_IF_ERROR(hook(uow, a));
      SC_RETURN_IF_ERROR(audit_.Append(uow, {"system", "system", "alert.escalate", "alert", a.id,
                                             "crisis safety", "success", ""}));
      ++n;
    }
    return core::Ok();
  }));
  return n;
}

}  // namespace soundcheck::domain::support
