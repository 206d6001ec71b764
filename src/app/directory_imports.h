// The console's import queue (domain/directory/import_queue.h): uploads wait in memory and
// are imported one at a time on a worker thread of this node, each in one transaction, with
// progress the console polls. Jobs live in memory (the newest kKeep); what an import did is
// in the directory itself and, for accepted imports, in the audit log.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/ids.h"
#include "domain/audit/audit_log.h"
#include "domain/directory/directory_service.h"
#include "domain/directory/import_queue.h"

namespace soundcheck::app {

class DirectoryImports final : public domain::directory::ImportQueue {
 public:
  static constexpr size_t kMaxWaiting = 4;  // uploads held in memory at once
  static constexpr size_t kKeep = 50;       // finished jobs remembered

  DirectoryImports(domain::directory::DirectoryService& directory, domain::audit::AuditLog& audit,
                   const core::Clock& clock, core::IdGenerator& ids)
      : directory_(directory), audit_(audit), clock_(clock), ids_(ids) {}
  ~DirectoryImports() override;  // finishes the import in progress, drops the waiting ones

  core::Result<domain::directory::ImportJob> Submit(
      const domain::accounts::Caller& caller, domain::directory::ImportRequest request) override;
  core::Result<domain::directory::ImportJob> Get(const domain::accounts::Caller& caller,
                                                 const std::string& id) override;

 private:
  struct Entry {
    domain::directory::ImportJob job;
    domain::directory::ImportRequest request;
    domain::accounts::Caller caller;
  };
  void Work();
  void Run(const std::string& id);

  domain::directory::DirectoryService& directory_;
  domain::audit::AuditLog& audit_;
  const core::Clock& clock_;
  core::IdGenerator& ids_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> jobs_;
  std::deque<std::string> waiting_;
  std::deque<std::string> finished_;  // oldest first, for forgetting
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace soundcheck::app
