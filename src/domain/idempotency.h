// Idempotent submissions (api.md): a public POST carries an Idempotency-Key; a retry with
// the same key and body answers as the first time, the same key with another body is
// refused, and a missing or malformed key is refused before anything is written.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/hashing.h"

namespace soundcheck::domain {

// The key and body of one submission, hashed (never stored as sent).
struct IdempotencyKey {
  std::string key_hash;      // scoped per kind of submission, so keys never collide across
  std::string request_hash;  // what was asked, to recognise a retry
};

// kInvalidArgument "idempotency-key-required" unless `key` has 8 to 128 characters.
inline core::Result<IdempotencyKey> CheckIdempotencyKey(std::string_view scope,
                                                        const std::string& key,
                                                        std::string_view body) {
  if (key.size() < 8 || key.size() > 128) {
    return core::Error::InvalidArgument(
               "bad idempotency key",
               {{"Idempotency-Key", key.empty() ? "required" : "invalid_format",
                 "Send an Idempotency-Key header of 8 to 128 characters."}})
        .WithReason("idempotency-key-required")
        .WithDetail("Send an Idempotency-Key header so a retry never makes a second request.");
  }
  return IdempotencyKey{crypto::HashToken(std::string(scope) + "-idempotency:" + key),
                        crypto::HashToken(body)};
}

// The error for a key reused with a different body.
inline core::Error IdempotencyKeyReused() {
  return core::Error::Unprocessable("idempotency key reused")
      .WithReason("idempotency-key-reused")
      .WithDetail("This Idempotency-Key was already used for a different request.");
}

}  // namespace soundcheck::domain
