#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/init.h"

namespace soundcheck::crypto {
namespace {

TEST(InitCryptoTest, IsIdempotent) {
  EXPECT_TRUE(InitCrypto());
  EXPECT_TRUE(InitCrypto());
}

TEST(RandomTest, RandomBytesHasRequestedLengthAndVaries) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  const std::string a = RandomBytes(32);
  const std::string b = RandomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(RandomTest, RandomTokenIsUrlSafeAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string t = RandomToken();
    ASSERT_EQ(t.size(), 43u);  // 32 bytes, base64 without padding
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    auto raw = Base64UrlDecode(t);
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 32u);
    EXPECT_TRUE(seen.insert(t).second);
  }
  EXPECT_EQ(RandomToken(16).size(), 22u);
}

TEST(Base64UrlTest, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64UrlEncode(plain), encoded);
    auto decoded = Base64UrlDecode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  // The URL-safe alphabet: standard "+/" become "-_".
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(*Base64UrlDecode("-_-_"), "\xfb\xff\xbf");
}

TEST(Base64UrlTest, RoundTripsEveryLength) {
  for (size_t n = 0; n < 100; ++n) {
    const std::string raw = RandomBytes(n);
    auto back = Base64UrlDecode(Base64UrlEncode(raw));
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, raw);
  }
}

TEST(Base64UrlTest, RejectsNonCanonicalInput) {
  for (const char* bad : {"Zg==", "Zg=", "Z", "Zh", "Zm9v+", "Zm9v/", "Zm 9v", "Zm9v\n", "Zm9\xff",
                          "Zm9\xc3\xa9", "Zm9v\x80\x80\x80\x80"}) {
    auto r = Base64UrlDecode(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message.find(bad), std::string::npos);
  }
}

TEST(HexTest, EncodesLowercaseAndDecodesEitherCase) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(*HexDecode("0001abff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(*HexDecode("0001ABFF"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(*HexDecode(""), "");
}

TEST(HexTest, RejectsOddLengthAndNonHex) {
  for (const char* bad : {"0", "abc", "zz", "0g", " 00", "00 ", "0x00", "0\xff", "\xc3\xa9"}) {
    auto r = HexDecode(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(Base32Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded);
    auto decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  EXPECT_EQ(Base32Encode("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32Test, AcceptsLowercaseAndPadding) {
  EXPECT_EQ(*Base32Decode("mzxw6yq="), "foob");
  EXPECT_EQ(*Base32Decode("MZXW6YTBOI======"), "foobar");
}

TEST(Base32Test, RejectsInvalidInput) {
  for (const char* bad : {"M", "MZX", "MZXW6Y", "MZXW6YR", "MZXW1", "MZ XW", "MZXW6YQ=x"}) {
    auto r = Base32Decode(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(ConstantTimeEqualsTest, ComparesBytes) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace soundcheck::crypto
