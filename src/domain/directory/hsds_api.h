// The rules of the public HSDS 3.1 API under /hsds (docs/directory.md, "HSDS API"): which
// query parameters each endpoint takes and what they mean, the arithmetic of HSDS's `Page`
// wrapper, the postcode centroid and proximity search, and what of the directory may be
// shown to the public. DirectoryService (directory_service.h) runs these over storage; the
// HTTP handlers (http/handlers/hsds.cpp) only decode the request and encode the answer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"

namespace soundcheck::domain::directory {

// GET /hsds/: the HSDS version we serve and the profile we follow.
inline constexpr std::string_view kHsdsVersion = "3.1";
inline constexpr std::string_view kHsdsProfileUrl = "https://github.com/openreferral/specification";

inline constexpr int kHsdsDefaultPerPage = 50;
inline constexpr int kHsdsMaxPerPage = 500;
// `search`: at most this many words and characters (each word is one more condition).
inline constexpr int kHsdsMaxSearchWords = 10;
inline constexpr size_t kHsdsMaxSearchLength = 200;

// One request to a list endpoint, decoded and checked.
struct HsdsListQuery {
  std::string resource;            // "service", "organization", "service_at_location",
                                   // "taxonomy" or "taxonomy_term"
  std::vector<std::string> words;  // `search`, lower case: every word must match
  std::string taxonomy_term_id;    // lower-case UUIDs; empty: no filter
  std::string taxonomy_id;
  std::string organization_id;
  std::optional<int64_t> modified_after;   // unix seconds, inclusive
  std::string postcode;                    // normalised (NormalizePostcode); empty: none
  std::optional<double> proximity_meters;  // only with a postcode
  bool full = false;                       // fully nested items
  bool full_service = false;               // organizations: their services fully nested
  int64_t page = 1;                        // 1-based
  int per_page = kHsdsDefaultPerPage;
  bool ndjson = false;  // every item, one JSON object per line, no Page wrapper
};

// Options of the `{id}` endpoints.
struct HsdsObjectQuery {
  bool full_service = false;  // organizations: their services fully nested
};

// Decodes the query parameters of the list endpoint of `resource`. A parameter the endpoint
// does not take, a malformed value or one out of range is kInvalidArgument whose detail and
// `fields` ("/per_page") name the parameter: a typo must not be silently ignored. An empty
// value is the same as leaving the parameter out.
core::Result<HsdsListQuery> ParseHsdsListQuery(std::string_view resource,
                                               const std::map<std::string, std::string>& params);
core::Result<HsdsObjectQuery> ParseHsdsObjectQuery(
    std::string_view resource, const std::map<std::string, std::string>& params);

// `modified_after`: an RFC 3339 date-time (fraction of a second, `Z` or an offset; a space
// where the `+` of an offset was, as an unencoded `+` arrives in a query string) or a date
// (`2025-01-31`, midnight UTC). Returns the first whole unix second on or after it;
// nullopt when malformed or not a calendar date.
std::optional<int64_t> ParseModifiedAfter(std::string_view text);

// The numbers of HSDS's `Page` wrapper for page `page` (1-based) of `per_page` items over
// `total` matching items, the page holding `size` of them. total_pages is 0 when nothing
// matches; a page past the end is `empty` and `last_page`; `size` counts the items in this
// page (HSDS: "the number of entities in the current page").
struct PageInfo {
  int64_t total_items = 0;
  int64_t total_pages = 0;
  int64_t page_number = 1;
  int64_t size = 0;
  bool first_page = true;
  bool last_page = true;
  bool empty = true;
};
PageInfo PageOf(int64_t total, int64_t page, int per_page, int64_t size);
// The offset of the page's first item (saturates instead of overflowing).
int64_t PageOffset(int64_t page, int per_page);

struct HsdsPage {
  PageInfo info;
  std::vector<boost::json::object> contents;  // public views (PublicView applied)
};

// A list read a batch at a time (format=ndjson). Opened once, so the postcode is resolved
// (and an unknown one refused) before anything is sent.
struct HsdsCursor {
  HsdsListQuery query;
  std::optional<std::vector<std::string>> location_ids;  // from postcode/proximity, sorted
  size_t chunk = 0;      // which group of location ids (see kLocationChunk)
  std::string after_id;  // keyset: the last id sent
  bool done = false;
};

// Location ids are sent to storage this many at a time (well under every engine's limit on
// bound parameters); results of a postcode search are ordered by group, then by id.
inline constexpr size_t kLocationChunk = 1000;

// What of a directory object may leave the staff side: every object the HSDS API sends
// passes through here, at every depth (nested objects and arrays of objects). Today it
// drops every field whose name starts with kPrivateFieldPrefix — no such facts are stored
// as HSDS records yet, but an extension field for staff eyes only must be named so. This is
// the one place to extend when private facts are stored in the directory.
inline constexpr std::string_view kPrivateFieldPrefix = "x_soundcheck_private";
void PublicView(boost::json::object& object);

// Great-circle geometry for `proximity`, on a sphere of the Earth's mean radius.
inline constexpr double kEarthRadiusMeters = 6371008.8;
struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
};
// Finite, latitude within ±90 and longitude within ±180.
bool ValidPosition(double latitude, double longitude);
double HaversineMeters(GeoPoint a, GeoPoint b);
// The mean position of `points` on the sphere (so places either side of the antimeridian
// average to it, not to the far side of the world); nullopt when empty or degenerate.
std::optional<GeoPoint> Centroid(const std::vector<GeoPoint>& points);
// Latitude/longitude boxes that together hold every point within `meters` of `center`:
// one box, two when the circle crosses the antimeridian, a band of full longitude when it
// reaches a pole.
struct GeoBox {
  double min_lat, max_lat, min_lon, max_lon;
};
std::vector<GeoBox> BoxesAround(GeoPoint center, double meters);

}  // namespace soundcheck::domain::directory
