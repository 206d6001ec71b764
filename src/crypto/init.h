// Process-wide start-up of the cryptographic libraries (libsodium, liboath).
#pragma once

#include "core/result.h"

namespace soundcheck::crypto {

// Initialises libsodium and liboath. Call once at start-up, before threads are started, so
// that a failure is reported cleanly; every other function in this module also initialises
// on first use (and stops the process if libsodium cannot start, since it then has no
// randomness).
// Returns: Ok, also when already initialised (idempotent).
// Errors: kInternal when either library cannot initialise (no randomness source, broken
// install). Thread-safe.
core::Status InitCrypto();

}  // namespace soundcheck::crypto
