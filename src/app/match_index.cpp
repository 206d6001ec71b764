#include "app/match_index.h"

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
  auto snapshot =
      builder.Finish(matching::SnapshotOptions{version, options_.openings_window_seconds});
  const auto stats = snapshot->Stats();
  holder_.Publish(std::move(snapshot));
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  {
    std::lock_guard lock(mu_);
    stats_.version = version;
    stats_.providers = stats.providers;
    stats_.bytes = stats.bytes;
    stats_.builds += 1;
    stats_.last_build_seconds = seconds;
  }
  core::log::info("matching index: {} listings, {:.1f} MiB, built in {:.0f} ms (event {})",
                  stats.providers, static_cast<double>(stats.bytes) / (1 << 20), seconds * 1000,
                  version);
  return core::Ok();
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
    if (auto st = RebuildAt(version); !st) {
      core::log::warn("matching index: rebuild failed ({}); still serving event {}",
                      st.error().message, stats().version);
      continue;
    }
    seen_ = std::max(seen_, version);
    std::lock_guard lock(mu_);
    stats_.last_visible_seconds = std::chrono::duration<double>(Clock::now() - heard).count();
  }
}

MatchIndex::Stats MatchIndex::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace soundcheck::app
