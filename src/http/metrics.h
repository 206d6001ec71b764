// Prometheus metrics: request counts and latency histograms by route and status, requests
// in flight, the database pool, and build info. Thread-safe; cheap on the hot path.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace soundcheck::http {

class Metrics {
 public:
  // `pool_stats` is read at scrape time (may be null).
  explicit Metrics(std::function<std::string()> extra_text = nullptr)
      : extra_(std::move(extra_text)) {}

  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  std::atomic<int64_t>& in_flight() { return in_flight_; }
  std::atomic<int64_t>& connections() { return connections_; }

  // The exposition text (text/plain; version=0.0.4).
  std::string Render() const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};

 private:
  struct Series {
    int64_t count = 0;
    double sum = 0;
    std::array<int64_t, kBuckets.size()> buckets{};
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> connections_{0};
  std::function<std::string()> extra_;
};

}  // namespace soundcheck::http
