#include "crypto/passwords.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "crypto/random.h"

namespace soundcheck::crypto {
namespace {

using core::ErrorCode;

constexpr PasswordParams kFast{1, 8u << 20};

std::string SourceDir() {
  if (const char* env = std::getenv("SC_SOURCE_DIR")) return env;
  return SC_SOURCE_DIR;
}

std::string TempFile(const std::string& content) {
  std::string path = ::testing::TempDir() + "crypto_pw_XXXXXX";
  const int fd = ::mkstemp(path.data());
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// ---- PasswordHasher ----

TEST(PasswordHasherTest, HashesWithArgon2idAndVerifies) {
  PasswordHasher hasher(kFast, 2);
  auto h = hasher.Hash("a long enough passphrase");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=8192,t=1,p=1$")) << *h;
  EXPECT_TRUE(hasher.Verify(*h, "a long enough passphrase"));
  EXPECT_FALSE(hasher.Verify(*h, "a long enough passphrasE"));
  EXPECT_FALSE(hasher.Verify(*h, ""));
}

TEST(PasswordHasherTest, SaltsEveryHash) {
  PasswordHasher hasher(kFast, 2);
  auto a = hasher.Hash("same password here");
  auto b = hasher.Hash("same password here");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(hasher.Verify(*a, "same password here"));
  EXPECT_TRUE(hasher.Verify(*b, "same password here"));
}

TEST(PasswordHasherTest, HandlesUnicodeAndEmbeddedNul) {
  PasswordHasher hasher(kFast, 1);
  const std::string unicode = "pässwörd 🔑 日本語 long enough";
  const std::string with_nul("abc\0def-ghijklmnop", 18);
  auto h1 = hasher.Hash(unicode);
  auto h2 = hasher.Hash(with_nul);
  ASSERT_TRUE(h1 && h2);
  EXPECT_TRUE(hasher.Verify(*h1, unicode));
  EXPECT_TRUE(hasher.Verify(*h2, with_nul));
  EXPECT_FALSE(hasher.Verify(*h2, "abc"));  // not truncated at the NUL
}

TEST(PasswordHasherTest, MalformedStoredHashesNeverVerify) {
  PasswordHasher hasher(kFast, 1);
  for (std::string bad : {std::string(), std::string("plaintext"), std::string("$argon2id$"),
                          std::string(300, 'x'), std::string("$argon2id$v=19\0junk", 19)}) {
    EXPECT_FALSE(hasher.Verify(bad, "plaintext"));
    EXPECT_TRUE(hasher.NeedsRehash(bad));
  }
}

TEST(PasswordHasherTest, RefusesOverlongPasswords) {
  PasswordHasher hasher(kFast, 1);
  const std::string huge(PasswordHasher::kMaxPasswordBytes + 1, 'x');
  auto h = hasher.Hash(huge);
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code, ErrorCode::kInvalidArgument);
  auto ok = hasher.Hash("x");
  ASSERT_TRUE(ok);
  EXPECT_FALSE(hasher.Verify(*ok, huge));
}

TEST(PasswordHasherTest, RejectsParametersOutsideLibsodiumLimits) {
  PasswordHasher hasher(PasswordParams{0, 8u << 20}, 1);
  auto h = hasher.Hash("whatever it is");
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code, ErrorCode::kInternal);
}

TEST(PasswordHasherTest, NeedsRehashWhenParametersOrAlgorithmDiffer) {
  PasswordHasher fast(kFast, 1);
  PasswordHasher stronger(PasswordParams{2, 8u << 20}, 1);
  auto h = fast.Hash("rehash me please");
  ASSERT_TRUE(h);
  EXPECT_FALSE(fast.NeedsRehash(*h));
  EXPECT_TRUE(stronger.NeedsRehash(*h));
  // A verifier still accepts the old hash, so login can verify and then rehash.
  EXPECT_TRUE(stronger.Verify(*h, "rehash me please"));

  // Argon2i (not id) with the very same parameters still needs a rehash.
  char argon2i[crypto_pwhash_argon2i_STRBYTES];
  ASSERT_EQ(
      crypto_pwhash_argon2i_str(argon2i, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_MIN, 8u << 20), 0);
  EXPECT_TRUE(fast.Verify(argon2i, "pw"));
  EXPECT_TRUE(fast.NeedsRehash(argon2i));
}

TEST(PasswordHasherTest, ProductionParameters) {
  PasswordHasher hasher(PasswordParams{}, 1);
  auto h = hasher.Hash("correct horse battery staple, but longer");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=65536,t=3,p=1$")) << *h;
  EXPECT_TRUE(hasher.Verify(*h, "correct horse battery staple, but longer"));
  EXPECT_FALSE(hasher.NeedsRehash(*h));
  EXPECT_TRUE(PasswordHasher(kFast, 1).NeedsRehash(*h));
}

void HashFromThreads(PasswordHasher& hasher, int threads, int per_thread) {
  std::vector<std::thread> pool;
  std::atomic<int> ok{0};
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const std::string pw = "thread " + std::to_string(t) + " password " + std::to_string(i);
        auto h = hasher.Hash(pw);
        if (h && hasher.Verify(*h, pw)) ++ok;
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(ok.load(), threads * per_thread);
}

TEST(PasswordHasherTest, CapsConcurrentHashes) {
  PasswordHasher one(kFast, 1);
  HashFromThreads(one, 4, 2);
  EXPECT_EQ(one.PeakConcurrentHashes(), 1);

  PasswordHasher two(kFast, 2);
  HashFromThreads(two, 6, 2);
  EXPECT_GE(two.PeakConcurrentHashes(), 1);
  EXPECT_LE(two.PeakConcurrentHashes(), 2);

  PasswordHasher zero(kFast, 0);  // treated as 1
  EXPECT_EQ(zero.max_concurrent_hashes(), 1);
  HashFromThreads(zero, 3, 1);
  EXPECT_EQ(zero.PeakConcurrentHashes(), 1);
}

// ---- PasswordPolicy ----

// Expects `st` to be a single field error with `code` that does not echo `password`.
void ExpectRejected(const core::Status& st, std::string_view code, std::string_view password,
                    std::string_view field = "/password") {
  ASSERT_FALSE(st) << "accepted; expected " << code;
  EXPECT_EQ(st.error().code, ErrorCode::kUnprocessable);
  ASSERT_EQ(st.error().fields.size(), 1u);
  const core::FieldError& fe = st.error().fields[0];
  EXPECT_EQ(fe.field, field);
  EXPECT_EQ(fe.code, code);
  EXPECT_FALSE(fe.message.empty());
  if (!password.empty()) {
    EXPECT_EQ(fe.message.find(password), std::string::npos);
    EXPECT_EQ(st.error().message.find(password), std::string::npos);
  }
}

TEST(PasswordPolicyTest, MinimumLengthDependsOnMfa) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  ExpectRejected(policy.Check("fourteen chars", false), "too_short", "fourteen chars");
  EXPECT_TRUE(policy.Check("fifteen chars!!", false));
  ExpectRejected(policy.Check("seven c", true), "too_short", "seven c");
  EXPECT_TRUE(policy.Check("eight ch", true));
  ExpectRejected(policy.Check("", true), "too_short", "");
}

TEST(PasswordPolicyTest, TooShortMessageStatesTheMinimum) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  auto st = policy.Check("short", false);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().fields[0].message.find("15"), std::string::npos);
  st = policy.Check("short", true);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().fields[0].message.find("8"), std::string::npos);
}

TEST(PasswordPolicyTest, CountsCodePointsNotBytes) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  // 14 code points, 42 bytes: too short although longer than 15 bytes.
  const std::string fourteen = "日本語のパスワードはとても長";
  ASSERT_EQ(fourteen.size(), 42u);
  ExpectRejected(policy.Check(fourteen, false), "too_short", fourteen);
  EXPECT_TRUE(policy.Check(fourteen + "い", false));
  // 8 emoji (4 bytes each) are enough with MFA; 7 are not.
  EXPECT_TRUE(policy.Check("🔑🐙🌵🎻🚲🧀🌋🦉", true));
  ExpectRejected(policy.Check("🔑🐙🌵🎻🚲🧀🌋", true), "too_short", "");
}

TEST(PasswordPolicyTest, MaximumIs256CodePoints) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  const std::string random = RandomToken(256);  // 342 base64url characters
  EXPECT_TRUE(policy.Check(random.substr(0, 256), false));
  ExpectRejected(policy.Check(random.substr(0, 257), false), "too_long", random.substr(0, 257));
  // 256 two-byte code points (512 bytes) are fine.
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += i % 2 ? "é" : "ü";
  accented += RandomToken(96).substr(0, 128);
  EXPECT_TRUE(policy.Check(accented, false));
}

TEST(PasswordPolicyTest, NoCompositionRulesSpacesAndUnicodeAllowed) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({"password"});
  EXPECT_TRUE(policy.Check("all lowercase words here", false));
  EXPECT_TRUE(policy.Check("1234 9876 5555 0192 7", false));
  EXPECT_TRUE(policy.Check("  leading and trailing  ", false));
  EXPECT_TRUE(policy.Check("Grüße aus Köln, 日本 🎉", false));
}

TEST(PasswordPolicyTest, RejectsInvalidUtf8) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  const std::string pad = "long enough text ";
  for (std::string bad : {pad + "\xff", pad + "\xc0\xaf",  // overlong '/'
                          pad + "\xe0\x80\xaf",            // overlong
                          pad + "\xed\xa0\x80",            // UTF-16 surrogate
                          pad + "\xf4\x90\x80\x80",        // above U+10FFFF
                          pad + "\xe2\x82",                // truncated
                          pad + "\x80", "\xe2\x82" + pad}) {
    ExpectRejected(policy.Check(bad, false), "invalid_encoding", pad);
  }
}

TEST(PasswordPolicyTest, RejectsListedPasswordsCaseInsensitively) {
  const PasswordPolicy policy =
      PasswordPolicy::FromWords({"CorrectHorseBatteryStaple", "iloveyouiloveyou"});
  EXPECT_EQ(policy.size(), 2u);
  ExpectRejected(policy.Check("correcthorsebatterystaple", false), "common_password",
                 "correcthorsebatterystaple");
  ExpectRejected(policy.Check("CORRECTHORSEBATTERYSTAPLE", false), "common_password",
                 "CORRECTHORSEBATTERYSTAPLE");
  ExpectRejected(policy.Check("I Love You I Love You", false), "common_password", "");
  ExpectRejected(policy.Check("correct horse battery staple", false), "common_password", "");
  EXPECT_TRUE(policy.Check("correct horse battery stapler", false));
}

TEST(PasswordPolicyTest, RejectsShortUnitsRepeated) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  ExpectRejected(policy.Check("aaaaaaaaaaaaaaa", false), "common_password", "");
  ExpectRejected(policy.Check("               ", false), "common_password", "");
  ExpectRejected(policy.Check("abcabcabcabcabc", false), "common_password", "");
  ExpectRejected(policy.Check("éééééééé", true), "common_password", "");
  ExpectRejected(policy.Check("abcdabcd", true), "common_password", "");
  // A unit at least as long as the minimum is the user's choice (and the list's job).
  EXPECT_TRUE(policy.Check("zebrafinzebrafin", true));
  EXPECT_TRUE(policy.Check("abcabcabcabcabcx", false));
}

TEST(PasswordPolicyTest, UsesTheGivenField) {
  const PasswordPolicy policy = PasswordPolicy::FromWords({});
  ExpectRejected(policy.Check("tiny pw", false, "/new_password"), "too_short", "tiny pw",
                 "/new_password");
}

TEST(PasswordPolicyTest, LoadListSkipsCommentsAndBlankLines) {
  const std::string path = TempFile(
      "# source: test, license: none\n\nFirst Entry Is Long\r\n#not-an-entry-123\nsecond\n");
  auto policy = PasswordPolicy::LoadList(path);
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->size(), 2u);
  ExpectRejected(policy->Check("first entry is long", false), "common_password", "");
  EXPECT_TRUE(policy->Check("#not-an-entry-123", false));
  ::unlink(path.c_str());
}

TEST(PasswordPolicyTest, LoadListErrors) {
  auto missing = PasswordPolicy::LoadList("/nonexistent/dir/list.txt");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(missing.error().message.find("/nonexistent/dir/list.txt"), std::string::npos);

  const std::string only_comments = TempFile("# source: nothing\n\n");
  auto empty = PasswordPolicy::LoadList(only_comments);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  ::unlink(only_comments.c_str());
}

TEST(PasswordPolicyTest, ShippedListLoadsAndBlocksCommonPasswords) {
  const std::string path = SourceDir() + "/data/common-passwords.txt";
  std::ifstream in(path);
  std::string first;
  ASSERT_TRUE(std::getline(in, first)) << path;
  EXPECT_TRUE(first.starts_with("# source: ")) << first;
  EXPECT_NE(first.find("license: "), std::string::npos);

  auto policy = PasswordPolicy::LoadList(path);
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_GT(policy->size(), 5000u);

  // Password-only accounts (15+).
  for (const char* pw :
       {"passwordpassword", "iloveyouiloveyou", "Correct Horse Battery Staple", "123456789012345",
        "qwertyuiopasdfgh", "1q2w3e4r5t6y7u8i", "password123456789", "iloveyouforever",
        "telecommunications", "thequickbrownfoxjumpsoverthelazydog"}) {
    SCOPED_TRACE(pw);
    ExpectRejected(policy->Check(pw, false), "common_password", "");
  }
  // Accounts with MFA (8+).
  for (const char* pw : {"password", "Password1", "P@ssw0rd", "baseball", "12345678", "sunshine",
                         "iloveyou", "trustno1", "michael1", "qwerty123", "soundcheck1",
                         "football2024", "07041976", "elephant"}) {
    SCOPED_TRACE(pw);
    ExpectRejected(policy->Check(pw, true), "common_password", "");
  }
  for (const char* pw :
       {"plum tractor lantern vortex", "my cat sings opera at 3am", "Vq8#kz!Lm2pX"}) {
    EXPECT_TRUE(policy->Check(pw, true)) << pw;
    EXPECT_TRUE(policy->Check(pw, std::string_view(pw).size() < 15)) << pw;
  }
}

TEST(PasswordPolicyTest, ShippedListIsLowercase) {
  std::ifstream in(SourceDir() + "/data/common-passwords.txt");
  std::string line;
  size_t entries = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++entries;
    ASSERT_EQ(line.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ\r"), std::string::npos) << line;
  }
  EXPECT_GT(entries, 5000u);
}

}  // namespace
}  // namespace soundcheck::crypto
