#include "core/ids.h"

#include <cstdio>

namespace soundcheck::core {
namespace {

std::string Format(const uint8_t b[16]) {
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace

UuidV7Generator::UuidV7Generator(const Clock& clock) : clock_(clock) {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
  rng_.seed(seq);
}

std::string UuidV7Generator::NewId() {
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  uint8_t b[16];
  {
    std::lock_guard lock(mu_);
    // Within one millisecond a 12-bit counter keeps ids monotonic (RFC 9562 method 1).
    if (ms <= last_ms_) {
      ms = last_ms_;
      if (++seq_ > 0x0fff) {
        ++ms;
        seq_ = 0;
      }
    } else {
      seq_ = static_cast<uint16_t>(rng_() & 0x01ff);
    }
    last_ms_ = ms;
    uint64_t r = rng_();
    for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<uint8_t>(0x70 | ((seq_ >> 8) & 0x0f));
    b[7] = static_cast<uint8_t>(seq_ & 0xff);
    b[8] = static_cast<uint8_t>(0x80 | (r & 0x3f));
    for (int i = 9; i < 16; ++i) b[i] = static_cast<uint8_t>(r >> (8 * (i - 8)));
  }
  return Format(b);
}

std::string SequentialIdGenerator::NewId() {
  uint64_t n;
  {
    std::lock_guard lock(mu_);
    n = next_++;
  }
  uint8_t b[16] = {0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0};
  for (int i = 0; i < 6; ++i) b[10 + i] = static_cast<uint8_t>(n >> (40 - 8 * i));
  return Format(b);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace soundcheck::core
