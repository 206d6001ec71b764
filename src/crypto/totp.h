// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 30-second steps),
// as used by authenticator apps. All functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace soundcheck::crypto {

inline constexpr int64_t kTotpStepSeconds = 30;

// Returns a new shared secret: 20 random bytes (160 bits, RFC 4226's recommendation) as
// base32 without padding (32 characters). Store it sealed; it is as sensitive as a password.
std::string NewTotpSecret();

// The time step that contains `t`: floor(unix seconds / 30). Negative before 1970.
int64_t TotpStep(core::TimePoint t);

// The `digits`-digit code for the time step containing `t` (zero-padded).
// Returns "" when the secret is not valid base32 or is empty, `digits` is outside 6..8, or
// `t` is before 1970.
std::string TotpCode(std::string_view secret_base32, core::TimePoint t, int digits = 6);

// The same for an explicit time step (usable for steps beyond TimePoint's range, year 2262).
// Returns "" as TotpCode does, and for a negative step.
std::string TotpCodeForStep(std::string_view secret_base32, int64_t step, int digits = 6);

// Checks `code` against the steps from TotpStep(now) - window_steps to + window_steps (every
// step is computed and compared in constant time; no early exit).
// Returns the matched time step (the latest one, should two match), or nullopt when nothing
// matches, `code` is not exactly `digits` ASCII digits, the secret is invalid, `digits` is
// outside 6..8, or `window_steps` is outside 0..10.
// A code may be used once: the caller stores the returned step and refuses any later code
// whose step is less than or equal to the stored one.
std::optional<int64_t> VerifyTotp(std::string_view secret_base32, std::string_view code,
                                  core::TimePoint now, int window_steps = 1, int digits = 6);

// The otpauth:// URI that authenticator apps read from a QR code (Google Authenticator Key
// URI format): otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&
// digits=6&period=30, with issuer and account percent-encoded (RFC 3986 unreserved
// characters kept). Without an issuer the label is the account alone. The URI contains the
// secret and usually an e-mail address: show it to its owner only, never log it.
std::string OtpAuthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

}  // namespace soundcheck::crypto
