#include "storage/postgres/errors.h"

#include <string>

namespace soundcheck::storage::detail {
namespace {

std::string_view ConditionName(std::string_view state) {
  struct Entry {
    std::string_view state, name;
  };
  static constexpr Entry kNames[] = {
      {"23505", "unique_violation"},
      {"23503", "foreign_key_violation"},
      {"23502", "not_null_violation"},
      {"23514", "check_violation"},
      {"23P01", "exclusion_violation"},
      {"23001", "restrict_violation"},
      {"40001", "serialization_failure"},
      {"40P01", "deadlock_detected"},
      {"25006", "read_only_sql_transaction"},
      {"25P02", "in_failed_sql_transaction"},
      {"42601", "syntax_error"},
      {"42P01", "undefined_table"},
      {"42703", "undefined_column"},
      {"42883", "undefined_function"},
      {"42P07", "duplicate_table"},
      {"42804", "datatype_mismatch"},
      {"42P18", "indeterminate_datatype"},
      {"22P02", "invalid_text_representation"},
      {"22003", "numeric_value_out_of_range"},
      {"22001", "string_data_right_truncation"},
      {"22021", "character_not_in_repertoire"},
      {"22012", "division_by_zero"},
      {"53300", "too_many_connections"},
      {"55P03", "lock_not_available"},
      {"57014", "query_canceled"},
      {"57P01", "admin_shutdown"},
      {"57P02", "crash_shutdown"},
      {"57P03", "cannot_connect_now"},
      {"08006", "connection_failure"},
      {"08003", "connection_does_not_exist"},
      {"08001", "sqlclient_unable_to_establish_sqlconnection"},
  };
  for (const Entry& e : kNames) {
    if (e.state == state) return e.name;
  }
  return "";
}

std::string Field(const PGresult* r, int code) {
  const char* v = r == nullptr ? nullptr : PQresultErrorField(r, code);
  return v == nullptr ? std::string() : std::string(v);
}

std::string TrimmedConnectionMessage(PGconn* conn) {
  std::string m = conn == nullptr ? "no connection" : PQerrorMessage(conn);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  // libpq may put several lines; one line is enough for a log.
  for (char& c : m) {
    if (c == '\n') c = ' ';
  }
  return m.empty() ? std::string("connection failed") : m;
}

}  // namespace

EngineError PgConnectionError(PGconn* conn, std::string_view context) {
  EngineError e;
  e.error = core::Error::Unavailable(std::string(context) + ": " + TrimmedConnectionMessage(conn));
  e.retryable = true;
  e.connection_lost = true;
  return e;
}

EngineError PgResultError(const PGresult* result, PGconn* conn, std::string_view context) {
  const std::string state = Field(result, PG_DIAG_SQLSTATE);
  if (state.empty() || (conn != nullptr && PQstatus(conn) != CONNECTION_OK)) {
    // No SQLSTATE: libpq lost the connection (or never had a result).
    return PgConnectionError(conn, context);
  }
  std::string message(context);
  message += ": postgres ";
  message += state;
  if (std::string_view name = ConditionName(state); !name.empty()) {
    message += ' ';
    message += name;
  }
  if (std::string c = Field(result, PG_DIAG_CONSTRAINT_NAME); !c.empty()) {
    message += " constraint " + c;
  }
  if (std::string t = Field(result, PG_DIAG_TABLE_NAME); !t.empty()) message += " table " + t;
  if (std::string col = Field(result, PG_DIAG_COLUMN_NAME); !col.empty()) {
    message += " column " + col;
  }
  const std::string_view cls = std::string_view(state).substr(0, 2);
  if (cls == "42" || cls == "0A") {
    // Syntax and "not supported" texts quote the SQL text (identifiers, tokens), never
    // bound values, and are what a developer needs to fix the statement.
    message += ": " + Field(result, PG_DIAG_MESSAGE_PRIMARY);
  }

  EngineError e;
  if (state == "23505" || state == "23503" || state == "23P01" || state == "23001") {
    e.error = core::Error::Conflict(std::move(message));
  } else if (state == "23502" || state == "23514" || cls == "22") {
    e.error = core::Error::InvalidArgument(std::move(message));
  } else if (state == "40001" || state == "40P01") {
    e.error = core::Error::Unavailable(std::move(message));
    e.retryable = true;
  } else if (cls == "08" || cls == "53" || state == "57P01" || state == "57P02" ||
             state == "57P03" || state == "55P03" || state == "57014") {
    e.error = core::Error::Unavailable(std::move(message));
    e.connection_lost = cls == "08" || state == "57P01" || state == "57P02";
    e.retryable = e.connection_lost;
  } else {
    e.error = core::Error::Internal(std::move(message));
  }
  return e;
}

}  // namespace soundcheck::storage::detail
