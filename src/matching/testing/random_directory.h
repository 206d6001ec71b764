// Random directories and queries for the matching tests (oracle_test.cpp,
// snapshot_patch_test.cpp): deterministic for a seed, so a failure names its seed.
// Test-only; nothing outside tests includes it.
#pragma once

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "matching/facts.h"
#include "matching/query.h"

namespace soundcheck::matching::random_directory {

namespace cov = domain::coverage;
inline constexpr int64_t kWindow = 14 * 86400;
inline const Day kToday = *ParseDay("2026-11-25");
inline const int64_t kNow = int64_t{kToday} * 86400 + 12 * 3600;

inline const std::vector<std::string> kJurisdictions = {"US-NY", "US-NJ", "US-TX",
                                                        "US-PA", "US-CA", "CA-ON"};
inline const std::vector<std::string> kCare = {
    "care_type:individual-therapy", "care_type:psychiatry",      "care_type:support-group",
    "care_type:peer-support",       "care_type:couples-therapy", "care_type:financial-aid"};
inline const std::vector<std::string> kTags = {"issue:anxiety",
                                               "issue:burnout",
                                               "approach:cbt",
                                               "approach:emdr",
                                               "identity:lgbtq-affirming",
                                               "age:adults",
                                               "age:teens",
                                               "format:individual",
                                               "format:couples",
                                               "music_industry:treated-industry-clients",
                                               "music_industry:worked-in-music",
                                               "music_industry:completed-clinical-workshop"};
inline const std::vector<std::string> kLanguages = {"en", "es", "fr"};
inline const std::vector<std::string> kPlans = {"a|gold", "a|silver", "b|ppo", "c|hmo", "d|basic"};
inline const std::vector<std::string> kGenders = {"woman", "man", "non-binary"};
inline const std::vector<GeoPoint> kCities = {{40.71, -74.01}, {40.73, -74.17}, {29.76, -95.37}};

// The values random listings and queries draw from. Base() is what the oracle test uses;
// a test may extend it (values a base directory never held).
struct RandomVocabulary {
  std::vector<std::string> jurisdictions = kJurisdictions, care = kCare, tags = kTags,
                           languages = kLanguages, plans = kPlans, genders = kGenders;
  static const RandomVocabulary& Base() {
    static const RandomVocabulary base;
    return base;
  }
};

struct Rng {
  std::mt19937_64 gen;
  explicit Rng(uint64_t seed) : gen(seed) {}
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(gen) < p; }
  double Real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(gen); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }
  std::vector<std::string> Some(const std::vector<std::string>& v, double p) {
    std::vector<std::string> out;
    for (const auto& x : v) {
      if (Chance(p)) out.push_back(x);
    }
    return out;
  }
};

inline GeoPoint Near(Rng& rng, const GeoPoint& c, double spread) {
  return GeoPoint{c.latitude + rng.Real(-spread, spread), c.longitude + rng.Real(-spread, spread)};
}

// A listing with id number `i` (distinct i, distinct ids, below 1000003) and random facts.
inline Provider RandomProvider(Rng& rng, int i,
                               const RandomVocabulary& v = RandomVocabulary::Base()) {
  Provider p;
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", (i * 7919) % 1000003);
  p.id = id;
  p.name = "Provider " + std::to_string(i);
  p.organization_id = "org-" + std::to_string(i % 17);
  p.care_types = rng.Some(v.care, 0.3);
  if (p.care_types.empty()) p.care_types.push_back(rng.Pick(v.care));
  p.tags = rng.Some(v.tags, 0.35);
  if (rng.Chance(0.6)) p.tags.push_back("format:telehealth");
  if (rng.Chance(0.7)) p.tags.push_back("format:in-person");
  p.languages = rng.Some(v.languages, 0.5);
  if (p.languages.empty() || rng.Chance(0.2)) p.languages.push_back("EN");  // case must not matter
  const int licences = static_cast<int>(rng.Int(0, 2));
  for (int k = 0; k < licences; ++k) {
    Licence l;
    l.type = rng.Chance(0.5) ? "PsyD" : "LCSW";
    l.jurisdiction = rng.Pick(v.jurisdictions);
    if (!rng.Chance(0.05)) l.expires = kToday + static_cast<Day>(rng.Int(-20, 120));
    if (rng.Chance(0.4)) l.compacts.push_back("PSYPACT");
    p.licences.push_back(l);
  }
  if (rng.Chance(0.5))
    p.telehealth_jurisdictions.push_back(rng.Chance(0.3) ? "US" : rng.Pick(v.jurisdictions));
  if (rng.Chance(0.8)) {
    p.office = Near(rng, rng.Pick(kCities), 0.6);
    if (rng.Chance(0.8)) p.office_jurisdiction = rng.Pick(v.jurisdictions);
  }
  p.plans = rng.Some(v.plans, 0.25);
  p.free = rng.Chance(0.08);
  if (!p.free && rng.Chance(0.92)) p.fee_cents = rng.Int(40, 250) * 100;
  if (rng.Chance(0.3)) p.sliding_minimum_cents = rng.Int(20, 80) * 100;
  p.openings = rng.Chance(0.7) ? rng.Int(0, 4) : 0;
  if (rng.Chance(0.9)) p.openings_confirmed_at = kNow - rng.Int(-3600, 30 * 86400);
  if (rng.Chance(0.7)) p.earliest_opening = kToday + static_cast<Day>(rng.Int(-5, 60));
  if (rng.Chance(0.6)) p.gender = rng.Chance(0.5) ? rng.Pick(v.genders) : "Woman";
  return p;
}

inline Query RandomQuery(Rng& rng, const RandomVocabulary& v = RandomVocabulary::Base()) {
  Query q;
  q.now = kNow;
  q.care_types = rng.Some(v.care, 0.2);
  if (rng.Chance(0.1)) q.care_types.push_back("care_type:unknown-kind");
  q.jurisdiction = rng.Pick(v.jurisdictions);
  if (rng.Chance(0.8)) q.point = Near(rng, rng.Pick(kCities), 0.3);
  q.first_session = kToday + static_cast<Day>(rng.Int(0, 30));
  q.sessions = static_cast<int32_t>(rng.Int(1, 6));
  const int stops = static_cast<int>(rng.Int(0, 2));
  for (int k = 0; k < stops; ++k) {
    Stop s;
    s.from = q.first_session + static_cast<Day>(rng.Int(0, 30));
    s.to = s.from + static_cast<Day>(rng.Int(0, 14));
    s.jurisdiction = rng.Pick(v.jurisdictions);
    if (rng.Chance(0.7)) s.point = Near(rng, rng.Pick(kCities), 0.3);
    q.itinerary.push_back(s);
  }
  const int mode = static_cast<int>(rng.Int(0, 2));
  q.mode = mode == 0 ? Mode::kEither : mode == 1 ? Mode::kTelehealth : Mode::kInPerson;
  if (q.mode == Mode::kInPerson && !q.point) q.point = kCities[0];
  // In person needs a place for the first session: a stop it falls in must have a point.
  for (auto& stop : q.itinerary) {
    if (q.mode == Mode::kInPerson && stop.from <= q.first_session && q.first_session <= stop.to &&
        !stop.point) {
      stop.point = kCities[1];
    }
  }
  q.max_km = rng.Real(5, 90);
  q.languages = rng.Some(v.languages, 0.25);
  if (rng.Chance(0.2)) q.age = rng.Chance(0.8) ? "age:adults" : "age:children";
  if (rng.Chance(0.2)) q.format = rng.Chance(0.5) ? "format:individual" : "format:couples";
  q.require_opening = rng.Chance(0.7);
  if (rng.Chance(0.5)) q.plan = rng.Chance(0.9) ? rng.Pick(v.plans) : "z|none";
  if (rng.Chance(0.5)) {
    cov::InsuranceFacts f;
    f.plan_type = rng.Chance(0.2) ? cov::PlanType::kMedicare : cov::PlanType::kEmployer;
    const int network = static_cast<int>(rng.Int(0, 4));
    f.network = static_cast<cov::Network>(network);
    if (rng.Chance(0.6)) f.deductible_remaining_cents = rng.Int(0, 300) * 100;
    if (rng.Chance(0.4)) f.copay_cents = rng.Int(10, 60) * 100;
    f.copay_before_deductible = rng.Chance(0.5);
    if (rng.Chance(0.6)) f.coinsurance_bp = static_cast<int32_t>(rng.Int(0, 50) * 100);
    if (rng.Chance(0.5)) f.out_of_pocket_remaining_cents = rng.Int(0, 2000) * 100;
    if (rng.Chance(0.4)) f.oon_allowed_cents = rng.Int(50, 200) * 100;
    if (rng.Chance(0.4)) f.oon_coinsurance_bp = static_cast<int32_t>(rng.Int(0, 60) * 100);
    if (rng.Chance(0.4)) f.oon_deductible_remaining_cents = rng.Int(0, 300) * 100;
    q.insurance = f;
  }
  if (rng.Chance(0.5)) q.budget_cents = rng.Int(0, 200) * 100;
  q.sliding_scale = rng.Chance(0.4);
  if (rng.Chance(0.2)) q.aid_per_session_cents = rng.Int(0, 100) * 100;
  q.prefer_tags = rng.Some(v.tags, 0.15);
  q.prefer_music_industry = rng.Chance(0.7);
  if (rng.Chance(0.4)) q.prefer_gender = rng.Chance(0.5) ? rng.Pick(v.genders) : "WOMAN";
  q.limit = static_cast<int32_t>(rng.Int(1, 25));
  return q;
}

}  // namespace soundcheck::matching::random_directory
