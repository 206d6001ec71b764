// Snapshot::Save and Snapshot::Load: the index as bytes. Pure (no files here; app/MatchIndex
// writes and reads them). The layout is this build's own: plain little-endian integers and
// arrays of the columns' structs, behind a header naming the format, the structs' sizes and
// the fingerprint, so bytes from another build or vocabulary are refused, never misread.
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "matching/rules.h"
#include "matching/snapshot.h"

namespace soundcheck::matching {
namespace detail {

namespace {

constexpr char kMagic[8] = {'S', 'C', 'M', 'A', 'T', 'C', 'H', '\n'};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <typename T>
  void Pod(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  template <typename T>
  void Array(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    Pod<uint64_t>(values.size());
    // An empty vector's data() may be null, which append (memcpy) must never be given.
    if (!values.empty()) {
      out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    }
  }
  void Text(std::string_view s) {
    Pod<uint64_t>(s.size());
    out_.append(s);
  }

 private:
  std::string& out_;
};

// Reads what Writer wrote; any read past the end fails the whole load (ok() turns false and
// stays false, reads then give zeros and empty arrays).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }
  template <typename T>
  T Pod() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    if (!Take(sizeof value)) return value;
    std::memcpy(&value, in_.data() - sizeof value, sizeof value);
    return value;
  }
  template <typename T>
  std::vector<T> Array() {
    const auto n = Pod<uint64_t>();
    std::vector<T> values;
    if (!ok_ || n > in_.size() / std::max<size_t>(1, sizeof(T))) {
      ok_ = false;
      return values;
    }
    if (n == 0) return values;  // data() may be null: never memcpy to it
    values.resize(n);
    if (Take(n * sizeof(T))) std::memcpy(values.data(), in_.data() - n * sizeof(T), n * sizeof(T));
    return values;
  }
  std::string Text() {
    const auto n = Pod<uint64_t>();
    if (!ok_ || n > in_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(0, n));
    Take(n);
    return s;
  }

 private:
  bool Take(size_t n) {
    if (!ok_ || n > in_.size()) {
      ok_ = false;
      return false;
    }
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

class SnapshotCodec {
 public:
  static void Write(Writer& w, const IdSet& set) {
    w.Pod<uint8_t>(set.dense_ ? 1 : 0);
    w.Pod<uint64_t>(set.count_);
    w.Array(set.bits_);
    w.Array(set.ids_);
  }
  static void Read(Reader& r, IdSet& set) {
    set.dense_ = r.Pod<uint8_t>() != 0;
    set.count_ = r.Pod<uint64_t>();
    set.bits_ = r.Array<uint64_t>();
    set.ids_ = r.Array<uint32_t>();
  }
  static void Write(Writer& w, const std::vector<IdSet>& sets) {
    w.Pod<uint64_t>(sets.size());
    for (const auto& set : sets) Write(w, set);
  }
  static void Read(Reader& r, std::vector<IdSet>& sets) {
    const auto n = r.Pod<uint64_t>();
    for (uint64_t k = 0; k < n && r.ok(); ++k) Read(r, sets.emplace_back());
  }
  static void Write(Writer& w, const StringColumn& column) {
    w.Text(column.data_);
    w.Array(column.ends_);
  }
  static void Read(Reader& r, StringColumn& column) {
    column.data_ = r.Text();
    column.ends_ = r.Array<uint32_t>();
  }
  static void Write(Writer& w, const Interner& interner) {
    w.Pod<uint64_t>(interner.names_.size());
    for (const auto& name : interner.names_) w.Text(name);
  }
  static void Read(Reader& r, Interner& interner) {
    const auto n = r.Pod<uint64_t>();
    for (uint64_t k = 0; k < n && r.ok(); ++k) interner.Add(r.Text());
  }

  static void Write(Writer& w, const Columns& c) {
    w.Pod<uint32_t>(c.size);
    Write(w, c.ids);
    Write(w, c.names);
    Write(w, c.organization_ids);
    w.Array(c.rows);
    w.Array(c.licences);
    w.Array(c.telehealth_jurisdictions);
    for (const Interner* i : {&c.terms, &c.languages, &c.plans, &c.jurisdictions, &c.genders}) {
      Write(w, *i);
    }
    for (const auto* sets : {&c.by_term, &c.by_language, &c.by_plan, &c.licensed_in, &c.declared_in,
                             &c.fee_at_most, &c.sliding_at_most}) {
      Write(w, *sets);
    }
    for (const IdSet* set :
         {&c.psypact, &c.unlicensed, &c.telehealth, &c.has_openings, &c.fresh_openings, &c.free}) {
      Write(w, *set);
    }
    w.Pod<uint64_t>(c.cells.size());
    for (const auto& [key, list] : c.cells) {
      w.Pod<int64_t>(key);
      w.Array(list);
    }
  }
  static void Read(Reader& r, Columns& c) {
    c.size = r.Pod<uint32_t>();
    Read(r, c.ids);
    Read(r, c.names);
    Read(r, c.organization_ids);
    c.rows = r.Array<Row>();
    c.licences = r.Array<LicenceRow>();
    c.telehealth_jurisdictions = r.Array<uint32_t>();
    for (Interner* i : {&c.terms, &c.languages, &c.plans, &c.jurisdictions, &c.genders}) {
      Read(r, *i);
    }
    for (auto* sets : {&c.by_term, &c.by_language, &c.by_plan, &c.licensed_in, &c.declared_in,
                       &c.fee_at_most, &c.sliding_at_most}) {
      Read(r, *sets);
    }
    for (IdSet* set :
         {&c.psypact, &c.unlicensed, &c.telehealth, &c.has_openings, &c.fresh_openings, &c.free}) {
      Read(r, *set);
    }
    const auto cells = r.Pod<uint64_t>();
    for (uint64_t k = 0; k < cells && r.ok(); ++k) {
      const auto key = r.Pod<int64_t>();
      c.cells[key] = r.Array<uint32_t>();
    }
  }

  // What the engine relies on without checking per query: every position and id in range.
  static bool Consistent(const Columns& c) {
    const uint32_t n = c.size;
    if (c.rows.size() != n || c.ids.ends_.size() != n || c.names.ends_.size() != n ||
        c.organization_ids.ends_.size() != n) {
      return false;
    }
    auto ends_fit = [](const StringColumn& s) {
      uint32_t last = 0;
      for (uint32_t end : s.ends_) {
        if (end < last || end > s.data_.size()) return false;
        last = end;
      }
      return true;
    };
    if (!ends_fit(c.ids) || !ends_fit(c.names) || !ends_fit(c.organization_ids)) return false;
    const size_t words = (n + 63) / 64;
    auto set_fits = [&](const IdSet& set) {
      if (set.dense_) return set.bits_.size() == words;
      for (uint32_t i : set.ids_) {
        if (i >= n) return false;
      }
      return true;
    };
    auto sets_fit = [&](const std::vector<IdSet>& sets, size_t expected) {
      if (sets.size() < expected) return false;
      for (const auto& set : sets) {
        if (!set_fits(set)) return false;
      }
      return true;
    };
    const size_t jurisdictions = c.jurisdictions.size();
    if (!sets_fit(c.by_term, c.terms.size()) || !sets_fit(c.by_language, c.languages.size()) ||
        !sets_fit(c.by_plan, c.plans.size()) || !sets_fit(c.licensed_in, jurisdictions) ||
        !sets_fit(c.declared_in, jurisdictions) || !sets_fit(c.fee_at_most, Columns::kFeeSteps) ||
        !sets_fit(c.sliding_at_most, Columns::kFeeSteps)) {
      return false;
    }
    for (const IdSet* set :
         {&c.psypact, &c.unlicensed, &c.telehealth, &c.has_openings, &c.fresh_openings, &c.free}) {
      if (!set_fits(*set)) return false;
    }
    for (const LicenceRow& l : c.licences) {
      if (l.jurisdiction >= jurisdictions) return false;
    }
    for (uint32_t j : c.telehealth_jurisdictions) {
      if (j >= jurisdictions) return false;
    }
    for (const Row& row : c.rows) {
      if (size_t{row.licences_begin} + row.licences_count > c.licences.size() ||
          size_t{row.telehealth_begin} + row.telehealth_count > c.telehealth_jurisdictions.size() ||
          row.gender >= c.genders.size() ||
          (row.office_jurisdiction != Interner::kNone &&
           row.office_jurisdiction >= jurisdictions)) {
        return false;
      }
    }
    for (const auto& [key, list] : c.cells) {
      for (uint32_t i : list) {
        if (i >= n) return false;
      }
    }
    return true;
  }

  static void WriteSnapshot(std::string& out, const Snapshot& snapshot, uint64_t fingerprint) {
    Writer w(out);
    out.append(kMagic, sizeof kMagic);
    w.Pod<uint32_t>(Snapshot::kFormat);
    w.Pod<uint32_t>(sizeof(Row));
    w.Pod<uint32_t>(sizeof(LicenceRow));
    w.Pod<uint64_t>(fingerprint);
    w.Pod<int64_t>(snapshot.options_.version);
    w.Pod<int64_t>(snapshot.options_.openings_window_seconds);
    w.Pod<int64_t>(snapshot.options_.fresh_as_of);
    Write(w, snapshot.columns_);
  }

  static core::Result<std::shared_ptr<const Snapshot>> ReadSnapshot(std::string_view bytes,
                                                                    uint64_t fingerprint) {
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
      return core::Error::InvalidArgument("not a saved matching index");
    }
    Reader r(bytes.substr(sizeof kMagic));
    const auto format = r.Pod<uint32_t>();
    const auto row_size = r.Pod<uint32_t>();
    const auto licence_size = r.Pod<uint32_t>();
    const auto saved_fingerprint = r.Pod<uint64_t>();
    if (!r.ok() || format != Snapshot::kFormat || row_size != sizeof(Row) ||
        licence_size != sizeof(LicenceRow)) {
      return core::Error::InvalidArgument("the saved matching index is from another build");
    }
    if (saved_fingerprint != fingerprint) {
      return core::Error::InvalidArgument(
          "the saved matching index was built with another vocabulary");
    }
    auto snapshot = std::shared_ptr<Snapshot>(new Snapshot());
    snapshot->options_.version = r.Pod<int64_t>();
    snapshot->options_.openings_window_seconds = r.Pod<int64_t>();
    snapshot->options_.fresh_as_of = r.Pod<int64_t>();
    Read(r, snapshot->columns_);
    if (!r.done() || !Consistent(snapshot->columns_)) {
      return core::Error::InvalidArgument("the saved matching index is damaged");
    }
    Columns& c = snapshot->columns_;
    c.psypact_member.resize(c.jurisdictions.size());
    for (uint32_t j = 0; j < c.jurisdictions.size(); ++j) {
      c.psypact_member[j] = IsPsypactMember(c.jurisdictions.Name(j));
    }
    return std::shared_ptr<const Snapshot>(std::move(snapshot));
  }
};

}  // namespace detail

std::string Snapshot::Save(uint64_t fingerprint) const {
  std::string out;
  out.reserve(Stats().bytes + 4096);
  detail::SnapshotCodec::WriteSnapshot(out, *this, fingerprint);
  return out;
}

core::Result<std::shared_ptr<const Snapshot>> Snapshot::Load(std::string_view bytes,
                                                             uint64_t fingerprint) {
  return detail::SnapshotCodec::ReadSnapshot(bytes, fingerprint);
}

}  // namespace soundcheck::matching
