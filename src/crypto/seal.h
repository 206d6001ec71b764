// Envelope encryption for sensitive fields (security.md, "Encryption at rest").
//
// A master key, kept outside the database, wraps per-person data keys; a data key seals
// field values with XChaCha20-Poly1305-IETF, bound to the field's table, column, row id and
// key version, so a ciphertext copied to another row or column does not open. Destroying a
// person's wrapped data key makes their sealed values unreadable (crypto-shredding).
//
// All functions are thread-safe. No error message contains key material or plaintext.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace soundcheck::crypto {

// A 32-byte master key and its id (1-64 characters of A-Z a-z 0-9 . _ -). The id is stored
// beside every data key it wraps, so a rotation knows what to rewrap, and it is bound into
// each wrapping. Copyable; the key bytes are zeroed when an object is destroyed.
class MasterKey {
 public:
  static constexpr size_t kKeyBytes = 32;

  // Errors: kInvalidArgument when `key32` is not 32 bytes or `key_id` is not a valid id.
  static core::Result<MasterKey> FromBytes(std::string key32, std::string key_id);
  // A new random key. Errors: kInvalidArgument for an invalid `key_id`.
  static core::Result<MasterKey> Generate(std::string key_id);

  MasterKey(const MasterKey&) = default;
  MasterKey& operator=(const MasterKey&) = default;
  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  ~MasterKey();

  const std::string& id() const { return id_; }

 private:
  MasterKey(std::string key, std::string id) : key_(std::move(key)), id_(std::move(id)) {}

  friend core::Result<std::string> WrapDataKey(const MasterKey&, std::string_view);
  friend core::Result<std::string> UnwrapDataKey(const MasterKey&, std::string_view);
  friend std::string DeriveSubkey(const MasterKey&, uint64_t, std::string_view);
  friend std::string FormatMasterKey(const MasterKey&);

  std::string key_;
  std::string id_;
};

// The text form of a master key, as kept in a key file or an environment variable:
// "sc-mk-v1:<key_id>:<base64url of the 32 bytes, no padding>". It is the secret itself:
// write it only to a 0600 file or a secret store, never to a log.
std::string FormatMasterKey(const MasterKey& key);

// Parses FormatMasterKey's output; one trailing "\n" (or "\r\n") is allowed.
// Errors: kInvalidArgument "malformed master key" for anything else (the text is not quoted).
core::Result<MasterKey> ParseMasterKey(std::string_view text);

// Reads the master key file at `path` (one line, see FormatMasterKey). When the file does not
// exist and `create_if_missing`, creates it first with a new random key whose id is
// "mk-<16 hex digits>": written to a temporary file beside it (open(O_CREAT|O_EXCL, 0600)),
// fsynced, published with link() (never replaces an existing file), and the directory
// fsynced. `*created` (if given) tells whether this call created it. Concurrent creators
// (threads or processes) end up with one key: the losers read the winner's file.
// Errors: kNotFound when missing and not to be created; kFailedPrecondition when the file is
// accessible by group or others (any of mode 077), is not a regular file, or cannot be
// opened or read; kInvalidArgument when the content is malformed; kUnavailable when creating
// it fails. Messages name the path only, never the content.
core::Result<MasterKey> LoadOrCreateMasterKeyFile(const std::string& path, bool create_if_missing,
                                                  bool* created = nullptr);

// Returns a new random 32-byte data key.
std::string NewDataKey();

// Encrypts `data_key` under `master` (XChaCha20-Poly1305-IETF, random 24-byte nonce; the
// master key id is associated data). Returns 1 version byte + nonce + ciphertext (73 bytes).
// Errors: kInvalidArgument when `data_key` is not 32 bytes.
core::Result<std::string> WrapDataKey(const MasterKey& master, std::string_view data_key);

// Inverse of WrapDataKey under the same master key (same bytes and id).
// Errors: kInvalidArgument "wrapped data key does not open" for a different master key,
// altered or truncated bytes, or an unknown format version.
core::Result<std::string> UnwrapDataKey(const MasterKey& master, std::string_view wrapped);

// The associated data that binds a sealed value to where it is stored. Each string is
// length-prefixed and the version is fixed-width, so distinct inputs never encode alike.
std::string SealAad(std::string_view table, std::string_view column, std::string_view row_id,
                    int key_version);

// Encrypts `plaintext` with `data_key` (32 bytes) and associated data `aad` (use SealAad).
// Returns 1 version byte + 24-byte random nonce + ciphertext with its 16-byte tag.
// Errors: kInvalidArgument when `data_key` is not 32 bytes.
core::Result<std::string> Seal(std::string_view data_key, std::string_view plaintext,
                               std::string_view aad);

// Decrypts Seal's output.
// Errors: kInvalidArgument "ciphertext does not open" when the key, the associated data or
// any byte differs from sealing, or the input is truncated or of an unknown version;
// kInvalidArgument when `data_key` is not 32 bytes.
core::Result<std::string> Open(std::string_view data_key, std::string_view sealed,
                               std::string_view aad);

// Contexts for DeriveSubkey (exactly 8 characters each).
inline constexpr std::string_view kKdfContextAudit = "scaudit1";
inline constexpr std::string_view kKdfContextBlindIndex = "scblind1";

// Derives an independent 32-byte key from `master` for one purpose (libsodium crypto_kdf,
// BLAKE2b): the same (master, subkey_id, context) always gives the same key; any difference
// gives an unrelated key. Note that a derived key changes when the master key is rotated.
// Precondition: context8.size() == 8 (a programming error otherwise: the process stops).
std::string DeriveSubkey(const MasterKey& master, uint64_t subkey_id, std::string_view context8);

// A deterministic keyed BLAKE2b-256 of `normalized_value`, as 64 lowercase hex digits, for
// exact-match lookups on sealed columns. Normalise first (trim, case-fold, E.164 ...). Use a
// separate key per column so equal values in different columns do not correlate.
// Precondition: 16 <= index_key.size() <= 64 (the process stops otherwise).
std::string BlindIndex(std::string_view index_key, std::string_view normalized_value);

}  // namespace soundcheck::crypto
