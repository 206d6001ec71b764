// The HSDS 3.1 object model, read from the official schema files at start, and validation
// of objects against it.
//
// The schemas are data (data/hsds/schema/, CC BY-SA 4.0, Open Referral), not code: a new
// HSDS point release is a file copy. Only what the schemas use is interpreted — type,
// properties, required, items, enum, format and relative $ref — and unknown fields are
// allowed, as HSDS intends for extensions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"

namespace soundcheck::domain::directory {

// One problem found in imported data, precise enough to fix the file: where the record is
// (file and line, or a JSON pointer into the document), which record, which field.
struct Issue {
  std::string where;      // "services.csv:12", "line 7", "/contents/3"
  std::string resource;   // HSDS object name
  std::string record_id;  // empty when the record has no usable id
  std::string field;      // JSON pointer within the record, e.g. "/phones/0/number"
  std::string message;    // what is wrong; never echoes the field's value
};

// Collects issues up to a limit, counting the rest, so a million broken rows cannot
// exhaust memory and the report still says how many there were.
class IssueList {
 public:
  IssueList() = default;
  explicit IssueList(size_t limit) : limit_(limit) {}
  void Add(Issue issue);
  const std::vector<Issue>& issues() const { return issues_; }
  size_t total() const { return total_; }
  bool empty() const { return total_ == 0; }

 private:
  size_t limit_ = 200;
  size_t total_ = 0;
  std::vector<Issue> issues_;
};

enum class FieldType { kString, kNumber, kBoolean, kArray, kObject, kAny };

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kAny;
  std::string format;               // "uuid", "uri", "email", "date", "date-time", "time" or ""
  std::vector<std::string> one_of;  // enum values, when the schema restricts them
};

// A field holding other HSDS objects: an array of children (phones of a service) or one
// embedded object (the organization of a service).
struct NestedSpec {
  std::string name;
  std::string resource;
  bool is_array = false;
};

// A foreign key of the tabular form: `field` holds the id of a `target` record.
struct ForeignKey {
  std::string field;
  std::string target;
};

struct ResourceSpec {
  std::string name;                   // "service_at_location"
  std::string table;                  // the tabular file stem, "service_at_location" / "services"
  std::vector<FieldSpec> fields;      // scalar fields, in the schema's order
  std::vector<NestedSpec> nested;     // object-valued fields
  std::vector<std::string> required;  // required in every form
  std::vector<std::string> tabular_required;
  std::vector<ForeignKey> foreign_keys;  // as declared by the datapackage

  const FieldSpec* Field(std::string_view field) const;
  const NestedSpec* Nested(std::string_view field) const;
};

class HsdsSchema {
 public:
  // `schemas`: file name ("service.json") → text, for every object schema; `datapackage`:
  // the tabular descriptor. kInvalidArgument names the file that does not parse or refers
  // to a schema that is not there.
  static core::Result<HsdsSchema> Load(const std::map<std::string, std::string>& schemas,
                                       std::string_view datapackage);

  const ResourceSpec* Find(std::string_view resource) const;
  // The resource whose tabular file stem is `table` ("services" → service).
  const ResourceSpec* FindByTable(std::string_view table) const;
  const std::vector<ResourceSpec>& resources() const { return resources_; }

  // Validates `value` as a `resource` object in nested form, children included. `where` is
  // where the object sits in its document ("service_full.json", "line 7"); a nested child's
  // issue gets `where` + its JSON pointer, its own type and id, and `field` relative to it.
  void Validate(std::string_view resource, const boost::json::value& value,
                const std::string& where, IssueList& issues) const;
  // Spreadsheet-made data often has a whole number where HSDS wants a string (an
  // identifier, a phone extension kept as text); such a number becomes its decimal text.
  // Everything else is left for validation to judge. Applies to nested objects too.
  void CoerceNumbersToStrings(std::string_view resource, boost::json::value& value) const;
  // Validates one flat record (tabular form): no nested fields are expected, and a required
  // embedded object is not required (only its key can be there).
  void ValidateFlat(std::string_view resource, const boost::json::object& record,
                    const std::string& where, IssueList& issues) const;

 private:
  void ValidateObject(const ResourceSpec& spec, const boost::json::object& object,
                      const std::string& where, bool flat, IssueList& issues) const;
  std::vector<ResourceSpec> resources_;
};

// True for the lower- or upper-case 8-4-4-4-12 hex form.
bool IsUuid(std::string_view text);
// Checks `text` against one of the formats HSDS uses. Unknown formats pass.
bool MatchesFormat(std::string_view format, std::string_view text);

}  // namespace soundcheck::domain::directory
