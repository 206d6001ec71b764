#include "domain/events/events.h"

#include <boost/json/serialize.hpp>

namespace soundcheck::domain::events {

std::string Role(accounts::Role role) { return "role:" + std::string(accounts::RoleName(role)); }

std::string User(const std::string& user_id) { return "user:" + user_id; }

bool InAudience(std::string_view audience, const std::string& user_id, accounts::Role role) {
  const std::string r = Role(role);
  const std::string u = User(user_id);
  while (!audience.empty()) {
    size_t sp = audience.find(' ');
    std::string_view token = audience.substr(0, sp);
    if (token == r || (!user_id.empty() && token == u)) return true;
    if (sp == std::string_view::npos) break;
    audience.remove_prefix(sp + 1);
  }
  return false;
}

std::string CaseAudience(const CaseRecord& c, const std::optional<std::string>& previous) {
  std::string a = Role(accounts::Role::kSupervisor);
  if (c.assigned_to) {
    a += " " + User(*c.assigned_to);
  } else {
    a += " " + Role(accounts::Role::kCaseManager);
  }
  if (previous && *previous != c.assigned_to.value_or("")) a += " " + User(*previous);
  return a;
}

Status Emit(UnitOfWork& uow, int64_t at, std::string type, std::string subject_type,
            std::string subject_id, std::string audience, const boost::json::object& data) {
  EventRecord e;
  e.at = at;
  e.type = std::move(type);
  e.subject_type = std::move(subject_type);
  e.subject_id = std::move(subject_id);
  e.audience = std::move(audience);
  e.data = boost::json::serialize(data);
  auto seq = uow.events().Append(e);
  if (!seq) return std::move(seq).error();
  return core::Ok();
}

Status CaseCreated(UnitOfWork& uow, const CaseRecord& c, int64_t at) {
  return Emit(uow, at, "case.created", "case", c.id, CaseAudience(c),
              {{"urgent", c.urgent}, {"reference", c.reference}, {"status", c.status}});
}

Status CaseUpdated(UnitOfWork& uow, const CaseRecord& c, int64_t at,
                   const std::optional<std::string>& previous_assignee) {
  boost::json::object data{{"status", c.status}, {"urgent", c.urgent}, {"version", c.version}};
  data["assigned_to"] =
      c.assigned_to ? boost::json::value(*c.assigned_to) : boost::json::value(nullptr);
  return Emit(uow, at, "case.updated", "case", c.id, CaseAudience(c, previous_assignee), data);
}

Status DirectoryChanged(UnitOfWork& uow, int64_t at, std::string subject_type,
                        std::string subject_id) {
  const std::string audience = Role(accounts::Role::kCaseManager) + " " +
                               Role(accounts::Role::kSupervisor) + " " +
                               Role(accounts::Role::kAdmin);
  return Emit(uow, at, std::string(kDirectoryChanged), std::move(subject_type),
              std::move(subject_id), audience, {});
}

}  // namespace soundcheck::domain::events
