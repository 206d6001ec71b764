// Domain rules without HTTP or a database: accounts, sessions, TOTP, lockout, sealing,
// crypto-shredding, key rotation and the audit chain, on in-memory repositories.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/ids.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "domain/accounts/account_service.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::domain {
namespace {

using accounts::AccountService;
using accounts::Caller;
using accounts::Principal;
using accounts::Role;
using core::ErrorCode;

class DomainTest : public ::testing::Test {
 protected:
  DomainTest()
      : clock_(core::FromUnixSeconds(1'790'000'000)),
        master_(*crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-test-1")),
        keys_(master_),
        audit_(keys_, clock_, ids_),
        hasher_({1, 8u << 20}, 2),
        policy_(crypto::PasswordPolicy::FromWords({"correct horse battery staple"})),
        accounts_(runner_, keys_, audit_, hasher_, policy_, clock_, ids_, {}) {}

  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitCrypto()); }

  Caller AdminCaller() {
    Principal p;
    p.user_id = "admin-id";
    p.role = Role::kAdmin;
    return {p, "req-1"};
  }

  core::ManualClock clock_;
  core::SequentialIdGenerator ids_;
  crypto::MasterKey master_;
  testing::MemoryRunner runner_;
  keys::KeyService keys_;
  audit::AuditLog audit_;
  crypto::PasswordHasher hasher_;
  crypto::PasswordPolicy policy_;
  AccountService accounts_;
};

TEST_F(DomainTest, CreateUserValidatesEveryField) {
  auto r = accounts_.CreateUser(AdminCaller(), {"not-an-email", "", "wizard", "x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"/email", "/name", "/role"}));
  // Staff (TOTP) need 8 characters, members 15; listed passwords are refused.
  EXPECT_TRUE(accounts_.CreateUser(AdminCaller(), {"a@x.test", "A", "case_manager", "eight ch"}));
  auto member = accounts_.CreateUser(AdminCaller(), {"b@x.test", "B", "member", "fourteen chars"});
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().fields.at(0).code, "too_short");
  auto common = accounts_.CreateUser(AdminCaller(),
                                     {"c@x.test", "C", "member", "Correct Horse Battery Staple"});
  ASSERT_FALSE(common);
  EXPECT_EQ(common.error().fields.at(0).code, "common_password");
}

TEST_F(DomainTest, EmailsAreSealedAndUniqueWhateverTheirCase) {
  auto u = accounts_.CreateUser(AdminCaller(),
                                {" Ana@Example.TEST ", "Ana", "admin", "a fine passphrase"});
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->email, "ana@example.test");
  const auto& rec = runner_.state().users.at(u->id);
  EXPECT_EQ(rec.email_sealed.find("ana@example.test"), std::string::npos);
  EXPECT_EQ(rec.name_sealed.find("Ana"), std::string::npos);
  EXPECT_EQ(rec.email_index.find("ana"), std::string::npos);
  auto dup = accounts_.CreateUser(
      AdminCaller(), {"ANA@example.test", "Other", "member", "another fine passphrase"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST_F(DomainTest, LoginWithTotpSessionsAndLockout) {
  std::string secret = crypto::NewTotpSecret();
  auto u = accounts_.CreateUserAsSystem({"cm@x.test", "CM", "case_manager", "a fine passphrase"},
                                        secret);
  ASSERT_TRUE(u);
  auto need = accounts_.Login({"cm@x.test", "a fine passphrase", std::nullopt, "r"});
  ASSERT_FALSE(need);
  EXPECT_EQ(need.error().reason, "totp-required");
  std::string code = crypto::TotpCode(secret, clock_.Now());
  auto ok = accounts_.Login({"cm@x.test", "a fine passphrase", code, "r"});
  ASSERT_TRUE(ok) << ok.error().message;
  auto again = accounts_.Login({"cm@x.test", "a fine passphrase", code, "r"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, "totp-invalid");

  // Signing in changes no editable field, so an admin's open edit form stays current.
  EXPECT_EQ(ok->user.version, u->version);
  EXPECT_EQ(runner_.state().users.at(u->id).version, u->version);

  auto p = accounts_.AuthenticateSession(ok->session_token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->role, Role::kCaseManager);
  EXPECT_TRUE(p->mfa_complete);
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_FALSE(accounts_.AuthenticateSession(ok->session_token));

  // The replayed code above was the first failure of this hour; 99 more reach the limit.
  for (int i = 0; i < 99; ++i) {
    ASSERT_EQ(accounts_.Login({"cm@x.test", "wrong", std::nullopt, "r"}).error().reason,
              "invalid-credentials")
        << i;
  }
  clock_.Advance(std::chrono::seconds(30));
  auto locked = accounts_.Login(
      {"cm@x.test", "a fine passphrase", crypto::TotpCode(secret, clock_.Now()), "r"});
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().reason, "locked");
}

TEST_F(DomainTest, ErasingAPersonsKeyMakesTheirDataUnreadable) {
  auto u = accounts_.CreateUser(AdminCaller(),
                                {"gone@x.test", "Gone", "member", "a very fine passphrase"});
  ASSERT_TRUE(u);
  ASSERT_TRUE(accounts_.GetUser(AdminCaller(), u->id));
  ASSERT_TRUE(runner_.Run([&](UnitOfWork& uow) { return keys::KeyService::Erase(uow, u->id); }));
  auto after = accounts_.GetUser(AdminCaller(), u->id);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::kNotFound);
}

TEST_F(DomainTest, RotatingTheMasterKeyRewrapsEveryDataKey) {
  auto u =
      accounts_.CreateUser(AdminCaller(), {"r@x.test", "Rota", "member", "a very fine passphrase"});
  ASSERT_TRUE(u);
  auto next = *crypto::MasterKey::FromBytes(crypto::RandomBytes(32), "mk-test-2");
  int count = 0;
  ASSERT_TRUE(runner_.Run([&](UnitOfWork& uow) -> Status {
    SC_ASSIGN_OR_RETURN(count, keys::KeyService::Rewrap(uow, master_, next));
    return core::Ok();
  }));
  EXPECT_GE(count, 3);  // the person, the blind-index key, the audit key
  for (const auto& [s, k] : runner_.state().keys) EXPECT_EQ(k.master_key_id, "mk-test-2");
  keys::KeyService rotated(next);
  audit::AuditLog audit2(rotated, clock_, ids_);
  AccountService accounts2(runner_, rotated, audit2, hasher_, policy_, clock_, ids_, {});
  auto read = accounts2.GetUser(AdminCaller(), u->id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->name, "Rota");
  auto v = audit2.Verify(runner_);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ok) << v->problem;  // the chain key survived the rotation
}

TEST_F(DomainTest, AuditChainVerifiesAndCatchesEdits) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(accounts_.CreateUser(AdminCaller(), {"p" + std::to_string(i) + "@x.test", "P",
                                                     "member", "a very fine passphrase"}));
  }
  auto ok = audit_.Verify(runner_);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->entries, 5);
  runner_.state().audit[3].subject_id = "someone-else";
  auto bad = audit_.Verify(runner_);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(*bad->first_bad_seq, 3);
}

TEST_F(DomainTest, AFailedUnitOfWorkChangesNothing) {
  size_t before = runner_.state().users.size();
  auto st = runner_.Run([&](UnitOfWork& uow) -> Status {
    accounts::UserRecord r;
    r.id = "x";
    r.email_index = "idx";
    SC_RETURN_IF_ERROR(uow.users().Insert(r));
    return core::Error::Unavailable("injected");
  });
  EXPECT_FALSE(st);
  EXPECT_EQ(runner_.state().users.size(), before);
}

}  // namespace
}  // namespace soundcheck::domain
