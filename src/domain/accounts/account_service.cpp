#include "domain/accounts/account_service.h"

#include <algorithm>
#include <cctype>

#include "crypto/hashing.h"
#include "crypto/random.h"
#include "crypto/totp.h"

namespace soundcheck::domain::accounts {

using core::Error;
using core::ErrorCode;
using core::FieldError;

namespace {

constexpr std::string_view kUsers = "users";

int64_t Unix(const core::Clock& clock) { return core::ToUnixSeconds(clock.Now()); }

// A deliberately plain check: one '@', something on each side, no spaces or controls.
bool LooksLikeEmail(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size()) return false;
  if (e.find('@', at + 1) != std::string_view::npos) return false;
  if (e.size() > 254) return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f) return false;
  return e.find('.', at) != std::string_view::npos;
}

Error InvalidCredentials() {
  return Error::Unauthenticated("login failed")
      .WithReason("invalid-credentials")
      .WithDetail("That email and password do not match an active account.");
}

}  // namespace

AccountService::AccountService(TransactionRunner& runner, keys::KeyService& keys,
                               audit::AuditLog& audit, crypto::PasswordHasher& hasher,
                               const crypto::PasswordPolicy& policy, const core::Clock& clock,
                               core::IdGenerator& ids, SessionPolicy sessions)
    : runner_(runner),
      keys_(keys),
      audit_(audit),
      hasher_(hasher),
      policy_(policy),
      clock_(clock),
      ids_(ids),
      sessions_(sessions) {
  auto h = hasher_.Hash(crypto::RandomToken(16));
  if (h) dummy_hash_ = *h;
}

std::string AccountService::NormalizeEmail(std::string_view email) {
  std::string out;
  size_t b = 0, e = email.size();
  while (b < e && std::isspace(static_cast<unsigned char>(email[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(email[e - 1]))) --e;
  for (size_t i = b; i < e; ++i)
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(email[i])));
  return out;
}

Status AccountService::Audit(UnitOfWork& uow, const Caller& caller, std::string action,
                             std::string subject_type, std::string subject_id,
                             std::string outcome) {
  return audit_.Append(uow, {caller.principal.user_id, std::string(RoleName(caller.principal.role)),
                             std::move(action), std::move(subject_type), std::move(subject_id),
                             "account administration", std::move(outcome), caller.request_id});
}

Result<User> AccountService::Decode(UnitOfWork& uow, const UserRecord& rec) {
  User u;
  u.id = rec.id;
  SC_ASSIGN_OR_RETURN(u.email,
                      keys_.Open(uow, rec.id, {kUsers, "email", rec.id}, rec.email_sealed));
  SC_ASSIGN_OR_RETURN(u.name, keys_.Open(uow, rec.id, {kUsers, "name", rec.id}, rec.name_sealed));
  auto role = ParseRole(rec.role);
  if (!role) return Error::Internal("stored user has an unknown role");
  u.role = *role;
  u.disabled = rec.disabled;
  u.totp_enrolled = rec.totp_enrolled;
  u.version = rec.version;
  u.created_at = core::FromUnixSeconds(rec.created_at);
  u.updated_at = core::FromUnixSeconds(rec.updated_at);
  return u;
}

Result<User> AccountService::CreateIn(UnitOfWork& uow, const NewUser& input,
                                      const std::string& totp_secret, const audit::Entry& who) {
  std::vector<FieldError> errors;
  std::string email = NormalizeEmail(input.email);
  if (!LooksLikeEmail(email)) {
    errors.push_back({"/email", "invalid_format", "Enter an email address like name@example.org."});
  }
  std::string name = input.name;
  if (name.empty() || name.size() > 200) {
    errors.push_back({"/name", name.empty() ? "required" : "too_long",
                      "Enter a name of at most 200 characters."});
  }
  auto role = ParseRole(input.role);
  if (!role) {
    errors.push_back({"/role", "invalid_value",
                      "Choose one of member, case_manager, supervisor, provider, fund_reviewer, "
                      "sponsor, partner_app, admin."});
  }
  if (role) {
    auto st = policy_.Check(input.password, RequiresMfa(*role), "/password");
    if (!st) {
      for (auto& f : st.error().fields) errors.push_back(f);
    }
  }
  if (!errors.empty()) return Error::Unprocessable("user input invalid", std::move(errors));

  SC_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(input.password));
  UserRecord rec;
  rec.id = ids_.NewId();
  SC_ASSIGN_OR_RETURN(rec.email_index, keys_.BlindIndex(uow, email));
  SC_ASSIGN_OR_RETURN(auto existing, uow.users().FindByEmailIndex(rec.email_index));
  if (existing) {
    return Error::Conflict("email taken")
        .WithReason("email-taken")
        .WithDetail("An account with this email already exists.");
  }
  SC_ASSIGN_OR_RETURN(rec.email_sealed, keys_.Seal(uow, rec.id, {kUsers, "email", rec.id}, email));
  SC_ASSIGN_OR_RETURN(rec.name_sealed, keys_.Seal(uow, rec.id, {kUsers, "name", rec.id}, name));
  if (!totp_secret.empty()) {
    SC_ASSIGN_OR_RETURN(rec.totp_secret_sealed,
                        keys_.Seal(uow, rec.id, {kUsers, "totp_secret", rec.id}, totp_secret));
    rec.totp_enrolled = true;
  }
  rec.role = std::string(RoleName(*role));
  rec.password_hash = std::move(hash);
  rec.created_at = rec.updated_at = Unix(clock_);
  SC_RETURN_IF_ERROR(uow.users().Insert(rec));
  audit::Entry entry = who;
  entry.subject_id = rec.id;
  SC_RETURN_IF_ERROR(audit_.Append(uow, entry));
  return Decode(uow, rec);
}

Result<User> AccountService::CreateUser(const Caller& caller, const NewUser& input) {
  Result<User> out = Error::Internal("not run");
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(
        User u, CreateIn(uow, input, {},
                         {caller.principal.user_id, std::string(RoleName(caller.principal.role)),
                          "user.create", "user", "", "account administration", "success",
                          caller.request_id}));
    out = std::move(u);
    return core::Ok();
  }));
  return out;
}

Result<User> AccountService::CreateUserAsSystem(const NewUser& input,
                                                const std::string& totp_secret) {
  Result<User> out = Error::Internal("not run");
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(User u, CreateIn(uow, input, totp_secret,
                                         {"system", "system", "user.create", "user", "",
                                          "command line administration", "success", "cli"}));
    out = std::move(u);
    return core::Ok();
  }));
  return out;
}

Result<User> AccountService::GetUser(const Caller& caller, const std::string& id) {
  Result<User> out = Error::NotFound("user not found");
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rec, uow.users().FindById(id));
    if (!rec) return Error::NotFound("user not found");
    SC_ASSIGN_OR_RETURN(User u, Decode(uow, *rec));
    SC_RETURN_IF_ERROR(Audit(uow, caller, "user.read", "user", id));
    out = std::move(u);
    return core::Ok();
  }));
  return out;
}

Result<UserPage> AccountService::ListUsers(const Caller& caller, const std::string& cursor,
                                           int limit) {
  if (!cursor.empty() && !core::IsUuid(cursor)) {
    return Error::InvalidArgument("bad cursor", {{"/cursor", "invalid_format", "Unknown cursor."}});
  }
  limit = std::clamp(limit, 1, 200);
  UserPage page;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    page = {};
    SC_ASSIGN_OR_RETURN(auto recs, uow.users().List(cursor, limit + 1));
    bool more = static_cast<int>(recs.size()) > limit;
    if (more) recs.pop_back();
    for (const auto& r : recs) {
      SC_ASSIGN_OR_RETURN(User u, Decode(uow, r));
      page.items.push_back(std::move(u));
    }
    if (more) page.next_cursor = recs.back().id;
    // One entry for the list read, naming how many people it showed.
    return Audit(uow, caller, "user.list", "user", std::to_string(page.items.size()) + " users");
  }));
  return page;
}

Result<User> AccountService::UpdateUser(const Caller& caller, const std::string& id,
                                        const UserPatch& patch, int64_t expected_version) {
  std::vector<FieldError> errors;
  if (patch.name && (patch.name->empty() || patch.name->size() > 200)) {
    errors.push_back({"/name", "invalid_value", "Enter a name of at most 200 characters."});
  }
  std::optional<Role> role;
  if (patch.role) {
    role = ParseRole(*patch.role);
    if (!role) errors.push_back({"/role", "invalid_value", "Unknown role."});
  }
  if (id == caller.principal.user_id &&
      ((role && *role != Role::kAdmin && caller.principal.role == Role::kAdmin) ||
       (patch.disabled && *patch.disabled))) {
    errors.push_back({patch.disabled && *patch.disabled ? "/disabled" : "/role", "self_lockout",
                      "You cannot remove your own administrator access."});
  }
  if (!errors.empty()) return Error::Unprocessable("patch invalid", std::move(errors));

  Result<User> out = Error::NotFound("user not found");
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rec, uow.users().FindById(id));
    if (!rec) return Error::NotFound("user not found");
    if (rec->version != expected_version) {
      return Error::FailedPrecondition("stale version")
          .WithDetail("Someone else changed this account first. Reload it and try again.");
    }
    if (patch.name) {
      SC_ASSIGN_OR_RETURN(rec->name_sealed, keys_.Seal(uow, id, {kUsers, "name", id}, *patch.name));
    }
    if (role) rec->role = std::string(RoleName(*role));
    bool killed_sessions = false;
    if (patch.disabled) {
      killed_sessions = *patch.disabled && !rec->disabled;
      rec->disabled = *patch.disabled;
    }
    rec->version = expected_version + 1;
    rec->updated_at = Unix(clock_);
    SC_RETURN_IF_ERROR(uow.users().Update(*rec, expected_version));
    if (killed_sessions || role) SC_RETURN_IF_ERROR(uow.sessions().DeleteForUser(id));
    SC_RETURN_IF_ERROR(Audit(uow, caller, "user.update", "user", id));
    SC_ASSIGN_OR_RETURN(User u, Decode(uow, *rec));
    out = std::move(u);
    return core::Ok();
  }));
  return out;
}

Result<LoginResult> AccountService::Login(const LoginRequest& request) {
  std::string email = NormalizeEmail(request.email);
  if (request.password.size() > 4096) return InvalidCredentials();
  // Look the account up and count recent failures first (short transaction), hash outside
  // any transaction (it is slow by design), then record the outcome.
  std::optional<UserRecord> rec;
  int64_t failures = 0;
  int64_t now = Unix(clock_);
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(std::string idx, keys_.BlindIndex(uow, email));
    SC_ASSIGN_OR_RETURN(rec, uow.users().FindByEmailIndex(idx));
    if (rec) {
      SC_ASSIGN_OR_RETURN(failures, uow.users().CountLoginFailuresSince(rec->id, now - 3600));
    }
    return core::Ok();
  }));
  if (rec && failures >= sessions_.max_failures_per_hour) {
    return Error::ResourceExhausted("account locked")
        .WithReason("locked")
        .WithDetail(
            "Too many failed sign-in attempts. Try again in an hour or contact an administrator.");
  }
  bool password_ok = hasher_.Verify(rec ? rec->password_hash : dummy_hash_, request.password);
  if (!rec) return InvalidCredentials();

  Caller anon{{rec->id, ParseRole(rec->role).value_or(Role::kMember)}, request.request_id};
  Result<LoginResult> out = InvalidCredentials();
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto fresh, uow.users().FindById(rec->id));
    if (!fresh) return core::Ok();
    auto fail = [&](Error e) -> Status {
      SC_RETURN_IF_ERROR(uow.users().RecordLoginFailure(fresh->id, now));
      SC_RETURN_IF_ERROR(Audit(uow, anon, "auth.login", "user", fresh->id, "failure"));
      out = std::move(e);
      return core::Ok();  // commit the failure record; the caller still gets the error
    };
    if (!password_ok || fresh->disabled) return fail(InvalidCredentials());
    if (fresh->totp_enrolled) {
      if (!request.totp_code || request.totp_code->empty()) {
        // Not a failure: the password was right and the client asks for the second factor.
        out = Error::Unauthenticated("totp required")
                  .WithReason("totp-required")
                  .WithDetail("Enter the 6-digit code from your authenticator app.");
        return core::Ok();
      }
      SC_ASSIGN_OR_RETURN(std::string secret,
                          keys_.Open(uow, fresh->id, {kUsers, "totp_secret", fresh->id},
                                     fresh->totp_secret_sealed));
      auto step = crypto::VerifyTotp(secret, *request.totp_code, clock_.Now());
      bool fresh_step = false;
      if (step) {
        SC_ASSIGN_OR_RETURN(fresh_step, uow.users().AdvanceTotpStep(fresh->id, *step));
      }
      if (!fresh_step) {
        return fail(Error::Unauthenticated("totp invalid")
                        .WithReason("totp-invalid")
                        .WithDetail("That code is not valid. Wait for a new code and try again."));
      }
    }
    if (hasher_.NeedsRehash(fresh->password_hash)) {
      // Parameters changed since this hash was made: upgrade it now that we know the password.
      auto h = hasher_.Hash(request.password);
      if (h) {
        SC_RETURN_IF_ERROR(uow.users().SetCredentials(fresh->id, *h, fresh->totp_secret_sealed,
                                                      fresh->totp_enrolled));
      }
    }

    LoginResult result;
    result.session_token = crypto::RandomToken(32);
    result.csrf_token = crypto::RandomToken(24);
    SessionRecord s;
    s.id_hash = crypto::HashToken(result.session_token);
    s.user_id = fresh->id;
    s.csrf_token = result.csrf_token;
    s.created_at = s.last_seen_at = now;
    s.expires_at = now + sessions_.absolute.count();
    SC_RETURN_IF_ERROR(uow.sessions().Insert(s));
    SC_RETURN_IF_ERROR(Audit(uow, anon, "auth.login", "user", fresh->id));
    SC_ASSIGN_OR_RETURN(result.user, Decode(uow, *fresh));
    out = std::move(result);
    return core::Ok();
  }));
  return out;
}

Status AccountService::Logout(const Caller& caller) {
  return runner_.Run([&](UnitOfWork& uow) -> Status {
    if (caller.principal.method == AuthMethod::kSession) {
      SC_RETURN_IF_ERROR(uow.sessions().Delete(caller.principal.session_hash));
    }
    return Audit(uow, caller, "auth.logout", "user", caller.principal.user_id);
  });
}

Result<Principal> AccountService::AuthenticateSession(const std::string& cookie_value) {
  if (cookie_value.empty() || cookie_value.size() > 128) {
    return Error::Unauthenticated("no session");
  }
  const std::string hash = crypto::HashToken(cookie_value);
  const int64_t now = Unix(clock_);
  // Every request passes here: read in a read-only transaction (beside other readers), and
  // write only when something changes (expiry, or the once-a-minute idle touch).
  std::optional<SessionRecord> session;
  std::optional<UserRecord> user;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(session, uow.sessions().Find(hash));
    if (session) {
      SC_ASSIGN_OR_RETURN(user, uow.users().FindById(session->user_id));
    }
    return core::Ok();
  }));
  if (!session) return Error::Unauthenticated("session not found");
  if (now >= session->expires_at || now - session->last_seen_at >= sessions_.idle.count()) {
    SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) { return uow.sessions().Delete(hash); }));
    return Error::Unauthenticated("session expired")
        .WithReason("session-expired")
        .WithDetail("Your session has ended. Please sign in again.");
  }
  if (!user || user->disabled) return Error::Unauthenticated("session not found");
  // Touch at most once a minute: idle tracking needs no more precision than that.
  if (now - session->last_seen_at >= 60) {
    SC_RETURN_IF_ERROR(
        runner_.Run([&](UnitOfWork& uow) { return uow.sessions().Touch(hash, now); }));
  }
  Principal p;
  p.user_id = user->id;
  p.role = ParseRole(user->role).value_or(Role::kMember);
  p.method = AuthMethod::kSession;
  p.mfa_complete = !RequiresMfa(p.role) || user->totp_enrolled;
  p.csrf_token = session->csrf_token;
  p.session_hash = hash;
  return p;
}

Result<Principal> AccountService::AuthenticateToken(const std::string& bearer_token) {
  if (bearer_token.empty() || bearer_token.size() > 256) {
    return Error::Unauthenticated("no token");
  }
  const std::string hash = crypto::HashToken(bearer_token);
  const int64_t now = Unix(clock_);
  std::optional<TokenRecord> token;
  std::optional<UserRecord> user;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(token, uow.tokens().FindByHash(hash));
    if (token) {
      SC_ASSIGN_OR_RETURN(user, uow.users().FindById(token->user_id));
    }
    return core::Ok();
  }));
  if (!token || token->revoked_at || !user || user->disabled) {
    return Error::Unauthenticated("token not valid");
  }
  if (!token->last_used_at || now - *token->last_used_at >= 60) {
    SC_RETURN_IF_ERROR(
        runner_.Run([&](UnitOfWork& uow) { return uow.tokens().MarkUsed(token->id, now); }));
  }
  Principal p;
  p.user_id = user->id;
  p.role = ParseRole(user->role).value_or(Role::kMember);
  p.method = AuthMethod::kToken;
  // A token could only be created from a fully authenticated session.
  p.mfa_complete = true;
  return p;
}

Result<User> AccountService::Me(const Caller& caller) {
  Result<User> out = Error::Unauthenticated("no user");
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rec, uow.users().FindById(caller.principal.user_id));
    if (!rec) return Error::Unauthenticated("user gone");
    SC_ASSIGN_OR_RETURN(User u, Decode(uow, *rec));
    out = std::move(u);
    return core::Ok();  // one's own account is not audited as a disclosure (ADR 0003)
  }));
  return out;
}

Result<TotpEnrolment> AccountService::BeginTotp(const Caller& caller) {
  TotpEnrolment out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rec, uow.users().FindById(caller.principal.user_id));
    if (!rec) return Error::Unauthenticated("user gone");
    if (rec->totp_enrolled) {
      return Error::Conflict("already enrolled")
          .WithReason("totp-already-enrolled")
          .WithDetail("Two-step sign-in is already set up for this account.");
    }
    SC_ASSIGN_OR_RETURN(User u, Decode(uow, *rec));
    out.secret = crypto::NewTotpSecret();
    out.otpauth_uri = crypto::OtpAuthUri("Soundcheck", u.email, out.secret);
    SC_ASSIGN_OR_RETURN(rec->totp_secret_sealed,
                        keys_.Seal(uow, rec->id, {kUsers, "totp_secret", rec->id}, out.secret));
    SC_RETURN_IF_ERROR(
        uow.users().SetCredentials(rec->id, rec->password_hash, rec->totp_secret_sealed, false));
    return Audit(uow, caller, "auth.totp_begin", "user", rec->id);
  }));
  return out;
}

Status AccountService::ConfirmTotp(const Caller& caller, const std::string& code) {
  Status result;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto rec, uow.users().FindById(caller.principal.user_id));
    if (!rec) return Error::Unauthenticated("user gone");
    if (rec->totp_enrolled)
      return Error::Conflict("already enrolled").WithReason("totp-already-enrolled");
    if (rec->totp_secret_sealed.empty()) {
      return Error::FailedPrecondition("no enrolment")
          .WithReason("totp-not-started")
          .WithDetail("Start setting up two-step sign-in first.");
    }
    SC_ASSIGN_OR_RETURN(
        std::string secret,
        keys_.Open(uow, rec->id, {kUsers, "totp_secret", rec->id}, rec->totp_secret_sealed));
    auto step = crypto::VerifyTotp(secret, code, clock_.Now());
    if (!step) {
      result = Error::Unprocessable(
          "bad code",
          {{"/code", "invalid",
            "That code is not valid. Check the time on your phone and try the newest code."}});
      return core::Ok();
    }
    SC_RETURN_IF_ERROR(
        uow.users().SetCredentials(rec->id, rec->password_hash, rec->totp_secret_sealed, true));
    SC_ASSIGN_OR_RETURN(bool advanced, uow.users().AdvanceTotpStep(rec->id, *step));
    if (!advanced) return Error::Internal("fresh enrolment had a newer step");
    return Audit(uow, caller, "auth.totp_enrol", "user", rec->id);
  }));
  return result;
}

Status AccountService::ChangePassword(const Caller& caller, const std::string& current,
                                      const std::string& next) {
  if (auto st = policy_.Check(next, RequiresMfa(caller.principal.role), "/new_password"); !st) {
    return st;
  }
  std::optional<UserRecord> rec;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(rec, uow.users().FindById(caller.principal.user_id));
    return core::Ok();
  }));
  if (!rec) return Error::Unauthenticated("user gone");
  if (!hasher_.Verify(rec->password_hash, current)) {
    return Error::Unprocessable(
        "wrong current password",
        {{"/current_password", "incorrect", "Your current password is not right."}});
  }
  SC_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(next));
  return runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(auto fresh, uow.users().FindById(caller.principal.user_id));
    if (!fresh) return Error::Unauthenticated("user gone");
    SC_RETURN_IF_ERROR(uow.users().SetCredentials(fresh->id, hash, fresh->totp_secret_sealed,
                                                  fresh->totp_enrolled));
    // Other sessions of this account end; this one stays.
    SC_RETURN_IF_ERROR(
        uow.sessions().DeleteForUserExcept(fresh->id, caller.principal.session_hash));
    return Audit(uow, caller, "auth.password_change", "user", fresh->id);
  });
}

namespace {
TokenInfo Info(const TokenRecord& t) {
  return {t.id, t.name, t.created_at, t.last_used_at, t.revoked_at};
}
}  // namespace

Result<NewToken> AccountService::CreateToken(const Caller& caller, const std::string& name) {
  if (name.empty() || name.size() > 100) {
    return Error::Unprocessable("bad name", {{"/name", "invalid_value",
                                              "Give the token a name of at most 100 characters."}});
  }
  NewToken out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    TokenRecord t;
    t.id = ids_.NewId();
    t.user_id = caller.principal.user_id;
    t.name = name;
    out.token = "sc_" + crypto::RandomToken(32);
    t.token_hash = crypto::HashToken(out.token);
    t.created_at = Unix(clock_);
    SC_RETURN_IF_ERROR(uow.tokens().Insert(t));
    out.info = Info(t);
    return Audit(uow, caller, "token.create", "token", t.id);
  }));
  return out;
}

Result<NewToken> AccountService::CreateTokenAsSystem(const std::string& email,
                                                     const std::string& name) {
  std::optional<UserRecord> rec;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(std::string idx, keys_.BlindIndex(uow, NormalizeEmail(email)));
    SC_ASSIGN_OR_RETURN(rec, uow.users().FindByEmailIndex(idx));
    return core::Ok();
  }));
  if (!rec) return Error::NotFound("no such user").WithDetail("No account has that email.");
  Caller system{{rec->id, ParseRole(rec->role).value_or(Role::kMember)}, "cli"};
  return CreateToken(system, name);
}

Result<std::string> AccountService::UserIdByEmailAsSystem(const std::string& email) {
  std::optional<UserRecord> rec;
  SC_RETURN_IF_ERROR(runner_.RunReadOnly([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(std::string idx, keys_.BlindIndex(uow, NormalizeEmail(email)));
    SC_ASSIGN_OR_RETURN(rec, uow.users().FindByEmailIndex(idx));
    return core::Ok();
  }));
  if (!rec) return Error::NotFound("no such user").WithDetail("No account has that email.");
  return rec->id;
}

Result<std::vector<TokenInfo>> AccountService::ListTokens(const Caller& caller) {
  std::vector<TokenInfo> out;
  SC_RETURN_IF_ERROR(runner_.Run([&](UnitOfWork& uow) -> Status {
    out.clear();
    SC_ASSIGN_OR_RETURN(auto all, uow.tokens().ListForUser(caller.principal.user_id));
    for (const auto& t : all) out.push_back(Info(t));
    return core::Ok();
  }));
  return out;
}

Status AccountService::RevokeToken(const Caller& caller, const std::string& id) {
  if (!core::IsUuid(id)) return Error::NotFound("no such token");
  return runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(bool revoked,
                        uow.tokens().Revoke(caller.principal.user_id, id, Unix(clock_)));
    if (!revoked) return Error::NotFound("no such token");
    return Audit(uow, caller, "token.revoke", "token", id);
  });
}

}  // namespace soundcheck::domain::accounts
