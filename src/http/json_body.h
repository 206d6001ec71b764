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

namespace soundcheck::http {

class JsonBody {
 public:
  // kInvalidArgument when the body is not a JSON object (or over `max_depth` nesting).
  static core::Result<JsonBody> Parse(std::string_view body);

  std::optional<std::string> String(const std::string& name, bool required, size_t max_len = 10000);
  std::optional<bool> Bool(const std::string& name, bool required);

  // Ok when every field was known and well-typed; otherwise kInvalidArgument for unknown
  // fields / wrong types (400) — or kUnprocessable when only required fields are missing.
  core::Status Finish();

 private:
  explicit JsonBody(boost::json::object o) : obj_(std::move(o)) {}
  boost::json::object obj_;
  std::set<std::string> seen_;
  std::vector<core::FieldError> errors_;
  bool only_missing_ = true;
};

}  // namespace soundcheck::http
