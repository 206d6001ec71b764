// Fuzz harness: one CSV table of a data package through ReadCsvTable (the path of
// `directory import datapackage/`), and the bytes through CsvReader alone.
//
// The first byte picks the HSDS type (modulo the 24 types, in the schema's alphabetical
// order: 16 = service, 0 = accessibility); the rest is the CSV text.
//
// Invariants, for any input: no crash, undefined behaviour or leak; the reader never fails;
// every issue has a `where` and a message; every record is a valid tabular record with a
// lower-case UUID; progress only grows and stays within the input; CsvLine(row) read back
// by CsvReader is the same row, for every row read. Rows are independent but for duplicate
// ids, so each row is also read on its own under the header: a row with an issue gives no
// record, and the whole table gives exactly the rows' records, in order, less repeated ids.
#include <set>
#include <sstream>
#include <string>

#include "fuzz_common.h"

namespace {

namespace dir = soundcheck::domain::directory;
using soundcheck::fuzz::CheckIssues;
using soundcheck::fuzz::Outcome;
using soundcheck::fuzz::Progress;
using soundcheck::fuzz::Schema;

constexpr const char* kWhere = "fuzz.csv";
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr size_t kMaxRows = 4096;

// Every row CsvReader gives for `text`, up to the first error.
std::vector<std::vector<std::string>> Rows(std::string_view text) {
  std::istringstream in{std::string(text)};
  dir::CsvReader reader(in);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  int64_t last_line = 0;
  while (rows.size() < kMaxRows) {
    auto more = reader.Next(row);
    SC_FUZZ_CHECK(reader.bytes_read() <= text.size(), "CsvReader read beyond the input");
    if (!more) {
      SC_FUZZ_CHECK(!more.error().message.empty(), "an error without a message");
      break;
    }
    if (!*more) break;
    SC_FUZZ_CHECK(!row.empty(), "a row with no cell");
    SC_FUZZ_CHECK(reader.row_line() > last_line, "row lines do not grow");
    last_line = reader.row_line();
    rows.push_back(row);
  }
  return rows;
}

// CsvLine's output read back is the same row, and nothing else. CsvReader drops one byte
// order mark at the start of a file (as spreadsheets write one), so one goes in front: then
// a row whose first cell itself starts with U+FEFF comes back whole too.
void CheckRoundTrip(const std::vector<std::string>& row) {
  const std::string line = dir::CsvLine(row);
  auto after_bom = Rows(std::string(kBom) + line);
  SC_FUZZ_CHECK(after_bom.size() == 1 && after_bom[0] == row, line);
  // After another line, as every row of an export comes after its header.
  auto second = Rows("x\r\n" + line);
  SC_FUZZ_CHECK(second.size() == 2 && second[1] == row, line);
  // Alone at the start of a file, twice; a leading U+FEFF would be taken for a byte order
  // mark there, which an export never writes (its first line is the header).
  if (soundcheck::fuzz::StartsWith(row[0], kBom)) return;
  auto twice = Rows(line + line);
  SC_FUZZ_CHECK(twice.size() == 2 && twice[0] == row && twice[1] == row, line);
}

Outcome Read(std::string_view text, const std::string& resource) {
  Outcome out;
  std::istringstream in{std::string(text)};
  Progress progress{text.size()};
  auto status = dir::ReadCsvTable(in, resource, kWhere, Schema(), out.issues, out.Sink(),
                                  progress.Callback());
  SC_FUZZ_CHECK(status.has_value(), status.error().message);
  CheckIssues(out.issues, kWhere);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& resources = Schema().resources();
  const std::string resource = resources[data[0] % resources.size()].name;
  const std::string_view text = soundcheck::fuzz::Text(data + 1, size - 1);

  // CsvReader alone.
  const auto rows = Rows(text);
  for (const auto& row : rows) CheckRoundTrip(row);

  // The table, whole.
  Outcome whole = Read(text, resource);
  if (rows.empty() || rows.size() >= kMaxRows) return 0;

  // Each row alone under the header, written back with CsvLine (after a byte order mark, so
  // a header that itself starts with one is kept).
  const std::string header = std::string(kBom) + dir::CsvLine(rows[0]);
  const std::string header_where = std::string(kWhere) + ":1";
  std::vector<dir::Record> expected;
  std::set<std::string> seen;
  for (size_t i = 1; i < rows.size(); ++i) {
    Outcome one = Read(header + dir::CsvLine(rows[i]), resource);
    SC_FUZZ_CHECK(one.records.size() <= 1, "records from one row");
    bool row_issue = false;
    for (const auto& issue : one.issues.issues()) row_issue |= issue.where != header_where;
    SC_FUZZ_CHECK(!row_issue || one.records.empty(), "a record from a row with issues");
    for (auto& r : one.records) {
      if (seen.insert(r.id).second) expected.push_back(std::move(r));
    }
  }
  SC_FUZZ_CHECK(soundcheck::fuzz::SameRecords(whole.records, expected),
                "records of the table and of its rows");
  return 0;
}
