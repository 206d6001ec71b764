#include "domain/cases/case_service.h"

#include <algorithm>
#include <charconv>

#include "domain/intake/intake_service.h"

namespace soundcheck::domain::cases {

using accounts::Role;
using core::Error;

namespace {

bool SeesAll(Role role) { return role == Role::kSupervisor; }

bool Visible(const accounts::Caller& caller, const CaseRecord& c) {
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
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "case.list", "case", std::to_string(page.items.size()) + " cases", "case management",
              "success", caller.request_id});
  }));
  return page;
}

Result<CaseDetail> CaseService::Get(const accounts::Caller& caller, const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such case");
  CaseDetail out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto c, uow.cases().FindById(id));
    if (!c || !Visible(caller, *c)) return Error::NotFound("no such case");
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
    // If this audit write fails, the transaction fails and nothing is returned.
    return audit_.Append(
        uow, {caller.principal.user_id, std::string(accounts::RoleName(caller.principal.role)),
              "case.read", "case", c->id, "case management", "success", caller.request_id});
  }));
  return out;
}

}  // namespace soundcheck::domain::cases
