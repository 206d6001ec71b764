// IANA time zones from the system's tzdata (/usr/share/zoneinfo), for rota shifts and
// booked calls: people enter wall-clock times where they are; we store UTC.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace soundcheck::core {

// True when `tz` names a zone this machine's tzdata knows ("America/Chicago", "UTC").
bool KnownTimeZone(std::string_view tz);

// "2026-11-26T09:00" (or with ":SS") in `tz` → Unix seconds. A wall-clock time that falls
// in a DST gap or overlap resolves to the earlier instant (what a person means by "9:00"
// on the night clocks change is ambiguous; the earlier reading never skips a call).
// kInvalidArgument for a malformed time or an unknown zone.
Result<int64_t> LocalToUnix(std::string_view local, std::string_view tz);

// Unix seconds → "2026-11-26T09:00" in `tz` (kInvalidArgument for an unknown zone).
Result<std::string> UnixToLocal(int64_t unix_seconds, std::string_view tz);

}  // namespace soundcheck::core
