// A case's care profile, matching's side of it (docs/matching.md, "The case's care
// profile"): the person's facts a case manager keeps on the case — their point, tour,
// insurance details, budget, aid — in MatchQuery's wire form (query_json.h), without the
// fields chosen for each search. The domain stores a profile as an opaque JSON object; these
// read one into a query. A case's query is QueryFor(facts) ← the profile ← the request.
#pragma once

#include <array>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "matching/query.h"

namespace soundcheck::matching {

// The wire fields a profile may hold.
inline constexpr std::array<std::string_view, 13> kProfileFields = {
    "care_types", "location", "itinerary", "mode",         "max_km",        "languages",
    "age",        "format",   "insurance", "budget_cents", "sliding_scale", "aid_per_session_cents",
    "prefer"};
// MatchQuery fields chosen for each search and never kept on the case.
inline constexpr std::array<std::string_view, 5> kSearchOnlyFields = {
    "first_session", "sessions", "limit", "require_opening", "weights"};

// Reads `profile` into `query` as DecodeQuery does, over what `query` already holds.
// kInvalidArgument (400) naming each problem as a JSON Pointer under /profile: a search-only
// field (code not_a_profile_field), an unknown field, a wrong type or a value outside its
// set or range — or kUnprocessable when only required members are missing (an itinerary stop
// without its dates). Rules between fields are ValidateProfileQuery's. `query` may be
// partly changed on error: discard it then.
core::Status ApplyProfile(const boost::json::object& profile, Query& query);

// ValidateQuery (engine.h) for the query a profile gives, its field pointers under /profile
// (kUnprocessable), e.g. /profile/itinerary/0/to for a stop that ends before it starts.
core::Status ValidateProfileQuery(const Query& query);

// The form a profile is kept in: `profile` with its top-level nulls dropped where null means
// the same as absent (every field but insurance and budget_cents, where null clears what the
// case's facts gave). Reads exactly as `profile` does.
boost::json::object CanonicalProfile(boost::json::object profile);

}  // namespace soundcheck::matching
