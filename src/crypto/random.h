// Randomness, text encodings of bytes, and constant-time comparison.
//
// All functions are thread-safe. Decoders return errors whose messages never contain the
// input (it may be a secret).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace soundcheck::crypto {

// Returns `n` bytes from the operating system's CSPRNG (libsodium randombytes_buf).
std::string RandomBytes(size_t n);

// Returns a fresh unguessable token: `bytes` random bytes (default 32, i.e. 256 bits) in
// base64url without padding, safe in URLs, cookies and headers.
std::string RandomToken(size_t bytes = 32);

// RFC 4648 §5 base64url, no padding ("-" and "_", no "=").
std::string Base64UrlEncode(std::string_view bytes);
// Strict inverse of Base64UrlEncode.
// Errors: kInvalidArgument for padding, whitespace, characters outside the alphabet, an
// impossible length, or non-zero unused trailing bits (so every byte string has exactly one
// accepted encoding).
core::Result<std::string> Base64UrlDecode(std::string_view text);

// Lowercase hexadecimal.
std::string HexEncode(std::string_view bytes);
// Errors: kInvalidArgument for an odd length or a non-hex character (either case accepted).
core::Result<std::string> HexDecode(std::string_view text);

// RFC 4648 §6 base32 (A-Z, 2-7), no padding. Used for TOTP secrets.
std::string Base32Encode(std::string_view bytes);
// Accepts upper or lower case and optional trailing "=" padding.
// Errors: kInvalidArgument for other characters, an impossible length, or non-zero unused
// trailing bits.
core::Result<std::string> Base32Decode(std::string_view text);

// True when `a` and `b` are byte-for-byte equal. For equal lengths the time taken does not
// depend on the contents; a length difference returns false at once (lengths of tokens,
// hashes and codes are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace soundcheck::crypto
