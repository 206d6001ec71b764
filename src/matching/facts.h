// What the matching engine knows about one listing: plain values read from the directory
// (from_hsds.h does the reading), the input to Snapshot::Build. Nothing here does I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soundcheck::matching {

// A calendar day as days since 1970-01-01 (UTC). Sessions and licence expiry are days.
using Day = int32_t;
// "2027-06-30" → its Day; nullopt when not a real date.
std::optional<Day> ParseDay(std::string_view text);
std::string DayString(Day day);
// DayString written into `out` (room for 16 chars, NUL-terminated) with no string made;
// returns the length (10 for years 0..9999).
size_t FormatDay(Day day, char* out);
// The Day that contains this unix time.
Day DayOf(int64_t unix_seconds);

struct GeoPoint {
  double latitude = 0;   // decimal degrees, + north
  double longitude = 0;  // decimal degrees, + east
};
// Great-circle distance on a sphere of radius 6371.0088 km (haversine). Symmetric; 0 for
// the same point. The one distance every part of matching (and its tests) uses.
double DistanceKm(const GeoPoint& a, const GeoPoint& b);

struct Licence {
  std::string type;                   // "LPC", "PsyD", ...
  std::string jurisdiction;           // ISO 3166-2 ("US-NY") or a country code
  std::optional<Day> expires;         // last valid day; nullopt: unreadable, so never valid
  std::vector<std::string> compacts;  // "PSYPACT", ...
};

// One listed service. Codes are the vocabulary's `facet:term` codes (docs/directory.md).
struct Provider {
  std::string id;  // the HSDS service id (lower-case UUID); ties break on it
  std::string name;
  std::string organization_id;
  std::vector<std::string> care_types;  // "care_type:individual-therapy"
  std::vector<std::string> tags;        // every other flag term: issue:, approach:, age:,
                                        // format:, cost:, accessibility:, identity:,
                                        // music_industry:, clinical:
  std::vector<std::string> languages;   // ISO 639-1, lower case
  std::vector<Licence> licences;
  // Where a provider without a licence (a support group, a resource) offers telehealth.
  std::vector<std::string> telehealth_jurisdictions;
  std::optional<GeoPoint> office;    // a physical location; nullopt: none (telehealth only)
  std::string office_jurisdiction;   // where the office is ("US-NY"); empty: unknown
  std::vector<std::string> plans;    // insurance panels, as PlanKey(carrier, plan)
  std::optional<int64_t> fee_cents;  // per session; nullopt: unknown
  std::optional<int64_t> sliding_minimum_cents;
  bool free = false;
  int64_t openings = 0;                          // the count last given (0: none or never)
  std::optional<int64_t> openings_confirmed_at;  // unix seconds
  std::optional<Day> earliest_opening;
  std::optional<int32_t> waitlist_weeks;
  std::string gender;    // self-described, optional
  std::string identity;  // self-described, optional
};

// The key a plan is matched on: carrier and plan name, trimmed, ASCII-lower-cased, joined by
// '|'. The same function makes the member's key, so spelling case never splits a match.
std::string PlanKey(std::string_view carrier, std::string_view plan);

}  // namespace soundcheck::matching
