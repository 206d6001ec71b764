// Reading and writing HSDS 3.1 data: the JSON forms (one object, an array, the API's Page
// wrapper, the tabular document), NDJSON streams and the CSV tables of a data package.
// Everything is turned into, or made from, `Record`s (record.h), validated as it goes.
//
// Pure functions over streams: files are opened by the caller, so tests and the fuzz
// harnesses feed bytes directly.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"
#include "domain/directory/hsds_schema.h"
#include "domain/directory/record.h"

namespace soundcheck::domain::directory {

// The HSDS object type a file holds, from its name as the official examples and HSDS API
// dumps name them ("service_full.json", "organization_list.json", "taxonomy_term.json").
// Empty when the name says nothing.
std::string ResourceFromFileName(std::string_view file_name);
// The HSDS object type of `object`, told by the fields only that type has. Empty when the
// object could be several types (then the caller must say which).
std::string InferResource(const boost::json::object& object);

// Splits nested objects into records. A child in an array gets the foreign key to its
// parent (a phone in a service gets `service_id`; an attribute gets `link_id` and
// `link_entity`); an embedded object (a service's organization) becomes its own record and
// the parent gets the key to it (`organization_id`). A key that is present but points
// elsewhere is an issue: the data contradicts itself.
class Decomposer {
 public:
  explicit Decomposer(const HsdsSchema& schema) : schema_(schema) {}
  // Emits every record in `object` (a `resource` in nested form, already validated).
  core::Status Decompose(std::string_view resource, const boost::json::object& object,
                         const std::string& where, IssueList& issues, const RecordSink& sink) const;

 private:
  core::Status Visit(const ResourceSpec& spec, boost::json::object object, const std::string& where,
                     IssueList& issues, const RecordSink& sink) const;
  const HsdsSchema& schema_;
};

// Numbers as the tabular form stores them: a whole double becomes an integer, so 12, 12.0
// and "12" in a CSV cell all compare equal.
void CanonicalizeNumbers(boost::json::object& fields);
// A record's fields in one order whatever form they came in: the schema's fields first, in
// the schema's order, then extension fields as they came. With CanonicalizeNumbers, the
// same object read from JSON, NDJSON or CSV is the same bytes when written out.
void CanonicalizeOrder(const ResourceSpec& spec, boost::json::object& fields);

// Reads one JSON document: a single object (of `resource`, or of the type its fields
// tell), an array of them, an HSDS `Page` ({"contents": [...]}), or a tabular document
// ({"service": [flat records], "organization": [...], ...} — what `export --format json`
// writes). Validates every object, reporting into `issues`, and sends the records of the
// valid ones to `sink`. Returns an error only when `sink` fails.
core::Status ReadJsonDocument(std::string_view text, std::string_view resource,
                              const std::string& where, const HsdsSchema& schema, IssueList& issues,
                              const RecordSink& sink);

// Reads NDJSON: one object per line (each of `resource`, or told by its fields). Blank
// lines are skipped; a line that is not JSON (a stream cut off mid-record) is an issue
// naming the line. `progress` (optional) is called with the bytes read so far.
core::Status ReadNdjson(std::istream& in, std::string_view resource, const std::string& where,
                        const HsdsSchema& schema, IssueList& issues, const RecordSink& sink,
                        const std::function<void(uint64_t)>& progress = {});

// An RFC 4180 CSV reader: quoted fields, doubled quotes, commas and line breaks inside
// quotes, CRLF or LF. A UTF-8 byte order mark at the start is skipped.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}
  // Reads the next row into `row`. Returns false at the end of input; kInvalidArgument
  // (naming the line) for a quote in the middle of an unquoted field, text after a closing
  // quote, or a quoted field still open at the end of the input.
  core::Result<bool> Next(std::vector<std::string>& row);
  // The line on which the row last returned started (1-based).
  int64_t row_line() const { return row_line_; }
  uint64_t bytes_read() const { return bytes_; }

 private:
  int Get();
  std::istream& in_;
  int64_t line_ = 1;
  int64_t row_line_ = 0;
  uint64_t bytes_ = 0;
  bool started_ = false;
};

// Reads one table of a data package: the header must name fields of `resource` (unknown
// columns are an issue: they would be lost), every row must have as many cells as the
// header, cells are typed by the schema (an empty cell is an absent field). Each row is
// validated in tabular form and sent to `sink`. Duplicate ids within the table are issues.
core::Status ReadCsvTable(std::istream& in, std::string_view resource, const std::string& where,
                          const HsdsSchema& schema, IssueList& issues, const RecordSink& sink,
                          const std::function<void(uint64_t)>& progress = {});

// The CSV columns of a resource: its scalar fields in the schema's order.
std::vector<std::string> CsvColumns(const ResourceSpec& spec);
// One CSV line (with CRLF, as RFC 4180 says) for `cells`, quoting where needed.
std::string CsvLine(const std::vector<std::string>& cells);
// A record's cells in `columns` order: strings as they are, numbers in their shortest form,
// booleans as true/false, anything else as compact JSON.
std::vector<std::string> CsvCells(const std::vector<std::string>& columns,
                                  const boost::json::object& fields);

// The data package descriptor for an export: the official descriptor with its resources
// limited to `tables` (the tables written), and every column we write declared. (The 3.1
// descriptor lists no fields for `unit` and two for `service_capacity`, a gap upstream fixed
// in 3.1.1; the missing ones are added from the object schemas.)
std::string DataPackageFor(std::string_view official_datapackage,
                           const std::vector<std::string>& tables, const HsdsSchema& schema);

}  // namespace soundcheck::domain::directory
