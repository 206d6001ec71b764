// Writing to the event log (EventRepository): what each kind of change announces, and to
// whom. Events carry ids and flags only — never personal data — because they are stored in
// the clear and fanned out widely; a console fetches details through the audited API.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "domain/accounts/roles.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::events {

// Audience tokens: "role:<name>" and "user:<id>", space-separated in EventRecord::audience.
std::string Role(accounts::Role role);
std::string User(const std::string& user_id);
// Whether a viewer with this id and role is in `audience`.
bool InAudience(std::string_view audience, const std::string& user_id, accounts::Role role);

// Who hears about a case: supervisors always; its assignee, or — while it is unassigned —
// every case manager (it is in their queue). `previous_assignee` hears that it left them.
std::string CaseAudience(const CaseRecord& c,
                         const std::optional<std::string>& previous_assignee = std::nullopt);

// Appends one event in the caller's transaction.
Status Emit(UnitOfWork& uow, int64_t at, std::string type, std::string subject_type,
            std::string subject_id, std::string audience, const boost::json::object& data);

// The directory changed (an import, an edit, openings confirmed): every node's matching
// index rebuilds from it. `subject_type` is the HSDS resource written ("service",
// "service_capacity", ...) or "import"; staff consoles may refresh directory views.
Status DirectoryChanged(UnitOfWork& uow, int64_t at, std::string subject_type,
                        std::string subject_id);
inline constexpr std::string_view kDirectoryChanged = "directory.changed";

Status CaseCreated(UnitOfWork& uow, const CaseRecord& c, int64_t at);
Status CaseUpdated(UnitOfWork& uow, const CaseRecord& c, int64_t at,
                   const std::optional<std::string>& previous_assignee = std::nullopt);

}  // namespace soundcheck::domain::events
