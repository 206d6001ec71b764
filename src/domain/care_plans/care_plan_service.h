// Care plans (product.md capability 5): what a case manager and the person agree to do —
// goals, and items that serve them: a provider to be referred to, a resource or support
// group, an event, financial aid — each with a status, the estimated cost to the member and
// notes. Every save is a new version (the old ones stay whole, sealed under the person's
// key). A supervisor signs off the plan of an urgent case; until then the member keeps
// seeing the version signed before (or none). Every read and write is audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/accounts/account_service.h"
#include "domain/audit/audit_log.h"
#include "domain/keys/key_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::care_plans {

struct Goal {
  std::string id;
  std::string text;
};

// The estimate the case manager recorded for an item, per `per` (session, month, once).
struct ItemCost {
  int64_t low_cents = 0;
  std::optional<int64_t> high_cents;  // nullopt: no upper bound is known (the fee is unknown)
  std::string
      basis;  // in_network | out_of_network | self_pay | sliding_scale | free | covered | other
  std::string per;  // session | month | once
};

struct Item {
  std::string id;
  std::string kind;    // provider | resource | event | financial_aid
  std::string status;  // proposed | agreed | in_progress | done | declined
  std::string title;
  std::string service_id;  // a directory listing (provider, resource); "" for none
  std::string goal_id;     // one of the plan's goals; "" for none
  std::string starts_on;   // YYYY-MM-DD or ""
  int sessions = 0;        // how many sessions the estimate covers (0: not counted)
  std::optional<ItemCost> cost;
  // The seam for funds (a later capability): the application or award this item is paid by.
  std::string fund_reference;
  std::string notes;       // for staff only
  std::string for_member;  // what the member reads about this item
};

struct Plan {
  std::vector<Goal> goals;
  std::vector<Item> items;
};

// A plan version as staff see it.
struct PlanVersion {
  std::string case_id;
  int64_t version = 0;  // 0: no plan yet
  Plan plan;
  std::string author_id;
  int64_t created_at = 0;
  std::optional<std::string> signed_off_by;
  std::optional<int64_t> signed_off_at;
  bool needs_sign_off = false;  // an urgent case whose newest version is not signed off
};

struct VersionInfo {
  int64_t version = 0;
  std::string author_id;
  int64_t created_at = 0;
  std::optional<int64_t> signed_off_at;
};

struct PlanView {
  PlanVersion current;
  std::vector<VersionInfo> versions;  // oldest first
};

// The plan as the member sees it: no staff notes.
struct MemberPlan {
  int64_t version = 0;
  int64_t updated_at = 0;
  std::vector<Goal> goals;
  std::vector<Item> items;  // `notes` always empty
};

// JSON form of a plan (the API body and what is sealed): {"goals": [...], "items": [...]}.
boost::json::object EncodePlan(const Plan& plan, bool with_staff_notes);
// Strict: unknown fields and wrong types are field errors (kInvalidArgument); rules are
// Validate's.
core::Result<Plan> DecodePlan(const boost::json::object& body);
// The plan's own rules (kUnprocessable naming each field as a JSON Pointer): kinds and
// statuses from their lists; at most 20 goals and 60 items; texts within their limits;
// costs non-negative with low ≤ high; an item's goal is one of the plan's goals; dates real.
core::Status Validate(const Plan& plan);

class CarePlanService {
 public:
  CarePlanService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
                  const core::Clock& clock, core::IdGenerator& ids)
      : runner_(runner), keys_(keys), audit_(audit), clock_(clock), ids_(ids) {}

  // The newest version and the list of versions. kNotFound when the case is not visible.
  core::Result<PlanView> Get(const accounts::Caller& caller, const std::string& case_id);
  // One version. kNotFound when the case is not visible or has no such version.
  core::Result<PlanVersion> GetVersion(const accounts::Caller& caller, const std::string& case_id,
                                       int64_t version);
  // Saves the next version. `expected_version` is the version edited (0 for the first plan);
  // kFailedPrecondition when someone saved since. Items and goals without an id get one.
  // Directory listings named by items must exist (kUnprocessable otherwise).
  core::Result<PlanVersion> Save(const accounts::Caller& caller, const std::string& case_id,
                                 Plan plan, int64_t expected_version);
  // A supervisor signs off `version`, which must be the newest (kFailedPrecondition if not;
  // kConflict when already signed). Only supervisors (kPermissionDenied).
  core::Result<PlanVersion> SignOff(const accounts::Caller& caller, const std::string& case_id,
                                    int64_t version);

  // What the member may see of a case's plan, inside the caller's transaction: the newest
  // version, or for an urgent case the newest signed off; nullopt when there is none.
  core::Result<std::optional<MemberPlan>> ForMember(UnitOfWork& uow, const CaseRecord& c);

 private:
  core::Result<PlanVersion> Open(UnitOfWork& uow, const CaseRecord& c,
                                 const CarePlanRecord& record);
  core::Status Audit(UnitOfWork& uow, const accounts::Caller& caller, const std::string& action,
                     const std::string& case_id);

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
};

}  // namespace soundcheck::domain::care_plans
