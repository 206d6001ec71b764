// The member's expected cost of one session with one provider (clinical.md section 3): what
// their plan leaves them to pay in or out of network, the self-pay or sliding-scale fee when
// they are uninsured, and what remains after an award or sponsor program's per-session aid.
//
// People rarely know every number of their plan, so every fact is optional and an unknown one
// widens the answer into a range [low, high] instead of being guessed; the few documented
// defaults (Medicare Part B's 20% coinsurance) are applied openly and listed.
//
// Everything here is pure (no I/O, no clock, no globals), thread-safe and exception-free.
// EstimateSession is the matching engine's per-candidate call and never allocates;
// ExplainSession runs the same code and also records how the numbers were reached.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soundcheck::domain::coverage {

enum class PlanType { kUnknown, kEmployer, kMarketplace, kMedicaid, kMedicare, kUnion, kUninsured };

// HMO and EPO plans pay nothing out of network; PPO and POS plans pay their allowed amount.
enum class Network { kUnknown, kHmo, kEpo, kPpo, kPos };

// Stable lowercase names: "unknown", "employer", "marketplace", "medicaid", "medicare",
// "union", "uninsured"; "unknown", "hmo", "epo", "ppo", "pos". Parsing is exact (lowercase
// ASCII, no trimming); any other text is nullopt. Name and Parse round-trip.
std::string_view PlanTypeName(PlanType type);
std::optional<PlanType> ParsePlanType(std::string_view text);
std::string_view NetworkName(Network network);
std::optional<Network> ParseNetwork(std::string_view text);

// What the member's plan says, as far as anyone knows. Shaped so that an X12 271 eligibility
// reply (EB segments: coverage, coinsurance as a decimal, copay, deductible, in-network flag)
// can fill it later. All amounts are cents. A value that cannot be right (a negative amount,
// an amount above kMaxCents, a coinsurance outside 0..10000) is treated as unknown.
struct InsuranceFacts {
  PlanType plan_type = PlanType::kUnknown;
  Network network = Network::kUnknown;
  std::optional<int64_t> deductible_remaining_cents;  // in network
  std::optional<int64_t> copay_cents;                 // per session, in network
  bool copay_before_deductible = true;    // false: the deductible is paid first, then the copay
  std::optional<int32_t> coinsurance_bp;  // basis points: 2000 = 20%
  std::optional<int64_t> out_of_pocket_remaining_cents;   // in network
  std::optional<int64_t> oon_deductible_remaining_cents;  // out of network
  std::optional<int32_t> oon_coinsurance_bp;
  std::optional<int64_t> oon_out_of_pocket_remaining_cents;
  std::optional<int64_t> oon_allowed_cents;  // the plan's allowed amount out of network
};

// What the provider charges, from the directory.
struct ProviderRates {
  std::optional<int64_t> fee_cents;              // billed / self-pay fee per session
  std::optional<int64_t> contracted_cents;       // in-network contracted rate, when known
  std::optional<int64_t> sliding_minimum_cents;  // sliding-scale floor; nullopt: not offered
  bool free = false;
  bool in_network = false;  // on the member's plan's panel
};

// The largest amount taken at face value ($10 trillion): keeps every sum far from overflow.
inline constexpr int64_t kMaxCents = 1'000'000'000'000'000;

enum class Basis { kFree, kInNetwork, kOutOfNetwork, kSelfPay, kSlidingScale };

// Basis, in order: rates.free → kFree. No insurance (null, or plan_type kUninsured) →
// kSlidingScale when use_sliding_scale and the provider has a sliding minimum, else kSelfPay.
// Insured → kInNetwork or kOutOfNetwork by rates.in_network (use_sliding_scale is ignored).
struct SessionQuery {
  const InsuranceFacts* insurance = nullptr;  // null: uninsured / self-pay; not retained
  bool use_sliding_scale = false;
  int64_t aid_per_session_cents = 0;  // what an award or sponsor covers; negative counts as 0
};

// The numeric answer. Every amount is >= 0, low <= high, after_aid <= the amount before aid.
// low == high whenever complete, except kSlidingScale, whose range [sliding minimum, fee] is
// the provider's own and not an unknown of ours.
struct SessionCost {
  Basis basis = Basis::kSelfPay;
  int64_t low_cents = 0;
  int64_t high_cents = 0;
  int64_t after_aid_low_cents = 0;
  int64_t after_aid_high_cents = 0;
  // False when any input the answer depends on was unknown (assumed defaults do not count).
  bool complete = true;
  // The provider's fee was needed and is unknown: "cost unknown", never to be read as "free".
  bool fee_unknown = false;
  // No upper bound can be justified (only ever with fee_unknown). high_cents and
  // after_aid_high_cents then equal the low ones and mean nothing: sort such a candidate last.
  bool high_unbounded = false;
  bool operator==(const SessionCost&) const = default;
};

// The per-candidate estimate. Never allocates; never fails.
SessionCost EstimateSession(const SessionQuery& query, const ProviderRates& rates);

// One step of the calculation, valued in the scenario that gives the low estimate and in the
// one that gives the high estimate. A component may be larger in the low scenario (out of
// network, a larger allowed amount lowers the balance bill). Names, in calculation order:
//   "fee"               the provider's billed / self-pay fee
//   "sliding_minimum"   the provider's sliding-scale floor
//   "allowed"           the amount the plan recognises (contracted rate or plan's allowed)
//   "deductible"        the part of allowed paid toward the deductible
//   "copay"             the copay applied (never more than what remains of allowed)
//   "coinsurance"       the coinsurance on allowed after the deductible
//   "out_of_pocket_cap" what the out-of-pocket limit takes off (subtracted)
//   "share"             the member's share of allowed, after the cap
//   "balance_bill"      billed minus allowed, out of network
//   "member"            what the member owes the provider (share + balance_bill, or the fee)
//   "aid"               the aid applied (subtracted)
//   "after_aid"         what is left to the member
struct CostLine {
  std::string_view name;  // one of the names above: static text, never freed
  int64_t low_cents = 0;
  int64_t high_cents = 0;
  bool high_unbounded = false;  // the high scenario has no bound; high_cents then = low_cents
  bool operator==(const CostLine&) const = default;
};

// The estimate with its reasons. `used`, `unknown` and `assumed` hold stable input names the
// UI translates: "free", "fee", "sliding_minimum", "contracted_rate", "oon_allowed",
// "network", "deductible_remaining", "copay", "copay_before_deductible", "coinsurance",
// "out_of_pocket_remaining", "oon_deductible_remaining", "oon_coinsurance",
// "oon_out_of_pocket_remaining", "aid"; `assumed` also holds
//   "medicare_part_b_coinsurance"     Medicare's 20% stood in for an unknown coinsurance
//   "contracted_rate_at_least_copay"  the low bound of an unknown contracted rate is the copay
// Each name appears once, in the order the calculation met it; an input is listed only when
// the answer depends on it.
// The names are string_views of static text (the names above): a result shown carries one
// of these, and a page of results would otherwise allocate each name again.
struct ExplainedCost {
  SessionCost cost;
  std::vector<CostLine> steps;
  std::vector<std::string_view> used;
  std::vector<std::string_view> unknown;
  std::vector<std::string_view> assumed;
};

// Always returns exactly EstimateSession's numbers in `cost`.
ExplainedCost ExplainSession(const SessionQuery& query, const ProviderRates& rates);

}  // namespace soundcheck::domain::coverage
