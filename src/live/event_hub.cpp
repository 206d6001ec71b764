#include "live/event_hub.h"

#include <boost/json.hpp>

#include "core/log.h"
#include "domain/events/events.h"

namespace soundcheck::live {

bool CanSee(const domain::EventRecord& event, const Viewer& viewer) {
  return domain::events::InAudience(event.audience, viewer.user_id, viewer.role);
}

std::string SseFrame(const domain::EventRecord& e) {
  boost::json::object msg{{"seq", e.seq},
                          {"type", e.type},
                          {"at", core::FormatRfc3339(core::FromUnixSeconds(e.at))},
                          {"subject", {{"type", e.subject_type}, {"id", e.subject_id}}}};
  boost::system::error_code ec;
  auto data = boost::json::parse(e.data, ec);
  msg["data"] = ec ? boost::json::value(boost::json::object{}) : data;
  return "id: " + std::to_string(e.seq) + "\nevent: " + e.type +
         "\ndata: " + boost::json::serialize(msg) + "\n\n";
}

namespace {
LiveEventPtr Render(domain::EventRecord e) {
  auto item = std::make_shared<LiveEvent>();
  item->frame = SseFrame(e);
  item->record = std::move(e);
  return item;
}
}  // namespace

EventHub::Subscription::~Subscription() { hub_->Unsubscribe(id_); }

EventHub::EventHub(domain::TransactionRunner& runner, Options options)
    : runner_(runner), options_(options) {}

EventHub::~EventHub() { Stop(); }

core::Status EventHub::Start() {
  int64_t last = 0;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](domain::UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(last, uow.events().LastSeq());
    return core::Ok();
  }));
  last_seq_ = last;
  thread_ = std::thread([this] { Loop(); });
  return core::Ok();
}

void EventHub::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    stop_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventHub::Poke() {
  {
    std::lock_guard lock(loop_mu_);
    poked_ = true;
  }
  loop_cv_.notify_one();
}

void EventHub::Loop() {
  bool warned = false;
  for (;;) {
    {
      std::unique_lock lock(loop_mu_);
      loop_cv_.wait_for(lock, options_.poll_interval, [this] { return poked_ || stop_; });
      if (stop_) return;
      poked_ = false;
    }
    core::Status st = FetchNew();
    if (!st && !warned) {
      core::log::warn("live: cannot read new events ({}); will retry", st.error().message);
    }
    warned = !st;
  }
}

core::Status EventHub::FetchNew() {
  bool any = false;
  for (;;) {
    std::vector<domain::EventRecord> batch;
    const int64_t after = last_seq_.load();
    SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](domain::UnitOfWork& uow) -> core::Status {
      SC_ASSIGN_OR_RETURN(batch, uow.events().ReadAfter(after, 1000));
      return core::Ok();
    }));
    if (batch.empty()) break;
    {
      std::lock_guard lock(ring_mu_);
      for (auto& e : batch) {
        ring_.push_back(Render(std::move(e)));
        if (ring_.size() > options_.ring_size) ring_.pop_front();
      }
      last_seq_ = ring_.back()->record.seq;
    }
    any = true;
    if (batch.size() < 1000) break;
  }
  if (any) {
    std::lock_guard lock(wake_mu_);
    for (auto& [id, wake] : wakers_) wake();
  }
  return core::Ok();
}

core::Result<std::vector<LiveEventPtr>> EventHub::After(int64_t after, size_t limit) {
  std::vector<LiveEventPtr> out;
  const int64_t last = last_seq_.load();
  if (after >= last) return out;
  {
    std::lock_guard lock(ring_mu_);
    if (!ring_.empty() && ring_.front()->record.seq <= after + 1) {
      // seq values are dense, so the event after `after` sits at a known offset.
      size_t i = static_cast<size_t>(after + 1 - ring_.front()->record.seq);
      for (; i < ring_.size() && out.size() < limit && ring_[i]->record.seq <= last; ++i) {
        out.push_back(ring_[i]);
      }
      return out;
    }
  }
  // Behind the ring (a long-disconnected client): read the gap from the log.
  std::vector<domain::EventRecord> rows;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](domain::UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(rows, uow.events().ReadAfter(after, static_cast<int>(limit)));
    return core::Ok();
  }));
  for (auto& e : rows) {
    if (e.seq > last) break;
    out.push_back(Render(std::move(e)));
  }
  return out;
}

std::unique_ptr<EventHub::Subscription> EventHub::Subscribe(std::function<void()> wake) {
  std::lock_guard lock(wake_mu_);
  uint64_t id = next_id_++;
  wakers_.emplace(id, std::move(wake));
  return std::unique_ptr<Subscription>(new Subscription(this, id));
}

void EventHub::Unsubscribe(uint64_t id) {
  std::lock_guard lock(wake_mu_);
  wakers_.erase(id);
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(wake_mu_);
  return wakers_.size();
}

}  // namespace soundcheck::live
