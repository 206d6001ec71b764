#include "matching/engine.h"

#include <algorithm>
#include <bit>
#include <boost/container/small_vector.hpp>
#include <charconv>
#include <cmath>
#include <optional>
#include <queue>

#include "core/ascii.h"
#include "matching/rules.h"
#include "matching/scoring.h"

namespace soundcheck::matching {
namespace {

namespace cov = domain::coverage;
using detail::Columns;
using detail::IdSet;
using detail::Interner;
using detail::LicenceRow;
using detail::Row;

constexpr int32_t kMaxSessions = 52;
constexpr int32_t kMaxLimit = 100;
constexpr double kMaxKm = 500;
constexpr double kKmPerDegree = 111.19;  // 6371.0088 km × π / 180 = 111.1951, rounded down

// Where the member will be for one session of the series.
struct Session {
  Day day = 0;
  uint32_t jurisdiction = Interner::kNone;  // kNone: no provider is licensed there
  std::string_view jurisdiction_text;
  bool psypact = false;
  const GeoPoint* point = nullptr;  // nullptr: nowhere to measure an office's distance from
};

// Lists a query makes a few of: inline, so preparing (and copying, for relaxations) a query
// does not allocate.
template <typename T>
using Small = boost::container::small_vector<T, 8>;

// A query resolved against one snapshot: values turned into sets, the series into places.
struct Prepared {
  const Query* q = nullptr;
  const Columns* c = nullptr;
  int64_t window = 0;
  bool care_filter = false;
  Small<std::pair<std::string_view, const IdSet*>> care;  // requested, known ones
  Small<const IdSet*> care_clinical;                      // of those, the ones that need a licence
  bool language_filter = false;
  Small<std::pair<std::string_view, const IdSet*>> languages;
  const IdSet* age = nullptr;  // with age_filter: nullptr means nobody serves it
  bool age_filter = false;
  const IdSet* format = nullptr;
  bool format_filter = false;
  bool require_opening = true;
  // The snapshot's fresh_openings holds every provider fresh at the query's `now`.
  bool fresh_set = false;
  Small<Session> sessions;
  bool tele_allowed = true;
  bool in_person_allowed = true;
  double max_km = 40;
  bool payment_filter = false;
  bool insured = false;
  const IdSet* plan = nullptr;
  cov::InsuranceFacts facts;
  int64_t budget = -1;  // -1: none
  Small<std::pair<std::string_view, const IdSet*>> prefer;
  uint32_t prefer_gender = Interner::kNone;
  // The most distance, cost and coverage can add (UpperBound's unknowns), and the most any
  // provider holding none of the preferred tags can score.
  int64_t open_bound = 0;
  int64_t untagged_bound = 0;
  // Candidates only: the unlicensed providers' declared places covering the first session's,
  // and (a budget) the fee ceiling's step, -1 when no step bounds it.
  Small<const IdSet*> declared_covering;
  int fee_step = -1;
};

const IdSet* Lookup(const Interner& interner, const std::vector<IdSet>& sets,
                    std::string_view value) {
  const uint32_t id = interner.Find(value);
  return id == Interner::kNone ? nullptr : &sets[id];
}

Prepared Prepare(const Snapshot& snapshot, const Query& q) {
  Prepared p;
  p.q = &q;
  p.c = &snapshot.columns();
  const Columns& c = *p.c;
  p.window = snapshot.openings_window_seconds();
  p.care_filter = !q.care_types.empty();
  for (const auto& code : q.care_types) {
    if (const IdSet* set = Lookup(c.terms, c.by_term, code)) {
      p.care.emplace_back(code, set);
      if (NeedsLicence(code)) p.care_clinical.push_back(set);
    }
  }
  p.language_filter = !q.languages.empty();
  for (const auto& code : q.languages) {
    const std::string lower = core::AsciiLower(code);
    if (const IdSet* set = Lookup(c.languages, c.by_language, lower)) {
      p.languages.emplace_back(code, set);
    }
  }
  p.age_filter = !q.age.empty();
  if (p.age_filter) p.age = Lookup(c.terms, c.by_term, q.age);
  p.format_filter = !q.format.empty();
  if (p.format_filter) p.format = Lookup(c.terms, c.by_term, q.format);
  p.require_opening = q.require_opening;
  p.fresh_set = snapshot.fresh_as_of() != detail::kNoTime && q.now >= snapshot.fresh_as_of();
  p.tele_allowed = q.mode != Mode::kInPerson;
  p.in_person_allowed = q.mode != Mode::kTelehealth;
  p.max_km = q.max_km;
  for (int32_t k = 0; k < std::max(1, q.sessions); ++k) {
    Session s;
    s.day = q.first_session + 7 * k;
    std::string_view where = q.jurisdiction;
    s.point = q.point ? &*q.point : nullptr;
    for (const Stop& stop : q.itinerary) {
      if (stop.from <= s.day && s.day <= stop.to) {
        where = stop.jurisdiction;
        s.point = stop.point ? &*stop.point : nullptr;
        break;
      }
    }
    s.jurisdiction_text = where;
    s.jurisdiction = c.jurisdictions.Find(where);
    s.psypact = IsPsypactMember(where);
    p.sessions.push_back(s);
  }
  p.payment_filter = !q.plan.empty() || q.budget_cents.has_value();
  p.insured =
      !q.plan.empty() || (q.insurance && q.insurance->plan_type != cov::PlanType::kUninsured);
  if (!q.plan.empty()) p.plan = Lookup(c.plans, c.by_plan, q.plan);
  if (q.insurance) p.facts = *q.insurance;
  p.budget = q.budget_cents.value_or(-1);
  for (const auto& code : q.prefer_tags) {
    if (const IdSet* set = Lookup(c.terms, c.by_term, code)) p.prefer.emplace_back(code, set);
  }
  if (!q.prefer_gender.empty()) p.prefer_gender = c.genders.Find(core::AsciiLower(q.prefer_gender));
  // JurisdictionCovers: a place is covered by itself and by its country ("US" covers
  // "US-NY"), so two lookups find every declared place that covers it.
  const std::string_view where = p.sessions.front().jurisdiction_text;
  for (const std::string_view declared :
       {where, where.substr(0, std::min(where.find('-'), where.size()))}) {
    if (!JurisdictionCovers(declared, where)) continue;
    const uint32_t j = c.jurisdictions.Find(declared);
    if (j == Interner::kNone) continue;
    if (!p.declared_covering.empty() && p.declared_covering.back() == &c.declared_in[j]) continue;
    p.declared_covering.push_back(&c.declared_in[j]);
  }
  if (p.payment_filter && p.budget >= 0) {
    // Off the plan's panel, the member pays at least the fee less aid (self-pay), or the
    // sliding minimum less aid, or out of network at least the balance bill: the fee less
    // the plan's allowed amount when one is known (the fee itself when not, or on an
    // HMO/EPO). Above that ceiling only free or in-network care can pass.
    int64_t allowed = 0;
    if (p.insured && p.facts.network != cov::Network::kHmo &&
        p.facts.network != cov::Network::kEpo && p.facts.oon_allowed_cents) {
      allowed = std::max<int64_t>(0, *p.facts.oon_allowed_cents);
    }
    const int64_t most_fee = p.budget + std::max<int64_t>(0, q.aid_per_session_cents) + allowed;
    const int64_t step = (most_fee + Columns::kFeeStepCents - 1) / Columns::kFeeStepCents - 1;
    if (step < Columns::kFeeSteps) p.fee_step = static_cast<int>(std::max<int64_t>(0, step));
  }
  const Weights& w = q.weights;
  auto most = [](int64_t weight) { return std::max<int64_t>(0, weight); };
  p.open_bound = (p.in_person_allowed ? most(w.distance) : 0) + most(w.cost) +
                 (p.sessions.size() > 1 ? most(w.coverage) : 0);
  p.untagged_bound = p.open_bound + (q.prefer_music_industry ? most(w.music_industry) : 0) +
                     (p.prefer_gender != Interner::kNone ? most(w.gender) : 0) +
                     most(w.earliest_opening);
  return p;
}

// ---- candidates: a superset of the providers that pass, from the id sets ----

struct Scratch {
  std::vector<uint64_t> words, any, part, spare;
};

void Reset(std::vector<uint64_t>& words, uint32_t n, bool ones) {
  words.assign((n + 63) / 64, ones ? ~uint64_t{0} : 0);
  if (ones && n % 64 != 0) words.back() = (uint64_t{1} << (n % 64)) - 1;
}

void AndWords(std::vector<uint64_t>& words, const std::vector<uint64_t>& other) {
  for (size_t w = 0; w < words.size(); ++w) words[w] &= other[w];
}

// words &= (the union of `sets`); an empty list leaves nobody.
template <typename List, typename Get>
void AndAnyOf(std::vector<uint64_t>& words, const List& sets, Get get, Scratch& s, uint32_t n) {
  if (sets.size() == 1) {
    get(sets[0])->AndInto(words, s.spare);
    return;
  }
  Reset(s.any, n, false);
  for (const auto& item : sets) get(item)->OrInto(s.any);
  AndWords(words, s.any);
}

// Offices in the cells a circle of `km` around `point` touches.
void OfficesNear(const Columns& c, const GeoPoint& point, double km, std::vector<uint64_t>& words) {
  const double dlat = km / 111.0 + 0.01;
  const double lat_lo = std::max(-90.0, point.latitude - dlat);
  const double lat_hi = std::min(90.0, point.latitude + dlat);
  const double widest = std::max(std::abs(lat_lo), std::abs(lat_hi));
  const double cos_lat = std::cos(std::min(widest, 89.0) * 3.14159265358979323846 / 180.0);
  const double dlon = km / (111.0 * cos_lat) + 0.01;
  constexpr int32_t kLonCells = static_cast<int32_t>(360 / Columns::kCellDegrees);
  auto cell = [](double degrees) {
    return static_cast<int32_t>(std::floor(degrees / Columns::kCellDegrees));
  };
  int32_t lon_first = cell(point.longitude - dlon);
  int32_t lon_last = cell(point.longitude + dlon);
  if (widest >= 89.0 || lon_last - lon_first + 1 >= kLonCells) {
    lon_first = -kLonCells / 2;
    lon_last = lon_first + kLonCells - 1;
  }
  for (int32_t la = cell(lat_lo); la <= cell(lat_hi); ++la) {
    for (int32_t lo = lon_first; lo <= lon_last; ++lo) {
      // Longitude wraps: cells are numbered -360..359 for -180°..180°.
      const int32_t wrapped =
          ((lo + kLonCells / 2) % kLonCells + kLonCells) % kLonCells - kLonCells / 2;
      auto it = c.cells.find(Columns::CellKey(la, wrapped));
      if (it == c.cells.end()) continue;
      for (uint32_t i : it->second) words[i >> 6] |= uint64_t{1} << (i & 63);
    }
  }
}

void Candidates(const Prepared& p, Scratch& s) {
  const Columns& c = *p.c;
  const uint32_t n = c.size;
  Reset(s.words, n, true);
  auto set_of = [](const auto& pair) { return pair.second; };
  auto self = [](const IdSet* set) { return set; };
  if (p.care_filter) AndAnyOf(s.words, p.care, set_of, s, n);
  if (p.language_filter) AndAnyOf(s.words, p.languages, set_of, s, n);
  if (p.age_filter) {
    if (p.age == nullptr) return Reset(s.words, n, false);
    p.age->AndInto(s.words, s.spare);
  }
  if (p.format_filter) {
    if (p.format == nullptr) return Reset(s.words, n, false);
    p.format->AndInto(s.words, s.spare);
  }
  if (p.require_opening) {
    (p.fresh_set ? c.fresh_openings : c.has_openings).AndInto(s.words, s.spare);
  }
  if (p.payment_filter && p.budget < 0) {
    // Only in network or free can pass: the plan's panel and the free providers.
    Small<const IdSet*> sets{&c.free};
    if (p.plan != nullptr) sets.push_back(p.plan);
    AndAnyOf(s.words, sets, self, s, n);
  } else if (p.fee_step >= 0) {
    Small<const IdSet*> sets{&c.free, &c.fee_at_most[p.fee_step]};
    if (p.q->sliding_scale) sets.push_back(&c.sliding_at_most[p.fee_step]);
    if (p.plan != nullptr) sets.push_back(p.plan);
    AndAnyOf(s.words, sets, self, s, n);
  }
  // Reach at the first session: telehealth by someone who may practise there, or an office
  // in range. Licences are checked exactly later; this only narrows.
  const Session& first = p.sessions.front();
  Reset(s.part, n, false);
  if (p.tele_allowed) {
    Reset(s.any, n, false);
    for (const IdSet* set : p.declared_covering) set->OrInto(s.any);
    if (first.jurisdiction != Interner::kNone) c.licensed_in[first.jurisdiction].OrInto(s.any);
    if (first.psypact) c.psypact.OrInto(s.any);
    c.telehealth.AndInto(s.any, s.spare);
    s.part.swap(s.any);
  }
  if (p.in_person_allowed && first.point != nullptr) OfficesNear(c, *first.point, p.max_km, s.part);
  AndWords(s.words, s.part);
}

// ---- the exact rules, per provider ----

// The licence that lets this provider see the member in `jurisdiction` on `day`: one issued
// there first, else (telehealth only) a PSYPACT licence when both states are members.
const LicenceRow* LicenceFor(const Columns& c, const Row& r, uint32_t jurisdiction,
                             bool psypact_member, Day day, bool telehealth) {
  const LicenceRow* begin = c.licences.data() + r.licences_begin;
  const LicenceRow* end = begin + r.licences_count;
  for (const LicenceRow* l = begin; l != end; ++l) {
    if (l->expires != detail::kNoDay && l->expires >= day && l->jurisdiction == jurisdiction) {
      return l;
    }
  }
  if (!telehealth || !psypact_member) return nullptr;
  for (const LicenceRow* l = begin; l != end; ++l) {
    if (l->expires != detail::kNoDay && l->expires >= day && l->psypact &&
        c.psypact_member[l->jurisdiction]) {
      return l;
    }
  }
  return nullptr;
}

bool NeedsLicence(const Prepared& p, const Row& r, uint32_t i) {
  if (r.licences_count > 0) return true;  // a licensed clinician practises under it
  if (!p.care_filter) return r.clinical;
  for (const IdSet* set : p.care_clinical) {
    if (set->Contains(i)) return true;
  }
  return false;
}

struct Reach {
  bool telehealth = false;
  bool in_person = false;
  double km = -1;  // the office's distance, when measured
  const LicenceRow* tele_licence = nullptr;
  const LicenceRow* office_licence = nullptr;
};

Reach ReachAt(const Prepared& p, const Row& r, uint32_t i, const Session& s, bool needs) {
  const Columns& c = *p.c;
  Reach reach;
  if (p.tele_allowed && r.telehealth) {
    if (needs) {
      reach.tele_licence = LicenceFor(c, r, s.jurisdiction, s.psypact, s.day, true);
      reach.telehealth = reach.tele_licence != nullptr;
    } else {
      const uint32_t* declared = c.telehealth_jurisdictions.data() + r.telehealth_begin;
      for (uint32_t k = 0; k < r.telehealth_count && !reach.telehealth; ++k) {
        reach.telehealth =
            JurisdictionCovers(c.jurisdictions.Name(declared[k]), s.jurisdiction_text);
      }
    }
  }
  // A degree of latitude is at least kKmPerDegree on DistanceKm's sphere: an office further
  // north or south than max_km allows is out without the trigonometry.
  if (p.in_person_allowed && r.in_person && s.point != nullptr &&
      std::abs(s.point->latitude - r.latitude) * kKmPerDegree <= p.max_km + 1e-6) {
    reach.km = DistanceKm(*s.point, GeoPoint{r.latitude, r.longitude});
    if (reach.km <= p.max_km) {
      if (!needs) {
        reach.in_person = true;
      } else {
        // In person, the session happens at the office: that is where the licence must be.
        const uint32_t where =
            r.office_jurisdiction != Interner::kNone ? r.office_jurisdiction : s.jurisdiction;
        reach.office_licence = LicenceFor(c, r, where, false, s.day, false);
        reach.in_person = reach.office_licence != nullptr;
      }
    }
  }
  return reach;
}

bool OpeningsFresh(const Prepared& p, const Row& r) {
  return r.openings > 0 && r.openings_confirmed_at != detail::kNoTime &&
         p.q->now - r.openings_confirmed_at <= p.window;
}

cov::ProviderRates RatesOf(const Row& r, bool in_network) {
  cov::ProviderRates rates;
  if (r.fee_cents != detail::kNoCents) rates.fee_cents = r.fee_cents;
  if (r.sliding_minimum_cents != detail::kNoCents)
    rates.sliding_minimum_cents = r.sliding_minimum_cents;
  rates.free = r.free;
  rates.in_network = in_network;
  return rates;
}

// What the member would pay per session, and on which terms: in network when the plan's
// panel has the provider; otherwise the cheaper of self-pay (sliding scale when they
// qualify) and out of network.
struct CostChoice {
  cov::SessionQuery query;
  cov::ProviderRates rates;
  cov::SessionCost cost;
  int64_t planning = -1;  // the figure budgets and ranking use; -1 unknown
};

int64_t PlanningCents(const cov::SessionCost& cost) {
  if (cost.fee_unknown) return -1;
  if (cost.basis == cov::Basis::kSlidingScale) return cost.after_aid_low_cents;
  return cost.high_unbounded ? -1 : cost.after_aid_high_cents;
}

CostChoice ChooseCost(const Prepared& p, const Row& r, uint32_t i) {
  const bool in_network = p.plan != nullptr && p.plan->Contains(i);
  CostChoice choice;
  choice.rates = RatesOf(r, in_network);
  choice.query.aid_per_session_cents = p.q->aid_per_session_cents;
  if (p.insured && in_network) {
    choice.query.insurance = &p.facts;
    choice.cost = cov::EstimateSession(choice.query, choice.rates);
    choice.planning = PlanningCents(choice.cost);
    return choice;
  }
  choice.query.use_sliding_scale = p.q->sliding_scale;
  choice.cost = cov::EstimateSession(choice.query, choice.rates);
  choice.planning = PlanningCents(choice.cost);
  if (p.insured && !r.free) {
    cov::SessionQuery oon = choice.query;
    oon.insurance = &p.facts;
    oon.use_sliding_scale = false;
    const cov::SessionCost cost = cov::EstimateSession(oon, choice.rates);
    const int64_t planning = PlanningCents(cost);
    if (planning >= 0 && (choice.planning < 0 || planning < choice.planning)) {
      choice.query = oon;
      choice.cost = cost;
      choice.planning = planning;
    }
  }
  return choice;
}

bool Payable(const Prepared& p, const CostChoice& choice) {
  if (!p.payment_filter) return true;
  if (choice.cost.basis == cov::Basis::kFree || choice.cost.basis == cov::Basis::kInNetwork) {
    return true;
  }
  return p.budget >= 0 && choice.planning >= 0 && choice.planning <= p.budget;
}

std::string_view BasisName(cov::Basis basis) {
  switch (basis) {
    case cov::Basis::kFree:
      return "free";
    case cov::Basis::kInNetwork:
      return "in_network";
    case cov::Basis::kOutOfNetwork:
      return "out_of_network";
    case cov::Basis::kSelfPay:
      return "self_pay";
    case cov::Basis::kSlidingScale:
      return "sliding_scale";
  }
  return "self_pay";
}

// "%.1f" (std::to_chars is specified to format as printf does, without printf's cost).
std::string Km(double km) {
  char out[32];
  const auto done = std::to_chars(out, out + sizeof out, km, std::chars_format::fixed, 1);
  return std::string(out, done.ptr);
}

// What judging a provider's hard constraints learned, kept for scoring and explaining it.
struct Verdict {
  bool needs = false;  // its care here needs a licence
  Reach first;         // how it reaches the first session
  std::optional<CostChoice> cost;
};

const CostChoice& CostOf(const Prepared& p, const Row& r, uint32_t i, Verdict& v) {
  if (!v.cost) v.cost = ChooseCost(p, r, i);
  return *v.cost;
}

// Payable(p, ChooseCost(...)) without estimating when the answer is plain: no payment
// filter, a free provider, or one on the member's (insured) plan's panel.
bool PaymentOk(const Prepared& p, const Row& r, uint32_t i, Verdict& v) {
  if (!p.payment_filter || r.free) return true;
  if (p.insured && p.facts.plan_type != cov::PlanType::kUninsured && p.plan != nullptr &&
      p.plan->Contains(i)) {
    return true;
  }
  return Payable(p, CostOf(p, r, i, v));
}

// Whether provider `i` passes every hard constraint for the first session, cheapest
// checks first.
bool Eligible(const Prepared& p, uint32_t i, Verdict& v) {
  const Row& r = p.c->rows[i];
  if (p.require_opening && !OpeningsFresh(p, r)) return false;
  v.needs = NeedsLicence(p, r, i);
  v.first = ReachAt(p, r, i, p.sessions.front(), v.needs);
  if (!v.first.telehealth && !v.first.in_person) return false;
  return PaymentOk(p, r, i, v);
}

// The points `i` earns from what a row alone says (tags, music, gender, earliest opening),
// plus the most the rest could add: never below Score's result, so a provider whose bound
// cannot enter the best `limit` is skipped unjudged.
int64_t UpperBound(const Prepared& p, uint32_t i) {
  const Row& r = p.c->rows[i];
  const Query& q = *p.q;
  const Weights& w = q.weights;
  int64_t points = p.open_bound;
  for (const auto& tag : p.prefer) {
    if (tag.second->Contains(i)) points += w.tag;
  }
  if (q.prefer_music_industry) points += MusicPoints(w.music_industry, r.music);
  if (p.prefer_gender != Interner::kNone && r.gender == p.prefer_gender) points += w.gender;
  points += EarliestPoints(w.earliest_opening, r.earliest_opening,
                           r.earliest_opening != detail::kNoDay, q.first_session);
  return points;
}

// The score of an eligible provider. With `explain`, also fills the match's reasons, cost
// and dates (only for the results shown, so the scan itself never allocates).
int64_t Score(const Prepared& p, uint32_t i, Verdict& v, Match* explain) {
  const Columns& c = *p.c;
  const Row& r = c.rows[i];
  const Query& q = *p.q;
  const Reach& first = v.first;
  const bool needs = v.needs;
  const CostChoice& choice = CostOf(p, r, i, v);
  int32_t covered = 1;
  for (size_t k = 1; k < p.sessions.size(); ++k) {
    const Reach later = ReachAt(p, r, i, p.sessions[k], needs);
    if (later.telehealth || later.in_person) ++covered;
  }
  const Weights& w = q.weights;
  int64_t points = 0;
  if (explain != nullptr) explain->preferences.reserve(p.prefer.size() + 6);
  // The display value is formatted only for results shown: the scan itself must not
  // allocate or format (snprintf was 15% of a query's time when it did).
  auto add = [&](std::string_view code, int64_t earned, auto value) {
    points += earned;
    if (explain != nullptr && earned > 0) {
      explain->preferences.push_back(Reason{code, value(), {}, earned});
    }
  };
  for (const auto& tag : p.prefer) {
    if (tag.second->Contains(i)) add("tag", w.tag, [&] { return std::string(tag.first); });
  }
  if (q.prefer_music_industry) {
    add("music_industry", MusicPoints(w.music_industry, r.music),
        [&] { return std::to_string(r.music); });
  }
  if (p.prefer_gender != Interner::kNone && r.gender == p.prefer_gender) {
    add("gender", w.gender, [&] { return q.prefer_gender; });
  }
  const bool earliest_known = r.earliest_opening != detail::kNoDay;
  add("earliest_opening",
      EarliestPoints(w.earliest_opening, r.earliest_opening, earliest_known, q.first_session),
      [&] { return DayString(r.earliest_opening); });
  if (first.in_person) {
    add("distance", DistancePoints(w.distance, first.km, p.max_km), [&] { return Km(first.km); });
  }
  add("cost", CostPoints(w.cost, choice.planning, p.budget >= 0 ? p.budget : kReferenceCostCents),
      [&] { return std::to_string(choice.planning); });
  if (p.sessions.size() > 1) {
    add("coverage", CoveragePoints(w.coverage, covered, static_cast<int32_t>(p.sessions.size())),
        [&] { return std::to_string(covered) + "/" + std::to_string(p.sessions.size()); });
  }
  if (explain == nullptr) return points;

  // ---- the explanation of a result shown ----
  Match& m = *explain;
  m.index = i;
  m.id = c.ids[i];
  m.name = c.names[i];
  m.organization_id = c.organization_ids[i];
  m.score = points;
  auto met = [&](std::string_view code, std::string value, std::string detail = {}) {
    m.met.push_back(Reason{code, std::move(value), std::move(detail), 0});
  };
  m.met.reserve(10);  // more than any result meets: one allocation
  m.dates.reserve(p.sessions.size());
  for (const auto& [code, set] : p.care) {
    if (set->Contains(i)) met("care_type", std::string(code));
  }
  const Session& s0 = p.sessions.front();
  if (first.in_person) {
    met("in_person", Km(first.km));
    m.distance_km = first.km;
  }
  if (first.telehealth) met("telehealth", std::string(s0.jurisdiction_text));
  m.telehealth = !first.in_person;
  if (!needs) {
    met("no_licence_needed", "");
  } else {
    const LicenceRow* l = first.in_person ? first.office_licence : first.tele_licence;
    if (l != nullptr && l->jurisdiction == s0.jurisdiction) {
      met("licence", std::string(s0.jurisdiction_text), DayString(l->expires));
    } else if (l != nullptr && first.in_person) {
      met("licence", c.jurisdictions.Name(l->jurisdiction), DayString(l->expires));
    } else if (l != nullptr) {
      met("licence_psypact", std::string(s0.jurisdiction_text),
          c.jurisdictions.Name(l->jurisdiction));
    }
  }
  for (const auto& [code, set] : p.languages) {
    if (set->Contains(i)) met("language", std::string(code));
  }
  if (p.age_filter) met("age", q.age);
  if (p.format_filter) met("format", q.format);
  if (OpeningsFresh(p, r)) {
    met("opening", std::to_string(r.openings), DayString(DayOf(r.openings_confirmed_at)));
  }
  m.cost = cov::ExplainSession(choice.query, choice.rates);
  m.cost_basis = std::string(BasisName(choice.cost.basis));
  if (choice.cost.basis == cov::Basis::kInNetwork) {
    met("in_network", q.plan);
  } else {
    met(BasisName(choice.cost.basis), choice.planning >= 0 ? std::to_string(choice.planning) : "");
  }
  if (p.budget >= 0 && choice.planning >= 0 && choice.planning <= p.budget) {
    met("within_budget", std::to_string(p.budget));
  }
  for (size_t k = 0; k < p.sessions.size(); ++k) {
    const Session& s = p.sessions[k];
    bool ok = true;
    if (k > 0) {
      const Reach later = ReachAt(p, r, i, s, needs);
      ok = later.telehealth || later.in_person;
    }
    m.dates.push_back(SessionDate{s.day, std::string(s.jurisdiction_text), ok});
  }
  return points;
}

// Ranking order: higher score first, then lower position (= lower id).
struct Ranked {
  int64_t score;
  uint32_t index;
  uint32_t slot = 0;  // where Best keeps this provider's verdict
};
struct Better {
  bool operator()(const Ranked& a, const Ranked& b) const {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  }
};

// The best `limit` providers seen so far, with the verdicts that judged them: a heap whose top
// is the worst of them. The verdicts are kept so that explaining a result shown does not
// judge it and estimate its cost a second time.
class Best {
 public:
  explicit Best(size_t limit) : limit_(limit) {
    verdicts_.resize(limit + 1);  // the `limit` held, and one being offered
    free_.reserve(limit + 1);
    for (size_t k = limit + 1; k-- > 0;) free_.push_back(static_cast<uint32_t>(k));
  }
  bool full() const { return heap_.size() >= limit_; }
  // Whether a provider at position `i` scoring at most `bound` could still enter.
  bool CouldEnter(int64_t bound, uint32_t i) const {
    return !full() || Better{}(Ranked{bound, i}, heap_.top());
  }
  void Offer(int64_t score, uint32_t index, const Verdict& verdict) {
    Ranked r{score, index};
    if (full()) {
      if (!Better{}(r, heap_.top())) return;
      free_.push_back(heap_.top().slot);
      heap_.pop();
    }
    r.slot = free_.back();
    free_.pop_back();
    verdicts_[r.slot] = verdict;
    heap_.push(r);
  }
  struct Entry {
    Ranked ranked;
    Verdict verdict;
  };
  // Best first; empties the heap.
  std::vector<Entry> Take() {
    std::vector<Entry> order;
    order.reserve(heap_.size());
    while (!heap_.empty()) {
      order.push_back(Entry{heap_.top(), verdicts_[heap_.top().slot]});
      heap_.pop();
    }
    std::reverse(order.begin(), order.end());
    return order;
  }

 private:
  size_t limit_;
  std::priority_queue<Ranked, std::vector<Ranked>, Better> heap_;
  std::vector<Verdict> verdicts_;
  std::vector<uint32_t> free_;
};

// Calls each(i) for every set bit, in position order, while it returns true.
template <typename Each>
void ForEachBit(const std::vector<uint64_t>& words, Each each) {
  for (size_t w = 0; w < words.size(); ++w) {
    uint64_t bits = words[w];
    while (bits != 0) {
      if (!each(static_cast<uint32_t>(w * 64 + std::countr_zero(bits)))) return;
      bits &= bits - 1;
    }
  }
}

// The top of the ranking and the eligible count (exact below `cap`, then "at least cap").
// Candidates holding a preferred tag go first, so the best fill up early; once the count
// has reached `cap`, a candidate whose UpperBound cannot enter the best is skipped without
// being judged, and the tag-less tier as a whole when its bound cannot.
int64_t Rank(const Prepared& p, Scratch& s, int64_t cap, Best& best) {
  Candidates(p, s);
  int64_t eligible = 0;
  const int64_t distance_most =
      p.in_person_allowed ? std::max<int64_t>(0, p.q->weights.distance) : 0;
  auto visit = [&](uint32_t i) {
    const bool counting = eligible < cap;
    const bool full = best.full();
    const int64_t bound = full ? UpperBound(p, i) : 0;
    if (!counting && full && !best.CouldEnter(bound, i)) return true;
    Verdict v;
    if (!Eligible(p, i, v)) return true;
    if (counting) ++eligible;
    if (full) {
      // Judged, the distance is known: the bound tightens before the cost is estimated.
      const int64_t distance =
          v.first.in_person ? DistancePoints(p.q->weights.distance, v.first.km, p.max_km) : 0;
      if (!best.CouldEnter(bound - distance_most + distance, i)) return true;
    }
    best.Offer(Score(p, i, v, nullptr), i, v);
    return true;
  };
  if (p.prefer.empty()) {
    ForEachBit(s.words, visit);
    return eligible;
  }
  const uint32_t n = p.c->size;
  Reset(s.any, n, false);
  for (const auto& tag : p.prefer) tag.second->OrInto(s.any);
  s.part.resize(s.words.size());
  for (size_t w = 0; w < s.words.size(); ++w) {
    s.part[w] = s.words[w] & s.any[w];
    s.words[w] &= ~s.any[w];
  }
  ForEachBit(s.part, visit);
  if (eligible >= cap && !best.CouldEnter(p.untagged_bound, 0)) return eligible;
  ForEachBit(s.words, visit);
  return eligible;
}

// How many pass the query `p` was prepared from, counted up to `cap`.
int64_t CountUpTo(const Prepared& p, Scratch& s, int64_t cap) {
  Candidates(p, s);
  int64_t count = 0;
  ForEachBit(s.words, [&](uint32_t i) {
    Verdict v;
    if (Eligible(p, i, v)) ++count;
    return count < cap;
  });
  return count;
}

// One single relaxation of a query: which constraint, and what relaxing it means.
enum class Relax { kLanguage, kPayment, kDistance, kMode, kOpening, kAge, kFormat, kCareType };
struct Offer {
  Relax kind;
  std::string_view constraint;
  std::string_view change;
};

// The relaxations a query offers: one per constraint it has that may give way.
Small<Offer> Offers(const Query& query) {
  Small<Offer> offers;
  if (!query.languages.empty()) offers.push_back({Relax::kLanguage, "language", "any"});
  if (!query.plan.empty() || query.budget_cents) {
    offers.push_back({Relax::kPayment, "payment", "any"});
  }
  if (query.mode != Mode::kTelehealth && (query.point || !query.itinerary.empty()) &&
      query.max_km < kMaxKm) {
    offers.push_back({Relax::kDistance, "distance", "double"});
  }
  if (query.mode == Mode::kInPerson) {
    offers.push_back({Relax::kMode, "mode", "telehealth"});
  } else if (query.mode == Mode::kTelehealth && query.point) {
    offers.push_back({Relax::kMode, "mode", "in_person"});
  }
  if (query.require_opening) offers.push_back({Relax::kOpening, "opening", "waitlist"});
  if (!query.age.empty()) offers.push_back({Relax::kAge, "age", "any"});
  if (!query.format.empty()) offers.push_back({Relax::kFormat, "format", "any"});
  if (!query.care_types.empty()) offers.push_back({Relax::kCareType, "care_type", "any"});
  return offers;
}

// What Prepare would make of the query with only `kind` relaxed, derived from the query's
// own preparation (a copy of the query and a second Prepare cost more than the count did).
// The fields set here are every field Prepare derives from what the relaxation changes; the
// oracle test counts each relaxation as its own query and must agree.
Prepared Relaxed(const Prepared& p, Relax kind) {
  Prepared r = p;
  const Query& q = *p.q;
  switch (kind) {
    case Relax::kLanguage:  // languages cleared
      r.language_filter = false;
      r.languages.clear();
      break;
    case Relax::kPayment:  // plan and budget cleared
      r.payment_filter = false;
      r.plan = nullptr;
      r.insured = q.insurance && q.insurance->plan_type != cov::PlanType::kUninsured;
      r.budget = -1;
      r.fee_step = -1;
      break;
    case Relax::kDistance:  // max_km doubled, up to the most a query may ask
      r.max_km = std::min(kMaxKm, q.max_km * 2);
      break;
    case Relax::kMode:  // either mode
      r.tele_allowed = true;
      r.in_person_allowed = true;
      break;
    case Relax::kOpening:  // a waitlist will do
      r.require_opening = false;
      break;
    case Relax::kAge:
      r.age_filter = false;
      r.age = nullptr;
      break;
    case Relax::kFormat:
      r.format_filter = false;
      r.format = nullptr;
      break;
    case Relax::kCareType:  // any care
      r.care_filter = false;
      r.care.clear();
      r.care_clinical.clear();
      break;
  }
  return r;
}

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

core::FieldError Field(std::string field, std::string code, std::string message) {
  return core::FieldError{std::move(field), std::move(code), std::move(message)};
}

}  // namespace

core::Status ValidateQuery(const Query& q) {
  std::vector<core::FieldError> fields;
  if (q.jurisdiction.empty()) {
    fields.push_back(
        Field("/location/jurisdiction", "required", "Say where the member is (e.g. US-NY)."));
  }
  if (q.sessions < 1 || q.sessions > kMaxSessions) {
    fields.push_back(Field("/sessions", "out_of_range", "Sessions must be between 1 and 52."));
  }
  if (q.limit < 1 || q.limit > kMaxLimit) {
    fields.push_back(Field("/limit", "out_of_range", "Limit must be between 1 and 100."));
  }
  if (!(q.max_km > 0 && q.max_km <= kMaxKm)) {
    fields.push_back(
        Field("/max_km", "out_of_range", "Distance must be above 0 and at most 500 km."));
  }
  for (size_t k = 0; k < q.itinerary.size(); ++k) {
    const Stop& stop = q.itinerary[k];
    const std::string at = "/itinerary/" + std::to_string(k);
    if (stop.to < stop.from) {
      fields.push_back(Field(at + "/to", "out_of_range", "A stop cannot end before it starts."));
    }
    if (stop.jurisdiction.empty()) {
      fields.push_back(Field(at + "/jurisdiction", "required", "Say where this stop is."));
    }
  }
  if (q.budget_cents && *q.budget_cents < 0) {
    fields.push_back(Field("/budget_cents", "out_of_range", "A budget cannot be negative."));
  }
  if (q.aid_per_session_cents < 0) {
    fields.push_back(Field("/aid_per_session_cents", "out_of_range", "Aid cannot be negative."));
  }
  if (q.mode == Mode::kInPerson) {
    // The first session must have a place to measure offices from: the tour stop it falls
    // in, or home. (Later dates without one are flagged as uncovered, not refused.)
    bool point = q.point.has_value();
    std::string field = "/location/latitude";
    for (size_t k = 0; k < q.itinerary.size(); ++k) {
      const Stop& stop = q.itinerary[k];
      if (stop.from <= q.first_session && q.first_session <= stop.to) {
        point = stop.point.has_value();
        field = "/itinerary/" + std::to_string(k) + "/latitude";
        break;
      }
    }
    if (!point) {
      fields.push_back(Field(field, "required", "In person needs a place to measure from."));
    }
  }
  if (!fields.empty()) return core::Error::Unprocessable("invalid match query", std::move(fields));
  return core::Ok();
}

core::Result<MatchAnswer> FindMatches(const Snapshot& snapshot, const Query& query) {
  SC_RETURN_IF_ERROR(ValidateQuery(query));
  Scratch& scratch = ThreadScratch();
  const Prepared p = Prepare(snapshot, query);
  MatchAnswer answer;
  answer.snapshot_version = snapshot.version();
  answer.keeps = snapshot.shared_from_this();
  // Never below `limit`: whether relaxations are offered depends on the count reaching it.
  const int64_t cap = std::max<int64_t>(query.limit, query.eligible_count_cap);
  Best best(static_cast<size_t>(query.limit));
  answer.eligible = Rank(p, scratch, cap, best);
  answer.eligible_at_least = answer.eligible >= cap;
  auto ranked = best.Take();
  answer.matches.resize(ranked.size());
  for (size_t k = 0; k < ranked.size(); ++k) {
    // Judged and costed by the scan already: Score only explains.
    Score(p, ranked[k].ranked.index, ranked[k].verdict, &answer.matches[k]);
  }

  if (answer.eligible >= query.limit || !query.relaxations) return answer;
  // Too few: how many each single relaxation would give (never the licence), each counted
  // as its own query up to the cap.
  const int64_t relax_cap = std::max<int64_t>(1, query.relaxation_count_cap);
  for (const Offer& offer : Offers(query)) {
    const int64_t count = CountUpTo(Relaxed(p, offer.kind), scratch, relax_cap);
    answer.relaxations.push_back(Relaxation{std::string(offer.constraint),
                                            std::string(offer.change), count, count >= relax_cap});
  }
  std::stable_sort(answer.relaxations.begin(), answer.relaxations.end(),
                   [](const Relaxation& a, const Relaxation& b) { return a.results > b.results; });
  return answer;
}

}  // namespace soundcheck::matching
