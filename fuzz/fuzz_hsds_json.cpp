// Fuzz harness: one JSON document through ReadJsonDocument, the path of
// `soundcheck directory import file.json` and of the import API.
//
// The whole input is the document. Its first byte picks the type hint: odd (as '{' and '['
// are) reads with no hint, so the type is told by the fields; even (a leading space or
// newline) reads everything as a "service", as `--type service` does.
//
// Invariants, for any input: no crash, undefined behaviour or leak; the reader never fails
// (only a failing sink may make it); every issue has a `where` and a message; every record
// is a valid tabular record with a lower-case UUID; and no record comes out of an object
// that produced an issue. For that last one each object of an array, page or tabular
// document is read again on its own (as a one-element document), where any issue must
// mean no record at all.
#include <string>

#include "fuzz_common.h"

namespace {

namespace json = boost::json;
namespace dir = soundcheck::domain::directory;
using soundcheck::fuzz::CheckIssues;
using soundcheck::fuzz::Outcome;
using soundcheck::fuzz::Schema;

constexpr const char* kWhere = "fuzz.json";

Outcome Read(std::string_view text, std::string_view hint) {
  Outcome out;
  auto status = dir::ReadJsonDocument(text, hint, kWhere, Schema(), out.issues, out.Sink());
  SC_FUZZ_CHECK(status.has_value(), status.error().message);
  CheckIssues(out.issues, kWhere);
  return out;
}

// A document holding one object: an issue means nothing was imported from it.
void ReadAlone(std::string_view text, std::string_view hint) {
  Outcome out = Read(text, hint);
  SC_FUZZ_CHECK(out.issues.empty() || out.records.empty(), text);
}

// The same test as the reader's: a key naming an HSDS type or table, holding an array.
bool IsTabular(const json::object& object) {
  if (object.empty()) return false;
  for (const auto& [key, value] : object) {
    if (!value.is_array()) return false;
    std::string_view name = key;
    if (Schema().Find(name) != nullptr) continue;
    if (name.size() > 4 && name.substr(name.size() - 4) == ".csv") name.remove_suffix(4);
    if (Schema().FindByTable(name) == nullptr) return false;
  }
  return true;
}

std::string OneElementArray(const json::value& item) {
  std::string text = "[";
  text += json::serialize(item);
  text += ']';
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = soundcheck::fuzz::Text(data, size);
  const std::string_view hint = size > 0 && data[0] % 2 == 0 ? "service" : "";
  Outcome whole = Read(text, hint);

  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) {
    // Not JSON: one issue (naming the line), nothing imported.
    SC_FUZZ_CHECK(whole.records.empty(), "records from a document that does not parse");
    SC_FUZZ_CHECK(whole.issues.total() == 1, "parse errors");
    return 0;
  }
  if (doc.is_array()) {
    for (const auto& item : doc.get_array()) ReadAlone(OneElementArray(item), hint);
    return 0;
  }
  if (!doc.is_object()) {
    SC_FUZZ_CHECK(whole.records.empty() && whole.issues.total() == 1, "a scalar document");
    return 0;
  }
  const auto& object = doc.get_object();
  const auto* contents = object.if_contains("contents");
  if (contents != nullptr && contents->is_array() && !object.contains("id")) {
    for (const auto& item : contents->get_array()) ReadAlone(OneElementArray(item), hint);
    return 0;
  }
  if (hint.empty() && IsTabular(object)) {
    for (const auto& [key, rows] : object) {
      for (const auto& row : rows.get_array()) {
        json::object one;
        one[key] = json::array{row};
        ReadAlone(json::serialize(one), hint);
      }
    }
    return 0;
  }
  // A single object: the whole call is the one-object read.
  SC_FUZZ_CHECK(whole.issues.empty() || whole.records.empty(),
                "records from an object with issues");
  return 0;
}
