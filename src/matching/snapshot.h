// The matching index: an immutable, in-memory picture of every listed provider, built once
// and then only read, so any number of threads can match against it without locks. A newer
// directory means a new Snapshot, published through SnapshotHolder (an atomic swap):
// queries in flight finish on the snapshot they started with.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "matching/detail/columns.h"
#include "matching/facts.h"

namespace soundcheck::matching {

struct SnapshotOptions {
  int64_t version = 0;                           // what the directory was at (for callers)
  int64_t openings_window_seconds = 14 * 86400;  // openings count only if confirmed within
  // When the snapshot is made (unix seconds; detail::kNoTime: not given). With it, the
  // snapshot keeps the providers whose openings are fresh at that time as an id set: for a
  // query at that time or later it holds every provider with fresh openings (openings only
  // age), so the engine starts from it instead of every provider with openings.
  int64_t fresh_as_of = detail::kNoTime;
};

struct SnapshotStats {
  uint32_t providers = 0;
  size_t bytes = 0;  // the index's own memory, approximately (columns, sets, cells)
  size_t terms = 0, languages = 0, plans = 0, jurisdictions = 0, cells = 0;
};

// Always held by a shared_ptr (only the builder and the loader make one): an answer keeps
// its snapshot alive through shared_from_this() (query.h MatchAnswer::keeps).
class Snapshot : public std::enable_shared_from_this<Snapshot> {
 public:
  // Builds the index from a list (tests, small directories); SnapshotBuilder streams.
  static std::shared_ptr<const Snapshot> Build(const std::vector<Provider>& providers,
                                               const SnapshotOptions& options);
  // The snapshot `base` would become with `removed` listings taken out and `put` listings
  // added or replaced (by id; of equal ids in `put` the last wins): it answers every query
  // exactly as Build of the resulting list would. Unknown ids in `removed` are ignored; an
  // id both removed and put ends up put. Unchanged listings are copied from `base` column by
  // column, never rebuilt as Providers: the cost is a copy of the index, O(its size), far
  // below a Build (docs/matching.md, "Freshness of the index"). `base` is not modified.
  static std::shared_ptr<const Snapshot> Patch(const Snapshot& base,
                                               const std::vector<Provider>& put,
                                               const std::vector<std::string>& removed,
                                               const SnapshotOptions& options);

  uint32_t size() const { return columns_.size; }
  int64_t version() const { return options_.version; }
  int64_t openings_window_seconds() const { return options_.openings_window_seconds; }
  int64_t fresh_as_of() const { return options_.fresh_as_of; }
  std::string_view id(uint32_t i) const { return columns_.ids[i]; }
  std::string_view name(uint32_t i) const { return columns_.names[i]; }
  // The position of the listing with this id (positions are in id order); nullopt when it is
  // not in the snapshot (unknown, or not listed).
  std::optional<uint32_t> Find(std::string_view id) const;
  // The listing's fee per session; nullopt when unknown (0 when free).
  std::optional<int64_t> fee_cents(uint32_t i) const;
  SnapshotStats Stats() const;

  // For the engine (matching/engine.cpp) only.
  const detail::Columns& columns() const { return columns_; }

  // The snapshot as bytes, for a node to keep on its own disk and load at its next start
  // instead of reading the whole directory (docs/matching.md, "Starting"). `fingerprint`
  // names what the snapshot was derived with (the vocabulary, the reading rules of
  // from_hsds.h): Load refuses bytes saved under another fingerprint, another layout or
  // damaged, and the caller rebuilds. Bump kFormat when the layout or the reading changes.
  static constexpr uint32_t kFormat = 2;  // 2: fresh_as_of and fresh_openings
  std::string Save(uint64_t fingerprint) const;
  // Errors: kInvalidArgument naming what did not match or where the bytes end early.
  static core::Result<std::shared_ptr<const Snapshot>> Load(std::string_view bytes,
                                                            uint64_t fingerprint);

 private:
  friend class SnapshotBuilder;
  friend class detail::SnapshotCodec;
  SnapshotOptions options_;
  detail::Columns columns_;
};

// Builds a Snapshot one provider at a time, keeping only the compact columns (a million
// providers never sit in memory as Provider structs). Order does not matter: Finish sorts
// by id, so positions — and every tie between equal scores — follow ids. Of providers with
// the same id, the last added wins. Values are taken as given; from_hsds.h is where HSDS
// text is read and checked. Not thread-safe; use one builder per thread.
//
// Seeded with a base snapshot, the builder patches instead (Snapshot::Patch): Finish gives
// the base without the Removed ids, plus every provider added (replacing the base's listing
// of the same id). The base must outlive the builder; it is never modified.
class SnapshotBuilder {
 public:
  SnapshotBuilder();
  explicit SnapshotBuilder(const Snapshot& base);
  ~SnapshotBuilder();
  void Add(const Provider& provider);
  // Seeded builders only: the base's listing with this id is left out (no-op when the base
  // has none). A provider added with the same id is still put.
  void Remove(std::string_view id);
  size_t added() const;
  // Consumes the builder.
  std::shared_ptr<const Snapshot> Finish(const SnapshotOptions& options);

 private:
  struct State;
  std::shared_ptr<const Snapshot> FinishPatch(const SnapshotOptions& options);
  std::unique_ptr<State> state_;
};

// Holds the current snapshot. Readers take a shared_ptr (std::atomic<shared_ptr>: a copy
// under a very short internal lock in libstdc++, never blocked by a build) and keep it for
// the whole query; Publish swaps in a newer one.
class SnapshotHolder {
 public:
  SnapshotHolder();
  // nullptr until the first Publish: no index yet (not an empty directory).
  std::shared_ptr<const Snapshot> Current() const { return current_.load(); }
  void Publish(std::shared_ptr<const Snapshot> snapshot) { current_.store(std::move(snapshot)); }

 private:
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace soundcheck::matching
