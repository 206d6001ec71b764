// Thin handlers: decode the request, call one domain service, encode the answer.
#pragma once

#include "http/router.h"
#include "http/services.h"

namespace soundcheck::http::handlers {

// Operational endpoints.
Response Healthz(Services& s, RequestContext& ctx);
Response Readyz(Services& s, RequestContext& ctx);
Response MetricsText(Services& s, RequestContext& ctx);

// Public: crisis lines and the screening calculator (store nothing).
Response CrisisResources(Services& s, RequestContext& ctx);
Response ScoreScreening(Services& s, RequestContext& ctx);

// The intake (public) and the case queue (staff).
Response SubmitIntake(Services& s, RequestContext& ctx);
Response ListCases(Services& s, RequestContext& ctx);
Response GetCase(Services& s, RequestContext& ctx);
Response AssignCase(Services& s, RequestContext& ctx);
Response SetCaseStatus(Services& s, RequestContext& ctx);
Response ListNotes(Services& s, RequestContext& ctx);
Response AddNote(Services& s, RequestContext& ctx);
Response EditNote(Services& s, RequestContext& ctx);
Response AddTask(Services& s, RequestContext& ctx);
Response ListTasks(Services& s, RequestContext& ctx);
Response CompleteTask(Services& s, RequestContext& ctx);
Response LogContactAttempt(Services& s, RequestContext& ctx);

// Authentication and the caller's own account.
Response Login(Services& s, RequestContext& ctx);
Response Logout(Services& s, RequestContext& ctx);
Response Me(Services& s, RequestContext& ctx);
Response BeginTotp(Services& s, RequestContext& ctx);
Response ConfirmTotp(Services& s, RequestContext& ctx);
Response ChangePassword(Services& s, RequestContext& ctx);

// User administration.
Response ListUsers(Services& s, RequestContext& ctx);
Response CreateUser(Services& s, RequestContext& ctx);
Response GetUser(Services& s, RequestContext& ctx);
Response UpdateUser(Services& s, RequestContext& ctx);

// API tokens of the caller.
Response ListTokens(Services& s, RequestContext& ctx);
Response CreateToken(Services& s, RequestContext& ctx);
Response RevokeToken(Services& s, RequestContext& ctx);

}  // namespace soundcheck::http::handlers
