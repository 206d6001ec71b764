// Imports started from the console: the upload is accepted at once (202) and imported in
// the background, one at a time, while the console polls the job for progress and, at the
// end, the same report the CLI prints. The queue itself (a worker thread) lives in app/;
// this is what the HTTP layer sees of it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "domain/accounts/account_service.h"
#include "domain/directory/directory_service.h"

namespace soundcheck::domain::directory {

enum class ImportState { kQueued, kRunning, kDone, kFailed };
std::string_view ImportStateName(ImportState state);

struct ImportRequest {
  std::string name;  // the uploaded file's name, for the report (never a path)
  DataFormat format = DataFormat::kJson;
  bool dry_run = false;
  bool strict = false;
  std::shared_ptr<const std::string> data;  // JSON / NDJSON: the whole upload
  // CSV: the data package's files by name ("services.csv", "datapackage.json").
  std::shared_ptr<const std::map<std::string, std::string>> tables;
};

struct ImportJob {
  std::string id;
  std::string created_by;  // user id
  ImportState state = ImportState::kQueued;
  std::string name;
  bool dry_run = false;
  bool strict = false;
  uint64_t bytes_total = 0;
  uint64_t bytes_read = 0;
  int64_t records = 0;
  int64_t started_at = 0;  // unix seconds the upload was accepted
  std::optional<int64_t> finished_at;
  std::optional<std::string> error;    // kFailed: why the import could not run (no values)
  std::optional<ImportReport> report;  // kDone
};

class ImportQueue {
 public:
  virtual ~ImportQueue() = default;
  // Accepts the upload. kResourceExhausted when too many imports wait already.
  virtual core::Result<ImportJob> Submit(const accounts::Caller& caller, ImportRequest request) = 0;
  // The job as it stands. kNotFound for an unknown id (jobs are kept in memory, the newest
  // few dozen; the import itself is in the directory and its history).
  virtual core::Result<ImportJob> Get(const accounts::Caller& caller, const std::string& id) = 0;
};

}  // namespace soundcheck::domain::directory
