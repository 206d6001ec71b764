// A matching question and its answer. Plain values: the HTTP layer decodes a request into a
// Query and encodes a MatchAnswer; the engine (engine.h) turns one into the other.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/coverage/cost_estimate.h"
#include "matching/facts.h"

namespace soundcheck::matching {

// Where the member will be between two days (inclusive): a tour stop.
struct Stop {
  Day from = 0;
  Day to = 0;
  std::string jurisdiction;       // ISO 3166-2 or a country code
  std::optional<GeoPoint> point;  // the city, for in-person distance
};

enum class Mode {
  kEither,      // telehealth, or in person within max_km
  kTelehealth,  // telehealth only
  kInPerson,    // in person within max_km only
};

// How much each soft preference can add to a score (points, integers so ranking is exact).
struct Weights {
  int64_t tag = 100;              // per requested tag the provider has (specialty, approach, ...)
  int64_t music_industry = 80;    // treated industry clients 4/4, worked in music 2/4, workshop 1/4
  int64_t gender = 60;            // the provider's gender is the one asked for
  int64_t earliest_opening = 50;  // full at day 0, nothing at 6 weeks or unknown
  int64_t distance = 50;          // full at 0 km, nothing at max_km; in person only
  int64_t cost = 60;              // full at 0, nothing at the reference cost or unknown
  int64_t coverage = 120;         // share of the series' session dates the provider can cover
};

struct Query {
  // Hard constraints. An empty list or string means "no constraint".
  std::vector<std::string> care_types;  // any of these
  std::string jurisdiction;             // where the member is, off tour (required)
  std::optional<GeoPoint> point;        // where the member is, off tour (for in person)
  Day first_session = 0;                // the day of the first session
  int32_t sessions = 1;                 // a weekly series of this many sessions (1..52)
  std::vector<Stop> itinerary;          // tour stops; days not covered mean "at home"
  Mode mode = Mode::kEither;
  double max_km = 40;                  // in person: the farthest office
  std::vector<std::string> languages;  // any of these (ISO 639-1)
  std::string age;                     // "age:adults"
  std::string format;                  // "format:couples"
  bool require_opening = true;         // fresh openings > 0
  // Paying: the member's plan (PlanKey) and what it says, and/or a per-session budget.
  // With a plan and no budget, only in-network (or free) providers pass; with a budget,
  // anything whose estimated cost fits passes too; with neither, cost does not filter.
  std::string plan;
  std::optional<domain::coverage::InsuranceFacts> insurance;
  std::optional<int64_t> budget_cents;
  bool sliding_scale = false;         // the member qualifies for a provider's sliding scale
  int64_t aid_per_session_cents = 0;  // what an award or sponsor program covers

  // Soft preferences.
  std::vector<std::string> prefer_tags;  // issue:, approach:, identity:, accessibility:, ...
  bool prefer_music_industry = true;     // this population's default
  std::string prefer_gender;             // compared case-insensitively
  Weights weights;

  int32_t limit = 20;       // results wanted (1..100)
  bool relaxations = true;  // count what each relaxation would give when too few pass
  // Counting stops at these: past them an answer says "at least", and the scan only looks
  // for the best `limit` (a count of 18,000 costs a full judgement of each; "1,000 or more"
  // is what a case manager needs to know). Not on the wire; tests lower them to exercise
  // the pruning on small directories.
  int64_t eligible_count_cap = 1000;
  int64_t relaxation_count_cap = 100;
  int64_t now = 0;  // unix seconds: openings count only if confirmed recently before it
};

// Why a result is there. `code` is stable and translated by the client; `value` is a code,
// a jurisdiction, a day (YYYY-MM-DD), a count or an amount in cents — never prose.
struct Reason {
  std::string_view code;  // static text (the codes docs/matching.md lists), never freed
  std::string value;
  std::string detail;  // a second value where one is not enough (a licence's last day)
  int64_t points = 0;  // preferences only: what it added to the score
};

struct SessionDate {
  Day day = 0;
  std::string jurisdiction;  // where the member will be
  bool covered = false;      // the provider can see the member that day (licence and reach)
};

struct Match {
  uint32_t index = 0;  // the provider's position in the snapshot
  // Views of the snapshot's own text, valid while the answer that holds this match (which
  // keeps its snapshot alive) or the snapshot lives: a page of results copies none of it.
  std::string_view id;
  std::string_view name;
  std::string_view organization_id;
  int64_t score = 0;
  std::vector<Reason> met;          // hard constraints, and how each was met
  std::vector<Reason> preferences;  // soft preferences that raised the score
  bool telehealth = false;          // seen by telehealth (else in person)
  std::optional<double> distance_km;
  domain::coverage::ExplainedCost cost;
  std::string cost_basis;          // in_network | out_of_network | self_pay | sliding_scale | free
  std::vector<SessionDate> dates;  // the series; `covered` false marks a date to solve
};

// "Without this constraint, this many providers would pass" — offered when fewer than
// `limit` pass. Licences are never relaxed: they are the law, not a preference.
struct Relaxation {
  std::string constraint;  // language | payment | distance | mode | opening | age | format |
                           // care_type
  std::string change;      // what relaxing means: "any", "double", "telehealth", ...
  int64_t results = 0;     // how many would pass with only this change
  bool at_least = false;   // counting stopped at Query::relaxation_count_cap: `results` or more
};

struct MatchAnswer {
  std::vector<Match> matches;      // best first; ties by provider id
  int64_t eligible = 0;            // how many pass every hard constraint
  bool eligible_at_least = false;  // counting stopped at Query::eligible_count_cap: or more
  std::vector<Relaxation> relaxations;
  int64_t snapshot_version = 0;
  // The snapshot the matches' views point into, kept alive with the answer (a newer snapshot
  // may be published while the answer is written).
  std::shared_ptr<const void> keeps;
};

}  // namespace soundcheck::matching
