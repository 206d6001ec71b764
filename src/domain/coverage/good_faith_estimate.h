// The content of a Good Faith Estimate (No Surprises Act), owed to uninsured and self-pay
// members before scheduled care: the expected services with their CPT codes and charges, how
// long the estimate holds, and the notices it must carry. The web page renders and prints it;
// every text on it comes from the catalogs, so this builder deals only in codes and keys.
//
// Pure (no I/O, no clock: the issue date is passed in), thread-safe, errors as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace soundcheck::domain::coverage {

// Upper bound on a per-session fee ($100,000): far above any real fee, and keeps the total of
// 52 sessions exact.
inline constexpr int64_t kMaxGfeFeeCents = 10'000'000;

// One line of the estimate. CPT codes (clinical.md section 3): 90791 intake, 90832 / 90834 /
// 90837 psychotherapy of 30 / 45 / 60 minutes.
struct GfeService {
  std::string cpt;
  // Catalog key of the service's description: "intake_evaluation", "psychotherapy_30",
  // "psychotherapy_45", "psychotherapy_60". (A key, not text, so the document is translated.)
  std::string description_key;
  int64_t unit_cents = 0;
  int quantity = 0;
  bool operator==(const GfeService&) const = default;
};

struct GfeInput {
  std::string member_reference;  // a case reference, never a name; required
  std::string provider_name;
  // Empty: "to be provided by the provider". Otherwise 10 digits with a valid check digit.
  std::string provider_npi;
  std::string provider_tax_id;
  std::string diagnosis;          // may be empty
  std::string issued_on;          // YYYY-MM-DD, a real date
  std::string first_session_on;   // YYYY-MM-DD, a real date
  int sessions = 0;               // 1..52
  int session_minutes = 0;        // 30, 45 or 60
  bool intake_visit = false;      // an intake (90791) before the sessions
  int64_t session_fee_cents = 0;  // 0..kMaxGfeFeeCents
  // 0..kMaxGfeFeeCents; nullopt with intake_visit: the intake is priced at the session fee
  // and "intake_fee" is listed in `assumed`.
  std::optional<int64_t> intake_fee_cents;
};

struct GoodFaithEstimate {
  std::vector<GfeService> services;  // the intake first (when any), then the sessions
  int64_t total_cents = 0;           // Σ unit × quantity
  // issued_on + 12 months, YYYY-MM-DD (29 February becomes 28 February).
  std::string valid_until;
  // Stable keys, always all four in this order: "right_to_gfe", "dispute_400",
  // "not_a_contract", "keep_copy".
  std::vector<std::string> notices;
  // Inputs the document lacks, for the page to mark "to be provided by the provider", in
  // this order: "provider_name", "provider_npi", "provider_tax_id", "diagnosis".
  std::vector<std::string> missing;
  // Values filled in by a stated rule: "intake_fee" (priced at the session fee).
  std::vector<std::string> assumed;
};

// Builds the estimate's content. Every invalid input is reported at once as one
// kUnprocessable error with a FieldError per problem (field "/sessions", code "out_of_range",
// ...); codes: "required", "out_of_range", "invalid_value", "invalid_format", "invalid_date".
core::Result<GoodFaithEstimate> BuildGoodFaithEstimate(const GfeInput& input);

}  // namespace soundcheck::domain::coverage
