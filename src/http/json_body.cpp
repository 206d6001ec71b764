#include "http/json_body.h"

#include <boost/json/parse.hpp>

namespace soundcheck::http {

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
  return JsonBody(std::move(v.as_object()));
}

std::optional<std::string> JsonBody::String(const std::string& name, bool required,
                                            size_t max_len) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({"/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_string()) {
    only_missing_ = false;
    errors_.push_back({"/" + name, "invalid_type", "Expected a string."});
    return std::nullopt;
  }
  if (v->as_string().size() > max_len) {
    only_missing_ = false;
    errors_.push_back({"/" + name, "too_long", "This value is too long."});
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<bool> JsonBody::Bool(const std::string& name, bool required) {
  seen_.insert(name);
  auto* v = obj_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({"/" + name, "required", "This field is required."});
    return std::nullopt;
  }
  if (!v->is_bool()) {
    only_missing_ = false;
    errors_.push_back({"/" + name, "invalid_type", "Expected true or false."});
    return std::nullopt;
  }
  return v->as_bool();
}

core::Status JsonBody::Finish() {
  for (const auto& [k, v] : obj_) {
    if (!seen_.count(std::string(k))) {
      only_missing_ = false;
      errors_.push_back({"/" + std::string(k), "unknown_field", "This field is not recognised."});
    }
  }
  if (errors_.empty()) return core::Ok();
  if (only_missing_) {
    return Error::Unprocessable("missing fields", std::move(errors_));
  }
  return Error::InvalidArgument("bad fields", std::move(errors_))
      .WithDetail("Some fields are not recognised or have the wrong type; see errors.");
}

}  // namespace soundcheck::http
