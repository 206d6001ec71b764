#include "storage/migrations.h"

#include <gtest/gtest.h>

namespace soundcheck::storage {
namespace {

using Strings = std::vector<std::string>;

TEST(SplitSqlStatements, SplitsAtSemicolonAtEndOfLine) {
  EXPECT_EQ(SplitSqlStatements("CREATE TABLE a (x INTEGER);\nCREATE TABLE b (\n  y TEXT\n);\n"),
            (Strings{"CREATE TABLE a (x INTEGER)", "CREATE TABLE b (\n  y TEXT\n)"}));
}

TEST(SplitSqlStatements, SemicolonInsideALineDoesNotSplit) {
  EXPECT_EQ(SplitSqlStatements("INSERT INTO t VALUES ('a;b');\r\nSELECT 1;   \n"),
            (Strings{"INSERT INTO t VALUES ('a;b')", "SELECT 1"}));
}

TEST(SplitSqlStatements, DropsCommentsOnlyPiecesAndKeepsLastStatementWithoutSemicolon) {
  EXPECT_EQ(SplitSqlStatements("-- header\n\n-- more;\nSELECT 1;\n-- trailer\nSELECT 2"),
            (Strings{"-- header\n\n-- more;\nSELECT 1", "-- trailer\nSELECT 2"}));
  EXPECT_TRUE(SplitSqlStatements("-- nothing to do here\n").empty());
  EXPECT_TRUE(SplitSqlStatements("").empty());
}

TEST(SplitSqlStatements, TrailingLineCommentsAreIgnoredWhenLookingForTheEnd) {
  EXPECT_EQ(
      SplitSqlStatements("CREATE TABLE t (\n  a INTEGER, -- note;\n  b TEXT -- x\n); -- done\n"
                         "SELECT '--;'; -- quoted dashes\n"),
      (Strings{"CREATE TABLE t (\n  a INTEGER, -- note;\n  b TEXT -- x\n)", "SELECT '--;'"}));
}

TEST(SplitSqlStatements, DollarQuotedBodiesStayWhole) {
  const std::string sql =
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN\n"
      "  RAISE EXCEPTION 'no';\n"
      "END;\n"
      "$$;\n"
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n"
      "SELECT 3;\n";
  Strings s = SplitSqlStatements(sql);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].substr(0, 17), "CREATE FUNCTION f");
  EXPECT_NE(s[0].find("END;\n$$"), std::string::npos);
  EXPECT_EQ(s[1], "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$");
  EXPECT_EQ(s[2], "SELECT 3");
}

TEST(SplitSqlStatements, SqliteTriggerBodiesStayWhole) {
  const std::string sql =
      "CREATE TRIGGER t1 BEFORE DELETE ON a\n"
      "BEGIN\n"
      "  SELECT RAISE(ABORT, 'append-only');\n"
      "  UPDATE b SET n = n + 1;\n"
      "END;\n"
      "CREATE TRIGGER t2 BEFORE UPDATE ON a BEGIN SELECT RAISE(ABORT, 'x'); END;\n"
      "create temp trigger t3 after insert on a begin\n delete from b;\nend;\n"
      "SELECT 4;\n";
  Strings s = SplitSqlStatements(sql);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_NE(s[0].find("UPDATE b SET n = n + 1;\nEND"), std::string::npos);
  EXPECT_EQ(s[1], "CREATE TRIGGER t2 BEFORE UPDATE ON a BEGIN SELECT RAISE(ABORT, 'x'); END");
  EXPECT_NE(s[2].find("delete from b;\nend"), std::string::npos);
  EXPECT_EQ(s[3], "SELECT 4");
}

TEST(SplitSqlStatements, PostgresTriggerWithoutBodyEndsNormally) {
  Strings s = SplitSqlStatements(
      "CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();\nSELECT 1;\n");
  EXPECT_EQ(s.size(), 2u);
}

std::vector<MigrationFile> Files(std::initializer_list<const char*> names) {
  std::vector<MigrationFile> files;
  for (const char* n : names) files.push_back({n, std::string("-- ") + n});
  return files;
}

TEST(MigrationsFromFiles, PicksGenericAndEngineFilesInOrder) {
  auto files =
      Files({"0002_b.sqlite.sql", "0002_b.postgres.sql", "0001_a.sql", "README.md", "0003_c.sql"});
  auto sqlite = MigrationsFromFiles(files, Dialect::kSqlite);
  ASSERT_TRUE(sqlite) << sqlite.error().message;
  ASSERT_EQ(sqlite->size(), 3u);
  EXPECT_EQ((*sqlite)[0].version, 1);
  EXPECT_EQ((*sqlite)[0].name, "a");
  EXPECT_EQ((*sqlite)[1].version, 2);
  EXPECT_EQ((*sqlite)[1].sql, "-- 0002_b.sqlite.sql");
  EXPECT_EQ((*sqlite)[2].name, "c");
  auto pg = MigrationsFromFiles(files, Dialect::kPostgres);
  ASSERT_TRUE(pg);
  EXPECT_EQ((*pg)[1].sql, "-- 0002_b.postgres.sql");
}

TEST(MigrationsFromFiles, RefusesBadSets) {
  const auto code = [](std::initializer_list<const char*> names) {
    auto r = MigrationsFromFiles(Files(names), Dialect::kSqlite);
    return r ? std::string("ok") : std::string(core::ErrorCodeName(r.error().code));
  };
  const std::string bad(core::ErrorCodeName(core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(code({"1_a.sql"}), bad);
  EXPECT_EQ(code({"0001_A.sql"}), bad);
  EXPECT_EQ(code({"0000_a.sql"}), bad);
  EXPECT_EQ(code({"0001_a.sql", "0001_b.sql"}), bad);
  EXPECT_EQ(code({"0001_a.sql", "0001_a.sqlite.sql", "0001_a.postgres.sql"}), bad);
  EXPECT_EQ(code({"0001_a.sqlite.sql"}), bad);
  EXPECT_EQ(code({"0001_a.sqlite.sql", "0001_b.postgres.sql"}), bad);
  EXPECT_EQ(code({"0001_a.mysql.sql"}), bad);
  EXPECT_EQ(code({"0001_a.sql", "notes.txt"}), "ok");
}

// The files other engineers add to src/storage/migrations/ must parse for both engines, and
// every statement must split cleanly.
TEST(EmbeddedMigrations, ParseForBothEngines) {
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    std::vector<Migration> m = EmbeddedMigrations(d);
    for (size_t i = 1; i < m.size(); ++i) EXPECT_LT(m[i - 1].version, m[i].version);
    for (const Migration& x : m) {
      EXPECT_FALSE(x.name.empty());
      for (const std::string& s : SplitSqlStatements(x.sql)) {
        EXPECT_FALSE(s.empty());
        EXPECT_NE(s.back(), ';') << x.version << ": " << s;
      }
    }
  }
}

}  // namespace
}  // namespace soundcheck::storage
