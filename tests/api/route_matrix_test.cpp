// Route × role matrix: every route in the one route table, called as every role and as
// nobody, compared with what the table declares. Zero unexpected allows (and zero
// unexpected denials). New routes are covered automatically.
#include <gtest/gtest.h>

#include <regex>

#include "domain/accounts/roles.h"
#include "http/pipeline.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

using domain::accounts::kAllRoles;
using domain::accounts::Role;
using domain::accounts::RoleName;

bool Declared(const http::Route& r, std::optional<Role> role) {
  if (r.access == http::Access::kPublic) return true;
  // Only a member session from a mailed link opens these; no account role does.
  if (r.access == http::Access::kMemberSession) return false;
  if (!role) return false;
  if (r.access == http::Access::kAuthenticated) return true;
  for (Role x : r.roles)
    if (x == *role) return true;
  return false;
}

TEST(RouteMatrixTest, EveryRouteAsEveryRoleMatchesTheTable) {
  TestApp t({.public_requests_per_minute = 100000});
  std::map<Role, TestApp::Account> accounts;
  for (Role role : kAllRoles) accounts[role] = t.CreateAccount(std::string(RoleName(role)));

  const auto& routes = t.app().pipeline().router().routes();
  ASSERT_GT(routes.size(), 10u);
  int unexpected_allows = 0, unexpected_denials = 0, calls = 0;
  std::string table;
  for (const auto& route : routes) {
    std::string path = std::regex_replace(route.pattern, std::regex("\\{[a-z_]+\\}"),
                                          "00000000-0000-7000-8000-00000000abcd");
    table += route.method + " " + route.pattern + ":";
    std::vector<std::optional<Role>> callers = {std::nullopt};
    for (Role r : kAllRoles) callers.push_back(r);
    for (const auto& caller : callers) {
      TestApp::Session s;
      if (caller) {
        s = t.Login(accounts[*caller]);
        ASSERT_EQ(s.status, 200) << RoleName(*caller);
      }
      auto resp = t.Call(route.method, path, route.method == "GET" ? "" : "{}", s.cookie, s.csrf);
      ++calls;
      bool denied = resp.status == 401 || resp.status == 403;
      bool declared = Declared(route, caller);
      std::string who = caller ? std::string(RoleName(*caller)) : "nobody";
      if (declared && denied) {
        ++unexpected_denials;
        ADD_FAILURE() << route.method << " " << route.pattern << " as " << who << " → "
                      << resp.status << " but the table allows it: " << resp.body;
      }
      if (!declared && !denied) {
        ++unexpected_allows;
        ADD_FAILURE() << route.method << " " << route.pattern << " as " << who << " → "
                      << resp.status << " but the table denies it";
      }
      if (!declared) {
        const bool no_account = !caller || route.access == http::Access::kMemberSession;
        EXPECT_EQ(resp.status, no_account ? 401 : 403) << route.pattern << " " << who;
      }
      table += " " + who + (denied ? "=deny" : "=allow");
    }
    table += "\n";
  }
  EXPECT_EQ(unexpected_allows, 0);
  EXPECT_EQ(unexpected_denials, 0);
  RecordProperty("calls", calls);
  std::cout << "route x role matrix (" << routes.size() << " routes, " << calls
            << " calls, 0 unexpected allows expected):\n"
            << table;
}

TEST(RouteMatrixTest, EveryRouteDeclaresAnAccessRule) {
  TestApp t;
  for (const auto& route : t.app().pipeline().router().routes()) {
    if (route.access == http::Access::kRoles) {
      EXPECT_FALSE(route.roles.empty()) << route.pattern << " lists no roles: nobody could call it";
    }
    EXPECT_FALSE(route.name.empty()) << route.pattern;
    EXPECT_FALSE(route.summary.empty()) << route.pattern;
  }
}

}  // namespace
}  // namespace soundcheck::testing
