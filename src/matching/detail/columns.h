// The inside of a Snapshot: columns and per-value id sets. Private to matching/ (the engine
// reads it; Snapshot::Build writes it); nothing outside the module includes this.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace soundcheck::matching::detail {

class SnapshotCodec;  // snapshot_file.cpp: writes and reads these classes' insides

// The providers holding one value (a care type, a language, a plan...): sorted positions
// when few hold it, else a bitset over every position. Sparse sets save memory (500 plans
// at 1M providers would be 62 MB as bitsets) and dense ones make an OR a word loop.
class IdSet {
 public:
  // `sorted` holds distinct positions below `universe`, ascending.
  static IdSet From(std::vector<uint32_t> sorted, uint32_t universe);
  bool Contains(uint32_t i) const {
    if (dense_) return (bits_[i >> 6] >> (i & 63)) & 1;
    return Search(i);
  }
  // words |= this set (words has one bit per provider).
  void OrInto(std::vector<uint64_t>& words) const;
  // words &= this set; `scratch` is working space of any content.
  void AndInto(std::vector<uint64_t>& words, std::vector<uint64_t>& scratch) const;
  size_t count() const { return count_; }
  // The set after a patch (Snapshot::Patch): each member i becomes renumber[i], or leaves
  // when that is kDropped (renumber must be increasing over the members it keeps, as an
  // old-to-new position map of a patch is), joined with `added` (ascending, distinct, none
  // of them a renumbered member), over `universe` positions. O(members + added).
  static constexpr uint32_t kDropped = std::numeric_limits<uint32_t>::max();
  IdSet Remapped(const std::vector<uint32_t>& renumber, const std::vector<uint32_t>& added,
                 uint32_t universe) const;
  size_t bytes() const { return bits_.capacity() * 8 + ids_.capacity() * 4; }

 private:
  friend class SnapshotCodec;
  bool Search(uint32_t i) const;
  bool dense_ = false;
  size_t count_ = 0;
  std::vector<uint64_t> bits_;
  std::vector<uint32_t> ids_;
};

// Strings stored end to end: one allocation instead of a million small ones.
class StringColumn {
 public:
  void Add(std::string_view s) {
    data_.append(s);
    ends_.push_back(static_cast<uint32_t>(data_.size()));
  }
  std::string_view operator[](size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_).substr(begin, ends_[i] - begin);
  }
  size_t bytes() const { return data_.capacity() + ends_.capacity() * 4; }
  void Shrink() {
    data_.shrink_to_fit();
    ends_.shrink_to_fit();
  }

 private:
  friend class SnapshotCodec;
  std::string data_;
  std::vector<uint32_t> ends_;
};

// Value → small integer, for the value kinds a query names (terms, languages, plans,
// jurisdictions, genders).
class Interner {
 public:
  uint32_t Add(std::string_view s) {
    auto [it, added] = ids_.try_emplace(std::string(s), static_cast<uint32_t>(names_.size()));
    if (added) names_.emplace_back(s);
    return it->second;
  }
  // kNone when the value was never seen.
  uint32_t Find(std::string_view s) const {
    auto it = ids_.find(s);  // no string built to look one up (a query names several)
    return it == ids_.end() ? kNone : it->second;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

 private:
  friend class SnapshotCodec;
  // Transparent hashing: Find takes a string_view as it is.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::string> names_;
};

inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kNoCents = -1;
inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct LicenceRow {
  uint32_t jurisdiction = 0;  // Interner id
  int32_t expires = kNoDay;   // last valid day; kNoDay: never valid
  bool psypact = false;       // carries the PSYPACT compact
};

// The numbers of one provider, in one cache line or two.
struct Row {
  double latitude = 0, longitude = 0;
  int64_t fee_cents = kNoCents;
  int64_t sliding_minimum_cents = kNoCents;
  int64_t openings_confirmed_at = kNoTime;
  int32_t openings = 0;
  int32_t earliest_opening = kNoDay;
  uint32_t licences_begin = 0;  // into Columns::licences
  uint16_t licences_count = 0;
  uint16_t telehealth_count = 0;
  uint32_t telehealth_begin = 0;                   // into Columns::telehealth_jurisdictions
  uint32_t gender = 0;                             // Interner id of the lower-cased text (0: none)
  uint32_t office_jurisdiction = Interner::kNone;  // Interner id (jurisdictions)
  bool has_office = false;
  bool telehealth = false;  // format:telehealth
  bool in_person = false;   // format:in-person and an office
  bool free = false;
  bool clinical = false;  // offers a care type that needs a licence
  uint8_t music = 0;      // 4 treated industry clients + 2 worked in music + 1 workshop
};

struct Columns {
  uint32_t size = 0;
  StringColumn ids, names, organization_ids;
  std::vector<Row> rows;
  std::vector<LicenceRow> licences;
  std::vector<uint32_t> telehealth_jurisdictions;  // Interner ids (jurisdictions)

  Interner terms;  // care types and tags: "care_type:psychiatry", "age:adults"
  Interner languages;
  Interner plans;          // PlanKey
  Interner jurisdictions;  // licences, telehealth, and what queries name
  Interner genders;        // id 0 is ""
  std::vector<IdSet> by_term, by_language, by_plan;
  std::vector<IdSet> licensed_in;    // by jurisdiction id: holds any licence there
  std::vector<bool> psypact_member;  // by jurisdiction id
  IdSet psypact;                     // holds a PSYPACT licence
  IdSet unlicensed;                  // holds no licence
  // By jurisdiction id: providers holding no licence that declared telehealth there (what
  // reaches a member by telehealth without a licence; rules.h JurisdictionCovers).
  std::vector<IdSet> declared_in;
  // Fee ceilings, for a budget without insurance: fee_at_most[k] holds the providers whose
  // fee is at most (k + 1) × kFeeStepCents, sliding_at_most[k] those whose sliding-scale
  // minimum is. Supersets for a budget between two steps; the engine checks exactly.
  static constexpr int64_t kFeeStepCents = 2500;
  static constexpr int kFeeSteps = 20;  // up to $500
  std::vector<IdSet> fee_at_most, sliding_at_most;
  IdSet telehealth;    // offers telehealth
  IdSet has_openings;  // a count above 0 was given (fresh or not)
  // A count above 0 confirmed within the window before SnapshotOptions::fresh_as_of (empty
  // without one): a superset of the fresh ones for any query at fresh_as_of or later.
  IdSet fresh_openings;
  IdSet free;

  // The geographic cell index: offices by cell of kCellDegrees × kCellDegrees.
  static constexpr double kCellDegrees = 0.5;
  std::unordered_map<int64_t, std::vector<uint32_t>> cells;
  static int64_t CellKey(int32_t lat_cell, int32_t lon_cell) {
    return (static_cast<int64_t>(lat_cell) << 32) ^ static_cast<uint32_t>(lon_cell);
  }
};

}  // namespace soundcheck::matching::detail
