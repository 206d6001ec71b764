// A seeded, deterministic generator of a fictitious provider directory in HSDS 3.1 tabular
// records (docs/directory.md), for demos, load tests and the benchmark peers
// (../shared/docs/performance.md, "Data"). Everything it makes is obviously fictional:
// names carry "(DEMO)" or "(fictional)", phones are in the reserved 555-01xx range, e-mail
// and web addresses are at example.org, licence numbers start with "DEMO-".
//
// Deterministic: the same (providers, seed, today, vocabulary, cities) gives the same record
// stream, byte for byte, on any platform — the generator uses its own PRNG and
// distributions, never <random>'s. Provider i's records depend only on the seed and i, so a
// smaller directory is a prefix of a larger one with the same seed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/directory/record.h"
#include "domain/directory/vocabulary.h"

namespace soundcheck::domain::directory {

// A city from tzdata's zone1970.tab: the principal location of a time zone.
struct City {
  std::string zone;          // "America/New_York"
  std::string country;       // ISO 3166-1 alpha-2, the first country listed
  std::string jurisdiction;  // ISO 3166-2 ("US-NY", "CA-ON") where known, else the country
  std::string name;          // "New York"
  double latitude = 0;       // decimal degrees, + north
  double longitude = 0;      // decimal degrees, + east
};

// Parses the text of zone1970.tab (the caller reads /usr/share/zoneinfo/zone1970.tab).
// Comment and blank lines are skipped. kInvalidArgument naming the line for a row without
// three tab-separated columns, a bad country code or bad ISO 6709 coordinates.
core::Result<std::vector<City>> ParseZone1970(std::string_view tab_text);

// The ISO 3166-2 jurisdiction of a zone: US states and Canadian provinces where the zone
// makes it clear ("America/Indiana/Knox" → "US-IN"), else the country code.
std::string JurisdictionOfZone(std::string_view zone, std::string_view country);

struct GeneratorOptions {
  int64_t providers = 1500;
  uint64_t seed = 1;
  std::string today;  // YYYY-MM-DD: openings, staleness and licence expiry are relative to it
};

// A fictional insurance plan, as carried in `fact:insurance-panel` values.
struct InsurancePlan {
  std::string carrier;  // "Harmony Mutual (DEMO)"
  std::string plan;     // "Gold PPO"
};

// The fixed catalogue of fictional plans (500: 25 carriers × 20 plans), most popular first.
// Independent of the seed, so queries can name plans.
const std::vector<InsurancePlan>& DemoInsurancePlans();

// The cities in the order their popularity falls (a Zipf-like weight 1/rank): the music
// hubs first (Los Angeles, New York, Chicago — which stands in for Nashville —, London,
// Toronto, Berlin, ...), then the other US and Canadian cities, then the rest, each in
// zone1970.tab order. Antarctica's research stations (AQ) are left out. Deterministic.
std::vector<City> RankCities(const std::vector<City>& cities);

// Streams a directory of `options.providers` providers into `sink`: first the vocabulary's
// records (Vocabulary::EmitRecords: taxonomy, terms, the openings unit), then each
// provider's records, every record after the records its foreign keys point at. Memory
// stays bounded whatever the size: nothing is kept between providers.
//
// Errors: kInvalidArgument for a negative provider count, a `today` that is not a valid
// YYYY-MM-DD date or no cities; kFailedPrecondition when the vocabulary lacks a term code
// the generator uses (named in the message); the sink's first error, unchanged.
core::Status GenerateDirectory(const GeneratorOptions& options, const Vocabulary& vocabulary,
                               const std::vector<City>& cities, const RecordSink& sink);

}  // namespace soundcheck::domain::directory
