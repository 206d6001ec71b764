// Accounts, sessions, TOTP and API tokens: the rules of security.md "Authentication",
// with every personal-data access audited in the same transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "crypto/passwords.h"
#include "domain/accounts/model.h"
#include "domain/audit/audit_log.h"
#include "domain/keys/key_service.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::accounts {

struct SessionPolicy {
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds absolute{12 * 3600};
  int max_failures_per_hour = 100;
};

// Who asks, for the audit log.
struct Caller {
  Principal principal;
  std::string request_id;
};

struct NewUser {
  std::string email;
  std::string name;
  std::string role;
  std::string password;
};

struct UserPatch {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
};

struct LoginRequest {
  std::string email;
  std::string password;
  std::optional<std::string> totp_code;
  std::string request_id;
};

struct LoginResult {
  User user;
  std::string session_token;  // the cookie value; shown once, stored only as a hash
  std::string csrf_token;
};

struct TotpEnrolment {
  std::string secret;
  std::string otpauth_uri;
};

struct TokenInfo {
  std::string id;
  std::string name;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

struct NewToken {
  TokenInfo info;
  std::string token;  // shown once
};

struct UserPage {
  std::vector<User> items;
  std::string next_cursor;  // empty: no more
};

class AccountService {
 public:
  AccountService(TransactionRunner& runner, keys::KeyService& keys, audit::AuditLog& audit,
                 crypto::PasswordHasher& hasher, const crypto::PasswordPolicy& policy,
                 const core::Clock& clock, core::IdGenerator& ids, SessionPolicy sessions);

  // Administration (callers are authorised by the route table; rules here are the domain's).
  // Errors: kUnprocessable with field errors (/email, /name, /role, /password), kConflict
  // when the email is taken.
  Result<User> CreateUser(const Caller& caller, const NewUser& input);
  Result<User> GetUser(const Caller& caller, const std::string& id);
  Result<UserPage> ListUsers(const Caller& caller, const std::string& cursor, int limit);
  // kFailedPrecondition when `expected_version` is stale; kUnprocessable when an admin would
  // demote or disable themself (an installation must keep an admin who can act).
  Result<User> UpdateUser(const Caller& caller, const std::string& id, const UserPatch& patch,
                          int64_t expected_version);

  // Errors carry reasons: "invalid-credentials" (401), "totp-required" (401),
  // "totp-invalid" (401), "locked" (429). Unknown emails cost the same hash as known ones.
  Result<LoginResult> Login(const LoginRequest& request);
  Status Logout(const Caller& caller);

  // Authentication for the pipeline. kUnauthenticated when missing, expired or revoked.
  Result<Principal> AuthenticateSession(const std::string& cookie_value);
  Result<Principal> AuthenticateToken(const std::string& bearer_token);

  Result<User> Me(const Caller& caller);
  Result<TotpEnrolment> BeginTotp(const Caller& caller);
  Status ConfirmTotp(const Caller& caller, const std::string& code);
  Status ChangePassword(const Caller& caller, const std::string& current, const std::string& next);

  Result<NewToken> CreateToken(const Caller& caller, const std::string& name);
  Result<std::vector<TokenInfo>> ListTokens(const Caller& caller);
  Status RevokeToken(const Caller& caller, const std::string& id);

  // For the CLI and the demo seed: creates a user without a caller (audited as "system"),
  // optionally with TOTP already enrolled from `totp_secret`.
  Result<User> CreateUserAsSystem(const NewUser& input, const std::string& totp_secret = {});
  // For the CLI: a token for the user with this email.
  Result<NewToken> CreateTokenAsSystem(const std::string& email, const std::string& name);
  // The id of the account with this email (CLI). kNotFound when there is none.
  Result<std::string> UserIdByEmailAsSystem(const std::string& email);

  static std::string NormalizeEmail(std::string_view email);

 private:
  Result<User> Decode(UnitOfWork& uow, const UserRecord& rec);
  Result<User> CreateIn(UnitOfWork& uow, const NewUser& input, const std::string& totp_secret,
                        const audit::Entry& who);
  Status Audit(UnitOfWork& uow, const Caller& caller, std::string action, std::string subject_type,
               std::string subject_id, std::string outcome = "success");

  TransactionRunner& runner_;
  keys::KeyService& keys_;
  audit::AuditLog& audit_;
  crypto::PasswordHasher& hasher_;
  const crypto::PasswordPolicy& policy_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  SessionPolicy sessions_;
  std::string dummy_hash_;  // verified against for unknown emails (equal timing)
};

}  // namespace soundcheck::domain::accounts
