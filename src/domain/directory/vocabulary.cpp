#include "domain/directory/vocabulary.h"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

namespace soundcheck::domain::directory {

using core::Error;

namespace {

// kInvalidArgument for the field at JSON pointer `pointer`.
Error Bad(const std::string& pointer, const std::string& code, const std::string& what) {
  return Error::InvalidArgument("vocabulary: " + (pointer.empty() ? "/" : pointer) + " " + what,
                                {{pointer, code, what}});
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsLowerCaseUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsLowerHex(text[i])) return false;
  }
  return true;
}

// "care_type", "music_industry": lower-case letters, digits and underscores.
bool IsFacetName(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "individual-therapy", "cbt-i": lower-case letters, digits and hyphens.
bool IsTermName(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

core::Result<const boost::json::object*> RequiredObject(const boost::json::object& o,
                                                        std::string_view key,
                                                        const std::string& at) {
  const auto* v = o.if_contains(key);
  const std::string pointer = at + "/" + std::string(key);
  if (v == nullptr) return Bad(pointer, "required", "is required");
  if (!v->is_object()) return Bad(pointer, "invalid_type", "must be an object");
  return &v->as_object();
}

// A string field; `required` also rejects the empty string.
core::Result<std::string> StringField(const boost::json::object& o, std::string_view key,
                                      const std::string& at, bool required) {
  const auto* v = o.if_contains(key);
  const std::string pointer = at + "/" + std::string(key);
  if (v == nullptr) {
    if (required) return Bad(pointer, "required", "is required");
    return std::string();
  }
  if (!v->is_string()) return Bad(pointer, "invalid_type", "must be a string");
  std::string s(v->as_string());
  if (required && s.empty()) return Bad(pointer, "required", "must not be empty");
  return s;
}

core::Result<std::string> UuidField(const boost::json::object& o, std::string_view key,
                                    const std::string& at, bool required) {
  SC_ASSIGN_OR_RETURN(std::string s, StringField(o, key, at, required));
  if (!s.empty() && !IsLowerCaseUuid(s)) {
    return Bad(at + "/" + std::string(key), "invalid_format", "must be a lower-case UUID");
  }
  return s;
}

core::Result<Term> ParseTerm(const boost::json::value& v, const std::string& at,
                             const std::string& taxonomy_id) {
  if (!v.is_object()) return Bad(at, "invalid_type", "must be an object");
  const auto& o = v.as_object();
  Term t;
  SC_ASSIGN_OR_RETURN(t.id, UuidField(o, "id", at, true));
  SC_ASSIGN_OR_RETURN(t.code, StringField(o, "code", at, true));
  SC_ASSIGN_OR_RETURN(t.name, StringField(o, "name", at, true));
  SC_ASSIGN_OR_RETURN(t.description, StringField(o, "description", at, true));
  SC_ASSIGN_OR_RETURN(t.facet, StringField(o, "facet", at, true));
  SC_ASSIGN_OR_RETURN(t.kind, StringField(o, "kind", at, true));
  SC_ASSIGN_OR_RETURN(t.parent_id, UuidField(o, "parent_id", at, false));
  SC_ASSIGN_OR_RETURN(std::string own_taxonomy, UuidField(o, "taxonomy_id", at, false));
  if (!own_taxonomy.empty() && own_taxonomy != taxonomy_id) {
    return Bad(at + "/taxonomy_id", "invalid", "is not the vocabulary's taxonomy id");
  }
  if (t.kind != "group" && t.kind != "flag" && t.kind != "value") {
    return Bad(at + "/kind", "invalid", "must be group, flag or value");
  }
  if (!IsFacetName(t.facet)) {
    return Bad(at + "/facet", "invalid_format",
               "must be lower-case letters, digits and underscores");
  }
  if (t.kind == "group") {
    if (t.code != t.facet) {
      return Bad(at + "/code", "invalid_format", "of a group must equal its facet");
    }
  } else {
    const std::string prefix = t.facet + ":";
    if (t.code.compare(0, prefix.size(), prefix) != 0 ||
        !IsTermName(std::string_view(t.code).substr(prefix.size()))) {
      return Bad(at + "/code", "invalid_format",
                 "must be facet:term (the term's facet, then lower-case letters, digits and "
                 "hyphens)");
    }
  }
  if (t.parent_id == t.id) return Bad(at + "/parent_id", "invalid", "is the term itself");
  return t;
}

}  // namespace

core::Result<Vocabulary> Vocabulary::Parse(std::string_view json_text) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json_text, ec);
  if (ec) return Bad("", "invalid_json", "is not valid JSON: " + ec.message());
  if (!doc.is_object()) return Bad("", "invalid_type", "must be a JSON object");
  const auto& root = doc.as_object();

  Vocabulary vocab;
  SC_ASSIGN_OR_RETURN(const boost::json::object* tax, RequiredObject(root, "taxonomy", ""));
  SC_ASSIGN_OR_RETURN(vocab.taxonomy_.id, UuidField(*tax, "id", "/taxonomy", true));
  SC_ASSIGN_OR_RETURN(vocab.taxonomy_.name, StringField(*tax, "name", "/taxonomy", true));
  SC_ASSIGN_OR_RETURN(vocab.taxonomy_.description,
                      StringField(*tax, "description", "/taxonomy", true));
  SC_ASSIGN_OR_RETURN(vocab.taxonomy_.uri, StringField(*tax, "uri", "/taxonomy", false));
  SC_ASSIGN_OR_RETURN(vocab.taxonomy_.version, StringField(*tax, "version", "/taxonomy", false));

  SC_ASSIGN_OR_RETURN(const boost::json::object* unit, RequiredObject(root, "openings_unit", ""));
  UnitInfo& u = vocab.openings_unit_;
  SC_ASSIGN_OR_RETURN(u.id, UuidField(*unit, "id", "/openings_unit", true));
  SC_ASSIGN_OR_RETURN(u.name, StringField(*unit, "name", "/openings_unit", true));
  SC_ASSIGN_OR_RETURN(u.scheme, StringField(*unit, "scheme", "/openings_unit", false));
  SC_ASSIGN_OR_RETURN(u.identifier, StringField(*unit, "identifier", "/openings_unit", false));
  SC_ASSIGN_OR_RETURN(u.uri, StringField(*unit, "uri", "/openings_unit", false));

  const auto* terms = root.if_contains("terms");
  if (terms == nullptr) return Bad("/terms", "required", "is required");
  if (!terms->is_array()) return Bad("/terms", "invalid_type", "must be an array");
  const auto& list = terms->as_array();
  vocab.terms_.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = "/terms/" + std::to_string(i);
    SC_ASSIGN_OR_RETURN(Term term, ParseTerm(list[i], at, vocab.taxonomy_.id));
    if (term.id == vocab.taxonomy_.id || term.id == u.id || vocab.by_id_.count(term.id)) {
      return Bad(at + "/id", "duplicate", "repeats an id used earlier in the file");
    }
    if (vocab.by_code_.count(term.code)) {
      return Bad(at + "/code", "duplicate", "repeats the code " + term.code);
    }
    vocab.by_id_.emplace(term.id, i);
    vocab.by_code_.emplace(term.code, i);
    vocab.terms_.push_back(std::move(term));
  }

  // Parents exist and the hierarchy has no cycle; depth orders the emission.
  const size_t n = vocab.terms_.size();
  std::vector<size_t> depth(n, 0);
  for (size_t i = 0; i < n; ++i) {
    size_t steps = 0;
    for (const Term* t = &vocab.terms_[i]; !t->parent_id.empty(); ++steps) {
      auto it = vocab.by_id_.find(t->parent_id);
      if (it == vocab.by_id_.end()) {
        return Bad("/terms/" + std::to_string(i) + "/parent_id", "not_found",
                   "names a term that is not in the vocabulary");
      }
      if (steps > n) {
        return Bad("/terms/" + std::to_string(i) + "/parent_id", "invalid",
                   "is part of a cycle of parents");
      }
      t = &vocab.terms_[it->second];
    }
    depth[i] = steps;
  }
  vocab.emit_order_.resize(n);
  for (size_t i = 0; i < n; ++i) vocab.emit_order_[i] = i;
  std::stable_sort(vocab.emit_order_.begin(), vocab.emit_order_.end(),
                   [&](size_t a, size_t b) { return depth[a] < depth[b]; });
  return vocab;
}

const Term* Vocabulary::FindByCode(std::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &terms_[it->second];
}

const Term* Vocabulary::FindById(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &terms_[it->second];
}

std::vector<const Term*> Vocabulary::TermsOf(std::string_view facet, std::string_view kind) const {
  std::vector<const Term*> out;
  for (const Term& t : terms_) {
    if (t.facet == facet && t.kind == kind) out.push_back(&t);
  }
  return out;
}

core::Status Vocabulary::EmitRecords(const RecordSink& sink) const {
  {
    boost::json::object f;
    f["id"] = taxonomy_.id;
    f["name"] = taxonomy_.name;
    f["description"] = taxonomy_.description;
    if (!taxonomy_.uri.empty()) f["uri"] = taxonomy_.uri;
    if (!taxonomy_.version.empty()) f["version"] = taxonomy_.version;
    SC_RETURN_IF_ERROR(sink(Record{"taxonomy", taxonomy_.id, std::move(f)}));
  }
  for (size_t i : emit_order_) {
    const Term& t = terms_[i];
    boost::json::object f;
    f["id"] = t.id;
    f["code"] = t.code;
    f["name"] = t.name;
    f["description"] = t.description;
    if (!t.parent_id.empty()) f["parent_id"] = t.parent_id;
    f["taxonomy_id"] = taxonomy_.id;
    f["taxonomy"] = taxonomy_.name;
    SC_RETURN_IF_ERROR(sink(Record{"taxonomy_term", t.id, std::move(f)}));
  }
  boost::json::object f;
  f["id"] = openings_unit_.id;
  f["name"] = openings_unit_.name;
  if (!openings_unit_.scheme.empty()) f["scheme"] = openings_unit_.scheme;
  if (!openings_unit_.identifier.empty()) f["identifier"] = openings_unit_.identifier;
  if (!openings_unit_.uri.empty()) f["uri"] = openings_unit_.uri;
  return sink(Record{"unit", openings_unit_.id, std::move(f)});
}

}  // namespace soundcheck::domain::directory
