// Shared by the HSDS fuzz harnesses: the shipped schema (loaded once), the invariants every
// import must keep whatever bytes it is given, and a check that aborts so libFuzzer (or the
// replay runner) stops on the input that broke one. See fuzz/README.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/directory/hsds_codec.h"
#include "domain/directory/testing/hsds_files.h"

#define SC_FUZZ_CHECK(cond, detail)                                           \
  do {                                                                        \
    if (!(cond)) ::soundcheck::fuzz::Fail(#cond, detail, __FILE__, __LINE__); \
  } while (0)

namespace soundcheck::fuzz {

namespace dir = domain::directory;

[[noreturn]] inline void Fail(const char* condition, std::string_view detail, const char* file,
                              int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s [%.*s]\n", file, line, condition,
               static_cast<int>(std::min<size_t>(detail.size(), 500)), detail.data());
  std::abort();
}

// The schema the server ships (data/hsds/), read once per process.
inline const dir::HsdsSchema& Schema() { return dir::testing::ShippedSchema(); }

inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Every issue says where (starting with the name the caller gave) and what.
inline void CheckIssues(const dir::IssueList& issues, std::string_view where) {
  SC_FUZZ_CHECK(issues.issues().size() <= issues.total(), "issue count");
  for (const auto& issue : issues.issues()) {
    SC_FUZZ_CHECK(!issue.where.empty(), issue.message);
    SC_FUZZ_CHECK(StartsWith(issue.where, where), issue.where);
    SC_FUZZ_CHECK(!issue.message.empty(), issue.where);
  }
}

// Whether every number in `value` is finite. JSON has no NaN or infinity, but boost::json
// reads 1e999 as infinity and 0e999 as NaN; a record holding one would be stored and
// exported as text that is not JSON ("inf", "nan").
inline bool AllFinite(const boost::json::value& value) {
  if (value.is_double()) return std::isfinite(value.get_double());
  if (value.is_array()) {
    for (const auto& item : value.get_array()) {
      if (!AllFinite(item)) return false;
    }
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.get_object()) {
      if (!AllFinite(item)) return false;
    }
  }
  return true;
}

// What every record sent to a sink must be: a known HSDS type, a lower-case UUID that is also
// its "id" field, valid in tabular form (so nothing nested is left inside it), and JSON
// (finite numbers only).
inline void CheckRecord(const dir::Record& record) {
  SC_FUZZ_CHECK(!record.resource.empty(), record.id);
  SC_FUZZ_CHECK(!record.id.empty(), record.resource);
  SC_FUZZ_CHECK(Schema().Find(record.resource) != nullptr, record.resource);
  SC_FUZZ_CHECK(dir::IsUuid(record.id), record.id);
  for (char c : record.id) SC_FUZZ_CHECK(!(c >= 'A' && c <= 'Z'), record.id);
  const auto* id = record.fields.if_contains("id");
  SC_FUZZ_CHECK(id != nullptr && id->is_string() && id->get_string() == record.id, record.id);
  SC_FUZZ_CHECK(AllFinite(record.fields), record.resource + " " + record.id);
  dir::IssueList flat;
  Schema().ValidateFlat(record.resource, record.fields, "record", flat);
  SC_FUZZ_CHECK(flat.empty(), flat.issues().empty()
                                  ? record.resource
                                  : record.resource + " " + flat.issues()[0].field + " " +
                                        flat.issues()[0].message);
}

// Whether two lists of records are the same, compared as text so that a NaN (should one
// get through) equals itself.
inline bool SameRecords(const std::vector<dir::Record>& a, const std::vector<dir::Record>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].resource != b[i].resource || a[i].id != b[i].id ||
        boost::json::serialize(a[i].fields) != boost::json::serialize(b[i].fields)) {
      return false;
    }
  }
  return true;
}

// What one call of a reader produced. The sink checks each record as it arrives.
struct Outcome {
  dir::IssueList issues;
  std::vector<dir::Record> records;

  dir::RecordSink Sink() {
    return [this](dir::Record record) -> core::Status {
      CheckRecord(record);
      records.push_back(std::move(record));
      return core::Ok();
    };
  }
};

// A progress callback that checks the byte counts it is given only grow and stay within
// `limit`.
struct Progress {
  uint64_t limit = 0;
  uint64_t last = 0;

  std::function<void(uint64_t)> Callback() {
    return [this](uint64_t bytes) {
      SC_FUZZ_CHECK(bytes >= last, "progress went backwards");
      SC_FUZZ_CHECK(bytes <= limit, "progress beyond the input");
      last = bytes;
    };
  }
};

}  // namespace soundcheck::fuzz
