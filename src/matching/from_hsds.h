// Reading a listing's matching facts out of the directory's HSDS records (docs/directory.md
// "The Soundcheck taxonomy"). Pure: the records come in, a Provider goes out.
#pragma once

#include <optional>
#include <vector>

#include "domain/directory/record.h"
#include "domain/directory/vocabulary.h"
#include "matching/facts.h"

namespace soundcheck::matching {

// The Provider for `service`, or nullopt when the listing is not shown (any status but
// "active": paused, closed or removed listings never match). `related` holds the records
// pointing at the service (attribute by link_id, language, cost_option, service_capacity,
// service_at_location) and the location and address records its service_at_locations lead
// to; anything else is ignored. A value that does not parse is left out, never guessed:
// a licence without a readable expiry is kept but never valid, an unreadable fee is unknown.
std::optional<Provider> ProviderFromHsds(const domain::directory::Vocabulary& vocabulary,
                                         const domain::directory::Record& service,
                                         const std::vector<domain::directory::Record>& related);

// An address's ISO 3166-2 code: "US-NY" from country "US" and state_province "NY" (US and
// Canada, two-letter codes), else the country; empty when the country is not two letters.
std::string JurisdictionOfAddress(std::string_view country, std::string_view state_province);

}  // namespace soundcheck::matching
