#include "domain/directory/synthetic.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <utility>

#include <boost/json.hpp>

namespace soundcheck::domain::directory {

using core::Error;

namespace {

// ---------------------------------------------------------------------------------------
// Randomness: our own generator and distributions, so the output is the same with any
// standard library (<random>'s distributions are implementation-defined). Normal draws use
// std::log/std::cos; every value built from them is rounded (whole dollars, 6 decimals of a
// degree), so a last-bit libm difference cannot show in practice.

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) s = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Between(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Chance(double p) { return Uniform() < p; }

  // Uniform integer in [lo, hi]; the span must fit in 32 bits (all ours are small).
  int64_t Int(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(((Next() >> 32) * span) >> 32);
  }

  // Standard normal, Box–Muller (no cached second value: simpler to reason about).
  double Normal() {
    const double u1 = (static_cast<double>(Next() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // A random (version 4) UUID, lower case.
  std::string Uuid() {
    uint64_t hi = Next();
    uint64_t lo = Next();
    hi = (hi & ~0xf000ULL) | 0x4000ULL;                         // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(36, '-');
    int pos = 0;
    for (int i = 0; i < 32; ++i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      const uint64_t word = i < 16 ? hi : lo;
      out[pos++] = kHex[(word >> (60 - 4 * (i % 16))) & 0xf];
    }
    return out;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Picks an index with probability proportional to its weight (a cumulative table).
class WeightedTable {
 public:
  WeightedTable() = default;
  explicit WeightedTable(const std::vector<double>& weights) {
    double sum = 0;
    cumulative_.reserve(weights.size());
    for (double w : weights) cumulative_.push_back(sum += w);
  }
  size_t size() const { return cumulative_.size(); }
  size_t Pick(Rng& rng) const {
    const double x = rng.Uniform() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return std::min<size_t>(it - cumulative_.begin(), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

// Zipf with exponent 1 over n ranks: weight 1/rank (exact IEEE divisions, no pow()).
WeightedTable ZipfTable(size_t n) {
  std::vector<double> w(n);
  for (size_t i = 0; i < n; ++i) w[i] = 1.0 / static_cast<double>(i + 1);
  return WeightedTable(w);
}

// ---------------------------------------------------------------------------------------
// Dates (proleptic Gregorian, days since 1970-01-01; H. Hinnant's algorithms).

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
}

std::string DateString(int64_t days) {
  int64_t y, m, d;
  CivilFromDays(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

// RFC 3339 date-time in UTC, whole seconds.
std::string DateTimeString(int64_t seconds) {
  const int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  const int64_t rest = seconds - days * 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return DateString(days) + buf;
}

core::Result<int64_t> ParseDate(std::string_view s) {
  auto bad = [] {
    return Error::InvalidArgument("synthetic directory: today must be a YYYY-MM-DD date",
                                  {{"/today", "invalid_format", "Use YYYY-MM-DD."}});
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad();
  int64_t parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return bad();
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  }
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) return bad();
  const int64_t days = DaysFromCivil(parts[0], parts[1], parts[2]);
  if (DateString(days) != s) return bad();  // 2025-02-30 and the like
  return days;
}

// ---------------------------------------------------------------------------------------
// zone1970.tab

bool IsUpperAlpha2(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

// One ISO 6709 component: sign, then `deg_digits` digits of degrees, 2 of minutes and
// optionally 2 of seconds.
bool ParseIso6709Part(std::string_view s, size_t deg_digits, double max_degrees, double& out) {
  if (s.size() != 1 + deg_digits + 2 && s.size() != 1 + deg_digits + 4) return false;
  if (s[0] != '+' && s[0] != '-') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto num = [&](size_t from, size_t len) {
    int v = 0;
    for (size_t i = from; i < from + len; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int deg = num(1, deg_digits);
  const int min = num(1 + deg_digits, 2);
  const int sec = s.size() > 1 + deg_digits + 2 ? num(1 + deg_digits + 2, 2) : 0;
  if (min >= 60 || sec >= 60) return false;
  const double value = deg + min / 60.0 + sec / 3600.0;
  if (value > max_degrees) return false;
  out = s[0] == '-' ? -value : value;
  return true;
}

bool ParseIso6709(std::string_view s, double& latitude, double& longitude) {
  const size_t split = s.find_first_of("+-", 1);
  if (split == std::string_view::npos) return false;
  return ParseIso6709Part(s.substr(0, split), 2, 90, latitude) &&
         ParseIso6709Part(s.substr(split), 3, 180, longitude);
}

struct ZoneJurisdiction {
  std::string_view zone;  // exact zone, or a prefix ending in '/'
  std::string_view jurisdiction;
};

constexpr ZoneJurisdiction kZoneJurisdictions[] = {
    // United States
    {"America/New_York", "US-NY"},
    {"America/Detroit", "US-MI"},
    {"America/Menominee", "US-MI"},
    {"America/Kentucky/", "US-KY"},
    {"America/Indiana/", "US-IN"},
    {"America/Chicago", "US-IL"},
    {"America/North_Dakota/", "US-ND"},
    {"America/Denver", "US-CO"},
    {"America/Boise", "US-ID"},
    {"America/Phoenix", "US-AZ"},
    {"America/Los_Angeles", "US-CA"},
    {"America/Anchorage", "US-AK"},
    {"America/Juneau", "US-AK"},
    {"America/Sitka", "US-AK"},
    {"America/Metlakatla", "US-AK"},
    {"America/Yakutat", "US-AK"},
    {"America/Nome", "US-AK"},
    {"America/Adak", "US-AK"},
    {"Pacific/Honolulu", "US-HI"},
    // Canada
    {"America/St_Johns", "CA-NL"},
    {"America/Goose_Bay", "CA-NL"},
    {"America/Halifax", "CA-NS"},
    {"America/Glace_Bay", "CA-NS"},
    {"America/Moncton", "CA-NB"},
    {"America/Toronto", "CA-ON"},
    {"America/Iqaluit", "CA-NU"},
    {"America/Resolute", "CA-NU"},
    {"America/Rankin_Inlet", "CA-NU"},
    {"America/Cambridge_Bay", "CA-NU"},
    {"America/Winnipeg", "CA-MB"},
    {"America/Regina", "CA-SK"},
    {"America/Swift_Current", "CA-SK"},
    {"America/Edmonton", "CA-AB"},
    {"America/Inuvik", "CA-NT"},
    {"America/Vancouver", "CA-BC"},
    {"America/Dawson_Creek", "CA-BC"},
    {"America/Fort_Nelson", "CA-BC"},
    {"America/Whitehorse", "CA-YT"},
    {"America/Dawson", "CA-YT"},
};

// Music hubs first, in this order (zones missing from the table are skipped).
constexpr std::string_view kHubZones[] = {
    "America/Los_Angeles", "America/New_York",
    "America/Chicago",     "Europe/London",
    "America/Toronto",     "Europe/Berlin",
    "Europe/Paris",        "Australia/Sydney",
    "America/Vancouver",   "Europe/Dublin",
    "America/Mexico_City", "America/Sao_Paulo",
    "Asia/Tokyo",          "Asia/Seoul",
    "Europe/Madrid",       "Australia/Melbourne",
    "Africa/Lagos",        "Africa/Johannesburg",
    "America/Bogota",      "America/Argentina/Buenos_Aires",
    "Pacific/Auckland",
};

// ---------------------------------------------------------------------------------------
// What providers look like.

enum class Kind { kClinician, kSupportGroup, kWellness, kTreatmentCentre };

enum class Licensing {
  kNone,
  kPrescriber,    // MD, DO, PMHNP
  kPsychologist,  // PhD, PsyD
  kTherapist,     // psychologists, LCSW, LMFT, LPC, LMHC
  kFamily,        // mostly LMFT
  kAddiction,     // mostly LADC
  kPeer,          // CPRS
  kMedical,       // MD, DO
};

struct LicenceWeight {
  std::string_view type;
  double weight;
};

constexpr LicenceWeight kPrescriberTypes[] = {{"MD", 45}, {"DO", 15}, {"PMHNP", 40}};
constexpr LicenceWeight kPsychologistTypes[] = {{"PhD", 55}, {"PsyD", 45}};
constexpr LicenceWeight kTherapistTypes[] = {{"PhD", 10},  {"PsyD", 8}, {"LCSW", 28},
                                             {"LMFT", 16}, {"LPC", 22}, {"LMHC", 16}};
constexpr LicenceWeight kFamilyTypes[] = {{"LMFT", 60}, {"LCSW", 20}, {"PhD", 10}, {"PsyD", 10}};
constexpr LicenceWeight kAddictionTypes[] = {{"LADC", 60}, {"LCSW", 20}, {"LPC", 20}};
constexpr LicenceWeight kPeerTypes[] = {{"CPRS", 1}};
constexpr LicenceWeight kMedicalTypes[] = {{"MD", 70}, {"DO", 30}};

std::span<const LicenceWeight> LicenceTypes(Licensing l) {
  switch (l) {
    case Licensing::kPrescriber:
      return kPrescriberTypes;
    case Licensing::kPsychologist:
      return kPsychologistTypes;
    case Licensing::kTherapist:
      return kTherapistTypes;
    case Licensing::kFamily:
      return kFamilyTypes;
    case Licensing::kAddiction:
      return kAddictionTypes;
    case Licensing::kPeer:
      return kPeerTypes;
    case Licensing::kMedical:
      return kMedicalTypes;
    case Licensing::kNone:
      break;
  }
  return {};
}

bool IsPrescriberType(std::string_view type) {
  return type == "MD" || type == "DO" || type == "PMHNP";
}

// A primary care type: how often it leads, who is licensed for it, and the care types
// (space-separated term names) that may come with it.
struct CareSpec {
  std::string_view term;
  double weight;
  Licensing licensing;
  std::string_view companions;
};

constexpr CareSpec kClinicianCare[] = {
    {"individual-therapy", 46, Licensing::kTherapist,
     "couples-therapy family-therapy group-therapy grief-support performance-coaching"},
    {"couples-therapy", 5, Licensing::kFamily, "individual-therapy family-therapy"},
    {"family-therapy", 3, Licensing::kFamily, "individual-therapy couples-therapy"},
    {"group-therapy", 2, Licensing::kTherapist, "individual-therapy"},
    {"psychiatry", 10, Licensing::kPrescriber,
     "medication-management individual-therapy sleep-medicine"},
    {"medication-management", 3, Licensing::kPrescriber, "psychiatry"},
    {"psychological-testing", 3, Licensing::kPsychologist, "individual-therapy"},
    {"substance-use-outpatient", 5, Licensing::kAddiction,
     "individual-therapy group-therapy recovery-coaching"},
    {"eating-disorder-treatment", 2, Licensing::kTherapist,
     "individual-therapy nutrition-counselling"},
    {"sleep-medicine", 1, Licensing::kMedical, "medication-management"},
    {"peer-support", 2, Licensing::kPeer, "recovery-coaching"},
    {"recovery-coaching", 2, Licensing::kPeer, "peer-support"},
    {"case-management", 1, Licensing::kTherapist, "housing-assistance financial-aid"},
    {"grief-support", 1, Licensing::kTherapist, "individual-therapy"},
    {"wellness-coaching", 3, Licensing::kNone, "mindfulness performance-coaching"},
    {"performance-coaching", 3, Licensing::kNone, "wellness-coaching career-counselling"},
    {"career-counselling", 1, Licensing::kNone, "performance-coaching"},
    {"nutrition-counselling", 1, Licensing::kNone, "wellness-coaching"},
    {"hearing-health", 1, Licensing::kNone, "vocal-health"},
    {"vocal-health", 1, Licensing::kNone, "hearing-health performance-coaching"},
    {"mindfulness", 1, Licensing::kNone, "yoga wellness-coaching"},
};

constexpr CareSpec kSupportGroupCare[] = {
    {"support-group", 50, Licensing::kNone, "peer-support grief-support"},
    {"recovery-meeting", 25, Licensing::kNone, "peer-support support-group"},
    {"peer-support", 15, Licensing::kNone, "support-group recovery-coaching"},
    {"grief-support", 10, Licensing::kNone, "support-group"},
};

constexpr CareSpec kWellnessCare[] = {
    {"wellness-coaching", 20, Licensing::kNone, "mindfulness yoga"},
    {"mindfulness", 15, Licensing::kNone, "yoga wellness-coaching"},
    {"yoga", 15, Licensing::kNone, "mindfulness"},
    {"hearing-health", 10, Licensing::kNone, "vocal-health"},
    {"vocal-health", 10, Licensing::kNone, "hearing-health"},
    {"performance-coaching", 5, Licensing::kNone, "career-counselling"},
    {"financial-aid", 10, Licensing::kNone, "case-management housing-assistance"},
    {"legal-aid", 5, Licensing::kNone, "financial-aid"},
    {"housing-assistance", 5, Licensing::kNone, "case-management financial-aid"},
    {"career-counselling", 5, Licensing::kNone, "performance-coaching"},
};

constexpr CareSpec kTreatmentCare[] = {
    {"intensive-outpatient", 25, Licensing::kNone,
     "partial-hospitalisation substance-use-outpatient group-therapy"},
    {"partial-hospitalisation", 15, Licensing::kNone, "intensive-outpatient"},
    {"residential-treatment", 20, Licensing::kNone, "medical-detox intensive-outpatient"},
    {"medical-detox", 10, Licensing::kNone, "residential-treatment"},
    {"crisis-stabilisation", 10, Licensing::kNone, "case-management"},
    {"substance-use-outpatient", 10, Licensing::kNone, "intensive-outpatient group-therapy"},
    {"eating-disorder-treatment", 10, Licensing::kNone,
     "partial-hospitalisation nutrition-counselling"},
};

struct KindSpec {
  Kind kind;
  double share;            // of all providers
  double telehealth;       // offers telehealth
  double telehealth_only;  // of those offering telehealth: no office
  double insurance;        // takes insurance
  double free;             // costs nothing
  std::string_view org_kind;
  std::span<const CareSpec> care;
};

// 90% clinicians and practices, 10% resources.
const KindSpec kKinds[] = {
    {Kind::kClinician, 0.900, 0.41, 0.40, 0.88, 0.00, "", kClinicianCare},
    {Kind::kSupportGroup, 0.045, 0.45, 0.50, 0.05, 0.80, "Support Circle", kSupportGroupCare},
    {Kind::kWellness, 0.030, 0.35, 0.40, 0.20, 0.30, "Wellness Programme", kWellnessCare},
    {Kind::kTreatmentCentre, 0.025, 0.20, 0.00, 0.95, 0.00, "Treatment Centre", kTreatmentCare},
};

std::string_view PracticeKind(Licensing l) {
  switch (l) {
    case Licensing::kPrescriber:
      return "Psychiatry";
    case Licensing::kPsychologist:
      return "Psychology";
    case Licensing::kTherapist:
      return "Counselling";
    case Licensing::kFamily:
      return "Family Therapy";
    case Licensing::kAddiction:
      return "Recovery Services";
    case Licensing::kPeer:
      return "Peer Recovery";
    case Licensing::kMedical:
      return "Sleep Health";
    case Licensing::kNone:
      break;
  }
  return "Wellness Studio";
}

constexpr std::string_view kNameWordsA[] = {
    "Riverside", "Harbor", "Cedar",     "Maple",   "Northgate", "Lakeview", "Willow", "Granite",
    "Meadow",    "Summit", "Brookside", "Juniper", "Alder",     "Beacon",   "Copper", "Foxglove"};
constexpr std::string_view kNameWordsB[] = {"Tempo",  "Chord",    "Cadence", "Harmony",
                                            "Echo",   "Refrain",  "Melody",  "Rhythm",
                                            "Octave", "Interval", "Measure", "Backbeat"};

struct Probability {
  std::string_view code;
  double p;
};

constexpr Probability kIssues[] = {
    {"issue:depression", 0.70},
    {"issue:anxiety", 0.75},
    {"issue:trauma-ptsd", 0.35},
    {"issue:substance-use", 0.22},
    {"issue:grief", 0.20},
    {"issue:bipolar", 0.12},
    {"issue:adhd", 0.15},
    {"issue:relationships", 0.30},
    {"issue:performance-anxiety", 0.30},
    {"issue:burnout", 0.35},
    {"issue:eating-disorders", 0.07},
    {"issue:insomnia", 0.12},
};

constexpr Probability kApproaches[] = {
    {"approach:cbt", 0.60},
    {"approach:dbt", 0.15},
    {"approach:emdr", 0.15},
    {"approach:cpt", 0.08},
    {"approach:pe", 0.05},
    {"approach:erp", 0.06},
    {"approach:act", 0.25},
    {"approach:ipt", 0.08},
    {"approach:cbt-i", 0.05},
    {"approach:motivational-interviewing", 0.15},
    {"approach:psychodynamic", 0.20},
    {"approach:family-systems", 0.10},
};

constexpr Probability kAges[] = {
    {"age:children", 0.10}, {"age:teens", 0.25}, {"age:adults", 0.97}, {"age:older-adults", 0.30}};

struct Language {
  std::string_view code;  // ISO 639-1
  std::string_view name;
};

constexpr Language kOtherLanguages[] = {
    {"fr", "French"},   {"pt", "Portuguese"}, {"de", "German"},  {"zh", "Chinese"},
    {"ko", "Korean"},   {"vi", "Vietnamese"}, {"ar", "Arabic"},  {"hi", "Hindi"},
    {"ja", "Japanese"}, {"it", "Italian"},    {"ru", "Russian"}, {"tl", "Tagalog"},
    {"he", "Hebrew"},   {"pl", "Polish"},
};

struct CountryLanguage {
  std::string_view country;
  Language language;
};

// The main local language where it is not English.
constexpr CountryLanguage kLocalLanguages[] = {
    {"AR", {"es", "Spanish"}},    {"AT", {"de", "German"}},     {"BE", {"fr", "French"}},
    {"BO", {"es", "Spanish"}},    {"BR", {"pt", "Portuguese"}}, {"CH", {"de", "German"}},
    {"CL", {"es", "Spanish"}},    {"CN", {"zh", "Chinese"}},    {"CO", {"es", "Spanish"}},
    {"CR", {"es", "Spanish"}},    {"CU", {"es", "Spanish"}},    {"CZ", {"cs", "Czech"}},
    {"DE", {"de", "German"}},     {"DO", {"es", "Spanish"}},    {"EC", {"es", "Spanish"}},
    {"EG", {"ar", "Arabic"}},     {"ES", {"es", "Spanish"}},    {"FI", {"fi", "Finnish"}},
    {"FR", {"fr", "French"}},     {"GR", {"el", "Greek"}},      {"GT", {"es", "Spanish"}},
    {"HK", {"zh", "Chinese"}},    {"HN", {"es", "Spanish"}},    {"HU", {"hu", "Hungarian"}},
    {"ID", {"id", "Indonesian"}}, {"IL", {"he", "Hebrew"}},     {"IR", {"fa", "Persian"}},
    {"IT", {"it", "Italian"}},    {"JP", {"ja", "Japanese"}},   {"KR", {"ko", "Korean"}},
    {"MX", {"es", "Spanish"}},    {"NI", {"es", "Spanish"}},    {"NL", {"nl", "Dutch"}},
    {"PA", {"es", "Spanish"}},    {"PE", {"es", "Spanish"}},    {"PL", {"pl", "Polish"}},
    {"PT", {"pt", "Portuguese"}}, {"PY", {"es", "Spanish"}},    {"RO", {"ro", "Romanian"}},
    {"RU", {"ru", "Russian"}},    {"SA", {"ar", "Arabic"}},     {"SV", {"es", "Spanish"}},
    {"TH", {"th", "Thai"}},       {"TR", {"tr", "Turkish"}},    {"TW", {"zh", "Chinese"}},
    {"UA", {"uk", "Ukrainian"}},  {"UY", {"es", "Spanish"}},    {"VE", {"es", "Spanish"}},
    {"VN", {"vi", "Vietnamese"}},
};

const Language* LocalLanguage(std::string_view country) {
  for (const auto& cl : kLocalLanguages) {
    if (cl.country == country) return &cl.language;
  }
  return nullptr;
}

constexpr Language kEnglish{"en", "English"};
constexpr Language kSpanish{"es", "Spanish"};

struct WeightedText {
  std::string_view text;
  double weight;
};

constexpr WeightedText kGenders[] = {{"woman", 45},      {"man", 35},        {"non-binary", 12},
                                     {"genderqueer", 4}, {"trans woman", 2}, {"trans man", 2}};
constexpr std::string_view kIdentities[] = {
    "person in recovery",         "former touring musician", "parent",
    "first-generation immigrant", "neurodivergent",          "veteran"};

constexpr std::string_view kCarriers[] = {
    "Harmony Mutual (DEMO)",
    "Backbeat Health (DEMO)",
    "Encore Assurance (DEMO)",
    "Crescendo Care (DEMO)",
    "Tempo Life & Health (DEMO)",
    "Downbeat Benefits (DEMO)",
    "Riff Mutual (DEMO)",
    "Soundboard Health Plan (DEMO)",
    "Treble Clef Insurance (DEMO)",
    "Bassline Benefits (DEMO)",
    "Metronome Health (DEMO)",
    "Overture Mutual (DEMO)",
    "Chorus Health Alliance (DEMO)",
    "Fermata Insurance (DEMO)",
    "Headliner Health (DEMO)",
    "Green Room Mutual (DEMO)",
    "Roadie Benefit Trust (DEMO)",
    "Setlist Health (DEMO)",
    "Mezzanine Health (DEMO)",
    "Amplitude Assurance (DEMO)",
    "Octave Health Plans (DEMO)",
    "Reverb Mutual (DEMO)",
    "Sustain Health (DEMO)",
    "Interlude Insurance (DEMO)",
    "Coda Health Cooperative (DEMO)",
};
constexpr std::string_view kPlanNames[] = {
    "Gold PPO",     "Silver PPO",       "Bronze PPO",         "Platinum PPO",
    "Gold HMO",     "Silver HMO",       "Bronze HMO",         "Gold EPO",
    "Silver EPO",   "Basic HMO",        "Select POS",         "Choice POS",
    "Plus HDHP",    "Saver HDHP",       "Medicare Advantage", "Medicaid Managed Care",
    "Student Plan", "Union Trust Plan", "Freelancer Plan",    "Touring Artist Plan",
};

// Every term code the generator uses outside the tables above.
struct Terms {
  const Term* format_individual;
  const Term* format_couples;
  const Term* format_family;
  const Term* format_group;
  const Term* format_in_person;
  const Term* format_telehealth;
  const Term* cost_insurance;
  const Term* cost_sliding;
  const Term* cost_free;
  const Term* cost_self_pay;
  const Term* wheelchair;
  const Term* sign_language;
  const Term* quiet_room;
  const Term* evening_hours;
  const Term* weekend_hours;
  const Term* lgbtq_affirming;
  const Term* faith_based;
  const Term* treated_industry;
  const Term* worked_in_music;
  const Term* workshop;
  const Term* prescriber;
  const Term* licence;
  const Term* insurance_panel;
  const Term* telehealth_jurisdiction;
  const Term* sliding_minimum;
  const Term* earliest_opening;
  const Term* waitlist_weeks;
  const Term* gender;
  const Term* identity;
};

struct CareOption {
  const Term* term;
  Licensing licensing;
  std::vector<const Term*> companions;
};

struct Menu {
  std::vector<CareOption> options;
  WeightedTable table;
};

struct ResolvedProbability {
  const Term* term;
  double p;
};

// Everything shared by all providers, built once per call.
struct Context {
  int64_t today = 0;  // days since the epoch
  uint64_t seed_key = 0;
  std::vector<City> cities;  // ranked
  WeightedTable city_table;
  WeightedTable plan_table;
  WeightedTable kind_table;
  WeightedTable gender_table;
  std::array<Menu, 4> menus;
  std::vector<ResolvedProbability> issues;
  std::vector<ResolvedProbability> approaches;
  std::vector<ResolvedProbability> ages;
  Terms t{};
  std::string unit_id;
};

class Resolver {
 public:
  explicit Resolver(const Vocabulary& v) : v_(v) {}
  const Term* operator()(std::string_view code) {
    const Term* t = v_.FindByCode(code);
    if (t == nullptr && missing_.find(std::string(code)) == std::string::npos) {
      missing_ += missing_.empty() ? "" : ", ";
      missing_ += code;
    }
    return t;
  }
  const std::string& missing() const { return missing_; }

 private:
  const Vocabulary& v_;
  std::string missing_;
};

core::Result<Context> BuildContext(const GeneratorOptions& options, const Vocabulary& vocabulary,
                                   const std::vector<City>& cities) {
  if (options.providers < 0) {
    return Error::InvalidArgument("synthetic directory: providers must not be negative",
                                  {{"/providers", "invalid", "Must be 0 or more."}});
  }
  Context ctx;
  SC_ASSIGN_OR_RETURN(ctx.today, ParseDate(options.today));
  ctx.cities = RankCities(cities);
  if (ctx.cities.empty()) {
    return Error::InvalidArgument("synthetic directory: no cities to place providers in",
                                  {{"/cities", "required", "Give at least one city."}});
  }
  uint64_t seed_state = options.seed;
  ctx.seed_key = SplitMix64(seed_state);
  ctx.city_table = ZipfTable(ctx.cities.size());
  ctx.plan_table = ZipfTable(DemoInsurancePlans().size());
  {
    std::vector<double> shares;
    for (const auto& k : kKinds) shares.push_back(k.share);
    ctx.kind_table = WeightedTable(shares);
    std::vector<double> genders;
    for (const auto& g : kGenders) genders.push_back(g.weight);
    ctx.gender_table = WeightedTable(genders);
  }

  Resolver need(vocabulary);
  for (size_t k = 0; k < std::size(kKinds); ++k) {
    Menu& menu = ctx.menus[k];
    std::vector<double> weights;
    for (const CareSpec& spec : kKinds[k].care) {
      CareOption option{need("care_type:" + std::string(spec.term)), spec.licensing, {}};
      std::string_view rest = spec.companions;
      while (!rest.empty()) {
        const size_t space = rest.find(' ');
        const std::string_view name = rest.substr(0, space);
        option.companions.push_back(need("care_type:" + std::string(name)));
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      }
      menu.options.push_back(std::move(option));
      weights.push_back(spec.weight);
    }
    menu.table = WeightedTable(weights);
  }
  for (const auto& p : kIssues) ctx.issues.push_back({need(p.code), p.p});
  for (const auto& p : kApproaches) ctx.approaches.push_back({need(p.code), p.p});
  for (const auto& p : kAges) ctx.ages.push_back({need(p.code), p.p});
  Terms& t = ctx.t;
  t.format_individual = need("format:individual");
  t.format_couples = need("format:couples");
  t.format_family = need("format:family");
  t.format_group = need("format:group");
  t.format_in_person = need("format:in-person");
  t.format_telehealth = need("format:telehealth");
  t.cost_insurance = need("cost:accepts-insurance");
  t.cost_sliding = need("cost:sliding-scale");
  t.cost_free = need("cost:free");
  t.cost_self_pay = need("cost:self-pay");
  t.wheelchair = need("accessibility:wheelchair-access");
  t.sign_language = need("accessibility:sign-language");
  t.quiet_room = need("accessibility:quiet-room");
  t.evening_hours = need("accessibility:evening-hours");
  t.weekend_hours = need("accessibility:weekend-hours");
  t.lgbtq_affirming = need("identity:lgbtq-affirming");
  t.faith_based = need("identity:faith-based");
  t.treated_industry = need("music_industry:treated-industry-clients");
  t.worked_in_music = need("music_industry:worked-in-music");
  t.workshop = need("music_industry:completed-clinical-workshop");
  t.prescriber = need("clinical:prescriber");
  t.licence = need("fact:licence");
  t.insurance_panel = need("fact:insurance-panel");
  t.telehealth_jurisdiction = need("fact:telehealth-jurisdiction");
  t.sliding_minimum = need("fact:sliding-scale-minimum");
  t.earliest_opening = need("fact:earliest-opening");
  t.waitlist_weeks = need("fact:waitlist-weeks");
  t.gender = need("fact:gender");
  t.identity = need("fact:identity");
  if (!need.missing().empty()) {
    return Error::FailedPrecondition("synthetic directory: the vocabulary lacks the term codes " +
                                     need.missing());
  }
  ctx.unit_id = vocabulary.openings_unit().id;
  return ctx;
}

// ---------------------------------------------------------------------------------------
// One provider.

struct Licence {
  std::string type;
  std::string jurisdiction;
  std::string number;
  std::string expires;
  bool psypact = false;
};

std::string Money(int64_t whole) { return std::to_string(whole) + ".00"; }

// Rounds to 6 decimals (about 10 cm): stable output, and no false precision.
double Round6(double x) { return std::round(x * 1e6) / 1e6; }

boost::json::object WithId(const std::string& id) {
  boost::json::object o;
  o["id"] = id;
  return o;
}

class ProviderWriter {
 public:
  ProviderWriter(const Context& ctx, int64_t index, const RecordSink& sink)
      : ctx_(ctx),
        rng_(ctx.seed_key + static_cast<uint64_t>(index) * 0xd1b54a32d192ed03ULL),
        sink_(sink) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(index + 1));
    number_ = buf;
  }

  core::Status Write();

 private:
  core::Status Emit(std::string_view resource, boost::json::object fields) {
    std::string id(fields.at("id").as_string());
    return sink_(Record{std::string(resource), std::move(id), std::move(fields)});
  }
  core::Status Attribute(const Term* term, std::string_view value = {}) {
    boost::json::object a = WithId(rng_.Uuid());
    a["link_id"] = service_id_;
    a["link_type"] = "service";
    a["link_entity"] = "service";
    a["taxonomy_term_id"] = term->id;
    if (!value.empty()) a["value"] = value;
    return Emit("attribute", std::move(a));
  }
  void AddTerm(std::vector<const Term*>& terms, const Term* t) {
    if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
  }
  bool Has(const std::vector<const Term*>& terms, std::string_view code) const {
    return std::any_of(terms.begin(), terms.end(), [&](const Term* t) { return t->code == code; });
  }
  std::string Phone() {
    // One draw per statement: the order operands are evaluated in is unspecified.
    int64_t area = rng_.Int(2, 9) * 100;
    area += rng_.Int(0, 8) * 10;
    area += rng_.Int(0, 9);
    if (area % 100 == 11) area -= 1;  // no N11 service codes
    const int64_t line = rng_.Int(0, 99);
    char buf[32];
    std::snprintf(buf, sizeof buf, "+1-%03d-555-01%02d", static_cast<int>(area),
                  static_cast<int>(line));
    return buf;
  }

  const Context& ctx_;
  Rng rng_;
  const RecordSink& sink_;
  std::string number_;
  std::string service_id_;
};

core::Status ProviderWriter::Write() {
  const Terms& T = ctx_.t;
  const size_t kind_index = ctx_.kind_table.Pick(rng_);
  const KindSpec& kind = kKinds[kind_index];
  const bool clinician = kind.kind == Kind::kClinician;
  const City& city = ctx_.cities[ctx_.city_table.Pick(rng_)];

  // Care types: a primary one, then up to two of its companions.
  const Menu& menu = ctx_.menus[kind_index];
  const CareOption& primary = menu.options[menu.table.Pick(rng_)];
  std::vector<const Term*> care{primary.term};
  {
    const double u = rng_.Uniform();
    const size_t extra = u < 0.5 ? 0 : u < 0.85 ? 1 : 2;
    for (size_t i = 0; i < extra && !primary.companions.empty(); ++i) {
      AddTerm(care, primary.companions[rng_.Int(0, primary.companions.size() - 1)]);
    }
  }

  // Licences: one where the practice is, sometimes a second in the same country.
  std::vector<Licence> licences;
  const auto types = LicenceTypes(primary.licensing);
  if (!types.empty()) {
    std::vector<double> weights;
    for (const auto& lw : types) weights.push_back(lw.weight);
    const std::string type(types[WeightedTable(weights).Pick(rng_)].type);
    std::vector<std::string> jurisdictions{city.jurisdiction};
    if (rng_.Chance(0.2)) {
      for (int attempt = 0; attempt < 4; ++attempt) {
        const City& other = ctx_.cities[ctx_.city_table.Pick(rng_)];
        if (other.country == city.country && other.jurisdiction != city.jurisdiction) {
          jurisdictions.push_back(other.jurisdiction);
          break;
        }
      }
    }
    for (const auto& j : jurisdictions) {
      Licence l;
      l.type = type;
      l.jurisdiction = j;
      l.number = "DEMO-" + std::to_string(rng_.Int(1000000, 9999999));
      l.expires = DateString(ctx_.today + rng_.Int(-30, 730));
      l.psypact = (type == "PhD" || type == "PsyD") && j.rfind("US-", 0) == 0 && rng_.Chance(0.6);
      licences.push_back(std::move(l));
    }
  }
  const bool prescriber = !licences.empty() && IsPrescriberType(licences[0].type);

  const bool telehealth = rng_.Chance(kind.telehealth);
  const bool telehealth_only = telehealth && rng_.Chance(kind.telehealth_only);
  const bool accepting = rng_.Chance(0.6);
  const bool inactive = rng_.Chance(0.02);
  const bool free = rng_.Chance(kind.free);
  const bool insurance = !free && rng_.Chance(kind.insurance);

  // Fee: log-normal, median 150 USD, whole dollars, at least 40.
  int64_t fee = 0;
  int64_t sliding_minimum = 0;
  if (!free) {
    fee = std::max<int64_t>(40, std::llround(std::exp(std::log(150.0) + 0.35 * rng_.Normal())));
    if (rng_.Chance(0.3)) {
      sliding_minimum =
          std::max<int64_t>(20, std::llround(static_cast<double>(fee) * rng_.Between(0.3, 0.6)));
    }
  }

  // Insurance panels: 4–15 distinct plans, popular ones more often.
  std::vector<size_t> plans;
  if (insurance) {
    const int64_t count = rng_.Int(4, 15);
    while (static_cast<int64_t>(plans.size()) < count) {
      const size_t p = ctx_.plan_table.Pick(rng_);
      if (std::find(plans.begin(), plans.end(), p) == plans.end()) plans.push_back(p);
    }
  }

  // Languages: English mostly, the local language often, Spanish often, sometimes another.
  std::vector<Language> languages;
  auto has_language = [&](std::string_view code) {
    return std::any_of(languages.begin(), languages.end(),
                       [&](const Language& l) { return l.code == code; });
  };
  if (rng_.Chance(0.95)) languages.push_back(kEnglish);
  if (const Language* local = LocalLanguage(city.country); local && rng_.Chance(0.6)) {
    languages.push_back(*local);
  }
  if (!has_language("es") && languages.size() < 3 && rng_.Chance(0.24)) {
    languages.push_back(kSpanish);
  }
  if (languages.size() < 3 && rng_.Chance(0.08)) {
    const Language& other = kOtherLanguages[rng_.Int(0, std::size(kOtherLanguages) - 1)];
    if (!has_language(other.code)) languages.push_back(other);
  }
  if (languages.empty()) {
    const Language* local = LocalLanguage(city.country);
    languages.push_back(local ? *local : kSpanish);
  }

  // ---- records ----
  const std::string org_id = rng_.Uuid();
  service_id_ = rng_.Uuid();
  const std::string location_id = rng_.Uuid();

  // Never two draws in one expression: operand evaluation order differs between compilers.
  const std::string_view word_a = kNameWordsA[rng_.Int(0, std::size(kNameWordsA) - 1)];
  const std::string_view word_b = kNameWordsB[rng_.Int(0, std::size(kNameWordsB) - 1)];
  const std::string org_name =
      std::string(word_a) + " " + std::string(word_b) + " " +
      std::string(clinician ? PracticeKind(primary.licensing) : kind.org_kind) + " (DEMO " +
      number_ + ")";
  {
    boost::json::object o = WithId(org_id);
    o["name"] = org_name;
    o["description"] =
        clinician ? "A fictional practice generated for Soundcheck demos and load tests. Not a "
                    "real provider."
                  : "A fictional community resource generated for Soundcheck demos and load "
                    "tests. Not a real organisation.";
    o["email"] = "practice-" + number_ + "@example.org";
    o["website"] = "https://example.org/demo/providers/" + number_;
    SC_RETURN_IF_ERROR(Emit("organization", std::move(o)));
  }

  const int64_t assured = ctx_.today - rng_.Int(0, 400);
  const int64_t waitlist = accepting ? 0 : rng_.Int(1, 16);
  {
    boost::json::object s = WithId(service_id_);
    s["organization_id"] = org_id;
    std::string name(primary.term->name);
    if (clinician) {
      name += " with Demo Clinician " + number_ + " (fictional)";
      if (!licences.empty()) name += ", " + licences[0].type;
    } else {
      name += " at " + org_name;
    }
    s["name"] = name;
    std::string description = "Fictional ";
    for (size_t i = 0; i < care.size(); ++i) {
      std::string n(care[i]->name);
      n[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
      description += (i == 0 ? "" : i + 1 == care.size() ? " and " : ", ") + n;
    }
    description += " for music-industry workers in " + city.name +
                   ". Generated demo data; not a real service.";
    s["description"] = description;
    s["email"] = "intake-" + number_ + "@example.org";
    s["status"] = inactive ? "inactive" : "active";
    if (free) {
      s["fees_description"] = "Free.";
    } else {
      std::string fees = "USD " + std::to_string(fee) + " per session";
      if (sliding_minimum > 0)
        fees += "; sliding scale from USD " + std::to_string(sliding_minimum);
      s["fees_description"] = fees + ".";
    }
    if (!accepting) s["wait_time"] = "About " + std::to_string(waitlist) + " weeks.";
    s["assured_date"] = DateString(assured);
    s["assurer_email"] = "directory-team@example.org";
    SC_RETURN_IF_ERROR(Emit("service", std::move(s)));
  }

  {
    boost::json::object l = WithId(location_id);
    l["organization_id"] = org_id;
    if (telehealth_only) {
      l["location_type"] = "virtual";
      l["name"] = org_name + ", telehealth";
      l["url"] = "https://example.org/demo/telehealth/" + number_;
      SC_RETURN_IF_ERROR(Emit("location", std::move(l)));
    } else {
      // Gaussian jitter around the centroid, sigma 3 km on each axis.
      const double lat =
          std::clamp(city.latitude + 3.0 / 111.32 * rng_.Normal(), -89.999999, 89.999999);
      const double cos_lat = std::max(0.05, std::cos(lat * 3.141592653589793 / 180.0));
      double lon = city.longitude + 3.0 / (111.32 * cos_lat) * rng_.Normal();
      if (lon > 180) lon -= 360;
      if (lon < -180) lon += 360;
      l["location_type"] = "physical";
      l["name"] = org_name + ", " + city.name;
      l["latitude"] = Round6(lat);
      l["longitude"] = Round6(lon);
      SC_RETURN_IF_ERROR(Emit("location", std::move(l)));

      boost::json::object a = WithId(rng_.Uuid());
      a["location_id"] = location_id;
      a["address_1"] = std::to_string(rng_.Int(1, 999)) + " Demo Street";
      if (rng_.Chance(0.4)) a["address_2"] = "Suite " + std::to_string(rng_.Int(100, 999));
      a["city"] = city.name;
      const size_t dash = city.jurisdiction.find('-');
      a["state_province"] =
          dash == std::string::npos ? city.name : city.jurisdiction.substr(dash + 1);
      char postal[16];
      std::snprintf(postal, sizeof postal, "DEMO-%05d", static_cast<int>(rng_.Int(0, 99999)));
      a["postal_code"] = postal;
      a["country"] = city.country;
      a["address_type"] = "physical";
      SC_RETURN_IF_ERROR(Emit("address", std::move(a)));
    }
  }
  const std::string sal_id = rng_.Uuid();
  {
    boost::json::object sal = WithId(sal_id);
    sal["service_id"] = service_id_;
    sal["location_id"] = location_id;
    SC_RETURN_IF_ERROR(Emit("service_at_location", std::move(sal)));
  }
  {
    boost::json::object p = WithId(rng_.Uuid());
    p["service_id"] = service_id_;
    p["number"] = Phone();
    p["type"] = "voice";
    p["description"] = "Fictional intake line (reserved 555-01xx range).";
    SC_RETURN_IF_ERROR(Emit("phone", std::move(p)));
  }
  for (const Language& lang : languages) {
    boost::json::object l = WithId(rng_.Uuid());
    l["service_id"] = service_id_;
    l["name"] = lang.name;
    l["code"] = lang.code;
    SC_RETURN_IF_ERROR(Emit("language", std::move(l)));
  }

  // Soft tags, decided before the schedule (evening and weekend hours shape it).
  std::vector<const Term*> tags;
  const double tag_scale = clinician ? 1.0 : 0.5;
  for (const auto& p : ctx_.issues) {
    if (rng_.Chance(p.p * tag_scale)) AddTerm(tags, p.term);
  }
  auto force_issue = [&](std::string_view care_code, std::string_view issue_code) {
    if (Has(care, care_code)) {
      for (const auto& p : ctx_.issues) {
        if (p.term->code == issue_code) AddTerm(tags, p.term);
      }
    }
  };
  force_issue("care_type:substance-use-outpatient", "issue:substance-use");
  force_issue("care_type:recovery-meeting", "issue:substance-use");
  force_issue("care_type:medical-detox", "issue:substance-use");
  force_issue("care_type:eating-disorder-treatment", "issue:eating-disorders");
  force_issue("care_type:grief-support", "issue:grief");
  force_issue("care_type:sleep-medicine", "issue:insomnia");
  force_issue("care_type:performance-coaching", "issue:performance-anxiety");
  const bool therapist =
      primary.licensing == Licensing::kTherapist || primary.licensing == Licensing::kFamily ||
      primary.licensing == Licensing::kPsychologist || primary.licensing == Licensing::kAddiction ||
      (primary.licensing == Licensing::kPrescriber && rng_.Chance(0.3));
  if (therapist) {
    for (const auto& p : ctx_.approaches) {
      double chance = p.p;
      if (p.term->code == "approach:motivational-interviewing" &&
          primary.licensing == Licensing::kAddiction) {
        chance = 0.8;
      }
      if (p.term->code == "approach:family-systems" && primary.licensing == Licensing::kFamily) {
        chance = 0.7;
      }
      if (rng_.Chance(chance)) AddTerm(tags, p.term);
    }
  }
  bool any_age = false;
  for (const auto& p : ctx_.ages) {
    if (rng_.Chance(p.p)) {
      AddTerm(tags, p.term);
      any_age = true;
    }
  }
  if (!any_age) AddTerm(tags, ctx_.ages[2].term);  // adults
  if (clinician) AddTerm(tags, T.format_individual);
  if (Has(care, "care_type:couples-therapy")) AddTerm(tags, T.format_couples);
  if (Has(care, "care_type:family-therapy")) AddTerm(tags, T.format_family);
  if (kind.kind == Kind::kSupportGroup || Has(care, "care_type:group-therapy")) {
    AddTerm(tags, T.format_group);
  }
  if (!telehealth_only) AddTerm(tags, T.format_in_person);
  if (telehealth) AddTerm(tags, T.format_telehealth);
  if (!telehealth_only && rng_.Chance(0.45)) AddTerm(tags, T.wheelchair);
  if (rng_.Chance(0.03)) AddTerm(tags, T.sign_language);
  if (!telehealth_only && rng_.Chance(0.15)) AddTerm(tags, T.quiet_room);
  const bool evenings = rng_.Chance(0.3);
  const bool weekends = rng_.Chance(0.12);
  if (evenings) AddTerm(tags, T.evening_hours);
  if (weekends) AddTerm(tags, T.weekend_hours);
  if (rng_.Chance(0.35)) AddTerm(tags, T.lgbtq_affirming);
  if (rng_.Chance(0.06)) AddTerm(tags, T.faith_based);
  if (rng_.Chance(0.55)) {
    const bool treated = rng_.Chance(0.8);
    const bool worked = rng_.Chance(0.45);
    const bool workshop = rng_.Chance(0.35);
    if (treated || (!worked && !workshop)) AddTerm(tags, T.treated_industry);
    if (worked) AddTerm(tags, T.worked_in_music);
    if (workshop) AddTerm(tags, T.workshop);
  }
  if (insurance) AddTerm(tags, T.cost_insurance);
  if (sliding_minimum > 0) AddTerm(tags, T.cost_sliding);
  if (free) AddTerm(tags, T.cost_free);
  if (!free && (!insurance || rng_.Chance(0.6))) AddTerm(tags, T.cost_self_pay);
  if (prescriber) AddTerm(tags, T.prescriber);

  {
    boost::json::object s = WithId(rng_.Uuid());
    s["service_id"] = service_id_;
    s["service_at_location_id"] = sal_id;
    s["freq"] = "WEEKLY";
    s["wkst"] = "MO";
    std::string days;
    std::string opens = "09:00:00";
    std::string closes = evenings ? "20:00:00" : "17:00:00";
    switch (kind.kind) {
      case Kind::kSupportGroup: {
        static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
        days = std::string(kDays[rng_.Int(0, weekends ? 6 : 4)]);
        opens = "19:00:00";
        closes = "20:30:00";
        break;
      }
      case Kind::kTreatmentCentre:
        days = "MO,TU,WE,TH,FR,SA,SU";
        opens = "08:00:00";
        closes = "18:00:00";
        break;
      default:
        days = weekends ? "MO,TU,WE,TH,FR,SA" : "MO,TU,WE,TH,FR";
        break;
    }
    s["byday"] = days;
    s["opens_at"] = opens;
    s["closes_at"] = closes;
    s["description"] = "Opening hours (fictional).";
    SC_RETURN_IF_ERROR(Emit("schedule", std::move(s)));
  }

  if (!free) {
    boost::json::object c = WithId(rng_.Uuid());
    c["service_id"] = service_id_;
    c["option"] = "Standard session";
    c["currency"] = "USD";
    c["amount"] = fee;
    c["amount_description"] = "per session";
    SC_RETURN_IF_ERROR(Emit("cost_option", std::move(c)));
  }

  {
    boost::json::object c = WithId(rng_.Uuid());
    c["service_id"] = service_id_;
    c["unit_id"] = ctx_.unit_id;
    c["available"] = accepting ? rng_.Int(1, kind.kind == Kind::kSupportGroup ? 12 : 5) : 0;
    c["description"] = "Openings for new clients.";
    // Last confirmed 0–30 days before today, so some are stale.
    c["updated"] = DateTimeString(ctx_.today * 86400 - rng_.Int(0, 30 * 86400));
    SC_RETURN_IF_ERROR(Emit("service_capacity", std::move(c)));
  }

  // Attributes: care types, soft tags, then the structured facts.
  for (const Term* t : care) SC_RETURN_IF_ERROR(Attribute(t));
  for (const Term* t : tags) SC_RETURN_IF_ERROR(Attribute(t));
  for (const Licence& l : licences) {
    boost::json::object v;
    v["type"] = l.type;
    v["jurisdiction"] = l.jurisdiction;
    v["number"] = l.number;
    v["expires"] = l.expires;
    boost::json::array compacts;
    if (l.psypact) compacts.emplace_back("PSYPACT");
    v["compacts"] = std::move(compacts);
    SC_RETURN_IF_ERROR(Attribute(T.licence, boost::json::serialize(v)));
  }
  for (size_t p : plans) {
    const InsurancePlan& plan = DemoInsurancePlans()[p];
    boost::json::object v;
    v["carrier"] = plan.carrier;
    v["plan"] = plan.plan;
    SC_RETURN_IF_ERROR(Attribute(T.insurance_panel, boost::json::serialize(v)));
  }
  if (telehealth) {
    std::vector<std::string> where;
    for (const Licence& l : licences) {
      if (std::find(where.begin(), where.end(), l.jurisdiction) == where.end()) {
        where.push_back(l.jurisdiction);
      }
    }
    if (where.empty()) where.push_back(city.jurisdiction);
    for (const auto& j : where) SC_RETURN_IF_ERROR(Attribute(T.telehealth_jurisdiction, j));
  }
  if (sliding_minimum > 0) {
    boost::json::object v;
    v["amount"] = Money(sliding_minimum);
    v["currency"] = "USD";
    SC_RETURN_IF_ERROR(Attribute(T.sliding_minimum, boost::json::serialize(v)));
  }
  if (accepting) {
    SC_RETURN_IF_ERROR(Attribute(T.earliest_opening, DateString(ctx_.today + rng_.Int(0, 42))));
  } else {
    SC_RETURN_IF_ERROR(Attribute(T.waitlist_weeks, std::to_string(waitlist)));
  }
  if (clinician && rng_.Chance(0.7)) {
    SC_RETURN_IF_ERROR(
        Attribute(T.gender, std::string(kGenders[ctx_.gender_table.Pick(rng_)].text)));
  }
  if (clinician && rng_.Chance(0.15)) {
    SC_RETURN_IF_ERROR(
        Attribute(T.identity, std::string(kIdentities[rng_.Int(0, std::size(kIdentities) - 1)])));
  }
  return core::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------

std::string JurisdictionOfZone(std::string_view zone, std::string_view country) {
  for (const auto& zj : kZoneJurisdictions) {
    const bool match =
        zj.zone.back() == '/' ? zone.substr(0, zj.zone.size()) == zj.zone : zone == zj.zone;
    if (match && zj.jurisdiction.substr(0, 2) == country) return std::string(zj.jurisdiction);
  }
  return std::string(country);
}

core::Result<std::vector<City>> ParseZone1970(std::string_view tab_text) {
  std::vector<City> out;
  size_t line_no = 0;
  while (!tab_text.empty()) {
    ++line_no;
    const size_t end = tab_text.find('\n');
    std::string_view line = tab_text.substr(0, end);
    tab_text = end == std::string_view::npos ? std::string_view() : tab_text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;

    auto bad = [&](const std::string& what) {
      return Error::InvalidArgument("zone1970.tab line " + std::to_string(line_no) + ": " + what);
    };
    std::vector<std::string_view> columns;
    for (size_t start = 0;;) {
      const size_t tab = line.find('\t', start);
      columns.push_back(line.substr(start, tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (columns.size() < 3) return bad("expected at least three tab-separated columns");
    City c;
    c.country = std::string(columns[0].substr(0, columns[0].find(',')));
    if (!IsUpperAlpha2(c.country)) return bad("the first country is not an ISO 3166 code");
    if (!ParseIso6709(columns[1], c.latitude, c.longitude)) {
      return bad("coordinates are not ISO 6709 ±DDMM±DDDMM or ±DDMMSS±DDDMMSS");
    }
    c.zone = std::string(columns[2]);
    if (c.zone.empty()) return bad("the zone name is empty");
    const size_t slash = c.zone.rfind('/');
    c.name = slash == std::string::npos ? c.zone : c.zone.substr(slash + 1);
    std::replace(c.name.begin(), c.name.end(), '_', ' ');
    c.jurisdiction = JurisdictionOfZone(c.zone, c.country);
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<InsurancePlan>& DemoInsurancePlans() {
  static const std::vector<InsurancePlan> plans = [] {
    std::vector<InsurancePlan> all;
    for (std::string_view carrier : kCarriers) {
      for (std::string_view plan : kPlanNames) {
        all.push_back({std::string(carrier), std::string(plan)});
      }
    }
    // A fixed shuffle sets popularity (first = most popular), independent of any seed.
    Rng rng(0x50756e6473ULL);
    for (size_t i = all.size() - 1; i > 0; --i) {
      std::swap(all[i], all[static_cast<size_t>(rng.Int(0, static_cast<int64_t>(i)))]);
    }
    return all;
  }();
  return plans;
}

std::vector<City> RankCities(const std::vector<City>& cities) {
  std::vector<City> ranked;
  std::vector<bool> taken(cities.size(), false);
  for (std::string_view hub : kHubZones) {
    for (size_t i = 0; i < cities.size(); ++i) {
      if (!taken[i] && cities[i].zone == hub) {
        ranked.push_back(cities[i]);
        taken[i] = true;
      }
    }
  }
  // Then the US, then Canada, then everyone else; Antarctica's stations get no providers.
  for (std::string_view country : {"US", "CA", ""}) {
    for (size_t i = 0; i < cities.size(); ++i) {
      if (taken[i] || cities[i].country == "AQ") continue;
      if (!country.empty() && cities[i].country != country) continue;
      ranked.push_back(cities[i]);
      taken[i] = true;
    }
  }
  return ranked;
}

core::Status GenerateDirectory(const GeneratorOptions& options, const Vocabulary& vocabulary,
                               const std::vector<City>& cities, const RecordSink& sink) {
  SC_ASSIGN_OR_RETURN(const Context ctx, BuildContext(options, vocabulary, cities));
  SC_RETURN_IF_ERROR(vocabulary.EmitRecords(sink));
  // No other provider-independent records: insurance plans live in attribute values.
  for (int64_t i = 0; i < options.providers; ++i) {
    ProviderWriter writer(ctx, i, sink);
    SC_RETURN_IF_ERROR(writer.Write());
  }
  return core::Ok();
}

}  // namespace soundcheck::domain::directory
