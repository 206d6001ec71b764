#include "core/json_text.h"

#include <charconv>

namespace soundcheck::core {

namespace json = boost::json;

std::string NumberText(const json::value& number) {
  char buffer[64];
  std::to_chars_result r{};
  if (number.is_int64()) {
    r = std::to_chars(buffer, buffer + sizeof buffer, number.get_int64());
  } else if (number.is_uint64()) {
    r = std::to_chars(buffer, buffer + sizeof buffer, number.get_uint64());
  } else if (number.is_double()) {
    // The shortest form that reads back as the same double (std::to_chars' promise).
    r = std::to_chars(buffer, buffer + sizeof buffer, number.get_double());
  } else {
    return json::serialize(number);
  }
  return std::string(buffer, r.ptr);
}

void AppendJson(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        AppendJson(out, item);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        AppendJson(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      out += NumberText(value);
      return;
    default:
      out += json::serialize(value);
      return;
  }
}

std::string JsonText(const json::value& value) {
  std::string out;
  AppendJson(out, value);
  return out;
}

}  // namespace soundcheck::core
