#include "crypto/init.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/internal.h"

namespace soundcheck::crypto {

core::Status InitCrypto() {
  // sodium_init is itself thread-safe and idempotent (returns 1 when already initialised).
  if (sodium_init() < 0) return core::Error::Internal("libsodium failed to initialise");
  if (!internal::EnsureOath()) return core::Error::Internal("liboath failed to initialise");
  return core::Ok();
}

namespace internal {

void EnsureSodium() {
  // A function-local static is initialised exactly once, even with concurrent callers.
  static const bool ok = sodium_init() >= 0;
  if (!ok) ContractViolation("libsodium failed to initialise (no randomness source?)");
}

bool EnsureOath() {
  static const bool ok = oath_init() == OATH_OK;
  return ok;
}

void ContractViolation(const char* what) {
  std::fprintf(stderr, "soundcheck::crypto: %s\n", what);
  std::abort();
}

void AppendU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void AppendLengthPrefixed(std::string& out, std::string_view s) {
  AppendU64(out, s.size());
  out.append(s);
}

void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace internal
}  // namespace soundcheck::crypto
