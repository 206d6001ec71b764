#include "crypto/hashing.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/random.h"

namespace soundcheck::crypto {
namespace {

std::string TestKey() {
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
  return key;
}

TEST(HashingTest, GenesisIs64Zeros) {
  EXPECT_EQ(kGenesisHash.size(), 64u);
  EXPECT_EQ(kGenesisHash.find_first_not_of('0'), std::string_view::npos);
}

TEST(HashingTest, HashTokenIsBlake2b256) {
  // Known answers for unkeyed BLAKE2b with a 32-byte digest.
  EXPECT_EQ(HashToken(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(HashToken("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  const std::string token = RandomToken();
  EXPECT_EQ(HashToken(token), HashToken(token));
  EXPECT_NE(HashToken(token), HashToken(token + "x"));
  EXPECT_EQ(HashToken(token).find(token), std::string::npos);
}

TEST(ChainHashTest, KnownAnswer) {
  // BLAKE2b-256 keyed with TestKey() over "sc-chain-v1" || u64be(64) || prev || u64be(n) ||
  // entry; value from Python's hashlib.blake2b.
  EXPECT_EQ(ChainHash(TestKey(), kGenesisHash, R"({"seq":1,"action":"read"})"),
            "5ba1ce3193c1b835c1260f10568862f054c8482526cd78b56b4f53df677bbbdd");
}

TEST(ChainHashTest, EveryInputMatters) {
  const std::string key = TestKey();
  const std::string h = ChainHash(key, kGenesisHash, "entry");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, ChainHash(key, kGenesisHash, "entry"));
  EXPECT_NE(h, ChainHash(key, kGenesisHash, "entrY"));
  EXPECT_NE(h, ChainHash(key, h, "entry"));
  std::string other_key = key;
  other_key[0] = 'x';
  EXPECT_NE(h, ChainHash(other_key, kGenesisHash, "entry"));
  // Length-prefixed: moving bytes across the boundary changes the hash.
  EXPECT_NE(ChainHash(key, "ab", "c"), ChainHash(key, "a", "bc"));
  EXPECT_NE(ChainHash(key, "", "abc"), ChainHash(key, "abc", ""));
}

TEST(ChainHashTest, DetectsEditsDeletionsAndReordering) {
  const std::string key = TestKey();
  const std::vector<std::string> entries = {"e1", "e2", "e3", "e4", "e5"};
  auto chain = [&](const std::vector<std::string>& es) {
    std::vector<std::string> hashes;
    std::string prev(kGenesisHash);
    for (const auto& e : es) {
      prev = ChainHash(key, prev, e);
      hashes.push_back(prev);
    }
    return hashes;
  };
  const auto original = chain(entries);
  auto edited = entries;
  edited[2] = "e3-edited";
  EXPECT_EQ(chain(edited)[1], original[1]);
  EXPECT_NE(chain(edited)[2], original[2]);
  EXPECT_NE(chain(edited)[4], original[4]);  // the break propagates to the head
  auto deleted = entries;
  deleted.erase(deleted.begin() + 1);
  EXPECT_NE(chain(deleted)[1], original[2]);
  auto swapped = entries;
  std::swap(swapped[3], swapped[4]);
  EXPECT_NE(chain(swapped)[4], original[4]);
}

TEST(ChainHashDeathTest, KeyMustBe16To64Bytes) {
  EXPECT_DEATH(ChainHash("", kGenesisHash, "e"), "key");
  EXPECT_DEATH(ChainHash(std::string(15, 'k'), kGenesisHash, "e"), "key");
}

}  // namespace
}  // namespace soundcheck::crypto
