// The directory's use cases over storage: import (validated, all or nothing, idempotent),
// export (JSON, NDJSON, CSV data package), and the nested views the HSDS API serves.
#pragma once

#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/result.h"
#include "domain/directory/directory_repository.h"
#include "domain/directory/freshness.h"
#include "domain/directory/hsds_api.h"
#include "domain/directory/hsds_schema.h"
#include "domain/directory/record.h"
#include "domain/unit_of_work.h"

namespace soundcheck::domain::directory {

enum class DataFormat { kAuto, kJson, kNdjson, kCsv };

// What to import. The input is opened through callbacks because a unit of work may be run
// again after a transient conflict, and must then read its input again from the start.
struct ImportSource {
  DataFormat format = DataFormat::kAuto;  // kAuto: CSV when open_table is set, else by name
  std::string name;                       // shown in reports: a file name, never a path
  std::string resource;                   // the HSDS type, when the data does not say
  std::function<std::unique_ptr<std::istream>()> open;  // JSON / NDJSON
  // CSV data package: opens `<table>.csv`, or returns nullptr when the package has none.
  std::function<std::unique_ptr<std::istream>(const std::string& table)> open_table;
  uint64_t total_bytes = 0;  // for progress; 0 when unknown
};

struct ImportProgress {
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
  int64_t records = 0;
};

struct ImportReport;

struct ImportOptions {
  // Keys pointing at records that are neither in the data nor already stored are warnings
  // by default (HSDS data often refers to records published elsewhere); strict makes them
  // errors.
  bool strict_references = false;
  // Validate and count, write nothing.
  bool dry_run = false;
  // Who imports, for the history of each service the import adds or changes.
  std::string actor_id = "system";
  std::string actor_role = "cli";
  std::function<void(const ImportProgress&)> progress;
  // Runs inside the import's transaction once it is accepted (not for dry runs or refused
  // imports): what must commit with it, such as the audit entry of a console import.
  std::function<core::Status(UnitOfWork&, const ImportReport&)> before_commit;
};

struct ImportCounts {
  int64_t added = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

struct ImportReport {
  bool imported = false;  // false: nothing was written (issues, or a dry run)
  int64_t records = 0;
  std::map<std::string, ImportCounts> counts;  // by HSDS type
  IssueList issues;
  std::vector<DanglingLink> dangling;  // at most 200 listed
  int64_t dangling_total = 0;
  // Services whose status the import would have changed but which stay paused or removed,
  // as their provider or staff set them (see docs/directory.md).
  int64_t held = 0;
};

// Where an export goes: `file` is "directory.json", "directory.ndjson", or for CSV each
// "<table>.csv" and "datapackage.json". Returns nullptr when the file cannot be opened.
using ExportTarget = std::function<std::ostream*(const std::string& file)>;

// The staff freshness dashboard and verification queue at one moment.
struct FreshnessReport {
  int64_t at = 0;
  FreshnessSummary summary;
  std::vector<VerifyItem> queue;  // most urgent first, at most the limit asked for
  int64_t queue_total = 0;
};

struct ExportReport {
  std::map<std::string, int64_t> records;  // by HSDS type (for NDJSON: "service" lines)
};

// The keys and derived columns the storage keeps for a record (exposed for tests).
std::vector<RecordLink> LinksOf(const HsdsSchema& schema, const Record& record);
RecordIndex IndexOf(const Record& record);
// Postal codes compare upper-case without spaces ("sw1a 1aa" = "SW1A1AA").
std::string NormalizePostcode(std::string_view postcode);

class DirectoryService {
 public:
  DirectoryService(TransactionRunner& runner, const core::Clock& clock, const HsdsSchema& schema,
                   std::string official_datapackage)
      : runner_(runner),
        clock_(clock),
        schema_(schema),
        datapackage_(std::move(official_datapackage)) {}

  // Reads, validates and stores everything in `source` in one transaction. Validation
  // problems are not errors: they come back in the report with `imported` false and nothing
  // changed. An error means the import could not run (unreadable input, storage down).
  core::Result<ImportReport> Import(const ImportSource& source, const ImportOptions& options);

  // Writes the whole directory. kUnavailable when a target cannot be opened.
  core::Result<ExportReport> Export(DataFormat format, const ExportTarget& target);

  // The nested views of the HSDS API. `full`: children included (the `{id}` endpoints);
  // otherwise the object with its embedded references only (list items).
  core::Result<std::optional<boost::json::object>> Nested(UnitOfWork& uow,
                                                          const std::string& resource,
                                                          const std::string& id, bool full);
  core::Result<boost::json::object> Nest(UnitOfWork& uow, const StoredRecord& record, bool full);

  // The public HSDS API (hsds_api.h; implemented in hsds_api.cpp). Hidden services and
  // their service_at_locations are never part of it, and every object passes PublicView.
  //
  // One page of a list endpoint. kUnprocessable when `proximity` is asked around a postcode
  // the directory has no position for.
  core::Result<HsdsPage> ListPage(const HsdsListQuery& query);
  // A whole list, a batch at a time (NDJSON): OpenList resolves the query once (same errors
  // as ListPage); NextBatch returns up to `batch` items and sets `cursor.done` at the end.
  core::Result<HsdsCursor> OpenList(const HsdsListQuery& query);
  core::Result<std::vector<boost::json::object>> NextBatch(HsdsCursor& cursor, int batch);
  // The `{id}` endpoints: the object fully nested, or nullopt when there is no public object
  // of `resource` with this id (not a UUID, unknown, a hidden service or one of its
  // service_at_locations).
  core::Result<std::optional<boost::json::object>> PublicObject(const std::string& resource,
                                                                const std::string& id,
                                                                const HsdsObjectQuery& query);

  // Walks every listed service (a page at a time) and judges its freshness now.
  core::Result<FreshnessReport> Freshness(const Vocabulary& vocabulary,
                                          const FreshnessPolicy& policy, int queue_limit);

  // Every listed service with the records matching reads (matching/from_hsds.h): the
  // attributes, languages, cost options, capacities and service_at_locations pointing at it,
  // and the locations and addresses those lead to. In id order, a page at a time, inside one
  // read transaction (one consistent picture). `visit` may keep nothing it is given.
  using ListedVisitor =
      std::function<void(const Record& service, const std::vector<Record>& related)>;
  core::Status ScanListed(const ListedVisitor& visit, int page = 500);

  // A directory record a `directory.changed` event names: its HSDS resource and id.
  struct ChangedRecord {
    std::string resource;
    std::string id;
  };
  // The listings the changed records touch, read like ScanListed reads them, inside one read
  // transaction, so the matching index can be patched instead of rebuilt (docs/matching.md,
  // "Freshness of the index"). A service touches itself; an attribute (by link_id), language,
  // cost_option, service_capacity or service_at_location its service; a location or an
  // address every service with a service_at_location at that location; an organization its
  // services. `visit` is called, in id order, for each touched service still listed; the ids
  // of the touched services that are not (hidden, or not stored) are appended to `unlisted`.
  // A record not stored touches nothing. Errors: kInvalidArgument when a record is of a
  // resource whose listings cannot be told (an import, or a resource matching does not read:
  // the caller rebuilds); the database's.
  core::Status ReadChanged(const std::vector<ChangedRecord>& changed, const ListedVisitor& visit,
                           std::vector<std::string>& unlisted);

  const HsdsSchema& schema() const { return schema_; }

 private:
  // hsds_api.cpp
  core::Result<std::optional<std::vector<std::string>>> ResolveLocations(
      UnitOfWork& uow, const HsdsListQuery& query);
  core::Result<boost::json::object> PublicItem(UnitOfWork& uow, const StoredRecord& record,
                                               bool full, bool full_service);

  core::Status ImportInto(UnitOfWork& uow, const ImportSource& source, const ImportOptions& options,
                          ImportReport& report);
  // Copies into `incoming` the foreign keys `stored` has and `incoming` leaves out.
  void KeepStoredKeys(const Record& stored, Record& incoming) const;
  core::Result<boost::json::object> Assemble(UnitOfWork& uow, const Record& record, bool full,
                                             int depth, const std::string& from);
  // ScanListed's reading for one page of services: visits the listed ones with their related
  // records; returns the ids of the hidden ones.
  core::Result<std::vector<std::string>> VisitListed(UnitOfWork& uow,
                                                     const std::vector<StoredRecord>& services,
                                                     const ListedVisitor& visit);

  TransactionRunner& runner_;
  const core::Clock& clock_;
  const HsdsSchema& schema_;
  std::string datapackage_;
};

}  // namespace soundcheck::domain::directory
