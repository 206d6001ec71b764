#include "storage/database.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "storage/postgres/pg_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace soundcheck::storage {
namespace {

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size()) return v;
  return std::nullopt;
}

std::optional<double> ParseReal(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && p == s.data() + s.size()) return v;
  return std::nullopt;
}

std::string RealText(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

}  // namespace

std::optional<int64_t> Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* x = std::get_if<int64_t>(&v)) return *x;
  if (const auto* d = std::get_if<double>(&v)) {
    // ±2^63 are exact doubles; [-2^63, 2^63) is what fits.
    if (std::isfinite(*d) && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0) {
      return static_cast<int64_t>(*d);
    }
    return std::nullopt;
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (auto x = ParseInt(*s)) return x;
    // NUMERIC text such as "12.000" still names an integer.
    if (auto d = ParseReal(*s);
        d && std::isfinite(*d) && std::trunc(*d) == *d && std::abs(*d) < 9007199254740992.0) {
      return static_cast<int64_t>(*d);
    }
  }
  return std::nullopt;
}

std::optional<double> Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* x = std::get_if<int64_t>(&v)) return static_cast<double>(*x);
  if (const auto* s = std::get_if<std::string>(&v)) return ParseReal(*s);
  return std::nullopt;
}

std::optional<std::string> Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  if (const auto* x = std::get_if<int64_t>(&v)) return std::to_string(*x);
  if (const auto* d = std::get_if<double>(&v)) return RealText(*d);
  return std::nullopt;
}

std::optional<std::string> Row::Bytes(size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return Text(i);
}

std::string_view DialectName(Dialect d) {
  switch (d) {
    case Dialect::kSqlite:
      return "sqlite";
    case Dialect::kPostgres:
      return "postgres";
  }
  return "unknown";
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, const OpenOptions& options) {
  if (options.pool_size < 1 || options.busy_timeout_ms < 0 || options.pool_wait_ms < 0 ||
      options.max_attempts < 1) {
    return core::Error::InvalidArgument(
        "database options: pool_size and max_attempts must be >= 1, timeouts >= 0");
  }
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string_view path = url.substr(kSqlite.size());
    if (path.starts_with("//")) path.remove_prefix(2);  // sqlite:///abs/path
    if (path.empty()) return core::Error::InvalidArgument("sqlite URL without a path");
    if (path.find('\0') != std::string_view::npos) {
      return core::Error::InvalidArgument("sqlite path contains a NUL byte");
    }
    return detail::OpenSqlite(std::string(path), options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    if (url.find('\0') != std::string_view::npos) {
      return core::Error::InvalidArgument("PostgreSQL URL contains a NUL byte");
    }
    return detail::OpenPostgres(std::string(url), options);
  }
  // The URL is not repeated: it may carry a password.
  return core::Error::InvalidArgument(
      "database URL must start with sqlite:, postgres:// or postgresql://");
}

}  // namespace soundcheck::storage
