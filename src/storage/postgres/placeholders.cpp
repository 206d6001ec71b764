#include "storage/postgres/placeholders.h"

#include <cctype>

namespace soundcheck::storage::detail {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsTagStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsTagChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  const size_t n = sql.size();
  bool after_semicolon = false;  // a top-level `;` was seen; only blanks/comments may follow
  size_t i = 0;

  // Copies sql[from, to) verbatim.
  auto copy = [&](size_t from, size_t to) { out.sql.append(sql.substr(from, to - from)); };

  while (i < n) {
    const char c = sql[i];
    // Line comment.
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? n : end;
      copy(i, end);
      i = end;
      continue;
    }
    // Block comment; PostgreSQL nests them.
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t j = i + 2;
      int depth = 1;
      while (j < n && depth > 0) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      copy(i, j);
      i = j;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      out.sql.push_back(c);
      ++i;
      continue;
    }
    if (after_semicolon && c != ';') out.several_statements = true;

    if (c == '\'') {
      // E'…' (escape string) when the quote follows a lone E/e.
      const bool escape_string =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < n) {
        if (escape_string && sql[j] == '\\') {
          j += 2;
          continue;
        }
        if (sql[j] == '\'') {
          if (j + 1 < n && sql[j + 1] == '\'') {  // '' is a quote inside the literal
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
      if (j > n) j = n;
      copy(i, j);
      i = j;
      continue;
    }
    if (c == '"') {
      size_t j = i + 1;
      while (j < n) {
        if (sql[j] == '"') {
          if (j + 1 < n && sql[j + 1] == '"') {
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
      copy(i, j);
      i = j;
      continue;
    }
    if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      // $tag$ or $$ opens a dollar-quoted body; $1 is a positional parameter, not a quote.
      size_t j = i + 1;
      if (j < n && IsTagStart(sql[j])) {
        while (j < n && IsTagChar(sql[j])) ++j;
      }
      if (j < n && sql[j] == '$') {
        const std::string_view tag = sql.substr(i, j - i + 1);
        const size_t close = sql.find(tag, j + 1);
        const size_t end = close == std::string_view::npos ? n : close + tag.size();
        copy(i, end);
        i = end;
        continue;
      }
    }
    if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.placeholders);
      ++i;
      continue;
    }
    if (c == ';') after_semicolon = true;
    // Identifiers and keywords are copied whole so a `$` inside one is never a quote.
    if (IsIdentChar(c)) {
      size_t j = i + 1;
      while (j < n && IsIdentChar(sql[j])) ++j;
      copy(i, j);
      i = j;
      continue;
    }
    out.sql.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace soundcheck::storage::detail
