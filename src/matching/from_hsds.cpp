#include "matching/from_hsds.h"

#include <algorithm>
#include <cmath>

#include <boost/json.hpp>

#include "core/ascii.h"
#include "domain/directory/freshness.h"

namespace soundcheck::matching {
namespace {

namespace json = boost::json;
using domain::directory::Record;
using domain::directory::Term;

std::string_view Text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::optional<double> Number(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

std::optional<int64_t> Cents(double major) {
  if (!std::isfinite(major) || major < 0 || major > 1e9) return std::nullopt;
  return std::llround(major * 100);
}

// "40.00" → 4000; only plain decimals with at most two places.
std::optional<int64_t> CentsOfText(std::string_view s) {
  const size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || frac.size() > 2) return std::nullopt;
  int64_t cents = 0;
  for (char ch : whole) {
    if (ch < '0' || ch > '9') return std::nullopt;
    cents = cents * 10 + (ch - '0');
  }
  int64_t f = 0;
  for (char ch : frac) {
    if (ch < '0' || ch > '9') return std::nullopt;
    f = f * 10 + (ch - '0');
  }
  if (frac.size() == 1) f *= 10;
  return cents * 100 + f;
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

void AddUnique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

}  // namespace

std::string JurisdictionOfAddress(std::string_view country, std::string_view state_province) {
  if (country.size() != 2) return {};
  std::string code(country);
  for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const bool subdivided = code == "US" || code == "CA";
  if (subdivided && state_province.size() == 2 &&
      std::isalpha(static_cast<unsigned char>(state_province[0])) &&
      std::isalpha(static_cast<unsigned char>(state_province[1]))) {
    std::string region(state_province);
    for (char& ch : region) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return code + "-" + region;
  }
  return code;
}

std::optional<Provider> ProviderFromHsds(const domain::directory::Vocabulary& vocabulary,
                                         const Record& service,
                                         const std::vector<Record>& related) {
  if (Text(service.fields, "status") != "active") return std::nullopt;
  Provider p;
  p.id = service.id;
  p.name = std::string(Text(service.fields, "name"));
  p.organization_id = core::AsciiLower(Text(service.fields, "organization_id"));
  const std::string& openings_unit = vocabulary.openings_unit().id;

  // Locations this service is offered at, then their records.
  std::vector<std::string> location_ids;
  for (const auto& r : related) {
    if (r.resource == "service_at_location" &&
        core::AsciiLower(Text(r.fields, "service_id")) == service.id) {
      location_ids.push_back(core::AsciiLower(Text(r.fields, "location_id")));
    }
  }
  auto offered_at = [&](std::string_view location_id) {
    return std::find(location_ids.begin(), location_ids.end(), location_id) != location_ids.end();
  };
  std::string office_location;
  for (const auto& r : related) {
    if (r.resource != "location" || !offered_at(r.id) || p.office) continue;
    if (Text(r.fields, "location_type") == "virtual") continue;
    const auto lat = Number(r.fields, "latitude");
    const auto lon = Number(r.fields, "longitude");
    if (lat && lon && std::abs(*lat) <= 90 && std::abs(*lon) <= 180) {
      p.office = GeoPoint{*lat, *lon};
      office_location = r.id;
    }
  }
  for (const auto& r : related) {
    if (r.resource == "address" && !office_location.empty() &&
        core::AsciiLower(Text(r.fields, "location_id")) == office_location &&
        p.office_jurisdiction.empty()) {
      p.office_jurisdiction =
          JurisdictionOfAddress(Text(r.fields, "country"), Text(r.fields, "state_province"));
    }
  }

  for (const auto& r : related) {
    const json::object& f = r.fields;
    if (r.resource == "language" && core::AsciiLower(Text(f, "service_id")) == service.id) {
      const std::string code = core::AsciiLower(Text(f, "code"));
      if (!code.empty()) AddUnique(p.languages, code);
    } else if (r.resource == "cost_option" &&
               core::AsciiLower(Text(f, "service_id")) == service.id) {
      const std::string_view currency = Text(f, "currency");
      const auto amount = Number(f, "amount");
      if (amount && (currency.empty() || currency == "USD")) {
        if (auto cents = Cents(*amount)) {
          p.fee_cents = p.fee_cents ? std::min(*p.fee_cents, *cents) : *cents;
        }
      }
    } else if (r.resource == "service_capacity" &&
               core::AsciiLower(Text(f, "service_id")) == service.id &&
               Text(f, "unit_id") == openings_unit) {
      if (const auto available = Number(f, "available"); available && *available >= 0) {
        p.openings = static_cast<int64_t>(*available);
      }
      p.openings_confirmed_at = domain::directory::ParseDateTime(Text(f, "updated"));
    } else if (r.resource == "attribute" && core::AsciiLower(Text(f, "link_id")) == service.id) {
      const Term* term = vocabulary.FindById(core::AsciiLower(Text(f, "taxonomy_term_id")));
      if (term == nullptr) continue;  // another taxonomy's term: kept in HSDS, not matched on
      const std::string_view value = Text(f, "value");
      if (term->facet == "care_type" && term->kind == "flag") {
        AddUnique(p.care_types, term->code);
      } else if (term->kind == "flag") {
        AddUnique(p.tags, term->code);
        if (term->code == "cost:free") p.free = true;
      } else if (term->code == "fact:licence") {
        const auto v = ParseObject(value);
        if (!v) continue;
        Licence l;
        l.type = std::string(Text(*v, "type"));
        l.jurisdiction = std::string(Text(*v, "jurisdiction"));
        l.expires = ParseDay(Text(*v, "expires"));
        if (const auto* compacts = v->if_contains("compacts"); compacts && compacts->is_array()) {
          for (const auto& c : compacts->get_array()) {
            if (c.is_string()) l.compacts.emplace_back(c.get_string());
          }
        }
        if (!l.jurisdiction.empty()) p.licences.push_back(std::move(l));
      } else if (term->code == "fact:insurance-panel") {
        const auto v = ParseObject(value);
        if (v && !Text(*v, "carrier").empty()) {
          AddUnique(p.plans, PlanKey(Text(*v, "carrier"), Text(*v, "plan")));
        }
      } else if (term->code == "fact:telehealth-jurisdiction") {
        if (!value.empty()) AddUnique(p.telehealth_jurisdictions, std::string(value));
      } else if (term->code == "fact:sliding-scale-minimum") {
        const auto v = ParseObject(value);
        if (v && (Text(*v, "currency").empty() || Text(*v, "currency") == "USD")) {
          p.sliding_minimum_cents = CentsOfText(Text(*v, "amount"));
        }
      } else if (term->code == "fact:earliest-opening") {
        p.earliest_opening = ParseDay(value);
      } else if (term->code == "fact:waitlist-weeks") {
        int32_t weeks = 0;
        bool ok = !value.empty() && value.size() <= 3;
        for (char ch : value) {
          ok = ok && ch >= '0' && ch <= '9';
          weeks = weeks * 10 + (ch - '0');
        }
        if (ok) p.waitlist_weeks = weeks;
      } else if (term->code == "fact:gender") {
        p.gender = std::string(value);
      } else if (term->code == "fact:identity") {
        p.identity = std::string(value);
      }
    }
  }
  if (p.free) p.fee_cents = 0;
  return p;
}

}  // namespace soundcheck::matching
