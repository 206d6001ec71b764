// Live updates: the in-process fan-out of the event log (domain::EventRepository) to every
// open console stream on this node.
//
// One hub per process. It keeps the newest events in a ring so a thousand streams woken by
// one event cost one database read, not a thousand. It learns of new events three ways: a
// Poke() after a local commit (instant), the PostgreSQL NOTIFY that every node hears (other
// nodes' commits), and a slow poll as the safety net for anything missed. Streams never
// lose events: the log is durable and ordered, so a stream that falls behind the ring, or
// reconnects with Last-Event-ID, reads the gap from the database.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/accounts/roles.h"
#include "domain/unit_of_work.h"

namespace soundcheck::live {

// Who is watching a stream.
struct Viewer {
  std::string user_id;
  domain::accounts::Role role = domain::accounts::Role::kMember;
};

// Whether `viewer` is in the event's audience (domain/events/events.h).
bool CanSee(const domain::EventRecord& event, const Viewer& viewer);

// The event as one Server-Sent Events frame: `id: <seq>`, `event: <type>`, and `data:` the
// JSON {seq, type, at, subject, data}, ending in a blank line.
std::string SseFrame(const domain::EventRecord& event);

// An event with its frame, rendered once per node however many streams send it.
struct LiveEvent {
  domain::EventRecord record;
  std::string frame;
};
using LiveEventPtr = std::shared_ptr<const LiveEvent>;

class EventHub {
 public:
  struct Options {
    size_t ring_size = 4096;
    std::chrono::milliseconds poll_interval{2000};
  };

  // A registration of a waker; destroying it guarantees the waker is not running and will
  // not be called again.
  class Subscription {
   public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    friend class EventHub;
    Subscription(EventHub* hub, uint64_t id) : hub_(hub), id_(id) {}
    EventHub* hub_;
    uint64_t id_;
  };

  EventHub(domain::TransactionRunner& runner, Options options);
  ~EventHub();  // stops the fetch thread

  // Reads the current end of the log and starts the fetch thread.
  core::Status Start();
  void Stop();

  // New events may have been committed: fetch them soon. Thread-safe, cheap, never blocks.
  void Poke();

  // The newest sequence number this hub has fetched.
  int64_t last_seq() const { return last_seq_.load(); }

  // Events with seq > `after`, in order, at most `limit` — from the ring when it still holds
  // them, else from the database. Never returns an event past last_seq(), so callers see
  // the log in the same order the hub announces it.
  core::Result<std::vector<LiveEventPtr>> After(int64_t after, size_t limit);

  // Calls `wake` (from the hub's thread) after each batch of new events. See Subscription.
  std::unique_ptr<Subscription> Subscribe(std::function<void()> wake);
  size_t subscribers() const;

 private:
  void Loop();
  core::Status FetchNew();
  void Unsubscribe(uint64_t id);

  domain::TransactionRunner& runner_;
  const Options options_;

  mutable std::mutex ring_mu_;
  std::deque<LiveEventPtr> ring_;
  std::atomic<int64_t> last_seq_{0};

  mutable std::mutex wake_mu_;  // held while wakers run, so Unsubscribe waits for them
  std::map<uint64_t, std::function<void()>> wakers_;
  uint64_t next_id_ = 1;

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool poked_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace soundcheck::live
