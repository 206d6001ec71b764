#include "matching/snapshot.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/ascii.h"
#include "matching/rules.h"

namespace soundcheck::matching {
namespace detail {

IdSet IdSet::From(std::vector<uint32_t> sorted, uint32_t universe) {
  IdSet set;
  set.count_ = sorted.size();
  // A bitset costs universe/8 bytes, positions 4 bytes each: dense when that is smaller.
  if (set.count_ * 32 >= universe && universe > 0) {
    set.dense_ = true;
    set.bits_.assign((universe + 63) / 64, 0);
    for (uint32_t i : sorted) set.bits_[i >> 6] |= uint64_t{1} << (i & 63);
  } else {
    sorted.shrink_to_fit();
    set.ids_ = std::move(sorted);
  }
  return set;
}

void IdSet::OrInto(std::vector<uint64_t>& words) const {
  if (dense_) {
    for (size_t w = 0; w < bits_.size(); ++w) words[w] |= bits_[w];
  } else {
    for (uint32_t i : ids_) words[i >> 6] |= uint64_t{1} << (i & 63);
  }
}

void IdSet::AndInto(std::vector<uint64_t>& words, std::vector<uint64_t>& scratch) const {
  if (dense_) {
    for (size_t w = 0; w < bits_.size(); ++w) words[w] &= bits_[w];
    return;
  }
  // Few members: keep only their bits, without a pass per member over the whole set.
  scratch.assign(words.size(), 0);
  for (uint32_t i : ids_) {
    const uint64_t bit = uint64_t{1} << (i & 63);
    scratch[i >> 6] |= words[i >> 6] & bit;
  }
  words.swap(scratch);
}

bool IdSet::Search(uint32_t i) const { return std::binary_search(ids_.begin(), ids_.end(), i); }

IdSet IdSet::Remapped(const std::vector<uint32_t>& renumber, const std::vector<uint32_t>& added,
                      uint32_t universe) const {
  // The members stay ascending once renumbered (the map is increasing), so one merge with
  // `added` gives IdSet::From its sorted input without a sort.
  std::vector<uint32_t> out;
  out.reserve(count_ + added.size());
  auto next_added = added.begin();
  auto keep = [&](uint32_t i) {
    const uint32_t to = renumber[i];
    if (to == kDropped) return;
    while (next_added != added.end() && *next_added < to) out.push_back(*next_added++);
    out.push_back(to);
  };
  if (dense_) {
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        keep(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(word))));
      }
    }
  } else {
    for (uint32_t i : ids_) keep(i);
  }
  out.insert(out.end(), next_added, added.end());
  return From(std::move(out), universe);
}

}  // namespace detail

namespace {

using detail::Columns;
using detail::IdSet;

int32_t Cell(double degrees) {
  return static_cast<int32_t>(std::floor(degrees / Columns::kCellDegrees));
}

constexpr uint32_t kDropped = UINT32_MAX;

// Positions per value id, in the order added (renumbered and sorted by Sets).
struct Postings {
  std::vector<std::vector<uint32_t>> lists;
  void Add(uint32_t value, uint32_t position) {
    if (value >= lists.size()) lists.resize(value + 1);
    auto& list = lists[value];
    if (list.empty() || list.back() != position) list.push_back(position);
  }
  std::vector<IdSet> Sets(size_t values, const std::vector<uint32_t>& renumber, uint32_t universe) {
    lists.resize(std::max(lists.size(), values));
    std::vector<IdSet> sets;
    sets.reserve(lists.size());
    for (auto& list : lists) sets.push_back(Renumbered(list, renumber, universe));
    lists.clear();
    return sets;
  }
  static IdSet Renumbered(std::vector<uint32_t>& list, const std::vector<uint32_t>& renumber,
                          uint32_t universe) {
    std::vector<uint32_t> out;
    out.reserve(list.size());
    for (uint32_t i : list) {
      if (renumber[i] != kDropped) out.push_back(renumber[i]);
    }
    std::vector<uint32_t>().swap(list);
    std::sort(out.begin(), out.end());
    return IdSet::From(std::move(out), universe);
  }
};

// The positions of `ids` in id order; of equal ids only the last added.
std::vector<uint32_t> LastOfEachIdInOrder(const detail::StringColumn& ids, uint32_t added) {
  std::vector<uint32_t> order(added);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
  std::vector<uint32_t> kept;
  kept.reserve(added);
  for (uint32_t k = 0; k < added; ++k) {
    if (k + 1 < added && ids[order[k]] == ids[order[k + 1]]) continue;
    kept.push_back(order[k]);
  }
  return kept;
}

// Appends listing `i` of `from` to `to`: its row, strings, licences and declared places.
// Interner ids are kept as they are, so `to`'s interners must be `from`'s or extend them.
void AppendRow(Columns& to, const Columns& from, uint32_t i) {
  detail::Row row = from.rows[i];
  to.ids.Add(from.ids[i]);
  to.names.Add(from.names[i]);
  to.organization_ids.Add(from.organization_ids[i]);
  const auto licences_begin = static_cast<uint32_t>(to.licences.size());
  to.licences.insert(to.licences.end(), from.licences.begin() + row.licences_begin,
                     from.licences.begin() + row.licences_begin + row.licences_count);
  row.licences_begin = licences_begin;
  const auto telehealth_begin = static_cast<uint32_t>(to.telehealth_jurisdictions.size());
  to.telehealth_jurisdictions.insert(
      to.telehealth_jurisdictions.end(),
      from.telehealth_jurisdictions.begin() + row.telehealth_begin,
      from.telehealth_jurisdictions.begin() + row.telehealth_begin + row.telehealth_count);
  row.telehealth_begin = telehealth_begin;
  to.rows.push_back(row);
}

int64_t CellOf(const detail::Row& row) {
  return Columns::CellKey(Cell(row.latitude), Cell(row.longitude));
}

// The sets derived from a finished row (declared telehealth places of the unlicensed, fee
// ceilings) get position `i` of `c`; call in ascending order of positions.
struct DerivedPostings {
  Postings declared, fee, sliding;
  void Add(const Columns& c, uint32_t i) {
    const detail::Row& row = c.rows[i];
    if (row.licences_count == 0) {
      for (uint32_t k = 0; k < row.telehealth_count; ++k) {
        declared.Add(c.telehealth_jurisdictions[row.telehealth_begin + k], i);
      }
    }
    for (int k = 0; k < Columns::kFeeSteps; ++k) {
      const int64_t ceiling = (k + 1) * Columns::kFeeStepCents;
      if (row.fee_cents != detail::kNoCents && row.fee_cents <= ceiling) fee.Add(k, i);
      if (row.sliding_minimum_cents != detail::kNoCents && row.sliding_minimum_cents <= ceiling) {
        sliding.Add(k, i);
      }
    }
  }
};

// `list` (positions as added) as positions after the patch (`to`; nullptr: already are),
// ascending, without the ones left out.
std::vector<uint32_t> Mapped(const std::vector<uint32_t>& list, const std::vector<uint32_t>* to) {
  std::vector<uint32_t> out;
  out.reserve(list.size());
  for (uint32_t i : list) {
    const uint32_t at = to ? (*to)[i] : i;
    if (at != kDropped) out.push_back(at);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The base's sets for `values` values (new values have none in the base) with every member
// renumbered and the put listings' memberships (`postings`, mapped through `to`) joined.
std::vector<IdSet> Patched(const std::vector<IdSet>& base, Postings& postings, size_t values,
                           const std::vector<uint32_t>& renumber, const std::vector<uint32_t>* to,
                           uint32_t universe) {
  postings.lists.resize(std::max(postings.lists.size(), values));
  std::vector<IdSet> sets;
  sets.reserve(postings.lists.size());
  for (size_t v = 0; v < postings.lists.size(); ++v) {
    std::vector<uint32_t> added = Mapped(postings.lists[v], to);
    sets.push_back(v < base.size() ? base[v].Remapped(renumber, added, universe)
                                   : IdSet::From(std::move(added), universe));
  }
  return sets;
}

}  // namespace

// What the builder keeps per provider, in the order added.
struct SnapshotBuilder::State {
  Columns raw;  // rows, strings and interners, unsorted
  Postings terms, languages, plans, licensed;
  std::vector<uint32_t> psypact, unlicensed, telehealth, has_openings, free;
  // Seeded builders: the snapshot patched, and the ids to leave out of it.
  const Snapshot* base = nullptr;
  std::vector<std::string> removed;
};

SnapshotBuilder::SnapshotBuilder() : state_(std::make_unique<State>()) {
  state_->raw.genders.Add("");
}

SnapshotBuilder::SnapshotBuilder(const Snapshot& base) : state_(std::make_unique<State>()) {
  // The base's interners, extended by what is added: the base's rows and sets keep their
  // value ids (a value nobody holds any more keeps its id and an empty set).
  const Columns& b = base.columns_;
  state_->base = &base;
  state_->raw.terms = b.terms;
  state_->raw.languages = b.languages;
  state_->raw.plans = b.plans;
  state_->raw.jurisdictions = b.jurisdictions;
  state_->raw.genders = b.genders;
}

void SnapshotBuilder::Remove(std::string_view id) {
  if (state_->base != nullptr) state_->removed.emplace_back(id);
}
SnapshotBuilder::~SnapshotBuilder() = default;

size_t SnapshotBuilder::added() const { return state_->raw.rows.size(); }

void SnapshotBuilder::Add(const Provider& p) {
  State& s = *state_;
  Columns& c = s.raw;
  const auto i = static_cast<uint32_t>(c.rows.size());
  detail::Row& row = c.rows.emplace_back();
  c.ids.Add(p.id);
  c.names.Add(p.name);
  c.organization_ids.Add(p.organization_id);
  for (const auto& code : p.care_types) {
    s.terms.Add(c.terms.Add(code), i);
    if (NeedsLicence(code)) row.clinical = true;
  }
  bool in_person = false;
  for (const auto& code : p.tags) {
    s.terms.Add(c.terms.Add(code), i);
    if (code == "format:telehealth") row.telehealth = true;
    if (code == "format:in-person") in_person = true;
    if (code == "music_industry:treated-industry-clients") row.music |= 4;
    if (code == "music_industry:worked-in-music") row.music |= 2;
    if (code == "music_industry:completed-clinical-workshop") row.music |= 1;
  }
  for (const auto& language : p.languages) {
    s.languages.Add(c.languages.Add(core::AsciiLower(language)), i);
  }
  row.licences_begin = static_cast<uint32_t>(c.licences.size());
  bool any_psypact = false;
  const size_t licences = std::min<size_t>(p.licences.size(), 0xffff);
  for (size_t k = 0; k < licences; ++k) {
    const Licence& l = p.licences[k];
    detail::LicenceRow lr;
    lr.jurisdiction = c.jurisdictions.Add(l.jurisdiction);
    lr.expires = l.expires.value_or(detail::kNoDay);
    lr.psypact = std::find(l.compacts.begin(), l.compacts.end(), "PSYPACT") != l.compacts.end();
    any_psypact = any_psypact || lr.psypact;
    s.licensed.Add(lr.jurisdiction, i);
    c.licences.push_back(lr);
  }
  row.licences_count = static_cast<uint16_t>(licences);
  if (licences == 0) s.unlicensed.push_back(i);
  if (any_psypact) s.psypact.push_back(i);
  row.telehealth_begin = static_cast<uint32_t>(c.telehealth_jurisdictions.size());
  const size_t declared = std::min<size_t>(p.telehealth_jurisdictions.size(), 0xffff);
  for (size_t k = 0; k < declared; ++k) {
    c.telehealth_jurisdictions.push_back(c.jurisdictions.Add(p.telehealth_jurisdictions[k]));
  }
  row.telehealth_count = static_cast<uint16_t>(declared);
  if (row.telehealth) s.telehealth.push_back(i);
  if (p.office) {
    row.has_office = true;
    row.latitude = p.office->latitude;
    row.longitude = p.office->longitude;
    if (!p.office_jurisdiction.empty()) {
      row.office_jurisdiction = c.jurisdictions.Add(p.office_jurisdiction);
    }
  }
  row.in_person = in_person && row.has_office;
  for (const auto& plan : p.plans) s.plans.Add(c.plans.Add(plan), i);
  row.fee_cents = p.fee_cents.value_or(detail::kNoCents);
  row.sliding_minimum_cents = p.sliding_minimum_cents.value_or(detail::kNoCents);
  row.free = p.free;
  if (p.free) s.free.push_back(i);
  row.openings = static_cast<int32_t>(std::clamp<int64_t>(p.openings, 0, INT32_MAX));
  if (row.openings > 0) s.has_openings.push_back(i);
  row.openings_confirmed_at = p.openings_confirmed_at.value_or(detail::kNoTime);
  row.earliest_opening = p.earliest_opening.value_or(detail::kNoDay);
  row.gender = p.gender.empty() ? 0 : c.genders.Add(core::AsciiLower(p.gender));
}

namespace {

// The providers with openings confirmed within the window before `options.fresh_as_of`
// (Columns::fresh_openings), from the rows: recomputed whole at every build and patch, so it
// is as of the snapshot's own time.
IdSet FreshOpenings(const Columns& c, const SnapshotOptions& options) {
  std::vector<uint32_t> fresh;
  if (options.fresh_as_of != detail::kNoTime) {
    const int64_t since = options.fresh_as_of - options.openings_window_seconds;
    for (uint32_t i = 0; i < c.size; ++i) {
      const detail::Row& r = c.rows[i];
      if (r.openings > 0 && r.openings_confirmed_at != detail::kNoTime &&
          r.openings_confirmed_at >= since) {
        fresh.push_back(i);
      }
    }
  }
  return IdSet::From(std::move(fresh), c.size);
}

}  // namespace

std::shared_ptr<const Snapshot> SnapshotBuilder::Finish(const SnapshotOptions& options) {
  if (state_->base != nullptr) return FinishPatch(options);
  State& s = *state_;
  Columns& raw = s.raw;
  const auto added = static_cast<uint32_t>(raw.rows.size());

  // Sort positions by id; of equal ids the last added wins.
  const std::vector<uint32_t> kept = LastOfEachIdInOrder(raw.ids, added);
  std::vector<uint32_t> renumber(added, kDropped);
  for (uint32_t k = 0; k < kept.size(); ++k) renumber[kept[k]] = k;
  const auto n = static_cast<uint32_t>(kept.size());

  auto snapshot = std::shared_ptr<Snapshot>(new Snapshot());
  snapshot->options_ = options;
  Columns& c = snapshot->columns_;
  c.size = n;
  c.rows.reserve(n);
  for (uint32_t from : kept) {
    AppendRow(c, raw, from);
    if (c.rows.back().has_office) {
      c.cells[CellOf(c.rows.back())].push_back(static_cast<uint32_t>(c.rows.size() - 1));
    }
  }
  c.terms = std::move(raw.terms);
  c.languages = std::move(raw.languages);
  c.plans = std::move(raw.plans);
  c.jurisdictions = std::move(raw.jurisdictions);
  c.genders = std::move(raw.genders);
  c.by_term = s.terms.Sets(c.terms.size(), renumber, n);
  c.by_language = s.languages.Sets(c.languages.size(), renumber, n);
  c.by_plan = s.plans.Sets(c.plans.size(), renumber, n);
  c.licensed_in = s.licensed.Sets(c.jurisdictions.size(), renumber, n);
  c.psypact_member.resize(c.jurisdictions.size());
  for (uint32_t j = 0; j < c.jurisdictions.size(); ++j) {
    c.psypact_member[j] = IsPsypactMember(c.jurisdictions.Name(j));
  }
  {
    DerivedPostings derived;
    for (uint32_t i = 0; i < n; ++i) derived.Add(c, i);
    std::vector<uint32_t> same(n);
    std::iota(same.begin(), same.end(), 0);
    c.declared_in = derived.declared.Sets(c.jurisdictions.size(), same, n);
    c.fee_at_most = derived.fee.Sets(Columns::kFeeSteps, same, n);
    c.sliding_at_most = derived.sliding.Sets(Columns::kFeeSteps, same, n);
  }
  c.psypact = Postings::Renumbered(s.psypact, renumber, n);
  c.unlicensed = Postings::Renumbered(s.unlicensed, renumber, n);
  c.telehealth = Postings::Renumbered(s.telehealth, renumber, n);
  c.has_openings = Postings::Renumbered(s.has_openings, renumber, n);
  c.fresh_openings = FreshOpenings(c, options);
  c.free = Postings::Renumbered(s.free, renumber, n);
  c.ids.Shrink();
  c.names.Shrink();
  c.organization_ids.Shrink();
  c.licences.shrink_to_fit();
  c.telehealth_jurisdictions.shrink_to_fit();
  for (auto& [key, list] : c.cells) list.shrink_to_fit();
  state_ = std::make_unique<State>();
  state_->raw.genders.Add("");
  return snapshot;
}

std::shared_ptr<const Snapshot> SnapshotBuilder::FinishPatch(const SnapshotOptions& options) {
  State& s = *state_;
  const Columns& b = s.base->columns_;
  Columns& raw = s.raw;
  const auto added = static_cast<uint32_t>(raw.rows.size());
  const uint32_t n_base = b.size;

  // The put listings in id order, each with where it goes among the base's: before the
  // first base listing whose id is not smaller. A base listing with the same id is replaced.
  const std::vector<uint32_t> puts = LastOfEachIdInOrder(raw.ids, added);
  std::vector<uint32_t> dropped;
  std::vector<uint32_t> insert_at(puts.size());
  for (size_t k = 0; k < puts.size(); ++k) {
    const std::string_view id = raw.ids[puts[k]];
    uint32_t lo = k == 0 ? 0 : insert_at[k - 1], hi = n_base;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      if (b.ids[mid] < id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    insert_at[k] = lo;
    if (lo < n_base && b.ids[lo] == id) dropped.push_back(lo);
  }
  for (const auto& id : s.removed) {
    if (auto i = s.base->Find(id)) dropped.push_back(*i);
  }
  std::sort(dropped.begin(), dropped.end());
  dropped.erase(std::unique(dropped.begin(), dropped.end()), dropped.end());
  const auto n = static_cast<uint32_t>(n_base - dropped.size() + puts.size());

  // Old to new positions. The base listings kept stay in order, so the map is increasing and
  // every set can be renumbered in one pass without a sort.
  std::vector<uint32_t> renumber(n_base, kDropped);
  std::vector<uint32_t> put_at(added, kDropped);  // added index to new position
  auto snapshot = std::shared_ptr<Snapshot>(new Snapshot());
  snapshot->options_ = options;
  Columns& c = snapshot->columns_;
  c.size = n;
  c.rows.reserve(n);
  c.licences.reserve(b.licences.size() + raw.licences.size());
  c.telehealth_jurisdictions.reserve(b.telehealth_jurisdictions.size() +
                                     raw.telehealth_jurisdictions.size());
  std::vector<uint32_t> put_positions;  // ascending
  put_positions.reserve(puts.size());
  {
    size_t k = 0, d = 0;
    auto put = [&]() {
      put_at[puts[k]] = static_cast<uint32_t>(c.rows.size());
      put_positions.push_back(static_cast<uint32_t>(c.rows.size()));
      AppendRow(c, raw, puts[k]);
      ++k;
    };
    for (uint32_t i = 0; i < n_base; ++i) {
      while (k < puts.size() && insert_at[k] <= i) put();
      if (d < dropped.size() && dropped[d] == i) {
        ++d;
        continue;
      }
      renumber[i] = static_cast<uint32_t>(c.rows.size());
      AppendRow(c, b, i);
    }
    while (k < puts.size()) put();
  }

  // Offices: each base cell's list renumbered (a cell left empty goes), then the put
  // listings' offices joined; lists stay ascending.
  for (const auto& [key, list] : b.cells) {
    std::vector<uint32_t> kept;
    kept.reserve(list.size());
    for (uint32_t i : list) {
      if (renumber[i] != kDropped) kept.push_back(renumber[i]);
    }
    if (!kept.empty()) c.cells.emplace(key, std::move(kept));
  }
  for (uint32_t i : put_positions) {
    if (!c.rows[i].has_office) continue;
    auto& list = c.cells[CellOf(c.rows[i])];
    list.insert(std::upper_bound(list.begin(), list.end(), i), i);
  }

  c.terms = std::move(raw.terms);
  c.languages = std::move(raw.languages);
  c.plans = std::move(raw.plans);
  c.jurisdictions = std::move(raw.jurisdictions);
  c.genders = std::move(raw.genders);
  c.by_term = Patched(b.by_term, s.terms, c.terms.size(), renumber, &put_at, n);
  c.by_language = Patched(b.by_language, s.languages, c.languages.size(), renumber, &put_at, n);
  c.by_plan = Patched(b.by_plan, s.plans, c.plans.size(), renumber, &put_at, n);
  c.licensed_in = Patched(b.licensed_in, s.licensed, c.jurisdictions.size(), renumber, &put_at, n);
  c.psypact_member = b.psypact_member;
  c.psypact_member.resize(c.jurisdictions.size());
  for (size_t j = b.psypact_member.size(); j < c.jurisdictions.size(); ++j) {
    c.psypact_member[j] = IsPsypactMember(c.jurisdictions.Name(static_cast<uint32_t>(j)));
  }
  {
    DerivedPostings derived;
    for (uint32_t i : put_positions) derived.Add(c, i);
    c.declared_in =
        Patched(b.declared_in, derived.declared, c.jurisdictions.size(), renumber, nullptr, n);
    c.fee_at_most = Patched(b.fee_at_most, derived.fee, Columns::kFeeSteps, renumber, nullptr, n);
    c.sliding_at_most =
        Patched(b.sliding_at_most, derived.sliding, Columns::kFeeSteps, renumber, nullptr, n);
  }
  c.psypact = b.psypact.Remapped(renumber, Mapped(s.psypact, &put_at), n);
  c.unlicensed = b.unlicensed.Remapped(renumber, Mapped(s.unlicensed, &put_at), n);
  c.telehealth = b.telehealth.Remapped(renumber, Mapped(s.telehealth, &put_at), n);
  c.has_openings = b.has_openings.Remapped(renumber, Mapped(s.has_openings, &put_at), n);
  c.fresh_openings = FreshOpenings(c, options);  // as of this patch's time, not the base's
  c.free = b.free.Remapped(renumber, Mapped(s.free, &put_at), n);
  c.ids.Shrink();
  c.names.Shrink();
  c.organization_ids.Shrink();
  c.licences.shrink_to_fit();
  c.telehealth_jurisdictions.shrink_to_fit();
  state_ = std::make_unique<State>();
  state_->raw.genders.Add("");
  return snapshot;
}

std::shared_ptr<const Snapshot> Snapshot::Build(const std::vector<Provider>& providers,
                                                const SnapshotOptions& options) {
  SnapshotBuilder builder;
  for (const auto& p : providers) builder.Add(p);
  return builder.Finish(options);
}

std::shared_ptr<const Snapshot> Snapshot::Patch(const Snapshot& base,
                                                const std::vector<Provider>& put,
                                                const std::vector<std::string>& removed,
                                                const SnapshotOptions& options) {
  SnapshotBuilder builder(base);
  for (const auto& id : removed) builder.Remove(id);
  for (const auto& p : put) builder.Add(p);
  return builder.Finish(options);
}

std::optional<uint32_t> Snapshot::Find(std::string_view id) const {
  uint32_t lo = 0, hi = columns_.size;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (columns_.ids[mid] < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < columns_.size && columns_.ids[lo] == id) return lo;
  return std::nullopt;
}

std::optional<int64_t> Snapshot::fee_cents(uint32_t i) const {
  const detail::Row& r = columns_.rows[i];
  if (r.free) return 0;
  if (r.fee_cents == detail::kNoCents) return std::nullopt;
  return r.fee_cents;
}

SnapshotStats Snapshot::Stats() const {
  const Columns& c = columns_;
  SnapshotStats s;
  s.providers = c.size;
  s.terms = c.terms.size();
  s.languages = c.languages.size();
  s.plans = c.plans.size();
  s.jurisdictions = c.jurisdictions.size();
  s.cells = c.cells.size();
  size_t bytes = c.ids.bytes() + c.names.bytes() + c.organization_ids.bytes() +
                 c.rows.capacity() * sizeof(detail::Row) +
                 c.licences.capacity() * sizeof(detail::LicenceRow) +
                 c.telehealth_jurisdictions.capacity() * 4;
  for (const auto* sets : {&c.by_term, &c.by_language, &c.by_plan, &c.licensed_in, &c.declared_in,
                           &c.fee_at_most, &c.sliding_at_most}) {
    for (const auto& set : *sets) bytes += set.bytes();
  }
  for (const auto* set :
       {&c.psypact, &c.unlicensed, &c.telehealth, &c.has_openings, &c.fresh_openings, &c.free}) {
    bytes += set->bytes();
  }
  for (const auto& [key, list] : c.cells) bytes += list.capacity() * 4 + 32;
  s.bytes = bytes;
  return s;
}

SnapshotHolder::SnapshotHolder() = default;

}  // namespace soundcheck::matching
