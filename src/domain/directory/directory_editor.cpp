#include "domain/directory/directory_editor.h"

#include <algorithm>
#include <cctype>

#include "core/ascii.h"
#include "core/json_text.h"
#include "domain/directory/hsds_codec.h"
#include "domain/events/events.h"

namespace soundcheck::domain::directory {

namespace json = boost::json;
using core::Error;

namespace {

// The service fields people may change here. Keys, ids and the openings (their own action)
// are not; `status` only for staff (providers pause and remove through SetListing).
constexpr const char* kEditableFields[] = {
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "application_process",
    "fees_description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "alert",
    "interpretation_services",
    "wait_time",
};

bool Editable(std::string_view field, bool staff) {
  if (staff && field == "status") return true;
  return std::any_of(std::begin(kEditableFields), std::end(kEditableFields),
                     [&](const char* f) { return field == f; });
}

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// "2026-11-25T12:00:00Z", or "2026-11-25" when `date_only`, for unix seconds (UTC).
std::string Iso(int64_t unix, bool date_only) {
  std::string text = core::FormatRfc3339(core::FromUnixSeconds(unix));
  return date_only ? text.substr(0, 10) : text;
}

std::string ValueText(const json::value* v) { return v == nullptr ? "" : core::JsonText(*v); }

}  // namespace

std::vector<std::string> EditableFields(bool staff) {
  std::vector<std::string> out(std::begin(kEditableFields), std::end(kEditableFields));
  if (staff) out.insert(out.begin() + 1, "status");
  return out;
}

std::optional<ListingState> ParseListingState(std::string_view text) {
  if (text == "listed") return ListingState::kListed;
  if (text == "paused") return ListingState::kPaused;
  if (text == "removed") return ListingState::kRemoved;
  return std::nullopt;
}

core::Status DirectoryEditor::PutRecord(UnitOfWork& uow, const directory::Record& record,
                                        int64_t now) {
  SC_RETURN_IF_ERROR(
      uow.directory().Put(record, LinksOf(directory_.schema(), record), IndexOf(record), now));
  return events::DirectoryChanged(uow, now, record.resource, record.id);
}

core::Status DirectoryEditor::LogChange(UnitOfWork& uow, const accounts::Caller& caller,
                                        DirectoryChange change, const std::string& audit_action) {
  change.at = core::ToUnixSeconds(clock_.Now());
  change.actor_id = caller.principal.user_id;
  change.actor_role = std::string(accounts::RoleName(caller.principal.role));
  SC_RETURN_IF_ERROR(uow.directory().AppendChange(change));
  return audit_.Append(uow, {caller.principal.user_id, change.actor_role, audit_action, "service",
                             change.service_id, "directory upkeep", "success", caller.request_id});
}

core::Result<ServiceSummary> DirectoryEditor::Summarize(UnitOfWork& uow,
                                                        const StoredRecord& service) {
  SC_ASSIGN_OR_RETURN(auto children, uow.directory().LinkedTo({service.record.id},
                                                              {"service_capacity", "attribute"},
                                                              {"service_id", "link_id"}));
  std::vector<directory::Record> records;
  for (auto& c : children) records.push_back(std::move(c.record));
  const ServiceFacts facts = FactsOf(vocabulary_, service.record, records);
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  ServiceSummary s;
  s.id = service.record.id;
  s.name = facts.name;
  s.status = facts.status;
  s.organization_id = core::AsciiLower(Text(service.record.fields, "organization_id"));
  if (!s.organization_id.empty()) {
    SC_ASSIGN_OR_RETURN(auto org, uow.directory().Find("organization", s.organization_id));
    if (org) s.organization_name = Text(org->record.fields, "name");
  }
  s.modified_at = service.modified_at;
  s.openings = Openings(facts, now, policy_);
  s.verified_at = facts.verified_at;
  s.needs = VerificationNeeds(facts, now, policy_);
  return s;
}

core::Result<ServicePage> DirectoryEditor::Browse(const accounts::Caller& caller,
                                                  const std::string& search, int page,
                                                  int per_page) {
  ServicePage out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    out = ServicePage{};
    RecordQuery q;
    q.resource = "service";
    q.visible_only = false;
    std::string word;
    for (char c : search + " ") {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!word.empty()) q.words.push_back(core::AsciiLower(word));
        word.clear();
      } else {
        word += c;
      }
    }
    q.limit = per_page;
    q.offset = static_cast<int64_t>(page - 1) * per_page;
    SC_ASSIGN_OR_RETURN(auto found, uow.directory().Query(q));
    out.total = found.total;
    for (const auto& s : found.records) {
      SC_ASSIGN_OR_RETURN(auto summary, Summarize(uow, s));
      out.services.push_back(std::move(summary));
    }
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceDetail> DirectoryEditor::Detail(const accounts::Caller& caller,
                                                    const std::string& id) {
  ServiceDetail out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("service", core::AsciiLower(id)));
    if (!found) return Error::NotFound("no such service");
    SC_ASSIGN_OR_RETURN(out.summary, Summarize(uow, *found));
    SC_ASSIGN_OR_RETURN(out.nested, directory_.Nest(uow, *found, /*full=*/true));
    SC_ASSIGN_OR_RETURN(out.history, uow.directory().Changes(found->record.id, 100));
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceSummary> DirectoryEditor::ApplyEdit(UnitOfWork& uow,
                                                        const accounts::Caller& caller,
                                                        StoredRecord service,
                                                        const json::object& changes,
                                                        int64_t expected_modified_at, bool staff) {
  if (service.modified_at != expected_modified_at) {
    return Error::FailedPrecondition("the service changed since it was read");
  }
  std::vector<core::FieldError> refused;
  for (const auto& [key, value] : changes) {
    if (!Editable(key, staff)) {
      refused.push_back({"/" + std::string(key), "not_editable", "cannot be changed here"});
    }
  }
  if (!refused.empty()) return Error::Unprocessable("field not editable", std::move(refused));
  json::object fields = service.record.fields;
  std::vector<DirectoryChange> history;
  for (const auto& [key, value] : changes) {
    const json::value* before = fields.if_contains(key);
    if (before != nullptr && *before == value) continue;
    if (before == nullptr && value.is_null()) continue;
    DirectoryChange c;
    c.service_id = service.record.id;
    c.resource = "service";
    c.record_id = service.record.id;
    c.action = "edit";
    c.field = key;
    c.before = ValueText(before);
    c.after = value.is_null() ? "" : core::JsonText(value);
    history.push_back(std::move(c));
    if (value.is_null()) {
      fields.erase(key);
    } else {
      fields[key] = value;
    }
  }
  IssueList issues;
  directory_.schema().ValidateFlat("service", fields, "edit", issues);
  if (!issues.empty()) {
    std::vector<core::FieldError> errors;
    for (const auto& i : issues.issues()) errors.push_back({i.field, "invalid", i.message});
    return Error::Unprocessable("the edit would not be valid HSDS", std::move(errors));
  }
  if (history.empty()) return Summarize(uow, service);
  if (const ResourceSpec* spec = directory_.schema().Find("service")) {
    CanonicalizeNumbers(fields);
    CanonicalizeOrder(*spec, fields);
  }
  service.record.fields = std::move(fields);
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  // The version must move even when two edits land in the same second.
  service.modified_at = std::max(now, service.modified_at + 1);
  SC_RETURN_IF_ERROR(PutRecord(uow, service.record, service.modified_at));
  for (auto& c : history) {
    SC_RETURN_IF_ERROR(LogChange(uow, caller, std::move(c), "directory.edit"));
  }
  return Summarize(uow, service);
}

core::Result<ServiceSummary> DirectoryEditor::Edit(const accounts::Caller& caller,
                                                   const std::string& id,
                                                   const json::object& changes,
                                                   int64_t expected_modified_at) {
  ServiceSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("service", core::AsciiLower(id)));
    if (!found) return Error::NotFound("no such service");
    SC_ASSIGN_OR_RETURN(out, ApplyEdit(uow, caller, *found, changes, expected_modified_at, true));
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceSummary> DirectoryEditor::Verify(const accounts::Caller& caller,
                                                     const std::string& id) {
  ServiceSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("service", core::AsciiLower(id)));
    if (!found) return Error::NotFound("no such service");
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    const std::string today = Iso(now, true);
    DirectoryChange c;
    c.service_id = found->record.id;
    c.resource = "service";
    c.record_id = found->record.id;
    c.action = "verify";
    c.field = "assured_date";
    c.before = ValueText(found->record.fields.if_contains("assured_date"));
    c.after = core::JsonText(json::string(today));
    found->record.fields["assured_date"] = today;
    if (const ResourceSpec* spec = directory_.schema().Find("service")) {
      CanonicalizeOrder(*spec, found->record.fields);
    }
    found->modified_at = std::max(now, found->modified_at + 1);
    SC_RETURN_IF_ERROR(PutRecord(uow, found->record, found->modified_at));
    SC_RETURN_IF_ERROR(LogChange(uow, caller, std::move(c), "directory.verify"));
    SC_ASSIGN_OR_RETURN(out, Summarize(uow, *found));
    return core::Ok();
  }));
  return out;
}

core::Result<FreshnessReport> DirectoryEditor::Freshness(const accounts::Caller& caller,
                                                         int queue_limit) {
  return directory_.Freshness(vocabulary_, policy_, queue_limit);
}

core::Result<ProviderOrganizationView> DirectoryEditor::LinkProvider(
    const accounts::Caller& caller, const std::string& user_id,
    const std::string& organization_id) {
  ProviderOrganizationView out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(user_id));
    if (!user || user->role != "provider") return Error::NotFound("no such provider account");
    SC_ASSIGN_OR_RETURN(auto org,
                        uow.directory().Find("organization", core::AsciiLower(organization_id)));
    if (!org) {
      return Error::Unprocessable("no such organization",
                                  {{"/organization_id", "not_found",
                                    "There is no organization with this id in the directory."}});
    }
    SC_RETURN_IF_ERROR(uow.directory().SetProviderOrganization(
        user_id, org->record.id, core::ToUnixSeconds(clock_.Now()), caller.principal.user_id));
    out = {user_id, org->record.id, Text(org->record.fields, "name")};
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "directory.link_provider", "user", user_id, "directory upkeep", "success",
              caller.request_id});
  }));
  return out;
}

core::Result<ProviderOrganizationView> DirectoryEditor::ProviderLink(const accounts::Caller& caller,
                                                                     const std::string& user_id) {
  ProviderOrganizationView out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto org_id, uow.directory().ProviderOrganization(user_id));
    if (!org_id) return Error::NotFound("this account is not linked to an organization");
    out = {user_id, *org_id, std::nullopt};
    SC_ASSIGN_OR_RETURN(auto org, uow.directory().Find("organization", *org_id));
    if (org) out.organization_name = Text(org->record.fields, "name");
    return core::Ok();
  }));
  return out;
}

core::Result<StoredRecord> DirectoryEditor::OwnService(UnitOfWork& uow,
                                                       const accounts::Caller& caller,
                                                       const std::string& id) {
  SC_ASSIGN_OR_RETURN(auto org, uow.directory().ProviderOrganization(caller.principal.user_id));
  SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("service", core::AsciiLower(id)));
  // Another organization's service is "not found", exactly like a missing one.
  if (!org || !found || core::AsciiLower(Text(found->record.fields, "organization_id")) != *org) {
    return Error::NotFound("no such service");
  }
  return *std::move(found);
}

core::Result<std::vector<ServiceSummary>> DirectoryEditor::OrganizationServices(
    UnitOfWork& uow, const std::string& organization_id) {
  std::vector<ServiceSummary> out;
  RecordQuery q;
  q.resource = "service";
  q.organization_id = organization_id;
  q.visible_only = false;
  q.limit = 200;
  SC_ASSIGN_OR_RETURN(auto found, uow.directory().Query(q));
  for (const auto& s : found.records) {
    SC_ASSIGN_OR_RETURN(auto summary, Summarize(uow, s));
    out.push_back(std::move(summary));
  }
  return out;
}

core::Result<std::vector<ServiceSummary>> DirectoryEditor::MyServices(
    const accounts::Caller& caller) {
  std::vector<ServiceSummary> out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    out.clear();
    SC_ASSIGN_OR_RETURN(auto org, uow.directory().ProviderOrganization(caller.principal.user_id));
    if (!org) return core::Ok();
    SC_ASSIGN_OR_RETURN(out, OrganizationServices(uow, *org));
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceDetail> DirectoryEditor::MyService(const accounts::Caller& caller,
                                                       const std::string& id) {
  ServiceDetail out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto service, OwnService(uow, caller, id));
    SC_ASSIGN_OR_RETURN(out.summary, Summarize(uow, service));
    SC_ASSIGN_OR_RETURN(out.nested, directory_.Nest(uow, service, /*full=*/true));
    SC_ASSIGN_OR_RETURN(out.history, uow.directory().Changes(service.record.id, 50));
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceSummary> DirectoryEditor::ConfirmOpenings(const accounts::Caller& caller,
                                                              const std::string& id,
                                                              int64_t available) {
  ServiceSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(out, ConfirmOpeningsIn(uow, caller, id, available));
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceSummary> DirectoryEditor::ConfirmOpeningsIn(UnitOfWork& uow,
                                                                const accounts::Caller& caller,
                                                                const std::string& id,
                                                                std::optional<int64_t> available) {
  if (available && (*available < 0 || *available > 1000)) {
    return Error::Unprocessable("openings out of range",
                                {{"/available", "range", "must be between 0 and 1000"}});
  }
  SC_ASSIGN_OR_RETURN(auto service, OwnService(uow, caller, id));
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_ASSIGN_OR_RETURN(
      auto capacities,
      uow.directory().LinkedTo({service.record.id}, {"service_capacity"}, {"service_id"}));
  const std::string& unit = vocabulary_.openings_unit().id;
  directory::Record capacity;
  std::string before;
  for (auto& c : capacities) {
    if (Text(c.record.fields, "unit_id") == unit) {
      capacity = std::move(c.record);
      before = ValueText(capacity.fields.if_contains("available"));
      break;
    }
  }
  if (capacity.id.empty()) {
    // The first confirmation creates the openings capacity.
    capacity.resource = "service_capacity";
    capacity.id = ids_.NewId();
    capacity.fields = {{"id", capacity.id}, {"service_id", service.record.id}, {"unit_id", unit}};
  }
  int64_t count = 0;
  if (available) {
    count = *available;
  } else if (const auto* v = capacity.fields.if_contains("available"); v && v->is_number()) {
    count = static_cast<int64_t>(v->to_number<double>());
  }
  capacity.fields["available"] = count;
  capacity.fields["updated"] = Iso(now, false);
  if (const ResourceSpec* spec = directory_.schema().Find("service_capacity")) {
    CanonicalizeOrder(*spec, capacity.fields);
  }
  SC_RETURN_IF_ERROR(PutRecord(uow, capacity, now));
  DirectoryChange c;
  c.service_id = service.record.id;
  c.resource = "service_capacity";
  c.record_id = capacity.id;
  c.action = "openings";
  c.field = "available";
  c.before = before;
  c.after = std::to_string(count);
  SC_RETURN_IF_ERROR(LogChange(uow, caller, std::move(c), "directory.openings"));
  return Summarize(uow, service);
}

core::Result<ServiceSummary> DirectoryEditor::ProviderEdit(const accounts::Caller& caller,
                                                           const std::string& id,
                                                           const json::object& changes,
                                                           int64_t expected_modified_at) {
  ServiceSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto service, OwnService(uow, caller, id));
    SC_ASSIGN_OR_RETURN(out, ApplyEdit(uow, caller, service, changes, expected_modified_at, false));
    return core::Ok();
  }));
  return out;
}

core::Result<ServiceSummary> DirectoryEditor::SetListing(const accounts::Caller& caller,
                                                         const std::string& id,
                                                         ListingState state) {
  ServiceSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto service, OwnService(uow, caller, id));
    const std::string status = state == ListingState::kListed   ? "active"
                               : state == ListingState::kPaused ? "inactive"
                                                                : "defunct";
    const std::string before = Text(service.record.fields, "status");
    if (before == "defunct" && state != ListingState::kRemoved) {
      // A removal is final from the portal: coming back is a conversation with staff.
      return Error::Conflict("this listing was removed; ask the Soundcheck team")
          .WithDetail("This listing was removed. To list it again, contact the Soundcheck team.");
    }
    if (before != status) {
      service.record.fields["status"] = status;
      const int64_t now = core::ToUnixSeconds(clock_.Now());
      service.modified_at = std::max(now, service.modified_at + 1);
      SC_RETURN_IF_ERROR(PutRecord(uow, service.record, service.modified_at));
      DirectoryChange c;
      c.service_id = service.record.id;
      c.resource = "service";
      c.record_id = service.record.id;
      c.action = "listing";
      c.field = "status";
      c.before = core::JsonText(json::string(before));
      c.after = core::JsonText(json::string(status));
      SC_RETURN_IF_ERROR(LogChange(uow, caller, std::move(c), "directory.listing"));
    }
    SC_ASSIGN_OR_RETURN(out, Summarize(uow, service));
    return core::Ok();
  }));
  return out;
}

// --- private notes ---

namespace {

constexpr std::string_view kPrivateTable = "directory_private";

// Line breaks and tabs are text; other control characters are not.
bool CleanNote(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f;
  });
}

// Characters, not bytes: UTF-8 continuation bytes do not count.
size_t CharCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

core::Result<PrivateNotes> DirectoryEditor::LoadNotes(UnitOfWork& uow,
                                                      const std::string& service_id) {
  PrivateNotes out;
  SC_ASSIGN_OR_RETURN(auto stored, uow.directory().FindPrivateNotes(service_id));
  if (!stored) return out;
  SC_ASSIGN_OR_RETURN(std::string contact,
                      keys_.Open(uow, service_id, {kPrivateTable, "staff_contact", service_id},
                                 stored->staff_contact_sealed));
  SC_ASSIGN_OR_RETURN(std::string waitlist,
                      keys_.Open(uow, service_id, {kPrivateTable, "waitlist_note", service_id},
                                 stored->waitlist_note_sealed));
  if (!contact.empty()) out.staff_contact = std::move(contact);
  if (!waitlist.empty()) out.waitlist_note = std::move(waitlist);
  out.version = stored->version;
  out.updated_at = stored->updated_at;
  out.updated_by_role = stored->updated_by_role;
  return out;
}

core::Result<PrivateNotes> DirectoryEditor::SaveNotes(UnitOfWork& uow,
                                                      const accounts::Caller& caller,
                                                      const std::string& service_id,
                                                      const PrivateNotes& wanted,
                                                      int64_t expected_version) {
  std::vector<core::FieldError> errors;
  auto check = [&](const std::optional<std::string>& text, const char* field) {
    if (!text) return;
    if (CharCount(*text) > kMaxPrivateNoteChars) {
      errors.push_back({std::string("/") + field, "too_long",
                        "at most " + std::to_string(kMaxPrivateNoteChars) + " characters"});
    } else if (!CleanNote(*text)) {
      errors.push_back({std::string("/") + field, "invalid", "holds control characters"});
    }
  };
  check(wanted.staff_contact, "staff_contact");
  check(wanted.waitlist_note, "waitlist_note");
  if (!errors.empty()) return Error::Unprocessable("bad private notes", std::move(errors));
  SC_ASSIGN_OR_RETURN(auto stored, uow.directory().FindPrivateNotes(service_id));
  const int64_t current = stored ? stored->version : 0;
  if (current != expected_version) {
    return Error::FailedPrecondition("the private notes changed since they were read");
  }
  PrivateNotesRecord row;
  row.service_id = service_id;
  SC_ASSIGN_OR_RETURN(row.staff_contact_sealed,
                      keys_.Seal(uow, service_id, {kPrivateTable, "staff_contact", service_id},
                                 wanted.staff_contact.value_or("")));
  SC_ASSIGN_OR_RETURN(row.waitlist_note_sealed,
                      keys_.Seal(uow, service_id, {kPrivateTable, "waitlist_note", service_id},
                                 wanted.waitlist_note.value_or("")));
  row.version = current + 1;
  row.updated_at = core::ToUnixSeconds(clock_.Now());
  row.updated_by = caller.principal.user_id;
  row.updated_by_role = std::string(accounts::RoleName(caller.principal.role));
  SC_RETURN_IF_ERROR(uow.directory().PutPrivateNotes(row));
  SC_RETURN_IF_ERROR(audit_.Append(
      uow, {caller.principal.user_id, row.updated_by_role, "directory.private.edit", "service",
            service_id, "directory upkeep", "success", caller.request_id}));
  return LoadNotes(uow, service_id);
}

core::Result<PrivateNotes> DirectoryEditor::PrivateNotesOf(const accounts::Caller& caller,
                                                           const std::string& id) {
  PrivateNotes out;
  // A read-write unit: the read is audited.
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("service", core::AsciiLower(id)));
    if (!found) return Error::NotFound("no such service");
    SC_ASSIGN_OR_RETURN(out, LoadNotes(uow, found->record.id));
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "directory.private.read", "service", found->record.id, "directory upkeep", "success",
              caller.request_id});
  }));
  return out;
}

core::Result<PrivateNotes> DirectoryEditor::SetPrivateNotes(const accounts::Caller& caller,
                                                            const std::string& id,
                                                            const PrivateNotes& wanted,
                                                            int64_t expected_version) {
  PrivateNotes out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto found, uow.directory().Find("service", core::AsciiLower(id)));
    if (!found) return Error::NotFound("no such service");
    SC_ASSIGN_OR_RETURN(out, SaveNotes(uow, caller, found->record.id, wanted, expected_version));
    return core::Ok();
  }));
  return out;
}

core::Result<PrivateNotes> DirectoryEditor::MyPrivateNotes(const accounts::Caller& caller,
                                                           const std::string& id) {
  PrivateNotes out;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto service, OwnService(uow, caller, id));
    SC_ASSIGN_OR_RETURN(out, LoadNotes(uow, service.record.id));
    return core::Ok();
  }));
  return out;
}

core::Result<PrivateNotes> DirectoryEditor::SetMyPrivateNotes(const accounts::Caller& caller,
                                                              const std::string& id,
                                                              const PrivateNotes& wanted,
                                                              int64_t expected_version) {
  PrivateNotes out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto service, OwnService(uow, caller, id));
    SC_ASSIGN_OR_RETURN(out, SaveNotes(uow, caller, service.record.id, wanted, expected_version));
    return core::Ok();
  }));
  return out;
}

}  // namespace soundcheck::domain::directory
