#include "domain/directory/freshness.h"

#include <algorithm>
#include <cctype>

namespace soundcheck::domain::directory {

namespace json = boost::json;

namespace {

constexpr int64_t kDay = 86400;

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view text, size_t at, size_t n, int64_t& out) {
  if (at + n > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

std::string Text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<int64_t> Integer(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ParseDate(std::string_view text) {
  int64_t y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, y) ||
      !Digits(text, 5, 2, m) || !Digits(text, 8, 2, d) || m < 1 || m > 12 || d < 1) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * kDay;
}

std::optional<int64_t> ParseDateTime(std::string_view text) {
  if (text.size() < 20) return std::nullopt;
  auto day = ParseDate(text.substr(0, 10));
  int64_t h = 0, mi = 0, s = 0;
  if (!day || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !Digits(text, 11, 2, h) ||
      text[13] != ':' || !Digits(text, 14, 2, mi) || text[16] != ':' || !Digits(text, 17, 2, s) ||
      h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  }
  int64_t offset = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int64_t oh = 0, om = 0;
    if (!Digits(text, at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !Digits(text, at + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (text[at] == '+' ? 1 : -1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  return *day + h * 3600 + mi * 60 + s - offset;
}

ServiceFacts FactsOf(const Vocabulary& vocabulary, const Record& service,
                     const std::vector<Record>& children) {
  ServiceFacts facts;
  facts.service_id = service.id;
  facts.name = Text(service.fields, "name");
  facts.status = Text(service.fields, "status");
  if (auto assured = ParseDate(Text(service.fields, "assured_date"))) facts.verified_at = assured;
  const Term* licence_term = vocabulary.FindByCode("fact:licence");
  const std::string& openings_unit = vocabulary.openings_unit().id;
  for (const auto& child : children) {
    const auto& f = child.fields;
    if (child.resource == "service_capacity" && Text(f, "unit_id") == openings_unit) {
      facts.openings = Integer(f, "available");
      facts.openings_confirmed_at = ParseDateTime(Text(f, "updated"));
    } else if (child.resource == "attribute" && licence_term != nullptr &&
               Text(f, "taxonomy_term_id") == licence_term->id) {
      boost::system::error_code ec;
      json::value value = json::parse(Text(f, "value"), ec);
      if (ec || !value.is_object()) continue;
      const auto& v = value.get_object();
      Licence licence{
          Text(v, "type"), Text(v, "jurisdiction"), Text(v, "number"), std::nullopt, {}};
      if (auto day = ParseDate(Text(v, "expires"))) licence.expires_at = *day + kDay - 1;
      if (const auto* compacts = v.if_contains("compacts"); compacts && compacts->is_array()) {
        for (const auto& c : compacts->get_array()) {
          if (c.is_string()) licence.compacts.emplace_back(c.get_string());
        }
      }
      facts.licences.push_back(std::move(licence));
    }
  }
  return facts;
}

OpeningsView Openings(const ServiceFacts& facts, int64_t now, const FreshnessPolicy& policy) {
  OpeningsView view;
  view.last_confirmed_at = facts.openings_confirmed_at;
  view.available = facts.openings;
  const int64_t available = facts.openings.value_or(0);
  if (available <= 0) return view;
  // An opening counts only while someone vouched for it recently: a confirmation from the
  // future (a clock skew) counts as now, none at all never counts.
  if (!facts.openings_confirmed_at ||
      now - *facts.openings_confirmed_at > policy.openings_window_seconds) {
    view.stale = true;
    return view;
  }
  view.count = available;
  return view;
}

std::string_view VerifyReasonName(VerifyReason reason) {
  switch (reason) {
    case VerifyReason::kLicenceExpired:
      return "licence_expired";
    case VerifyReason::kLicenceExpiring:
      return "licence_expiring";
    case VerifyReason::kUnverified:
      return "unverified";
  }
  return "unverified";
}

std::vector<VerifyItem> VerificationNeeds(const ServiceFacts& facts, int64_t now,
                                          const FreshnessPolicy& policy) {
  std::vector<VerifyItem> items;
  for (const auto& licence : facts.licences) {
    if (!licence.expires_at) continue;
    const std::string detail = licence.type + " " + licence.jurisdiction;
    if (*licence.expires_at < now) {
      items.push_back({facts.service_id, VerifyReason::kLicenceExpired, *licence.expires_at, detail,
                       facts.name});
    } else if (*licence.expires_at - now <= policy.licence_warning_seconds) {
      items.push_back({facts.service_id, VerifyReason::kLicenceExpiring, *licence.expires_at,
                       detail, facts.name});
    }
  }
  const int64_t verified = facts.verified_at.value_or(0);
  if (now - verified > policy.unverified_after_seconds) {
    items.push_back({facts.service_id, VerifyReason::kUnverified,
                     verified + policy.unverified_after_seconds, "", facts.name});
  }
  std::sort(items.begin(), items.end(), [](const VerifyItem& a, const VerifyItem& b) {
    return a.reason != b.reason ? a.reason < b.reason : a.due_at < b.due_at;
  });
  return items;
}

void AddToSummary(FreshnessSummary& summary, const ServiceFacts& facts, int64_t now,
                  const FreshnessPolicy& policy) {
  ++summary.services;
  if (facts.verified_at && now - *facts.verified_at <= 30 * kDay) ++summary.verified_30_days;
  if (facts.verified_at && now - *facts.verified_at <= 90 * kDay) ++summary.verified_90_days;
  for (const auto& licence : facts.licences) {
    if (!licence.expires_at) continue;
    if (*licence.expires_at < now) {
      ++summary.licences_expired;
    } else if (*licence.expires_at - now <= policy.licence_warning_seconds) {
      ++summary.licences_expiring;
    }
  }
  const OpeningsView openings = Openings(facts, now, policy);
  if (openings.stale) ++summary.silent;
  if (openings.count > 0) ++summary.openings_counted;
}

}  // namespace soundcheck::domain::directory
