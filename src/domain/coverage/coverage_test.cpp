// The cost estimate of clinical.md section 3 on its worked cases, its unknowns and documented
// defaults, properties over pseudo-random inputs (the explained form agrees with the numeric
// core; the range holds every world consistent with what was known), its allocation-free hot
// path; and the Good Faith Estimate builder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "domain/coverage/cost_estimate.h"
#include "domain/coverage/good_faith_estimate.h"

// Counts heap allocations while `g_counting` is set, to hold EstimateSession to its promise of
// never allocating. Replacing the global allocation functions is program-wide; outside the
// counted windows they behave as the defaults (malloc / free).
namespace {
std::atomic<bool> g_counting{false};
std::atomic<int> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC cannot see that these pair with the malloc above once inlined, and warns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace soundcheck::domain::coverage {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

// A plan with every in-network fact known, so a case is complete unless it removes one.
InsuranceFacts KnownPlan() {
  InsuranceFacts f;
  f.plan_type = PlanType::kEmployer;
  f.network = Network::kPpo;
  f.deductible_remaining_cents = 0;
  f.coinsurance_bp = 2000;
  f.out_of_pocket_remaining_cents = 500000;
  f.oon_deductible_remaining_cents = 0;
  f.oon_coinsurance_bp = 4000;
  f.oon_out_of_pocket_remaining_cents = 1000000;
  return f;
}

ProviderRates InNetwork(int64_t contracted, std::optional<int64_t> fee = 20000) {
  ProviderRates r;
  r.in_network = true;
  r.contracted_cents = contracted;
  r.fee_cents = fee;
  return r;
}

ProviderRates OutOfNetwork(std::optional<int64_t> fee) {
  ProviderRates r;
  r.fee_cents = fee;
  return r;
}

SessionCost Estimate(const InsuranceFacts* plan, const ProviderRates& rates, int64_t aid = 0,
                     bool sliding = false) {
  return EstimateSession({plan, sliding, aid}, rates);
}

ExplainedCost Explain(const InsuranceFacts* plan, const ProviderRates& rates, int64_t aid = 0) {
  return ExplainSession({plan, false, aid}, rates);
}

void ExpectExactly(const SessionCost& c, int64_t cents) {
  EXPECT_EQ(c.low_cents, cents);
  EXPECT_EQ(c.high_cents, cents);
  EXPECT_EQ(c.after_aid_low_cents, cents);
  EXPECT_EQ(c.after_aid_high_cents, cents);
  EXPECT_FALSE(c.high_unbounded);
  EXPECT_FALSE(c.fee_unknown);
}

// --- The worked cases of clinical.md section 3 ---

TEST(CostEstimate, InNetworkCopayBeforeDeductiblePaysTheCopay) {
  InsuranceFacts plan = KnownPlan();
  plan.copay_cents = 3000;
  plan.deductible_remaining_cents = 100000;  // not reached: the copay comes first
  SessionCost c = Estimate(&plan, InNetwork(15000));
  EXPECT_EQ(c.basis, Basis::kInNetwork);
  ExpectExactly(c, 3000);
  EXPECT_TRUE(c.complete);
  ExplainedCost e = Explain(&plan, InNetwork(15000));
  EXPECT_THAT(e.used, Not(Contains("deductible_remaining")));
  EXPECT_THAT(e.used, Not(Contains("coinsurance")));
  EXPECT_THAT(e.used, Contains("copay"));
}

TEST(CostEstimate, CoinsuranceWithDeductiblePartlyMet) {
  InsuranceFacts plan = KnownPlan();
  plan.deductible_remaining_cents = 10000;
  SessionCost c = Estimate(&plan, InNetwork(15000));
  ExpectExactly(c, 11000);  // 100 deductible + 20% of the remaining 50
  EXPECT_TRUE(c.complete);
}

TEST(CostEstimate, CoinsuranceWithDeductibleMet) {
  InsuranceFacts plan = KnownPlan();
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 3000);
}

TEST(CostEstimate, OutOfPocketCapLimitsTheShare) {
  InsuranceFacts plan = KnownPlan();
  plan.deductible_remaining_cents = 10000;
  plan.out_of_pocket_remaining_cents = 1200;
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 1200);
  plan.out_of_pocket_remaining_cents = 0;
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 0);
  plan.copay_cents = 3000;  // a copay is capped too
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 0);
}

TEST(CostEstimate, CopayAfterDeductible) {
  InsuranceFacts plan = KnownPlan();
  plan.copay_cents = 3000;
  plan.copay_before_deductible = false;
  plan.deductible_remaining_cents = 4000;
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 7000);  // 40 deductible + 30 copay
  plan.deductible_remaining_cents = 14000;  // the copay only gets what is left of allowed
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 15000);
  plan.deductible_remaining_cents = 0;
  ExpectExactly(Estimate(&plan, InNetwork(15000)), 3000);
}

TEST(CostEstimate, ShareNeverExceedsAllowed) {
  InsuranceFacts plan = KnownPlan();
  plan.copay_cents = 5000;
  ExpectExactly(Estimate(&plan, InNetwork(4000)), 4000);  // a copay above the allowed amount
}

TEST(CostEstimate, OutOfNetworkPpoBalanceBills) {
  InsuranceFacts plan = KnownPlan();
  plan.oon_allowed_cents = 10000;
  SessionCost c = Estimate(&plan, OutOfNetwork(18000));
  EXPECT_EQ(c.basis, Basis::kOutOfNetwork);
  ExpectExactly(c, 12000);  // 40% of 100 + the 80 above allowed
  EXPECT_TRUE(c.complete);
  ExplainedCost e = Explain(&plan, OutOfNetwork(18000));
  EXPECT_THAT(e.steps, Contains(CostLine{"balance_bill", 8000, 8000, false}));
  EXPECT_THAT(e.steps, Contains(CostLine{"coinsurance", 4000, 4000, false}));
  EXPECT_THAT(e.used, Contains("oon_coinsurance"));
  EXPECT_THAT(e.used, Not(Contains("coinsurance")));  // the in-network facts are not used
}

TEST(CostEstimate, OutOfNetworkBalanceBillIsNotCappedButTheShareIs) {
  InsuranceFacts plan = KnownPlan();
  plan.oon_allowed_cents = 10000;
  plan.oon_out_of_pocket_remaining_cents = 1000;
  ExpectExactly(Estimate(&plan, OutOfNetwork(18000)), 9000);  // 10 share + 80 balance
}

TEST(CostEstimate, OutOfNetworkAllowedAboveTheFeeIsTheFee) {
  InsuranceFacts plan = KnownPlan();
  plan.oon_allowed_cents = 25000;
  ExpectExactly(Estimate(&plan, OutOfNetwork(18000)), 7200);  // 40% of 180, no balance
}

TEST(CostEstimate, OutOfNetworkOnHmoOrEpoIsTheWholeFee) {
  for (Network n : {Network::kHmo, Network::kEpo}) {
    InsuranceFacts plan = KnownPlan();
    plan.network = n;
    plan.oon_allowed_cents = 10000;              // ignored: the plan pays nothing out of network
    plan.oon_out_of_pocket_remaining_cents = 0;  // and no cap applies
    plan.out_of_pocket_remaining_cents = 0;
    SessionCost c = Estimate(&plan, OutOfNetwork(18000));
    ExpectExactly(c, 18000);
    EXPECT_TRUE(c.complete);
    ExplainedCost e = Explain(&plan, OutOfNetwork(18000));
    EXPECT_THAT(e.used, ElementsAre("network", "fee"));
    EXPECT_THAT(e.steps, Contains(CostLine{"balance_bill", 18000, 18000, false}));
  }
}

TEST(CostEstimate, SelfPayIsTheFee) {
  SessionCost c = Estimate(nullptr, OutOfNetwork(12000));
  EXPECT_EQ(c.basis, Basis::kSelfPay);
  ExpectExactly(c, 12000);
  EXPECT_TRUE(c.complete);
  InsuranceFacts uninsured;
  uninsured.plan_type = PlanType::kUninsured;
  uninsured.copay_cents = 1000;  // meaningless without a plan
  EXPECT_EQ(Estimate(&uninsured, InNetwork(5000, 12000)), c);
}

TEST(CostEstimate, SlidingScaleIsARangeFromTheMinimumToTheFee) {
  ProviderRates r = OutOfNetwork(15000);
  r.sliding_minimum_cents = 4000;
  SessionCost c = Estimate(nullptr, r, 0, /*sliding=*/true);
  EXPECT_EQ(c.basis, Basis::kSlidingScale);
  EXPECT_EQ(c.low_cents, 4000);
  EXPECT_EQ(c.high_cents, 15000);
  EXPECT_TRUE(c.complete);  // the range is the provider's, not an unknown of ours
  // Not asked for: the fee.
  EXPECT_EQ(Estimate(nullptr, r).basis, Basis::kSelfPay);
  // Asked for but not offered: the fee.
  r.sliding_minimum_cents.reset();
  SessionCost plain = Estimate(nullptr, r, 0, true);
  EXPECT_EQ(plain.basis, Basis::kSelfPay);
  ExpectExactly(plain, 15000);
}

TEST(CostEstimate, FreeIsZeroEvenWithAPlan) {
  InsuranceFacts plan = KnownPlan();
  ProviderRates r = OutOfNetwork(std::nullopt);
  r.free = true;
  const InsuranceFacts* none = nullptr;
  for (const InsuranceFacts* p : {none, static_cast<const InsuranceFacts*>(&plan)}) {
    SessionCost c = Estimate(p, r, 2000);
    EXPECT_EQ(c.basis, Basis::kFree);
    ExpectExactly(c, 0);
    EXPECT_TRUE(c.complete);
  }
}

TEST(CostEstimate, AidIsSubtractedAndClampsAtZero) {
  ProviderRates r = OutOfNetwork(15000);
  r.sliding_minimum_cents = 4000;
  SessionCost c = Estimate(nullptr, r, 5000, true);
  EXPECT_EQ(c.low_cents, 4000);
  EXPECT_EQ(c.high_cents, 15000);
  EXPECT_EQ(c.after_aid_low_cents, 0);
  EXPECT_EQ(c.after_aid_high_cents, 10000);
  ExplainedCost e = ExplainSession({nullptr, true, 5000}, r);
  EXPECT_THAT(e.steps, Contains(CostLine{"aid", 4000, 5000, false}));
  EXPECT_THAT(e.steps, Contains(CostLine{"after_aid", 0, 10000, false}));
  EXPECT_THAT(e.used, Contains("aid"));
  // Negative aid is no aid.
  SessionCost none = Estimate(nullptr, OutOfNetwork(15000), -500);
  EXPECT_EQ(none.after_aid_low_cents, 15000);
}

TEST(CostEstimate, MedicareCoinsuranceDefaultsTo20PercentAndSaysSo) {
  InsuranceFacts plan = KnownPlan();
  plan.plan_type = PlanType::kMedicare;
  plan.coinsurance_bp.reset();
  ExplainedCost e = Explain(&plan, InNetwork(10000));
  ExpectExactly(e.cost, 2000);
  EXPECT_TRUE(e.cost.complete);  // a documented default, not an unknown
  EXPECT_THAT(e.assumed, ElementsAre("medicare_part_b_coinsurance"));
  EXPECT_THAT(e.unknown, IsEmpty());
  // A known coinsurance wins, and nothing is assumed.
  plan.coinsurance_bp = 0;
  ExplainedCost known = Explain(&plan, InNetwork(10000));
  ExpectExactly(known.cost, 0);
  EXPECT_THAT(known.assumed, IsEmpty());
  // Other plans get no default.
  plan.coinsurance_bp.reset();
  plan.plan_type = PlanType::kEmployer;
  SessionCost other = Estimate(&plan, InNetwork(10000));
  EXPECT_EQ(other.low_cents, 0);
  EXPECT_EQ(other.high_cents, 10000);
  EXPECT_FALSE(other.complete);
}

TEST(CostEstimate, UnknownDeductibleGivesARange) {
  InsuranceFacts plan = KnownPlan();
  plan.deductible_remaining_cents.reset();
  ExplainedCost e = Explain(&plan, InNetwork(15000));
  EXPECT_EQ(e.cost.low_cents, 3000);    // met: 20% of 150
  EXPECT_EQ(e.cost.high_cents, 15000);  // none of it met: all of allowed
  EXPECT_FALSE(e.cost.complete);
  EXPECT_FALSE(e.cost.fee_unknown);
  EXPECT_THAT(e.unknown, ElementsAre("deductible_remaining"));
  EXPECT_THAT(e.steps, Contains(CostLine{"deductible", 0, 15000, false}));
}

TEST(CostEstimate, UnknownCoinsuranceIsZeroToAllOfIt) {
  InsuranceFacts plan = KnownPlan();
  plan.coinsurance_bp.reset();
  SessionCost c = Estimate(&plan, InNetwork(15000));
  EXPECT_EQ(c.low_cents, 0);
  EXPECT_EQ(c.high_cents, 15000);
}

TEST(CostEstimate, UnknownOutOfPocketDoesNotWidenButIsListed) {
  InsuranceFacts plan = KnownPlan();
  plan.out_of_pocket_remaining_cents.reset();
  ExplainedCost e = Explain(&plan, InNetwork(15000));
  ExpectExactly(e.cost, 3000);
  EXPECT_FALSE(e.cost.complete);
  EXPECT_THAT(e.unknown, ElementsAre("out_of_pocket_remaining"));
}

TEST(CostEstimate, UnknownContractedRateOnACoinsurancePlan) {
  InsuranceFacts plan = KnownPlan();
  ProviderRates r = InNetwork(0, 20000);
  r.contracted_cents.reset();
  ExplainedCost e = Explain(&plan, r);
  EXPECT_EQ(e.cost.low_cents, 0);      // no honest floor for the rate
  EXPECT_EQ(e.cost.high_cents, 4000);  // 20% of the fee, the rate's ceiling
  EXPECT_FALSE(e.cost.complete);
  EXPECT_THAT(e.unknown, ElementsAre("contracted_rate"));
  EXPECT_THAT(e.used, Contains("fee"));
  EXPECT_THAT(e.assumed, IsEmpty());
}

TEST(CostEstimate, UnknownContractedRateOnACopayPlanAssumesTheCopayAsFloor) {
  InsuranceFacts plan = KnownPlan();
  plan.copay_cents = 3000;
  ProviderRates r = InNetwork(0, 20000);
  r.contracted_cents.reset();
  ExplainedCost e = Explain(&plan, r);
  ExpectExactly(e.cost, 3000);
  EXPECT_FALSE(e.cost.complete);
  EXPECT_THAT(e.unknown, ElementsAre("contracted_rate"));
  EXPECT_THAT(e.assumed, ElementsAre("contracted_rate_at_least_copay"));
  // Copay after the deductible: from the copay alone up to deductible + copay at the fee.
  plan.copay_before_deductible = false;
  plan.deductible_remaining_cents = 4000;
  SessionCost after = Estimate(&plan, r);
  EXPECT_EQ(after.low_cents, 3000);
  EXPECT_EQ(after.high_cents, 7000);
}

TEST(CostEstimate, UnknownOutOfNetworkAllowedOnPpo) {
  InsuranceFacts plan = KnownPlan();
  ExplainedCost e = Explain(&plan, OutOfNetwork(18000));
  EXPECT_EQ(e.cost.low_cents, 7200);    // plan allows the fee: 40% of 180, no balance
  EXPECT_EQ(e.cost.high_cents, 18000);  // plan allows nothing: the fee
  EXPECT_THAT(e.unknown, ElementsAre("oon_allowed"));
  EXPECT_THAT(e.steps, Contains(CostLine{"allowed", 18000, 0, false}));
}

TEST(CostEstimate, UnknownNetworkOutOfNetworkIsReadAsPpoAndListed) {
  InsuranceFacts plan = KnownPlan();
  plan.network = Network::kUnknown;
  plan.oon_allowed_cents = 10000;
  ExplainedCost e = Explain(&plan, OutOfNetwork(18000));
  ExpectExactly(e.cost, 12000);
  EXPECT_FALSE(e.cost.complete);
  EXPECT_THAT(e.unknown, ElementsAre("network"));
}

TEST(CostEstimate, UnknownFeeIsNotZero) {
  SessionCost self_pay = Estimate(nullptr, OutOfNetwork(std::nullopt));
  EXPECT_TRUE(self_pay.fee_unknown);
  EXPECT_TRUE(self_pay.high_unbounded);
  EXPECT_FALSE(self_pay.complete);
  EXPECT_EQ(self_pay.low_cents, 0);
  SessionCost zero = Estimate(nullptr, OutOfNetwork(0));
  EXPECT_FALSE(zero.fee_unknown);
  EXPECT_FALSE(zero.high_unbounded);
  EXPECT_TRUE(zero.complete);
  EXPECT_NE(self_pay, zero);

  // Out of network the balance bill has no bound without the fee.
  InsuranceFacts plan = KnownPlan();
  plan.oon_allowed_cents = 10000;
  SessionCost oon = Estimate(&plan, OutOfNetwork(std::nullopt));
  EXPECT_TRUE(oon.fee_unknown);
  EXPECT_TRUE(oon.high_unbounded);
  EXPECT_EQ(oon.low_cents, 0);

  // In network a copay bounds it, though the fee and the rate are both unknown.
  plan.copay_cents = 3000;
  ProviderRates r = InNetwork(0, std::nullopt);
  r.contracted_cents.reset();
  SessionCost copay = Estimate(&plan, r);
  EXPECT_TRUE(copay.fee_unknown);
  EXPECT_FALSE(copay.high_unbounded);
  EXPECT_EQ(copay.high_cents, 3000);

  // A known contracted rate does not need the fee at all.
  SessionCost contracted = Estimate(&plan, InNetwork(15000, std::nullopt));
  EXPECT_FALSE(contracted.fee_unknown);
  EXPECT_TRUE(contracted.complete);

  // A sliding scale with an unknown fee starts at its minimum.
  ProviderRates sliding = OutOfNetwork(std::nullopt);
  sliding.sliding_minimum_cents = 4000;
  SessionCost s = Estimate(nullptr, sliding, 0, true);
  EXPECT_EQ(s.low_cents, 4000);
  EXPECT_TRUE(s.high_unbounded);
}

TEST(CostEstimate, ImpossibleValuesAreUnknownsNotZeros) {
  InsuranceFacts plan = KnownPlan();
  plan.deductible_remaining_cents = -100;
  plan.coinsurance_bp = 12000;
  ExplainedCost e = Explain(&plan, InNetwork(15000));
  EXPECT_THAT(e.unknown, ElementsAre("deductible_remaining", "coinsurance"));
  EXPECT_EQ(e.cost.low_cents, 0);
  EXPECT_EQ(e.cost.high_cents, 15000);
  SessionCost negative_fee = Estimate(nullptr, OutOfNetwork(-1));
  EXPECT_TRUE(negative_fee.fee_unknown);
}

TEST(CostEstimate, CoinsuranceRoundsHalfUpToWholeCents) {
  InsuranceFacts plan = KnownPlan();
  plan.coinsurance_bp = 2500;
  ExpectExactly(Estimate(&plan, InNetwork(10)), 3);  // 2.5 → 3
  plan.coinsurance_bp = 1500;
  ExpectExactly(Estimate(&plan, InNetwork(10001)), 1500);  // 1500.15 → 1500
  plan.coinsurance_bp = 3333;
  plan.out_of_pocket_remaining_cents = kMaxCents;
  ExpectExactly(Estimate(&plan, InNetwork(kMaxCents)), kMaxCents / 10000 * 3333);
}

TEST(CostEstimate, ExplanationStepsFollowTheFormula) {
  InsuranceFacts plan = KnownPlan();
  plan.deductible_remaining_cents = 10000;
  plan.out_of_pocket_remaining_cents = 10500;
  ExplainedCost e = Explain(&plan, InNetwork(15000), 500);
  EXPECT_THAT(
      e.steps,
      ElementsAre(CostLine{"allowed", 15000, 15000, false},
                  CostLine{"deductible", 10000, 10000, false},
                  CostLine{"coinsurance", 1000, 1000, false},
                  CostLine{"out_of_pocket_cap", 500, 500, false},
                  CostLine{"share", 10500, 10500, false}, CostLine{"member", 10500, 10500, false},
                  CostLine{"aid", 500, 500, false}, CostLine{"after_aid", 10000, 10000, false}));
  EXPECT_THAT(e.used, ElementsAre("contracted_rate", "deductible_remaining", "coinsurance",
                                  "out_of_pocket_remaining", "aid"));
  EXPECT_THAT(e.unknown, IsEmpty());
}

TEST(CostEstimate, NamesRoundTripAndUnknownTextIsRejected) {
  for (PlanType t :
       {PlanType::kUnknown, PlanType::kEmployer, PlanType::kMarketplace, PlanType::kMedicaid,
        PlanType::kMedicare, PlanType::kUnion, PlanType::kUninsured}) {
    EXPECT_EQ(ParsePlanType(PlanTypeName(t)), t);
  }
  for (Network n :
       {Network::kUnknown, Network::kHmo, Network::kEpo, Network::kPpo, Network::kPos}) {
    EXPECT_EQ(ParseNetwork(NetworkName(n)), n);
  }
  EXPECT_EQ(PlanTypeName(PlanType::kMarketplace), "marketplace");
  EXPECT_EQ(NetworkName(Network::kPos), "pos");
  EXPECT_EQ(ParsePlanType("Medicare"), std::nullopt);
  EXPECT_EQ(ParsePlanType("aca"), std::nullopt);
  EXPECT_EQ(ParseNetwork(" ppo"), std::nullopt);
  EXPECT_EQ(ParseNetwork(""), std::nullopt);
}

TEST(CostEstimate, EstimateNeverAllocates) {
  InsuranceFacts plan = KnownPlan();
  plan.deductible_remaining_cents.reset();
  ProviderRates in = InNetwork(0, std::nullopt);
  in.contracted_cents.reset();
  ProviderRates sliding = OutOfNetwork(15000);
  sliding.sliding_minimum_cents = 4000;
  g_allocations = 0;
  g_counting = true;
  int64_t sink = 0;
  for (int i = 0; i < 100; ++i) {
    sink += Estimate(&plan, in, 100).high_cents;
    sink += Estimate(&plan, OutOfNetwork(18000), 100).low_cents;
    sink += Estimate(nullptr, sliding, 100, true).low_cents;
  }
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
  EXPECT_GT(sink, 0);
  // The counter does see allocations (the check above could fail).
  g_counting = true;
  ExplainedCost e = Explain(&plan, in);
  g_counting = false;
  EXPECT_GT(g_allocations.load(), 0);
  EXPECT_FALSE(e.steps.empty());
}

// --- Properties over pseudo-random inputs ---

class Random {
 public:
  explicit Random(uint64_t seed) : gen_(seed) {}
  int64_t Between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen_);
  }
  bool Chance(int percent) { return Between(1, 100) <= percent; }
  // Often a plausible amount, sometimes missing, rarely impossible (negative).
  std::optional<int64_t> Cents(int64_t max) {
    if (Chance(30)) return std::nullopt;
    if (Chance(3)) return -Between(1, 1000);
    if (Chance(10)) return 0;
    return Between(0, max);
  }
  std::optional<int32_t> Bp() {
    if (Chance(30)) return std::nullopt;
    if (Chance(3)) return static_cast<int32_t>(Between(10001, 20000));
    return static_cast<int32_t>(Between(0, 10000));
  }

 private:
  std::mt19937_64 gen_;
};

InsuranceFacts RandomFacts(Random& rnd) {
  InsuranceFacts f;
  f.plan_type = static_cast<PlanType>(rnd.Between(0, 6));
  f.network = static_cast<Network>(rnd.Between(0, 4));
  f.deductible_remaining_cents = rnd.Cents(300000);
  f.copay_cents = rnd.Chance(40) ? rnd.Cents(8000) : std::nullopt;
  f.copay_before_deductible = rnd.Chance(50);
  f.coinsurance_bp = rnd.Bp();
  f.out_of_pocket_remaining_cents = rnd.Cents(400000);
  f.oon_deductible_remaining_cents = rnd.Cents(600000);
  f.oon_coinsurance_bp = rnd.Bp();
  f.oon_out_of_pocket_remaining_cents = rnd.Cents(800000);
  f.oon_allowed_cents = rnd.Cents(40000);
  return f;
}

ProviderRates RandomRates(Random& rnd) {
  ProviderRates r;
  r.fee_cents = rnd.Cents(40000);
  r.contracted_cents = rnd.Cents(30000);
  r.sliding_minimum_cents = rnd.Chance(50) ? rnd.Cents(20000) : std::nullopt;
  r.free = rnd.Chance(5);
  r.in_network = rnd.Chance(50);
  return r;
}

bool Usable(const std::optional<int64_t>& v) { return v && *v >= 0; }
bool Usable(const std::optional<int32_t>& v) { return v && *v >= 0 && *v <= 10000; }

// One concrete world consistent with what was known: each unknown the estimate ranges over
// gets a value within the documented readings (an unknown out-of-pocket cap stays unknown, as
// it does not widen the range; an unknown contracted rate on a copay plan is at least the
// copay; an unknown network out of network is PPO or POS; Medicare's coinsurance is 20%).
void Concretise(Random& rnd, InsuranceFacts& f, ProviderRates& r) {
  // Bounds are where a wrong range shows first, so they come up often.
  auto pick = [&](int64_t lo, int64_t hi) {
    if (rnd.Chance(20)) return lo;
    if (rnd.Chance(20)) return hi;
    return rnd.Between(lo, hi);
  };
  auto fill = [&](auto& v, int64_t max) {
    if (!Usable(v)) v = static_cast<std::remove_reference_t<decltype(*v)>>(pick(0, max));
  };
  const bool copay_plan = Usable(f.copay_cents);
  const bool fee_known = Usable(r.fee_cents);
  if (r.in_network && copay_plan && !Usable(r.contracted_cents) && !fee_known) {
    r.fee_cents = *f.copay_cents + pick(0, 40000);
  }
  fill(r.fee_cents, 40000);
  if (!Usable(r.contracted_cents)) {
    const int64_t floor = copay_plan ? std::min(*f.copay_cents, *r.fee_cents) : 0;
    r.contracted_cents = pick(floor, *r.fee_cents);
  }
  fill(f.deductible_remaining_cents, 300000);
  if (!Usable(f.coinsurance_bp)) {
    f.coinsurance_bp =
        static_cast<int32_t>(f.plan_type == PlanType::kMedicare ? 2000 : pick(0, 10000));
  }
  if (f.network == Network::kUnknown) f.network = rnd.Chance(50) ? Network::kPpo : Network::kPos;
  fill(f.oon_allowed_cents, 40000);
  fill(f.oon_deductible_remaining_cents, 600000);
  fill(f.oon_coinsurance_bp, 10000);
}

TEST(CostEstimateProperties, ExplainAgreesAndTheRangeHoldsEveryConsistentWorld) {
  Random rnd(20240611);
  int ranged = 0;
  for (int i = 0; i < 5000; ++i) {
    SCOPED_TRACE("iteration " + std::to_string(i));
    InsuranceFacts facts = RandomFacts(rnd);
    const int64_t choice = rnd.Between(0, 9);
    const InsuranceFacts* plan = choice == 0 ? nullptr : &facts;
    ProviderRates rates = RandomRates(rnd);
    SessionQuery q{plan, rnd.Chance(50), rnd.Chance(30) ? rnd.Between(-100, 20000) : 0};

    const SessionCost c = EstimateSession(q, rates);
    const ExplainedCost e = ExplainSession(q, rates);
    ASSERT_EQ(e.cost, c);

    EXPECT_GE(c.low_cents, 0);
    EXPECT_GE(c.after_aid_low_cents, 0);
    EXPECT_LE(c.low_cents, c.high_cents);
    EXPECT_LE(c.after_aid_low_cents, c.after_aid_high_cents);
    EXPECT_LE(c.after_aid_low_cents, c.low_cents);
    EXPECT_LE(c.after_aid_high_cents, c.high_cents);
    if (c.high_unbounded) {
      EXPECT_TRUE(c.fee_unknown);
    }
    if (c.fee_unknown) {
      EXPECT_THAT(e.unknown, Contains("fee"));
    }
    EXPECT_EQ(c.complete, e.unknown.empty());
    if (c.complete && c.basis != Basis::kSlidingScale) {
      EXPECT_EQ(c.low_cents, c.high_cents);
    }
    for (const CostLine& line : e.steps) {
      EXPECT_GE(line.low_cents, 0) << line.name;
      EXPECT_GE(line.high_cents, 0) << line.name;
    }
    auto member = std::find_if(e.steps.begin(), e.steps.end(),
                               [](const CostLine& l) { return l.name == "member"; });
    ASSERT_NE(member, e.steps.end());
    EXPECT_EQ(member->low_cents, c.low_cents);
    EXPECT_EQ(member->high_cents, c.high_cents);
    EXPECT_EQ(member->high_unbounded, c.high_unbounded);

    // The truth, for any world consistent with what was known, is within [low, high].
    if (c.basis == Basis::kSlidingScale) continue;
    InsuranceFacts world_facts = facts;
    ProviderRates world_rates = rates;
    Concretise(rnd, world_facts, world_rates);
    SessionQuery world_query = q;
    if (plan != nullptr) world_query.insurance = &world_facts;
    const ExplainedCost world = ExplainSession(world_query, world_rates);
    for (std::string_view u : world.unknown) {
      EXPECT_TRUE(u == "out_of_pocket_remaining" || u == "oon_out_of_pocket_remaining") << u;
    }
    EXPECT_EQ(world.cost.low_cents, world.cost.high_cents);
    EXPECT_GE(world.cost.low_cents, c.low_cents);
    if (!c.high_unbounded) {
      EXPECT_LE(world.cost.high_cents, c.high_cents);
    }
    if (c.low_cents != c.high_cents || c.high_unbounded) ++ranged;
  }
  EXPECT_GT(ranged, 500);  // the generator exercises the unknowns
}

// --- Good Faith Estimate ---

GfeInput SeriesInput() {
  GfeInput in;
  in.member_reference = "SC-2025-0042";
  in.provider_name = "Harbor Counseling";
  in.provider_npi = "1234567893";
  in.provider_tax_id = "12-3456789";
  in.diagnosis = "F41.1";
  in.issued_on = "2025-03-10";
  in.first_session_on = "2025-03-17";
  in.sessions = 12;
  in.session_minutes = 45;
  in.intake_visit = true;
  in.session_fee_cents = 14000;
  in.intake_fee_cents = 18000;
  return in;
}

std::vector<std::string> ErrorFields(const core::Result<GoodFaithEstimate>& r) {
  std::vector<std::string> out;
  if (r) return out;
  for (const core::FieldError& f : r.error().fields) out.push_back(f.field + ":" + f.code);
  return out;
}

TEST(GoodFaithEstimate, TwelveSessionSeriesWithIntake) {
  auto gfe = BuildGoodFaithEstimate(SeriesInput());
  ASSERT_TRUE(gfe) << gfe.error().message;
  EXPECT_THAT(gfe->services, ElementsAre(GfeService{"90791", "intake_evaluation", 18000, 1},
                                         GfeService{"90834", "psychotherapy_45", 14000, 12}));
  EXPECT_EQ(gfe->total_cents, 18000 + 12 * 14000);
  EXPECT_EQ(gfe->valid_until, "2026-03-10");
  EXPECT_THAT(gfe->notices,
              ElementsAre("right_to_gfe", "dispute_400", "not_a_contract", "keep_copy"));
  EXPECT_THAT(gfe->missing, IsEmpty());
  EXPECT_THAT(gfe->assumed, IsEmpty());
}

TEST(GoodFaithEstimate, CodesFollowTheSessionLength) {
  GfeInput in = SeriesInput();
  in.intake_visit = false;
  in.session_minutes = 30;
  auto thirty = BuildGoodFaithEstimate(in);
  ASSERT_TRUE(thirty);
  EXPECT_THAT(thirty->services, ElementsAre(GfeService{"90832", "psychotherapy_30", 14000, 12}));
  EXPECT_EQ(thirty->total_cents, 12 * 14000);
  in.session_minutes = 60;
  in.sessions = 1;
  auto sixty = BuildGoodFaithEstimate(in);
  ASSERT_TRUE(sixty);
  EXPECT_THAT(sixty->services, ElementsAre(GfeService{"90837", "psychotherapy_60", 14000, 1}));
}

TEST(GoodFaithEstimate, MissingProviderDetailsAreListedNotRefused) {
  GfeInput in = SeriesInput();
  in.provider_npi.clear();
  in.diagnosis.clear();
  auto gfe = BuildGoodFaithEstimate(in);
  ASSERT_TRUE(gfe);
  EXPECT_THAT(gfe->missing, ElementsAre("provider_npi", "diagnosis"));
  in.provider_name.clear();
  in.provider_tax_id.clear();
  EXPECT_THAT(BuildGoodFaithEstimate(in)->missing,
              ElementsAre("provider_name", "provider_npi", "provider_tax_id", "diagnosis"));
}

TEST(GoodFaithEstimate, IntakeWithoutItsOwnFeeIsPricedAtTheSessionFeeAndSaysSo) {
  GfeInput in = SeriesInput();
  in.intake_fee_cents.reset();
  auto gfe = BuildGoodFaithEstimate(in);
  ASSERT_TRUE(gfe);
  EXPECT_EQ(gfe->services.front(), (GfeService{"90791", "intake_evaluation", 14000, 1}));
  EXPECT_EQ(gfe->total_cents, 13 * 14000);
  EXPECT_THAT(gfe->assumed, ElementsAre("intake_fee"));
}

TEST(GoodFaithEstimate, ValidForTwelveMonthsFromIssue) {
  GfeInput in = SeriesInput();
  in.issued_on = "2024-02-29";
  EXPECT_EQ(BuildGoodFaithEstimate(in)->valid_until, "2025-02-28");
  in.issued_on = "2025-12-31";
  EXPECT_EQ(BuildGoodFaithEstimate(in)->valid_until, "2026-12-31");
}

TEST(GoodFaithEstimate, ValidationErrorsNameTheField) {
  struct Case {
    const char* name;
    void (*change)(GfeInput&);
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"no sessions", [](GfeInput& in) { in.sessions = 0; }, {"/sessions:out_of_range"}},
      {"53 sessions", [](GfeInput& in) { in.sessions = 53; }, {"/sessions:out_of_range"}},
      {"50 minutes",
       [](GfeInput& in) { in.session_minutes = 50; },
       {"/session_minutes:invalid_value"}},
      {"negative session fee",
       [](GfeInput& in) { in.session_fee_cents = -1; },
       {"/session_fee_cents:out_of_range"}},
      {"huge session fee",
       [](GfeInput& in) { in.session_fee_cents = kMaxGfeFeeCents + 1; },
       {"/session_fee_cents:out_of_range"}},
      {"negative intake fee",
       [](GfeInput& in) { in.intake_fee_cents = -5; },
       {"/intake_fee_cents:out_of_range"}},
      {"slashes", [](GfeInput& in) { in.issued_on = "2025/03/10"; }, {"/issued_on:invalid_format"}},
      {"short", [](GfeInput& in) { in.issued_on = "2025-3-10"; }, {"/issued_on:invalid_format"}},
      {"empty",
       [](GfeInput& in) { in.first_session_on = ""; },
       {"/first_session_on:invalid_format"}},
      {"30 February",
       [](GfeInput& in) { in.first_session_on = "2025-02-30"; },
       {"/first_session_on:invalid_date"}},
      {"29 February, not leap",
       [](GfeInput& in) { in.issued_on = "2025-02-29"; },
       {"/issued_on:invalid_date"}},
      {"month 13", [](GfeInput& in) { in.issued_on = "2025-13-01"; }, {"/issued_on:invalid_date"}},
      {"bad NPI check digit",
       [](GfeInput& in) { in.provider_npi = "1234567890"; },
       {"/provider_npi:invalid_format"}},
      {"no reference",
       [](GfeInput& in) { in.member_reference.clear(); },
       {"/member_reference:required"}},
      {"several at once",
       [](GfeInput& in) {
         in.sessions = -1;
         in.session_minutes = 0;
         in.issued_on = "soon";
       },
       {"/issued_on:invalid_format", "/sessions:out_of_range", "/session_minutes:invalid_value"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    GfeInput in = SeriesInput();
    c.change(in);
    auto gfe = BuildGoodFaithEstimate(in);
    ASSERT_FALSE(gfe);
    EXPECT_EQ(gfe.error().code, core::ErrorCode::kUnprocessable);
    EXPECT_EQ(ErrorFields(gfe), c.fields);
  }
}

}  // namespace
}  // namespace soundcheck::domain::coverage
