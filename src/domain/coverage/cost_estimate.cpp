#include "domain/coverage/cost_estimate.h"

#include <algorithm>
#include <array>
#include <limits>
#include <tuple>
#include <utility>

namespace soundcheck::domain::coverage {
namespace {

// "No bound": an unknown deductible in the high scenario, a missing out-of-pocket cap, an
// unknown fee's upper end. Far above kMaxCents and far below overflow, so sums of a few
// amounts never wrap; anything >= kInf is read as unbounded.
constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
static_assert(kMaxCents * 8 < kInf);

constexpr int32_t kFullBp = 10000;
// clinical.md section 3: Medicare Part B outpatient mental health, 20% coinsurance.
constexpr int32_t kMedicarePartBBp = 2000;

constexpr std::array<std::pair<PlanType, std::string_view>, 7> kPlanTypes = {{
    {PlanType::kUnknown, "unknown"},
    {PlanType::kEmployer, "employer"},
    {PlanType::kMarketplace, "marketplace"},
    {PlanType::kMedicaid, "medicaid"},
    {PlanType::kMedicare, "medicare"},
    {PlanType::kUnion, "union"},
    {PlanType::kUninsured, "uninsured"},
}};
constexpr std::array<std::pair<Network, std::string_view>, 5> kNetworks = {{
    {Network::kUnknown, "unknown"},
    {Network::kHmo, "hmo"},
    {Network::kEpo, "epo"},
    {Network::kPpo, "ppo"},
    {Network::kPos, "pos"},
}};

// An amount taken at face value, or nullopt when unknown or impossible. Impossible values are
// unknowns rather than clamped: clamping a negative deductible to 0 would present a guess
// as a fact.
std::optional<int64_t> Amount(const std::optional<int64_t>& cents) {
  if (!cents || *cents < 0 || *cents > kMaxCents) return std::nullopt;
  return cents;
}

std::optional<int32_t> Rate(const std::optional<int32_t>& bp) {
  if (!bp || *bp < 0 || *bp > kFullBp) return std::nullopt;
  return bp;
}

int64_t Add(int64_t a, int64_t b) { return (a >= kInf || b >= kInf) ? kInf : a + b; }

// a - b for 0 <= b <= a. An unbounded a less a bounded b stays unbounded; an unbounded b
// (a deductible that swallows all of an unbounded allowed amount) leaves nothing.
int64_t Rest(int64_t a, int64_t b) {
  if (b >= kInf) return 0;
  if (a >= kInf) return kInf;
  return a - b;
}

// cents × bp / 10000, rounded half up to whole cents. Split as cents = q·10000 + r so that the
// product cannot overflow for any cents up to kInf.
int64_t ApplyRate(int64_t cents, int32_t bp) {
  if (cents >= kInf) return bp > 0 ? kInf : 0;
  const int64_t q = cents / kFullBp;
  const int64_t r = cents % kFullBp;
  return q * bp + (r * bp + kFullBp / 2) / kFullBp;
}

// One scenario's inputs to clinical.md's formula, every unknown already resolved to the value
// that makes this scenario the low or the high one.
struct Terms {
  int64_t allowed = 0;
  int64_t deductible = 0;        // remaining; kInf: none of it met
  std::optional<int64_t> copay;  // set: a copay plan
  bool copay_before_deductible = true;
  int32_t coinsurance_bp = 0;
  int64_t out_of_pocket = kInf;  // remaining; kInf: no cap
  int64_t billed = 0;
  bool balance_billed = false;  // out of network
};

struct Breakdown {
  int64_t allowed = 0;
  int64_t deductible = 0;
  int64_t copay = 0;
  int64_t coinsurance = 0;
  int64_t cap = 0;  // what the out-of-pocket limit took off
  int64_t share = 0;
  int64_t balance = 0;
  int64_t member = 0;
};

// The formula, written once. The member's amount is non-decreasing in the deductible, the
// coinsurance, the cap, the billed fee and (in network) the allowed amount, and non-increasing
// in the allowed amount up to the billed fee out of network; the scenario builder relies on
// this to pick each unknown's extreme.
Breakdown Apply(const Terms& t) {
  Breakdown b;
  b.allowed = t.allowed;
  if (t.copay && t.copay_before_deductible) {
    b.copay = std::min(*t.copay, t.allowed);
  } else {
    b.deductible = std::min(t.deductible, t.allowed);
    const int64_t rest = Rest(t.allowed, b.deductible);
    if (t.copay) {
      b.copay = std::min(*t.copay, rest);
    } else {
      b.coinsurance = ApplyRate(rest, t.coinsurance_bp);
    }
  }
  // Each part is at most what remains of allowed, so the share never exceeds allowed.
  const int64_t share = Add(Add(b.deductible, b.copay), b.coinsurance);
  b.share = std::min(share, t.out_of_pocket);
  b.cap = Rest(share, b.share);
  if (t.balance_billed && t.billed > t.allowed) b.balance = Rest(t.billed, t.allowed);
  b.member = Add(b.share, b.balance);
  return b;
}

// The allocation-free recorder behind EstimateSession; every call compiles away.
struct Silent {
  void Used(std::string_view) {}
  void Unknown(std::string_view) {}
  void Assumed(std::string_view) {}
  void Step(std::string_view, int64_t, int64_t) {}
};

// ExplainSession's recorder.
class Recorder {
 public:
  explicit Recorder(ExplainedCost& out) : out_(out) {}
  void Used(std::string_view name) { Once(out_.used, name); }
  void Unknown(std::string_view name) { Once(out_.unknown, name); }
  void Assumed(std::string_view name) { Once(out_.assumed, name); }
  void Step(std::string_view name, int64_t low, int64_t high) {
    const bool unbounded = high >= kInf;
    out_.steps.push_back({name, low, unbounded ? low : high, unbounded});
  }

 private:
  // `name` is always a literal (the names cost_estimate.h lists), so keeping the view is safe.
  static void Once(std::vector<std::string_view>& list, std::string_view name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.emplace_back(name);
  }
  ExplainedCost& out_;
};

// Tracks completeness beside the recorder, so the silent path computes it too.
template <typename Rec>
struct Notes {
  Rec& rec;
  bool complete = true;
  bool fee_unknown = false;
  void Used(std::string_view name) { rec.Used(name); }
  void Unknown(std::string_view name) {
    complete = false;
    rec.Unknown(name);
  }
  void Assumed(std::string_view name) { rec.Assumed(name); }
};

// The fee in each scenario: known, or [0, unbounded).
template <typename Rec>
std::pair<int64_t, int64_t> FeeBounds(Notes<Rec>& notes, const std::optional<int64_t>& fee) {
  if (fee) {
    notes.Used("fee");
    return {*fee, *fee};
  }
  notes.Unknown("fee");
  notes.fee_unknown = true;
  return {0, kInf};
}

// Unknown remaining deductible: met in the low scenario, none of it met in the high one.
template <typename Rec>
void SetDeductible(Notes<Rec>& notes, const std::optional<int64_t>& value, std::string_view name,
                   Terms& lo, Terms& hi) {
  if (auto d = Amount(value)) {
    notes.Used(name);
    lo.deductible = hi.deductible = *d;
  } else {
    notes.Unknown(name);
    lo.deductible = 0;
    hi.deductible = kInf;
  }
}

// Unknown coinsurance: 0% to 100%, unless a documented default applies.
template <typename Rec>
void SetCoinsurance(Notes<Rec>& notes, const std::optional<int32_t>& value, std::string_view name,
                    bool medicare_default, Terms& lo, Terms& hi) {
  if (auto bp = Rate(value)) {
    notes.Used(name);
    lo.coinsurance_bp = hi.coinsurance_bp = *bp;
  } else if (medicare_default) {
    notes.Assumed("medicare_part_b_coinsurance");
    lo.coinsurance_bp = hi.coinsurance_bp = kMedicarePartBBp;
  } else {
    notes.Unknown(name);
    lo.coinsurance_bp = 0;
    hi.coinsurance_bp = kFullBp;
  }
}

// Unknown out-of-pocket remaining: no cap in either scenario. Strictly the cap could already
// be reached (the member would pay 0), but reading every unknown cap that way would turn
// nearly every estimate into "from $0"; the unknown is listed instead, and the estimate is
// marked incomplete.
template <typename Rec>
void SetOutOfPocket(Notes<Rec>& notes, const std::optional<int64_t>& value, std::string_view name,
                    Terms& lo, Terms& hi) {
  if (auto cap = Amount(value)) {
    notes.Used(name);
    lo.out_of_pocket = hi.out_of_pocket = *cap;
  } else {
    notes.Unknown(name);
    lo.out_of_pocket = hi.out_of_pocket = kInf;
  }
}

// The insured member's low and high amounts, through the one formula.
template <typename Rec>
std::pair<int64_t, int64_t> Insured(Notes<Rec>& notes, const InsuranceFacts& ins,
                                    const ProviderRates& rates, const std::optional<int64_t>& fee) {
  Terms lo;
  Terms hi;
  bool shows_fee = false;
  bool plan_pays = true;
  if (rates.in_network) {
    const std::optional<int64_t> copay = Amount(ins.copay_cents);
    if (auto contracted = Amount(rates.contracted_cents)) {
      notes.Used("contracted_rate");
      lo.allowed = hi.allowed = *contracted;
    } else {
      notes.Unknown("contracted_rate");
      shows_fee = true;
      // High: a contracted rate is at most the provider's billed fee (no fee: no bound).
      std::tie(lo.billed, hi.billed) = FeeBounds(notes, fee);
      hi.allowed = hi.billed;
      // Low: using the fee here too would present the upper bound as the estimate. The only
      // strict floor is 0, which is what a coinsurance plan gets. For a copay plan, 0 would
      // show nearly every panel provider as "from $0" when the member will pay the copay
      // unless the rate is below it (rare for a session): so the floor is the copay, and
      // that assumption is listed.
      if (copay) {
        notes.Assumed("contracted_rate_at_least_copay");
        lo.allowed = std::min(*copay, hi.allowed);
      } else {
        lo.allowed = 0;
      }
    }
    if (copay) {
      notes.Used("copay");
      notes.Used("copay_before_deductible");
      lo.copay = hi.copay = copay;
      lo.copay_before_deductible = hi.copay_before_deductible = ins.copay_before_deductible;
      if (!ins.copay_before_deductible) {
        SetDeductible(notes, ins.deductible_remaining_cents, "deductible_remaining", lo, hi);
      }
    } else {
      SetDeductible(notes, ins.deductible_remaining_cents, "deductible_remaining", lo, hi);
      SetCoinsurance(notes, ins.coinsurance_bp, "coinsurance", ins.plan_type == PlanType::kMedicare,
                     lo, hi);
    }
    SetOutOfPocket(notes, ins.out_of_pocket_remaining_cents, "out_of_pocket_remaining", lo, hi);
  } else {
    // An unknown network is read as PPO/POS (the plan pays its allowed amount). When the plan
    // pays nothing out of network after all, the member pays the fee: the high end of an
    // unknown allowed amount already. A known out-of-network allowed amount means the plan
    // has out-of-network benefits, so PPO-like is then the right reading.
    if (ins.network == Network::kUnknown) {
      notes.Unknown("network");
    } else {
      notes.Used("network");
    }
    plan_pays = ins.network != Network::kHmo && ins.network != Network::kEpo;
    shows_fee = true;
    std::tie(lo.billed, hi.billed) = FeeBounds(notes, fee);
    lo.balance_billed = hi.balance_billed = true;
    if (plan_pays) {
      if (auto allowed = Amount(ins.oon_allowed_cents)) {
        notes.Used("oon_allowed");
        // Plans allow the lesser of their amount and the billed charge.
        lo.allowed = std::min(*allowed, lo.billed);
        hi.allowed = std::min(*allowed, hi.billed);
      } else {
        // Low: the plan recognises the whole fee (no balance bill); high: it recognises
        // nothing and the member pays the fee.
        notes.Unknown("oon_allowed");
        lo.allowed = lo.billed;
        hi.allowed = 0;
      }
      SetDeductible(notes, ins.oon_deductible_remaining_cents, "oon_deductible_remaining", lo, hi);
      SetCoinsurance(notes, ins.oon_coinsurance_bp, "oon_coinsurance", false, lo, hi);
      SetOutOfPocket(notes, ins.oon_out_of_pocket_remaining_cents, "oon_out_of_pocket_remaining",
                     lo, hi);
    }
    // HMO/EPO: allowed stays 0, so the share is 0 and the balance bill is the whole fee; the
    // out-of-pocket cap never sees it.
  }

  const Breakdown low = Apply(lo);
  const Breakdown high = Apply(hi);
  if (shows_fee) notes.rec.Step("fee", lo.billed, hi.billed);
  notes.rec.Step("allowed", low.allowed, high.allowed);
  if (plan_pays) {
    if (!lo.copay || !lo.copay_before_deductible) {
      notes.rec.Step("deductible", low.deductible, high.deductible);
    }
    if (lo.copay) {
      notes.rec.Step("copay", low.copay, high.copay);
    } else {
      notes.rec.Step("coinsurance", low.coinsurance, high.coinsurance);
    }
    notes.rec.Step("out_of_pocket_cap", low.cap, high.cap);
  }
  notes.rec.Step("share", low.share, high.share);
  if (lo.balance_billed) notes.rec.Step("balance_bill", low.balance, high.balance);
  return {low.member, high.member};
}

template <typename Rec>
SessionCost Compute(const SessionQuery& query, const ProviderRates& rates, Rec& rec) {
  Notes<Rec> notes{rec};
  SessionCost cost;
  const std::optional<int64_t> fee = Amount(rates.fee_cents);
  const bool insured =
      query.insurance != nullptr && query.insurance->plan_type != PlanType::kUninsured;
  int64_t low = 0;
  int64_t high = 0;
  if (rates.free) {
    cost.basis = Basis::kFree;
    notes.Used("free");
  } else if (!insured) {
    const std::optional<int64_t> sliding = Amount(rates.sliding_minimum_cents);
    std::pair<int64_t, int64_t> bounds;
    if (query.use_sliding_scale && sliding) {
      cost.basis = Basis::kSlidingScale;
      notes.Used("sliding_minimum");
      rec.Step("sliding_minimum", *sliding, *sliding);
      bounds = FeeBounds(notes, fee);
      // A floor above the fee is a data error; the fee then bounds both ends.
      low = fee ? std::min(*sliding, *fee) : *sliding;
    } else {
      cost.basis = Basis::kSelfPay;
      bounds = FeeBounds(notes, fee);
      low = bounds.first;
    }
    high = bounds.second;
    rec.Step("fee", bounds.first, bounds.second);
  } else {
    cost.basis = rates.in_network ? Basis::kInNetwork : Basis::kOutOfNetwork;
    std::tie(low, high) = Insured(notes, *query.insurance, rates, fee);
  }
  rec.Step("member", low, high);

  const int64_t aid = std::clamp<int64_t>(query.aid_per_session_cents, 0, kMaxCents);
  const int64_t aid_low = std::min(aid, low);
  const int64_t aid_high = std::min(aid, high);
  if (aid > 0) {
    notes.Used("aid");
    rec.Step("aid", aid_low, aid_high);
    rec.Step("after_aid", low - aid_low, Rest(high, aid_high));
  }

  cost.low_cents = low;
  cost.after_aid_low_cents = low - aid_low;
  cost.high_unbounded = high >= kInf;
  cost.high_cents = cost.high_unbounded ? cost.low_cents : high;
  cost.after_aid_high_cents = cost.high_unbounded ? cost.after_aid_low_cents : high - aid_high;
  cost.complete = notes.complete;
  cost.fee_unknown = notes.fee_unknown;
  return cost;
}

template <typename T>
std::string_view NameOf(const auto& table, T value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename T>
std::optional<T> Parse(const auto& table, std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view PlanTypeName(PlanType type) { return NameOf(kPlanTypes, type); }
std::optional<PlanType> ParsePlanType(std::string_view text) {
  return Parse<PlanType>(kPlanTypes, text);
}
std::string_view NetworkName(Network network) { return NameOf(kNetworks, network); }
std::optional<Network> ParseNetwork(std::string_view text) {
  return Parse<Network>(kNetworks, text);
}

SessionCost EstimateSession(const SessionQuery& query, const ProviderRates& rates) {
  Silent silent;
  return Compute(query, rates, silent);
}

ExplainedCost ExplainSession(const SessionQuery& query, const ProviderRates& rates) {
  ExplainedCost out;
  out.steps.reserve(12);  // every step of the longest calculation: one allocation
  out.used.reserve(8);
  Recorder recorder(out);
  out.cost = Compute(query, rates, recorder);
  return out;
}

}  // namespace soundcheck::domain::coverage
