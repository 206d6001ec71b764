// The arithmetic of soft preferences: each turns one fact into points between 0 and its
// weight. Integers, so ranking never depends on floating-point summation order; the engine
// and the test suite's brute-force oracle both score through these.
#pragma once

#include <algorithm>
#include <cstdint>

#include "matching/facts.h"

namespace soundcheck::matching {

// Openings further away than this earn nothing.
inline constexpr int32_t kEarliestHorizonDays = 42;
// Without a budget, cost is scored against this per-session reference.
inline constexpr int64_t kReferenceCostCents = 20000;

// 4 treated industry clients + 2 worked in music + 1 completed the clinical workshop,
// capped at 4: treating industry clients alone earns the full weight.
inline int64_t MusicPoints(int64_t weight, uint8_t level) {
  return weight * std::min<int64_t>(level, 4) / 4;
}

inline int64_t EarliestPoints(int64_t weight, int32_t earliest_day, bool known, Day first) {
  if (!known) return 0;
  const int64_t days = std::clamp<int64_t>(int64_t{earliest_day} - first, 0, kEarliestHorizonDays);
  return weight * (kEarliestHorizonDays - days) / kEarliestHorizonDays;
}

inline int64_t DistancePoints(int64_t weight, double km, double max_km) {
  if (max_km <= 0 || km >= max_km) return 0;
  return static_cast<int64_t>(static_cast<double>(weight) * (1.0 - km / max_km));
}

// `cost_cents` < 0: unknown, no points.
inline int64_t CostPoints(int64_t weight, int64_t cost_cents, int64_t reference_cents) {
  if (cost_cents < 0 || reference_cents <= 0) return 0;
  return weight * (reference_cents - std::min(cost_cents, reference_cents)) / reference_cents;
}

inline int64_t CoveragePoints(int64_t weight, int32_t covered, int32_t sessions) {
  if (sessions <= 0) return 0;
  return weight * covered / sessions;
}

}  // namespace soundcheck::matching
