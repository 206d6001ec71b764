// The SQLite adapter. Private to storage/: reach it through OpenDatabase("sqlite:PATH").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "storage/database.h"

namespace soundcheck::storage::detail {

// Opens (creating if needed) the database file at `path`, or a private in-memory database
// for ":memory:". See OpenDatabase for the connection layout. Errors: kUnavailable when the
// file cannot be opened or set to WAL mode; kInternal when SQLite was built without threads.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options);

// Counters of the group commit (docs/adr/0005-sqlite-group-commit.md) since the database
// was opened. Writes to a file database only; ":memory:" and kReadOnly are not counted.
struct GroupCommitStats {
  int64_t units = 0;           // runs of a caller's `fn` inside a shared write transaction
  int64_t commits = 0;         // COMMITs that succeeded (one fsync each)
  int64_t failed_commits = 0;  // COMMITs that failed: every unit in them got the error
  int64_t largest_batch = 0;   // most units that ever shared one transaction
};

// The group-commit counters of `db`, or nullopt when it is not a SQLite database opened by
// OpenDatabase. Thread-safe; the counters are read one by one, so under load they may
// disagree by a batch in flight.
std::optional<GroupCommitStats> SqliteGroupCommitStats(const Database& db);

}  // namespace soundcheck::storage::detail
