#include "crypto/totp.h"

#include <gtest/gtest.h>

#include <cctype>

#include "crypto/random.h"

namespace soundcheck::crypto {
namespace {

using core::FromUnixSeconds;

// RFC 6238 Appendix B: the SHA1 key is the ASCII string "12345678901234567890".
const std::string kRfcSecret = Base32Encode("12345678901234567890");

TEST(TotpTest, Rfc6238AppendixBSha1Vectors) {
  ASSERT_EQ(kRfcSecret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  const std::pair<int64_t, const char*> vectors[] = {{59, "94287082"},
                                                     {1111111109, "07081804"},
                                                     {1111111111, "14050471"},
                                                     {1234567890, "89005924"},
                                                     {2000000000, "69279037"}};
  for (const auto& [unix_seconds, code] : vectors) {
    EXPECT_EQ(TotpCode(kRfcSecret, FromUnixSeconds(unix_seconds), 8), code) << unix_seconds;
    auto step = VerifyTotp(kRfcSecret, code, FromUnixSeconds(unix_seconds), 0, 8);
    ASSERT_TRUE(step.has_value()) << unix_seconds;
    EXPECT_EQ(*step, unix_seconds / 30);
  }
  // T = 20000000000 (year 2603) is beyond std::chrono::system_clock's range here, so by step.
  EXPECT_EQ(TotpCodeForStep(kRfcSecret, 20000000000 / 30, 8), "65353130");
}

TEST(TotpTest, SixDigitCodesAreTheLowDigits) {
  EXPECT_EQ(TotpCode(kRfcSecret, FromUnixSeconds(59)), "287082");
  EXPECT_EQ(TotpCode(kRfcSecret, FromUnixSeconds(1111111109)), "081804");
  EXPECT_EQ(TotpCode(kRfcSecret, FromUnixSeconds(1234567890), 7), "9005924");
}

TEST(TotpTest, StepBoundaries) {
  EXPECT_EQ(TotpStep(FromUnixSeconds(0)), 0);
  EXPECT_EQ(TotpStep(FromUnixSeconds(29)), 0);
  EXPECT_EQ(TotpStep(FromUnixSeconds(30)), 1);
  EXPECT_EQ(TotpStep(FromUnixSeconds(59)), 1);
  EXPECT_EQ(TotpStep(FromUnixSeconds(60)), 2);
  EXPECT_EQ(TotpStep(FromUnixSeconds(-1)), -1);
  EXPECT_EQ(TotpCode(kRfcSecret, FromUnixSeconds(30)), TotpCode(kRfcSecret, FromUnixSeconds(59)));
  EXPECT_NE(TotpCode(kRfcSecret, FromUnixSeconds(59)), TotpCode(kRfcSecret, FromUnixSeconds(60)));
}

TEST(TotpTest, WindowAcceptsNeighbouringStepsOnly) {
  const std::string secret = NewTotpSecret();
  const core::TimePoint now = FromUnixSeconds(1'700'000'015);
  const int64_t step = TotpStep(now);
  auto code_at = [&](int64_t s) { return TotpCodeForStep(secret, s); };

  EXPECT_EQ(VerifyTotp(secret, code_at(step), now), step);
  EXPECT_EQ(VerifyTotp(secret, code_at(step - 1), now), step - 1);  // clock skew, slow typist
  EXPECT_EQ(VerifyTotp(secret, code_at(step + 1), now), step + 1);
  // Codes differ between steps with overwhelming probability; guard the test against the
  // one-in-a-million collision with a step inside the window.
  auto outside = [&](int64_t s) {
    const std::string c = code_at(s);
    return c != code_at(step - 1) && c != code_at(step) && c != code_at(step + 1);
  };
  if (outside(step - 2)) {
    EXPECT_FALSE(VerifyTotp(secret, code_at(step - 2), now));
  }
  if (outside(step + 2)) {
    EXPECT_FALSE(VerifyTotp(secret, code_at(step + 2), now));
  }
  EXPECT_EQ(VerifyTotp(secret, code_at(step - 2), now, 2), step - 2);
  EXPECT_FALSE(VerifyTotp(secret, code_at(step - 1), now, 0) == step - 1);
  EXPECT_EQ(VerifyTotp(secret, code_at(step), now, 0), step);
}

TEST(TotpTest, SameCodeGivesSameStepSoCallerCanRefuseReuse) {
  const std::string secret = NewTotpSecret();
  const core::TimePoint now = FromUnixSeconds(1'800'000'000);
  const std::string code = TotpCode(secret, now);
  auto first = VerifyTotp(secret, code, now);
  ASSERT_TRUE(first);
  // Ten seconds later the same code still matches the same step; the caller, who stored
  // `*first` as the last used step, sees step <= last and refuses it.
  auto again = VerifyTotp(secret, code, now + core::seconds(10));
  ASSERT_TRUE(again);
  EXPECT_LE(*again, *first);
  // The next step's code is newer and would be accepted.
  auto next =
      VerifyTotp(secret, TotpCode(secret, now + core::seconds(30)), now + core::seconds(30));
  ASSERT_TRUE(next);
  EXPECT_GT(*next, *first);
}

TEST(TotpTest, RejectsMalformedCodes) {
  const core::TimePoint t = FromUnixSeconds(59);
  ASSERT_EQ(TotpCode(kRfcSecret, t), "287082");
  for (const char* bad : {"", "28708", "2870822", " 287082", "287082 ", "28708a", "+87082",
                          "-87082", "２８７０８２", "287 082"}) {
    EXPECT_FALSE(VerifyTotp(kRfcSecret, bad, t)) << bad;
  }
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "287082", t, 1, 8));  // wrong number of digits
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "94287082", t, 1, 6));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "000000", t));  // wrong code
}

TEST(TotpTest, RejectsBadArguments) {
  const core::TimePoint t = FromUnixSeconds(59);
  EXPECT_EQ(TotpCode("not base32!", t), "");
  EXPECT_EQ(TotpCode("", t), "");
  EXPECT_EQ(TotpCode(kRfcSecret, t, 5), "");
  EXPECT_EQ(TotpCode(kRfcSecret, t, 9), "");
  EXPECT_EQ(TotpCode(kRfcSecret, FromUnixSeconds(-30)), "");
  EXPECT_EQ(TotpCodeForStep(kRfcSecret, -1), "");
  EXPECT_FALSE(VerifyTotp("not base32!", "287082", t));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "287082", t, -1));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "287082", t, 11));
  EXPECT_FALSE(VerifyTotp(kRfcSecret, "28708", t, 1, 5));
}

TEST(TotpTest, NewSecretsAre160RandomBits) {
  const std::string a = NewTotpSecret();
  const std::string b = NewTotpSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
  auto raw = Base32Decode(a);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 20u);
  EXPECT_NE(a, b);
  // Lowercase and padded forms of the same secret give the same codes.
  std::string lower = a;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const core::TimePoint t = FromUnixSeconds(1'750'000'000);
  EXPECT_EQ(TotpCode(lower, t), TotpCode(a, t));
}

TEST(TotpTest, OtpAuthUri) {
  EXPECT_EQ(OtpAuthUri("Soundcheck", "jo.doe+x@example.org", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Soundcheck:jo.doe%2Bx%40example.org?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Soundcheck&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpAuthUri("Sound Check & Co", "Zoë:1", "jbswy3dpehpk3pxp=="),
            "otpauth://totp/Sound%20Check%20%26%20Co:Zo%C3%AB%3A1?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Sound%20Check%20%26%20Co&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpAuthUri("", "alice", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace soundcheck::crypto
