#include "domain/directory/hsds_codec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/ascii.h"
#include "core/json_text.h"

namespace soundcheck::domain::directory {

namespace json = boost::json;
using core::Error;

namespace {

// Nestings the HSDS API uses that the object schemas do not list: organization_full carries
// its services, service_at_location_full its service.
struct ApiNesting {
  const char* parent;
  const char* field;
  const char* child;
  bool is_array;
};
constexpr ApiNesting kApiNestings[] = {
    {"organization", "services", "service", true},
    {"service_at_location", "service", "service", false},
};

const ApiNesting* FindApiNesting(std::string_view parent, std::string_view field) {
  for (const auto& n : kApiNestings) {
    if (parent == n.parent && field == n.field) return &n;
  }
  return nullptr;
}

std::string IdText(const json::object& object) {
  const auto* id = object.if_contains("id");
  return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
}

// Sets `field` to `value` unless it is already set; an existing different value is the
// data contradicting its own nesting.
void Link(json::object& object, const char* field, const std::string& value,
          const std::string& resource, const std::string& where, IssueList& issues) {
  auto* existing = object.if_contains(field);
  if (existing == nullptr || existing->is_null() ||
      (existing->is_string() && existing->get_string().empty())) {
    object[field] = value;
    return;
  }
  if (!existing->is_string() ||
      core::AsciiLower(existing->get_string()) != core::AsciiLower(value)) {
    issues.Add({where, resource, IdText(object), std::string("/") + field,
                "does not match the object it is nested in"});
  }
}

}  // namespace

std::string ResourceFromFileName(std::string_view file_name) {
  auto slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  auto dot = file_name.find('.');
  std::string stem(file_name.substr(0, dot));
  for (const char* suffix : {"_full", "_list"}) {
    const std::string s(suffix);
    if (stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0) {
      stem.resize(stem.size() - s.size());
    }
  }
  for (const char* known : {"service_at_location", "organization", "service", "location",
                            "taxonomy_term", "taxonomy"}) {
    if (stem == known) return stem;
  }
  return {};
}

std::string InferResource(const json::object& object) {
  auto has = [&](const char* key) { return object.contains(key); };
  if (has("location") || (has("service_id") && has("location_id")) ||
      (has("service") && object.at("service").is_object())) {
    return "service_at_location";
  }
  if (has("status")) return "service";
  if (has("location_type")) return "location";
  if (has("taxonomy_detail") || has("taxonomy_id") || has("term_uri") || has("code") ||
      has("parent_id")) {
    return "taxonomy_term";
  }
  if (has("services") || has("website") || has("tax_status") || has("legal_status") ||
      has("year_incorporated") || has("organization_identifiers") || has("locations") ||
      has("programs")) {
    return "organization";
  }
  return {};
}

void CanonicalizeNumbers(json::object& fields) {
  for (auto& [key, value] : fields) {
    if (value.is_uint64() &&
        value.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      value = static_cast<int64_t>(value.get_uint64());
    } else if (value.is_double()) {
      double d = value.get_double();
      if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) {
        value = static_cast<int64_t>(d);
      }
    }
  }
}

void CanonicalizeOrder(const ResourceSpec& spec, json::object& fields) {
  json::object ordered(fields.storage());
  ordered.reserve(fields.size());
  for (const auto& f : spec.fields) {
    if (auto* v = fields.if_contains(f.name)) ordered.emplace(f.name, std::move(*v));
  }
  for (auto& [key, value] : fields) {
    if (spec.Field(key) == nullptr) ordered.emplace(key, std::move(value));
  }
  fields = std::move(ordered);
}

core::Status Decomposer::Decompose(std::string_view resource, const json::object& object,
                                   const std::string& where, IssueList& issues,
                                   const RecordSink& sink) const {
  const ResourceSpec* spec = schema_.Find(resource);
  if (spec == nullptr) return Error::InvalidArgument("unknown HSDS type");
  return Visit(*spec, object, where, issues, sink);
}

core::Status Decomposer::Visit(const ResourceSpec& spec, json::object object,
                               const std::string& where, IssueList& issues,
                               const RecordSink& sink) const {
  const std::string id = core::AsciiLower(IdText(object));
  if (!id.empty()) object["id"] = id;
  // Children are emitted after their parent; embedded references (the organization of a
  // service) before it is emitted, because the parent needs their keys.
  std::vector<std::pair<const ResourceSpec*, json::object>> children;
  std::vector<std::string> nested_keys;
  for (auto& [key, value] : object) {
    const NestedSpec* nested = spec.Nested(key);
    const ApiNesting* api = nested == nullptr ? FindApiNesting(spec.name, key) : nullptr;
    if (nested == nullptr && api == nullptr) continue;
    nested_keys.emplace_back(key);
    const std::string child_name = nested != nullptr ? nested->resource : api->child;
    const bool is_array = nested != nullptr ? nested->is_array : api->is_array;
    const ResourceSpec* child = schema_.Find(child_name);
    if (child == nullptr || value.is_null()) continue;
    const std::string path = where + "/" + std::string(key);
    if (is_array) {
      if (!value.is_array()) continue;  // reported by validation
      auto& items = value.get_array();
      for (size_t i = 0; i < items.size(); ++i) {
        if (!items[i].is_object()) continue;
        json::object item = items[i].get_object();
        const std::string item_where = path + "/" + std::to_string(i);
        // The child points at its parent.
        if (child->name == "attribute") {
          Link(item, "link_id", id, child->name, item_where, issues);
          if (!item.contains("link_entity")) item["link_entity"] = spec.name;
        } else if (child->name == "metadata") {
          Link(item, "resource_id", id, child->name, item_where, issues);
          if (!item.contains("resource_type")) item["resource_type"] = spec.name;
        } else if (child->Field(spec.name + "_id") != nullptr) {
          Link(item, (spec.name + "_id").c_str(), id, child->name, item_where, issues);
        }
        children.emplace_back(child, std::move(item));
      }
    } else {
      if (!value.is_object()) continue;
      json::object embedded = value.get_object();
      // The parent points at the embedded object.
      const std::string key_field = child->name == "taxonomy" ? "taxonomy_id" : child->name + "_id";
      const std::string target = core::AsciiLower(IdText(embedded));
      if (!target.empty() && spec.Field(key_field) != nullptr) {
        Link(object, key_field.c_str(), target, spec.name, where, issues);
      }
      SC_RETURN_IF_ERROR(Visit(*child, std::move(embedded), path, issues, sink));
    }
  }
  for (const auto& key : nested_keys) object.erase(key);
  CanonicalizeNumbers(object);
  CanonicalizeOrder(spec, object);
  if (!id.empty()) SC_RETURN_IF_ERROR(sink(Record{spec.name, id, object}));
  for (auto& [child, item] : children) {
    SC_RETURN_IF_ERROR(Visit(*child, std::move(item), where, issues, sink));
  }
  return core::Ok();
}

namespace {

core::Status ReadOne(json::value value, std::string_view resource, const std::string& where,
                     const HsdsSchema& schema, IssueList& issues, const RecordSink& sink) {
  if (!value.is_object()) {
    issues.Add({where, std::string(resource), "", "", "must be an object"});
    return core::Ok();
  }
  std::string type(resource);
  if (type.empty()) type = InferResource(value.get_object());
  if (type.empty()) {
    issues.Add({where, "", IdText(value.get_object()), "",
                "cannot tell which HSDS object this is; name the type (--type)"});
    return core::Ok();
  }
  schema.CoerceNumbersToStrings(type, value);
  for (const auto& n : kApiNestings) {
    if (type != n.parent) continue;
    auto* child = value.get_object().if_contains(n.field);
    if (child == nullptr) continue;
    if (child->is_array()) {
      for (auto& item : child->get_array()) schema.CoerceNumbersToStrings(n.child, item);
    } else {
      schema.CoerceNumbersToStrings(n.child, *child);
    }
  }
  const size_t before = issues.total();
  schema.Validate(type, value, where, issues);
  // Nested API forms hold objects the schemas do not list; validate those too.
  const auto& object = value.get_object();
  for (const auto& n : kApiNestings) {
    if (type != n.parent) continue;
    const auto* child = object.if_contains(n.field);
    if (child == nullptr || child->is_null()) continue;
    const std::string path = where + "/" + n.field;
    if (n.is_array) {
      if (!child->is_array()) {
        issues.Add({where, type, IdText(object), std::string("/") + n.field, "must be an array"});
        continue;
      }
      for (size_t i = 0; i < child->get_array().size(); ++i) {
        schema.Validate(n.child, child->get_array()[i], path + "/" + std::to_string(i), issues);
      }
    } else {
      schema.Validate(n.child, *child, path, issues);
    }
  }
  if (issues.total() != before) return core::Ok();
  IssueList link_issues;
  std::vector<Record> records;
  SC_RETURN_IF_ERROR(
      Decomposer(schema).Decompose(type, object, where, link_issues, [&](Record r) -> core::Status {
        records.push_back(std::move(r));
        return core::Ok();
      }));
  if (!link_issues.empty()) {
    for (const auto& i : link_issues.issues()) issues.Add(i);
    return core::Ok();
  }
  for (auto& r : records) SC_RETURN_IF_ERROR(sink(std::move(r)));
  return core::Ok();
}

// The type a key of a tabular document names: the HSDS type ("organization"), its table
// ("organizations") or its file ("organizations.csv", as the official tabular.json has it).
const ResourceSpec* TabularSpec(const HsdsSchema& schema, std::string_view key) {
  if (const auto* spec = schema.Find(key)) return spec;
  if (key.size() > 4 && key.substr(key.size() - 4) == ".csv") key.remove_suffix(4);
  return schema.FindByTable(key);
}

bool IsPage(const json::object& object) {
  const auto* contents = object.if_contains("contents");
  return contents != nullptr && contents->is_array() && !object.contains("id");
}

// A tabular document has only keys naming HSDS object types, each holding an array.
bool IsTabular(const json::object& object, const HsdsSchema& schema) {
  if (object.empty()) return false;
  for (const auto& [key, value] : object) {
    if (!value.is_array()) return false;
    if (TabularSpec(schema, key) == nullptr) return false;
  }
  return true;
}

std::string ParseErrorText(const boost::system::error_code& ec) {
  return "is not valid JSON (" + ec.message() + ")";
}

}  // namespace

core::Status ReadJsonDocument(std::string_view text, std::string_view resource,
                              const std::string& where, const HsdsSchema& schema, IssueList& issues,
                              const RecordSink& sink) {
  boost::system::error_code ec;
  json::stream_parser parser;
  const size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    // Where the parser stopped, as a line number: enough to find a cut-off record.
    const auto line =
        1 + std::count(text.begin(), text.begin() + std::min(consumed, text.size()), '\n');
    issues.Add(
        {where + ":" + std::to_string(line), std::string(resource), "", "", ParseErrorText(ec)});
    return core::Ok();
  }
  json::value doc = parser.release();
  if (doc.is_array()) {
    const auto& items = doc.get_array();
    for (size_t i = 0; i < items.size(); ++i) {
      SC_RETURN_IF_ERROR(
          ReadOne(items[i], resource, where + " /" + std::to_string(i), schema, issues, sink));
    }
    return core::Ok();
  }
  if (!doc.is_object()) {
    issues.Add({where, std::string(resource), "", "", "must be an HSDS object or an array"});
    return core::Ok();
  }
  const auto& object = doc.get_object();
  if (IsPage(object)) {
    const auto& items = object.at("contents").get_array();
    for (size_t i = 0; i < items.size(); ++i) {
      SC_RETURN_IF_ERROR(ReadOne(items[i], resource, where + " /contents/" + std::to_string(i),
                                 schema, issues, sink));
    }
    return core::Ok();
  }
  if (resource.empty() && IsTabular(object, schema)) {
    for (const auto& [key, value] : object) {
      const ResourceSpec* spec = TabularSpec(schema, key);
      const auto& rows = value.get_array();
      for (size_t i = 0; i < rows.size(); ++i) {
        const std::string row_where = where + " /" + std::string(key) + "/" + std::to_string(i);
        if (!rows[i].is_object()) {
          issues.Add({row_where, spec->name, "", "", "must be an object"});
          continue;
        }
        json::value coerced = rows[i];
        schema.CoerceNumbersToStrings(spec->name, coerced);
        json::object record = std::move(coerced.get_object());
        const size_t before = issues.total();
        schema.ValidateFlat(spec->name, record, row_where, issues);
        if (issues.total() != before) continue;
        record["id"] = core::AsciiLower(IdText(record));
        CanonicalizeNumbers(record);
        CanonicalizeOrder(*spec, record);
        SC_RETURN_IF_ERROR(
            sink(Record{spec->name, core::AsciiLower(IdText(record)), std::move(record)}));
      }
    }
    return core::Ok();
  }
  return ReadOne(doc, resource, where, schema, issues, sink);
}

core::Status ReadNdjson(std::istream& in, std::string_view resource, const std::string& where,
                        const HsdsSchema& schema, IssueList& issues, const RecordSink& sink,
                        const std::function<void(uint64_t)>& progress) {
  std::string line;
  int64_t number = 0;
  uint64_t bytes = 0;
  while (std::getline(in, line)) {
    ++number;
    bytes += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string line_where = where + ":" + std::to_string(number);
    boost::system::error_code ec;
    json::value value = json::parse(line, ec);
    if (ec) {
      issues.Add({line_where, std::string(resource), "", "", ParseErrorText(ec)});
      continue;
    }
    SC_RETURN_IF_ERROR(ReadOne(value, resource, line_where, schema, issues, sink));
    if (progress && number % 64 == 0) progress(bytes);
  }
  if (progress) progress(bytes);
  return core::Ok();
}

int CsvReader::Get() {
  int c = in_.get();
  if (c != std::char_traits<char>::eof()) ++bytes_;
  return c;
}

core::Result<bool> CsvReader::Next(std::vector<std::string>& row) {
  constexpr int kEof = std::char_traits<char>::eof();
  row.clear();
  if (!started_) {
    started_ = true;
    // Skip a UTF-8 byte order mark, which spreadsheet programs like to write.
    if (in_.peek() == 0xEF) {
      char bom[3];
      in_.read(bom, 3);
      if (in_.gcount() != 3 || std::string_view(bom, 3) != "\xEF\xBB\xBF") {
        in_.clear();
        for (auto i = in_.gcount(); i > 0; --i) in_.unget();
      } else {
        bytes_ += 3;
      }
    }
  }
  int c = Get();
  if (c == kEof) return false;
  row_line_ = line_;
  std::string cell;
  for (;;) {
    if (c == '"') {
      if (!cell.empty()) {
        return Error::InvalidArgument("line " + std::to_string(line_) +
                                      ": a quote inside an unquoted field");
      }
      const int64_t opened = line_;
      for (;;) {
        c = Get();
        if (c == kEof) {
          return Error::InvalidArgument("line " + std::to_string(opened) +
                                        ": a quoted field is never closed (cut-off file?)");
        }
        if (c == '"') {
          if (in_.peek() == '"') {
            Get();
            cell += '"';
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        cell += static_cast<char>(c);
      }
      c = Get();
      if (c != ',' && c != '\n' && c != '\r' && c != kEof) {
        return Error::InvalidArgument("line " + std::to_string(line_) +
                                      ": text after a closing quote");
      }
      continue;  // `c` now holds the separator, handled below
    }
    if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      c = Get();
      continue;
    }
    if (c == '\r' || c == '\n' || c == kEof) {
      if (c == '\r' && in_.peek() == '\n') Get();
      if (c != kEof) ++line_;
      row.push_back(std::move(cell));
      return true;
    }
    cell += static_cast<char>(c);
    c = Get();
  }
}

namespace {

// A CSV cell as the field's JSON type. Returns false when the text is not of that type.
bool TypedCell(const FieldSpec* field, const std::string& text, json::value& out) {
  if (field == nullptr || field->type == FieldType::kString || field->type == FieldType::kAny) {
    out = json::string(text);
    return true;
  }
  if (field->type == FieldType::kNumber) {
    int64_t integer = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc() && p == text.data() + text.size()) {
      out = integer;
      return true;
    }
    double d = 0;
    auto [p2, ec2] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec2 != std::errc() || p2 != text.data() + text.size() || !std::isfinite(d)) return false;
    out = d;
    return true;
  }
  if (field->type == FieldType::kBoolean) {
    if (text == "true" || text == "TRUE" || text == "True") {
      out = true;
    } else if (text == "false" || text == "FALSE" || text == "False") {
      out = false;
    } else {
      return false;
    }
    return true;
  }
  // Arrays and objects do not appear as scalar fields of the tabular form; keep JSON text.
  boost::system::error_code ec;
  out = json::parse(text, ec);
  return !ec;
}

}  // namespace

core::Status ReadCsvTable(std::istream& in, std::string_view resource, const std::string& where,
                          const HsdsSchema& schema, IssueList& issues, const RecordSink& sink,
                          const std::function<void(uint64_t)>& progress) {
  const ResourceSpec* spec = schema.Find(resource);
  if (spec == nullptr) return Error::InvalidArgument("unknown HSDS type");
  CsvReader reader(in);
  std::vector<std::string> header;
  auto first = reader.Next(header);
  if (!first) {
    issues.Add({where, spec->name, "", "", first.error().message});
    return core::Ok();
  }
  if (!*first) return core::Ok();  // an empty file: no rows
  std::vector<const FieldSpec*> columns;
  for (const auto& name : header) {
    const FieldSpec* field = spec->Field(name);
    if (field == nullptr) {
      issues.Add({where + ":1", spec->name, "", "/" + name,
                  "is not a field of " + spec->name + " (its values would be lost)"});
    }
    columns.push_back(field);
  }
  if (std::find(header.begin(), header.end(), "id") == header.end()) {
    issues.Add({where + ":1", spec->name, "", "/id", "the header has no id column"});
    return core::Ok();
  }
  std::unordered_set<std::string> seen;
  std::vector<std::string> row;
  for (;;) {
    auto more = reader.Next(row);
    if (!more) {
      issues.Add({where, spec->name, "", "", more.error().message});
      return core::Ok();
    }
    if (!*more) break;
    const std::string row_where = where + ":" + std::to_string(reader.row_line());
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    json::object record;
    std::string id;
    for (size_t i = 0; i < row.size() && i < header.size(); ++i) {
      if (header[i] == "id") id = core::AsciiLower(row[i]);
    }
    if (row.size() != header.size()) {
      issues.Add({row_where, spec->name, IsUuid(id) ? id : "", "",
                  "has " + std::to_string(row.size()) + " fields; the header has " +
                      std::to_string(header.size()) + " (a broken quote or a cut-off row?)"});
      continue;
    }
    bool typed = true;
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].empty() || columns[i] == nullptr) continue;
      json::value value;
      if (!TypedCell(columns[i], row[i], value)) {
        issues.Add({row_where, spec->name, IsUuid(id) ? id : "", "/" + header[i],
                    std::string("must be ") +
                        (columns[i]->type == FieldType::kNumber ? "a number" : "true or false")});
        typed = false;
        continue;
      }
      record[header[i]] = std::move(value);
    }
    if (!typed) continue;
    const size_t before = issues.total();
    schema.ValidateFlat(spec->name, record, row_where, issues);
    if (issues.total() != before) continue;
    if (!seen.insert(id).second) {
      issues.Add({row_where, spec->name, id, "/id", "appears twice in this table"});
      continue;
    }
    record["id"] = id;
    CanonicalizeNumbers(record);
    CanonicalizeOrder(*spec, record);
    SC_RETURN_IF_ERROR(sink(Record{spec->name, id, std::move(record)}));
    if (progress && seen.size() % 1024 == 0) progress(reader.bytes_read());
  }
  if (progress) progress(reader.bytes_read());
  return core::Ok();
}

std::vector<std::string> CsvColumns(const ResourceSpec& spec) {
  std::vector<std::string> columns;
  for (const auto& f : spec.fields) columns.push_back(f.name);
  return columns;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& cell = cells[i];
    const bool quote = cell.find_first_of(",\"\r\n") != std::string::npos ||
                       (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
    if (!quote) {
      out += cell;
      continue;
    }
    out += '"';
    for (char c : cell) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

std::vector<std::string> CsvCells(const std::vector<std::string>& columns,
                                  const json::object& fields) {
  std::vector<std::string> cells;
  cells.reserve(columns.size());
  for (const auto& name : columns) {
    const auto* value = fields.if_contains(name);
    if (value == nullptr || value->is_null()) {
      cells.emplace_back();
    } else if (value->is_string()) {
      cells.emplace_back(value->get_string());
    } else if (value->is_number()) {
      cells.push_back(core::NumberText(*value));
    } else if (value->is_bool()) {
      cells.emplace_back(value->get_bool() ? "true" : "false");
    } else {
      cells.push_back(core::JsonText(*value));
    }
  }
  return cells;
}

std::string DataPackageFor(std::string_view official_datapackage,
                           const std::vector<std::string>& tables, const HsdsSchema& schema) {
  boost::system::error_code ec;
  json::value package = json::parse(official_datapackage, ec);
  if (ec || !package.is_object()) return "{}";
  auto& object = package.get_object();
  if (auto* resources = object.if_contains("resources"); resources && resources->is_array()) {
    json::array kept;
    for (auto& r : resources->get_array()) {
      const auto* path = r.is_object() ? r.get_object().if_contains("path") : nullptr;
      if (path == nullptr || !path->is_string()) continue;
      std::string stem(path->get_string());
      stem = stem.substr(0, stem.rfind('.'));
      if (std::find(tables.begin(), tables.end(), stem) == tables.end()) continue;
      const ResourceSpec* spec = schema.FindByTable(stem);
      auto* table_schema = r.get_object().if_contains("schema");
      if (spec != nullptr && table_schema != nullptr && table_schema->is_object()) {
        auto& fields = table_schema->get_object()["fields"];
        if (!fields.is_array()) fields = json::array();
        std::vector<std::string> declared;
        for (const auto& f : fields.get_array()) {
          if (f.is_object() && f.get_object().contains("name") && f.at("name").is_string()) {
            declared.emplace_back(f.at("name").get_string());
          }
        }
        for (const auto& field : spec->fields) {
          if (std::find(declared.begin(), declared.end(), field.name) != declared.end()) continue;
          json::object added{{"name", field.name},
                             {"type", field.type == FieldType::kNumber ? "number" : "string"}};
          if (field.format == "date-time") added["type"] = "datetime";
          if (field.format == "uuid" || field.format == "uri" || field.format == "email") {
            added["format"] = field.format;
          }
          fields.get_array().push_back(std::move(added));
        }
      }
      kept.push_back(r);
    }
    object["resources"] = std::move(kept);
  }
  return json::serialize(package);
}

}  // namespace soundcheck::domain::directory
