#include "core/time_zone.h"

#include <date/tz.h>

#include <cctype>
#include <sstream>

namespace soundcheck::core {
namespace {

const date::time_zone* Find(std::string_view tz) {
  if (tz.empty() || tz.size() > 64) return nullptr;
  for (char c : tz) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return nullptr;
    }
  }
  if (tz.front() == '/' || tz.find("..") != std::string_view::npos) return nullptr;
  try {
    return date::locate_zone(tz);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

bool KnownTimeZone(std::string_view tz) { return Find(tz) != nullptr; }

Result<int64_t> LocalToUnix(std::string_view local, std::string_view tz) {
  const date::time_zone* zone = Find(tz);
  if (zone == nullptr) return Error::InvalidArgument("unknown time zone");
  std::string text(local);
  if (text.size() == 16) text += ":00";
  if (text.size() != 19 || text[10] != 'T') return Error::InvalidArgument("bad local time");
  std::istringstream in(text);
  date::local_seconds t;
  in >> date::parse("%Y-%m-%dT%H:%M:%S", t);
  if (in.fail()) return Error::InvalidArgument("bad local time");
  try {
    auto sys = zone->to_sys(t, date::choose::earliest);
    return static_cast<int64_t>(sys.time_since_epoch().count());
  } catch (const std::exception&) {
    return Error::InvalidArgument("bad local time");
  }
}

Result<std::string> UnixToLocal(int64_t unix_seconds, std::string_view tz) {
  const date::time_zone* zone = Find(tz);
  if (zone == nullptr) return Error::InvalidArgument("unknown time zone");
  date::sys_seconds t{std::chrono::seconds(unix_seconds)};
  return date::format("%Y-%m-%dT%H:%M", date::zoned_seconds(zone, t));
}

}  // namespace soundcheck::core
