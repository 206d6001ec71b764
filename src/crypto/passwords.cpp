#include "crypto/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <utility>

#include "crypto/internal.h"

namespace soundcheck::crypto {

using core::Error;
using core::FieldError;

// Holds one of the hasher's slots for its lifetime and keeps the in-flight statistics.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& h) : h_(h) {
    h_.slots_.acquire();
    const int now = ++h_.in_flight_;
    int peak = h_.peak_.load();
    while (now > peak && !h_.peak_.compare_exchange_weak(peak, now)) {
    }
  }
  ~Slot() {
    --h_.in_flight_;
    h_.slots_.release();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& h_;
};

namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// A stored hash as the NUL-terminated string libsodium expects, or empty if it cannot be one.
std::string StoredHashCString(std::string_view stored_hash) {
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES ||
      stored_hash.find('\0') != std::string_view::npos) {
    return {};
  }
  return std::string(stored_hash);
}

// Decodes strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) into code
// points. Returns false for invalid input.
bool DecodeUtf8(std::string_view s, std::u32string& out) {
  out.clear();
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    int extra;
    char32_t cp;
    char32_t min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1, cp = b0 & 0x1F, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2, cp = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
      return false;  // continuation byte in lead position, 0xC0/0xC1, or 0xF5..0xFF
    }
    if (i + extra >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += extra + 1;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// True when `cps` is two or more copies of a unit shorter than `max_unit` code points.
bool IsShortUnitRepeated(const std::u32string& cps, size_t max_unit) {
  const size_t n = cps.size();
  for (size_t unit = 1; unit < max_unit && unit * 2 <= n; ++unit) {
    if (n % unit != 0) continue;
    bool periodic = true;
    for (size_t i = unit; i < n && periodic; ++i) periodic = cps[i] == cps[i - unit];
    if (periodic) return true;
  }
  return false;
}

core::Status Reject(std::string_view field, std::string code, std::string user_message) {
  std::string log_message = "password rejected: " + code;
  return Error::Unprocessable(
      std::move(log_message),
      {FieldError{std::string(field), std::move(code), std::move(user_message)}});
}

std::shared_ptr<const std::vector<std::string>> SortedUnique(std::vector<std::string> words) {
  for (auto& w : words) w = AsciiLower(w);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  words.shrink_to_fit();
  return std::make_shared<const std::vector<std::string>>(std::move(words));
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordParams params, int max_concurrent_hashes)
    : params_(params),
      max_concurrent_(std::max(1, max_concurrent_hashes)),
      slots_(max_concurrent_) {
  internal::EnsureSodium();
}

core::Result<std::string> PasswordHasher::Hash(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return Error::InvalidArgument("password longer than the hashing limit");
  }
  if (params_.ops_limit < crypto_pwhash_OPSLIMIT_MIN ||
      params_.ops_limit > crypto_pwhash_OPSLIMIT_MAX ||
      params_.mem_limit < crypto_pwhash_MEMLIMIT_MIN ||
      params_.mem_limit > crypto_pwhash_MEMLIMIT_MAX) {
    return Error::Internal("password hashing parameters out of range");
  }
  char out[crypto_pwhash_STRBYTES] = {};
  int rc;
  {
    Slot slot(*this);
    rc = crypto_pwhash_str_alg(out, password.data(), password.size(), params_.ops_limit,
                               params_.mem_limit, crypto_pwhash_ALG_ARGON2ID13);
  }
  if (rc != 0) return Error::Unavailable("password hashing failed (out of memory?)");
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view stored_hash, std::string_view password) {
  const std::string stored = StoredHashCString(stored_hash);
  if (stored.empty() || password.size() > kMaxPasswordBytes) return false;
  Slot slot(*this);
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view stored_hash) const {
  const std::string stored = StoredHashCString(stored_hash);
  if (stored.empty() || !stored_hash.starts_with(kArgon2idPrefix)) return true;
  return crypto_pwhash_str_needs_rehash(stored.c_str(), params_.ops_limit, params_.mem_limit) != 0;
}

core::Result<PasswordPolicy> PasswordPolicy::LoadList(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::FailedPrecondition("cannot read password list " + path);
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    words.push_back(std::move(line));
  }
  if (in.bad()) return Error::FailedPrecondition("cannot read password list " + path);
  if (words.empty()) return Error::InvalidArgument("password list " + path + " has no entries");
  return PasswordPolicy(SortedUnique(std::move(words)));
}

PasswordPolicy PasswordPolicy::FromWords(std::vector<std::string> words) {
  return PasswordPolicy(SortedUnique(std::move(words)));
}

bool PasswordPolicy::Listed(std::string_view folded) const {
  return std::binary_search(words_->begin(), words_->end(), folded,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

core::Status PasswordPolicy::Check(std::string_view password, bool has_mfa,
                                   std::string_view field) const {
  std::u32string cps;
  if (!DecodeUtf8(password, cps)) {
    return Reject(field, "invalid_encoding",
                  "The password contains characters that could not be read. Please type it "
                  "again.");
  }
  const size_t min = has_mfa ? kMinLengthWithMfa : kMinLengthWithoutMfa;
  if (cps.size() < min) {
    return Reject(field, "too_short", "Use at least " + std::to_string(min) + " characters.");
  }
  if (cps.size() > kMaxLength) {
    return Reject(field, "too_long", "Use at most " + std::to_string(kMaxLength) + " characters.");
  }
  const std::string folded = AsciiLower(password);
  std::string no_spaces = folded;
  std::erase(no_spaces, ' ');
  if (Listed(folded) || (!no_spaces.empty() && Listed(no_spaces)) ||
      IsShortUnitRepeated(cps, min)) {
    return Reject(field, "common_password",
                  "This password is too common or too easy to guess. Please choose another "
                  "one; a few unrelated words make a good password.");
  }
  return core::Ok();
}

}  // namespace soundcheck::crypto
