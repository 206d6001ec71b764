#include "storage/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "storage/detail/common.h"
#include "storage/sqlite/errors.h"

namespace soundcheck::storage {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;
constexpr int kBackupBusyRetries = 100;  // × 50 ms on top of the busy timeout

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, Closer>;

core::Error Failed(sqlite3* db, int rc, std::string_view context) {
  return detail::SqliteError(db, rc, context).error;
}

core::Result<DbPtr> Open(const std::string& name, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return Failed(db.get(), rc, "open");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

// A file: URI that opens `path` read-only without touching -wal/-shm files, for checking
// a backup that no one writes.
std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri += c;
    }
  }
  return uri + "?mode=ro&immutable=1";
}

core::Status Exec(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Failed(db, sqlite3_extended_errcode(db), sql);
  return core::Ok();
}

// Runs a check pragma; returns its rows ("ok" alone when all is well).
core::Result<std::vector<std::string>> Check(sqlite3* db, const char* pragma) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, pragma, -1, &stmt, nullptr);
  std::vector<std::string> lines;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(stmt, 0);
      lines.emplace_back(t == nullptr ? "" : reinterpret_cast<const char*>(t));
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Failed(db, sqlite3_extended_errcode(db), pragma);
  return lines;
}

// Copies `from` into `to` in one step (one read transaction on `from`: a consistent
// snapshot). SQLITE_BUSY/LOCKED are retried for a while.
core::Status CopyDatabase(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) return Failed(to, sqlite3_extended_errcode(to), "backup init");
  int rc = SQLITE_OK;
  for (int i = 0; i <= kBackupBusyRetries; ++i) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    const bool busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
    core::Error e = Failed(to, rc, "backup step");
    if (busy) e = core::Error::Unavailable("the database stayed locked: " + e.message);
    return e;
  }
  const int finish_rc = sqlite3_errcode(to);
  if (finish_rc != SQLITE_OK) return Failed(to, sqlite3_extended_errcode(to), "backup finish");
  return core::Ok();
}

core::Status FsyncPath(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return core::Error::Unavailable("cannot open " + p.string() + " to fsync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return core::Error::Unavailable("fsync failed for " + p.string());
  return core::Ok();
}

fs::path ParentOf(const fs::path& p) {
  fs::path parent = fs::absolute(p).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

bool SameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

core::Status BackupSqlite(const std::string& db_path, const std::string& dest_file) {
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) {
    return core::Error::NotFound("backup source " + db_path + " does not exist");
  }
  if (SameFile(db_path, dest_file)) {
    return core::Error::InvalidArgument("backup destination is the database itself");
  }
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::string tmp =
      dest_file + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000);
  // Removes the temporary file on every early return.
  struct TmpGuard {
    const std::string& path;
    bool keep = false;
    ~TmpGuard() {
      if (keep) return;
      std::error_code ignored;
      fs::remove(path, ignored);
      fs::remove(path + "-journal", ignored);
    }
  } guard{tmp};

  {
    SC_ASSIGN_OR_RETURN(DbPtr src, Open(db_path, SQLITE_OPEN_READWRITE));
    SC_RETURN_IF_ERROR(Exec(src.get(), "PRAGMA query_only = ON"));
    SC_ASSIGN_OR_RETURN(DbPtr dst, Open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    SC_RETURN_IF_ERROR(Exec(dst.get(), "PRAGMA synchronous = FULL"));
    SC_RETURN_IF_ERROR(CopyDatabase(src.get(), dst.get()));
  }
  {
    // Page 1 came from a WAL database, so the copy says "WAL"; make it a plain single file.
    SC_ASSIGN_OR_RETURN(DbPtr dst, Open(tmp, SQLITE_OPEN_READWRITE));
    SC_RETURN_IF_ERROR(Exec(dst.get(), "PRAGMA journal_mode = DELETE"));
  }
  SC_RETURN_IF_ERROR(FsyncPath(tmp, false));
  fs::rename(tmp, dest_file, ec);
  if (ec) return core::Error::Unavailable("cannot rename the backup into place: " + ec.message());
  guard.keep = true;
  return FsyncPath(ParentOf(dest_file), true);
}

core::Status RestoreSqlite(const std::string& backup_file, const std::string& db_path,
                           bool overwrite) {
  std::error_code ec;
  if (!fs::is_regular_file(backup_file, ec)) {
    return core::Error::NotFound("backup " + backup_file + " does not exist");
  }
  if (SameFile(backup_file, db_path)) {
    return core::Error::InvalidArgument("backup and database are the same file");
  }
  if (fs::file_size(backup_file, ec) == 0) {
    return core::Error::FailedPrecondition("backup " + backup_file + " is empty; refusing it");
  }

  SC_ASSIGN_OR_RETURN(DbPtr src,
                      Open(ImmutableUri(backup_file), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
  core::Result<std::vector<std::string>> check = Check(src.get(), "PRAGMA integrity_check");
  if (!check) {
    // SQLite stops the check itself on a page it cannot parse, or on a file that is no
    // database at all.
    const bool corrupt = check.error().message.find("SQLITE_CORRUPT") != std::string::npos;
    return core::Error::FailedPrecondition(
        "backup " + backup_file +
        (corrupt ? " is corrupt (PRAGMA integrity_check could not finish); refusing it ("
                 : " is not a readable SQLite database; refusing it (") +
        check.error().message + ")");
  }
  if (check->size() != 1 || check->front() != "ok") {
    std::string findings;
    for (size_t i = 0; i < check->size() && i < 3; ++i) {
      findings += (i == 0 ? "" : "; ") + (*check)[i];
    }
    return core::Error::FailedPrecondition(
        "backup " + backup_file + " failed PRAGMA integrity_check; refusing it (" +
        std::to_string(check->size()) + " problems, first: " + findings + ")");
  }

  if (!overwrite && (fs::exists(db_path, ec) || fs::exists(db_path + "-wal", ec))) {
    return core::Error::FailedPrecondition("database " + db_path +
                                           " exists; pass overwrite to replace it");
  }
  {
    SC_ASSIGN_OR_RETURN(DbPtr dst, Open(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    SC_RETURN_IF_ERROR(Exec(dst.get(), "PRAGMA synchronous = FULL"));
    SC_RETURN_IF_ERROR(CopyDatabase(src.get(), dst.get()));
    SC_ASSIGN_OR_RETURN(auto after, Check(dst.get(), "PRAGMA quick_check"));
    if (after.size() != 1 || after.front() != "ok") {
      return core::Error::Internal("restored database " + db_path + " failed PRAGMA quick_check");
    }
  }
  SC_RETURN_IF_ERROR(FsyncPath(db_path, false));
  return FsyncPath(ParentOf(db_path), true);
}

}  // namespace soundcheck::storage
