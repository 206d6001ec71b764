// The PostgreSQL adapter (libpq). Private to storage/: reach it through
// OpenDatabase("postgresql://…").
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace soundcheck::storage::detail {

// Connects once to check `url`, then pools up to options.pool_size connections. Errors:
// kUnavailable when the server cannot be reached or refuses the login.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options);

}  // namespace soundcheck::storage::detail
