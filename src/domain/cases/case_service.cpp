#include "domain/cases/case_service.h"

#include <boost/json.hpp>

#include "domain/events/events.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "domain/intake/intake_service.h"

namespace soundcheck::domain::cases {

using accounts::Role;
using core::Error;

namespace {

bool SeesAll(Role role) { return role == Role::kSupervisor; }

bool CanSee(const accounts::Caller& caller, const CaseRecord& c) {
  return SeesAll(caller.principal.role) || !c.assigned_to ||
         *c.assigned_to == caller.principal.user_id;
}

CaseSummary Summary(const CaseRecord& c) {
  CaseSummary s;
  s.id = c.id;
  s.reference = c.reference;
  s.status = c.status;
  s.urgent = c.urgent;
  s.assigned_to = c.assigned_to;
  s.country = c.country;
  s.region = c.region;
  s.industry_role = c.industry_role;
  s.src = c.src;
  std::string cur;
  for (char ch : c.requests + ",") {
    if (ch == ',') {
      if (!cur.empty()) s.requests.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  s.created_at = c.created_at;
  s.first_contact_due_at = c.first_contact_due_at;
  s.first_contact_at = c.first_contact_at;
  s.version = c.version;
  return s;
}

// Cursor "U.CREATED.ID": the queue position of the last item shown.
std::string EncodeCursor(const CaseRecord& c) {
  return std::string(c.urgent ? "1" : "0") + "." + std::to_string(c.created_at) + "." + c.id;
}

std::optional<CaseQuery::Position> DecodeCursor(const std::string& s) {
  auto d1 = s.find('.');
  auto d2 = s.find('.', d1 == std::string::npos ? 0 : d1 + 1);
  if (d1 != 1 || d2 == std::string::npos || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  CaseQuery::Position p;
  p.urgent = s[0] == '1';
  auto [ptr, ec] = std::from_chars(s.data() + d1 + 1, s.data() + d2, p.created_at);
  if (ec != std::errc() || ptr != s.data() + d2) return std::nullopt;
  p.id = s.substr(d2 + 1);
  if (!core::IsUuid(p.id)) return std::nullopt;
  return p;
}

}  // namespace

Result<CasePage> CaseService::List(const accounts::Caller& caller, const CaseFilter& filter,
                                   const std::string& cursor, int limit) {
  CaseQuery q;
  q.status = filter.status;
  q.urgent = filter.urgent;
  if (filter.status && std::find(std::begin(kStatuses), std::end(kStatuses), *filter.status) ==
                           std::end(kStatuses)) {
    return Error::InvalidArgument("bad status",
                                  {{"/status", "invalid_value",
                                    "Use new, contacted, assessing, planning, active or closed."}});
  }
  if (!cursor.empty()) {
    q.after = DecodeCursor(cursor);
    if (!q.after) {
      return Error::InvalidArgument("bad cursor",
                                    {{"/cursor", "invalid_format", "Unknown cursor."}});
    }
  }
  if (!SeesAll(caller.principal.role)) q.visible_to = caller.principal.user_id;
  q.limit = std::clamp(limit, 1, 200) + 1;
  CasePage page;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    page = {};
    SC_ASSIGN_OR_RETURN(auto rows, uow.cases().Query(q));
    bool more = static_cast<int>(rows.size()) == q.limit;
    if (more) rows.pop_back();
    for (const auto& r : rows) page.items.push_back(Summary(r));
    if (more) page.next_cursor = EncodeCursor(rows.back());
    SC_ASSIGN_OR_RETURN(auto counts, uow.cases().CountByStatus(q.visible_to));
    for (std::string_view status : kStatuses) {
      int64_t n = 0;
      for (const auto& c : counts) {
        if (c.status != status) continue;
        n += c.count;
        if (status != "closed") {
          page.counts.open += c.count;
          if (c.urgent) page.counts.urgent_open += c.count;
        }
      }
      page.counts.by_status.emplace_back(std::string(status), n);
    }
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "case.list", "case", std::to_string(page.items.size()) + " cases", "case management",
              "success", caller.request_id});
  }));
  return page;
}

namespace {

std::string FieldText(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

const boost::json::object* FieldObject(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

// What each intake request asks the directory for (intake's kRequests → care types).
// "not_sure" asks for nothing in particular: the case manager decides.
std::vector<std::string> CareTypesFor(std::string_view request) {
  if (request == "therapy") return {"care_type:individual-therapy"};
  if (request == "psychiatry") return {"care_type:psychiatry", "care_type:medication-management"};
  if (request == "substance_use") {
    return {"care_type:substance-use-outpatient", "care_type:intensive-outpatient",
            "care_type:recovery-meeting", "care_type:recovery-coaching"};
  }
  if (request == "financial_help") return {"care_type:financial-aid"};
  if (request == "wellness") {
    return {"care_type:wellness-coaching", "care_type:mindfulness", "care_type:yoga"};
  }
  return {};
}

}  // namespace

MemberFacts MemberFactsFromIntake(std::string_view intake_json) {
  MemberFacts f;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(intake_json, ec);
  if (ec || !v.is_object()) return f;
  const auto& in = v.get_object();
  if (const auto* l = FieldObject(in, "location")) {
    f.jurisdiction = FieldText(*l, "region");
    if (f.jurisdiction.empty()) f.jurisdiction = FieldText(*l, "country");
  }
  if (const auto* r = in.if_contains("requests"); r && r->is_array()) {
    for (const auto& request : r->get_array()) {
      if (!request.is_string()) continue;
      for (auto& code : CareTypesFor(request.get_string())) {
        if (std::find(f.care_types.begin(), f.care_types.end(), code) == f.care_types.end()) {
          f.care_types.push_back(std::move(code));
        }
      }
    }
  }
  f.language = FieldText(in, "language");
  if (const auto* p = FieldObject(in, "preferences")) {
    if (const std::string language = FieldText(*p, "language"); !language.empty()) {
      f.language = language;
    }
    f.mode = FieldText(*p, "format");
    f.provider_identity = FieldText(*p, "provider_identity");
    if (const auto* sp = p->if_contains("specialties"); sp && sp->is_array()) {
      for (const auto& s : sp->get_array()) {
        if (!s.is_string()) continue;
        if (s.get_string() == "trauma_informed") f.prefer_tags.emplace_back("issue:trauma-ptsd");
        if (s.get_string() == "lgbtq_affirming") {
          f.prefer_tags.emplace_back("identity:lgbtq-affirming");
        }
      }
    }
  }
  if (const auto* i = FieldObject(in, "insurance")) {
    f.insurance_type = FieldText(*i, "type");
    f.carrier = FieldText(*i, "carrier");
    f.plan = FieldText(*i, "plan_name");
  }
  if (const auto* t = FieldObject(in, "on_tour")) {
    const auto* now = t->if_contains("now");
    f.on_tour = now != nullptr && now->is_bool() && now->get_bool();
    f.on_tour_until = FieldText(*t, "until");
  }
  return f;
}

Result<MemberFacts> CaseService::MatchFacts(const accounts::Caller& caller, const std::string& id) {
  SC_ASSIGN_OR_RETURN(auto detail, Get(caller, id));
  return MemberFactsFromIntake(detail.intake_json);
}

Result<CaseDetail> CaseService::Get(const accounts::Caller& caller, const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such case");
  CaseDetail out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(id));
    if (!c || !CanSee(caller, *c)) return Error::NotFound("no such case");
    SC_ASSIGN_OR_RETURN(auto person, uow.people().FindById(c->person_id));
    if (!person) return Error::Internal("case without person");
    SC_ASSIGN_OR_RETURN(auto intake, uow.intakes().FindByCase(c->id));
    out = {};
    out.summary = Summary(*c);
    SC_ASSIGN_OR_RETURN(out.preferred_name,
                        keys_.Open(uow, person->id, {"people", "preferred_name", person->id},
                                   person->preferred_name_sealed));
    SC_ASSIGN_OR_RETURN(
        out.contact_json,
        keys_.Open(uow, person->id, {"people", "contact", person->id}, person->contact_sealed));
    if (intake) {
      SC_ASSIGN_OR_RETURN(
          out.intake_json,
          keys_.Open(uow, person->id, {"intakes", "answers", intake->id}, intake->answers_sealed));
      SC_ASSIGN_OR_RETURN(std::string screenings,
                          keys_.Open(uow, person->id, {"intakes", "screenings", intake->id},
                                     intake->screenings_sealed));
      out.screenings = intake::DecodeResults(screenings);
    }
    SC_ASSIGN_OR_RETURN(out.timeline, uow.cases().Events(c->id));
    SC_ASSIGN_OR_RETURN(auto links, uow.cases().Links(c->id));
    for (const auto& l : links) {
      SC_ASSIGN_OR_RETURN(auto other, uow.cases().FindById(l.linked_case_id));
      if (other && CanSee(caller, *other)) {
        out.links.push_back({other->id, other->reference, l.relationship});
      }
    }
    // If this audit write fails, the transaction fails and nothing is returned.
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "case.read", "case", c->id, "case management", "success", caller.request_id});
  }));
  return out;
}

Result<int> CaseService::RemindDueTasks(std::chrono::seconds ahead) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  int n = 0;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    n = 0;
    SC_ASSIGN_OR_RETURN(auto due, uow.tasks().TakeDueForReminder(now + ahead.count(), now, 100));
    for (const auto& t : due) {
      SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(t.case_id));
      if (!c) continue;
      // The title may name the person: the event carries ids and the due time only.
      SC_RETURN_IF_ERROR(
          events::Emit(uow, now, "task.due", "task", t.id, events::CaseAudience(*c),
                       {{"task_id", t.id},
                        {"case_id", c->id},
                        {"reference", c->reference},
                        {"due_at", core::FormatRfc3339(core::FromUnixSeconds(t.due_at))},
                        {"overdue", t.due_at < now}}));
      ++n;
    }
    return core::Ok();
  }));
  return n;
}

Result<CaseLink> CaseService::Link(const accounts::Caller& caller, const std::string& case_id,
                                   const std::string& other_reference,
                                   const std::string& relationship) {
  static const std::set<std::string> kRelationships = {"partner", "parent", "child", "sibling",
                                                       "other"};
  if (!kRelationships.contains(relationship)) {
    return Error::Unprocessable(
        "bad relationship",
        {{"/relationship", "invalid_value", "Use partner, parent, child, sibling or other."}});
  }
  CaseLink out;
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto other, uow.cases().FindByReference(other_reference));
    if (!other || !CanSee(caller, *other)) {
      return Error::NotFound("no such case").WithDetail("No case you can see has that reference.");
    }
    if (other->id == c.id) {
      return Error::Unprocessable(
          "self link", {{"/case_reference", "invalid_value", "Choose another person's case."}});
    }
    SC_ASSIGN_OR_RETURN(auto existing, uow.cases().Links(c.id));
    for (const auto& l : existing) {
      if (l.linked_case_id == other->id) {
        return Error::Conflict("linked already").WithDetail("These cases are linked already.");
      }
    }
    SC_RETURN_IF_ERROR(
        uow.cases().InsertLink({c.id, other->id, relationship, caller.principal.user_id, now}));
    for (const auto& id : {c.id, other->id}) {
      SC_RETURN_IF_ERROR(uow.cases().InsertEvent(
          {ids_.NewId(), id, now, caller.principal.user_id, "case.linked", relationship}));
    }
    out = {other->id, other->reference, relationship};
    return Audit(uow, caller, "case.link", c.id);
  }));
  return out;
}

Status CaseService::Audit(UnitOfWork& uow, const accounts::Caller& caller,
                          const std::string& action, const std::string& case_id) {
  return audit_.Append(
      uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
            action, "case", case_id, "case management", "success", caller.request_id});
}

Result<CaseRecord> VisibleCase(UnitOfWork& uow, const accounts::Caller& caller,
                               const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such case");
  SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(id));
  if (!c || !CanSee(caller, *c)) return Error::NotFound("no such case");
  return *c;
}

Result<CaseRecord> CaseService::Visible(UnitOfWork& uow, const accounts::Caller& caller,
                                        const std::string& id) {
  return VisibleCase(uow, caller, id);
}

namespace {

Error Stale() {
  return Error::FailedPrecondition("stale case version")
      .WithDetail("Someone else changed this case first. Reload it to see what changed.");
}

Status CheckNoteBody(const std::string& body) {
  if (body.empty() || body.size() > 20000) {
    return Error::Unprocessable("bad note", {{"/body", body.empty() ? "required" : "too_long",
                                              "Write a note of up to 20,000 characters."}});
  }
  return core::Ok();
}

Error StaleNote() {
  return Error::FailedPrecondition("stale note")
      .WithDetail("This note changed since you opened it. Reload it to see the newer version.");
}

int StatusIndex(std::string_view s) {
  for (int i = 0; i < static_cast<int>(std::size(kStatuses)); ++i)
    if (kStatuses[i] == s) return i;
  return -1;
}

}  // namespace

Result<CaseSummary> CaseService::Assign(const accounts::Caller& caller, const std::string& id,
                                        const std::string& assignee, int64_t expected_version) {
  CaseSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, id));
    if (c.version != expected_version) return Stale();
    bool supervisor = caller.principal.role == Role::kSupervisor;
    if (!supervisor) {
      if (assignee != caller.principal.user_id || (c.assigned_to && *c.assigned_to != assignee)) {
        return Error::PermissionDenied("case managers take unassigned cases for themselves")
            .WithDetail(
                "You can take an unassigned case for yourself; a supervisor assigns others.");
      }
    }
    const std::optional<std::string> previous = c.assigned_to;
    if (!assignee.empty()) {
      SC_ASSIGN_OR_RETURN(auto user, uow.users().FindById(assignee));
      auto role = user ? accounts::ParseRole(user->role) : std::nullopt;
      if (!user || user->disabled || (role != Role::kCaseManager && role != Role::kSupervisor)) {
        return Error::Unprocessable(
            "bad assignee",
            {{"/user_id", "invalid_value", "Choose an active case manager or supervisor."}});
      }
      c.assigned_to = assignee;
    } else {
      c.assigned_to.reset();
    }
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    c.version = expected_version + 1;
    c.updated_at = now;
    SC_RETURN_IF_ERROR(uow.cases().Update(c, expected_version));
    SC_RETURN_IF_ERROR(
        uow.cases().InsertEvent({ids_.NewId(), c.id, now, caller.principal.user_id, "case.assigned",
                                 assignee.empty() ? "unassigned" : "assigned to " + assignee}));
    SC_RETURN_IF_ERROR(events::CaseUpdated(uow, c, now, previous));
    SC_RETURN_IF_ERROR(Audit(uow, caller, "case.assign", c.id));
    out = Summary(c);
    return core::Ok();
  }));
  return out;
}

Result<CaseSummary> CaseService::SetStatus(const accounts::Caller& caller, const std::string& id,
                                           const std::string& status, const std::string& reason,
                                           int64_t expected_version) {
  int to = StatusIndex(status);
  if (to < 0) {
    return Error::Unprocessable("bad status",
                                {{"/status", "invalid_value",
                                  "Use new, contacted, assessing, planning, active or closed."}});
  }
  if (reason.size() > 500) {
    return Error::Unprocessable("reason too long",
                                {{"/reason", "too_long", "Use at most 500 characters."}});
  }
  CaseSummary out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, id));
    if (c.version != expected_version) return Stale();
    int from = StatusIndex(c.status);
    bool reopen = c.status == "closed" && status == "active";
    if (reopen && caller.principal.role != Role::kSupervisor) {
      return Error::PermissionDenied("only supervisors reopen")
          .WithDetail("Only a supervisor can reopen a closed case.");
    }
    if (!reopen && to <= from) {
      return Error::Unprocessable(
          "status goes backward",
          {{"/status", "invalid_transition", "A case moves forward: choose a later status."}});
    }
    if ((status == "closed" || reopen) && reason.empty()) {
      return Error::Unprocessable("reason required", {{"/reason", "required", "Say why."}});
    }
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    // Leaving "new" for work means someone reached the person; closing does not.
    if (c.status == "new" && status != "closed" && !c.first_contact_at) c.first_contact_at = now;
    c.status = status;
    c.version = expected_version + 1;
    c.updated_at = now;
    SC_RETURN_IF_ERROR(uow.cases().Update(c, expected_version));
    // The reason may describe the person: it goes into the sealed note stream, not the
    // timeline detail, which stays free of personal data.
    SC_RETURN_IF_ERROR(uow.cases().InsertEvent(
        {ids_.NewId(), c.id, now, caller.principal.user_id, "case.status", c.status}));
    SC_RETURN_IF_ERROR(events::CaseUpdated(uow, c, now));
    if (!reason.empty()) {
      NoteRecord n;
      n.id = ids_.NewId();
      n.case_id = c.id;
      n.author_id = caller.principal.user_id;
      n.created_at = now;
      SC_ASSIGN_OR_RETURN(n.body_sealed,
                          keys_.Seal(uow, c.person_id, {"case_notes", "body", n.id + "#1"},
                                     "Status " + status + ": " + reason));
      SC_RETURN_IF_ERROR(uow.notes().Insert(n));
    }
    SC_RETURN_IF_ERROR(Audit(uow, caller, "case.status", c.id));
    out = Summary(c);
    return core::Ok();
  }));
  return out;
}

Result<Note> CaseService::AddNote(const accounts::Caller& caller, const std::string& case_id,
                                  const std::string& body) {
  SC_RETURN_IF_ERROR(CheckNoteBody(body));
  Note out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    NoteRecord n;
    n.id = ids_.NewId();
    n.case_id = c.id;
    n.author_id = caller.principal.user_id;
    n.created_at = core::ToUnixSeconds(clock_.Now());
    // The site includes the version, so a sealed body cannot be moved to another version.
    SC_ASSIGN_OR_RETURN(n.body_sealed,
                        keys_.Seal(uow, c.person_id, {"case_notes", "body", n.id + "#1"}, body));
    SC_RETURN_IF_ERROR(uow.notes().Insert(n));
    SC_RETURN_IF_ERROR(uow.cases().InsertEvent(
        {ids_.NewId(), c.id, n.created_at, caller.principal.user_id, "case.note", n.id}));
    SC_RETURN_IF_ERROR(Audit(uow, caller, "case.note.create", c.id));
    out = {n.id, 1, body, n.author_id, n.created_at};
    return core::Ok();
  }));
  return out;
}

Result<Note> CaseService::EditNote(const accounts::Caller& caller, const std::string& case_id,
                                   const std::string& note_id, const std::string& body,
                                   int64_t expected_version) {
  SC_RETURN_IF_ERROR(CheckNoteBody(body));
  Note out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto all, uow.notes().ForCase(c.id));
    std::optional<NoteRecord> latest;
    for (const auto& n : all)
      if (n.id == note_id) latest = n;
    if (!latest) return Error::NotFound("no such note");
    if (latest->author_id != caller.principal.user_id) {
      return Error::PermissionDenied("not the author")
          .WithDetail("Only the author can edit a note; add a new note instead.");
    }
    if (latest->version != expected_version) {
      return StaleNote();
    }
    NoteRecord n = *latest;
    n.version = expected_version + 1;
    n.created_at = core::ToUnixSeconds(clock_.Now());
    SC_ASSIGN_OR_RETURN(
        n.body_sealed,
        keys_.Seal(uow, c.person_id, {"case_notes", "body", n.id + "#" + std::to_string(n.version)},
                   body));
    auto st = uow.notes().Insert(n);
    if (!st && st.error().code == core::ErrorCode::kConflict) {
      return StaleNote();
    }
    SC_RETURN_IF_ERROR(st);
    SC_RETURN_IF_ERROR(Audit(uow, caller, "case.note.edit", c.id));
    out = {n.id, n.version, body, n.author_id, n.created_at};
    return core::Ok();
  }));
  return out;
}

Result<std::vector<Note>> CaseService::Notes(const accounts::Caller& caller,
                                             const std::string& case_id) {
  std::vector<Note> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    out.clear();
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto all, uow.notes().ForCase(c.id));
    for (size_t i = 0; i < all.size(); ++i) {
      bool latest = i + 1 == all.size() || all[i + 1].id != all[i].id;
      if (!latest) continue;
      const auto& n = all[i];
      SC_ASSIGN_OR_RETURN(std::string body,
                          keys_.Open(uow, c.person_id,
                                     {"case_notes", "body", n.id + "#" + std::to_string(n.version)},
                                     n.body_sealed));
      out.push_back({n.id, n.version, std::move(body), n.author_id, n.created_at});
    }
    std::sort(out.begin(), out.end(), [](const Note& a, const Note& b) { return a.id < b.id; });
    return Audit(uow, caller, "case.notes.read", c.id);
  }));
  return out;
}

namespace {

Result<Task> OpenTask(keys::KeyService& keys, UnitOfWork& uow, const CaseRecord& c,
                      const TaskRecord& t) {
  SC_ASSIGN_OR_RETURN(std::string title,
                      keys.Open(uow, c.person_id, {"case_tasks", "title", t.id}, t.title_sealed));
  return Task{t.id, std::move(title), t.due_at, t.status, t.created_by, t.created_at, t.done_at};
}

}  // namespace

Result<Task> CaseService::AddTask(const accounts::Caller& caller, const std::string& case_id,
                                  const std::string& title, int64_t due_at) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  std::vector<core::FieldError> errors;
  if (title.empty() || title.size() > 500) {
    errors.push_back({"/title", title.empty() ? "required" : "too_long",
                      "Describe the task in up to 500 characters."});
  }
  if (due_at < now - 86400) {
    errors.push_back({"/due_at", "in_the_past", "Choose a due time from today on."});
  }
  if (!errors.empty()) return Error::Unprocessable("bad task", std::move(errors));
  Task out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    TaskRecord t;
    t.id = ids_.NewId();
    t.case_id = c.id;
    t.due_at = due_at;
    t.status = "open";
    t.created_by = caller.principal.user_id;
    t.created_at = now;
    SC_ASSIGN_OR_RETURN(t.title_sealed,
                        keys_.Seal(uow, c.person_id, {"case_tasks", "title", t.id}, title));
    SC_RETURN_IF_ERROR(uow.tasks().Insert(t));
    SC_RETURN_IF_ERROR(uow.cases().InsertEvent(
        {ids_.NewId(), c.id, now, caller.principal.user_id, "case.task", t.id}));
    SC_RETURN_IF_ERROR(Audit(uow, caller, "case.task.create", c.id));
    out = {t.id, title, t.due_at, t.status, t.created_by, t.created_at, std::nullopt};
    return core::Ok();
  }));
  return out;
}

Result<std::vector<Task>> CaseService::Tasks(const accounts::Caller& caller,
                                             const std::string& case_id) {
  std::vector<Task> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    out.clear();
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    SC_ASSIGN_OR_RETURN(auto all, uow.tasks().ForCase(c.id));
    for (const auto& t : all) {
      SC_ASSIGN_OR_RETURN(Task task, OpenTask(keys_, uow, c, t));
      out.push_back(std::move(task));
    }
    return Audit(uow, caller, "case.tasks.read", c.id);
  }));
  return out;
}

Result<Task> CaseService::CompleteTask(const accounts::Caller& caller, const std::string& case_id,
                                       const std::string& task_id) {
  Task out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    const int64_t now = core::ToUnixSeconds(clock_.Now());
    SC_ASSIGN_OR_RETURN(bool done,
                        uow.tasks().Complete(c.id, task_id, now, caller.principal.user_id));
    if (!done) return Error::NotFound("no open task");
    SC_ASSIGN_OR_RETURN(auto all, uow.tasks().ForCase(c.id));
    for (const auto& t : all) {
      if (t.id == task_id) {
        SC_ASSIGN_OR_RETURN(out, OpenTask(keys_, uow, c, t));
      }
    }
    SC_RETURN_IF_ERROR(uow.cases().InsertEvent(
        {ids_.NewId(), c.id, now, caller.principal.user_id, "case.task.done", task_id}));
    return Audit(uow, caller, "case.task.complete", c.id);
  }));
  return out;
}

Result<ContactAttempt> CaseService::LogContactAttempt(const accounts::Caller& caller,
                                                      const std::string& case_id,
                                                      const std::string& channel,
                                                      const std::string& outcome) {
  static const std::set<std::string> kChannels = {"phone", "text", "email"};
  static const std::set<std::string> kOutcomes = {"reached", "no_answer", "left_voicemail",
                                                  "message_sent", "wrong_number"};
  std::vector<core::FieldError> errors;
  if (!kChannels.count(channel)) {
    errors.push_back({"/channel", "invalid_value", "Use phone, text or email."});
  }
  if (!kOutcomes.count(outcome)) {
    errors.push_back({"/outcome", "invalid_value",
                      "Use reached, no_answer, left_voicemail, message_sent or wrong_number."});
  }
  if (!errors.empty()) return Error::Unprocessable("bad attempt", std::move(errors));
  ContactAttempt out{channel, outcome, core::ToUnixSeconds(clock_.Now())};
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(CaseRecord c, Visible(uow, caller, case_id));
    if (outcome == "reached" && !c.first_contact_at) {
      int64_t expected = c.version;
      c.first_contact_at = out.at;
      if (c.status == "new") c.status = "contacted";
      c.version = expected + 1;
      c.updated_at = out.at;
      auto st = uow.cases().Update(c, expected);
      if (!st) {
        return Error::Conflict("case changed meanwhile")
            .WithDetail("The case changed while you logged this. Try again.");
      }
      SC_RETURN_IF_ERROR(events::CaseUpdated(uow, c, out.at));
    }
    SC_RETURN_IF_ERROR(
        uow.cases().InsertEvent({ids_.NewId(), c.id, out.at, caller.principal.user_id,
                                 "contact.attempt", channel + " " + outcome}));
    return Audit(uow, caller, "case.contact_attempt", c.id);
  }));
  return out;
}

}  // namespace soundcheck::domain::cases
