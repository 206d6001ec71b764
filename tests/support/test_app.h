// Test fixtures shared by the cross-module suites: an App on a fresh SQLite file (or the
// PostgreSQL server of SC_TEST_PG_URL, in a fresh schema), a manual clock, fast Argon2
// parameters, and helpers that speak to the pipeline like a browser would.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "app/app.h"
#include "core/clock.h"
#include "http/message.h"
#include "http/pipeline.h"
#include "storage/testing/fault_injecting_database.h"

namespace soundcheck::testing {

struct TestAppOptions {
  // Use SC_TEST_PG_URL (fails the test when unset). Also when SC_TEST_DB=postgres, which is
  // how the api suites run a second time on PostgreSQL.
  bool postgres = false;
  std::string pg_schema;       // with postgres: a fresh schema name (default: random)
  std::string data_dir;        // default: a fresh temp dir
  bool inject_faults = false;  // put a FaultInjectingDatabase in front of the engine
  // Public requests per minute per address (0: the default). Suites that sign in hundreds
  // of times from one address raise it; the limit itself has its own tests.
  int public_requests_per_minute = 0;
};

// A fresh directory under the test temp dir; removed by the caller if it cares.
std::string FreshDir(const std::string& prefix);

// PostgreSQL URL from SC_TEST_PG_URL with search_path set to a new schema (created here).
// ADD_FAILURE()s and returns "" when SC_TEST_PG_URL is not set.
std::string FreshPostgresUrl(std::string* schema_out = nullptr);

class TestApp {
 public:
  explicit TestApp(TestAppOptions options = {});
  app::App& app() { return *app_; }
  core::ManualClock& clock() { return clock_; }
  const std::string& data_dir() const { return data_dir_; }
  config::Config& config() { return config_; }
  // With inject_faults: the decorator every service writes through.
  storage::FaultInjectingDatabase* faults() { return faults_; }

  // Sends a request through the full pipeline.
  http::Response Call(const std::string& method, const std::string& target,
                      const std::string& body = "", const std::string& cookie = "",
                      const std::string& csrf = "",
                      std::vector<std::pair<std::string, std::string>> headers = {});

  // Creates an account through the system path, TOTP pre-enrolled with the returned secret.
  struct Account {
    std::string id, email, password, totp_secret;
  };
  Account CreateAccount(const std::string& role, const std::string& email = "");

  // Logs in (with a TOTP code when enrolled); returns cookie value and CSRF token.
  struct Session {
    std::string cookie, csrf;
    int status = 0;
  };
  Session Login(const Account& a);

  // A TOTP code for `secret` at a step after any used before (advances the clock 30 s).
  std::string NextCode(const std::string& secret);

 private:
  core::ManualClock clock_;
  config::Config config_;
  std::string data_dir_;
  std::unique_ptr<app::App> app_;
  storage::FaultInjectingDatabase* faults_ = nullptr;
  int accounts_ = 0;
};

boost::json::value ParseJson(const std::string& body);
// Appends the response to $SC_API_RECORD (if set) for the OpenAPI contract check.
void RecordForContract(const std::string& method, const std::string& path,
                       const http::Response& response);
std::string CookieFrom(const http::Response& r);

}  // namespace soundcheck::testing
