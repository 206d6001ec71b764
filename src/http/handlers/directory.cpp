// The directory kept true by people: staff browse, edit (If-Match), verify, watch freshness
// and import from the console; providers keep their own listings and answer the weekly
// check-in with one click. Decode, call DirectoryEditor / ProviderNotices / the import
// queue, encode; the rules are in domain/directory.
#include <boost/json.hpp>

#include "core/json_body.h"
#include "domain/directory/directory_editor.h"
#include "domain/directory/import_queue.h"
#include "domain/directory/provider_notices.h"
#include "http/handlers/common.h"
#include "http/handlers/handlers.h"

namespace soundcheck::http::handlers {

using core::JsonBody;
namespace {

namespace json = boost::json;
namespace dir = domain::directory;

json::value Time(std::optional<int64_t> unix) {
  if (!unix) return nullptr;
  return json::string(core::FormatRfc3339(core::FromUnixSeconds(*unix)));
}

json::object OpeningsJson(const dir::OpeningsView& o) {
  json::value available = nullptr;
  if (o.available) available = *o.available;
  return {{"count", o.count},
          {"stale", o.stale},
          {"last_confirmed_at", Time(o.last_confirmed_at)},
          {"available", std::move(available)}};
}

json::object SummaryJson(const dir::ServiceSummary& s) {
  json::array needs;
  for (const auto& n : s.needs) {
    needs.push_back({{"reason", dir::VerifyReasonName(n.reason)},
                     {"due_at", Time(n.due_at)},
                     {"detail", n.detail}});
  }
  json::value org_name = nullptr;
  if (s.organization_name) org_name = json::string(*s.organization_name);
  return {{"id", s.id},
          {"name", s.name},
          {"status", s.status},
          {"organization_id", s.organization_id},
          {"organization_name", std::move(org_name)},
          {"version", s.modified_at},
          {"openings", OpeningsJson(s.openings)},
          {"verified_at", Time(s.verified_at)},
          {"needs", std::move(needs)}};
}

// History values are stored as JSON text ("" when there was none).
json::value StoredValue(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(json::string(text)) : v;
}

Response SummaryResponse(const dir::ServiceSummary& s) {
  Response r = Response::Json(200, SummaryJson(s));
  SetETag(r, s.modified_at);
  return r;
}

Response DetailResponse(const dir::ServiceDetail& d, bool staff) {
  json::object o = SummaryJson(d.summary);
  o["service"] = d.nested;
  json::array editable;
  for (const auto& f : dir::EditableFields(staff)) editable.push_back(json::string(f));
  o["editable"] = std::move(editable);
  json::array history;
  for (const auto& c : d.history) {
    history.push_back({{"seq", c.seq},
                       {"at", Time(c.at)},
                       {"actor_id", c.actor_id},
                       {"actor_role", c.actor_role},
                       {"action", c.action},
                       {"resource", c.resource},
                       {"record_id", c.record_id},
                       {"field", c.field},
                       {"before", StoredValue(c.before)},
                       {"after", StoredValue(c.after)}});
  }
  o["history"] = std::move(history);
  Response r = Response::Json(200, o);
  SetETag(r, d.summary.modified_at);
  return r;
}

// A PATCH body: a JSON object of field → value (null removes), as JSON Merge Patch.
core::Result<json::object> PatchBody(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return core::Error::InvalidArgument("body is not a JSON object")
        .WithDetail("Send a JSON object of the fields to change (null removes a field).");
  }
  if (v.as_object().empty()) {
    return core::Error::Unprocessable("nothing to change",
                                      {{"/", "required", "name at least one field to change"}});
  }
  return std::move(v.as_object());
}

// ?page= / ?per_page= as positive integers within bounds; a field error otherwise.
core::Result<int> IntParam(const std::map<std::string, std::string>& q, const std::string& name,
                           int fallback, int min, int max) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || p != it->second.data() + it->second.size() || v < min || v > max) {
    return core::Error::InvalidArgument(
        "bad " + name,
        {{"/" + name, "range",
          "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max)}});
  }
  return v;
}

core::Result<bool> BoolParam(const std::map<std::string, std::string>& q, const std::string& name) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty() || it->second == "false") return false;
  if (it->second == "true") return true;
  return core::Error::InvalidArgument("bad " + name,
                                      {{"/" + name, "invalid", "must be true or false"}});
}

json::object ImportJobJson(const dir::ImportJob& j) {
  json::value report = nullptr;
  if (j.report) {
    const auto& r = *j.report;
    json::object counts;
    for (const auto& [type, c] : r.counts) {
      counts[type] = {{"added", c.added}, {"updated", c.updated}, {"unchanged", c.unchanged}};
    }
    json::array issues;
    for (const auto& i : r.issues.issues()) {
      issues.push_back({{"severity", "error"},
                        {"where", i.where},
                        {"resource", i.resource},
                        {"id", i.record_id},
                        {"field", i.field},
                        {"message", i.message}});
    }
    if (!j.strict) {
      for (const auto& d : r.dangling) {
        issues.push_back({{"severity", "warning"},
                          {"where", ""},
                          {"resource", d.resource},
                          {"id", d.id},
                          {"field", "/" + d.field},
                          {"message", "points at " + d.target_resource + " " + d.target_id +
                                          ", which is neither in the data nor in the directory"}});
      }
    }
    report = json::object{{"imported", r.imported},
                          {"records", r.records},
                          {"counts", std::move(counts)},
                          {"issues", std::move(issues)},
                          {"issues_total", static_cast<int64_t>(r.issues.total())},
                          {"dangling_total", r.dangling_total},
                          {"held", r.held}};
  }
  json::value error = nullptr;
  if (j.error) error = json::string(*j.error);
  return {{"id", j.id},
          {"state", dir::ImportStateName(j.state)},
          {"name", j.name},
          {"dry_run", j.dry_run},
          {"strict", j.strict},
          {"bytes_total", j.bytes_total},
          {"bytes_read", j.bytes_read},
          {"records", j.records},
          {"started_at", Time(j.started_at)},
          {"finished_at", Time(j.finished_at)},
          {"error", std::move(error)},
          {"report", std::move(report)}};
}

// A CSV data package sent from a browser's folder picker: one JSON object of file name →
// file text ({"datapackage.json": "...", "services.csv": "...", ...}). Only flat names
// ending in .csv, and datapackage.json, which must be there.
core::Result<std::map<std::string, std::string>> CsvPackage(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return core::Error::InvalidArgument("not a JSON object of files")
        .WithDetail(
            "Send a CSV data package as one JSON object of file name to file text, e.g. "
            "{\"datapackage.json\": \"...\", \"services.csv\": \"...\"}.");
  }
  std::map<std::string, std::string> files;
  std::vector<core::FieldError> errors;
  for (const auto& [key, text] : v.as_object()) {
    const std::string name(key);
    const bool csv = name.size() > 4 && name.ends_with(".csv");
    const bool flat =
        !name.empty() && name.find_first_of("/\\") == std::string::npos && name.front() != '.';
    if (!flat || (!csv && name != "datapackage.json")) {
      errors.push_back({"/" + name, "invalid", "only datapackage.json and .csv files"});
    } else if (!text.is_string()) {
      errors.push_back({"/" + name, "invalid", "must be the file's text"});
    } else {
      files[name] = std::string(text.get_string());
    }
  }
  if (errors.empty() && !files.count("datapackage.json")) {
    errors.push_back(
        {"/datapackage.json", "required", "a CSV import needs the HSDS data package descriptor"});
  }
  if (!errors.empty()) return core::Error::Unprocessable("bad data package", std::move(errors));
  return files;
}

Response NotesResponse(const dir::PrivateNotes& n) {
  auto text = [](const std::optional<std::string>& t) -> json::value {
    if (!t) return nullptr;
    return json::string(*t);
  };
  json::value role = nullptr;
  if (!n.updated_by_role.empty()) role = json::string(n.updated_by_role);
  Response r = Response::Json(200, {{"staff_contact", text(n.staff_contact)},
                                    {"waitlist_note", text(n.waitlist_note)},
                                    {"version", n.version},
                                    {"updated_at", Time(n.updated_at)},
                                    {"updated_by_role", std::move(role)}});
  SetETag(r, n.version);
  return r;
}

// {staff_contact, waitlist_note}: both required, each a string or null.
core::Result<dir::PrivateNotes> NotesBody(const std::string& body) {
  SC_ASSIGN_OR_RETURN(auto b, JsonBody::Parse(body));
  dir::PrivateNotes wanted;
  const size_t max_bytes = dir::kMaxPrivateNoteChars * 4;  // characters are checked in domain/
  for (const char* field : {"staff_contact", "waitlist_note"}) {
    std::optional<std::string>& slot =
        std::string_view(field) == "staff_contact" ? wanted.staff_contact : wanted.waitlist_note;
    const bool present = b.Has(field) || b.IsNull(field);  // null clears the note
    auto v = b.String(field, false, max_bytes);
    if (!present) {
      b.Require(field);
    } else if (v && !v->empty()) {
      slot = *v;
    }
  }
  SC_RETURN_IF_ERROR(b.Finish());
  return wanted;
}

json::object LinkJson(const dir::ProviderOrganizationView& l) {
  json::value name = nullptr;
  if (l.organization_name) name = json::string(*l.organization_name);
  return {{"user_id", l.user_id},
          {"organization_id", l.organization_id},
          {"organization_name", std::move(name)}};
}

}  // namespace

// --- staff ---

Response BrowseDirectory(Services& s, RequestContext& ctx) {
  const auto q = ctx.request.QueryParams();
  auto page = IntParam(q, "page", 1, 1, 100000);
  if (!page) return Problem(page.error(), ctx.request_id);
  auto per_page = IntParam(q, "per_page", 25, 1, 100);
  if (!per_page) return Problem(per_page.error(), ctx.request_id);
  auto search = q.count("search") ? q.at("search") : std::string();
  if (search.size() > 200) {
    return Problem(core::Error::InvalidArgument(
                       "search too long", {{"/search", "too_long", "at most 200 characters"}}),
                   ctx.request_id);
  }
  auto found = s.editor->Browse(CallerOf(ctx), search, *page, *per_page);
  if (!found) return Problem(found.error(), ctx.request_id);
  json::array services;
  for (const auto& x : found->services) services.push_back(SummaryJson(x));
  return Response::Json(200, {{"total", found->total},
                              {"page", *page},
                              {"per_page", *per_page},
                              {"services", std::move(services)}});
}

Response GetDirectoryService(Services& s, RequestContext& ctx) {
  auto d = s.editor->Detail(CallerOf(ctx), ctx.params["id"]);
  if (!d) return Problem(d.error(), ctx.request_id);
  return DetailResponse(*d, true);
}

Response EditDirectoryService(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto changes = PatchBody(ctx.request.body);
  if (!changes) return Problem(changes.error(), ctx.request_id);
  auto r = s.editor->Edit(CallerOf(ctx), ctx.params["id"], *changes, *version);
  if (!r) return Problem(r.error(), ctx.request_id);
  return SummaryResponse(*r);
}

Response VerifyDirectoryService(Services& s, RequestContext& ctx) {
  auto r = s.editor->Verify(CallerOf(ctx), ctx.params["id"]);
  if (!r) return Problem(r.error(), ctx.request_id);
  return SummaryResponse(*r);
}

Response DirectoryFreshness(Services& s, RequestContext& ctx) {
  auto limit = IntParam(ctx.request.QueryParams(), "limit", 50, 1, 500);
  if (!limit) return Problem(limit.error(), ctx.request_id);
  auto report = s.editor->Freshness(CallerOf(ctx), *limit);
  if (!report) return Problem(report.error(), ctx.request_id);
  json::array queue;
  for (const auto& item : report->queue) {
    queue.push_back({{"service_id", item.service_id},
                     {"service_name", item.service_name},
                     {"reason", dir::VerifyReasonName(item.reason)},
                     {"due_at", Time(item.due_at)},
                     {"detail", item.detail}});
  }
  const auto& m = report->summary;
  return Response::Json(
      200, {{"at", Time(report->at)},
            {"openings_window_days", s.editor->policy().openings_window_seconds / 86400},
            {"summary",
             {{"services", m.services},
              {"verified_30_days", m.verified_30_days},
              {"verified_90_days", m.verified_90_days},
              {"licences_expiring", m.licences_expiring},
              {"licences_expired", m.licences_expired},
              {"silent", m.silent},
              {"openings_counted", m.openings_counted}}},
            {"queue", std::move(queue)},
            {"queue_total", report->queue_total}});
}

Response StartDirectoryImport(Services& s, RequestContext& ctx) {
  const auto q = ctx.request.QueryParams();
  dir::ImportRequest request;
  const std::string format = q.count("format") ? q.at("format") : std::string();
  const std::string type = ctx.request.headers.Get("Content-Type");
  if (format == "ndjson" || (format.empty() && type.rfind("application/x-ndjson", 0) == 0)) {
    request.format = dir::DataFormat::kNdjson;
  } else if (format == "csv") {
    request.format = dir::DataFormat::kCsv;
  } else if (format == "json" || (format.empty() && type.rfind("application/json", 0) == 0)) {
    request.format = dir::DataFormat::kJson;
  } else {
    return Problem(core::Error::InvalidArgument(
                       "bad format", {{"/format", "invalid", "must be json, ndjson or csv"}}),
                   ctx.request_id);
  }
  auto dry_run = BoolParam(q, "dry_run");
  if (!dry_run) return Problem(dry_run.error(), ctx.request_id);
  auto strict = BoolParam(q, "strict");
  if (!strict) return Problem(strict.error(), ctx.request_id);
  request.dry_run = *dry_run;
  request.strict = *strict;
  request.name = q.count("name") ? q.at("name") : std::string("upload");
  // A file name only: what the report shows, never a client's path.
  if (auto slash = request.name.find_last_of("/\\"); slash != std::string::npos) {
    request.name = request.name.substr(slash + 1);
  }
  if (request.name.empty() || request.name.size() > 200) request.name = "upload";
  if (ctx.request.body.empty()) {
    return Problem(
        core::Error::Unprocessable("empty upload", {{"/", "required", "the file is empty"}}),
        ctx.request_id);
  }
  if (request.format == dir::DataFormat::kCsv) {
    auto tables = CsvPackage(ctx.request.body);
    if (!tables) return Problem(tables.error(), ctx.request_id);
    request.tables = std::make_shared<const std::map<std::string, std::string>>(*std::move(tables));
  } else {
    // The request is the pipeline's (const): the upload is copied once, into the job.
    request.data = std::make_shared<const std::string>(ctx.request.body);
  }
  auto job = s.imports->Submit(CallerOf(ctx), std::move(request));
  if (!job) return Problem(job.error(), ctx.request_id);
  Response r = Response::Json(202, ImportJobJson(*job));
  r.headers.Set("Location", "/api/v1/directory/imports/" + job->id);
  return r;
}

Response GetDirectoryImport(Services& s, RequestContext& ctx) {
  auto job = s.imports->Get(CallerOf(ctx), ctx.params["id"]);
  if (!job) return Problem(job.error(), ctx.request_id);
  Response r = Response::Json(200, ImportJobJson(*job));
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

Response GetProviderLink(Services& s, RequestContext& ctx) {
  auto link = s.editor->ProviderLink(CallerOf(ctx), ctx.params["user_id"]);
  if (!link) return Problem(link.error(), ctx.request_id);
  return Response::Json(200, LinkJson(*link));
}

Response SetProviderLink(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto org = body->String("organization_id", true, 100);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto link = s.editor->LinkProvider(CallerOf(ctx), ctx.params["user_id"], *org);
  if (!link) return Problem(link.error(), ctx.request_id);
  return Response::Json(200, LinkJson(*link));
}

// --- providers ---

Response MyListings(Services& s, RequestContext& ctx) {
  auto mine = s.editor->MyServices(CallerOf(ctx));
  if (!mine) return Problem(mine.error(), ctx.request_id);
  json::array services;
  for (const auto& x : *mine) services.push_back(SummaryJson(x));
  return Response::Json(200, {{"services", std::move(services)}});
}

Response MyListing(Services& s, RequestContext& ctx) {
  auto d = s.editor->MyService(CallerOf(ctx), ctx.params["id"]);
  if (!d) return Problem(d.error(), ctx.request_id);
  return DetailResponse(*d, false);
}

Response EditMyListing(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto changes = PatchBody(ctx.request.body);
  if (!changes) return Problem(changes.error(), ctx.request_id);
  auto r = s.editor->ProviderEdit(CallerOf(ctx), ctx.params["id"], *changes, *version);
  if (!r) return Problem(r.error(), ctx.request_id);
  return SummaryResponse(*r);
}

Response ConfirmMyOpenings(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto available = body->Int("available", true, 0, 1000);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto r = s.editor->ConfirmOpenings(CallerOf(ctx), ctx.params["id"], *available);
  if (!r) return Problem(r.error(), ctx.request_id);
  return SummaryResponse(*r);
}

Response SetMyListingState(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto state = body->String("state", true, 20);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto parsed = dir::ParseListingState(*state);
  if (!parsed) {
    return Problem(
        core::Error::Unprocessable("bad listing state",
                                   {{"/state", "invalid", "must be listed, paused or removed"}}),
        ctx.request_id);
  }
  auto r = s.editor->SetListing(CallerOf(ctx), ctx.params["id"], *parsed);
  if (!r) return Problem(r.error(), ctx.request_id);
  return SummaryResponse(*r);
}

// --- public: the weekly mail's one-click link ---

Response RedeemCheckin(Services& s, RequestContext& ctx) {
  auto body = JsonBody::Parse(ctx.request.body);
  if (!body) return Problem(body.error(), ctx.request_id);
  auto token = body->String("token", true, 200);
  auto available = body->Int("available", false, 0, 1000);
  if (auto st = body->Finish(); !st) return Problem(st.error(), ctx.request_id);
  auto r = s.notices->Redeem(*token, available, ctx.request_id);
  if (!r) {
    if (r.error().reason == "link-expired") {
      return Problem(410, "link-expired", "Link expired",
                     "This link was used already or has expired. Sign in to the provider "
                     "portal to confirm your openings.",
                     ctx.request_id);
    }
    return Problem(r.error(), ctx.request_id);
  }
  return Response::Json(200, {{"service_id", r->service_id},
                              {"service_name", r->service_name},
                              {"openings", OpeningsJson(r->openings)}});
}

// --- private notes (staff and the listing's provider) ---

Response GetPrivateNotes(Services& s, RequestContext& ctx) {
  auto n = s.editor->PrivateNotesOf(CallerOf(ctx), ctx.params["id"]);
  if (!n) return Problem(n.error(), ctx.request_id);
  return NotesResponse(*n);
}

Response PutPrivateNotes(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto wanted = NotesBody(ctx.request.body);
  if (!wanted) return Problem(wanted.error(), ctx.request_id);
  auto n = s.editor->SetPrivateNotes(CallerOf(ctx), ctx.params["id"], *wanted, *version);
  if (!n) return Problem(n.error(), ctx.request_id);
  return NotesResponse(*n);
}

Response GetMyPrivateNotes(Services& s, RequestContext& ctx) {
  auto n = s.editor->MyPrivateNotes(CallerOf(ctx), ctx.params["id"]);
  if (!n) return Problem(n.error(), ctx.request_id);
  return NotesResponse(*n);
}

Response PutMyPrivateNotes(Services& s, RequestContext& ctx) {
  auto version = IfMatchVersion(ctx.request);
  if (!version) return PreconditionRequired(ctx.request_id);
  auto wanted = NotesBody(ctx.request.body);
  if (!wanted) return Problem(wanted.error(), ctx.request_id);
  auto n = s.editor->SetMyPrivateNotes(CallerOf(ctx), ctx.params["id"], *wanted, *version);
  if (!n) return Problem(n.error(), ctx.request_id);
  return NotesResponse(*n);
}

}  // namespace soundcheck::http::handlers
