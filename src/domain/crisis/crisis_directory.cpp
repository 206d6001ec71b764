#include "domain/crisis/crisis_directory.h"

#include <cctype>

namespace soundcheck::domain::crisis {

using core::Error;

namespace {

bool IsCountryCode(std::string_view c) {
  return c.size() == 2 && std::isupper(static_cast<unsigned char>(c[0])) &&
         std::isupper(static_cast<unsigned char>(c[1]));
}

std::string In(const Localized& text, const std::string& language) {
  auto it = text.find(language);
  if (it != text.end()) return it->second;
  it = text.find("en");
  return it == text.end() ? std::string() : it->second;
}

}  // namespace

std::string PickLanguage(std::string_view requested) {
  std::string lower;
  for (char c : requested.substr(0, 2)) lower += static_cast<char>(std::tolower(c));
  return lower == "es" ? "es" : "en";
}

core::Result<CrisisDirectory> CrisisDirectory::Create(CrisisData data) {
  if (data.version <= 0) return Error::InvalidArgument("crisis data: version must be positive");
  if (data.source.empty() || data.last_verified.size() != 10) {
    return Error::InvalidArgument(
        "crisis data: source and last_verified (YYYY-MM-DD) are required");
  }
  if (!data.countries.count(data.default_country)) {
    return Error::InvalidArgument("crisis data: default_country is not in countries");
  }
  if (data.fallback.emergency.empty()) {
    return Error::InvalidArgument("crisis data: the fallback needs an emergency number");
  }
  for (std::string_view lang : kLanguages) {
    if (!data.fallback_note.count(std::string(lang))) {
      return Error::InvalidArgument("crisis data: the fallback note lacks language " +
                                    std::string(lang));
    }
  }
  for (const auto& [code, country] : data.countries) {
    if (!IsCountryCode(code))
      return Error::InvalidArgument("crisis data: bad country code " + code);
    if (country.emergency.empty()) {
      return Error::InvalidArgument("crisis data: " + code + " has no emergency number");
    }
    for (const auto& line : country.lines) {
      for (std::string_view lang : kLanguages) {
        if (!line.name.count(std::string(lang)) || !line.how.count(std::string(lang))) {
          return Error::InvalidArgument("crisis data: a line of " + code + " lacks language " +
                                        std::string(lang));
        }
      }
      if (line.phone.empty() && line.url.empty()) {
        return Error::InvalidArgument("crisis data: a line of " + code + " has no phone or url");
      }
    }
  }
  return CrisisDirectory(std::move(data));
}

core::Result<CrisisResources> CrisisDirectory::For(std::string_view country,
                                                   std::string_view language) const {
  std::string code;
  for (char c : country) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.empty()) code = data_.default_country;
  if (!IsCountryCode(code)) {
    return Error::InvalidArgument(
        "bad country", {{"/country", "invalid_format", "Use a two-letter country code, like US."}});
  }
  CrisisResources out;
  out.country = code;
  out.language = PickLanguage(language);
  out.version = data_.version;
  out.last_verified = data_.last_verified;
  out.source = data_.source;
  auto it = data_.countries.find(code);
  const CountryLines& lines = it == data_.countries.end() ? data_.fallback : it->second;
  out.known = it != data_.countries.end();
  out.emergency = lines.emergency;
  for (const auto& l : lines.lines) {
    out.lines.push_back(
        {In(l.name, out.language), In(l.how, out.language), l.phone, l.text, l.url});
  }
  // Countries without a listed line (and unknown ones) get the plain instruction too.
  if (!out.known || out.lines.empty()) out.note = In(data_.fallback_note, out.language);
  return out;
}

}  // namespace soundcheck::domain::crisis
