#include "app/match_index.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "core/log.h"
#include "domain/events/events.h"
#include "matching/from_hsds.h"

namespace soundcheck::app {

using Clock = std::chrono::steady_clock;

MatchIndex::MatchIndex(domain::directory::DirectoryService& directory,
                       const domain::directory::Vocabulary& vocabulary, live::EventHub& events,
                       Options options)
    : directory_(directory), vocabulary_(vocabulary), events_(events), options_(options) {}

MatchIndex::~MatchIndex() { Stop(); }

core::Status MatchIndex::Rebuild() { return RebuildAt(events_.last_seq()); }

void MatchIndex::Start() {
  const bool loaded = LoadSaved();
  {
    std::lock_guard lock(mu_);
    build_first_ = !loaded;
  }
  if (!loaded) core::log::info("matching index: building from the database in the background");
  Follow();
}

bool MatchIndex::LoadSaved() {
  if (options_.saved_path.empty()) return false;
  const auto started = Clock::now();
  std::ifstream in(options_.saved_path, std::ios::binary);
  if (!in) return false;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto snapshot = matching::Snapshot::Load(bytes.str(), options_.fingerprint);
  if (!snapshot) {
    core::log::info("matching index: not using the saved index ({})", snapshot.error().message);
    return false;
  }
  // Usable if not ahead of the event log; the directory changes committed after the event it
  // includes are patched in before it is served (a stale listing is never matched).
  const int64_t version = (*snapshot)->version();
  const int64_t upto = events_.last_seq();
  if (version > upto) {
    core::log::info("matching index: the saved index is ahead of the event log; rebuilding");
    return false;
  }
  std::lock_guard build(build_mu_);
  auto changes = ChangesBetween(version, upto);
  if (!changes) {
    core::log::info(
        "matching index: reading the changes since the saved index failed ({}); "
        "rebuilding",
        changes.error().message);
    return false;
  }
  if (!*changes) {
    core::log::info(
        "matching index: an import or too many changes since the saved index; rebuilding");
    return false;
  }
  const double load_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::shared_ptr<const matching::Snapshot> current = std::move(*snapshot);
  {
    std::lock_guard lock(mu_);
    stats_.loaded = true;
    stats_.load_seconds = load_seconds;
  }
  if (!(*changes)->empty()) {
    const auto patch_started = Clock::now();
    auto patched = Patched(*current, upto, **changes);
    if (!patched) {
      core::log::info("matching index: could not patch the saved index ({}); rebuilding",
                      patched.error().message);
      return false;
    }
    PublishPatched(std::move(*patched),
                   std::chrono::duration<double>(Clock::now() - patch_started).count(),
                   (*changes)->size());
    return true;
  }
  const auto stats = current->Stats();
  {
    std::lock_guard lock(mu_);
    stats_.version = version;
    stats_.providers = stats.providers;
    stats_.bytes = stats.bytes;
  }
  holder_.Publish(std::move(current));
  core::log::info("matching index: {} listings loaded from the saved index in {:.0f} ms (event {})",
                  stats.providers, load_seconds * 1000, version);
  return true;
}

void MatchIndex::Save(const matching::Snapshot& snapshot) const {
  if (options_.saved_path.empty()) return;
  namespace fs = std::filesystem;
  const fs::path path(options_.saved_path);
  const fs::path temporary = path.string() + ".tmp";
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const std::string bytes = snapshot.Save(options_.fingerprint);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      core::log::warn("matching index: could not save it ({}); the next start rebuilds",
                      temporary.string());
      fs::remove(temporary, ec);
      return;
    }
  }
  fs::permissions(temporary, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace, ec);
  fs::rename(temporary, path, ec);
  if (ec) {
    core::log::warn("matching index: could not save it ({}); the next start rebuilds",
                    ec.message());
  }
}

matching::SnapshotOptions MatchIndex::SnapshotOptionsAt(int64_t version) const {
  matching::SnapshotOptions o{version, options_.openings_window_seconds};
  if (options_.clock != nullptr) o.fresh_as_of = core::ToUnixSeconds(options_.clock->Now());
  return o;
}

core::Status MatchIndex::RebuildAt(int64_t version) {
  std::lock_guard build(build_mu_);
  const auto started = Clock::now();
  matching::SnapshotBuilder builder;
  SC_RETURN_IF_ERROR(
      directory_.ScanListed([&](const domain::directory::Record& service,
                                const std::vector<domain::directory::Record>& related) {
        if (auto provider = matching::ProviderFromHsds(vocabulary_, service, related)) {
          builder.Add(*provider);
        }
      }));
  auto snapshot = builder.Finish(SnapshotOptionsAt(version));
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const auto stats = Publish(snapshot, [&](Stats& s) {
    s.loaded = false;
    s.builds += 1;
    s.last_build_seconds = seconds;
  });
  core::log::info("matching index: {} listings, {:.1f} MiB, built in {:.0f} ms (event {})",
                  stats.providers, static_cast<double>(stats.bytes) / (1 << 20), seconds * 1000,
                  version);
  return core::Ok();
}

core::Status MatchIndex::UpdateTo(int64_t version) {
  {
    std::lock_guard build(build_mu_);
    const auto base = holder_.Current();
    if (base != nullptr) {
      if (base->version() >= version) return core::Ok();
      const auto started = Clock::now();
      SC_ASSIGN_OR_RETURN(auto changes, ChangesBetween(base->version(), version));
      if (changes) {
        auto patched = Patched(*base, version, *changes);
        if (patched) {
          PublishPatched(std::move(*patched),
                         std::chrono::duration<double>(Clock::now() - started).count(),
                         changes->size());
          return core::Ok();
        }
        if (patched.error().code != core::ErrorCode::kInvalidArgument) {
          return std::move(patched).error();
        }
        core::log::info("matching index: cannot patch ({}); rebuilding", patched.error().message);
      } else {
        core::log::info("matching index: an import or too many changes; rebuilding");
      }
    }
  }
  return RebuildAt(version);
}

core::Result<std::optional<std::vector<domain::directory::DirectoryService::ChangedRecord>>>
MatchIndex::ChangesBetween(int64_t after, int64_t upto) {
  using Changed = domain::directory::DirectoryService::ChangedRecord;
  using Changes = std::optional<std::vector<Changed>>;
  std::set<std::pair<std::string, std::string>> named;
  std::vector<Changed> out;
  constexpr size_t kBatch = 500;
  for (int64_t at = after;;) {
    SC_ASSIGN_OR_RETURN(auto batch, events_.After(at, kBatch));
    for (const auto& e : batch) {
      if (e->record.seq > upto) return Changes(std::move(out));
      at = e->record.seq;
      if (e->record.type != domain::events::kDirectoryChanged) continue;
      // An import writes many records under one event: only a rebuild knows what it did.
      if (e->record.subject_type == "import") return Changes();
      if (named.emplace(e->record.subject_type, e->record.subject_id).second) {
        out.push_back(Changed{e->record.subject_type, e->record.subject_id});
        if (out.size() > options_.patch_limit) return Changes();
      }
    }
    if (batch.size() < kBatch) break;
  }
  return Changes(std::move(out));
}

core::Result<std::shared_ptr<const matching::Snapshot>> MatchIndex::Patched(
    const matching::Snapshot& base, int64_t version,
    const std::vector<domain::directory::DirectoryService::ChangedRecord>& changed) {
  std::vector<matching::Provider> put;
  std::vector<std::string> removed;
  SC_RETURN_IF_ERROR(directory_.ReadChanged(
      changed,
      [&](const domain::directory::Record& service,
          const std::vector<domain::directory::Record>& related) {
        // Listed but not shown (paused, closed): out of the index, as a rebuild leaves it.
        if (auto provider = matching::ProviderFromHsds(vocabulary_, service, related)) {
          put.push_back(std::move(*provider));
        } else {
          removed.push_back(service.id);
        }
      },
      removed));
  return matching::Snapshot::Patch(base, put, removed, SnapshotOptionsAt(version));
}

matching::SnapshotStats MatchIndex::Publish(std::shared_ptr<const matching::Snapshot> snapshot,
                                            const std::function<void(Stats&)>& made) {
  const auto stats = snapshot->Stats();
  {
    // The stats first: whoever sees the snapshot in service (ready()) sees its stats too.
    std::lock_guard lock(mu_);
    stats_.version = snapshot->version();
    stats_.providers = stats.providers;
    stats_.bytes = stats.bytes;
    made(stats_);
  }
  holder_.Publish(snapshot);
  Save(*snapshot);  // after publishing: serving never waits for the disk
  return stats;
}

void MatchIndex::PublishPatched(std::shared_ptr<const matching::Snapshot> snapshot, double seconds,
                                size_t changed) {
  const int64_t version = snapshot->version();
  const auto stats = Publish(std::move(snapshot), [&](Stats& s) {
    s.patches += 1;
    s.last_patch_seconds = seconds;
  });
  core::log::info(
      "matching index: {} changed records patched in, {} listings, in {:.1f} ms "
      "(event {})",
      changed, stats.providers, seconds * 1000, version);
}

void MatchIndex::Follow() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  seen_ = stats_.version;
  stop_ = false;
  subscription_ = events_.Subscribe([this] {
    std::lock_guard wake(mu_);
    woken_ = true;
    cv_.notify_one();
  });
  woken_ = true;  // catch up with anything committed since the first build
  thread_ = std::thread([this] { Loop(); });
}

void MatchIndex::Stop() {
  subscription_.reset();  // no more wakes
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void MatchIndex::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return woken_ || stop_; });
      if (stop_) return;
      woken_ = false;
    }
    if (build_first_) {
      // No current saved index: build before anything else (Start returned at once).
      const int64_t version = events_.last_seq();
      if (auto st = RebuildAt(version); !st) {
        core::log::warn("matching index: the first build failed ({}); retrying in 1 s",
                        st.error().message);
        std::unique_lock lock(mu_);
        if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
        woken_ = true;
        continue;
      }
      std::lock_guard lock(mu_);
      build_first_ = false;
      seen_ = version;
      woken_ = true;  // then catch up with what arrived during the build
      continue;
    }
    const auto heard = Clock::now();
    // Read what arrived; only directory changes matter here.
    bool changed = false;
    int64_t seen = seen_;
    for (;;) {
      auto batch = events_.After(seen, 500);
      if (!batch) {
        core::log::warn("matching index: reading events failed; retrying on the next wake");
        break;
      }
      for (const auto& e : *batch) {
        changed = changed || e->record.type == domain::events::kDirectoryChanged;
        seen = e->record.seq;
      }
      if (batch->size() < 500) break;
    }
    seen_ = seen;
    if (!changed) continue;
    {
      // Let a burst settle, then take whatever else arrived with it.
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, options_.settle, [this] { return stop_; })) return;
    }
    const int64_t version = events_.last_seq();
    if (auto st = UpdateTo(version); !st) {
      core::log::warn("matching index: update failed ({}); still serving event {}",
                      st.error().message, stats().version);
      continue;
    }
    seen_ = std::max(seen_, version);
    std::lock_guard lock(mu_);
    stats_.last_visible_seconds = std::chrono::duration<double>(Clock::now() - heard).count();
  }
}

uint64_t VocabularyFingerprint(const domain::directory::Vocabulary& vocabulary) {
  // FNV-1a, 64 bits: a digest to tell vocabularies apart, not a defence against anyone.
  uint64_t h = 14695981039346656037ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;  // a separator no text contains
    h *= 1099511628211ULL;
  };
  for (const auto& t : vocabulary.terms()) {
    mix(t.id);
    mix(t.code);
    mix(t.facet);
    mix(t.kind);
    mix(t.parent_id);
  }
  return h;
}

MatchIndex::Stats MatchIndex::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace soundcheck::app
