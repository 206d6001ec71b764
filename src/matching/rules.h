// The facts of practice that matching relies on (../shared/docs/clinical.md, section 5).
// Tables here are data with a date: check them against their sources before relying on them.
#pragma once

#include <string_view>

namespace soundcheck::matching {

// Whether a PSYPACT licence issued in `licence_jurisdiction` lets a psychologist practise
// telepsychology with a member located in `member_jurisdiction`: both must be PSYPACT
// states (ISO 3166-2, "US-PA"). In-person sessions are never covered by a compact.
bool PsypactCovers(std::string_view licence_jurisdiction, std::string_view member_jurisdiction);
bool IsPsypactMember(std::string_view jurisdiction);

// Whether a care type is the practice of a licensed profession, so a provider offering it
// must hold a licence valid where the member is ("care_type:individual-therapy" yes,
// "care_type:support-group" no).
bool NeedsLicence(std::string_view care_type_code);

// A telehealth jurisdiction a provider declared covers the member's: the same code, or a
// country code covering its subdivisions ("US" covers "US-NY").
bool JurisdictionCovers(std::string_view declared, std::string_view member);

}  // namespace soundcheck::matching
