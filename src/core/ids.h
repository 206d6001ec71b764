// Identifiers. We create UUIDv7 (RFC 9562) so ids sort by creation time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace soundcheck::core {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new lowercase canonical UUID string. Thread-safe.
  virtual std::string NewId() = 0;
};

// UUIDv7 from the injected clock and a non-cryptographic random source seeded from the OS.
// Ids are identifiers, not secrets: tokens and keys come from crypto/.
class UuidV7Generator final : public IdGenerator {
 public:
  explicit UuidV7Generator(const Clock& clock);
  std::string NewId() override;

 private:
  const Clock& clock_;
  std::mutex mu_;
  std::mt19937_64 rng_;
  int64_t last_ms_ = 0;
  uint16_t seq_ = 0;
};

// Deterministic ids for tests: 00000000-0000-7000-8000-000000000001, ...002, ...
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewId() override;

 private:
  std::mutex mu_;
  uint64_t next_ = 1;
};

// True for a canonical 8-4-4-4-12 hex UUID (either case).
bool IsUuid(std::string_view s);

}  // namespace soundcheck::core
