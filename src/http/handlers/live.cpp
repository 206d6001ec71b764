// GET /api/v1/stream: the event log as Server-Sent Events for the staff console.
#include <charconv>
#include <chrono>
#include <random>

#include "core/clock.h"
#include "http/handlers/handlers.h"
#include "http/problem.h"
#include "live/event_hub.h"

namespace soundcheck::http::handlers {
namespace {

// One console's stream. It starts after Last-Event-ID (a reconnect: nothing in between is
// lost, however long the gap) or at the current end of the log (a fresh console, which
// loads its lists through the API first), sends every later event its viewer may see, and
// ends after a few minutes so the browser reconnects through the pipeline — which checks
// the session again, so a signed-out or disabled account stops receiving events.
class SseStream final : public StreamBody {
 public:
  SseStream(live::EventHub& hub, live::Viewer viewer, int64_t cursor,
            std::chrono::steady_clock::time_point end)
      : hub_(hub), viewer_(std::move(viewer)), cursor_(cursor), end_(end) {}

  std::string Next(bool& done) override {
    std::string out;
    if (first_) {
      first_ = false;
      out = "retry: 3000\n: connected\n\n";
    }
    auto events = hub_.After(cursor_, 256);
    if (!events) {
      done = true;  // the browser reconnects with Last-Event-ID and loses nothing
      return out;
    }
    for (const auto& e : *events) {
      cursor_ = e->record.seq;
      if (live::CanSee(e->record, viewer_)) out += e->frame;  // rendered once by the hub
    }
    // More waiting than one batch: come back at once rather than at the next event.
    if (events->size() == 256 && wake_) wake_();
    if (std::chrono::steady_clock::now() >= end_) done = true;
    return out;
  }

  void OnReady(std::function<void()> wake) override {
    wake_ = wake;
    subscription_ = hub_.Subscribe(std::move(wake));
  }

  std::string Heartbeat() override { return ": keep-alive\n\n"; }
  int heartbeat_seconds() const override { return 15; }

 private:
  live::EventHub& hub_;
  live::Viewer viewer_;
  int64_t cursor_;
  std::chrono::steady_clock::time_point end_;
  bool first_ = true;
  std::function<void()> wake_;
  std::unique_ptr<live::EventHub::Subscription> subscription_;
};

std::optional<int64_t> ParseSeq(const std::string& v) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < 0) return std::nullopt;
  return n;
}

}  // namespace

Response EventStream(Services& s, RequestContext& ctx) {
  if (!s.events) {
    return Problem(503, "unavailable", "Live updates unavailable",
                   "Live updates are not running on this server.", ctx.request_id);
  }
  int64_t cursor = s.events->last_seq();
  // EventSource sends Last-Event-ID on reconnect; a console may also pass ?after= when it
  // opens a stream for a list it loaded earlier.
  std::string last = ctx.request.headers.Get("Last-Event-ID");
  if (last.empty()) {
    auto q = ctx.request.QueryParams();
    if (auto it = q.find("after"); it != q.end()) last = it->second;
  }
  if (!last.empty()) {
    auto seq = ParseSeq(last);
    if (!seq) {
      return Problem(core::Error::InvalidArgument(
                         "bad Last-Event-ID",
                         {{"/Last-Event-ID", "format", "An event id is a whole number."}}),
                     ctx.request_id);
    }
    cursor = std::min(*seq, cursor);
  }
  // Streams end after 2–3 minutes (spread, so reconnects do not arrive in waves).
  static thread_local std::minstd_rand jitter(std::random_device{}());
  auto lifetime = std::chrono::seconds(120 + static_cast<int>(jitter() % 60));
  Response r;
  r.status = 200;
  r.headers.Set("Content-Type", "text/event-stream; charset=utf-8");
  r.headers.Set("Cache-Control", "no-store");
  r.headers.Set("X-Accel-Buffering", "no");  // nginx: pass events through at once
  r.stream = std::make_shared<SseStream>(*s.events,
                                         live::Viewer{ctx.principal->user_id, ctx.principal->role},
                                         cursor, std::chrono::steady_clock::now() + lifetime);
  return r;
}

}  // namespace soundcheck::http::handlers
