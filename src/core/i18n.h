// The one translation mechanism for every member-facing string (mail and web pages alike):
// message catalogs are JSON files `{ "key": "text with {placeholder}" }` kept at the
// repository root as i18n/<language>/<area>.json (mail.json, web.json, ...) and copied beside
// the binary (build/bin/i18n/). Nested objects are allowed and read as dotted keys.
//
// A placeholder is `{name}` with a name of ASCII letters, digits and underscores; any other
// brace is plain text. Rendering never guesses: a missing key or a missing parameter is an
// error value, so a broken translation is caught before a member sees half a sentence.
// Error messages name keys, parameters and files, never parameter values (they can hold
// personal data).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace soundcheck::core::i18n {

using Params = std::map<std::string, std::string, std::less<>>;

// One language's messages for one area. Immutable after loading; thread-safe to read.
class Catalog {
 public:
  Catalog() = default;

  // Parses a catalog. `source` names it in error messages ("i18n/es/mail.json").
  // Errors: kInvalidArgument when the text is not a JSON object, a value is neither a string
  // nor an object of strings, or a key is empty.
  static Result<Catalog> Parse(std::string_view json, std::string_view source);
  // Reads and parses a file. Errors: kNotFound when it cannot be read; Parse's otherwise.
  static Result<Catalog> LoadFile(const std::string& path);

  bool Has(std::string_view key) const { return texts_.find(key) != texts_.end(); }
  // The raw text of `key`. Errors: kNotFound (naming the key and the catalog).
  Result<std::string> Text(std::string_view key) const;
  // The text of `key` with every `{name}` replaced by params[name]. Parameters the text does
  // not use are ignored. Errors: kNotFound for a missing key; kInvalidArgument when the text
  // uses a parameter that `params` lacks.
  Result<std::string> Render(std::string_view key, const Params& params) const;

  // Keys in sorted order.
  std::vector<std::string> Keys() const;
  const std::string& source() const { return source_; }

 private:
  std::map<std::string, std::string, std::less<>> texts_;
  std::string source_;
};

// The placeholder names a text uses ("Hi {name}" → {"name"}).
std::set<std::string> Placeholders(std::string_view text);

// Replaces every `{name}` in `text`. Errors: kInvalidArgument naming the first missing
// parameter (never a value).
Result<std::string> Substitute(std::string_view text, const Params& params);

// Parity between two languages of one area: every key in one is in the other, and each key
// uses the same placeholders in both. Returns one line per problem (empty: in parity), e.g.
// "mail.status_link.body: es lacks {minutes}".
std::vector<std::string> ParityProblems(const Catalog& a, std::string_view a_name, const Catalog& b,
                                        std::string_view b_name);

// One area's catalogs in every shipped language, loaded from <root>/<language>/<area>.json.
// Immutable after loading; thread-safe to read.
class Translations {
 public:
  // Loads every language in `languages` and checks that they are in parity.
  // Errors: what loading a file returns; kInvalidArgument listing every parity problem.
  static Result<Translations> Load(const std::string& root, std::string_view area,
                                   const std::vector<std::string>& languages);
  // Builds from catalogs already parsed (tests); checks parity like Load.
  static Result<Translations> FromCatalogs(std::map<std::string, Catalog> by_language);

  bool Supports(std::string_view language) const;
  // Errors: kInvalidArgument for an unsupported language; Catalog::Render's otherwise.
  Result<std::string> Render(std::string_view language, std::string_view key,
                             const Params& params) const;
  // Errors: kInvalidArgument for an unsupported language; Catalog::Text's otherwise.
  Result<std::string> Text(std::string_view language, std::string_view key) const;
  const std::map<std::string, Catalog, std::less<>>& catalogs() const { return catalogs_; }

 private:
  std::map<std::string, Catalog, std::less<>> catalogs_;
};

}  // namespace soundcheck::core::i18n
