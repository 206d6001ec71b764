// Helpers shared by the crypto/ sources. Not part of the module's public interface: nothing
// outside src/crypto/ includes this file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace soundcheck::crypto::internal {

// Initialises libsodium once per process (thread-safe). libsodium only fails to initialise
// when the system has no usable randomness source; nothing in this module can work safely
// then, so the process stops with a message on stderr.
void EnsureSodium();

// Initialises liboath once per process (thread-safe). Returns false if it cannot start.
bool EnsureOath();

// Stops the process for a broken precondition that only a programming error can cause (a
// key of the wrong length from a constant, a context that is not 8 characters). Outside
// input never reaches one of these: it is checked and answered with an Error instead.
[[noreturn]] void ContractViolation(const char* what);

// Appends `v` as 8 bytes, big-endian.
void AppendU64(std::string& out, uint64_t v);

// Appends `s` preceded by its length as 8 bytes big-endian, so that concatenations of
// several fields cannot be confused with each other ("ab"+"c" vs "a"+"bc").
void AppendLengthPrefixed(std::string& out, std::string_view s);

// Reinterprets text as bytes for the libsodium/liboath C interfaces.
inline const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Overwrites the string's bytes with zeros (in a way the compiler cannot elide) and clears it.
void Wipe(std::string& s);

}  // namespace soundcheck::crypto::internal
