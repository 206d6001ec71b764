// A JSON writer that writes straight into one growing buffer: no document is built and
// nothing is allocated but the buffer itself. For answers written once and sent (the finder,
// a case's matches), where building a boost::json document of small strings and then
// serializing it cost more than finding the answer.
//
// The text is byte for byte what boost::json::serialize writes for the same values in the
// same order: the same string escaping (`"`, `\`, \b \t \n \f \r, other control characters
// as \u00xx; everything else, UTF-8 included, as is) and the same numbers (integers in
// decimal, doubles in Ryu's shortest form, "5.15E1"). So a reader, a test or a cache cannot
// tell which of the two wrote it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace soundcheck::core {

// Usage: w.BeginObject().Key("score").Int(3).Key("tags").BeginArray().String("a").EndArray()
// .EndObject(); then Take() the text. Commas are placed by the writer; the caller keeps the
// nesting right (a key before each member value, every Begin closed by its End). Not
// thread-safe.
class JsonWriter {
 public:
  // `capacity`: the bytes to make room for at once (the expected size of the text; the buffer
  // doubles when it runs out).
  explicit JsonWriter(size_t capacity = 256);

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // A member's name; its value comes next.
  JsonWriter& Key(std::string_view key);
  // The same for a name written in the code: inline, so the compiler sees the literal and
  // folds away the search for bytes to escape (keys are most of an answer's small writes).
  // Any other char array is read as a C string, up to its NUL.
  template <size_t N>
  JsonWriter& Key(const char (&key)[N]) {
    const std::string_view name(key);
    if (!Plain(name)) return Key(name);
    char* at = Separated(Room(name.size() + 4));
    *at++ = '"';
    std::memcpy(at, name.data(), name.size());
    at += name.size();
    *at++ = '"';
    *at++ = ':';
    size_ = at - buffer_.data();
    comma_ = false;
    return *this;
  }

  JsonWriter& String(std::string_view text);
  JsonWriter& Int(int64_t number);
  JsonWriter& Double(double number);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A boost::json value of any kind, as boost::json::serialize writes it.
  JsonWriter& Value(const boost::json::value& value);

  // The text written so far.
  std::string_view text() const { return {buffer_.data(), size_}; }
  // The text written, moved out; the writer is empty afterwards.
  std::string Take();

 private:
  // Room for `n` more bytes at the end; returns where they go. Writers then set size_.
  char* Room(size_t n) {
    if (buffer_.size() - size_ < n) Grow(n);
    return buffer_.data() + size_;
  }
  void Grow(size_t n);
  // A comma first when a value was just completed.
  char* Separated(char* at) {
    if (comma_) *at++ = ',';
    return at;
  }
  JsonWriter& Open(char bracket) {
    char* at = Separated(Room(2));
    *at++ = bracket;
    size_ = at - buffer_.data();
    comma_ = false;
    return *this;
  }
  JsonWriter& Close(char bracket) {
    *Room(1) = bracket;
    ++size_;
    comma_ = true;
    return *this;
  }
  // Whether no byte of `text` needs escaping.
  static constexpr bool Plain(std::string_view text) {
    for (const char c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') return false;
    }
    return true;
  }
  // Writes `text` quoted and escaped at `at` (room for 6 bytes per byte of text and 2 quotes
  // already made); returns the end.
  static char* Quoted(char* at, std::string_view text);
  JsonWriter& Raw(std::string_view text);

  // Sized to its capacity: bytes past size_ are room, not text.
  std::string buffer_;
  size_t size_ = 0;
  // A value was just completed, so the next key or array element needs a comma first.
  bool comma_ = false;
};

}  // namespace soundcheck::core
