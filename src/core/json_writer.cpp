#include "core/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace soundcheck::core {
namespace {

// What each byte becomes inside a string: 0 as is, 'u' as \u00xx, else a backslash and
// this letter. The same table as boost::json's serializer.
constexpr std::array<char, 256> kEscape = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\t'] = 't';
  t['\n'] = 'n';
  t['\f'] = 'f';
  t['\r'] = 'r';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Whether any of the 8 bytes in `v` is below `n` (n <= 128): exact as a yes/no for the word
// (a borrow can only mark a byte above one that really is below n).
constexpr bool AnyBelow(uint64_t v, uint64_t n) { return ((v - kOnes * n) & ~v & kHighs) != 0; }

// Whether any of the 8 bytes needs escaping: a control character, '"' or '\'.
constexpr bool AnyToEscape(uint64_t v) {
  return AnyBelow(v, 0x20) || AnyBelow(v ^ (kOnes * '"'), 1) || AnyBelow(v ^ (kOnes * '\\'), 1);
}

}  // namespace

JsonWriter::JsonWriter(size_t capacity) { buffer_.resize(capacity < 16 ? 16 : capacity); }

void JsonWriter::Grow(size_t n) {
  // Doubling keeps the total copying linear in the text's length.
  size_t capacity = buffer_.size() * 2;
  if (capacity - size_ < n) capacity = size_ + n;
  buffer_.resize(capacity);
}

std::string JsonWriter::Take() {
  buffer_.resize(size_);
  size_ = 0;
  comma_ = false;
  return std::move(buffer_);
}

char* JsonWriter::Quoted(char* at, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  *at++ = '"';
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    // Eight plain bytes at a time: ids, codes and dates have nothing to escape. Whole words
    // only (one load each; assembling a shorter word byte by byte stalls the load).
    const size_t left = static_cast<size_t>(end - p);
    if (left >= 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      if (!AnyToEscape(v)) {
        std::memcpy(at, p, 8);
        at += 8;
        p += 8;
        continue;
      }
    } else if (text.size() >= 8) {
      // The last few bytes of a longer string: the word that ends with them.
      uint64_t v;
      std::memcpy(&v, end - 8, 8);
      if (!AnyToEscape(v)) {
        std::memcpy(at, p, left);
        at += left;
        break;
      }
    }
    const unsigned char c = static_cast<unsigned char>(*p++);
    const char esc = kEscape[c];
    if (esc == 0) {
      *at++ = static_cast<char>(c);
    } else if (esc == 'u') {
      const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      std::memcpy(at, u, 6);
      at += 6;
    } else {
      at[0] = '\\';
      at[1] = esc;
      at += 2;
    }
  }
  *at++ = '"';
  return at;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  char* at = Separated(Room(6 * key.size() + 4));
  at = Quoted(at, key);
  *at++ = ':';
  size_ = at - buffer_.data();
  comma_ = false;  // the value follows the colon directly
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  char* at = Separated(Room(6 * text.size() + 3));
  size_ = Quoted(at, text) - buffer_.data();
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view text) {
  char* at = Separated(Room(text.size() + 1));
  std::memcpy(at, text.data(), text.size());
  size_ = at + text.size() - buffer_.data();
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t number) {
  char* at = Separated(Room(24));
  size_ = std::to_chars(at, at + 22, number).ptr - buffer_.data();
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Double(double number) {
  // Ryu's d2s form, as boost::json writes it: the shortest digits that read back as the same
  // double, in scientific notation with an upper-case E and no '+' or leading zeros in the
  // exponent ("4.07E1", "1E-7", "0E0"). std::to_chars gives the same shortest digits.
  if (std::isnan(number)) return Raw("NaN");
  if (std::isinf(number)) return Raw(number < 0 ? "-Infinity" : "Infinity");
  if (number == 0) return Raw(std::signbit(number) ? "-0E0" : "0E0");
  char digits[40];
  const auto r =
      std::to_chars(digits, digits + sizeof digits, number, std::chars_format::scientific);
  const std::string_view text(digits, r.ptr - digits);  // "-4.07e+01"
  const size_t e = text.find('e');
  char* at = Separated(Room(text.size() + 1));
  std::memcpy(at, text.data(), e);
  at += e;
  *at++ = 'E';
  size_t i = e + 1;
  if (text[i] == '-') *at++ = '-';
  if (text[i] == '-' || text[i] == '+') ++i;
  while (i + 1 < text.size() && text[i] == '0') ++i;
  std::memcpy(at, text.data() + i, text.size() - i);
  size_ = at + (text.size() - i) - buffer_.data();
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) { return Raw(value ? "true" : "false"); }

JsonWriter& JsonWriter::Null() { return Raw("null"); }

JsonWriter& JsonWriter::Value(const boost::json::value& value) {
  namespace json = boost::json;
  switch (value.kind()) {
    case json::kind::object:
      BeginObject();
      for (const auto& member : value.get_object()) {
        Key(std::string_view(member.key().data(), member.key().size()));
        Value(member.value());
      }
      return EndObject();
    case json::kind::array:
      BeginArray();
      for (const auto& item : value.get_array()) Value(item);
      return EndArray();
    case json::kind::string: {
      const json::string& s = value.get_string();
      return String(std::string_view(s.data(), s.size()));
    }
    case json::kind::int64:
      return Int(value.get_int64());
    case json::kind::uint64: {
      char digits[24];
      const auto r = std::to_chars(digits, digits + sizeof digits, value.get_uint64());
      return Raw(std::string_view(digits, r.ptr - digits));
    }
    case json::kind::double_:
      return Double(value.get_double());
    case json::kind::bool_:
      return Bool(value.get_bool());
    case json::kind::null:
      return Null();
  }
  return *this;
}

}  // namespace soundcheck::core
