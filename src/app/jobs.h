// Background jobs of one node (alert escalation, mail delivery): each runs on its own
// interval in one shared thread. Jobs must be safe to run on every node at once — each
// claims its work in the database, so a piece of work is done once whichever node finds it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace soundcheck::app {

class JobRunner {
 public:
  ~JobRunner();  // stops

  // Registers a job before Start(). A failing run is logged (once per streak) and retried
  // at the next interval.
  void Add(std::string name, std::chrono::milliseconds interval, std::function<core::Status()> run);
  void Start();
  // Stops after the run in progress, if any. Idempotent.
  void Stop();
  // Runs every job now (the next loop iteration), e.g. after a change that created work.
  void Nudge();

 private:
  struct Job {
    std::string name;
    std::chrono::milliseconds interval;
    std::function<core::Status()> run;
    std::chrono::steady_clock::time_point next;
    bool failing = false;
  };
  void Loop();

  std::vector<Job> jobs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

}  // namespace soundcheck::app
