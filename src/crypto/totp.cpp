#include "crypto/totp.h"

#include <liboath/oath.h>

#include <chrono>
#include <limits>

#include "crypto/internal.h"
#include "crypto/random.h"

namespace soundcheck::crypto {

namespace {

constexpr int kMinDigits = 6;
constexpr int kMaxDigits = 8;
constexpr int kMaxWindowSteps = 10;
constexpr size_t kSecretBytes = 20;

// The code for `step` from the raw (decoded) secret, or "" on failure.
std::string CodeFromKey(const std::string& key, int64_t step, int digits) {
  if (key.empty() || digits < kMinDigits || digits > kMaxDigits || step < 0 ||
      step > std::numeric_limits<time_t>::max() / kTotpStepSeconds) {
    return {};
  }
  if (!internal::EnsureOath()) return {};
  char out[kMaxDigits + 1] = {};
  const auto now = static_cast<time_t>(step * kTotpStepSeconds);
  if (oath_totp_generate(key.data(), key.size(), now, kTotpStepSeconds, 0,
                         static_cast<unsigned>(digits), out) != OATH_OK) {
    return {};
  }
  return std::string(out, static_cast<size_t>(digits));
}

std::string DecodeSecret(std::string_view secret_base32) {
  auto key = Base32Decode(secret_base32);
  return key ? std::move(key).value() : std::string();
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

}  // namespace

std::string NewTotpSecret() {
  std::string raw = RandomBytes(kSecretBytes);
  std::string secret = Base32Encode(raw);
  internal::Wipe(raw);
  return secret;
}

int64_t TotpStep(core::TimePoint t) {
  const int64_t s = core::ToUnixSeconds(t);
  // Floor division, so that instants before 1970 do not round towards step 0.
  return s >= 0 ? s / kTotpStepSeconds : -((-s + kTotpStepSeconds - 1) / kTotpStepSeconds);
}

std::string TotpCode(std::string_view secret_base32, core::TimePoint t, int digits) {
  return TotpCodeForStep(secret_base32, TotpStep(t), digits);
}

std::string TotpCodeForStep(std::string_view secret_base32, int64_t step, int digits) {
  std::string key = DecodeSecret(secret_base32);
  std::string code = CodeFromKey(key, step, digits);
  internal::Wipe(key);
  return code;
}

std::optional<int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code,
                                  core::TimePoint now, int window_steps, int digits) {
  if (digits < kMinDigits || digits > kMaxDigits || window_steps < 0 ||
      window_steps > kMaxWindowSteps || code.size() != static_cast<size_t>(digits)) {
    return std::nullopt;
  }
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::string key = DecodeSecret(secret_base32);
  if (key.empty()) return std::nullopt;
  const int64_t current = TotpStep(now);
  std::optional<int64_t> matched;
  for (int64_t step = current - window_steps; step <= current + window_steps; ++step) {
    const std::string expected = CodeFromKey(key, step, digits);
    // Every step is computed and compared, so the time taken does not reveal which matched.
    if (!expected.empty() && ConstantTimeEquals(expected, code)) matched = step;
  }
  internal::Wipe(key);
  return matched;
}

std::string OtpAuthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  std::string secret(secret_base32);
  while (!secret.empty() && secret.back() == '=') secret.pop_back();
  for (char& c : secret) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) uri += PercentEncode(issuer) + ":";
  uri += PercentEncode(account);
  uri += "?secret=" + PercentEncode(secret);
  if (!issuer.empty()) uri += "&issuer=" + PercentEncode(issuer);
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

}  // namespace soundcheck::crypto
