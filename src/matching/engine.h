// The matching engine: from a Snapshot and a Query, the providers the member can actually
// use, best first, each with the reasons it passed and what it will cost them.
//
// A provider passes when, for the first session: it offers one of the care types asked for;
// it can reach the member (telehealth, or an office within max_km of where the member will
// be); it holds a licence valid that day where the session legally happens (the member's
// location for telehealth, PSYPACT included; the office for in-person sessions) unless it
// offers no licensed care; it speaks one of the languages; it serves the age group and
// format; it has openings confirmed within the freshness window; and the member can pay
// (in network, free, or a cost estimate within their budget). Later sessions of a weekly
// series are checked the same way and the dates a provider cannot cover are flagged, not
// excluded. Soft preferences (scoring.h) order what passes; ties break on provider id.
#pragma once

#include "core/result.h"
#include "matching/query.h"
#include "matching/snapshot.h"

namespace soundcheck::matching {

// The query's own problems, each naming its field as a JSON Pointer into the request
// (kUnprocessable): no jurisdiction; sessions outside 1..52; limit outside 1..100; max_km
// outside (0, 500]; an itinerary stop ending before it starts or without a jurisdiction;
// a negative budget or aid; in person only with no point to measure the first session from
core::Status ValidateQuery(const Query& query);

// Errors: ValidateQuery's. Thread-safe: any number of threads may match on one snapshot.
core::Result<MatchAnswer> FindMatches(const Snapshot& snapshot, const Query& query);

}  // namespace soundcheck::matching
