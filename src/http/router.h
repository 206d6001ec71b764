// The route table's types and the matcher. The table itself is in routes.cpp — the one
// place that says which paths exist, who may call them, and which handler answers.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/accounts/model.h"
#include "http/message.h"

namespace soundcheck::http {

using domain::accounts::Principal;
using domain::accounts::Role;

// Who may call a route. Deny by default: a route lists its roles explicitly.
enum class Access {
  kPublic,         // anyone, no credentials needed (rate-limited)
  kAuthenticated,  // any signed-in account, whatever its role
  kRoles,          // only the roles listed in Route::roles
  // A member's status-page session (the sc_member cookie a mailed single-use link opens),
  // checked by the member handlers; no account is involved. Rate-limited like public routes.
  kMemberSession,
};

// Whether the route needs a signed-in account (a session cookie or a bearer token).
inline bool NeedsAccount(Access a) { return a == Access::kAuthenticated || a == Access::kRoles; }

// The ownership rule on top of the role check, enforced by the domain service and stated
// here so the matrix test and the OpenAPI document can show it.
enum class Ownership {
  kNone,  // no per-record rule (public, or the role sees all records of this kind)
  kSelf,  // only the caller's own account and its sub-resources
  // Supervisors: every case. Case managers: cases assigned to them and the unassigned queue;
  // others are answered 404, so existence is not revealed.
  kAssignedOrQueue,
};

struct RequestContext {
  const Request& request;
  std::map<std::string, std::string> params;  // path parameters ("id" → "…")
  std::optional<Principal> principal;
  std::string request_id;
};

using Handler = std::function<Response(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/users/{id}"
  std::string name;     // stable operation id: "users.get" (metrics label, OpenAPI operationId)
  Access access = Access::kRoles;
  std::vector<Role> roles;
  Ownership ownership = Ownership::kNone;
  bool before_mfa = false;     // open to a staff session that has not enrolled TOTP yet
  bool personal_data = false;  // responses carry personal data: Cache-Control: no-store
  // Public routes are rate-limited per client address, except operational probes that load
  // balancers and monitoring call constantly (healthz, readyz, metrics).
  bool rate_limited = true;
  std::string summary;
  std::string request_schema;   // OpenAPI component name, empty when no body
  std::string response_schema;  // OpenAPI component name, empty for 204
  int success_status = 200;
  // Error statuses particular to this route (409, 412, 428, ...), beside the ones every route
  // of its kind can answer (400/422 with a body, 401/403 when not public, 429 when public).
  std::vector<int> errors;
  // false: an alias of a documented route (e.g. "/hsds/" beside "/hsds"), left out of the
  // OpenAPI document but still in the route × role matrix.
  bool documented = true;
  // Takes a file as its body: the server allows up to limits.max_upload_bytes here instead
  // of limits.max_body_bytes.
  bool upload = false;
  Handler handler;
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  // kFound with the route; kMethodNotAllowed with the allowed methods; kNotFound.
  enum class Outcome { kFound, kMethodNotAllowed, kNotFound };
  Outcome Find(std::string_view method, std::string_view path, Match& match,
               std::vector<std::string>& allowed) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool MatchPattern(std::string_view pattern, std::string_view path,
                           std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
};

}  // namespace soundcheck::http
