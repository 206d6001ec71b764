#include "core/json_body.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdint>

namespace soundcheck::core {

using core::Error;

core::Result<JsonBody> JsonBody::Parse(std::string_view body) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  auto v = boost::json::parse(body, ec, {}, opts);
  if (ec) {
    return Error::InvalidArgument("malformed json",
                                  {{"", "invalid_json", "The body is not valid JSON."}})
        .WithReason("malformed-json")
        .WithDetail("The request body is not valid JSON.");
  }
  if (!v.is_object()) {
    return Error::InvalidArgument("not an object",
                                  {{"", "invalid_type", "Expected a JSON object."}})
        .WithDetail("The request body must be a JSON object.");
  }
  return JsonBody(std::move(v.as_object()), "");
}

std::optional<std::string> JsonBody::String(const std::string& name, bool required,
                                            size_t max_len) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_string()) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type", "Expected a string."});
    return std::nullopt;
  }
  if (v->as_string().size() > max_len) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "too_long", "This value is too long."});
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<bool> JsonBody::Bool(const std::string& name, bool required) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_bool()) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type", "Expected true or false."});
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<double> JsonBody::Double(const std::string& name, bool required, double min,
                                       double max) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  double d = 0;
  if (v->is_double()) {
    d = v->get_double();
  } else if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type", "Expected a number."});
    return std::nullopt;
  }
  if (!(d >= min && d <= max)) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "out_of_range", "This number is out of range."});
    return std::nullopt;
  }
  return d;
}

void JsonBody::Reject(const std::string& name, std::string code, std::string message) {
  // A rejected field is accounted for: Finish does not report it a second time as unknown
  // when the caller rejected it without reading it (a field a body may not carry at all).
  seen_.insert(name);
  only_missing_ = false;
  errors_.push_back({prefix_ + "/" + name, std::move(code), std::move(message)});
}

bool JsonBody::IsNull(const std::string& name) const {
  auto* v = obj_.if_contains(name);
  return v && v->is_null();
}

bool JsonBody::Has(const std::string& name) const {
  auto* v = obj_.if_contains(name);
  return v && !v->is_null();
}

std::optional<int64_t> JsonBody::Int(const std::string& name, bool required, int64_t min,
                                     int64_t max) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_int64() && !v->is_uint64()) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type", "Expected a whole number."});
    return std::nullopt;
  }
  int64_t n = v->is_int64() ? v->as_int64()
                            : static_cast<int64_t>(std::min<uint64_t>(v->as_uint64(), INT64_MAX));
  if (n < min || n > max) {
    only_missing_ = false;
    errors_.push_back(
        {prefix_ + "/" + name, "out_of_range",
         "Use a number from " + std::to_string(min) + " to " + std::to_string(max) + "."});
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<int>> JsonBody::IntArray(const std::string& name, bool required,
                                                   size_t max_items) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_array() || v->as_array().size() > max_items) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type",
                       "Expected a list of at most " + std::to_string(max_items) + " numbers."});
    return std::nullopt;
  }
  std::vector<int> out;
  const auto& arr = v->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_int64() || arr[i].as_int64() < -1000 || arr[i].as_int64() > 1000) {
      only_missing_ = false;
      errors_.push_back({prefix_ + "/" + name + "/" + std::to_string(i), "invalid_type",
                         "Expected a whole number."});
      continue;
    }
    out.push_back(static_cast<int>(arr[i].as_int64()));
  }
  if (out.size() != arr.size()) return std::nullopt;
  return out;
}

std::optional<JsonBody> JsonBody::Object(const std::string& name, bool required) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_object()) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type", "Expected an object."});
    return std::nullopt;
  }
  return JsonBody(v->as_object(), prefix_ + "/" + name);
}

std::optional<std::vector<std::string>> JsonBody::StringArray(const std::string& name,
                                                              bool required, size_t max_items,
                                                              size_t max_len) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) Require(name);
    return std::nullopt;
  }
  if (!v->is_array() || v->as_array().size() > max_items) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type",
                       "Expected a list of at most " + std::to_string(max_items) + " items."});
    return std::nullopt;
  }
  std::vector<std::string> out;
  const auto& arr = v->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string() || arr[i].as_string().size() > max_len) {
      only_missing_ = false;
      errors_.push_back({prefix_ + "/" + name + "/" + std::to_string(i), "invalid_type",
                         "Expected a short text."});
      continue;
    }
    out.emplace_back(arr[i].as_string());
  }
  if (out.size() != arr.size()) return std::nullopt;
  return out;
}

std::vector<JsonBody> JsonBody::ObjectArray(const std::string& name, bool required,
                                            size_t max_items) {
  seen_.insert(name);
  std::vector<JsonBody> out;
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) Require(name);
    return out;
  }
  if (!v->is_array() || v->as_array().size() > max_items) {
    only_missing_ = false;
    errors_.push_back({prefix_ + "/" + name, "invalid_type",
                       "Expected a list of at most " + std::to_string(max_items) + " objects."});
    return out;
  }
  const auto& arr = v->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    std::string path = prefix_ + "/" + name + "/" + std::to_string(i);
    if (!arr[i].is_object()) {
      only_missing_ = false;
      errors_.push_back({path, "invalid_type", "Expected an object."});
      continue;
    }
    out.push_back(JsonBody(arr[i].as_object(), path));
  }
  return out;
}

void JsonBody::Require(const std::string& name) {
  seen_.insert(name);
  errors_.push_back({prefix_ + "/" + name, "required", "This field is required."});
}

void JsonBody::CollectUnknown() {
  for (const auto& [k, v] : obj_) {
    if (!seen_.count(std::string(k))) {
      only_missing_ = false;
      errors_.push_back(
          {prefix_ + "/" + std::string(k), "unknown_field", "This field is not recognised."});
      seen_.insert(std::string(k));
    }
  }
}

void JsonBody::Merge(JsonBody&& child) {
  child.CollectUnknown();
  only_missing_ = only_missing_ && child.only_missing_;
  for (auto& e : child.errors_) errors_.push_back(std::move(e));
}

core::Status JsonBody::Finish() {
  CollectUnknown();
  if (errors_.empty()) return core::Ok();
  if (only_missing_) {
    return Error::Unprocessable("missing fields", std::move(errors_));
  }
  return Error::InvalidArgument("bad fields", std::move(errors_))
      .WithDetail("Some fields are not recognised or have the wrong type; see errors.");
}

}  // namespace soundcheck::core
