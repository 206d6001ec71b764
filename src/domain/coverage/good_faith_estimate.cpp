#include "domain/coverage/good_faith_estimate.h"

#include <chrono>
#include <cstdio>
#include <string_view>
#include <utility>

namespace soundcheck::domain::coverage {
namespace {

using core::Error;
using core::FieldError;

constexpr int kMaxSessions = 52;  // a year of weekly sessions: what one estimate may cover

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Digits(std::string_view text) {
  int n = 0;
  for (char c : text) n = n * 10 + (c - '0');
  return n;
}

// "YYYY-MM-DD" → a real calendar date; the code of the problem otherwise.
std::optional<std::chrono::year_month_day> ParseDate(std::string_view text, const char*& code) {
  code = "invalid_format";
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(text[i])) return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{Digits(text.substr(0, 4))},
                                         std::chrono::month{unsigned(Digits(text.substr(5, 2)))},
                                         std::chrono::day{unsigned(Digits(text.substr(8, 2)))}};
  code = "invalid_date";
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatDate(const std::chrono::year_month_day& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                unsigned(date.day()));
  return buf;
}

// Same day a year later; 29 February, which has none, ends on 28 February.
std::chrono::year_month_day TwelveMonthsAfter(const std::chrono::year_month_day& date) {
  const std::chrono::year_month_day later = date + std::chrono::years{1};
  if (later.ok()) return later;
  return std::chrono::year_month_day_last{later.year(), std::chrono::month_day_last{later.month()}};
}

// An NPI is 10 digits whose last is a Luhn check digit over "80840" and the first nine
// (45 CFR 162.406): a typo on a printed estimate would otherwise go unnoticed.
bool ValidNpi(std::string_view npi) {
  if (npi.size() != 10) return false;
  for (char c : npi) {
    if (!IsDigit(c)) return false;
  }
  // The "80840" prefix contributes 24 to the Luhn sum.
  int sum = 24;
  for (int i = 0; i < 10; ++i) {
    int d = npi[9 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

void CheckFee(int64_t cents, const char* field, std::vector<FieldError>& errors) {
  if (cents < 0 || cents > kMaxGfeFeeCents) {
    errors.push_back({field, "out_of_range", "Enter a fee from $0 to $100,000."});
  }
}

std::string_view PsychotherapyCpt(int minutes) {
  switch (minutes) {
    case 30:
      return "90832";
    case 45:
      return "90834";
    case 60:
      return "90837";
    default:
      return {};
  }
}

}  // namespace

core::Result<GoodFaithEstimate> BuildGoodFaithEstimate(const GfeInput& input) {
  std::vector<FieldError> errors;
  if (input.member_reference.empty()) {
    errors.push_back({"/member_reference", "required", "Give the case reference."});
  }
  if (!input.provider_npi.empty() && !ValidNpi(input.provider_npi)) {
    errors.push_back({"/provider_npi", "invalid_format",
                      "An NPI is 10 digits; check it against the provider's records."});
  }
  const char* date_code = nullptr;
  const auto issued = ParseDate(input.issued_on, date_code);
  if (!issued) {
    errors.push_back({"/issued_on", date_code, "Use a real date as YYYY-MM-DD."});
  }
  if (!ParseDate(input.first_session_on, date_code)) {
    errors.push_back({"/first_session_on", date_code, "Use a real date as YYYY-MM-DD."});
  }
  if (input.sessions < 1 || input.sessions > kMaxSessions) {
    errors.push_back({"/sessions", "out_of_range", "Estimate from 1 to 52 sessions."});
  }
  const std::string_view cpt = PsychotherapyCpt(input.session_minutes);
  if (cpt.empty()) {
    errors.push_back({"/session_minutes", "invalid_value", "Use 30, 45 or 60 minutes."});
  }
  CheckFee(input.session_fee_cents, "/session_fee_cents", errors);
  if (input.intake_fee_cents) CheckFee(*input.intake_fee_cents, "/intake_fee_cents", errors);
  // FieldError text is safe for the client; the operator message names no one.
  if (!errors.empty()) return Error::Unprocessable("bad good faith estimate", std::move(errors));

  GoodFaithEstimate gfe;
  if (input.intake_visit) {
    if (!input.intake_fee_cents) gfe.assumed.emplace_back("intake_fee");
    gfe.services.push_back({"90791", "intake_evaluation",
                            input.intake_fee_cents.value_or(input.session_fee_cents), 1});
  }
  gfe.services.push_back({std::string(cpt),
                          "psychotherapy_" + std::to_string(input.session_minutes),
                          input.session_fee_cents, input.sessions});
  for (const GfeService& s : gfe.services) gfe.total_cents += s.unit_cents * s.quantity;
  gfe.valid_until = FormatDate(TwelveMonthsAfter(*issued));
  gfe.notices = {"right_to_gfe", "dispute_400", "not_a_contract", "keep_copy"};
  if (input.provider_name.empty()) gfe.missing.emplace_back("provider_name");
  if (input.provider_npi.empty()) gfe.missing.emplace_back("provider_npi");
  if (input.provider_tax_id.empty()) gfe.missing.emplace_back("provider_tax_id");
  if (input.diagnosis.empty()) gfe.missing.emplace_back("diagnosis");
  return gfe;
}

}  // namespace soundcheck::domain::coverage
