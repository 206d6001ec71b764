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

}  // namespace

// What the builder keeps per provider, in the order added.
struct SnapshotBuilder::State {
  Columns raw;  // rows, strings and interners, unsorted
  Postings terms, languages, plans, licensed;
  std::vector<uint32_t> psypact, unlicensed, telehealth, has_openings, free;
};

SnapshotBuilder::SnapshotBuilder() : state_(std::make_unique<State>()) {
  state_->raw.genders.Add("");
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

std::shared_ptr<const Snapshot> SnapshotBuilder::Finish(const SnapshotOptions& options) {
  State& s = *state_;
  Columns& raw = s.raw;
  const auto added = static_cast<uint32_t>(raw.rows.size());

  // Sort positions by id; of equal ids the last added wins.
  std::vector<uint32_t> order(added);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return raw.ids[a] < raw.ids[b]; });
  std::vector<uint32_t> kept;
  kept.reserve(added);
  for (uint32_t k = 0; k < added; ++k) {
    if (k + 1 < added && raw.ids[order[k]] == raw.ids[order[k + 1]]) continue;
    kept.push_back(order[k]);
  }
  std::vector<uint32_t>().swap(order);
  std::vector<uint32_t> renumber(added, kDropped);
  for (uint32_t k = 0; k < kept.size(); ++k) renumber[kept[k]] = k;
  const auto n = static_cast<uint32_t>(kept.size());

  auto snapshot = std::shared_ptr<Snapshot>(new Snapshot());
  snapshot->options_ = options;
  Columns& c = snapshot->columns_;
  c.size = n;
  c.rows.reserve(n);
  for (uint32_t from : kept) {
    detail::Row row = raw.rows[from];
    c.ids.Add(raw.ids[from]);
    c.names.Add(raw.names[from]);
    c.organization_ids.Add(raw.organization_ids[from]);
    const uint32_t licences_begin = static_cast<uint32_t>(c.licences.size());
    for (uint32_t k = 0; k < row.licences_count; ++k) {
      c.licences.push_back(raw.licences[row.licences_begin + k]);
    }
    row.licences_begin = licences_begin;
    const uint32_t telehealth_begin = static_cast<uint32_t>(c.telehealth_jurisdictions.size());
    for (uint32_t k = 0; k < row.telehealth_count; ++k) {
      c.telehealth_jurisdictions.push_back(raw.telehealth_jurisdictions[row.telehealth_begin + k]);
    }
    row.telehealth_begin = telehealth_begin;
    if (row.has_office) {
      c.cells[Columns::CellKey(Cell(row.latitude), Cell(row.longitude))].push_back(
          static_cast<uint32_t>(c.rows.size()));
    }
    c.rows.push_back(row);
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
    Postings declared;
    Postings fee, sliding;
    for (uint32_t i = 0; i < n; ++i) {
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
    std::vector<uint32_t> same(n);
    std::iota(same.begin(), same.end(), 0);
    c.declared_in = declared.Sets(c.jurisdictions.size(), same, n);
    c.fee_at_most = fee.Sets(Columns::kFeeSteps, same, n);
    c.sliding_at_most = sliding.Sets(Columns::kFeeSteps, same, n);
  }
  c.psypact = Postings::Renumbered(s.psypact, renumber, n);
  c.unlicensed = Postings::Renumbered(s.unlicensed, renumber, n);
  c.telehealth = Postings::Renumbered(s.telehealth, renumber, n);
  c.has_openings = Postings::Renumbered(s.has_openings, renumber, n);
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

std::shared_ptr<const Snapshot> Snapshot::Build(const std::vector<Provider>& providers,
                                                const SnapshotOptions& options) {
  SnapshotBuilder builder;
  for (const auto& p : providers) builder.Add(p);
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
  for (const auto* set : {&c.psypact, &c.unlicensed, &c.telehealth, &c.has_openings, &c.free}) {
    bytes += set->bytes();
  }
  for (const auto& [key, list] : c.cells) bytes += list.capacity() * 4 + 32;
  s.bytes = bytes;
  return s;
}

SnapshotHolder::SnapshotHolder() = default;

}  // namespace soundcheck::matching
