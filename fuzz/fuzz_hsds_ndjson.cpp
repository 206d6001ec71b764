// Fuzz harness: an NDJSON stream through ReadNdjson, the path of `directory import x.ndjson`
// and of streamed imports.
//
// The whole input is the stream. As in fuzz_hsds_json, the first byte picks the type hint:
// odd ('{') reads with no hint, even (a leading space or blank line) as "service".
//
// Invariants, for any input: no crash, undefined behaviour or leak; the reader never fails;
// every issue has a `where` and a message; every record is a valid tabular record with a
// lower-case UUID; progress only grows. Lines are independent, so each line is also read
// on its own: a line with an issue gives no record, and the whole stream gives exactly the
// lines' records in order and as many issues as the lines together.
#include <sstream>
#include <string>

#include "fuzz_common.h"

namespace {

namespace dir = soundcheck::domain::directory;
using soundcheck::fuzz::CheckIssues;
using soundcheck::fuzz::Outcome;
using soundcheck::fuzz::Progress;
using soundcheck::fuzz::Schema;

constexpr const char* kWhere = "fuzz.ndjson";

Outcome Read(std::string_view text, std::string_view hint) {
  Outcome out;
  std::istringstream in{std::string(text)};
  // ReadNdjson counts a newline after the last line even when there is none.
  Progress progress{text.size() + 1};
  auto status =
      dir::ReadNdjson(in, hint, kWhere, Schema(), out.issues, out.Sink(), progress.Callback());
  SC_FUZZ_CHECK(status.has_value(), status.error().message);
  CheckIssues(out.issues, kWhere);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = soundcheck::fuzz::Text(data, size);
  const std::string_view hint = size > 0 && data[0] % 2 == 0 ? "service" : "";
  Outcome whole = Read(text, hint);

  std::vector<dir::Record> records;
  size_t issues = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    Outcome line = Read(text.substr(start, end - start), hint);
    SC_FUZZ_CHECK(line.issues.empty() || line.records.empty(), "records from a line with issues");
    issues += line.issues.total();
    for (auto& r : line.records) records.push_back(std::move(r));
    start = end + 1;
  }
  SC_FUZZ_CHECK(whole.issues.total() == issues, "issues of the stream and of its lines");
  SC_FUZZ_CHECK(soundcheck::fuzz::SameRecords(whole.records, records),
                "records of the stream and of its lines");
  return 0;
}
