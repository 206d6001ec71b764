// The engine against a brute-force oracle: on random directories and random queries, the
// engine's eligible count, its top-k (ids and scores, in order) and its relaxation counts
// must equal what a plain loop over every provider finds. The oracle is written from the
// rules in engine.h, not from engine.cpp: it shares only the pure helpers (distances, the
// compact and licensing tables, the cost estimate and the point formulas).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/ascii.h"
#include "matching/engine.h"
#include "matching/rules.h"
#include "matching/scoring.h"
#include "matching/testing/random_directory.h"

namespace soundcheck::matching {
namespace {

namespace cov = domain::coverage;

using namespace random_directory;  // NOLINT(google-build-using-namespace): test helpers

// ---- the oracle: the rules, one provider at a time ----

bool Has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

struct Place {
  Day day;
  std::string jurisdiction;
  std::optional<GeoPoint> point;
};

Place PlaceOn(const Query& q, Day day) {
  for (const Stop& s : q.itinerary) {
    if (s.from <= day && day <= s.to) return Place{day, s.jurisdiction, s.point};
  }
  return Place{day, q.jurisdiction, q.point};
}

bool Valid(const Licence& l, Day day) { return l.expires && *l.expires >= day; }

struct OracleReach {
  bool telehealth = false;
  bool in_person = false;
  double km = -1;
};

OracleReach ReachOf(const Provider& p, const Query& q, const Place& place, bool needs) {
  OracleReach r;
  if (q.mode != Mode::kInPerson && Has(p.tags, "format:telehealth")) {
    if (needs) {
      for (const auto& l : p.licences) {
        if (!Valid(l, place.day)) continue;
        if (l.jurisdiction == place.jurisdiction) r.telehealth = true;
        if (Has(l.compacts, "PSYPACT") && PsypactCovers(l.jurisdiction, place.jurisdiction)) {
          r.telehealth = true;
        }
      }
    } else {
      for (const auto& d : p.telehealth_jurisdictions) {
        if (JurisdictionCovers(d, place.jurisdiction)) r.telehealth = true;
      }
    }
  }
  if (q.mode != Mode::kTelehealth && Has(p.tags, "format:in-person") && p.office && place.point) {
    r.km = DistanceKm(*place.point, *p.office);
    if (r.km <= q.max_km) {
      const std::string& where =
          p.office_jurisdiction.empty() ? place.jurisdiction : p.office_jurisdiction;
      bool licensed = !needs;
      for (const auto& l : p.licences) {
        if (Valid(l, place.day) && l.jurisdiction == where) licensed = true;
      }
      r.in_person = licensed;
    }
  }
  return r;
}

int64_t Planning(const cov::SessionCost& c) {
  if (c.fee_unknown) return -1;
  if (c.basis == cov::Basis::kSlidingScale) return c.after_aid_low_cents;
  return c.high_unbounded ? -1 : c.after_aid_high_cents;
}

// Judges one provider; nullopt when it fails a hard constraint.
std::optional<int64_t> OracleScore(const Provider& p, const Query& q) {
  if (!q.care_types.empty()) {
    bool any = false;
    for (const auto& c : q.care_types) any = any || Has(p.care_types, c);
    if (!any) return std::nullopt;
  }
  if (!q.languages.empty()) {
    bool any = false;
    for (const auto& l : q.languages) {
      for (const auto& pl : p.languages) any = any || core::AsciiLower(pl) == core::AsciiLower(l);
    }
    if (!any) return std::nullopt;
  }
  if (!q.age.empty() && !Has(p.tags, q.age)) return std::nullopt;
  if (!q.format.empty() && !Has(p.tags, q.format)) return std::nullopt;
  if (q.require_opening &&
      !(p.openings > 0 && p.openings_confirmed_at && q.now - *p.openings_confirmed_at <= kWindow)) {
    return std::nullopt;
  }
  bool needs = !p.licences.empty();
  if (!needs) {
    for (const auto& c : p.care_types) {
      if (NeedsLicence(c) && (q.care_types.empty() || Has(q.care_types, c))) needs = true;
    }
  }
  std::vector<OracleReach> reach;
  for (int32_t k = 0; k < q.sessions; ++k) {
    reach.push_back(ReachOf(p, q, PlaceOn(q, q.first_session + 7 * k), needs));
  }
  if (!reach[0].telehealth && !reach[0].in_person) return std::nullopt;

  // Paying: in network when on the plan's panel (and insured), else the cheaper of
  // self-pay and (when insured) out of network.
  const bool insured =
      !q.plan.empty() || (q.insurance && q.insurance->plan_type != cov::PlanType::kUninsured);
  const bool in_network = !q.plan.empty() && Has(p.plans, q.plan);
  cov::ProviderRates rates{p.fee_cents, std::nullopt, p.sliding_minimum_cents, p.free, in_network};
  const cov::InsuranceFacts facts = q.insurance.value_or(cov::InsuranceFacts{});
  cov::SessionCost cost;
  if (insured && in_network) {
    cost = cov::EstimateSession({&facts, false, q.aid_per_session_cents}, rates);
  } else {
    cost = cov::EstimateSession({nullptr, q.sliding_scale, q.aid_per_session_cents}, rates);
    if (insured && !p.free) {
      const cov::SessionCost oon =
          cov::EstimateSession({&facts, false, q.aid_per_session_cents}, rates);
      if (Planning(oon) >= 0 && (Planning(cost) < 0 || Planning(oon) < Planning(cost))) cost = oon;
    }
  }
  const int64_t planning = Planning(cost);
  if (!q.plan.empty() || q.budget_cents) {
    const bool ok = cost.basis == cov::Basis::kFree || cost.basis == cov::Basis::kInNetwork ||
                    (q.budget_cents && planning >= 0 && planning <= *q.budget_cents);
    if (!ok) return std::nullopt;
  }

  const Weights& w = q.weights;
  int64_t score = 0;
  for (const auto& t : q.prefer_tags) {
    if (Has(p.tags, t)) score += w.tag;
  }
  if (q.prefer_music_industry) {
    uint8_t level = 0;
    if (Has(p.tags, "music_industry:treated-industry-clients")) level |= 4;
    if (Has(p.tags, "music_industry:worked-in-music")) level |= 2;
    if (Has(p.tags, "music_industry:completed-clinical-workshop")) level |= 1;
    score += MusicPoints(w.music_industry, level);
  }
  if (!q.prefer_gender.empty() && !p.gender.empty() &&
      core::AsciiLower(p.gender) == core::AsciiLower(q.prefer_gender)) {
    score += w.gender;
  }
  score += EarliestPoints(w.earliest_opening, p.earliest_opening.value_or(0),
                          p.earliest_opening.has_value(), q.first_session);
  if (reach[0].in_person) score += DistancePoints(w.distance, reach[0].km, q.max_km);
  score += CostPoints(w.cost, planning, q.budget_cents ? *q.budget_cents : kReferenceCostCents);
  if (q.sessions > 1) {
    int32_t covered = 0;
    for (const auto& r : reach) covered += (r.telehealth || r.in_person) ? 1 : 0;
    score += CoveragePoints(w.coverage, covered, q.sessions);
  }
  return score;
}

struct Ranked {
  int64_t score;
  std::string id;
};

std::vector<Ranked> OracleAll(const std::vector<Provider>& providers, const Query& q) {
  std::vector<Ranked> all;
  for (const auto& p : providers) {
    if (auto s = OracleScore(p, q)) all.push_back({*s, p.id});
  }
  std::sort(all.begin(), all.end(), [](const Ranked& a, const Ranked& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return all;
}

TEST(MatchingOracle, EngineEqualsBruteForceOnRandomDirectories) {
  int compared = 0, with_results = 0, relaxed = 0, capped = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    Rng rng(seed);
    std::vector<Provider> providers;
    const int n = static_cast<int>(rng.Int(50, 700));
    for (int i = 0; i < n; ++i) providers.push_back(RandomProvider(rng, i));
    // The set of fresh openings: none, made before the queries' time (the engine starts from
    // it), or after it (the engine must not).
    SnapshotOptions options{static_cast<int64_t>(seed), kWindow};
    if (seed % 3 == 1) options.fresh_as_of = kNow - rng.Int(0, 20 * 86400);
    if (seed % 3 == 2) options.fresh_as_of = kNow + rng.Int(1, 86400);
    const auto snapshot = Snapshot::Build(providers, options);
    ASSERT_EQ(snapshot->size(), static_cast<uint32_t>(n));
    for (int k = 0; k < 150; ++k) {
      Query q = RandomQuery(rng);
      // A query at another time than the snapshot's: openings age (or not yet).
      if (rng.Chance(0.25)) q.now += rng.Int(-3 * 86400, 3 * 86400);
      // Half the queries stop counting early, so the top-k comes from the pruned scan.
      if (rng.Chance(0.5)) {
        q.limit = static_cast<int32_t>(rng.Int(1, 5));
        q.eligible_count_cap = rng.Int(1, 12);
        q.relaxation_count_cap = rng.Int(1, 20);
      }
      const int64_t cap = std::max<int64_t>(q.eligible_count_cap, q.limit);
      auto answer = FindMatches(*snapshot, q);
      ASSERT_TRUE(answer.has_value()) << answer.error().message;
      const auto expected = OracleAll(providers, q);
      const auto all = static_cast<int64_t>(expected.size());
      ASSERT_EQ(answer->eligible, std::min(all, cap)) << "seed " << seed << " query " << k;
      ASSERT_EQ(answer->eligible_at_least, all >= cap) << "seed " << seed << " query " << k;
      capped += all >= cap ? 1 : 0;
      const size_t shown = std::min<size_t>(expected.size(), static_cast<size_t>(q.limit));
      ASSERT_EQ(answer->matches.size(), shown) << "seed " << seed << " query " << k;
      for (size_t r = 0; r < shown; ++r) {
        EXPECT_EQ(answer->matches[r].id, expected[r].id) << "seed " << seed << " query " << k;
        EXPECT_EQ(answer->matches[r].score, expected[r].score);
        int64_t points = 0;
        for (const auto& pref : answer->matches[r].preferences) points += pref.points;
        EXPECT_EQ(points, answer->matches[r].score) << "the reasons add up to the score";
      }
      // Every relaxation's count is the oracle's count for the relaxed query.
      for (const auto& relax : answer->relaxations) {
        Query r = q;
        if (relax.constraint == "language") r.languages.clear();
        if (relax.constraint == "payment") {
          r.plan.clear();
          r.budget_cents.reset();
        }
        if (relax.constraint == "distance") r.max_km = std::min(500.0, q.max_km * 2);
        if (relax.constraint == "mode") r.mode = Mode::kEither;
        if (relax.constraint == "opening") r.require_opening = false;
        if (relax.constraint == "age") r.age.clear();
        if (relax.constraint == "format") r.format.clear();
        if (relax.constraint == "care_type") r.care_types.clear();
        const auto would = static_cast<int64_t>(OracleAll(providers, r).size());
        EXPECT_EQ(relax.results, std::min(would, q.relaxation_count_cap))
            << relax.constraint << " seed " << seed << " query " << k;
        EXPECT_EQ(relax.at_least, would >= q.relaxation_count_cap) << relax.constraint;
        ++relaxed;
      }
      // Too few results always come with a way forward, unless nothing in the query can give.
      const bool relaxable = !q.languages.empty() || !q.plan.empty() || q.budget_cents ||
                             (q.mode != Mode::kTelehealth && (q.point || !q.itinerary.empty())) ||
                             q.mode == Mode::kInPerson ||
                             (q.mode == Mode::kTelehealth && q.point) || q.require_opening ||
                             !q.age.empty() || !q.format.empty() || !q.care_types.empty();
      if (answer->eligible < q.limit) {
        EXPECT_EQ(answer->relaxations.empty(), !relaxable);
      } else {
        EXPECT_TRUE(answer->relaxations.empty());
      }
      ++compared;
      with_results += expected.empty() ? 0 : 1;
    }
  }
  // The random queries must exercise both outcomes, or the comparison proves little.
  EXPECT_EQ(compared, 12 * 150);
  EXPECT_GT(with_results, compared / 4);
  EXPECT_GT(relaxed, compared / 4);
  EXPECT_GT(capped, compared / 16) << "the pruned scan must be exercised";
}

TEST(MatchingOracle, SameSnapshotAndQueryGiveTheSameOrder) {
  Rng rng(99);
  std::vector<Provider> providers;
  for (int i = 0; i < 400; ++i) providers.push_back(RandomProvider(rng, i));
  auto shuffled = providers;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(7));
  const auto a = Snapshot::Build(providers, {});
  const auto b = Snapshot::Build(shuffled, {});
  for (int k = 0; k < 100; ++k) {
    Query q = RandomQuery(rng);
    auto first = FindMatches(*a, q);
    auto again = FindMatches(*a, q);
    auto other = FindMatches(*b, q);
    ASSERT_TRUE(first && again && other);
    ASSERT_EQ(first->matches.size(), other->matches.size());
    for (size_t r = 0; r < first->matches.size(); ++r) {
      EXPECT_EQ(first->matches[r].id, again->matches[r].id);
      EXPECT_EQ(first->matches[r].id, other->matches[r].id) << "insertion order must not matter";
    }
  }
}

TEST(MatchingSnapshotFile, ALoadedSnapshotAnswersAsTheOneSaved) {
  Rng rng(2024);
  std::vector<Provider> providers;
  for (int i = 0; i < 600; ++i) providers.push_back(RandomProvider(rng, i));
  const auto built = Snapshot::Build(providers, SnapshotOptions{41, kWindow});
  const std::string bytes = built->Save(7);
  auto loaded = Snapshot::Load(bytes, 7);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ((*loaded)->version(), 41);
  EXPECT_EQ((*loaded)->openings_window_seconds(), kWindow);
  EXPECT_EQ((*loaded)->size(), built->size());
  // (Not byte for byte: the cell map's order is a hash table's.)
  EXPECT_EQ((*loaded)->Save(7).size(), bytes.size()) << "saving what was loaded loses nothing";
  int with_results = 0;
  for (int k = 0; k < 200; ++k) {
    const Query q = RandomQuery(rng);
    auto a = FindMatches(*built, q);
    auto b = FindMatches(**loaded, q);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->eligible, b->eligible);
    ASSERT_EQ(a->matches.size(), b->matches.size());
    for (size_t r = 0; r < a->matches.size(); ++r) {
      EXPECT_EQ(a->matches[r].id, b->matches[r].id);
      EXPECT_EQ(a->matches[r].score, b->matches[r].score);
      EXPECT_EQ(a->matches[r].met.size(), b->matches[r].met.size());
    }
    ASSERT_EQ(a->relaxations.size(), b->relaxations.size());
    for (size_t r = 0; r < a->relaxations.size(); ++r) {
      EXPECT_EQ(a->relaxations[r].results, b->relaxations[r].results);
    }
    with_results += a->matches.empty() ? 0 : 1;
  }
  EXPECT_GT(with_results, 40);
}

TEST(MatchingSnapshotFile, RefusesAnotherFingerprintAndDamagedBytes) {
  Rng rng(5);
  std::vector<Provider> providers;
  for (int i = 0; i < 50; ++i) providers.push_back(RandomProvider(rng, i));
  const std::string bytes = Snapshot::Build(providers, {})->Save(7);
  EXPECT_FALSE(Snapshot::Load(bytes, 8).has_value()) << "another vocabulary";
  EXPECT_FALSE(Snapshot::Load("", 7).has_value());
  EXPECT_FALSE(Snapshot::Load("not an index at all", 7).has_value());
  // Cut anywhere, the bytes are refused rather than misread.
  for (size_t cut = 1; cut < bytes.size(); cut += 97) {
    EXPECT_FALSE(Snapshot::Load(bytes.substr(0, cut), 7).has_value()) << cut;
  }
  std::string longer = bytes + "x";
  EXPECT_FALSE(Snapshot::Load(longer, 7).has_value());
  std::string other_format = bytes;
  other_format[8] = static_cast<char>(other_format[8] + 1);
  EXPECT_FALSE(Snapshot::Load(other_format, 7).has_value());
}

}  // namespace
}  // namespace soundcheck::matching
