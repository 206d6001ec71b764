// The migration files compiled into the binary. The definition is generated at build time
// from src/storage/migrations/ by embed_migrations.cmake. Private to storage/.
#pragma once

#include <vector>

#include "storage/migrations.h"

namespace soundcheck::storage::detail {

// Every *.sql file of src/storage/migrations/, by file name.
std::vector<MigrationFile> EmbeddedMigrationFiles();

}  // namespace soundcheck::storage::detail
