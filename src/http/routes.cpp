// THE route table: every path, who may call it (deny by default), its ownership rule, and
// the handler. The route × role matrix test and the OpenAPI document are generated from
// this list, so a route cannot exist without its access rule being tested and documented.
#include "http/routes.h"

#include <boost/json/serialize.hpp>
#include <memory>

#include "http/handlers/handlers.h"
#include "http/openapi.h"

namespace soundcheck::http {

namespace {

using R = Role;

// Staff roles that work inside the console.
const std::vector<Role> kAdmins = {R::kAdmin};

Route Make(std::string method, std::string pattern, std::string name, Access access,
           std::vector<Role> roles, Response (*fn)(Services&, RequestContext&), Services& s) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.name = std::move(name);
  r.access = access;
  r.roles = std::move(roles);
  r.handler = [fn, &s](RequestContext& ctx) { return fn(s, ctx); };
  return r;
}

}  // namespace

std::vector<Route> BuildRoutes(Services& s) {
  namespace h = handlers;
  std::vector<Route> routes;
  auto add = [&](Route r) -> Route& {
    routes.push_back(std::move(r));
    return routes.back();
  };

  // Operations (root paths, public).
  {
    auto& r = add(Make("GET", "/healthz", "ops.healthz", Access::kPublic, {}, h::Healthz, s));
    r.summary = "The process is up.";
    r.response_schema = "Health";
    r.rate_limited = false;
  }
  {
    auto& r = add(Make("GET", "/readyz", "ops.readyz", Access::kPublic, {}, h::Readyz, s));
    r.summary = "The database is reachable and migrations are current.";
    r.response_schema = "Health";
    r.errors = {503};
    r.rate_limited = false;
  }
  {
    auto& r = add(Make("GET", "/metrics", "ops.metrics", Access::kPublic, {}, h::MetricsText, s));
    r.summary = "Prometheus metrics.";
    r.rate_limited = false;
  }

  // Public care tools (anonymous, rate-limited, store nothing).
  {
    auto& r = add(Make("GET", "/api/v1/crisis-resources", "crisis.get", Access::kPublic, {},
                       h::CrisisResources, s));
    r.summary = "Crisis lines for a country (?country=US&lang=es), with source and date verified.";
    r.response_schema = "CrisisResources";
  }
  {
    auto& r = add(Make("POST", "/api/v1/screenings/score", "screenings.score", Access::kPublic, {},
                       h::ScoreScreening, s));
    r.summary = "Score one screening instrument exactly as published; stores nothing.";
    r.request_schema = "ScoreRequest";
    r.response_schema = "ScoreResult";
  }

  {
    auto& r = add(Make("GET", "/api/v1/finder", "finder", Access::kPublic, {}, h::Finder, s));
    r.summary =
        "Providers and community resources for a place and a need, with reasons "
        "(?jurisdiction=&care_type=&language=&mode=&latitude=&longitude=&max_km=&carrier=&plan="
        "&budget_cents=&limit=); stores nothing.";
    r.response_schema = "FinderAnswer";
    r.errors = {400, 422, 503};  // 503: the matching index is still being built
  }

  // The provider directory as Open Referral's HSDS 3.1 API (docs/directory.md): public and
  // read-only, under HSDS's own paths and names, with its own OpenAPI document.
  auto hsds_document = std::make_shared<std::string>();
  {
    auto& r = add(Make("GET", "/hsds", "hsds.base", Access::kPublic, {}, h::HsdsBase, s));
    r.summary = "HSDS API metadata: the HSDS version, profile and OpenAPI document.";
    r.response_schema = "HsdsBase";
  }
  {
    // HSDS clients ask for "<base>/"; the same answer, documented once (as /hsds).
    auto& r = add(Make("GET", "/hsds/", "hsds.base", Access::kPublic, {}, h::HsdsBase, s));
    r.summary = "HSDS API metadata (alias of /hsds).";
    r.response_schema = "HsdsBase";
    r.documented = false;
  }
  {
    Route r;
    r.method = "GET";
    r.pattern = "/hsds/openapi.json";
    r.name = "hsds.openapi";
    r.access = Access::kPublic;
    r.summary = "The OpenAPI 3.1 document of the HSDS API alone.";
    r.handler = [hsds_document](RequestContext&) {
      Response resp = Response::Text(200, *hsds_document, "application/json");
      resp.headers.Set("Cache-Control", "no-cache");
      return resp;
    };
    routes.push_back(std::move(r));
  }
  using HsdsHandler = Response (*)(Services&, RequestContext&);
  auto hsds = [&](const std::string& plural, HsdsHandler list, HsdsHandler get,
                  const char* list_summary, const char* get_summary) {
    {
      auto& r = add(
          Make("GET", "/hsds/" + plural, "hsds." + plural + ".list", Access::kPublic, {}, list, s));
      r.summary = list_summary;
      r.response_schema = "HsdsPage";
      if (plural == "service_at_locations") r.errors = {422};
    }
    auto& r = add(Make("GET", "/hsds/" + plural + "/{id}", "hsds." + plural + ".get",
                       Access::kPublic, {}, get, s));
    r.summary = get_summary;
    r.response_schema = "HsdsObject";
  };
  hsds("services", h::HsdsServices, h::HsdsService,
       "Services (not inactive or defunct), a Page at a time or as NDJSON; filters as HSDS.",
       "One service, fully nested.");
  hsds("organizations", h::HsdsOrganizations, h::HsdsOrganization,
       "Organizations, a Page at a time or as NDJSON.",
       "One organization, fully nested, with its services (?full_service=true: nested too).");
  hsds("service_at_locations", h::HsdsServiceAtLocations, h::HsdsServiceAtLocation,
       "Services at their locations; also by postcode, and within proximity meters of it.",
       "One service at a location, fully nested, with its service.");
  hsds("taxonomies", h::HsdsTaxonomies, h::HsdsTaxonomy, "Taxonomies, a Page at a time or NDJSON.",
       "One taxonomy.");
  hsds("taxonomy_terms", h::HsdsTaxonomyTerms, h::HsdsTaxonomyTerm,
       "Taxonomy terms (?taxonomy_id=), a Page at a time or as NDJSON.",
       "One taxonomy term, with its taxonomy.");

  // The directory kept true by people (docs/directory.md): staff browse, edit, verify and
  // import in the console; providers keep their own listings in the provider portal.
  const std::vector<Role> kDirectoryStaff = {R::kCaseManager, R::kSupervisor, R::kAdmin};
  {
    auto& r = add(Make("GET", "/api/v1/directory/services", "directory.services.list",
                       Access::kRoles, kDirectoryStaff, h::BrowseDirectory, s));
    r.summary = "Browse and search every listing, paused and removed ones too (?search=&page=).";
    r.response_schema = "DirectoryServicePage";
  }
  {
    auto& r = add(Make("GET", "/api/v1/directory/services/{id}", "directory.services.get",
                       Access::kRoles, kDirectoryStaff, h::GetDirectoryService, s));
    r.summary = "One listing: the full HSDS service, what may be edited, and its history.";
    r.response_schema = "DirectoryServiceDetail";
    r.errors = {404};
  }
  {
    auto& r = add(Make("PATCH", "/api/v1/directory/services/{id}", "directory.services.edit",
                       Access::kRoles, kDirectoryStaff, h::EditDirectoryService, s));
    r.summary = "Edit listing fields (JSON Merge Patch; If-Match); each change goes in history.";
    r.request_schema = "DirectoryServicePatch";
    r.response_schema = "DirectoryServiceSummary";
    r.errors = {404, 412, 428};
  }
  {
    auto& r =
        add(Make("POST", "/api/v1/directory/services/{id}/verify", "directory.services.verify",
                 Access::kRoles, kDirectoryStaff, h::VerifyDirectoryService, s));
    r.summary = "Record that staff checked the listing today.";
    r.response_schema = "DirectoryServiceSummary";
    r.errors = {404};
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/directory/services/{id}/private", "directory.services.private.get",
                 Access::kRoles, kDirectoryStaff, h::GetPrivateNotes, s));
    r.summary = "What the listing tells the team only (never public, never exported; audited).";
    r.personal_data = true;
    r.response_schema = "PrivateNotes";
    r.errors = {404};
  }
  {
    auto& r =
        add(Make("PUT", "/api/v1/directory/services/{id}/private", "directory.services.private.set",
                 Access::kRoles, kDirectoryStaff, h::PutPrivateNotes, s));
    r.summary = "Replace the listing's private notes (If-Match; \"0\" for the first save).";
    r.personal_data = true;
    r.request_schema = "PrivateNotesRequest";
    r.response_schema = "PrivateNotes";
    r.errors = {404, 412, 428};
  }
  {
    auto& r = add(Make("GET", "/api/v1/directory/freshness", "directory.freshness", Access::kRoles,
                       kDirectoryStaff, h::DirectoryFreshness, s));
    r.summary = "The freshness dashboard and the verification queue (?limit=).";
    r.response_schema = "DirectoryFreshness";
  }
  {
    auto& r = add(Make("POST", "/api/v1/directory/imports", "directory.imports.create",
                       Access::kRoles, kAdmins, h::StartDirectoryImport, s));
    r.summary =
        "Import an HSDS JSON or NDJSON file (the body) in the background "
        "(?format=&dry_run=&strict=&name=); poll the job.";
    r.request_schema = "HsdsUpload";
    r.response_schema = "DirectoryImport";
    r.success_status = 202;
    r.upload = true;
    r.errors = {413, 429};
  }
  {
    auto& r = add(Make("GET", "/api/v1/directory/imports/{id}", "directory.imports.get",
                       Access::kRoles, kAdmins, h::GetDirectoryImport, s));
    r.summary = "An import's progress, then its report.";
    r.response_schema = "DirectoryImport";
    r.errors = {404};
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/directory/provider-links/{user_id}",
                 "directory.provider_links.get", Access::kRoles, kAdmins, h::GetProviderLink, s));
    r.summary = "Which organization a provider account speaks for.";
    r.response_schema = "ProviderLink";
    r.errors = {404};
  }
  {
    auto& r =
        add(Make("PUT", "/api/v1/directory/provider-links/{user_id}",
                 "directory.provider_links.set", Access::kRoles, kAdmins, h::SetProviderLink, s));
    r.summary = "Let a provider account speak for an organization of the directory.";
    r.request_schema = "ProviderLinkRequest";
    r.response_schema = "ProviderLink";
    r.errors = {404};
  }
  const std::vector<Role> kProviders = {R::kProvider};
  {
    auto& r = add(Make("GET", "/api/v1/provider/services", "provider.services.list", Access::kRoles,
                       kProviders, h::MyListings, s));
    r.summary = "The caller's own listings (those of the organization they speak for).";
    r.response_schema = "ProviderServiceList";
  }
  {
    auto& r = add(Make("GET", "/api/v1/provider/services/{id}", "provider.services.get",
                       Access::kRoles, kProviders, h::MyListing, s));
    r.summary = "One of the caller's listings, with its history.";
    r.response_schema = "DirectoryServiceDetail";
    r.errors = {404};
  }
  {
    auto& r = add(Make("PATCH", "/api/v1/provider/services/{id}", "provider.services.edit",
                       Access::kRoles, kProviders, h::EditMyListing, s));
    r.summary = "Edit one of the caller's listings (JSON Merge Patch; If-Match).";
    r.request_schema = "DirectoryServicePatch";
    r.response_schema = "DirectoryServiceSummary";
    r.errors = {404, 412, 428};
  }
  {
    auto& r =
        add(Make("POST", "/api/v1/provider/services/{id}/openings", "provider.services.openings",
                 Access::kRoles, kProviders, h::ConfirmMyOpenings, s));
    r.summary = "\"Still taking clients\": how many openings, confirmed now.";
    r.request_schema = "OpeningsConfirm";
    r.response_schema = "DirectoryServiceSummary";
    r.errors = {404};
  }
  {
    auto& r = add(Make("PUT", "/api/v1/provider/services/{id}/listing", "provider.services.listing",
                       Access::kRoles, kProviders, h::SetMyListingState, s));
    r.summary = "List, pause or remove (final) one of the caller's listings.";
    r.request_schema = "ListingState";
    r.response_schema = "DirectoryServiceSummary";
    r.errors = {404, 409};
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/provider/services/{id}/private", "provider.services.private.get",
                 Access::kRoles, kProviders, h::GetMyPrivateNotes, s));
    r.summary = "Your listing's notes for the Soundcheck team (never public).";
    r.personal_data = true;
    r.response_schema = "PrivateNotes";
    r.errors = {404};
  }
  {
    auto& r =
        add(Make("PUT", "/api/v1/provider/services/{id}/private", "provider.services.private.set",
                 Access::kRoles, kProviders, h::PutMyPrivateNotes, s));
    r.summary = "Replace your listing's notes for the team (If-Match; \"0\" the first time).";
    r.personal_data = true;
    r.request_schema = "PrivateNotesRequest";
    r.response_schema = "PrivateNotes";
    r.errors = {404, 412, 428};
  }
  {
    auto& r = add(Make("POST", "/api/v1/provider/checkins", "provider.checkins.redeem",
                       Access::kPublic, {}, h::RedeemCheckin, s));
    r.summary = "The weekly mail's one-click link: confirms the openings (single use).";
    r.request_schema = "CheckinRedeem";
    r.response_schema = "CheckinResult";
    r.errors = {409, 410};
  }

  // The front door and the case queue.
  {
    auto& r = add(
        Make("POST", "/api/v1/intakes", "intakes.create", Access::kPublic, {}, h::SubmitIntake, s));
    r.summary =
        "Submit an intake (Idempotency-Key required); opens a case, urgent on a risk answer.";
    r.request_schema = "IntakeRequest";
    r.response_schema = "IntakeReceipt";
    r.success_status = 201;
    r.personal_data = true;
  }
  const std::vector<Role> kClinical = {R::kCaseManager, R::kSupervisor};
  {
    auto& r = add(Make("GET", "/api/v1/stream", "events.stream", Access::kRoles, kClinical,
                       h::EventStream, s));
    r.summary =
        "Live updates as Server-Sent Events (ids and flags only); reconnect with Last-Event-ID.";
    r.personal_data = true;
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/cases", "cases.list", Access::kRoles, kClinical, h::ListCases, s));
    r.summary = "The case queue: urgent first, then oldest (?status=&urgent=&limit=&cursor=).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "CaseList";
  }
  {
    auto& r = add(
        Make("GET", "/api/v1/cases/{id}", "cases.get", Access::kRoles, kClinical, h::GetCase, s));
    r.summary = "One case: the person, their intake, screens and timeline (audited).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "CaseDetail";
  }

  {
    auto& r = add(Make("GET", "/api/v1/cases/{id}/plan", "cases.plan.get", Access::kRoles,
                       kClinical, h::GetCarePlan, s));
    r.summary =
        "The case's care plan: the newest version (version 0: none yet) and the list of "
        "versions (audited).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "CarePlan";
  }
  {
    auto& r = add(Make("PUT", "/api/v1/cases/{id}/plan", "cases.plan.save", Access::kRoles,
                       kClinical, h::SaveCarePlan, s));
    r.summary = "Save the next version of the plan (If-Match: the version edited, \"0\" first).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "CarePlanRequest";
    r.response_schema = "CarePlan";
    r.errors = {404, 412, 428};
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/cases/{id}/plan/versions/{version}", "cases.plan.versions.get",
                 Access::kRoles, kClinical, h::GetCarePlanVersion, s));
    r.summary = "One earlier version of the plan, as it was saved.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "CarePlan";
    r.errors = {404};
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/plan/sign-off", "cases.plan.sign_off",
                       Access::kRoles, {R::kSupervisor}, h::SignOffCarePlan, s));
    r.summary =
        "A supervisor signs off the newest version (If-Match); an urgent case's plan "
        "reaches the member only once signed.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "CarePlan";
    r.errors = {404, 409, 412, 428};
  }
  {
    auto& r = add(Make("GET", "/api/v1/cases/{id}/care-profile", "cases.care_profile.get",
                       Access::kRoles, kClinical, h::GetCareProfile, s));
    r.summary =
        "The case's care profile: the person's facts every match starts from (version 0: none "
        "saved yet; audited).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "CareProfile";
    r.errors = {404};
  }
  {
    auto& r = add(Make("PUT", "/api/v1/cases/{id}/care-profile", "cases.care_profile.save",
                       Access::kRoles, kClinical, h::SaveCareProfile, s));
    r.summary =
        "Save the next version of the care profile (If-Match: the version edited, \"0\" first); "
        "search-only fields are refused.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "CareProfileWrite";
    r.response_schema = "CareProfile";
    r.errors = {404, 412, 428};
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/matches", "cases.matches", Access::kRoles,
                       kClinical, h::CaseMatches, s));
    r.summary =
        "Ranked, explained, costed providers for the person: the case's facts, then its saved "
        "care profile, overridden by the body (docs/matching.md).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "MatchQuery";
    r.response_schema = "CaseMatches";
    r.errors = {404, 503};
  }
  {
    auto& r =
        add(Make("POST", "/api/v1/cases/{id}/good-faith-estimate", "cases.good_faith_estimate",
                 Access::kRoles, kClinical, h::GoodFaithEstimate, s));
    r.summary =
        "A Good Faith Estimate (No Surprises Act) for a self-pay member and a listing: CPT "
        "lines, total, validity, notices; nothing is stored.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "GoodFaithEstimateRequest";
    r.response_schema = "GoodFaithEstimate";
    r.errors = {404, 503};
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/assign", "cases.assign", Access::kRoles,
                       kClinical, h::AssignCase, s));
    r.summary = "Assign (supervisors) or take an unassigned case (case managers); If-Match.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.request_schema = "CaseAssign";
    r.response_schema = "CaseSummary";
    r.errors = {404, 412, 428};
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/status", "cases.status", Access::kRoles,
                       kClinical, h::SetCaseStatus, s));
    r.summary = "Move the case forward (or close it with a reason); If-Match.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.request_schema = "CaseStatus";
    r.response_schema = "CaseSummary";
    r.errors = {404, 412, 428};
  }
  {
    auto& r = add(Make("GET", "/api/v1/cases/{id}/notes", "cases.notes.list", Access::kRoles,
                       kClinical, h::ListNotes, s));
    r.summary = "The latest version of every note on the case (audited).";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "NoteList";
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/notes", "cases.notes.create", Access::kRoles,
                       kClinical, h::AddNote, s));
    r.summary = "Add a sealed note.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "NoteBody";
    r.response_schema = "Note";
    r.success_status = 201;
  }
  {
    auto& r = add(Make("PATCH", "/api/v1/cases/{id}/notes/{note_id}", "cases.notes.edit",
                       Access::kRoles, kClinical, h::EditNote, s));
    r.summary = "Edit your own note: a new version; older versions are kept. If-Match.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "NoteBody";
    r.response_schema = "Note";
    r.errors = {412, 428};
  }

  {
    auto& r = add(Make("GET", "/api/v1/cases/{id}/tasks", "cases.tasks.list", Access::kRoles,
                       kClinical, h::ListTasks, s));
    r.summary = "Tasks on the case: open first, soonest due first.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "TaskList";
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/tasks", "cases.tasks.create", Access::kRoles,
                       kClinical, h::AddTask, s));
    r.summary = "Add a follow-up task with a due time.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.request_schema = "TaskCreate";
    r.response_schema = "Task";
    r.success_status = 201;
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/tasks/{task_id}/complete",
                       "cases.tasks.complete", Access::kRoles, kClinical, h::CompleteTask, s));
    r.summary = "Mark an open task done.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.personal_data = true;
    r.response_schema = "Task";
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/contact-attempts", "cases.contact_attempts",
                       Access::kRoles, kClinical, h::LogContactAttempt, s));
    r.summary = "Log a contact attempt; 'reached' records the first contact.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.request_schema = "ContactAttempt";
    r.response_schema = "ContactAttemptLogged";
    r.success_status = 201;
    r.errors = {409};
  }
  {
    auto& r = add(Make("GET", "/api/v1/cases/{id}/suggestions", "cases.suggestions", Access::kRoles,
                       {R::kSupervisor}, h::SuggestAssignees, s));
    r.summary = "Who should take the case: ranked by language, region, duty and caseload.";
    r.personal_data = true;
    r.response_schema = "SuggestionList";
  }
  {
    auto& r = add(Make("POST", "/api/v1/cases/{id}/links", "cases.links.create", Access::kRoles,
                       kClinical, h::LinkCase, s));
    r.summary = "Link a family member's case (by the other case's reference); both must be yours.";
    r.ownership = Ownership::kAssignedOrQueue;
    r.request_schema = "CaseLinkRequest";
    r.response_schema = "CaseLink";
    r.success_status = 201;
    r.errors = {409};
  }

  // The front line: staff on duty, the rota, urgent-case alerts.
  {
    auto& r =
        add(Make("GET", "/api/v1/staff", "staff.list", Access::kRoles, kClinical, h::ListStaff, s));
    r.summary = "Active case managers and supervisors: duty, caseload, languages, regions.";
    r.personal_data = true;
    r.response_schema = "StaffList";
  }
  {
    auto& r = add(Make("PUT", "/api/v1/staff/{id}", "staff.update", Access::kRoles, kClinical,
                       h::UpdateStaffProfile, s));
    r.summary = "Set languages and regions (your own; supervisors anyone's).";
    r.ownership = Ownership::kSelf;
    r.personal_data = true;
    r.request_schema = "StaffProfile";
    r.response_schema = "StaffMember";
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/duty", "duty.get", Access::kRoles, kClinical, h::GetDuty, s));
    r.summary = "Your duty status, how many are on duty, and your current or next shift.";
    r.response_schema = "Duty";
  }
  {
    auto& r =
        add(Make("PUT", "/api/v1/duty", "duty.set", Access::kRoles, kClinical, h::SetDuty, s));
    r.summary = "Go on or off duty.";
    r.request_schema = "DutyChange";
    r.response_schema = "Duty";
  }
  {
    auto& r = add(
        Make("GET", "/api/v1/shifts", "shifts.list", Access::kRoles, kClinical, h::ListShifts, s));
    r.summary = "The rota (?from=&to=, RFC 3339, at most 31 days).";
    r.personal_data = true;
    r.response_schema = "ShiftList";
  }
  {
    auto& r = add(
        Make("POST", "/api/v1/shifts", "shifts.create", Access::kRoles, kClinical, h::AddShift, s));
    r.summary = "Add a shift in local time and a time zone (yours; supervisors anyone's).";
    r.request_schema = "ShiftRequest";
    r.response_schema = "Shift";
    r.success_status = 201;
  }
  {
    auto& r = add(Make("DELETE", "/api/v1/shifts/{id}", "shifts.delete", Access::kRoles, kClinical,
                       h::DeleteShift, s));
    r.summary = "Remove a shift (yours; supervisors anyone's).";
    r.success_status = 204;
  }
  {
    auto& r = add(
        Make("GET", "/api/v1/alerts", "alerts.list", Access::kRoles, kClinical, h::ListAlerts, s));
    r.summary = "Urgent-case alerts, newest first (?state=open|all).";
    r.response_schema = "AlertList";
  }
  {
    auto& r = add(Make("POST", "/api/v1/alerts/{id}/ack", "alerts.ack", Access::kRoles, kClinical,
                       h::AcknowledgeAlert, s));
    r.summary = "Acknowledge an alert (the first acknowledgement stands).";
    r.response_schema = "Alert";
  }

  // "Talk to someone now": public for the member, the live queue for staff.
  {
    auto& r = add(Make("GET", "/api/v1/support/availability", "support.availability",
                       Access::kPublic, {}, h::SupportAvailability, s));
    r.summary = "Whether someone can call now, and the bookable slots of the next days.";
    r.response_schema = "SupportAvailability";
  }
  {
    auto& r = add(Make("POST", "/api/v1/support-requests", "support.create", Access::kPublic, {},
                       h::RequestSupport, s));
    r.summary = "Ask for a call now, or book a slot (Idempotency-Key required).";
    r.request_schema = "SupportRequestCreate";
    r.response_schema = "SupportReceipt";
    r.success_status = 201;
    r.personal_data = true;
    r.errors = {409};
  }
  {
    auto& r = add(Make("GET", "/api/v1/support-requests", "support.list", Access::kRoles, kClinical,
                       h::ListSupportRequests, s));
    r.summary = "The support queue (?status=waiting|booked|claimed|closed); no names or numbers.";
    r.response_schema = "SupportRequestList";
  }
  {
    auto& r = add(Make("GET", "/api/v1/support-requests/{id}", "support.get", Access::kRoles,
                       kClinical, h::GetSupportRequest, s));
    r.summary = "One request with the name and number to call (audited).";
    r.personal_data = true;
    r.response_schema = "SupportRequest";
  }
  {
    auto& r = add(Make("POST", "/api/v1/support-requests/{id}/claim", "support.claim",
                       Access::kRoles, kClinical, h::ClaimSupportRequest, s));
    r.summary = "Take the request: only one person can.";
    r.personal_data = true;
    r.response_schema = "SupportRequest";
    r.errors = {409};
  }
  {
    auto& r = add(Make("POST", "/api/v1/support-requests/{id}/close", "support.close",
                       Access::kRoles, kClinical, h::CloseSupportRequest, s));
    r.summary = "Close a request you took, with the outcome of the call.";
    r.personal_data = true;
    r.request_schema = "SupportClose";
    r.response_schema = "SupportRequest";
    r.errors = {409};
  }

  // Members' status page: public routes, a mailed single-use link, then a member cookie.
  {
    auto& r = add(Make("POST", "/api/v1/member/links", "member.links.create", Access::kPublic, {},
                       h::RequestMemberLink, s));
    r.summary =
        "Mail a single-use link to the status page (202 whether or not the address is known).";
    r.request_schema = "MemberLinkRequest";
    r.response_schema = "Message";
    r.success_status = 202;
  }
  {
    auto& r = add(Make("POST", "/api/v1/member/sessions", "member.sessions.create", Access::kPublic,
                       {}, h::OpenMemberSession, s));
    r.summary = "Exchange the link's token for a member session (cookie) and the status.";
    r.personal_data = true;
    r.request_schema = "MemberSessionRequest";
    r.response_schema = "MemberStatus";
    r.errors = {410};
  }
  {
    auto& r = add(Make("GET", "/api/v1/member/status", "member.status", Access::kMemberSession, {},
                       h::MemberStatus, s));
    r.summary = "Where the member's case is, who their case manager is, how to reach us.";
    r.personal_data = true;
    r.response_schema = "MemberStatus";
    r.errors = {401};
  }
  {
    auto& r = add(Make("POST", "/api/v1/member/logout", "member.logout", Access::kPublic, {},
                       h::MemberLogout, s));
    r.summary = "End the member session.";
    r.success_status = 204;
  }

  // Authentication.
  {
    auto& r =
        add(Make("POST", "/api/v1/auth/login", "auth.login", Access::kPublic, {}, h::Login, s));
    r.summary = "Sign in with email, password and (when enrolled) a TOTP code.";
    r.request_schema = "LoginRequest";
    r.response_schema = "LoginResponse";
    r.personal_data = true;
    r.errors = {401};
  }
  {
    auto& r = add(Make("POST", "/api/v1/auth/logout", "auth.logout", Access::kAuthenticated, {},
                       h::Logout, s));
    r.summary = "End this session.";
    r.ownership = Ownership::kSelf;
    r.before_mfa = true;
    r.success_status = 204;
  }

  // The caller's own account.
  {
    auto& r = add(Make("GET", "/api/v1/me", "me.get", Access::kAuthenticated, {}, h::Me, s));
    r.summary = "The signed-in account, with the CSRF token for cookie sessions.";
    r.ownership = Ownership::kSelf;
    r.before_mfa = true;
    r.personal_data = true;
    r.response_schema = "Me";
  }
  {
    auto& r = add(Make("POST", "/api/v1/me/totp", "me.totp.begin", Access::kAuthenticated, {},
                       h::BeginTotp, s));
    r.summary = "Start TOTP enrolment: a new secret and its otpauth URI.";
    r.ownership = Ownership::kSelf;
    r.before_mfa = true;
    r.personal_data = true;
    r.response_schema = "TotpEnrolment";
    r.errors = {409};
  }
  {
    auto& r = add(Make("POST", "/api/v1/me/totp/confirm", "me.totp.confirm", Access::kAuthenticated,
                       {}, h::ConfirmTotp, s));
    r.summary = "Finish TOTP enrolment with a current code.";
    r.ownership = Ownership::kSelf;
    r.before_mfa = true;
    r.request_schema = "TotpConfirm";
    r.success_status = 204;
    r.errors = {409, 412};
  }
  {
    auto& r = add(Make("POST", "/api/v1/me/password", "me.password", Access::kAuthenticated, {},
                       h::ChangePassword, s));
    r.summary = "Change the password (current password required).";
    r.ownership = Ownership::kSelf;
    r.request_schema = "PasswordChange";
    r.success_status = 204;
  }

  // API tokens of the caller.
  {
    auto& r = add(
        Make("GET", "/api/v1/tokens", "tokens.list", Access::kAuthenticated, {}, h::ListTokens, s));
    r.summary = "The caller's API tokens (never their values).";
    r.ownership = Ownership::kSelf;
    r.response_schema = "TokenList";
  }
  {
    auto& r = add(Make("POST", "/api/v1/tokens", "tokens.create", Access::kAuthenticated, {},
                       h::CreateToken, s));
    r.summary = "Create an API token; its value is shown once.";
    r.ownership = Ownership::kSelf;
    r.request_schema = "TokenCreate";
    r.response_schema = "TokenCreated";
    r.success_status = 201;
    r.personal_data = true;
  }
  {
    auto& r = add(Make("DELETE", "/api/v1/tokens/{id}", "tokens.revoke", Access::kAuthenticated, {},
                       h::RevokeToken, s));
    r.summary = "Revoke one of the caller's tokens.";
    r.ownership = Ownership::kSelf;
    r.success_status = 204;
    r.errors = {404};
  }

  // User administration (admins only).
  {
    auto& r =
        add(Make("GET", "/api/v1/users", "users.list", Access::kRoles, kAdmins, h::ListUsers, s));
    r.summary = "List accounts, by cursor.";
    r.personal_data = true;
    r.response_schema = "UserList";
  }
  {
    auto& r = add(
        Make("POST", "/api/v1/users", "users.create", Access::kRoles, kAdmins, h::CreateUser, s));
    r.summary = "Create an account.";
    r.personal_data = true;
    r.request_schema = "UserCreate";
    r.response_schema = "User";
    r.success_status = 201;
    r.errors = {409};
  }
  {
    auto& r =
        add(Make("GET", "/api/v1/users/{id}", "users.get", Access::kRoles, kAdmins, h::GetUser, s));
    r.summary = "One account.";
    r.personal_data = true;
    r.response_schema = "User";
  }
  {
    auto& r = add(Make("PATCH", "/api/v1/users/{id}", "users.update", Access::kRoles, kAdmins,
                       h::UpdateUser, s));
    r.summary = "Change name, role or disabled (JSON Merge Patch; If-Match required).";
    r.personal_data = true;
    r.request_schema = "UserPatch";
    r.response_schema = "User";
    r.errors = {412, 428};
  }
  *hsds_document = boost::json::serialize(BuildHsdsOpenApi(routes, s.version));
  // The contract, generated from this table (including its own route).
  auto document = std::make_shared<std::string>();
  {
    Route r;
    r.method = "GET";
    r.pattern = "/api/v1/openapi.json";
    r.name = "ops.openapi";
    r.access = Access::kPublic;
    r.summary = "This OpenAPI 3.1 document.";
    r.handler = [document](RequestContext&) {
      Response resp = Response::Text(200, *document, "application/json");
      resp.headers.Set("Cache-Control", "no-cache");
      return resp;
    };
    routes.push_back(std::move(r));
  }
  *document = boost::json::serialize(BuildOpenApi(routes, s.version));
  return routes;
}

}  // namespace soundcheck::http
