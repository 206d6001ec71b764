// Crisis lines per country (clinical.md section 6), as versioned data with its source and
// the date it was last verified. Loaded once at start (app/ reads data/crisis-lines.json);
// lookups are pure and thread-safe.
//
// A lookup never comes back empty-handed: an unknown country gets the fallback (the local
// emergency number and a plain sentence), because the person asking may be in danger now.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace soundcheck::domain::crisis {

// Text in each member-facing language ("en", "es").
using Localized = std::map<std::string, std::string>;

struct CrisisLine {
  Localized name;
  Localized how;
  std::string phone;  // digits to dial
  std::string text;   // SMS number, if the line takes texts
  std::string url;
};

struct CountryLines {
  std::string emergency;
  std::vector<CrisisLine> lines;
};

struct CrisisData {
  int version = 0;
  std::string source;
  std::string last_verified;  // YYYY-MM-DD
  std::string default_country;
  CountryLines fallback;
  Localized fallback_note;
  std::map<std::string, CountryLines> countries;  // ISO 3166-1 alpha-2
};

// One line, in the requested language.
struct LineView {
  std::string name;
  std::string how;
  std::string phone;
  std::string text;
  std::string url;
};

struct CrisisResources {
  std::string country;   // as looked up (the default when none was given)
  bool known = false;    // false: the fallback was used
  std::string language;  // "en" | "es"
  std::string emergency;
  std::vector<LineView> lines;
  std::string note;  // set for the fallback
  int version = 0;
  std::string last_verified;
  std::string source;
};

inline constexpr std::string_view kLanguages[] = {"en", "es"};

// The member-facing language for an Accept-Language-like value or an explicit choice:
// "es", "es-MX" → "es"; anything else → "en".
std::string PickLanguage(std::string_view requested);

class CrisisDirectory {
 public:
  // Checks the data: a default country that exists, every country code two upper-case
  // letters, every line named and described in every language, an emergency number
  // everywhere. kInvalidArgument naming the first problem.
  static core::Result<CrisisDirectory> Create(CrisisData data);

  // `country` empty → the default country. Errors: kInvalidArgument (field "/country") for
  // something that is not two letters. Lower case is accepted.
  core::Result<CrisisResources> For(std::string_view country, std::string_view language) const;

  const CrisisData& data() const { return data_; }

 private:
  explicit CrisisDirectory(CrisisData d) : data_(std::move(d)) {}
  CrisisData data_;
};

}  // namespace soundcheck::domain::crisis
