// Password storage (Argon2id) and the password rules of NIST SP 800-63B.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace soundcheck::crypto {

// Argon2id cost. The defaults are the production setting (t=3, 64 MiB, security.md); tests
// use {1, 8u << 20} to stay fast.
struct PasswordParams {
  uint64_t ops_limit = 3;
  size_t mem_limit = 64u << 20;
};

// Hashes and verifies passwords with Argon2id (libsodium crypto_pwhash_str), producing and
// reading the self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" strings.
//
// Each hash needs `mem_limit` bytes of memory, so at most `max_concurrent_hashes` Hash and
// Verify calls run at once; further callers block until a slot frees (this caps the memory
// an attacker can make the server spend by sending many logins at once).
//
// Thread-safe. Not copyable or movable (share it by reference).
class PasswordHasher {
 public:
  // Passwords longer than this many bytes are refused by Hash and never verify (the policy
  // allows 256 code points, at most 1024 bytes).
  static constexpr size_t kMaxPasswordBytes = 4096;

  // `max_concurrent_hashes` below 1 is treated as 1.
  PasswordHasher(PasswordParams params, int max_concurrent_hashes);
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Returns a new encoded hash of `password` with a fresh random salt. Blocks while all slots
  // are busy.
  // Errors: kInvalidArgument when the password is longer than kMaxPasswordBytes; kInternal
  // when the configured parameters are outside libsodium's limits; kUnavailable when the
  // memory for the hash cannot be had (retrying later may succeed).
  core::Result<std::string> Hash(std::string_view password);

  // True when `password` matches `stored_hash` (any Argon2i/Argon2id string libsodium
  // accepts, whatever its parameters). False for a mismatch, a malformed or empty stored hash,
  // an over-long password, or when memory for the check cannot be had. Blocks while all slots
  // are busy. Callers should also call it for unknown accounts (with a dummy hash) so that
  // response times do not reveal which accounts exist.
  bool Verify(std::string_view stored_hash, std::string_view password);

  // True when `stored_hash` should be replaced after a successful Verify: it is not Argon2id,
  // is malformed, or was made with parameters other than this hasher's. Cheap (no hashing).
  bool NeedsRehash(std::string_view stored_hash) const;

  const PasswordParams& params() const { return params_; }
  int max_concurrent_hashes() const { return max_concurrent_; }
  // The largest number of hashes that have run at the same time since construction (for
  // metrics and tests of the cap).
  int PeakConcurrentHashes() const { return peak_.load(); }

 private:
  class Slot;

  const PasswordParams params_;
  const int max_concurrent_;
  std::counting_semaphore<> slots_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> peak_{0};
};

// Which passwords may be chosen (NIST SP 800-63B §3.1.1.2 / §5.1.1.2):
//   - at least 15 Unicode code points for a password-only account, 8 when the account has a
//     second factor; at most 256 code points; any Unicode, spaces included;
//   - no composition rules (no "must contain a digit");
//   - not on the blocklist of common and breached passwords, compared case-insensitively
//     (ASCII letters are folded; the shipped list is ASCII), both as typed and with spaces
//     removed ("correct horse battery staple" matches "correcthorsebatterystaple");
//   - not one short run of characters repeated ("aaaaaaaaaaaaaaa", "abcabcabcabcabc"): a
//     password made of copies of a unit shorter than the minimum length is treated as common.
// Passwords are not normalised or trimmed; invalid UTF-8 is refused.
//
// Immutable after construction; copies share the list. Thread-safe.
class PasswordPolicy {
 public:
  static constexpr size_t kMinLengthWithoutMfa = 15;
  static constexpr size_t kMinLengthWithMfa = 8;
  static constexpr size_t kMaxLength = 256;

  // Loads a blocklist: one entry per line, UTF-8; blank lines and lines starting with '#'
  // are skipped; a trailing '\r' is dropped; entries are lowercased (ASCII).
  // Errors: kFailedPrecondition when the file cannot be read; kInvalidArgument when it holds
  // no entries (an empty list would silently switch the check off). Messages name the path
  // only.
  static core::Result<PasswordPolicy> LoadList(const std::string& path);

  // A policy whose blocklist is `words` (lowercased; empty is allowed, for tests).
  static PasswordPolicy FromWords(std::vector<std::string> words);

  // Ok when `password` may be chosen by an account that has (`has_mfa`) or lacks a second
  // factor.
  // Errors: kUnprocessable with one FieldError on `field`, code one of "invalid_encoding",
  // "too_short", "too_long", "common_password", and a message fit to show the user. Neither
  // the error nor its message contains the password.
  core::Status Check(std::string_view password, bool has_mfa,
                     std::string_view field = "/password") const;

  // Number of entries in the blocklist.
  size_t size() const { return words_->size(); }

 private:
  explicit PasswordPolicy(std::shared_ptr<const std::vector<std::string>> words)
      : words_(std::move(words)) {}
  bool Listed(std::string_view folded) const;

  std::shared_ptr<const std::vector<std::string>> words_;  // sorted, unique, lowercase
};

}  // namespace soundcheck::crypto
