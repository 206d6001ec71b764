// A case's starting query: the member's facts turned into matching's terms. The case
// manager's request then overrides any of it (query_json.h DecodeQuery).
#pragma once

#include "domain/cases/case_service.h"
#include "matching/query.h"

namespace soundcheck::matching {

// Care types, jurisdiction, language, mode, the plan (uninsured members: none), preferred
// specialties and identity. The first session defaults to `first_session`; the member's
// location point is unknown from intake, so in person needs the request to give one.
Query QueryFor(const domain::cases::MemberFacts& facts, Day first_session, int64_t now);

}  // namespace soundcheck::matching
