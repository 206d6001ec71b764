// The public HSDS API's rules (hsds_api.h) and DirectoryService's reads for it.
#include "domain/directory/hsds_api.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>

#include "core/ascii.h"
#include "domain/directory/directory_service.h"

namespace soundcheck::domain::directory {

namespace json = boost::json;
using core::Error;

namespace {

std::string Text(const json::object& fields, const char* name) {
  const auto* v = fields.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A parameter name as the client sent it, when it is safe to repeat in a problem (it came
// from a URL: it could be anything).
std::string Printable(std::string_view name) {
  const bool plain =
      !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
               c == '[' || c == ']';
      });
  return plain ? std::string(name) : std::string("(unreadable name)");
}

// 400 naming the parameter: in the detail a person reads and in `errors` for programs.
Error BadParameter(std::string_view name, std::string code, std::string detail) {
  std::vector<core::FieldError> fields = {{"/" + Printable(name), std::move(code), detail}};
  return Error::InvalidArgument("bad HSDS query parameter", std::move(fields))
      .WithDetail(std::move(detail));
}

std::vector<std::string_view> ListParameters(std::string_view resource) {
  std::vector<std::string_view> names = {"search", "page", "per_page", "format", "modified_after"};
  const bool services = resource == "service" || resource == "service_at_location";
  if (services || resource == "organization") {
    names.insert(names.end(), {"taxonomy_term_id", "taxonomy_id", "full"});
  }
  if (services) names.push_back("organization_id");
  if (resource == "organization") names.push_back("full_service");
  if (resource == "service_at_location") names.insert(names.end(), {"postcode", "proximity"});
  if (resource == "taxonomy_term") names.push_back("taxonomy_id");
  return names;
}

bool KnownList(std::string_view resource) {
  return resource == "service" || resource == "organization" || resource == "service_at_location" ||
         resource == "taxonomy" || resource == "taxonomy_term";
}

// Every parameter must be one the endpoint takes.
core::Status OnlyKnown(const std::map<std::string, std::string>& params,
                       const std::vector<std::string_view>& allowed) {
  for (const auto& [name, value] : params) {
    if (name.empty()) continue;  // "?page=2&": a stray separator
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return BadParameter(name, "unknown_parameter",
                          "The parameter " + Printable(name) + " is not one this endpoint takes.");
    }
  }
  return core::Ok();
}

core::Result<bool> ParseBool(std::string_view name, std::string_view value) {
  const std::string v = core::AsciiLower(value);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  return BadParameter(name, "invalid_format", std::string(name) + " must be true or false.");
}

std::optional<int64_t> ParseInt(std::string_view value) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || p != value.data() + value.size()) return std::nullopt;
  return n;
}

core::Result<std::string> ParseId(std::string_view name, std::string_view value) {
  if (!IsUuid(value)) {
    return BadParameter(name, "invalid_format", std::string(name) + " must be a UUID.");
  }
  return core::AsciiLower(value);
}

// `search`: words separated by spaces, lower case (as the stored search text is). The
// wildcard characters of SQL LIKE (and its escape) separate words too, so they match
// nothing in particular on either engine.
core::Result<std::vector<std::string>> SearchWords(std::string_view text) {
  if (text.size() > kHsdsMaxSearchLength) {
    return BadParameter(
        "search", "too_long",
        "search is limited to " + std::to_string(kHsdsMaxSearchLength) + " characters.");
  }
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
    word.clear();
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '%' || c == '_' || c == '\\') {
      flush();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  flush();
  if (static_cast<int>(words.size()) > kHsdsMaxSearchWords) {
    return BadParameter("search", "too_many_words",
                        "search is limited to " + std::to_string(kHsdsMaxSearchWords) + " words.");
  }
  return words;
}

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr double kPi = std::numbers::pi;
double Radians(double degrees) { return degrees * kPi / 180.0; }
double Degrees(double radians) { return radians * 180.0 / kPi; }

void Scrub(json::value& value);

RecordQuery BaseQuery(const HsdsListQuery& q) {
  RecordQuery rq;
  rq.resource = q.resource;
  rq.words = q.words;
  rq.taxonomy_term_id = q.taxonomy_term_id;
  rq.taxonomy_id = q.taxonomy_id;
  rq.organization_id = q.organization_id;
  rq.modified_after = q.modified_after;
  rq.visible_only = true;
  return rq;
}

std::vector<std::string> Chunk(const std::vector<std::string>& ids, size_t chunk) {
  const size_t begin = std::min(ids.size(), chunk * kLocationChunk);
  const size_t end = std::min(ids.size(), begin + kLocationChunk);
  return std::vector<std::string>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                  ids.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace

core::Result<HsdsListQuery> ParseHsdsListQuery(std::string_view resource,
                                               const std::map<std::string, std::string>& params) {
  if (!KnownList(resource)) return Error::Internal("no HSDS list of " + std::string(resource));
  SC_RETURN_IF_ERROR(OnlyKnown(params, ListParameters(resource)));
  HsdsListQuery q;
  q.resource = std::string(resource);
  auto get = [&](const char* name) -> std::string_view {
    auto it = params.find(name);
    return it == params.end() ? std::string_view() : std::string_view(it->second);
  };
  if (auto v = get("search"); !v.empty()) {
    SC_ASSIGN_OR_RETURN(q.words, SearchWords(v));
  }
  if (auto v = get("page"); !v.empty()) {
    auto n = ParseInt(v);
    if (!n || *n < 1) {
      return BadParameter("page", "out_of_range", "page must be a whole number from 1.");
    }
    q.page = *n;
  }
  if (auto v = get("per_page"); !v.empty()) {
    auto n = ParseInt(v);
    if (!n || *n < 1 || *n > kHsdsMaxPerPage) {
      return BadParameter(
          "per_page", "out_of_range",
          "per_page must be a whole number from 1 to " + std::to_string(kHsdsMaxPerPage) + ".");
    }
    q.per_page = static_cast<int>(*n);
  }
  if (auto v = get("format"); !v.empty()) {
    if (v != "json" && v != "ndjson") {
      return BadParameter("format", "invalid_value", "format must be json or ndjson.");
    }
    q.ndjson = v == "ndjson";
  }
  if (auto v = get("modified_after"); !v.empty()) {
    q.modified_after = ParseModifiedAfter(v);
    if (!q.modified_after) {
      return BadParameter("modified_after", "invalid_format",
                          "modified_after must be an RFC 3339 date-time "
                          "(2025-01-31T09:00:00Z) or a date (2025-01-31).");
    }
  }
  if (auto v = get("taxonomy_term_id"); !v.empty()) {
    SC_ASSIGN_OR_RETURN(q.taxonomy_term_id, ParseId("taxonomy_term_id", v));
  }
  if (auto v = get("taxonomy_id"); !v.empty()) {
    SC_ASSIGN_OR_RETURN(q.taxonomy_id, ParseId("taxonomy_id", v));
  }
  if (auto v = get("organization_id"); !v.empty()) {
    SC_ASSIGN_OR_RETURN(q.organization_id, ParseId("organization_id", v));
  }
  if (auto v = get("full"); !v.empty()) {
    SC_ASSIGN_OR_RETURN(q.full, ParseBool("full", v));
  }
  if (auto v = get("full_service"); !v.empty()) {
    SC_ASSIGN_OR_RETURN(q.full_service, ParseBool("full_service", v));
  }
  if (auto v = get("postcode"); !v.empty()) {
    q.postcode = NormalizePostcode(v);
    if (q.postcode.size() > 16) {
      return BadParameter("postcode", "too_long", "postcode is too long to be a postcode.");
    }
  }
  if (auto v = get("proximity"); !v.empty()) {
    double meters = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), meters);
    if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(meters) || meters < 0) {
      return BadParameter("proximity", "invalid_format",
                          "proximity must be a distance in meters: a number, 0 or more.");
    }
    if (q.postcode.empty()) {
      return BadParameter("proximity", "requires_postcode",
                          "proximity needs a postcode: the distance is measured from the "
                          "postcode's centre.");
    }
    // Half the Earth's circumference already reaches everywhere.
    q.proximity_meters = std::min(meters, kPi * kEarthRadiusMeters);
  }
  return q;
}

core::Result<HsdsObjectQuery> ParseHsdsObjectQuery(
    std::string_view resource, const std::map<std::string, std::string>& params) {
  std::vector<std::string_view> allowed;
  if (resource == "organization") allowed.push_back("full_service");
  SC_RETURN_IF_ERROR(OnlyKnown(params, allowed));
  HsdsObjectQuery q;
  if (auto it = params.find("full_service"); it != params.end() && !it->second.empty()) {
    SC_ASSIGN_OR_RETURN(q.full_service, ParseBool("full_service", it->second));
  }
  return q;
}

std::optional<int64_t> ParseModifiedAfter(std::string_view s) {
  auto digits = [&](size_t at, size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0;
  if (s.size() < 10 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysIn(y, mo)) return std::nullopt;
  int h = 0, mi = 0, se = 0;
  int64_t offset = 0;
  bool fraction = false;
  if (s.size() > 10) {
    const char t = s[10];
    if (t != 'T' && t != 't' && t != ' ') return std::nullopt;
    if (!digits(11, 2, h) || s.size() < 19 || s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' ||
        !digits(17, 2, se)) {
      return std::nullopt;
    }
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;  // 60: a leap second
    size_t i = 19;
    if (i < s.size() && s[i] == '.') {
      const size_t start = ++i;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) fraction = fraction || s[i] != '0';
      if (i == start) return std::nullopt;
    }
    const std::string_view zone = s.substr(i);
    if (zone == "Z" || zone == "z") {
      offset = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-' || zone[0] == ' ') &&
               zone[3] == ':') {
      int oh = 0, om = 0;
      if (!digits(i + 1, 2, oh) || !digits(i + 4, 2, om) || oh > 23 || om > 59) {
        return std::nullopt;
      }
      offset = (oh * 60 + om) * 60 * (zone[0] == '-' ? -1 : 1);
    } else {
      return std::nullopt;
    }
  }
  const int64_t t = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
  // Stored times are whole seconds: "on or after 09:00:00.5" starts at 09:00:01.
  return fraction ? t + 1 : t;
}

PageInfo PageOf(int64_t total, int64_t page, int per_page, int64_t size) {
  PageInfo p;
  p.total_items = total;
  p.total_pages = total <= 0 ? 0 : total / per_page + (total % per_page != 0 ? 1 : 0);
  p.page_number = page;
  p.size = size;
  p.first_page = page == 1;
  p.last_page = page >= p.total_pages;
  p.empty = size == 0;
  return p;
}

int64_t PageOffset(int64_t page, int per_page) {
  if (page <= 1) return 0;
  if (page - 1 > std::numeric_limits<int64_t>::max() / per_page) {
    return std::numeric_limits<int64_t>::max();
  }
  return (page - 1) * per_page;
}

namespace {

void Scrub(json::value& value) {
  if (value.is_object()) {
    PublicView(value.get_object());
  } else if (value.is_array()) {
    for (auto& item : value.get_array()) Scrub(item);
  }
}

}  // namespace

void PublicView(json::object& object) {
  std::vector<std::string> private_fields;
  for (auto& [key, value] : object) {
    if (key.starts_with(kPrivateFieldPrefix)) {
      private_fields.emplace_back(key);
    } else {
      Scrub(value);
    }
  }
  for (const auto& key : private_fields) object.stable_erase(key);
}

bool ValidPosition(double latitude, double longitude) {
  return std::isfinite(latitude) && std::isfinite(longitude) && std::abs(latitude) <= 90 &&
         std::abs(longitude) <= 180;
}

double HaversineMeters(GeoPoint a, GeoPoint b) {
  const double dlat = Radians(b.latitude - a.latitude);
  const double dlon = Radians(b.longitude - a.longitude);
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(Radians(a.latitude)) * std::cos(Radians(b.latitude)) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusMeters * std::asin(std::min(1.0, std::sqrt(h)));
}

std::optional<GeoPoint> Centroid(const std::vector<GeoPoint>& points) {
  double x = 0, y = 0, z = 0;
  for (const auto& p : points) {
    const double lat = Radians(p.latitude), lon = Radians(p.longitude);
    x += std::cos(lat) * std::cos(lon);
    y += std::cos(lat) * std::sin(lon);
    z += std::sin(lat);
  }
  const double n = std::sqrt(x * x + y * y + z * z);
  if (points.empty() || n < 1e-9 * static_cast<double>(points.size())) return std::nullopt;
  return GeoPoint{Degrees(std::atan2(z, std::hypot(x, y))), Degrees(std::atan2(y, x))};
}

std::vector<GeoBox> BoxesAround(GeoPoint c, double meters) {
  constexpr double kMargin = 1e-9;  // degrees: keeps points on the circle inside the box
  const double angle = std::max(0.0, meters) / kEarthRadiusMeters;  // radians
  const double dlat = Degrees(angle) + kMargin;
  const double min_lat = c.latitude - dlat, max_lat = c.latitude + dlat;
  if (angle >= kPi || min_lat <= -90 || max_lat >= 90) {
    // A pole is inside the circle: every longitude.
    return {{std::max(-90.0, min_lat), std::min(90.0, max_lat), -180, 180}};
  }
  const double ratio = std::sin(angle) / std::cos(Radians(c.latitude));
  const double dlon = ratio >= 1 ? 180 : Degrees(std::asin(ratio)) + kMargin;
  const double min_lon = c.longitude - dlon, max_lon = c.longitude + dlon;
  if (dlon >= 180) return {{min_lat, max_lat, -180, 180}};
  if (min_lon < -180)
    return {{min_lat, max_lat, min_lon + 360, 180}, {min_lat, max_lat, -180, max_lon}};
  if (max_lon > 180)
    return {{min_lat, max_lat, min_lon, 180}, {min_lat, max_lat, -180, max_lon - 360}};
  return {{min_lat, max_lat, min_lon, max_lon}};
}

// --- DirectoryService: the reads of the HSDS API ---------------------------------------

core::Result<std::optional<std::vector<std::string>>> DirectoryService::ResolveLocations(
    UnitOfWork& uow, const HsdsListQuery& q) {
  using Ids = std::optional<std::vector<std::string>>;
  if (q.postcode.empty()) return Ids();
  auto& repo = uow.directory();
  SC_ASSIGN_OR_RETURN(auto at_postcode, repo.LocationsWithPostcode(q.postcode));
  if (!q.proximity_meters) return Ids(std::move(at_postcode));

  // We have no postcode gazetteer: the centre of a postcode is the mean position of the
  // directory's own locations with an address there.
  auto unknown = [](const char* why, std::string detail) {
    std::vector<core::FieldError> fields = {{"/postcode", "unknown_postcode", detail}};
    return Error::Unprocessable(why, std::move(fields))
        .WithDetail(std::move(detail))
        .WithReason("unknown-postcode");
  };
  if (at_postcode.empty()) {
    return unknown("postcode not in the directory",
                   "This postcode is not known to this directory, so there is no centre to "
                   "measure proximity from. Search by postcode alone, or try a nearby one.");
  }
  SC_ASSIGN_OR_RETURN(auto locations, repo.FindMany("location", at_postcode));
  std::vector<GeoPoint> points;
  for (const auto& l : locations) {
    const RecordIndex index = IndexOf(l.record);
    if (index.latitude && index.longitude && ValidPosition(*index.latitude, *index.longitude)) {
      points.push_back({*index.latitude, *index.longitude});
    }
  }
  auto center = Centroid(points);
  if (!center) {
    return unknown("postcode without a position",
                   "This directory has no position for this postcode, so there is no centre "
                   "to measure proximity from. Search by postcode alone.");
  }
  const double meters = *q.proximity_meters;
  std::set<std::string> near;
  for (const auto& box : BoxesAround(*center, meters)) {
    SC_ASSIGN_OR_RETURN(auto found,
                        repo.LocationsInBox(box.min_lat, box.max_lat, box.min_lon, box.max_lon));
    for (const auto& [id, position] : found) {
      const GeoPoint p{position.first, position.second};
      if (ValidPosition(p.latitude, p.longitude) && HaversineMeters(*center, p) <= meters) {
        near.insert(id);
      }
    }
  }
  return Ids(std::vector<std::string>(near.begin(), near.end()));
}

core::Result<json::object> DirectoryService::PublicItem(UnitOfWork& uow, const StoredRecord& record,
                                                        bool full, bool full_service) {
  auto& repo = uow.directory();
  SC_ASSIGN_OR_RETURN(json::object out, Nest(uow, record, full));
  const std::string& resource = record.record.resource;
  if (resource == "service_at_location") {
    // HSDS shows a service_at_location with its service (the schema leaves it out, the
    // official examples and list schema have it), without the service's own list of
    // service_at_locations.
    const std::string service_id = core::AsciiLower(Text(record.record.fields, "service_id"));
    if (!service_id.empty()) {
      SC_ASSIGN_OR_RETURN(auto service, repo.Find("service", service_id));
      if (service && !IndexOf(service->record).hidden) {
        SC_ASSIGN_OR_RETURN(json::object nested, Nest(uow, *service, full));
        nested.stable_erase("service_at_locations");
        out["service"] = std::move(nested);
      }
    }
  }
  if (resource == "organization" && full) {
    // A fully nested organization lists its (visible) services, as HSDS's example does:
    // their own fields, or fully nested with full_service.
    constexpr int kBatch = 500;
    json::array services;
    RecordQuery rq;
    rq.resource = "service";
    rq.organization_id = record.record.id;
    rq.visible_only = true;
    rq.with_total = false;
    rq.limit = kBatch;
    for (;;) {
      SC_ASSIGN_OR_RETURN(auto page, repo.Query(rq));
      for (const auto& s : page.records) {
        if (full_service) {
          SC_ASSIGN_OR_RETURN(json::object nested, Nest(uow, s, true));
          nested.stable_erase("organization");
          services.push_back(std::move(nested));
        } else {
          services.push_back(s.record.fields);
        }
      }
      if (static_cast<int>(page.records.size()) < kBatch) break;
      rq.after_id = page.records.back().record.id;
    }
    out["services"] = std::move(services);
  }
  PublicView(out);
  return out;
}

core::Result<HsdsPage> DirectoryService::ListPage(const HsdsListQuery& q) {
  HsdsPage out;
  core::Status st = runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    out = HsdsPage{};
    SC_ASSIGN_OR_RETURN(auto locations, ResolveLocations(uow, q));
    RecordQuery rq = BaseQuery(q);
    const int64_t offset = PageOffset(q.page, q.per_page);
    int64_t total = 0;
    std::vector<StoredRecord> records;
    // One query per group of location ids: the page may start in one and end in the next.
    auto run = [&]() -> core::Status {
      rq.offset = offset > total ? offset - total : 0;
      rq.limit = q.per_page - static_cast<int>(records.size());
      SC_ASSIGN_OR_RETURN(auto page, uow.directory().Query(rq));
      total += page.total;
      for (auto& r : page.records) records.push_back(std::move(r));
      return core::Ok();
    };
    if (!locations) {
      SC_RETURN_IF_ERROR(run());
    } else {
      for (size_t chunk = 0; chunk * kLocationChunk < locations->size(); ++chunk) {
        rq.location_ids = Chunk(*locations, chunk);
        SC_RETURN_IF_ERROR(run());
      }
    }
    for (const auto& r : records) {
      SC_ASSIGN_OR_RETURN(auto item, PublicItem(uow, r, q.full, q.full_service));
      out.contents.push_back(std::move(item));
    }
    out.info = PageOf(total, q.page, q.per_page, static_cast<int64_t>(out.contents.size()));
    return core::Ok();
  });
  if (!st) return std::move(st).error();
  return out;
}

core::Result<HsdsCursor> DirectoryService::OpenList(const HsdsListQuery& q) {
  HsdsCursor cursor;
  cursor.query = q;
  core::Status st = runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    SC_ASSIGN_OR_RETURN(cursor.location_ids, ResolveLocations(uow, q));
    return core::Ok();
  });
  if (!st) return std::move(st).error();
  cursor.done = cursor.location_ids && cursor.location_ids->empty();
  return cursor;
}

core::Result<std::vector<json::object>> DirectoryService::NextBatch(HsdsCursor& cursor, int batch) {
  std::vector<json::object> items;
  const size_t chunk = cursor.chunk;
  const std::string after = cursor.after_id;
  const bool done = cursor.done;
  core::Status st = runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    // A unit of work may run again: start from where the previous batch ended each time.
    items.clear();
    cursor.chunk = chunk;
    cursor.after_id = after;
    cursor.done = done;
    const auto& q = cursor.query;
    while (!cursor.done && static_cast<int>(items.size()) < batch) {
      RecordQuery rq = BaseQuery(q);
      rq.with_total = false;
      rq.after_id = cursor.after_id;
      rq.limit = batch - static_cast<int>(items.size());
      if (cursor.location_ids) rq.location_ids = Chunk(*cursor.location_ids, cursor.chunk);
      SC_ASSIGN_OR_RETURN(auto page, uow.directory().Query(rq));
      for (const auto& r : page.records) {
        SC_ASSIGN_OR_RETURN(auto item, PublicItem(uow, r, q.full, q.full_service));
        items.push_back(std::move(item));
        cursor.after_id = r.record.id;
      }
      if (static_cast<int>(page.records.size()) < rq.limit) {
        if (cursor.location_ids &&
            (cursor.chunk + 1) * kLocationChunk < cursor.location_ids->size()) {
          ++cursor.chunk;
          cursor.after_id.clear();
        } else {
          cursor.done = true;
        }
      }
    }
    return core::Ok();
  });
  if (!st) {
    cursor.chunk = chunk;
    cursor.after_id = after;
    cursor.done = done;
    return std::move(st).error();
  }
  return items;
}

core::Result<std::optional<json::object>> DirectoryService::PublicObject(
    const std::string& resource, const std::string& id, const HsdsObjectQuery& query) {
  std::optional<json::object> out;
  if (!IsUuid(id)) return out;
  core::Status st = runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    out.reset();
    auto& repo = uow.directory();
    SC_ASSIGN_OR_RETURN(auto stored, repo.Find(resource, core::AsciiLower(id)));
    if (!stored) return core::Ok();
    if (resource == "service" && IndexOf(stored->record).hidden) return core::Ok();
    if (resource == "service_at_location") {
      const std::string service_id = core::AsciiLower(Text(stored->record.fields, "service_id"));
      if (!service_id.empty()) {
        SC_ASSIGN_OR_RETURN(auto service, repo.Find("service", service_id));
        if (service && IndexOf(service->record).hidden) return core::Ok();
      }
    }
    SC_ASSIGN_OR_RETURN(auto item, PublicItem(uow, *stored, /*full=*/true, query.full_service));
    out = std::move(item);
    return core::Ok();
  });
  if (!st) return std::move(st).error();
  return out;
}

}  // namespace soundcheck::domain::directory
