// Online backup and restore of an SQLite database file. (PostgreSQL is backed up with its
// own tools: pg_dump, pg_basebackup.)
#pragma once

#include <string>

#include "core/result.h"

namespace soundcheck::storage {

// Copies the database at `db_path` into `dest_file` with SQLite's online backup API while
// other connections (this process's server, other processes) keep reading and writing. The
// copy is one consistent snapshot: every transaction committed before the copy started, none
// that committed during it. The copy is a single self-contained file (rollback-journal mode,
// no -wal), written to a temporary name, fsynced, then renamed over `dest_file` (replacing an
// older backup of that name) with the directory fsynced, so a crash never leaves a half
// backup under `dest_file`. Errors: kNotFound when `db_path` does not exist;
// kInvalidArgument when both paths name the same file; kUnavailable when the source stays
// locked or a file cannot be written. Thread-safe.
core::Status BackupSqlite(const std::string& db_path, const std::string& dest_file);

// Checks `backup_file` with PRAGMA integrity_check and, if it passes, copies it into
// `db_path` (created if missing) with the backup API, fsyncs it, then runs PRAGMA quick_check
// on the result. Stop every process using `db_path` first. Errors: kNotFound when
// `backup_file` does not exist; kFailedPrecondition when it is not an SQLite database or
// fails the integrity check (the message quotes SQLite's first findings, which name pages
// and indexes, not data) — nothing is written then — or when `db_path` (or its -wal file)
// exists and `overwrite` is false; kInvalidArgument when both paths name the same file;
// kUnavailable on I/O errors.
core::Status RestoreSqlite(const std::string& backup_file, const std::string& db_path,
                           bool overwrite = false);

}  // namespace soundcheck::storage
