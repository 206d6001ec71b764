// PostgreSQL test set-up shared by the pg suites: the server comes from SC_TEST_PG_URL
// (scripts/start-postgres prints it), and each test gets a schema of its own.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <string>

#include "storage/database.h"

namespace soundcheck::storage::test {

inline constexpr const char* kPgUrlMissing =
    "SC_TEST_PG_URL is not set. This suite needs a PostgreSQL server:\n"
    "  eval \"export $(scripts/start-postgres /tmp/sc-pg)\"   # prints SC_TEST_PG_URL=...\n"
    "  ctest --test-dir <build> -L pg\n"
    "  scripts/stop-postgres /tmp/sc-pg";

// The server URL, or "" after recording a test failure that says how to get one.
inline std::string PgUrlOrFail() {
  const char* url = std::getenv("SC_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << kPgUrlMissing;
    return "";
  }
  return url;
}

// `url` with one more libpq URI parameter.
inline std::string WithParam(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

// A schema name no other test (or concurrent ctest process) uses.
inline std::string UniqueSchemaName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(rd() % 100000);
}

// Creates a schema on construction and drops it (CASCADE) on destruction; Url() opens
// databases whose search_path is that schema, so tests see only their own tables.
class PgSchema {
 public:
  explicit PgSchema(const std::string& prefix = "sc_test") {
    base_url_ = PgUrlOrFail();
    if (base_url_.empty()) return;
    OpenOptions o;
    o.pool_size = 1;
    auto admin = OpenDatabase(base_url_, o);
    if (!admin) {
      ADD_FAILURE() << "cannot connect to SC_TEST_PG_URL: " << admin.error().message;
      return;
    }
    admin_ = std::move(admin).value();
    name_ = UniqueSchemaName(prefix);
    Status s = admin_->Transact([&](Transaction& tx) -> Status {
      SC_RETURN_IF_ERROR(tx.Execute("CREATE SCHEMA " + name_));
      return core::Ok();
    });
    if (!s) {
      ADD_FAILURE() << "cannot create schema: " << s.error().message;
      admin_.reset();
    }
  }
  ~PgSchema() {
    if (admin_ == nullptr) return;
    Status s = admin_->Transact([&](Transaction& tx) -> Status {
      SC_RETURN_IF_ERROR(tx.Execute("DROP SCHEMA " + name_ + " CASCADE"));
      return core::Ok();
    });
    if (!s) ADD_FAILURE() << "cannot drop schema " << name_ << ": " << s.error().message;
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  bool ok() const { return admin_ != nullptr; }
  const std::string& name() const { return name_; }
  // The server URL with search_path set to this schema ("-c" passed as a startup option).
  std::string Url() const { return WithParam(base_url_, "options=-csearch_path%3D" + name_); }
  Database& admin() { return *admin_; }

 private:
  std::string base_url_;
  std::string name_;
  std::unique_ptr<Database> admin_;
};

}  // namespace soundcheck::storage::test
