#include "crypto/seal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "crypto/random.h"

namespace soundcheck::crypto {
namespace {

using core::ErrorCode;

MasterKey NewMaster(const std::string& id) {
  auto k = MasterKey::Generate(id);
  EXPECT_TRUE(k);
  return std::move(k).value();
}

// The raw bytes of a master key, through its text form.
std::string KeyBytes(const MasterKey& m) {
  const std::string text = FormatMasterKey(m);
  return Base64UrlDecode(text.substr(text.rfind(':') + 1)).value();
}

void ExpectDoesNotOpen(const core::Result<std::string>& r) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "ciphertext does not open");
}

// ---- Seal / Open ----

TEST(SealTest, RoundTrip) {
  const std::string key = NewDataKey();
  ASSERT_EQ(key.size(), 32u);
  const std::string aad = SealAad("screenings", "answers", "0190b6a4-row-1", 1);
  for (std::string plain : {std::string(), std::string("PHQ-9 item 9: several days"),
                            std::string("\0binary\xff", 8), std::string(100000, 'x')}) {
    auto sealed = Seal(key, plain, aad);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->size(), 1 + 24 + plain.size() + 16);
    EXPECT_EQ((*sealed)[0], '\x01');
    if (plain.size() > 8) {
      EXPECT_EQ(sealed->find(plain), std::string::npos);
    }
    auto opened = Open(key, *sealed, aad);
    ASSERT_TRUE(opened);
    EXPECT_EQ(*opened, plain);
  }
}

TEST(SealTest, FreshNonceEveryTime) {
  const std::string key = NewDataKey();
  const std::string aad = SealAad("t", "c", "r", 1);
  auto a = Seal(key, "same", aad);
  auto b = Seal(key, "same", aad);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_NE(a->substr(1, 24), b->substr(1, 24));
}

TEST(SealTest, CiphertextMovedToAnotherPlaceDoesNotOpen) {
  const std::string key = NewDataKey();
  auto sealed = Seal(key, "member id 123-45-678", SealAad("insurance", "member_id", "row-1", 1));
  ASSERT_TRUE(sealed);
  ExpectDoesNotOpen(Open(key, *sealed, SealAad("insurance", "member_id", "row-2", 1)));
  ExpectDoesNotOpen(Open(key, *sealed, SealAad("insurance", "group_id", "row-1", 1)));
  ExpectDoesNotOpen(Open(key, *sealed, SealAad("contacts", "member_id", "row-1", 1)));
  ExpectDoesNotOpen(Open(key, *sealed, SealAad("insurance", "member_id", "row-1", 2)));
  ExpectDoesNotOpen(Open(key, *sealed, ""));
  EXPECT_TRUE(Open(key, *sealed, SealAad("insurance", "member_id", "row-1", 1)));
}

TEST(SealTest, WrongKeyDoesNotOpen) {
  const std::string aad = SealAad("notes", "body", "n1", 1);
  auto sealed = Seal(NewDataKey(), "case note", aad);
  ASSERT_TRUE(sealed);
  ExpectDoesNotOpen(Open(NewDataKey(), *sealed, aad));
}

TEST(SealTest, EveryTamperedByteIsDetected) {
  const std::string key = NewDataKey();
  const std::string aad = SealAad("notes", "body", "n1", 1);
  auto sealed = Seal(key, "a short case note", aad);
  ASSERT_TRUE(sealed);
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string bad = *sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    ExpectDoesNotOpen(Open(key, bad, aad));
  }
  ExpectDoesNotOpen(Open(key, sealed->substr(0, sealed->size() - 1), aad));
  ExpectDoesNotOpen(Open(key, *sealed + "x", aad));
  ExpectDoesNotOpen(Open(key, sealed->substr(0, 40), aad));
  ExpectDoesNotOpen(Open(key, "", aad));
}

TEST(SealTest, KeyMustBe32Bytes) {
  for (const std::string& key : {std::string(), std::string(31, 'k'), std::string(33, 'k')}) {
    auto s = Seal(key, "x", "aad");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    auto o = Open(key, std::string(64, '\x01'), "aad");
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(SealAadTest, EncodingIsUnambiguous) {
  EXPECT_NE(SealAad("ab", "c", "1", 1), SealAad("a", "bc", "1", 1));
  EXPECT_NE(SealAad("a", "b", "c1", 1), SealAad("a", "bc", "1", 1));
  EXPECT_NE(SealAad("", "", "", 0), SealAad("", "", "", 1));
  EXPECT_NE(SealAad("t", "c", "r", -1), SealAad("t", "c", "r", 1));
  EXPECT_EQ(SealAad("t", "c", "r", 7), SealAad("t", "c", "r", 7));
}

// ---- Master keys and data-key wrapping ----

TEST(MasterKeyTest, FromBytesValidates) {
  EXPECT_TRUE(MasterKey::FromBytes(std::string(32, 'k'), "mk-1"));
  EXPECT_EQ(MasterKey::FromBytes(std::string(32, 'k'), "mk-1")->id(), "mk-1");
  for (const std::string& bytes : {std::string(), std::string(31, 'k'), std::string(33, 'k')}) {
    auto k = MasterKey::FromBytes(bytes, "mk-1");
    ASSERT_FALSE(k);
    EXPECT_EQ(k.error().code, ErrorCode::kInvalidArgument);
  }
  for (const std::string& id : {std::string(), std::string("a:b"), std::string("a b"),
                                std::string(65, 'a'), std::string("zoë")}) {
    auto k = MasterKey::FromBytes(std::string(32, 'k'), id);
    ASSERT_FALSE(k) << id;
    EXPECT_EQ(k.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(MasterKey::FromBytes(std::string(32, 'k'), std::string(64, 'a')));
}

TEST(WrapTest, RoundTripAndBinding) {
  const MasterKey master = NewMaster("mk-a");
  const std::string dk = NewDataKey();
  auto wrapped = WrapDataKey(master, dk);
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(wrapped->size(), 73u);
  EXPECT_EQ(wrapped->find(dk), std::string::npos);
  auto back = UnwrapDataKey(master, *wrapped);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, dk);

  // Another master key, and the same key bytes under another id, both refuse.
  auto other = UnwrapDataKey(NewMaster("mk-b"), *wrapped);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument);
  const MasterKey renamed = MasterKey::FromBytes(KeyBytes(master), "mk-renamed").value();
  EXPECT_FALSE(UnwrapDataKey(renamed, *wrapped));

  std::string tampered = *wrapped;
  tampered[30] = static_cast<char>(tampered[30] ^ 0x80);
  EXPECT_FALSE(UnwrapDataKey(master, tampered));
  EXPECT_FALSE(UnwrapDataKey(master, wrapped->substr(0, 72)));
  EXPECT_FALSE(UnwrapDataKey(master, ""));

  auto short_key = WrapDataKey(master, "too short");
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().code, ErrorCode::kInvalidArgument);
}

TEST(WrapTest, RotationRewrapsUnderTheNewMasterKey) {
  const MasterKey old_master = NewMaster("mk-2024");
  const MasterKey new_master = NewMaster("mk-2025");
  const std::string dk = NewDataKey();
  const std::string aad = SealAad("screenings", "answers", "s1", 1);
  auto sealed = Seal(dk, "sensitive answer", aad);
  auto wrapped_old = WrapDataKey(old_master, dk);
  ASSERT_TRUE(sealed && wrapped_old);

  // Rotation: unwrap with the old key, wrap with the new.
  auto plain = UnwrapDataKey(old_master, *wrapped_old);
  ASSERT_TRUE(plain);
  auto wrapped_new = WrapDataKey(new_master, *plain);
  ASSERT_TRUE(wrapped_new);

  auto dk_again = UnwrapDataKey(new_master, *wrapped_new);
  ASSERT_TRUE(dk_again);
  auto opened = Open(*dk_again, *sealed, aad);  // field data needs no re-encryption
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "sensitive answer");
  EXPECT_FALSE(UnwrapDataKey(new_master, *wrapped_old));
  EXPECT_FALSE(UnwrapDataKey(old_master, *wrapped_new));
}

TEST(MasterKeyTest, CopiesAndMovesKeepTheKey) {
  MasterKey a = NewMaster("mk-copy");
  auto wrapped = WrapDataKey(a, NewDataKey());
  ASSERT_TRUE(wrapped);
  MasterKey copy = a;
  EXPECT_TRUE(UnwrapDataKey(copy, *wrapped));
  MasterKey moved = std::move(copy);
  EXPECT_TRUE(UnwrapDataKey(moved, *wrapped));
  MasterKey assigned = NewMaster("mk-other");
  assigned = std::move(moved);
  EXPECT_EQ(assigned.id(), "mk-copy");
  EXPECT_TRUE(UnwrapDataKey(assigned, *wrapped));
}

TEST(MasterKeyTest, FormatAndParseRoundTrip) {
  const MasterKey k = NewMaster("mk-text");
  const std::string text = FormatMasterKey(k);
  EXPECT_TRUE(std::regex_match(text, std::regex("sc-mk-v1:mk-text:[A-Za-z0-9_-]{43}")));
  auto wrapped = WrapDataKey(k, NewDataKey());
  ASSERT_TRUE(wrapped);
  for (const std::string& form : {text, text + "\n", text + "\r\n"}) {
    auto parsed = ParseMasterKey(form);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->id(), "mk-text");
    EXPECT_TRUE(UnwrapDataKey(*parsed, *wrapped));
  }
}

TEST(MasterKeyTest, ParseRejectsMalformedText) {
  const std::string good = FormatMasterKey(NewMaster("mk-x"));
  const std::string b64 = good.substr(good.rfind(':') + 1);
  for (const std::string& bad :
       {std::string(), std::string("garbage"), "sc-mk-v2:mk-x:" + b64, "mk-x:" + b64,
        "sc-mk-v1::" + b64, "sc-mk-v1:mk x:" + b64, "sc-mk-v1:mk-x:" + b64 + "=",
        "sc-mk-v1:mk-x:" + b64.substr(1), "sc-mk-v1:mk-x:" + b64 + ":extra",
        "sc-mk-v1:mk-x:" + b64 + " ", " " + good, good + "\n\n", "sc-mk-v1:mk-x:" + b64 + "AA"}) {
    auto k = ParseMasterKey(bad);
    ASSERT_FALSE(k) << bad;
    EXPECT_EQ(k.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(k.error().message.find(b64), std::string::npos);
  }
}

// ---- Key files ----

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "crypto_keys_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  static void Write(const std::string& path, const std::string& content, mode_t mode) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static mode_t Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }

  std::string dir_;
};

TEST_F(KeyFileTest, CreatesWithMode0600AndReloadsTheSameKey) {
  const std::string path = Path("master.key");
  bool created = false;
  auto first = LoadOrCreateMasterKeyFile(path, true, &created);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(created);
  EXPECT_EQ(Mode(path), 0600u);
  const std::string content = Read(path);
  EXPECT_TRUE(std::regex_match(content, std::regex("sc-mk-v1:mk-[0-9a-f]{16}:[A-Za-z0-9_-]{43}\n")))
      << "unexpected key file layout";
  EXPECT_EQ(content.substr(9, first->id().size()), first->id());

  auto second = LoadOrCreateMasterKeyFile(path, true, &created);
  ASSERT_TRUE(second);
  EXPECT_FALSE(created);
  EXPECT_EQ(second->id(), first->id());
  auto wrapped = WrapDataKey(*first, NewDataKey());
  ASSERT_TRUE(wrapped);
  EXPECT_TRUE(UnwrapDataKey(*second, *wrapped));

  auto third = LoadOrCreateMasterKeyFile(path, false);  // `created` is optional
  ASSERT_TRUE(third);
  EXPECT_EQ(third->id(), first->id());
}

TEST_F(KeyFileTest, MissingFileWithoutCreateIsNotFound) {
  bool created = true;
  auto k = LoadOrCreateMasterKeyFile(Path("absent.key"), false, &created);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(created);
  EXPECT_FALSE(std::filesystem::exists(Path("absent.key")));
  auto no_dir = LoadOrCreateMasterKeyFile(Path("no/such/dir.key"), true);
  ASSERT_FALSE(no_dir);
  EXPECT_EQ(no_dir.error().code, ErrorCode::kUnavailable);
}

TEST_F(KeyFileTest, RefusesFilesOthersCanAccess) {
  const std::string path = Path("open.key");
  const std::string line = FormatMasterKey(NewMaster("mk-open")) + "\n";
  for (mode_t mode : {0640, 0604, 0644, 0660, 0610, 0602}) {
    Write(path, line, mode);
    auto k = LoadOrCreateMasterKeyFile(path, true);
    ASSERT_FALSE(k) << std::oct << mode;
    EXPECT_EQ(k.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_NE(k.error().message.find(path), std::string::npos);
    EXPECT_EQ(k.error().message.find(line.substr(15, 20)), std::string::npos);
    EXPECT_EQ(Read(path), line);  // untouched
  }
  for (mode_t mode : {0600, 0400}) {
    Write(path, line, mode);
    auto k = LoadOrCreateMasterKeyFile(path, false);
    ASSERT_TRUE(k) << std::oct << mode;
    EXPECT_EQ(k->id(), "mk-open");
  }
}

TEST_F(KeyFileTest, RefusesMalformedFiles) {
  const std::string path = Path("bad.key");
  const std::string good = FormatMasterKey(NewMaster("mk-bad"));
  for (const std::string& content :
       {std::string(), std::string("garbage\n"), good.substr(0, good.size() - 2) + "\n",
        good + "\nsecond line\n", std::string(5000, 'a')}) {
    Write(path, content, 0600);
    auto k = LoadOrCreateMasterKeyFile(path, true);
    ASSERT_FALSE(k);
    EXPECT_EQ(k.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(k.error().message.find(path), std::string::npos);
    EXPECT_EQ(Read(path), content);  // never overwritten by a new key
  }
}

TEST_F(KeyFileTest, RefusesADirectory) {
  auto k = LoadOrCreateMasterKeyFile(dir_, true);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(KeyFileTest, ConcurrentCreatorsAgreeOnOneKey) {
  const std::string path = Path("race.key");
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<std::string> ids(kThreads);
  std::atomic<int> creators{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      bool created = false;
      auto k = LoadOrCreateMasterKeyFile(path, true, &created);
      if (k) ids[i] = k->id();
      if (created) ++creators;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(creators.load(), 1);
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_FALSE(ids[0].empty());
}

// ---- Derived keys and blind indexes ----

TEST(DeriveSubkeyTest, DeterministicAndSeparatedByIdContextAndMaster) {
  const MasterKey m = NewMaster("mk-kdf");
  const std::string a = DeriveSubkey(m, 1, kKdfContextAudit);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, DeriveSubkey(m, 1, kKdfContextAudit));
  EXPECT_NE(a, DeriveSubkey(m, 2, kKdfContextAudit));
  EXPECT_NE(a, DeriveSubkey(m, 1, kKdfContextBlindIndex));
  EXPECT_NE(a, DeriveSubkey(NewMaster("mk-kdf"), 1, kKdfContextAudit));
}

TEST(DeriveSubkeyTest, KnownAnswer) {
  // libsodium crypto_kdf is BLAKE2b-256 keyed with the master key, the subkey id (8 bytes
  // little-endian, zero-padded) as salt and the context (zero-padded) as personalisation;
  // value from Python's hashlib.blake2b with those parameters.
  std::string bytes;
  for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(i));
  const MasterKey m = MasterKey::FromBytes(bytes, "mk-kat").value();
  EXPECT_EQ(HexEncode(DeriveSubkey(m, 1, "scaudit1")),
            "39b7a41c86bb789e234d8a622ef0b3ee309ff01efea2db6035bbb1acf80f15d4");
}

TEST(DeriveSubkeyDeathTest, ContextMustBeEightCharacters) {
  const MasterKey m = NewMaster("mk-death");
  EXPECT_DEATH(DeriveSubkey(m, 1, "short"), "context");
  EXPECT_DEATH(DeriveSubkey(m, 1, "too-long-context"), "context");
}

TEST(BlindIndexTest, KeyedAndDeterministic) {
  std::string key;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(i));
  // Keyed BLAKE2b-256, checked against Python's hashlib.blake2b(key=..., digest_size=32).
  EXPECT_EQ(BlindIndex(key, "jo.doe@example.org"),
            "cc52ca5162139371f45303b2c46765755397dc42315d43266325b9bec484b9d7");
  const std::string k2 = NewDataKey();
  EXPECT_EQ(BlindIndex(k2, "555-0100"), BlindIndex(k2, "555-0100"));
  EXPECT_NE(BlindIndex(k2, "555-0100"), BlindIndex(k2, "555-0101"));
  EXPECT_NE(BlindIndex(k2, "555-0100"), BlindIndex(NewDataKey(), "555-0100"));
  EXPECT_EQ(BlindIndex(k2, "x").size(), 64u);
}

TEST(BlindIndexDeathTest, KeyMustBe16To64Bytes) {
  EXPECT_DEATH(BlindIndex("", "value"), "key");
  EXPECT_DEATH(BlindIndex(std::string(15, 'k'), "value"), "key");
  EXPECT_DEATH(BlindIndex(std::string(65, 'k'), "value"), "key");
}

}  // namespace
}  // namespace soundcheck::crypto
