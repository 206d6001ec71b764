#include "storage/postgres/placeholders.h"

#include <gtest/gtest.h>

namespace soundcheck::storage::detail {
namespace {

TEST(RewritePlaceholders, NumbersPlaceholdersInOrder) {
  RewrittenSql r = RewritePlaceholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?)");
  EXPECT_EQ(r.sql, "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(r.placeholders, 3);
  EXPECT_FALSE(r.several_statements);
}

TEST(RewritePlaceholders, IgnoresStringLiteralsAndDoubledQuotes) {
  RewrittenSql r = RewritePlaceholders("SELECT '?', 'it''s ?', ? , ''");
  EXPECT_EQ(r.sql, "SELECT '?', 'it''s ?', $1 , ''");
  EXPECT_EQ(r.placeholders, 1);
}

TEST(RewritePlaceholders, EscapeStringsHonourBackslashes) {
  RewrittenSql r = RewritePlaceholders(R"(SELECT E'a\'?', e'\\', ?)");
  EXPECT_EQ(r.sql, R"(SELECT E'a\'?', e'\\', $1)");
  EXPECT_EQ(r.placeholders, 1);
  // In a standard string a backslash is just a character, so the quote after it closes.
  r = RewritePlaceholders(R"(SELECT 'a\', ?)");
  EXPECT_EQ(r.sql, R"(SELECT 'a\', $1)");
  // An identifier ending in e followed by a string is not an escape string.
  r = RewritePlaceholders(R"(SELECT type'\', ?)");
  EXPECT_EQ(r.placeholders, 1);
}

TEST(RewritePlaceholders, IgnoresQuotedIdentifiersAndComments) {
  RewrittenSql r = RewritePlaceholders(
      "SELECT \"odd?\"\"name\" -- what?\n, ? /* why? /* nested? */ still? */ , ?");
  EXPECT_EQ(r.sql, "SELECT \"odd?\"\"name\" -- what?\n, $1 /* why? /* nested? */ still? */ , $2");
  EXPECT_EQ(r.placeholders, 2);
}

TEST(RewritePlaceholders, IgnoresDollarQuotedBodies) {
  RewrittenSql r = RewritePlaceholders("SELECT $$a?b$$, $fn$ ? ; $$ $fn$, ?");
  EXPECT_EQ(r.sql, "SELECT $$a?b$$, $fn$ ? ; $$ $fn$, $1");
  EXPECT_EQ(r.placeholders, 1);
  EXPECT_FALSE(r.several_statements);
  // $1 and identifiers with $ are not dollar quotes.
  r = RewritePlaceholders("SELECT a$b, ? FROM t");
  EXPECT_EQ(r.sql, "SELECT a$b, $1 FROM t");
}

TEST(RewritePlaceholders, DetectsSeveralStatements) {
  EXPECT_FALSE(RewritePlaceholders("SELECT 1;").several_statements);
  EXPECT_FALSE(RewritePlaceholders("SELECT 1;  -- done\n").several_statements);
  EXPECT_FALSE(RewritePlaceholders("SELECT ';DROP'").several_statements);
  EXPECT_TRUE(RewritePlaceholders("SELECT 1; SELECT 2").several_statements);
  EXPECT_TRUE(RewritePlaceholders("SELECT ?; DROP TABLE t").several_statements);
}

TEST(RewritePlaceholders, UnterminatedLiteralIsCopied) {
  RewrittenSql r = RewritePlaceholders("SELECT 'abc ?");
  EXPECT_EQ(r.sql, "SELECT 'abc ?");
  EXPECT_EQ(r.placeholders, 0);
}

}  // namespace
}  // namespace soundcheck::storage::detail
