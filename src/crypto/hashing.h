// Hashes for the audit chain and for secrets stored at rest. All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace soundcheck::crypto {

// The prev_hash of the first entry of a hash chain: 64 zeros.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One link of the audit log's hash chain: keyed BLAKE2b-256 over a length-prefixed encoding
// of `prev_hash_hex` and `canonical_entry` (so moving bytes between the two changes the
// result), as 64 lowercase hex digits. Without the key nobody can recompute a chain after
// editing it.
// Precondition: 16 <= key.size() <= 64 (a programming error otherwise: the process stops).
std::string ChainHash(std::string_view key, std::string_view prev_hash_hex,
                      std::string_view canonical_entry);

// BLAKE2b-256 of `token` as 64 lowercase hex digits, for storing session ids and API tokens:
// a database leak does not reveal usable tokens. Only for high-entropy random tokens (see
// RandomToken); passwords go through PasswordHasher instead.
std::string HashToken(std::string_view token);

}  // namespace soundcheck::crypto
