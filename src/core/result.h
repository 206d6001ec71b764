// Errors as values. Result<T> is shaped like C++23 std::expected<T, Error> so that moving to
// the standard type later is a rename, not a rewrite.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace soundcheck::core {

// The small, closed set of error kinds every module speaks. http/ maps each to one status.
enum class ErrorCode {
  kInvalidArgument,     // the caller sent something malformed (400)
  kUnprocessable,       // well-formed, but breaks a rule (422)
  kNotFound,            // missing, or not the caller's to see (404)
  kConflict,            // clashes with existing state (409)
  kFailedPrecondition,  // a version / If-Match check failed (412)
  kUnauthenticated,     // who are you? (401)
  kPermissionDenied,    // known, but not allowed (403)
  kResourceExhausted,   // rate limited or too large (429)
  kUnavailable,         // a dependency is down; retrying may help (503)
  kInternal,            // a bug or an unexpected failure (500)
};

std::string_view ErrorCodeName(ErrorCode code);

// One problem with one input field. `field` is a JSON Pointer ("/person/email"); `code` is
// machine-readable ("required", "invalid_format"); `message` is safe to show to the caller.
struct FieldError {
  std::string field;
  std::string code;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

// `message` is for operators and logs: it must never contain personal data, and it is never
// sent to a client as-is. `public_detail` (optional) is text written for the client.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
  std::string public_detail;
  // A short machine-readable reason within the code ("totp-required"); http/ uses it as the
  // problem type slug. Empty: the code's default.
  std::string reason;

  static Error InvalidArgument(std::string msg, std::vector<FieldError> fields = {}) {
    return {ErrorCode::kInvalidArgument, std::move(msg), std::move(fields), {}, {}};
  }
  static Error Unprocessable(std::string msg, std::vector<FieldError> fields = {}) {
    return {ErrorCode::kUnprocessable, std::move(msg), std::move(fields), {}, {}};
  }
  static Error NotFound(std::string msg) {
    return {ErrorCode::kNotFound, std::move(msg), {}, {}, {}};
  }
  static Error Conflict(std::string msg) {
    return {ErrorCode::kConflict, std::move(msg), {}, {}, {}};
  }
  static Error FailedPrecondition(std::string msg) {
    return {ErrorCode::kFailedPrecondition, std::move(msg), {}, {}, {}};
  }
  static Error Unauthenticated(std::string msg) {
    return {ErrorCode::kUnauthenticated, std::move(msg), {}, {}, {}};
  }
  static Error PermissionDenied(std::string msg) {
    return {ErrorCode::kPermissionDenied, std::move(msg), {}, {}, {}};
  }
  static Error ResourceExhausted(std::string msg) {
    return {ErrorCode::kResourceExhausted, std::move(msg), {}, {}, {}};
  }
  static Error Unavailable(std::string msg) {
    return {ErrorCode::kUnavailable, std::move(msg), {}, {}, {}};
  }
  static Error Internal(std::string msg) {
    return {ErrorCode::kInternal, std::move(msg), {}, {}, {}};
  }

  // Returns the error with client-facing text `detail`.
  Error WithDetail(std::string detail) && {
    public_detail = std::move(detail);
    return std::move(*this);
  }
  // Returns the error with a machine-readable `reason`.
  Error WithReason(std::string r) && {
    reason = std::move(r);
    return std::move(*this);
  }
};

// Tag wrapper so `return Unexpected(err)` reads like std::unexpected.
struct Unexpected {
  Error error;
  explicit Unexpected(Error e) : error(std::move(e)) {}
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}     // NOLINT
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!has_value());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(v_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}     // NOLINT
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const { assert(ok_); }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace soundcheck::core

// Propagates an error from an expression returning Result<...>; evaluates to nothing.
#define SC_RETURN_IF_ERROR(expr)                                                           \
  do {                                                                                     \
    auto sc_status_ = (expr);                                                              \
    if (!sc_status_) return ::soundcheck::core::Unexpected(std::move(sc_status_).error()); \
  } while (0)

#define SC_CONCAT_INNER_(a, b) a##b
#define SC_CONCAT_(a, b) SC_CONCAT_INNER_(a, b)
// `SC_ASSIGN_OR_RETURN(auto x, F());` binds the value or returns the error. It expands to
// several statements: never use it as the body of an unbraced if/for.
#define SC_ASSIGN_OR_RETURN(lhs, expr) \
  SC_ASSIGN_OR_RETURN_IMPL_(SC_CONCAT_(sc_result_, __COUNTER__), lhs, expr)
#define SC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)                          \
  auto tmp = (expr);                                                       \
  if (!tmp) return ::soundcheck::core::Unexpected(std::move(tmp).error()); \
  lhs = std::move(tmp).value()
