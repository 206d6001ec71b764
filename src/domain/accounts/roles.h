// The roles of security.md. Every route names which of these may call it.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace soundcheck::domain::accounts {

enum class Role {
  kMember,
  kCaseManager,
  kSupervisor,
  kProvider,
  kFundReviewer,
  kSponsor,
  kPartnerApp,
  kAdmin,
};

inline constexpr std::array<Role, 8> kAllRoles = {
    Role::kMember,       Role::kCaseManager, Role::kSupervisor, Role::kProvider,
    Role::kFundReviewer, Role::kSponsor,     Role::kPartnerApp, Role::kAdmin};

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Roles that must use TOTP (security.md: every staff, provider, reviewer and admin account).
bool RequiresMfa(Role role);

}  // namespace soundcheck::domain::accounts
