#include "core/i18n.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace soundcheck::core::i18n {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Calls on_text(piece) for literal text and on_name(name) for each `{name}`, in order.
template <typename OnText, typename OnName>
void Scan(std::string_view text, OnText on_text, OnName on_name) {
  size_t literal_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '{') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < text.size() && IsNameChar(text[j])) ++j;
    if (j > i + 1 && j < text.size() && text[j] == '}') {
      on_text(text.substr(literal_start, i - literal_start));
      on_name(text.substr(i + 1, j - i - 1));
      i = j + 1;
      literal_start = i;
    } else {
      ++i;  // a brace that opens no placeholder is plain text
    }
  }
  on_text(text.substr(literal_start));
}

Status Flatten(const boost::json::object& obj, const std::string& prefix,
               std::map<std::string, std::string, std::less<>>& out, std::string_view source) {
  for (const auto& [k, v] : obj) {
    if (k.empty()) return Error::InvalidArgument(std::string(source) + ": empty key");
    std::string key = prefix.empty() ? std::string(k) : prefix + "." + std::string(k);
    if (v.is_string()) {
      out[key] = std::string(v.as_string());
    } else if (v.is_object()) {
      SC_RETURN_IF_ERROR(Flatten(v.as_object(), key, out, source));
    } else {
      return Error::InvalidArgument(std::string(source) + ": " + key +
                                    " is neither a string nor an object");
    }
  }
  return Ok();
}

}  // namespace

Result<Catalog> Catalog::Parse(std::string_view json, std::string_view source) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) {
    return Error::InvalidArgument(std::string(source) + " is not a JSON object");
  }
  Catalog c;
  c.source_ = std::string(source);
  SC_RETURN_IF_ERROR(Flatten(doc.as_object(), "", c.texts_, source));
  return c;
}

Result<Catalog> Catalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("cannot read message catalog " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<std::string> Catalog::Text(std::string_view key) const {
  auto it = texts_.find(key);
  if (it == texts_.end()) {
    return Error::NotFound("message " + std::string(key) + " missing from " + source_);
  }
  return it->second;
}

Result<std::string> Catalog::Render(std::string_view key, const Params& params) const {
  SC_ASSIGN_OR_RETURN(std::string text, Text(key));
  auto out = Substitute(text, params);
  if (!out) {
    return Error::InvalidArgument(std::string(key) + " in " + source_ + ": " + out.error().message);
  }
  return out;
}

std::vector<std::string> Catalog::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(texts_.size());
  for (const auto& [k, v] : texts_) keys.push_back(k);
  return keys;
}

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> names;
  Scan(
      text, [](std::string_view) {}, [&](std::string_view n) { names.emplace(n); });
  return names;
}

Result<std::string> Substitute(std::string_view text, const Params& params) {
  std::string out;
  out.reserve(text.size());
  std::string missing;
  Scan(
      text, [&](std::string_view piece) { out.append(piece); },
      [&](std::string_view name) {
        auto it = params.find(name);
        if (it == params.end()) {
          if (missing.empty()) missing = std::string(name);
          return;
        }
        out.append(it->second);
      });
  if (!missing.empty()) return Error::InvalidArgument("missing parameter {" + missing + "}");
  return out;
}

std::vector<std::string> ParityProblems(const Catalog& a, std::string_view a_name, const Catalog& b,
                                        std::string_view b_name) {
  std::vector<std::string> problems;
  auto one_way = [&](const Catalog& from, std::string_view from_name, const Catalog& to,
                     std::string_view to_name, bool compare_placeholders) {
    for (const auto& key : from.Keys()) {
      if (!to.Has(key)) {
        problems.push_back(key + ": " + std::string(to_name) + " lacks the key");
        continue;
      }
      if (!compare_placeholders) continue;
      auto mine = Placeholders(*from.Text(key));
      auto theirs = Placeholders(*to.Text(key));
      for (const auto& p : mine) {
        if (!theirs.count(p)) {
          problems.push_back(key + ": " + std::string(to_name) + " lacks {" + p + "}");
        }
      }
      for (const auto& p : theirs) {
        if (!mine.count(p)) {
          problems.push_back(key + ": " + std::string(from_name) + " lacks {" + p + "}");
        }
      }
    }
  };
  one_way(a, a_name, b, b_name, true);
  one_way(b, b_name, a, a_name, false);  // keys only b has; placeholders were compared above
  return problems;
}

Result<Translations> Translations::Load(const std::string& root, std::string_view area,
                                        const std::vector<std::string>& languages) {
  if (languages.empty()) return Error::InvalidArgument("no languages to load");
  std::map<std::string, Catalog> by_language;
  for (const auto& lang : languages) {
    SC_ASSIGN_OR_RETURN(by_language[lang],
                        Catalog::LoadFile(root + "/" + lang + "/" + std::string(area) + ".json"));
  }
  return FromCatalogs(std::move(by_language));
}

Result<Translations> Translations::FromCatalogs(std::map<std::string, Catalog> by_language) {
  if (by_language.empty()) return Error::InvalidArgument("no catalogs");
  std::vector<std::string> problems;
  const auto& [first_lang, first] = *by_language.begin();
  for (const auto& [lang, catalog] : by_language) {
    if (lang == first_lang) continue;
    for (auto& p : ParityProblems(first, first_lang, catalog, lang)) problems.push_back(p);
  }
  if (!problems.empty()) {
    std::string msg = "message catalogs out of parity:";
    for (const auto& p : problems) msg += "\n  " + p;
    return Error::InvalidArgument(msg);
  }
  Translations t;
  for (auto& [lang, catalog] : by_language) t.catalogs_.emplace(lang, std::move(catalog));
  return t;
}

bool Translations::Supports(std::string_view language) const {
  return catalogs_.find(language) != catalogs_.end();
}

Result<std::string> Translations::Render(std::string_view language, std::string_view key,
                                         const Params& params) const {
  auto it = catalogs_.find(language);
  if (it == catalogs_.end()) {
    return Error::InvalidArgument("unsupported language " + std::string(language));
  }
  return it->second.Render(key, params);
}

Result<std::string> Translations::Text(std::string_view language, std::string_view key) const {
  auto it = catalogs_.find(language);
  if (it == catalogs_.end()) {
    return Error::InvalidArgument("unsupported language " + std::string(language));
  }
  return it->second.Text(key);
}

}  // namespace soundcheck::core::i18n
