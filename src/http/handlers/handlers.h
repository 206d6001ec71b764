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

// Care plans on a case (versions, If-Match; a supervisor signs off urgent cases' plans).
Response GetCarePlan(Services& s, RequestContext& ctx);
Response GetCarePlanVersion(Services& s, RequestContext& ctx);
Response SaveCarePlan(Services& s, RequestContext& ctx);
Response SignOffCarePlan(Services& s, RequestContext& ctx);

// The case's care profile: the person's facts every match of the case starts from
// (versions, If-Match).
Response GetCareProfile(Services& s, RequestContext& ctx);
Response SaveCareProfile(Services& s, RequestContext& ctx);

// Matching: a case's matches (staff) and the public finder (docs/matching.md).
Response CaseMatches(Services& s, RequestContext& ctx);
Response GoodFaithEstimate(Services& s, RequestContext& ctx);
Response Finder(Services& s, RequestContext& ctx);

// The front line: staff, duty and rota; alerts; the support queue; case additions.
Response ListStaff(Services& s, RequestContext& ctx);
Response UpdateStaffProfile(Services& s, RequestContext& ctx);
Response GetDuty(Services& s, RequestContext& ctx);
Response SetDuty(Services& s, RequestContext& ctx);
Response ListShifts(Services& s, RequestContext& ctx);
Response AddShift(Services& s, RequestContext& ctx);
Response DeleteShift(Services& s, RequestContext& ctx);
Response ListAlerts(Services& s, RequestContext& ctx);
Response AcknowledgeAlert(Services& s, RequestContext& ctx);
Response SupportAvailability(Services& s, RequestContext& ctx);
Response RequestSupport(Services& s, RequestContext& ctx);
Response ListSupportRequests(Services& s, RequestContext& ctx);
Response GetSupportRequest(Services& s, RequestContext& ctx);
Response ClaimSupportRequest(Services& s, RequestContext& ctx);
Response CloseSupportRequest(Services& s, RequestContext& ctx);
Response SuggestAssignees(Services& s, RequestContext& ctx);
Response LinkCase(Services& s, RequestContext& ctx);

// Members' status page (public routes; a member cookie after the mailed link).
Response RequestMemberLink(Services& s, RequestContext& ctx);
Response OpenMemberSession(Services& s, RequestContext& ctx);
Response MemberStatus(Services& s, RequestContext& ctx);
Response MemberLogout(Services& s, RequestContext& ctx);

// The provider directory as HSDS 3.1 (public, read-only; hsds.cpp).
Response HsdsBase(Services& s, RequestContext& ctx);
Response HsdsServices(Services& s, RequestContext& ctx);
Response HsdsService(Services& s, RequestContext& ctx);
Response HsdsOrganizations(Services& s, RequestContext& ctx);
Response HsdsOrganization(Services& s, RequestContext& ctx);
Response HsdsServiceAtLocations(Services& s, RequestContext& ctx);
Response HsdsServiceAtLocation(Services& s, RequestContext& ctx);
Response HsdsTaxonomies(Services& s, RequestContext& ctx);
Response HsdsTaxonomy(Services& s, RequestContext& ctx);
Response HsdsTaxonomyTerms(Services& s, RequestContext& ctx);
Response HsdsTaxonomyTerm(Services& s, RequestContext& ctx);

// The directory kept by people (directory.cpp): staff console, provider portal, check-ins.
Response BrowseDirectory(Services& s, RequestContext& ctx);
Response GetDirectoryService(Services& s, RequestContext& ctx);
Response EditDirectoryService(Services& s, RequestContext& ctx);
Response VerifyDirectoryService(Services& s, RequestContext& ctx);
Response DirectoryFreshness(Services& s, RequestContext& ctx);
Response StartDirectoryImport(Services& s, RequestContext& ctx);
Response GetDirectoryImport(Services& s, RequestContext& ctx);
Response GetProviderLink(Services& s, RequestContext& ctx);
Response SetProviderLink(Services& s, RequestContext& ctx);
Response MyListings(Services& s, RequestContext& ctx);
Response MyListing(Services& s, RequestContext& ctx);
Response EditMyListing(Services& s, RequestContext& ctx);
Response ConfirmMyOpenings(Services& s, RequestContext& ctx);
Response SetMyListingState(Services& s, RequestContext& ctx);
Response RedeemCheckin(Services& s, RequestContext& ctx);
Response GetPrivateNotes(Services& s, RequestContext& ctx);
Response PutPrivateNotes(Services& s, RequestContext& ctx);
Response GetMyPrivateNotes(Services& s, RequestContext& ctx);
Response PutMyPrivateNotes(Services& s, RequestContext& ctx);

// Live updates for the staff console (Server-Sent Events).
Response EventStream(Services& s, RequestContext& ctx);

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
