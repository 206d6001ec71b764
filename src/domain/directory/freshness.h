// Freshness: the rules that keep the directory trustworthy. Openings count only while
// recently confirmed; licences near expiry and profiles not verified for a year go to the
// staff verification queue. Pure functions of a service's facts and the time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/directory/record.h"
#include "domain/directory/vocabulary.h"

namespace soundcheck::domain::directory {

struct FreshnessPolicy {
  // Openings not confirmed within this window stop counting (config
  // directory.openings_window_days, default 14).
  int64_t openings_window_seconds = 14 * 86400;
  // A licence expiring within this window goes to the verification queue.
  int64_t licence_warning_seconds = 60 * 86400;
  // A profile not verified for this long goes to the verification queue.
  int64_t unverified_after_seconds = 365 * 86400;
};

struct Licence {
  std::string type;
  std::string jurisdiction;
  std::string number;
  std::optional<int64_t> expires_at;  // end of the expiry day, UTC; nullopt: unreadable
  std::vector<std::string> compacts;
};

// What freshness needs to know about one service, read from its HSDS records.
struct ServiceFacts {
  std::string service_id;
  std::string name;
  std::string status;
  std::optional<int64_t> openings;               // the openings capacity's `available`
  std::optional<int64_t> openings_confirmed_at;  // its `updated`
  std::optional<int64_t> verified_at;            // service.assured_date (start of day, UTC)
  std::vector<Licence> licences;
};

// Reads the facts from a service record and the records pointing at it (its capacities and
// attributes). Values that do not parse are left out rather than guessed.
ServiceFacts FactsOf(const Vocabulary& vocabulary, const Record& service,
                     const std::vector<Record>& children);

struct OpeningsView {
  int64_t count = 0;   // openings that count now (0 when stale or unconfirmed)
  bool stale = false;  // there were openings, but not confirmed within the window
  std::optional<int64_t> last_confirmed_at;
  std::optional<int64_t> available;  // the count last given, fresh or not (nullopt: never)
};
OpeningsView Openings(const ServiceFacts& facts, int64_t now, const FreshnessPolicy& policy);

enum class VerifyReason { kLicenceExpired, kLicenceExpiring, kUnverified };
std::string_view VerifyReasonName(VerifyReason reason);

struct VerifyItem {
  std::string service_id;
  VerifyReason reason;
  int64_t due_at = 0;  // licence expiry, or when verification fell due
  std::string detail;  // licence type and jurisdiction; never personal data
  std::string service_name;
};
// Why this service needs a staff check now, most urgent first (empty: it does not).
std::vector<VerifyItem> VerificationNeeds(const ServiceFacts& facts, int64_t now,
                                          const FreshnessPolicy& policy);

// The staff dashboard's figures over listed services.
struct FreshnessSummary {
  int64_t services = 0;
  int64_t verified_30_days = 0;
  int64_t verified_90_days = 0;
  int64_t licences_expiring = 0;  // within the warning window, not yet expired
  int64_t licences_expired = 0;
  int64_t silent = 0;            // had openings, none confirmed within the window
  int64_t openings_counted = 0;  // services whose openings count now
};
void AddToSummary(FreshnessSummary& summary, const ServiceFacts& facts, int64_t now,
                  const FreshnessPolicy& policy);

// "2027-06-30" → unix seconds at 00:00 UTC that day. nullopt when not a real date.
std::optional<int64_t> ParseDate(std::string_view text);
// RFC 3339 date-time with Z or an offset → unix seconds. nullopt when it does not parse.
std::optional<int64_t> ParseDateTime(std::string_view text);

}  // namespace soundcheck::domain::directory
