#include "crypto/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "crypto/internal.h"
#include "crypto/random.h"

namespace soundcheck::crypto {

using core::Error;
using internal::Bytes;

namespace {

constexpr char kFormatVersion = 0x01;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kDataKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::string_view kKeyFilePrefix = "sc-mk-v1";
constexpr size_t kMaxKeyIdLength = 64;
constexpr off_t kMaxKeyFileBytes = 4096;

static_assert(kDataKeyBytes == MasterKey::kKeyBytes);
static_assert(crypto_kdf_KEYBYTES == MasterKey::kKeyBytes);

bool ValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdLength) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// AEAD encryption: version byte + nonce + ciphertext. The version byte is authenticated too.
std::string AeadSeal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  std::string ad(1, kFormatVersion);
  ad.append(aad);
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  out[0] = kFormatVersion;
  randombytes_buf(out.data() + 1, kNonceBytes);
  unsigned long long ct_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(Bytes(out) + 1 + kNonceBytes, &ct_len,
                                             Bytes(plaintext), plaintext.size(), Bytes(ad),
                                             ad.size(), nullptr, Bytes(out) + 1, Bytes(key));
  return out;
}

// Inverse of AeadSeal; false when it does not authenticate.
bool AeadOpen(std::string_view key, std::string_view sealed, std::string_view aad,
              std::string& plaintext) {
  if (sealed.size() < 1 + kNonceBytes + kTagBytes || sealed[0] != kFormatVersion) return false;
  std::string ad(1, kFormatVersion);
  ad.append(aad);
  const std::string_view nonce = sealed.substr(1, kNonceBytes);
  const std::string_view ct = sealed.substr(1 + kNonceBytes);
  plaintext.assign(ct.size() - kTagBytes, '\0');
  unsigned long long pt_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(Bytes(plaintext), &pt_len, nullptr, Bytes(ct),
                                                 ct.size(), Bytes(ad), ad.size(), Bytes(nonce),
                                                 Bytes(key)) != 0) {
    plaintext.clear();
    return false;
  }
  plaintext.resize(pt_len);
  return true;
}

std::string WrapAad(const std::string& key_id) {
  std::string ad = "sc-dk-v1";
  internal::AppendLengthPrefixed(ad, key_id);
  return ad;
}

std::string ErrnoText(int err) { return std::generic_category().message(err); }

// Writes all of `data`, retrying short writes and EINTR. Returns 0 or an errno value.
int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// Makes the new directory entry durable (a crash right after creation keeps the file).
void SyncParentDirectory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

core::Result<MasterKey> ReadKeyFile(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Error::FailedPrecondition("cannot stat master key file " + path + ": " +
                                     ErrnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Error::FailedPrecondition("master key file " + path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::FailedPrecondition("master key file " + path +
                                     " is accessible by group or others; chmod 600 it");
  }
  if (st.st_size > kMaxKeyFileBytes) {
    return Error::InvalidArgument("master key file " + path + " is malformed");
  }
  std::string text(static_cast<size_t>(kMaxKeyFileBytes) + 1, '\0');
  size_t len = 0;
  while (len < text.size()) {
    const ssize_t n = ::read(fd, text.data() + len, text.size() - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      internal::Wipe(text);
      return Error::FailedPrecondition("cannot read master key file " + path + ": " +
                                       ErrnoText(err));
    }
    if (n == 0) break;
    len += static_cast<size_t>(n);
  }
  auto key = ParseMasterKey(std::string_view(text).substr(0, len));
  internal::Wipe(text);
  if (!key) return Error::InvalidArgument("master key file " + path + " is malformed");
  return key;
}

// Creates the key file with a new key. kConflict when it already exists.
//
// The key is written to a temporary file in the same directory (created O_CREAT|O_EXCL,
// mode 0600), fsynced, and then published with link(), which fails instead of replacing an
// existing file. So the path never shows a partly written key to a concurrent reader, and two
// creators cannot both win.
core::Result<MasterKey> CreateKeyFile(const std::string& path) {
  SC_ASSIGN_OR_RETURN(MasterKey key, MasterKey::Generate("mk-" + HexEncode(RandomBytes(8))));
  const std::string tmp = path + ".new-" + HexEncode(RandomBytes(6));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Error::Unavailable("cannot create master key file " + path + ": " + ErrnoText(errno));
  }
  std::string line = FormatMasterKey(key) + "\n";
  int err = WriteAll(fd, line);
  internal::Wipe(line);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::link(tmp.c_str(), path.c_str()) != 0) err = errno;
  ::unlink(tmp.c_str());
  if (err == EEXIST) return Error::Conflict("master key file " + path + " already exists");
  if (err != 0) {
    return Error::Unavailable("cannot write master key file " + path + ": " + ErrnoText(err));
  }
  SyncParentDirectory(path);
  return key;
}

}  // namespace

core::Result<MasterKey> MasterKey::FromBytes(std::string key32, std::string key_id) {
  if (key32.size() != kKeyBytes) {
    internal::Wipe(key32);
    return Error::InvalidArgument("master key must be 32 bytes");
  }
  if (!ValidKeyId(key_id)) return Error::InvalidArgument("invalid master key id");
  return MasterKey(std::move(key32), std::move(key_id));
}

core::Result<MasterKey> MasterKey::Generate(std::string key_id) {
  return FromBytes(RandomBytes(kKeyBytes), std::move(key_id));
}

MasterKey::MasterKey(MasterKey&& other) noexcept
    : key_(std::move(other.key_)), id_(std::move(other.id_)) {
  internal::Wipe(other.key_);
}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  // Swapping leaves our old key in `other`, whose destructor zeroes it.
  key_.swap(other.key_);
  id_.swap(other.id_);
  return *this;
}

MasterKey::~MasterKey() { internal::Wipe(key_); }

std::string FormatMasterKey(const MasterKey& key) {
  return std::string(kKeyFilePrefix) + ":" + key.id_ + ":" + Base64UrlEncode(key.key_);
}

core::Result<MasterKey> ParseMasterKey(std::string_view text) {
  if (text.ends_with("\n")) text.remove_suffix(1);
  if (text.ends_with("\r")) text.remove_suffix(1);
  const auto malformed = [] { return Error::InvalidArgument("malformed master key"); };
  const size_t first = text.find(':');
  if (first == std::string_view::npos || text.substr(0, first) != kKeyFilePrefix) {
    return malformed();
  }
  const size_t second = text.find(':', first + 1);
  if (second == std::string_view::npos) return malformed();
  const std::string_view id = text.substr(first + 1, second - first - 1);
  auto bytes = Base64UrlDecode(text.substr(second + 1));
  if (!bytes || bytes->size() != MasterKey::kKeyBytes || !ValidKeyId(id)) {
    if (bytes) internal::Wipe(*bytes);
    return malformed();
  }
  return MasterKey::FromBytes(std::move(bytes).value(), std::string(id));
}

core::Result<MasterKey> LoadOrCreateMasterKeyFile(const std::string& path, bool create_if_missing,
                                                  bool* created) {
  internal::EnsureSodium();
  if (created != nullptr) *created = false;
  // Two rounds at most: if another process creates the file between our failed open and our
  // O_EXCL create, the second round reads its key.
  for (int round = 0; round < 2; ++round) {
    // O_NONBLOCK: a FIFO planted at the path must not hang start-up (fstat then refuses it).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd >= 0) {
      auto key = ReadKeyFile(fd, path);
      ::close(fd);
      return key;
    }
    if (errno != ENOENT) {
      return Error::FailedPrecondition("cannot open master key file " + path + ": " +
                                       ErrnoText(errno));
    }
    if (!create_if_missing) {
      return Error::NotFound("master key file " + path + " does not exist");
    }
    auto made = CreateKeyFile(path);
    if (made) {
      if (created != nullptr) *created = true;
      return made;
    }
    if (made.error().code != core::ErrorCode::kConflict) return made;
  }
  return Error::Unavailable("master key file " + path + " keeps appearing and disappearing");
}

std::string NewDataKey() { return RandomBytes(kDataKeyBytes); }

core::Result<std::string> WrapDataKey(const MasterKey& master, std::string_view data_key) {
  internal::EnsureSodium();
  if (data_key.size() != kDataKeyBytes) return Error::InvalidArgument("data key must be 32 bytes");
  return AeadSeal(master.key_, data_key, WrapAad(master.id_));
}

core::Result<std::string> UnwrapDataKey(const MasterKey& master, std::string_view wrapped) {
  internal::EnsureSodium();
  std::string key;
  if (!AeadOpen(master.key_, wrapped, WrapAad(master.id_), key) || key.size() != kDataKeyBytes) {
    internal::Wipe(key);
    return Error::InvalidArgument("wrapped data key does not open");
  }
  return key;
}

std::string SealAad(std::string_view table, std::string_view column, std::string_view row_id,
                    int key_version) {
  std::string aad = "sc-seal-v1";
  internal::AppendLengthPrefixed(aad, table);
  internal::AppendLengthPrefixed(aad, column);
  internal::AppendLengthPrefixed(aad, row_id);
  internal::AppendU64(aad, static_cast<uint64_t>(static_cast<int64_t>(key_version)));
  return aad;
}

core::Result<std::string> Seal(std::string_view data_key, std::string_view plaintext,
                               std::string_view aad) {
  internal::EnsureSodium();
  if (data_key.size() != kDataKeyBytes) return Error::InvalidArgument("data key must be 32 bytes");
  return AeadSeal(data_key, plaintext, aad);
}

core::Result<std::string> Open(std::string_view data_key, std::string_view sealed,
                               std::string_view aad) {
  internal::EnsureSodium();
  if (data_key.size() != kDataKeyBytes) return Error::InvalidArgument("data key must be 32 bytes");
  std::string plaintext;
  if (!AeadOpen(data_key, sealed, aad, plaintext)) {
    return Error::InvalidArgument("ciphertext does not open");
  }
  return plaintext;
}

std::string DeriveSubkey(const MasterKey& master, uint64_t subkey_id, std::string_view context8) {
  if (context8.size() != crypto_kdf_CONTEXTBYTES) {
    internal::ContractViolation("DeriveSubkey: context must be exactly 8 characters");
  }
  internal::EnsureSodium();
  char ctx[crypto_kdf_CONTEXTBYTES];
  context8.copy(ctx, sizeof ctx);
  std::string out(crypto_kdf_KEYBYTES, '\0');
  crypto_kdf_derive_from_key(Bytes(out), out.size(), subkey_id, ctx, Bytes(master.key_));
  return out;
}

std::string BlindIndex(std::string_view index_key, std::string_view normalized_value) {
  if (index_key.size() < crypto_generichash_KEYBYTES_MIN ||
      index_key.size() > crypto_generichash_KEYBYTES_MAX) {
    internal::ContractViolation("BlindIndex: key must be 16 to 64 bytes");
  }
  internal::EnsureSodium();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, Bytes(normalized_value), normalized_value.size(),
                     Bytes(index_key), index_key.size());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

}  // namespace soundcheck::crypto
