// The clock is injected everywhere time matters (sessions, lockouts, TOTP, audit), so tests
// drive time by hand instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace soundcheck::core {

using TimePoint = std::chrono::system_clock::time_point;
using std::chrono::seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in UTC. Thread-safe.
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : micros_(ToMicros(start)) {}
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(micros_.load())); }
  void Advance(std::chrono::microseconds d) { micros_ += d.count(); }
  void Set(TimePoint t) { micros_ = ToMicros(t); }

 private:
  static int64_t ToMicros(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  }
  std::atomic<int64_t> micros_;
};

// Seconds since the Unix epoch (what the database stores).
inline int64_t ToUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint FromUnixSeconds(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

// RFC 3339 in UTC with a trailing Z, e.g. "2026-11-24T06:00:00Z" (whole seconds).
std::string FormatRfc3339(TimePoint t);

// Parses "YYYY-MM-DDTHH:MM:SSZ" or with a "+HH:MM"/"-HH:MM" offset (whole seconds).
// nullopt when malformed or out of range.
std::optional<TimePoint> ParseRfc3339(std::string_view s);

}  // namespace soundcheck::core
