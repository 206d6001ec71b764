// The one place SQLite result codes become core::Error. Private to storage/.
#pragma once

#include <string_view>

#include "storage/detail/common.h"

struct sqlite3;

namespace soundcheck::storage::detail {

// Maps an SQLite (extended) result code to an error:
//   UNIQUE / PRIMARY KEY / FOREIGN KEY constraint     → kConflict
//   NOT NULL / CHECK constraint, TOOBIG, MISMATCH     → kInvalidArgument
//   BUSY, LOCKED                                       → kUnavailable, retryable
//   CANTOPEN, IOERR, FULL, NOMEM, PROTOCOL             → kUnavailable
//   everything else (syntax, READONLY, CORRUPT, …)     → kInternal
// The message is "<context>: sqlite <code name> (<extended code>): <sqlite message>".
// SQLite's own messages name tables, columns and constraints but never bound values.
// `db` may be null (then only the code is described).
EngineError SqliteError(sqlite3* db, int extended_code, std::string_view context);

// "SQLITE_CONSTRAINT_UNIQUE" and the like, for messages.
std::string_view SqliteCodeName(int extended_code);

}  // namespace soundcheck::storage::detail
