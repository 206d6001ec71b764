#include "storage/migrations.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "core/log.h"
#include "storage/detail/embedded_migrations.h"
#include "storage/dialect.h"

namespace soundcheck::storage {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// The statement text without `--` comment lines, upper-cased, blanks collapsed.
std::string Words(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    if (!line.empty() && !line.starts_with("--")) {
      if (!out.empty()) out += ' ';
      out += Upper(line);
    }
    pos = end + 1;
  }
  return out;
}

bool HasWord(const std::string& upper_text, std::string_view word) {
  for (size_t p = upper_text.find(word); p != std::string::npos; p = upper_text.find(word, p + 1)) {
    const bool left = p == 0 || !IsWordChar(upper_text[p - 1]);
    const size_t after = p + word.size();
    const bool right = after >= upper_text.size() || !IsWordChar(upper_text[after]);
    if (left && right) return true;
  }
  return false;
}

// An SQLite trigger body (CREATE [TEMP] TRIGGER … BEGIN) has `;` at line ends inside it.
bool InTriggerBody(std::string_view statement) {
  const std::string w = Words(statement);
  const bool trigger = w.starts_with("CREATE TRIGGER ") || w.starts_with("CREATE TEMP TRIGGER ") ||
                       w.starts_with("CREATE TEMPORARY TRIGGER ");
  return trigger && HasWord(w, "BEGIN");
}

// Updates `open_tag` with the dollar quotes ($$, $tag$) that open or close on `line`.
void TrackDollarQuotes(std::string_view line, std::string* open_tag) {
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] != '$') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (j < line.size() &&
        (std::isalpha(static_cast<unsigned char>(line[j])) != 0 || line[j] == '_')) {
      while (j < line.size() && IsWordChar(line[j])) ++j;
    }
    if (j < line.size() && line[j] == '$') {
      std::string_view tag = line.substr(i, j - i + 1);
      if (open_tag->empty()) {
        *open_tag = std::string(tag);
      } else if (*open_tag == tag) {
        open_tag->clear();
      }
      i = j + 1;
    } else {
      i = j;  // "$1" and a lone "$" are not quotes
    }
  }
}

// The line without a trailing `-- comment` (a `--` outside '…' and "…").
std::string_view WithoutLineComment(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '-' && i + 1 < line.size() && line[i + 1] == '-') {
      return line.substr(0, i);
    }
  }
  return line;
}

// True for a line ending in the word END followed by `;` ("END;", "… RAISE(…); END;").
bool EndsWithEnd(std::string_view trimmed_line) {
  std::string_view body = Trim(trimmed_line.substr(0, trimmed_line.size() - 1));
  if (body.size() < 3) return false;
  const std::string last = Upper(body.substr(body.size() - 3));
  return last == "END" && (body.size() == 3 || !IsWordChar(body[body.size() - 4]));
}

bool HasStatement(std::string_view text) { return !Words(text).empty(); }

std::string NowUtc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Label(const Migration& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", m.version);
  return "migration " + std::string(buf) + "_" + m.name;
}

core::Status ValidateList(const std::vector<Migration>& migrations) {
  std::vector<int> versions;
  for (const Migration& m : migrations) {
    if (m.version <= 0) return core::Error::InvalidArgument("migration versions start at 1");
    if (m.name.empty()) {
      return core::Error::InvalidArgument("migration " + std::to_string(m.version) +
                                          " has no name");
    }
    versions.push_back(m.version);
  }
  std::sort(versions.begin(), versions.end());
  if (std::adjacent_find(versions.begin(), versions.end()) != versions.end()) {
    return core::Error::InvalidArgument("two migrations share a version");
  }
  return core::Ok();
}

// On PostgreSQL every migrating transaction first takes this transaction-scoped advisory
// lock, so concurrent migrators (several nodes starting at once) queue instead of colliding;
// under READ COMMITTED the next statement then sees what the previous holder committed.
// SQLite needs nothing: BEGIN IMMEDIATE already serializes writers across processes.
constexpr int64_t kMigrationLockKey = 0x5C0DC4EC;  // "soundcheck migrations"

core::Status LockMigrations(Transaction& tx) {
  if (tx.dialect() != Dialect::kPostgres) return core::Ok();
  SC_RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey}));
  return core::Ok();
}

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

// version → name of the applied migrations; empty when the table does not exist.
core::Result<std::map<int, std::string>> ReadApplied(Database& db) {
  std::map<int, std::string> applied;
  SC_RETURN_IF_ERROR(db.Transact(
      [&](Transaction& tx) -> core::Status {
        applied.clear();
        SC_ASSIGN_OR_RETURN(Rows exists, tx.Query(TableExistsQuery(tx.dialect()),
                                                  {std::string("schema_migrations")}));
        if (exists.empty()) return core::Ok();
        SC_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT version, name FROM schema_migrations"));
        for (const Row& r : rows.rows) {
          applied[static_cast<int>(r.Int(0).value_or(0))] = r.Text(1).value_or("");
        }
        return core::Ok();
      },
      TxMode::kReadOnly));
  return applied;
}

// Refuses a database that holds versions this binary does not know, or knows by another name.
core::Status CheckCompatible(const std::map<int, std::string>& applied,
                             const std::vector<Migration>& sorted) {
  std::map<int, const Migration*> known;
  for (const Migration& m : sorted) known[m.version] = &m;
  const int latest = sorted.empty() ? 0 : sorted.back().version;
  for (const auto& [version, name] : applied) {
    auto it = known.find(version);
    if (it == known.end()) {
      if (version > latest) {
        return core::Error::FailedPrecondition(
            "the database is at schema version " + std::to_string(applied.rbegin()->first) +
            ", newer than this binary knows (" + std::to_string(latest) +
            "); run a newer Soundcheck");
      }
      return core::Error::FailedPrecondition("the database has migration " +
                                             std::to_string(version) + " (" + name +
                                             ") which this binary does not know");
    }
    if (it->second->name != name) {
      return core::Error::FailedPrecondition(
          "migration " + std::to_string(version) + " is recorded as '" + name +
          "' but this binary calls it '" + it->second->name + "'");
    }
  }
  return core::Ok();
}

}  // namespace

std::vector<std::string> SplitSqlStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  std::string open_tag;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t end = sql.find('\n', pos);
    if (end == std::string_view::npos) end = sql.size();
    std::string_view line = sql.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;

    TrackDollarQuotes(line, &open_tag);
    current.append(line);
    current.push_back('\n');

    const std::string_view trimmed = Trim(WithoutLineComment(line));
    if (trimmed.empty() || trimmed.back() != ';' || !open_tag.empty()) continue;
    if (InTriggerBody(current) && !EndsWithEnd(trimmed)) continue;

    // Drop the `;` that ends the statement, and the comment after it on its line.
    const size_t line_start = current.size() - 1 - line.size();
    const std::string_view code = WithoutLineComment(line);
    current.erase(line_start + code.find_last_of(';'));
    if (HasStatement(current)) out.emplace_back(Trim(current));
    current.clear();
  }
  if (HasStatement(current)) out.emplace_back(Trim(current));
  return out;
}

core::Result<std::vector<Migration>> MigrationsFromFiles(const std::vector<MigrationFile>& files,
                                                         Dialect dialect) {
  struct Parsed {
    int version;
    std::string name;
    std::optional<Dialect> engine;
    const std::string* contents;
    std::string filename;
  };
  std::map<int, std::vector<Parsed>> by_version;
  for (const MigrationFile& f : files) {
    std::string_view base = f.filename;
    if (!base.ends_with(".sql")) continue;
    base.remove_suffix(4);
    std::optional<Dialect> engine;
    if (base.ends_with(".sqlite")) {
      engine = Dialect::kSqlite;
      base.remove_suffix(7);
    } else if (base.ends_with(".postgres")) {
      engine = Dialect::kPostgres;
      base.remove_suffix(9);
    }
    const auto bad = [&f](const std::string& why) {
      return core::Error::InvalidArgument("migration file " + f.filename + ": " + why);
    };
    if (base.size() < 6 || base[4] != '_' ||
        !std::all_of(base.begin(), base.begin() + 4,
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
      return bad("name must be NNNN_name.sql, NNNN_name.sqlite.sql or NNNN_name.postgres.sql");
    }
    std::string_view name = base.substr(5);
    if (!std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        })) {
      return bad("the name part may hold only a-z, 0-9 and _");
    }
    const int version = std::stoi(std::string(base.substr(0, 4)));
    if (version == 0) return bad("versions start at 0001");
    by_version[version].push_back(
        Parsed{version, std::string(name), engine, &f.contents, f.filename});
  }

  std::vector<Migration> out;
  for (auto& [version, parsed] : by_version) {
    const Parsed* generic = nullptr;
    const Parsed* sqlite = nullptr;
    const Parsed* postgres = nullptr;
    for (const Parsed& p : parsed) {
      const Parsed** slot = !p.engine                       ? &generic
                            : *p.engine == Dialect::kSqlite ? &sqlite
                                                            : &postgres;
      if (*slot != nullptr) {
        return core::Error::InvalidArgument("migration files " + (*slot)->filename + " and " +
                                            p.filename + " share a version");
      }
      *slot = &p;
    }
    const std::string v = std::to_string(version);
    if (generic != nullptr && (sqlite != nullptr || postgres != nullptr)) {
      return core::Error::InvalidArgument("migration " + v +
                                          " has both a generic and an engine-specific file");
    }
    if (generic == nullptr && (sqlite == nullptr || postgres == nullptr)) {
      return core::Error::InvalidArgument(
          "migration " + v +
          " needs both a .sqlite.sql and a .postgres.sql file (an engine "
          "with nothing to do gets a file holding only a comment)");
    }
    if (generic == nullptr && sqlite->name != postgres->name) {
      return core::Error::InvalidArgument("migration " + v +
                                          ": the .sqlite.sql and .postgres.sql names differ");
    }
    const Parsed* chosen = generic != nullptr            ? generic
                           : dialect == Dialect::kSqlite ? sqlite
                                                         : postgres;
    out.push_back(Migration{version, chosen->name, *chosen->contents});
  }
  return out;
}

std::vector<Migration> EmbeddedMigrations(Dialect dialect) {
  core::Result<std::vector<Migration>> m =
      MigrationsFromFiles(detail::EmbeddedMigrationFiles(), dialect);
  if (!m) {
    // The build checks the same rules, so this cannot happen with a binary that built. An
    // empty list makes Migrate refuse a migrated database rather than guess.
    core::log::error("storage: embedded migrations are invalid: {}", m.error().message);
    return {};
  }
  return std::move(m).value();
}

core::Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  SC_RETURN_IF_ERROR(ValidateList(migrations));
  std::vector<Migration> sorted = migrations;
  std::sort(sorted.begin(), sorted.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });

  SC_RETURN_IF_ERROR(db.Transact([](Transaction& tx) -> core::Status {
    SC_RETURN_IF_ERROR(LockMigrations(tx));
    SC_RETURN_IF_ERROR(tx.Execute(kCreateTable));
    return core::Ok();
  }));

  SC_ASSIGN_OR_RETURN(auto applied, ReadApplied(db));
  SC_RETURN_IF_ERROR(CheckCompatible(applied, sorted));

  for (const Migration& m : sorted) {
    if (applied.count(m.version) != 0) continue;
    bool skipped = false;
    const std::vector<std::string> statements = SplitSqlStatements(m.sql);
    core::Status s = db.Transact([&](Transaction& tx) -> core::Status {
      skipped = false;
      SC_RETURN_IF_ERROR(LockMigrations(tx));
      // Another process may have applied it since we looked.
      SC_ASSIGN_OR_RETURN(Rows done, tx.Query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                              {static_cast<int64_t>(m.version)}));
      if (!done.empty()) {
        skipped = true;
        return core::Ok();
      }
      for (const std::string& statement : statements) {
        SC_RETURN_IF_ERROR(tx.Execute(statement));
      }
      SC_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     {static_cast<int64_t>(m.version), m.name, NowUtc()}));
      return core::Ok();
    });
    if (!s) {
      // A concurrent migrator that won the race makes ours fail (duplicate table, conflict
      // on schema_migrations); that is success if it applied this very migration.
      core::Result<std::map<int, std::string>> now = ReadApplied(db);
      if (now && now->count(m.version) != 0 && now->at(m.version) == m.name) continue;
      core::Error e = std::move(s).error();
      e.message = Label(m) + ": " + e.message;
      return e;
    }
    if (!skipped) core::log::info("storage: applied {}", Label(m));
  }
  return core::Ok();
}

core::Result<MigrationStatus> GetMigrationStatus(Database& db,
                                                 const std::vector<Migration>& migrations) {
  MigrationStatus status;
  for (const Migration& m : migrations) status.latest = std::max(status.latest, m.version);
  SC_ASSIGN_OR_RETURN(auto applied, ReadApplied(db));
  if (!applied.empty()) status.current = applied.rbegin()->first;
  return status;
}

}  // namespace soundcheck::storage
