#include "crypto/hashing.h"

#include <sodium.h>

#include "crypto/internal.h"
#include "crypto/random.h"

namespace soundcheck::crypto {

using internal::Bytes;

namespace {

constexpr size_t kHashBytes = 32;

std::string HexOf(const unsigned char (&digest)[kHashBytes]) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), kHashBytes));
}

}  // namespace

std::string ChainHash(std::string_view key, std::string_view prev_hash_hex,
                      std::string_view canonical_entry) {
  if (key.size() < crypto_generichash_KEYBYTES_MIN ||
      key.size() > crypto_generichash_KEYBYTES_MAX) {
    internal::ContractViolation("ChainHash: key must be 16 to 64 bytes");
  }
  internal::EnsureSodium();
  std::string message = "sc-chain-v1";
  internal::AppendLengthPrefixed(message, prev_hash_hex);
  internal::AppendLengthPrefixed(message, canonical_entry);
  unsigned char digest[kHashBytes];
  crypto_generichash(digest, sizeof digest, Bytes(message), message.size(), Bytes(key), key.size());
  return HexOf(digest);
}

std::string HashToken(std::string_view token) {
  internal::EnsureSodium();
  unsigned char digest[kHashBytes];
  crypto_generichash(digest, sizeof digest, Bytes(token), token.size(), nullptr, 0);
  return HexOf(digest);
}

}  // namespace soundcheck::crypto
