// Rewrites `?` placeholders to PostgreSQL's $1..$n. Private to storage/.
#pragma once

#include <string>
#include <string_view>

namespace soundcheck::storage::detail {

struct RewrittenSql {
  std::string sql;                  // with $1..$n
  int placeholders = 0;             // how many `?` were rewritten
  bool several_statements = false;  // a `;` is followed by more than blanks and comments
};

// Replaces each `?` outside string literals ('…' with '' escapes, E'…' with backslash
// escapes), quoted identifiers ("…"), comments (-- … and nested /* … */) and dollar-quoted
// bodies ($$…$$, $tag$…$tag$) by $1, $2, … in order. Assumes standard_conforming_strings=on
// (the adapter sets it). Unterminated literals or comments are copied as they are; the
// server then reports the syntax error.
RewrittenSql RewritePlaceholders(std::string_view sql);

}  // namespace soundcheck::storage::detail
