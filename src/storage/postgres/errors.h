// The one place PostgreSQL errors become core::Error. Private to storage/.
#pragma once

#include <string_view>

#include <libpq-fe.h>

#include "storage/detail/common.h"

namespace soundcheck::storage::detail {

// Maps a failed result by SQLSTATE:
//   23505 unique, 23503 foreign key, 23P01 exclusion, 23001 restrict  → kConflict
//   23502 not null, 23514 check, class 22 (data exceptions)           → kInvalidArgument
//   40001 serialization failure, 40P01 deadlock                       → kUnavailable, retryable
//   class 08 (connection), 57P01-57P03 (shutdown), 53 (resources),
//   55P03 (lock not available), 57014 (cancelled)                     → kUnavailable
//   no result / connection gone                                       → kUnavailable, lost
//   everything else (syntax 42xxx, 25006 read-only transaction, …)    → kInternal
// The message is "<context>: postgres <SQLSTATE> <condition> [constraint …] [table …]",
// plus the server's text for classes 42 and 0A, whose texts quote the SQL, not values.
// DETAIL lines and data-exception texts are never included: they quote parameter values.
EngineError PgResultError(const PGresult* result, PGconn* conn, std::string_view context);

// For connection failures (PQconnectdb, lost connection): kUnavailable with libpq's text,
// which names host and port but not the password.
EngineError PgConnectionError(PGconn* conn, std::string_view context);

}  // namespace soundcheck::storage::detail
