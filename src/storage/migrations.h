// Schema migrations: numbered SQL files embedded in the binary at build time, applied in
// order, each in its own transaction, recorded in schema_migrations(version, name,
// applied_at).
//
// Files live in src/storage/migrations/ and are picked up without a CMake edit:
//   NNNN_name.sql            both engines
//   NNNN_name.sqlite.sql     SQLite only   } a version either has one generic file or a pair
//   NNNN_name.postgres.sql   PostgreSQL    } of engine files with the same name
// NNNN is four digits (the version, from 1), name is [a-z0-9_]+. The build fails on a
// misnamed .sql file, a duplicate version, or an engine file without its partner. Other
// files (README.md) are ignored.
//
// Statement splitting (SplitSqlStatements): a statement ends at a line whose last non-blank
// character, ignoring a trailing `-- comment`, is `;`. Two exceptions: inside a dollar-quoted body
// ($$ … $$ or $tag$ … $tag$) a line-end `;` does not end the statement; and an SQLite CREATE
// TRIGGER … BEGIN … END; ends only at a line ending in `END;` (the body's own statements may end
// lines with `;`). So: put each statement's closing `;` last on its line, never end a line with `;`
// inside a string literal, and keep further statements off a line that ends one. Comment-only
// pieces are dropped. Statements must not contain `?` outside literals/comments (it is a
// placeholder), and cannot be ones PostgreSQL refuses inside a transaction (CREATE INDEX
// CONCURRENTLY).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace soundcheck::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations compiled into this binary for `dialect`, ascending by version.
std::vector<Migration> EmbeddedMigrations(Dialect dialect);

// Applies, in version order, every migration not yet recorded in schema_migrations (which it
// creates if missing). Each migration runs in its own transaction together with its
// schema_migrations row, so a failed migration leaves no trace and earlier ones stay
// applied. Idempotent, and safe when several processes migrate at once (a migration another
// process applied meanwhile is skipped). Errors: kInvalidArgument for a bad list (versions
// not positive and unique, empty names); kFailedPrecondition when the database holds a
// version this list does not (newer than the binary, or unknown) or a known version under a
// different name — nothing is applied then; the failing migration's error otherwise, its
// message prefixed with "migration NNNN_name".
core::Status Migrate(Database& db, const std::vector<Migration>& migrations);

struct MigrationStatus {
  int current = 0;  // highest applied version; 0 when none (or no schema_migrations table)
  int latest = 0;   // highest version in the list; 0 for an empty list
};

// Reads the state without changing anything. `current > latest` means the database is
// newer than this binary (Migrate would refuse).
core::Result<MigrationStatus> GetMigrationStatus(Database& db,
                                                 const std::vector<Migration>& migrations);

// Splits a migration file into statements by the rule above (without the final `;`s).
std::vector<std::string> SplitSqlStatements(std::string_view sql);

// One migration file: its file name (no directory) and contents.
struct MigrationFile {
  std::string filename;
  std::string contents;
};

// Turns files named as above into the migrations of `dialect`, ascending by version.
// Errors: kInvalidArgument for a misnamed .sql file, a duplicate version, a generic file
// and an engine file for one version, or an engine file without its partner. Files not
// ending in ".sql" are ignored.
core::Result<std::vector<Migration>> MigrationsFromFiles(const std::vector<MigrationFile>& files,
                                                         Dialect dialect);

}  // namespace soundcheck::storage
