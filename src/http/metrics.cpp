#include "http/metrics.h"

#include <sstream>

namespace soundcheck::http {

void Metrics::Observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
  std::lock_guard lock(mu_);
  auto& s = series_[{route, method, status}];
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++s.buckets[i];
}

std::string Metrics::Render() const {
  std::ostringstream out;
  out << "# HELP soundcheck_http_requests_total Requests answered, by route and status.\n"
         "# TYPE soundcheck_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [k, s] : series_) {
    const auto& [route, method, status] = k;
    out << "soundcheck_http_requests_total{route=\"" << route << "\",method=\"" << method
        << "\",status=\"" << status << "\"} " << s.count << "\n";
  }
  out << "# HELP soundcheck_http_request_duration_seconds Time to answer, by route and status.\n"
         "# TYPE soundcheck_http_request_duration_seconds histogram\n";
  for (const auto& [k, s] : series_) {
    const auto& [route, method, status] = k;
    std::string labels = "route=\"" + route + "\",method=\"" + method + "\",status=\"" +
                         std::to_string(status) + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "soundcheck_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << s.buckets[i] << "\n";
    }
    out << "soundcheck_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
        << s.count << "\n";
    out << "soundcheck_http_request_duration_seconds_sum{" << labels << "} " << s.sum << "\n";
    out << "soundcheck_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  out << "# HELP soundcheck_http_requests_in_flight Requests being handled now.\n"
         "# TYPE soundcheck_http_requests_in_flight gauge\n"
         "soundcheck_http_requests_in_flight "
      << in_flight_.load() << "\n";
  out << "# HELP soundcheck_http_connections_open Client connections open now.\n"
         "# TYPE soundcheck_http_connections_open gauge\n"
         "soundcheck_http_connections_open "
      << connections_.load() << "\n";
  if (extra_) out << extra_();
  return out.str();
}

}  // namespace soundcheck::http
