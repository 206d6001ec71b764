// Strict JSON request decoding: a body must be one JSON object, every field is checked for
// its type, and unknown fields are errors (a typo must not be silently ignored). Problems
// are collected as field errors with JSON-Pointer paths.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace soundcheck::core {

class JsonBody {
 public:
  // kInvalidArgument when the body is not a JSON object (or over `max_depth` nesting).
  static core::Result<JsonBody> Parse(std::string_view body);
  // An object already parsed (a document stored earlier), decoded under the same rules.
  static JsonBody Of(boost::json::object object) { return JsonBody(std::move(object), ""); }

  std::optional<std::string> String(const std::string& name, bool required, size_t max_len = 10000);
  std::optional<bool> Bool(const std::string& name, bool required);
  std::optional<int64_t> Int(const std::string& name, bool required, int64_t min, int64_t max);
  // A finite number (integer or decimal) within [min, max].
  std::optional<double> Double(const std::string& name, bool required, double min, double max);
  // An array of integers (each checked to be an integer; ranges are the domain's business).
  std::optional<std::vector<int>> IntArray(const std::string& name, bool required,
                                           size_t max_items = 100);
  std::optional<std::vector<std::string>> StringArray(const std::string& name, bool required,
                                                      size_t max_items, size_t max_len = 200);
  // Each element of an array of objects, decoded with the same rules; Merge() each one.
  std::vector<JsonBody> ObjectArray(const std::string& name, bool required, size_t max_items);
  // Records that a required field is missing.
  void Require(const std::string& name);
  // Records a problem with a field (a value outside a closed set, a date that does not
  // exist, a field this body may not carry): `code` is machine-readable, `message` safe to
  // show. The field then counts as known, read or not: it is reported once.
  void Reject(const std::string& name, std::string code, std::string message);
  // A nested object, decoded with the same rules; call Merge() when done with it.
  std::optional<JsonBody> Object(const std::string& name, bool required);
  // Takes over a nested object's problems (including its unknown fields).
  void Merge(JsonBody&& child);
  // The object this body decodes, as it was given (for a caller that keeps it whole).
  const boost::json::object& object() const { return obj_; }
  // True when `name` is present and not null.
  bool Has(const std::string& name) const;
  // True when `name` is present and null.
  bool IsNull(const std::string& name) const;

  // Ok when every field was known and well-typed; otherwise kInvalidArgument for unknown
  // fields / wrong types (400) — or kUnprocessable when only required fields are missing.
  core::Status Finish();

 private:
  JsonBody(boost::json::object o, std::string prefix)
      : obj_(std::move(o)), prefix_(std::move(prefix)) {}
  void CollectUnknown();
  boost::json::object obj_;
  std::string prefix_;  // JSON Pointer of this object within the body ("" at the top)
  std::set<std::string> seen_;
  std::vector<core::FieldError> errors_;
  bool only_missing_ = true;
};

}  // namespace soundcheck::core
