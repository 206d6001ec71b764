#include "matching/rules.h"

#include <algorithm>
#include <array>

namespace soundcheck::matching {
namespace {

// PSYPACT participating jurisdictions with the compact in effect, from psypact.gov's map as
// of 2025. The Counseling Compact needs no list here: it grants a privilege to practise per
// remote state, which a listing records as a licence in that state (docs/matching.md,
// "Compacts"). Sorted, for binary search.
constexpr std::array<std::string_view, 39> kPsypact = {
    "US-AL", "US-AR", "US-AZ", "US-CO", "US-CT", "US-DC", "US-DE", "US-FL", "US-GA", "US-ID",
    "US-IL", "US-IN", "US-KS", "US-KY", "US-MD", "US-ME", "US-MI", "US-MN", "US-MO", "US-NC",
    "US-ND", "US-NE", "US-NH", "US-NJ", "US-NV", "US-OH", "US-OK", "US-PA", "US-RI", "US-SD",
    "US-TN", "US-TX", "US-UT", "US-VA", "US-VT", "US-WA", "US-WI", "US-WV", "US-WY"};

// Care types delivered by licensed clinicians (psychotherapy, psychiatry, treatment
// programmes, medical care). Peer, community and coaching services are not licensed
// practice. Sorted.
constexpr std::array<std::string_view, 17> kLicensed = {"care_type:couples-therapy",
                                                        "care_type:crisis-stabilisation",
                                                        "care_type:eating-disorder-treatment",
                                                        "care_type:family-therapy",
                                                        "care_type:group-therapy",
                                                        "care_type:hearing-health",
                                                        "care_type:individual-therapy",
                                                        "care_type:intensive-outpatient",
                                                        "care_type:medical-detox",
                                                        "care_type:medication-management",
                                                        "care_type:nutrition-counselling",
                                                        "care_type:partial-hospitalisation",
                                                        "care_type:psychiatry",
                                                        "care_type:psychological-testing",
                                                        "care_type:residential-treatment",
                                                        "care_type:sleep-medicine",
                                                        "care_type:substance-use-outpatient"};

template <size_t N>
constexpr bool Sorted(const std::array<std::string_view, N>& values) {
  for (size_t i = 1; i < N; ++i) {
    if (!(values[i - 1] < values[i])) return false;
  }
  return true;
}
static_assert(Sorted(kPsypact) && Sorted(kLicensed), "binary search needs sorted tables");

template <size_t N>
bool In(const std::array<std::string_view, N>& sorted, std::string_view value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

}  // namespace

bool IsPsypactMember(std::string_view jurisdiction) { return In(kPsypact, jurisdiction); }

bool PsypactCovers(std::string_view licence_jurisdiction, std::string_view member_jurisdiction) {
  return IsPsypactMember(licence_jurisdiction) && IsPsypactMember(member_jurisdiction);
}

bool NeedsLicence(std::string_view care_type_code) { return In(kLicensed, care_type_code); }

bool JurisdictionCovers(std::string_view declared, std::string_view member) {
  if (declared == member) return true;
  return declared.find('-') == std::string_view::npos && member.size() > declared.size() &&
         member.substr(0, declared.size()) == declared && member[declared.size()] == '-';
}

}  // namespace soundcheck::matching
