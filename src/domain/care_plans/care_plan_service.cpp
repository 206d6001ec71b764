#include "domain/care_plans/care_plan_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/json_body.h"
#include "domain/cases/case_service.h"
#include "domain/directory/freshness.h"
#include "domain/events/events.h"

namespace soundcheck::domain::care_plans {
namespace {

namespace json = boost::json;
using core::Error;
using core::FieldError;

constexpr size_t kMaxGoals = 20;
constexpr size_t kMaxItems = 60;
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxText = 2000;
constexpr int64_t kMaxCents = 100'000'000;

const std::set<std::string, std::less<>> kKinds = {"provider", "resource", "event",
                                                   "financial_aid"};
const std::set<std::string, std::less<>> kStatuses = {"proposed", "agreed", "in_progress", "done",
                                                      "declined"};
const std::set<std::string, std::less<>> kBases = {
    "in_network", "out_of_network", "self_pay", "sliding_scale", "free", "covered", "other"};
const std::set<std::string, std::less<>> kPer = {"session", "month", "once"};

std::string OneOf(const std::set<std::string, std::less<>>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return "Choose one of: " + out + ".";
}

// The row a version's seal is bound to: the plan's words are the person's, under their key.
// (SealSite holds views: keep the string alive while the site is used.)
std::string RowId(const std::string& case_id, int64_t version) {
  return case_id + "#" + std::to_string(version);
}

}  // namespace

json::object EncodePlan(const Plan& plan, bool with_staff_notes) {
  json::array goals;
  for (const auto& g : plan.goals) goals.push_back(json::object{{"id", g.id}, {"text", g.text}});
  json::array items;
  for (const auto& i : plan.items) {
    json::object o{{"id", i.id},
                   {"kind", i.kind},
                   {"status", i.status},
                   {"title", i.title},
                   {"service_id", i.service_id},
                   {"goal_id", i.goal_id},
                   {"starts_on", i.starts_on},
                   {"sessions", i.sessions},
                   {"fund_reference", i.fund_reference},
                   {"for_member", i.for_member}};
    if (i.cost) {
      o["cost"] = json::object{{"low_cents", i.cost->low_cents},
                               {"high_cents", i.cost->high_cents ? json::value(*i.cost->high_cents)
                                                                 : json::value(nullptr)},
                               {"basis", i.cost->basis},
                               {"per", i.cost->per}};
    } else {
      o["cost"] = nullptr;
    }
    if (with_staff_notes) o["notes"] = i.notes;
    items.push_back(std::move(o));
  }
  return json::object{{"goals", std::move(goals)}, {"items", std::move(items)}};
}

core::Result<Plan> DecodePlan(const json::object& body) {
  auto parsed = core::JsonBody::Parse(json::serialize(body));
  if (!parsed) return std::move(parsed).error();
  core::JsonBody& b = *parsed;
  Plan plan;
  for (auto& g : b.ObjectArray("goals", true, kMaxGoals + 1)) {
    Goal goal;
    goal.id = g.String("id", false, 64).value_or("");
    goal.text = g.String("text", true, kMaxText + 1).value_or("");
    plan.goals.push_back(std::move(goal));
    b.Merge(std::move(g));
  }
  for (auto& i : b.ObjectArray("items", true, kMaxItems + 1)) {
    Item item;
    item.id = i.String("id", false, 64).value_or("");
    item.kind = i.String("kind", true, 40).value_or("");
    item.status = i.String("status", true, 40).value_or("");
    item.title = i.String("title", true, kMaxTitle + 1).value_or("");
    item.service_id = i.String("service_id", false, 64).value_or("");
    item.goal_id = i.String("goal_id", false, 64).value_or("");
    item.starts_on = i.String("starts_on", false, 10).value_or("");
    item.sessions = static_cast<int>(i.Int("sessions", false, 0, 520).value_or(0));
    item.fund_reference = i.String("fund_reference", false, 100).value_or("");
    item.notes = i.String("notes", false, kMaxText + 1).value_or("");
    item.for_member = i.String("for_member", false, kMaxText + 1).value_or("");
    if (auto c = i.Object("cost", false)) {
      ItemCost cost;
      cost.low_cents = c->Int("low_cents", true, 0, kMaxCents).value_or(0);
      if (c->IsNull("high_cents")) {
        c->Bool("high_cents", false);  // null: no upper bound known
      } else {
        cost.high_cents = c->Int("high_cents", true, 0, kMaxCents).value_or(0);
      }
      cost.basis = c->String("basis", true, 40).value_or("");
      cost.per = c->String("per", false, 20).value_or("session");
      item.cost = cost;
      i.Merge(std::move(*c));
    } else if (i.IsNull("cost")) {
      i.Bool("cost", false);  // null: no estimate
    }
    plan.items.push_back(std::move(item));
    b.Merge(std::move(i));
  }
  SC_RETURN_IF_ERROR(b.Finish());
  return plan;
}

core::Status Validate(const Plan& plan) {
  std::vector<FieldError> errors;
  auto need = [&](bool ok, std::string field, std::string code, std::string message) {
    if (!ok) errors.push_back({std::move(field), std::move(code), std::move(message)});
  };
  need(plan.goals.size() <= kMaxGoals, "/goals", "too_many", "At most 20 goals.");
  need(plan.items.size() <= kMaxItems, "/items", "too_many", "At most 60 items.");
  std::set<std::string> goal_ids;
  for (size_t k = 0; k < plan.goals.size(); ++k) {
    const auto& g = plan.goals[k];
    const std::string at = "/goals/" + std::to_string(k);
    need(!g.text.empty(), at + "/text", "required", "Say what the goal is.");
    need(g.text.size() <= kMaxText, at + "/text", "too_long", "At most 2,000 characters.");
    if (!g.id.empty()) need(goal_ids.insert(g.id).second, at + "/id", "duplicate", "Ids repeat.");
  }
  std::set<std::string> item_ids;
  for (size_t k = 0; k < plan.items.size(); ++k) {
    const auto& i = plan.items[k];
    const std::string at = "/items/" + std::to_string(k);
    need(kKinds.count(i.kind) > 0, at + "/kind", "invalid_value", OneOf(kKinds));
    need(kStatuses.count(i.status) > 0, at + "/status", "invalid_value", OneOf(kStatuses));
    need(!i.title.empty(), at + "/title", "required", "Give the item a title.");
    need(i.title.size() <= kMaxTitle, at + "/title", "too_long", "At most 200 characters.");
    need(i.notes.size() <= kMaxText, at + "/notes", "too_long", "At most 2,000 characters.");
    need(i.for_member.size() <= kMaxText, at + "/for_member", "too_long",
         "At most 2,000 characters.");
    need(i.service_id.empty() || core::IsUuid(i.service_id), at + "/service_id", "invalid_format",
         "A directory listing's id.");
    need(i.goal_id.empty() || goal_ids.count(i.goal_id) > 0, at + "/goal_id", "invalid_value",
         "Choose one of the plan's goals.");
    need(i.starts_on.empty() || directory::ParseDate(i.starts_on).has_value(), at + "/starts_on",
         "invalid_format", "A date, YYYY-MM-DD.");
    if (!i.id.empty()) need(item_ids.insert(i.id).second, at + "/id", "duplicate", "Ids repeat.");
    if (i.cost) {
      need(!i.cost->high_cents || i.cost->low_cents <= *i.cost->high_cents, at + "/cost/low_cents",
           "out_of_range", "The low estimate cannot exceed the high one.");
      need(kBases.count(i.cost->basis) > 0, at + "/cost/basis", "invalid_value", OneOf(kBases));
      need(kPer.count(i.cost->per) > 0, at + "/cost/per", "invalid_value", OneOf(kPer));
    }
  }
  if (!errors.empty()) return Error::Unprocessable("invalid care plan", std::move(errors));
  return core::Ok();
}

core::Status CarePlanService::Audit(UnitOfWork& uow, const accounts::Caller& caller,
                                    const std::string& action, const std::string& case_id) {
  return audit_.Append(
      uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
            action, "case", case_id, "care planning", "success", caller.request_id});
}

core::Result<PlanVersion> CarePlanService::Open(UnitOfWork& uow, const CaseRecord& c,
                                                const CarePlanRecord& record) {
  const std::string row = RowId(c.id, record.version);
  SC_ASSIGN_OR_RETURN(std::string text, keys_.Open(uow, c.person_id, {"care_plans", "body", row},
                                                   record.body_sealed));
  boost::system::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return Error::Internal("unreadable care plan");
  SC_ASSIGN_OR_RETURN(Plan plan, DecodePlan(doc.get_object()));
  PlanVersion v;
  v.case_id = c.id;
  v.version = record.version;
  v.plan = std::move(plan);
  v.author_id = record.author_id;
  v.created_at = record.created_at;
  v.signed_off_by = record.signed_off_by;
  v.signed_off_at = record.signed_off_at;
  v.needs_sign_off = c.urgent && !record.signed_off_at;
  return v;
}

core::Result<PlanView> CarePlanService::Get(const accounts::Caller& caller,
                                            const std::string& case_id) {
  PlanView view;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    view = PlanView{};
    SC_ASSIGN_OR_RETURN(CaseRecord c, cases::VisibleCase(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto latest, uow.care_plans().Latest(c.id, false));
    if (latest) {
      SC_ASSIGN_OR_RETURN(view.current, Open(uow, c, *latest));
    } else {
      view.current.case_id = c.id;
    }
    SC_ASSIGN_OR_RETURN(auto versions, uow.care_plans().Versions(c.id));
    for (const auto& v : versions) {
      view.versions.push_back({v.version, v.author_id, v.created_at, v.signed_off_at});
    }
    return Audit(uow, caller, "care_plan.read", c.id);
  }));
  return view;
}

core::Result<PlanVersion> CarePlanService::GetVersion(const accounts::Caller& caller,
                                                      const std::string& case_id, int64_t version) {
  PlanVersion out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, cases::VisibleCase(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto record, uow.care_plans().Find(c.id, version));
    if (!record) return Error::NotFound("no such plan version");
    SC_ASSIGN_OR_RETURN(out, Open(uow, c, *record));
    return Audit(uow, caller, "care_plan.read", c.id);
  }));
  return out;
}

core::Result<PlanVersion> CarePlanService::Save(const accounts::Caller& caller,
                                                const std::string& case_id, Plan plan,
                                                int64_t expected_version) {
  SC_RETURN_IF_ERROR(Validate(plan));
  for (auto& g : plan.goals) {
    if (g.id.empty()) g.id = ids_.NewId();
  }
  for (auto& i : plan.items) {
    if (i.id.empty()) i.id = ids_.NewId();
  }
  PlanVersion out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, cases::VisibleCase(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto latest, uow.care_plans().Latest(c.id, false));
    const int64_t current = latest ? latest->version : 0;
    if (current != expected_version) {
      return Error::FailedPrecondition("stale care plan")
          .WithDetail(
              "Someone saved this plan since you opened it. Reload it to see their "
              "changes.");
    }
    // Items naming a listing must name one that exists (it may since have been paused: the
    // plan keeps what was agreed).
    std::vector<core::FieldError> missing;
    for (size_t k = 0; k < plan.items.size(); ++k) {
      const auto& id = plan.items[k].service_id;
      if (id.empty()) continue;
      SC_ASSIGN_OR_RETURN(auto service, uow.directory().Find("service", id));
      if (!service) {
        missing.push_back({"/items/" + std::to_string(k) + "/service_id", "not_found",
                           "No directory listing has this id."});
      }
    }
    if (!missing.empty()) return Error::Unprocessable("unknown listing", std::move(missing));
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    CarePlanRecord record;
    record.case_id = c.id;
    record.version = current + 1;
    record.author_id = caller.principal.user_id;
    record.created_at = now;
    const std::string row = RowId(c.id, record.version);
    SC_ASSIGN_OR_RETURN(record.body_sealed,
                        keys_.Seal(uow, c.person_id, {"care_plans", "body", row},
                                   json::serialize(EncodePlan(plan, true))));
    auto inserted = uow.care_plans().Insert(record);
    if (!inserted && inserted.error().code == core::ErrorCode::kConflict) {
      return Error::FailedPrecondition("stale care plan")
          .WithDetail(
              "Someone saved this plan at the same moment. Reload it to see their "
              "changes.");
    }
    SC_RETURN_IF_ERROR(inserted);
    SC_RETURN_IF_ERROR(
        uow.cases().InsertEvent({ids_.NewId(), c.id, now, caller.principal.user_id,
                                 "care_plan.saved", "version " + std::to_string(record.version)}));
    SC_RETURN_IF_ERROR(events::CaseUpdated(uow, c, now));
    SC_ASSIGN_OR_RETURN(out, Open(uow, c, record));
    return Audit(uow, caller, "care_plan.save", c.id);
  }));
  return out;
}

core::Result<PlanVersion> CarePlanService::SignOff(const accounts::Caller& caller,
                                                   const std::string& case_id, int64_t version) {
  if (caller.principal.role != accounts::Role::kSupervisor) {
    return Error::PermissionDenied("only supervisors sign off care plans");
  }
  PlanVersion out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, cases::VisibleCase(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto latest, uow.care_plans().Latest(c.id, false));
    if (!latest) return Error::NotFound("no care plan");
    if (latest->version != version) {
      return Error::FailedPrecondition("stale care plan")
          .WithDetail("A newer version of this plan was saved. Review it before signing off.");
    }
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    SC_ASSIGN_OR_RETURN(bool signed_now,
                        uow.care_plans().SignOff(c.id, version, caller.principal.user_id, now));
    if (!signed_now) {
      return Error::Conflict("already signed off")
          .WithDetail("This version of the plan is already signed off.");
    }
    SC_RETURN_IF_ERROR(
        uow.cases().InsertEvent({ids_.NewId(), c.id, now, caller.principal.user_id,
                                 "care_plan.signed_off", "version " + std::to_string(version)}));
    SC_RETURN_IF_ERROR(events::CaseUpdated(uow, c, now));
    SC_ASSIGN_OR_RETURN(auto record, uow.care_plans().Find(c.id, version));
    SC_ASSIGN_OR_RETURN(out, Open(uow, c, *record));
    return Audit(uow, caller, "care_plan.sign_off", c.id);
  }));
  return out;
}

core::Result<std::optional<MemberPlan>> CarePlanService::ForMember(UnitOfWork& uow,
                                                                   const CaseRecord& c) {
  // An urgent case's plan reaches the member only once a supervisor has signed it off.
  SC_ASSIGN_OR_RETURN(auto record, uow.care_plans().Latest(c.id, c.urgent));
  if (!record) return std::optional<MemberPlan>();
  SC_ASSIGN_OR_RETURN(PlanVersion v, Open(uow, c, *record));
  MemberPlan m;
  m.version = v.version;
  m.updated_at = v.created_at;
  m.goals = std::move(v.plan.goals);
  for (auto& item : v.plan.items) {
    item.notes.clear();
    m.items.push_back(std::move(item));
  }
  return std::optional(std::move(m));
}

}  // namespace soundcheck::domain::care_plans
