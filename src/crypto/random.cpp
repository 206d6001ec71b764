#include "crypto/random.h"

#include <sodium.h>

#include <cstdint>

#include "crypto/internal.h"

namespace soundcheck::crypto {

using core::Error;
using internal::Bytes;

namespace {

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool IsHexChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

}  // namespace

std::string RandomBytes(size_t n) {
  internal::EnsureSodium();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string RandomToken(size_t bytes) {
  std::string raw = RandomBytes(bytes);
  std::string token = Base64UrlEncode(raw);
  internal::Wipe(raw);
  return token;
}

std::string Base64UrlEncode(std::string_view bytes) {
  internal::EnsureSodium();
  const size_t cap = sodium_base64_ENCODED_LEN(bytes.size(), kBase64Variant);  // includes NUL
  std::string out(cap, '\0');
  sodium_bin2base64(out.data(), cap, Bytes(bytes), bytes.size(), kBase64Variant);
  out.resize(cap - 1);
  return out;
}

core::Result<std::string> Base64UrlDecode(std::string_view text) {
  internal::EnsureSodium();
  // libsodium 1.0.18 maps some bytes >= 0x80 onto alphabet values instead of rejecting them,
  // so the alphabet is checked here first.
  for (char c : text) {
    if (!IsBase64UrlChar(c)) return Error::InvalidArgument("invalid base64url text");
  }
  std::string out(text.size() * 3 / 4 + 1, '\0');
  size_t len = 0;
  const char* end = nullptr;
  // libsodium rejects non-zero trailing bits and impossible lengths; `end` catches input it
  // stopped at (e.g. "=" padding, which this variant does not allow).
  if (sodium_base642bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        kBase64Variant) != 0 ||
      end != text.data() + text.size()) {
    return Error::InvalidArgument("invalid base64url text");
  }
  out.resize(len);
  return out;
}

std::string HexEncode(std::string_view bytes) {
  internal::EnsureSodium();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.resize(bytes.size() * 2);
  return out;
}

core::Result<std::string> HexDecode(std::string_view text) {
  internal::EnsureSodium();
  if (text.size() % 2 != 0) return Error::InvalidArgument("invalid hex text");
  for (char c : text) {
    if (!IsHexChar(c)) return Error::InvalidArgument("invalid hex text");
  }
  std::string out(text.size() / 2, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &len, &end) != 0 ||
      end != text.data() + text.size() || len != out.size()) {
    return Error::InvalidArgument("invalid hex text");
  }
  return out;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kBase32Alphabet[(acc >> bits) & 31]);
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(acc << (5 - bits)) & 31]);
  return out;
}

core::Result<std::string> Base32Decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // 8 characters carry 5 bytes; a final group of 1, 3 or 6 characters cannot come from whole
  // bytes.
  const size_t rem = text.size() % 8;
  if (rem == 1 || rem == 3 || rem == 6) return Error::InvalidArgument("invalid base32 text");
  std::string out;
  out.reserve(text.size() * 5 / 8);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Base32Value(c);
    if (v < 0) return Error::InvalidArgument("invalid base32 text");
    acc = (acc << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return Error::InvalidArgument("invalid base32 text");
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  internal::EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace soundcheck::crypto
