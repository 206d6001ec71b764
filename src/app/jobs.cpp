#include "app/jobs.h"

#include <algorithm>

#include "core/log.h"

namespace soundcheck::app {

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Add(std::string name, std::chrono::milliseconds interval,
                    std::function<core::Status()> run) {
  jobs_.push_back({std::move(name), interval, std::move(run), {}, false});
}

void JobRunner::Start() {
  if (thread_.joinable() || jobs_.empty()) return;
  auto now = std::chrono::steady_clock::now();
  for (auto& j : jobs_) j.next = now;
  thread_ = std::thread([this] { Loop(); });
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JobRunner::Nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void JobRunner::Loop() {
  for (;;) {
    auto next = std::min_element(jobs_.begin(), jobs_.end(), [](const Job& a, const Job& b) {
                  return a.next < b.next;
                })->next;
    bool nudged = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next, [this] { return stop_ || nudged_; });
      if (stop_) return;
      nudged = nudged_;
      nudged_ = false;
    }
    auto now = std::chrono::steady_clock::now();
    for (auto& j : jobs_) {
      if (!nudged && j.next > now) continue;
      core::Status st = j.run();
      if (!st && !j.failing) {
        core::log::warn("job {} failed: {}; retrying every {} ms", j.name, st.error().message,
                        j.interval.count());
      } else if (st && j.failing) {
        core::log::info("job {} recovered", j.name);
      }
      j.failing = !st;
      j.next = std::chrono::steady_clock::now() + j.interval;
    }
  }
}

}  // namespace soundcheck::app
