// Accounts: users, sessions and API tokens as the domain sees them (plaintext values; the
// repositories store the sealed forms).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/accounts/roles.h"

namespace soundcheck::domain::accounts {

struct User {
  std::string id;
  std::string email;
  std::string name;
  Role role = Role::kMember;
  bool disabled = false;
  bool totp_enrolled = false;
  int64_t version = 1;
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

// What the repository stores for a user. Sensitive columns are sealed bytes.
struct UserRecord {
  std::string id;
  std::string email_index;  // keyed blind index of the normalised email
  std::string email_sealed;
  std::string name_sealed;
  std::string role;
  std::string password_hash;       // Argon2id string
  std::string totp_secret_sealed;  // empty: not enrolled
  bool totp_enrolled = false;
  int64_t totp_last_step = 0;  // the last accepted TOTP step (a code is used once)
  bool disabled = false;
  int64_t version = 1;
  int64_t created_at = 0;  // unix seconds
  int64_t updated_at = 0;
};

struct SessionRecord {
  std::string id_hash;  // BLAKE2b of the cookie value; the value itself is never stored
  std::string user_id;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;  // absolute limit
};

struct TokenRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_hash;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

// Who is calling, as established by authentication.
enum class AuthMethod { kSession, kToken };

struct Principal {
  std::string user_id;
  Role role = Role::kMember;
  AuthMethod method = AuthMethod::kSession;
  // False while a staff account has not enrolled TOTP yet: only enrolment routes are open.
  bool mfa_complete = true;
  std::string csrf_token;    // sessions only
  std::string session_hash;  // sessions only
};

}  // namespace soundcheck::domain::accounts
