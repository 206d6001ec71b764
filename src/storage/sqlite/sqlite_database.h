// The SQLite adapter. Private to storage/: reach it through OpenDatabase("sqlite:PATH").
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace soundcheck::storage::detail {

// Opens (creating if needed) the database file at `path`, or a private in-memory database
// for ":memory:". See OpenDatabase for the connection layout. Errors: kUnavailable when the
// file cannot be opened or set to WAL mode; kInternal when SQLite was built without threads.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options);

}  // namespace soundcheck::storage::detail
