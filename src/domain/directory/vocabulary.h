// Soundcheck's facet vocabulary (data/directory/vocabulary.json, docs/directory.md): the
// HSDS taxonomy "Soundcheck facets", its terms with fixed ids and `facet:term` codes, and
// the `openings` unit used by service capacities. Parsed once; lookups are pure and
// thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/directory/record.h"

namespace soundcheck::domain::directory {

// One term of the vocabulary. `facet` and `kind` are ours and never leave as HSDS fields.
struct Term {
  std::string id;    // fixed UUID, lower case
  std::string code;  // "facet" for a group, "facet:term" otherwise
  std::string name;
  std::string description;
  std::string facet;      // "care_type", "issue", ...
  std::string kind;       // "group" | "flag" | "value"
  std::string parent_id;  // empty for a top-level term
};

// The HSDS `taxonomy` object the terms belong to.
struct TaxonomyInfo {
  std::string id;
  std::string name;
  std::string description;
  std::string uri;      // optional
  std::string version;  // optional
};

// The HSDS `unit` object for service capacities ("openings").
struct UnitInfo {
  std::string id;
  std::string name;
  std::string scheme;      // optional
  std::string identifier;  // optional
  std::string uri;         // optional
};

class Vocabulary {
 public:
  // Parses and checks the vocabulary file's text. kInvalidArgument naming the first problem
  // (with a JSON pointer in `fields`): text that is not a JSON object, a missing or
  // non-string field, an id that is not a lower-case UUID, a duplicate id or code, a kind
  // other than group/flag/value, a code that does not match the term's facet and kind, a
  // term whose taxonomy_id is not the taxonomy's, a parent that does not exist or a cycle.
  static core::Result<Vocabulary> Parse(std::string_view json_text);

  const Term* FindByCode(std::string_view code) const;
  const Term* FindById(std::string_view id) const;
  // Every term, in the file's order.
  const std::vector<Term>& terms() const { return terms_; }
  // The terms of one facet with the given kind ("care_type", "flag"), in the file's order.
  std::vector<const Term*> TermsOf(std::string_view facet, std::string_view kind) const;

  const TaxonomyInfo& taxonomy() const { return taxonomy_; }
  const UnitInfo& openings_unit() const { return openings_unit_; }

  // Emits the HSDS records: the `taxonomy`, one `taxonomy_term` per term (parents before
  // their children; HSDS fields only: id, code, name, description, parent_id when set,
  // taxonomy_id, taxonomy = the taxonomy's name) and the `unit`. Stops at the sink's first
  // error and returns it.
  core::Status EmitRecords(const RecordSink& sink) const;

 private:
  TaxonomyInfo taxonomy_;
  UnitInfo openings_unit_;
  std::vector<Term> terms_;
  std::map<std::string, size_t, std::less<>> by_code_;
  std::map<std::string, size_t, std::less<>> by_id_;
  std::vector<size_t> emit_order_;  // parents first
};

}  // namespace soundcheck::domain::directory
