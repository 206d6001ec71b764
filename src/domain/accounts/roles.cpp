#include "domain/accounts/roles.h"

namespace soundcheck::domain::accounts {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kMember:
      return "member";
    case Role::kCaseManager:
      return "case_manager";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kProvider:
      return "provider";
    case Role::kFundReviewer:
      return "fund_reviewer";
    case Role::kSponsor:
      return "sponsor";
    case Role::kPartnerApp:
      return "partner_app";
    case Role::kAdmin:
      return "admin";
  }
  return "member";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles)
    if (RoleName(r) == name) return r;
  return std::nullopt;
}

bool RequiresMfa(Role role) {
  switch (role) {
    case Role::kCaseManager:
    case Role::kSupervisor:
    case Role::kProvider:
    case Role::kFundReviewer:
    case Role::kAdmin:
      return true;
    case Role::kMember:
    case Role::kSponsor:
    case Role::kPartnerApp:
      return false;
  }
  return true;
}

}  // namespace soundcheck::domain::accounts
