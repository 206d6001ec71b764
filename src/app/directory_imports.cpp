#include "app/directory_imports.h"

#include <sstream>

#include "core/log.h"

namespace soundcheck::app {

namespace dir = domain::directory;

DirectoryImports::~DirectoryImports() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

core::Result<dir::ImportJob> DirectoryImports::Submit(const domain::accounts::Caller& caller,
                                                      dir::ImportRequest request) {
  std::lock_guard lock(mu_);
  if (waiting_.size() >= kMaxWaiting) {
    return core::Error::ResourceExhausted("too many imports waiting")
        .WithDetail("Several imports are waiting already. Try again when they have finished.");
  }
  Entry e{{}, std::move(request), caller};
  e.job.id = ids_.NewId();
  e.job.created_by = caller.principal.user_id;
  e.job.name = e.request.name;
  e.job.dry_run = e.request.dry_run;
  e.job.strict = e.request.strict;
  e.job.bytes_total = e.request.data ? e.request.data->size() : 0;
  if (e.request.tables) {
    for (const auto& [name, text] : *e.request.tables) {
      if (name != "datapackage.json") e.job.bytes_total += text.size();
    }
  }
  e.job.started_at = core::ToUnixSeconds(clock_.Now());
  dir::ImportJob out = e.job;
  waiting_.push_back(e.job.id);
  jobs_.emplace(e.job.id, std::move(e));
  if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
  cv_.notify_all();
  return out;
}

core::Result<dir::ImportJob> DirectoryImports::Get(const domain::accounts::Caller&,
                                                   const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return core::Error::NotFound("no such import");
  return it->second.job;
}

void DirectoryImports::Work() {
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !waiting_.empty(); });
      if (stop_) return;
      id = waiting_.front();
      waiting_.pop_front();
      jobs_.at(id).job.state = dir::ImportState::kRunning;
    }
    Run(id);
  }
}

void DirectoryImports::Run(const std::string& id) {
  dir::ImportRequest request;
  domain::accounts::Caller caller;
  {
    std::lock_guard lock(mu_);
    const Entry& e = jobs_.at(id);
    request = e.request;
    caller = e.caller;
  }
  dir::ImportSource source;
  source.format = request.format;
  source.name = request.name;
  {
    std::lock_guard lock(mu_);
    source.total_bytes = jobs_.at(id).job.bytes_total;
  }
  if (request.tables) {
    source.open_table =
        [tables = request.tables](const std::string& table) -> std::unique_ptr<std::istream> {
      auto it = tables->find(table + ".csv");
      if (it == tables->end()) return nullptr;
      return std::make_unique<std::istringstream>(it->second);
    };
  } else {
    source.open = [data = request.data]() { return std::make_unique<std::istringstream>(*data); };
  }
  dir::ImportOptions options;
  options.dry_run = request.dry_run;
  options.strict_references = request.strict;
  options.actor_id = caller.principal.user_id;
  options.actor_role = std::string(domain::accounts::RoleName(caller.principal.role));
  options.progress = [this, &id](const dir::ImportProgress& p) {
    std::lock_guard lock(mu_);
    auto& job = jobs_.at(id).job;
    job.bytes_read = p.bytes_read;
    job.records = p.records;
  };
  options.before_commit = [this, &caller, &id](domain::UnitOfWork& uow,
                                               const dir::ImportReport&) -> core::Status {
    return audit_.Append(
        uow, {caller.principal.user_id,
              std::string(domain::accounts::RoleName(caller.principal.role)), "directory.import",
              "directory_import", id, "directory upkeep", "success", caller.request_id});
  };
  auto report = directory_.Import(source, options);
  std::lock_guard lock(mu_);
  Entry& e = jobs_.at(id);
  e.request.data.reset();  // the upload is not needed any more
  e.request.tables.reset();
  e.job.finished_at = core::ToUnixSeconds(clock_.Now());
  if (report) {
    e.job.state = dir::ImportState::kDone;
    e.job.records = report->records;
    e.job.bytes_read = e.job.bytes_total;
    e.job.report = std::move(report).value();
  } else {
    // Could not run at all (storage down, unreadable input): the message names no values.
    e.job.state = dir::ImportState::kFailed;
    e.job.error =
        report.error().public_detail.empty()
            ? "The import could not run: " + std::string(core::ErrorCodeName(report.error().code))
            : report.error().public_detail;
    core::log::warn("directory import {} failed: {}", id, report.error().message);
  }
  finished_.push_back(id);
  while (finished_.size() > kKeep) {
    jobs_.erase(finished_.front());
    finished_.pop_front();
  }
}

}  // namespace soundcheck::app
