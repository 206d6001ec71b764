// Keeps this node's matching index current (docs/matching.md, "Freshness of the index").
//
// Start() makes the first snapshot available: the index this node saved at its last build
// when it is still current, else a build from the database on the background thread (the
// matching routes answer 503 until it is published, and /readyz says not ready; every other
// route serves at once). Follow() then watches the event log: every directory write commits a
// `directory.changed` event in its own transaction, which this node hears at once (Poke on a
// local commit) and other nodes hear by NOTIFY on PostgreSQL (or the hub's slow poll). A
// background thread coalesces a burst of changes and patches the snapshot: it reads only the
// listings the changed records touch (DirectoryService::ReadChanged) and makes a new snapshot
// from the current one (matching::Snapshot::Patch). An import, a burst of more than
// Options::patch_limit changed records, or a record it cannot trace to its listings makes it
// rebuild from a consistent read of the whole directory instead. Either way the new snapshot
// is swapped in atomically; queries in flight finish on the old one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/vocabulary.h"
#include "live/event_hub.h"
#include "matching/snapshot.h"

namespace soundcheck::app {

class MatchIndex {
 public:
  struct Options {
    int64_t openings_window_seconds = 14 * 86400;
    // After hearing a change, wait this long for more before rebuilding (an edit session
    // or a provider confirming several listings makes a burst).
    std::chrono::milliseconds settle{50};
    // Where this node keeps its index between starts ("": never saved). Written after every
    // build (to a temporary file, then renamed); it is a cache of public directory data.
    std::string saved_path;
    // What the index is derived with (VocabularyFingerprint); a saved index under another
    // is rebuilt.
    uint64_t fingerprint = 0;
    // The most changed records (distinct directory.changed subjects) patched in one go; more
    // and the index is rebuilt, which is then cheaper than reading listing by listing.
    size_t patch_limit = 5000;
    // The time each snapshot is made at, for its set of providers with fresh openings
    // (matching::SnapshotOptions::fresh_as_of); nullptr: no such set.
    const core::Clock* clock = nullptr;
  };
  struct Stats {
    int64_t version = 0;  // the event log position the current snapshot includes
    uint32_t providers = 0;
    size_t bytes = 0;
    int64_t builds = 0;
    double last_build_seconds = 0;    // reading the directory and building the index
    int64_t patches = 0;              // snapshots made by patching the previous one
    double last_patch_seconds = 0;    // reading the changed listings and patching
    double last_visible_seconds = 0;  // from hearing a change to serving it
    bool loaded = false;      // the current snapshot came from the saved index (maybe patched)
    double load_seconds = 0;  // reading and checking the saved index
  };

  MatchIndex(domain::directory::DirectoryService& directory,
             const domain::directory::Vocabulary& vocabulary, live::EventHub& events,
             Options options);
  ~MatchIndex();  // stops following

  // Loads the saved index if it is usable (same fingerprint and layout), patches it from the
  // directory changes committed after the event it includes (reading only the listings they
  // touch), then follows changes. Without a usable saved index, or when the changes since
  // include an import, exceed Options::patch_limit or cannot be traced, the following thread
  // builds one first. The event hub must be started. Returns at once but for the patch;
  // ready() tells when a snapshot is in service.
  void Start();
  bool ready() const { return holder_.Current() != nullptr; }
  // Builds a snapshot from the database now, on the caller's thread, publishes it and saves
  // it. Errors: the database's (the previous snapshot stays in service).
  core::Status Rebuild();
  // Starts the background thread that rebuilds on directory changes. The event hub must be
  // started. Idempotent.
  void Follow();
  void Stop();

  const matching::SnapshotHolder& holder() const { return holder_; }
  Stats stats() const;

 private:
  core::Status RebuildAt(int64_t version);
  matching::SnapshotOptions SnapshotOptionsAt(int64_t version) const;
  // Brings the index to `version`: patches the current snapshot from the changes after its
  // version when it can, else rebuilds. Errors: the database's (the snapshot stays).
  core::Status UpdateTo(int64_t version);
  // The records named by the directory.changed events after `after`, up to `upto`; nullopt
  // when the index must be rebuilt instead (an import, more than patch_limit records).
  core::Result<std::optional<std::vector<domain::directory::DirectoryService::ChangedRecord>>>
  ChangesBetween(int64_t after, int64_t upto);
  // The snapshot `base` patched with the listings `changed` touches, at `version`.
  // Errors: kInvalidArgument when a change cannot be traced to its listings; the database's.
  core::Result<std::shared_ptr<const matching::Snapshot>> Patched(
      const matching::Snapshot& base, int64_t version,
      const std::vector<domain::directory::DirectoryService::ChangedRecord>& changed);
  // Records `snapshot` in the stats (`made` adds what is particular to how it was made),
  // publishes it, then saves it; returns its own stats. Every new snapshot goes through here.
  matching::SnapshotStats Publish(std::shared_ptr<const matching::Snapshot> snapshot,
                                  const std::function<void(Stats&)>& made);
  // Publishes and saves a patched snapshot and records it in the stats.
  void PublishPatched(std::shared_ptr<const matching::Snapshot> snapshot, double seconds,
                      size_t changed);
  bool LoadSaved();
  void Save(const matching::Snapshot& snapshot) const;
  void Loop();

  domain::directory::DirectoryService& directory_;
  const domain::directory::Vocabulary& vocabulary_;
  live::EventHub& events_;
  const Options options_;
  matching::SnapshotHolder holder_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stop_ = false;
  int64_t seen_ = 0;          // the last event seq read
  bool build_first_ = false;  // Start found no current saved index
  Stats stats_;
  std::unique_ptr<live::EventHub::Subscription> subscription_;
  std::thread thread_;
  std::mutex build_mu_;  // one build at a time
};

// A digest of the vocabulary's terms (ids, codes, facets, kinds, parents): what
// ProviderFromHsds reads a listing through, so a saved index is only reused under the same.
uint64_t VocabularyFingerprint(const domain::directory::Vocabulary& vocabulary);

}  // namespace soundcheck::app
