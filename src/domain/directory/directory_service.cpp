#include "domain/directory/directory_service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/ascii.h"
#include "core/json_text.h"
#include "domain/directory/hsds_codec.h"
#include "domain/directory/import_queue.h"
#include "domain/events/events.h"

namespace soundcheck::domain::directory {

namespace json = boost::json;
using core::Error;

namespace {

// The (type, id) pairs met so far in one import, as 128-bit hashes in an open-addressing
// table: 16 bytes per record, so a four-million-record import stays well under 200 MB
// where a std::set of strings would take a gigabyte.
class SeenSet {
 public:
  // Returns true when the key was already there.
  bool Insert(std::string_view resource, std::string_view id) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const Key key = Hash(resource, id);
    size_t i = key.a & (slots_.size() - 1);
    for (;;) {
      Key& slot = slots_[i];
      if (slot.a == 0 && slot.b == 0) {
        slot = key;
        ++size_;
        return false;
      }
      if (slot.a == key.a && slot.b == key.b) return true;
      i = (i + 1) & (slots_.size() - 1);
    }
  }

 private:
  struct Key {
    uint64_t a = 0;
    uint64_t b = 0;
  };
  static Key Hash(std::string_view resource, std::string_view id) {
    // Two FNV-1a variants with different offsets; a zero key is reserved for "empty".
    uint64_t a = 1469598103934665603ull, b = 0x84222325cbf29ce4ull;
    auto mix = [&](std::string_view s) {
      for (unsigned char c : s) {
        a = (a ^ c) * 1099511628211ull;
        b = (b ^ c) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
      }
      a = (a ^ 0xff) * 1099511628211ull;
      b = (b ^ 0xff) * 0x100000001b3ull;
    };
    mix(resource);
    mix(id);
    if (a == 0 && b == 0) a = 1;
    return {a, b};
  }
  void Grow() {
    std::vector<Key> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Key{});
    size_ = 0;
    for (const Key& k : old) {
      if (k.a == 0 && k.b == 0) continue;
      size_t i = k.a & (slots_.size() - 1);
      while (slots_[i].a != 0 || slots_[i].b != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = k;
      ++size_;
    }
  }
  std::vector<Key> slots_;
  size_t size_ = 0;
};

std::string Text(const json::object& fields, const char* name) {
  const auto* v = fields.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<double> Number(const json::object& fields, const char* name) {
  const auto* v = fields.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->to_number<double>();
  if (v->is_string()) {
    try {
      size_t used = 0;
      const std::string s(v->get_string());
      double d = std::stod(s, &used);
      if (used == s.size()) return d;
    } catch (...) {  // not a number: no coordinate
    }
  }
  return std::nullopt;
}

DataFormat FormatFromName(std::string_view name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends(".ndjson") || ends(".jsonl")) return DataFormat::kNdjson;
  return DataFormat::kJson;
}

}  // namespace

void DirectoryService::KeepStoredKeys(const Record& stored, Record& incoming) const {
  // A phone nested under a location says nothing of the service it also belongs to: a key
  // the incoming record leaves out is kept, so importing a service and then its
  // organization (each nesting the phone differently) keeps both links.
  bool added = false;
  for (const auto& link : LinksOf(schema_, stored)) {
    if (incoming.fields.contains(link.field)) continue;
    if (const auto* value = stored.fields.if_contains(link.field)) {
      incoming.fields[link.field] = *value;
      added = true;
    }
  }
  if (!added) return;
  if (const ResourceSpec* spec = schema_.Find(incoming.resource)) {
    CanonicalizeOrder(*spec, incoming.fields);
  }
}

std::string NormalizePostcode(std::string_view postcode) {
  std::string out;
  for (char c : postcode) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::vector<RecordLink> LinksOf(const HsdsSchema& schema, const Record& record) {
  std::vector<RecordLink> links;
  const ResourceSpec* spec = schema.Find(record.resource);
  if (spec == nullptr) return links;
  auto add = [&](const std::string& field, const std::string& target) {
    std::string value = core::AsciiLower(Text(record.fields, field.c_str()));
    if (value.empty() || target.empty()) return;
    for (const auto& l : links) {
      if (l.field == field) return;
    }
    links.push_back({field, target, std::move(value)});
  };
  for (const auto& key : spec->foreign_keys) add(key.field, key.target);
  // Keys the data package does not declare but HSDS defines.
  if (record.resource == "attribute") add("link_id", Text(record.fields, "link_entity"));
  if (record.resource == "metadata") add("resource_id", Text(record.fields, "resource_type"));
  if (record.resource == "taxonomy_term") {
    add("parent_id", "taxonomy_term");
    add("taxonomy_id", "taxonomy");
  }
  if (record.resource == "organization") add("parent_organization_id", "organization");
  if (record.resource == "service_capacity") add("unit_id", "unit");
  return links;
}

RecordIndex IndexOf(const Record& record) {
  RecordIndex index;
  const auto& f = record.fields;
  if (record.resource == "service" || record.resource == "organization" ||
      record.resource == "taxonomy_term" || record.resource == "taxonomy") {
    index.search_text = core::AsciiLower(Text(f, "name") + " " + Text(f, "alternate_name") + " " +
                                         Text(f, "description"));
  } else if (record.resource == "address") {
    index.search_text = NormalizePostcode(Text(f, "postal_code"));
  } else if (record.resource == "location") {
    index.latitude = Number(f, "latitude");
    index.longitude = Number(f, "longitude");
    if (!index.latitude || !index.longitude) index.latitude = index.longitude = std::nullopt;
  }
  if (record.resource == "service") {
    const std::string status = Text(f, "status");
    index.hidden = status == "inactive" || status == "defunct";
  }
  return index;
}

namespace {

// A listing its provider paused or removed (in the portal), or staff set inactive or
// defunct (in the console), keeps that status when an import says otherwise: an import
// must never put back a listing someone asked to take down. Returns whether it held.
core::Result<bool> HoldListingState(DirectoryRepository& repo, const Record& stored,
                                    Record& incoming) {
  const auto* was = stored.fields.if_contains("status");
  if (was == nullptr || !was->is_string()) return false;
  const std::string_view status = was->get_string();
  if (status != "inactive" && status != "defunct") return false;
  const auto* now = incoming.fields.if_contains("status");
  if (now != nullptr && *now == *was) return false;
  SC_ASSIGN_OR_RETURN(auto changes, repo.Changes(stored.id, 200));
  for (const auto& c : changes) {  // newest first: the last word on the status
    if (c.field == "status" && (c.action == "listing" || c.action == "edit")) {
      incoming.fields["status"] = *was;
      return true;
    }
  }
  return false;
}

}  // namespace

core::Result<ImportReport> DirectoryService::Import(const ImportSource& source,
                                                    const ImportOptions& options) {
  ImportReport report;
  bool refused = false;
  // A unit of work may run again after a transient conflict; each run starts afresh.
  core::Status st = runner_.Run([&](UnitOfWork& uow) -> core::Status {
    report = ImportReport{};
    refused = false;
    SC_RETURN_IF_ERROR(ImportInto(uow, source, options, report));
    if (!report.issues.empty() || options.dry_run) {
      // Roll everything back: nothing of a refused import (or a dry run) may stay.
      refused = true;
      return Error::Unprocessable("import refused");
    }
    report.imported = true;
    bool changed = false;
    for (const auto& [type, counts] : report.counts)
      changed = changed || counts.added + counts.updated > 0;
    if (changed) {
      SC_RETURN_IF_ERROR(
          events::DirectoryChanged(uow, core::ToUnixSeconds(clock_.Now()), "import", ""));
    }
    if (options.before_commit) return options.before_commit(uow, report);
    return core::Ok();
  });
  if (!st && !refused) return std::move(st).error();
  return report;
}

core::Status DirectoryService::ImportInto(UnitOfWork& uow, const ImportSource& source,
                                          const ImportOptions& options, ImportReport& report) {
  const int64_t now = core::ToUnixSeconds(clock_.Now());
  SeenSet seen;
  // Records whose first appearance in this import changed them: their stored state before
  // the import, so an object embedded twice (a location under its organization and under a
  // service) that ends up as it was counts as unchanged and keeps its modified time.
  std::map<std::pair<std::string, std::string>, StoredRecord> before;
  ImportProgress progress{0, source.total_bytes, 0};
  auto& repo = uow.directory();

  RecordSink sink = [&](Record record) -> core::Status {
    ++report.records;
    ++progress.records;
    if (options.progress && progress.records % 512 == 0) options.progress(progress);
    if (!report.issues.empty()) return core::Ok();  // refused already: only keep validating
    auto& counts = report.counts[record.resource];
    SC_ASSIGN_OR_RETURN(auto stored, repo.Find(record.resource, record.id));
    if (seen.Insert(record.resource, record.id)) {
      // Met again in this import: the same object embedded twice. Merge; a field with two
      // different values is the data contradicting itself.
      if (!stored) return core::Ok();  // dry run of the first appearance wrote nothing
      json::object merged = stored->record.fields;
      for (const auto& [key, value] : record.fields) {
        const auto* old = merged.if_contains(key);
        if (old != nullptr && *old != value) {
          report.issues.Add({source.name, record.resource, record.id, "/" + std::string(key),
                             "the same object appears twice with different values"});
          return core::Ok();
        }
        merged[key] = value;
      }
      if (merged == stored->record.fields) return core::Ok();
      if (const ResourceSpec* spec = schema_.Find(record.resource))
        CanonicalizeOrder(*spec, merged);
      Record merged_record{record.resource, record.id, std::move(merged)};
      int64_t modified = now;
      auto it = before.find({record.resource, record.id});
      if (it != before.end() && it->second.record.fields == merged_record.fields) {
        modified = it->second.modified_at;  // back to what it was: not a change after all
        --counts.updated;
        ++counts.unchanged;
      }
      return repo.Put(merged_record, LinksOf(schema_, merged_record), IndexOf(merged_record),
                      modified);
    }
    if (stored) KeepStoredKeys(stored->record, record);
    if (stored && record.resource == "service") {
      SC_ASSIGN_OR_RETURN(bool held, HoldListingState(repo, stored->record, record));
      if (held) ++report.held;
    }
    if (!stored) {
      ++counts.added;
    } else if (stored->record.fields == record.fields) {
      ++counts.unchanged;
      return core::Ok();
    } else {
      ++counts.updated;
      before.emplace(std::make_pair(record.resource, record.id), *stored);
    }
    if (record.resource == "service") {
      // The listing's history says which import added or changed it, and who ran it.
      DirectoryChange c;
      c.at = now;
      c.actor_id = options.actor_id;
      c.actor_role = options.actor_role;
      c.service_id = record.id;
      c.resource = "service";
      c.record_id = record.id;
      c.action = "import";
      c.field = stored ? "updated" : "added";
      c.after = core::JsonText(json::string(source.name));
      SC_RETURN_IF_ERROR(repo.AppendChange(c));
    }
    return repo.Put(record, LinksOf(schema_, record), IndexOf(record), now);
  };
  auto on_bytes = [&](uint64_t bytes) {
    progress.bytes_read = bytes;
    if (options.progress) options.progress(progress);
  };

  DataFormat format = source.format;
  if (format == DataFormat::kAuto) {
    format = source.open_table ? DataFormat::kCsv : FormatFromName(source.name);
  }
  if (format == DataFormat::kCsv) {
    if (!source.open_table) return Error::InvalidArgument("a CSV import needs a data package");
    uint64_t done = 0;
    int tables = 0;
    // Parents before children is not needed (keys are checked at the end), but the
    // schema's order keeps reports stable.
    for (const auto& spec : schema_.resources()) {
      auto in = source.open_table(spec.table);
      if (!in) continue;
      ++tables;
      const std::string where = spec.table + ".csv";
      SC_RETURN_IF_ERROR(ReadCsvTable(*in, spec.name, where, schema_, report.issues, sink,
                                      [&](uint64_t bytes) { on_bytes(done + bytes); }));
      in->clear();
      in->seekg(0, std::ios::end);
      done += static_cast<uint64_t>(std::max<std::streamoff>(0, in->tellg()));
    }
    if (tables == 0) {
      report.issues.Add({source.name, "", "", "",
                         "the data package has none of the HSDS tables (organizations.csv, "
                         "services.csv, ...)"});
    }
  } else {
    if (!source.open) return Error::InvalidArgument("nothing to read");
    auto in = source.open();
    if (!in) return Error::Unavailable("cannot open " + source.name);
    if (format == DataFormat::kNdjson) {
      SC_RETURN_IF_ERROR(
          ReadNdjson(*in, source.resource, source.name, schema_, report.issues, sink, on_bytes));
    } else {
      std::string text((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
      on_bytes(text.size());
      SC_RETURN_IF_ERROR(
          ReadJsonDocument(text, source.resource, source.name, schema_, report.issues, sink));
    }
  }
  if (options.progress) options.progress(progress);
  if (!report.issues.empty()) return core::Ok();

  // Every key must point at a record we have, or it is reported (an error when strict).
  SC_ASSIGN_OR_RETURN(report.dangling, repo.Dangling(200));
  report.dangling_total = static_cast<int64_t>(report.dangling.size());
  if (options.strict_references) {
    for (const auto& d : report.dangling) {
      report.issues.Add({source.name, d.resource, d.id, "/" + d.field,
                         "points at a " + d.target_resource + " that is not in the directory"});
    }
  }
  return core::Ok();
}

core::Result<ExportReport> DirectoryService::Export(DataFormat format, const ExportTarget& target) {
  ExportReport report;
  constexpr int kPage = 1000;
  core::Status st = runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    report = ExportReport{};
    auto& repo = uow.directory();
    // Walks every record of `resource` in id order, a page at a time.
    auto each = [&](const std::string& resource,
                    const std::function<core::Status(const StoredRecord&)>& fn) -> core::Status {
      std::string after;
      for (;;) {
        SC_ASSIGN_OR_RETURN(auto page, repo.List(resource, after, kPage));
        for (const auto& r : page) SC_RETURN_IF_ERROR(fn(r));
        if (static_cast<int>(page.size()) < kPage) return core::Ok();
        after = page.back().record.id;
      }
    };
    if (format == DataFormat::kCsv) {
      std::vector<std::string> tables;
      for (const auto& spec : schema_.resources()) {
        std::ostream* out = nullptr;
        const auto columns = CsvColumns(spec);
        SC_RETURN_IF_ERROR(each(spec.name, [&](const StoredRecord& r) -> core::Status {
          if (out == nullptr) {
            out = target(spec.table + ".csv");
            if (out == nullptr) return Error::Unavailable("cannot write " + spec.table + ".csv");
            *out << CsvLine(columns);
            tables.push_back(spec.table);
          }
          *out << CsvLine(CsvCells(columns, r.record.fields));
          ++report.records[spec.name];
          return core::Ok();
        }));
      }
      std::ostream* package = target("datapackage.json");
      if (package == nullptr) return Error::Unavailable("cannot write datapackage.json");
      *package << DataPackageFor(datapackage_, tables, schema_) << "\n";
      return core::Ok();
    }
    if (format == DataFormat::kNdjson) {
      std::ostream* out = target("directory.ndjson");
      if (out == nullptr) return Error::Unavailable("cannot write directory.ndjson");
      return each("service", [&](const StoredRecord& r) -> core::Status {
        SC_ASSIGN_OR_RETURN(auto nested, Nest(uow, r, /*full=*/true));
        std::string line = core::JsonText(nested);
        line += '\n';
        *out << line;
        ++report.records["service"];
        return core::Ok();
      });
    }
    // JSON: the tabular document, one array per HSDS type, written as it is read.
    std::ostream* out = target("directory.json");
    if (out == nullptr) return Error::Unavailable("cannot write directory.json");
    *out << "{";
    bool first_type = true;
    for (const auto& spec : schema_.resources()) {
      bool first = true;
      SC_RETURN_IF_ERROR(each(spec.name, [&](const StoredRecord& r) -> core::Status {
        if (first) {
          *out << (first_type ? "\n" : "],\n") << json::serialize(json::string(spec.name))
               << ": [\n";
          first_type = false;
        } else {
          *out << ",\n";
        }
        first = false;
        *out << core::JsonText(r.record.fields);
        ++report.records[spec.name];
        return core::Ok();
      }));
    }
    *out << (first_type ? "}\n" : "]\n}\n");
    return core::Ok();
  });
  if (!st) return std::move(st).error();
  return report;
}

core::Result<std::optional<json::object>> DirectoryService::Nested(UnitOfWork& uow,
                                                                   const std::string& resource,
                                                                   const std::string& id,
                                                                   bool full) {
  SC_ASSIGN_OR_RETURN(auto stored, uow.directory().Find(resource, core::AsciiLower(id)));
  if (!stored) return std::optional<json::object>();
  SC_ASSIGN_OR_RETURN(auto nested, Nest(uow, *stored, full));
  return std::optional<json::object>(std::move(nested));
}

core::Result<json::object> DirectoryService::Nest(UnitOfWork& uow, const StoredRecord& record,
                                                  bool full) {
  return Assemble(uow, record.record, full, 0, "");
}

core::Result<json::object> DirectoryService::Assemble(UnitOfWork& uow, const Record& record,
                                                      bool full, int depth,
                                                      const std::string& from) {
  const ResourceSpec* spec = schema_.Find(record.resource);
  json::object out = record.fields;
  if (spec == nullptr || depth > 4) return out;
  auto& repo = uow.directory();
  std::vector<StoredRecord> children;
  if (full) {
    // Only the types nested here, by the key with which a child names its parent: a
    // taxonomy term is pointed at by thousands of attributes that are not its children.
    std::vector<std::string> resources;
    for (const auto& nested : spec->nested) {
      if (nested.is_array) resources.push_back(nested.resource);
    }
    SC_ASSIGN_OR_RETURN(
        children,
        repo.LinkedTo({record.id}, resources, {record.resource + "_id", "link_id", "resource_id"}));
  }
  for (const auto& nested : spec->nested) {
    const ResourceSpec* child = schema_.Find(nested.resource);
    if (child == nullptr) continue;
    if (!nested.is_array) {
      // An embedded reference: the record this one points at.
      const std::string key =
          nested.resource == "taxonomy" ? "taxonomy_id" : nested.resource + "_id";
      const std::string target = Text(record.fields, key.c_str());
      if (target.empty() || nested.resource == from) continue;
      SC_ASSIGN_OR_RETURN(auto found, repo.Find(nested.resource, core::AsciiLower(target)));
      if (!found) continue;
      // An organization inside a service comes with its own lists (as the official
      // service_full example shows); a list item's references stay flat.
      SC_ASSIGN_OR_RETURN(auto inner,
                          Assemble(uow, found->record, full, depth + 1, record.resource));
      out[nested.name] = std::move(inner);
      continue;
    }
    if (!full) continue;
    const std::string key = child->name == "attribute"  ? "link_id"
                            : child->name == "metadata" ? "resource_id"
                                                        : record.resource + "_id";
    json::array items;
    for (const auto& c : children) {
      if (c.record.resource != child->name) continue;
      if (core::AsciiLower(Text(c.record.fields, key.c_str())) != record.id) continue;
      SC_ASSIGN_OR_RETURN(auto inner, Assemble(uow, c.record, full, depth + 1, record.resource));
      items.push_back(std::move(inner));
    }
    if (!items.empty()) out[nested.name] = std::move(items);
  }
  return out;
}

core::Result<FreshnessReport> DirectoryService::Freshness(const Vocabulary& vocabulary,
                                                          const FreshnessPolicy& policy,
                                                          int queue_limit) {
  FreshnessReport report;
  constexpr int kPage = 500;
  core::Status st = runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    report = FreshnessReport{};
    report.at = core::ToUnixSeconds(clock_.Now());
    auto& repo = uow.directory();
    std::string after;
    for (;;) {
      SC_ASSIGN_OR_RETURN(auto services, repo.List("service", after, kPage));
      std::vector<std::string> ids;
      for (const auto& s : services) ids.push_back(s.record.id);
      // One query for the whole page's capacities and attributes.
      SC_ASSIGN_OR_RETURN(auto children, repo.LinkedTo(ids, {"service_capacity", "attribute"},
                                                       {"service_id", "link_id"}));
      std::map<std::string, std::vector<Record>> by_service;
      for (auto& c : children) {
        const std::string key = c.record.resource == "attribute" ? "link_id" : "service_id";
        const auto* owner = c.record.fields.if_contains(key);
        if (owner != nullptr && owner->is_string()) {
          by_service[core::AsciiLower(owner->get_string())].push_back(std::move(c.record));
        }
      }
      for (const auto& s : services) {
        if (IndexOf(s.record).hidden) continue;  // inactive and defunct listings are not chased
        const ServiceFacts facts = FactsOf(vocabulary, s.record, by_service[s.record.id]);
        AddToSummary(report.summary, facts, report.at, policy);
        for (auto& item : VerificationNeeds(facts, report.at, policy)) {
          ++report.queue_total;
          report.queue.push_back(std::move(item));
        }
      }
      if (static_cast<int>(services.size()) < kPage) break;
      after = services.back().record.id;
    }
    std::stable_sort(report.queue.begin(), report.queue.end(),
                     [](const VerifyItem& a, const VerifyItem& b) {
                       return a.reason != b.reason ? a.reason < b.reason : a.due_at < b.due_at;
                     });
    if (static_cast<int>(report.queue.size()) > queue_limit) report.queue.resize(queue_limit);
    return core::Ok();
  });
  if (!st) return std::move(st).error();
  return report;
}

core::Result<std::vector<std::string>> DirectoryService::VisitListed(
    UnitOfWork& uow, const std::vector<StoredRecord>& services, const ListedVisitor& visit) {
  auto& repo = uow.directory();
  std::vector<std::string> ids, hidden;
  for (const auto& s : services) {
    (IndexOf(s.record).hidden ? hidden : ids).push_back(s.record.id);
  }
  // Three queries a page: the services' children, their locations, the addresses.
  std::vector<StoredRecord> children;
  if (!ids.empty()) {
    SC_ASSIGN_OR_RETURN(children, repo.LinkedTo(ids,
                                                {"attribute", "language", "cost_option",
                                                 "service_capacity", "service_at_location"},
                                                {"service_id", "link_id"}));
  }
  std::map<std::string, std::vector<Record>> by_service;
  std::vector<std::string> location_ids;
  std::map<std::string, std::vector<std::string>> services_at;  // location → services
  for (auto& c : children) {
    const std::string owner = core::AsciiLower(
        Text(c.record.fields, c.record.resource == "attribute" ? "link_id" : "service_id"));
    if (c.record.resource == "service_at_location") {
      const std::string location = core::AsciiLower(Text(c.record.fields, "location_id"));
      location_ids.push_back(location);
      services_at[location].push_back(owner);
    }
    by_service[owner].push_back(std::move(c.record));
  }
  std::sort(location_ids.begin(), location_ids.end());
  location_ids.erase(std::unique(location_ids.begin(), location_ids.end()), location_ids.end());
  if (!location_ids.empty()) {
    SC_ASSIGN_OR_RETURN(auto locations, repo.FindMany("location", location_ids));
    SC_ASSIGN_OR_RETURN(auto addresses, repo.LinkedTo(location_ids, {"address"}, {"location_id"}));
    for (auto* list : {&locations, &addresses}) {
      for (auto& r : *list) {
        const std::string location = r.record.resource == "location"
                                         ? r.record.id
                                         : core::AsciiLower(Text(r.record.fields, "location_id"));
        for (const auto& owner : services_at[location]) by_service[owner].push_back(r.record);
      }
    }
  }
  for (const auto& s : services) {
    if (IndexOf(s.record).hidden) continue;
    visit(s.record, by_service[s.record.id]);
  }
  return hidden;
}

core::Status DirectoryService::ScanListed(const ListedVisitor& visit, int page) {
  return runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    auto& repo = uow.directory();
    std::string after;
    for (;;) {
      SC_ASSIGN_OR_RETURN(auto services, repo.List("service", after, page));
      SC_RETURN_IF_ERROR(VisitListed(uow, services, visit));
      if (static_cast<int>(services.size()) < page) break;
      after = services.back().record.id;
    }
    return core::Ok();
  });
}

core::Status DirectoryService::ReadChanged(const std::vector<ChangedRecord>& changed,
                                           const ListedVisitor& visit,
                                           std::vector<std::string>& unlisted) {
  // What each resource's owner key is, for the records that point at one service.
  auto owner_key = [](std::string_view resource) -> std::string_view {
    if (resource == "attribute") return "link_id";
    if (resource == "language" || resource == "cost_option" || resource == "service_capacity" ||
        resource == "service_at_location") {
      return "service_id";
    }
    return {};
  };
  for (const auto& r : changed) {
    if (r.resource != "service" && r.resource != "location" && r.resource != "address" &&
        r.resource != "organization" && owner_key(r.resource).empty()) {
      return Error::InvalidArgument("cannot tell which listings a change of " + r.resource +
                                    " touches");
    }
  }
  constexpr size_t kChunk = 500;  // ids per query, as ScanListed's pages
  auto chunks = [&](const std::vector<std::string>& ids, auto&& each) -> core::Status {
    for (size_t at = 0; at < ids.size(); at += kChunk) {
      const std::vector<std::string> part(
          ids.begin() + static_cast<std::ptrdiff_t>(at),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kChunk)));
      SC_RETURN_IF_ERROR(each(part));
    }
    return core::Ok();
  };
  auto sorted_unique = [](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  return runner_.RunReadOnly([&](UnitOfWork& uow) -> core::Status {
    auto& repo = uow.directory();
    std::vector<std::string> service_ids, location_ids, organization_ids;
    std::map<std::string, std::vector<std::string>> owned;  // resource → ids
    std::vector<std::string> address_ids;
    for (const auto& r : changed) {
      const std::string id = core::AsciiLower(r.id);
      if (r.resource == "service") {
        service_ids.push_back(id);
      } else if (r.resource == "location") {
        location_ids.push_back(id);
      } else if (r.resource == "address") {
        address_ids.push_back(id);
      } else if (r.resource == "organization") {
        organization_ids.push_back(id);
      } else {
        owned[r.resource].push_back(id);
      }
    }
    for (auto& entry : owned) {
      // Not a structured binding: a lambda below captures these.
      const std::string& resource = entry.first;
      std::vector<std::string>& ids = entry.second;
      sorted_unique(ids);
      const std::string key(owner_key(resource));
      SC_RETURN_IF_ERROR(chunks(ids, [&](const std::vector<std::string>& part) -> core::Status {
        SC_ASSIGN_OR_RETURN(auto records, repo.FindMany(resource, part));
        for (const auto& rec : records) {
          const std::string owner = core::AsciiLower(Text(rec.record.fields, key.c_str()));
          if (!owner.empty()) service_ids.push_back(owner);
        }
        return core::Ok();
      }));
    }
    sorted_unique(address_ids);
    SC_RETURN_IF_ERROR(
        chunks(address_ids, [&](const std::vector<std::string>& part) -> core::Status {
          SC_ASSIGN_OR_RETURN(auto records, repo.FindMany("address", part));
          for (const auto& rec : records) {
            const std::string location = core::AsciiLower(Text(rec.record.fields, "location_id"));
            if (!location.empty()) location_ids.push_back(location);
          }
          return core::Ok();
        }));
    sorted_unique(location_ids);
    SC_RETURN_IF_ERROR(
        chunks(location_ids, [&](const std::vector<std::string>& part) -> core::Status {
          SC_ASSIGN_OR_RETURN(auto links,
                              repo.LinkedTo(part, {"service_at_location"}, {"location_id"}));
          for (const auto& rec : links) {
            const std::string owner = core::AsciiLower(Text(rec.record.fields, "service_id"));
            if (!owner.empty()) service_ids.push_back(owner);
          }
          return core::Ok();
        }));
    sorted_unique(organization_ids);
    SC_RETURN_IF_ERROR(
        chunks(organization_ids, [&](const std::vector<std::string>& part) -> core::Status {
          SC_ASSIGN_OR_RETURN(auto services, repo.LinkedTo(part, {"service"}, {"organization_id"}));
          for (const auto& rec : services) service_ids.push_back(rec.record.id);
          return core::Ok();
        }));
    sorted_unique(service_ids);
    return chunks(service_ids, [&](const std::vector<std::string>& part) -> core::Status {
      SC_ASSIGN_OR_RETURN(auto services, repo.FindMany("service", part));
      std::sort(services.begin(), services.end(), [](const StoredRecord& a, const StoredRecord& b) {
        return a.record.id < b.record.id;
      });
      // Not stored: gone from the directory as far as matching is concerned.
      size_t found = 0;
      for (const auto& id : part) {
        while (found < services.size() && services[found].record.id < id) ++found;
        if (found == services.size() || services[found].record.id != id) unlisted.push_back(id);
      }
      SC_ASSIGN_OR_RETURN(auto hidden, VisitListed(uow, services, visit));
      unlisted.insert(unlisted.end(), hidden.begin(), hidden.end());
      return core::Ok();
    });
  });
}

std::string_view ImportStateName(ImportState state) {
  switch (state) {
    case ImportState::kQueued:
      return "queued";
    case ImportState::kRunning:
      return "running";
    case ImportState::kDone:
      return "done";
    case ImportState::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace soundcheck::domain::directory
