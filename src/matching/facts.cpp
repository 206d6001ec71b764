#include "matching/facts.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/ascii.h"
#include "domain/directory/freshness.h"

namespace soundcheck::matching {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Day> ParseDay(std::string_view text) {
  const auto seconds = domain::directory::ParseDate(text);
  if (!seconds) return std::nullopt;
  return static_cast<Day>(*seconds / 86400);
}

size_t FormatDay(Day day, char* out) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  const int year = static_cast<int>(ymd.year());
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  if (year < 0 || year > 9999) {
    return static_cast<size_t>(std::snprintf(out, 16, "%04d-%02u-%02u", year, month, d));
  }
  // Digits by hand: every explained result formats several days, and snprintf was a visible
  // share of writing them.
  out[0] = static_cast<char>('0' + year / 1000);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + month / 10);
  out[6] = static_cast<char>('0' + month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  out[10] = '\0';
  return 10;
}

std::string DayString(Day day) {
  char out[16];
  return std::string(out, FormatDay(day, out));
}

Day DayOf(int64_t unix_seconds) {
  // Floor division: a time before 1970 belongs to the day that contains it.
  int64_t day = unix_seconds / 86400;
  if (unix_seconds % 86400 < 0) --day;
  return static_cast<Day>(day);
}

double DistanceKm(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kRadius = 6371.0088;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.latitude - a.latitude) * kRad;
  const double dlon = (b.longitude - a.longitude) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.latitude * kRad) * std::cos(b.latitude * kRad) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kRadius * std::asin(std::sqrt(std::min(1.0, h)));
}

std::string PlanKey(std::string_view carrier, std::string_view plan) {
  return core::AsciiLower(Trim(carrier)) + "|" + core::AsciiLower(Trim(plan));
}

}  // namespace soundcheck::matching
