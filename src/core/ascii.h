// ASCII case folding, independent of the process locale: ids (UUIDs), codes and search
// words compare this way. Bytes outside A-Z, UTF-8 included, are left as they are.
#pragma once

#include <string>
#include <string_view>

namespace soundcheck::core {

inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace soundcheck::core
