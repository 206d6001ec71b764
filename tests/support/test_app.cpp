#include "tests/support/test_app.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "crypto/totp.h"
#include "http/pipeline.h"
#include "storage/database.h"

namespace soundcheck::testing {

std::string FreshDir(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  auto dir = std::filesystem::path(::testing::TempDir()) /
             (prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(rng() % 1000000000));
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string FreshPostgresUrl(std::string* schema_out) {
  const char* base = std::getenv("SC_TEST_PG_URL");
  if (!base || !*base) {
    ADD_FAILURE() << "SC_TEST_PG_URL is not set: start a server with scripts/start-postgres "
                     "(make test does this)";
    return "";
  }
  static std::mt19937_64 rng{std::random_device{}()};
  std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(rng() % 1000000000);
  auto db = storage::OpenDatabase(base);
  if (!db) {
    ADD_FAILURE() << "cannot reach PostgreSQL: " << db.error().message;
    return "";
  }
  auto st = (*db)->Transact([&](storage::Transaction& tx) -> core::Status {
    auto r = tx.Execute("CREATE SCHEMA " + schema);
    if (!r) return std::move(r).error();
    return core::Ok();
  });
  if (!st) {
    ADD_FAILURE() << "cannot create schema: " << st.error().message;
    return "";
  }
  if (schema_out) *schema_out = schema;
  std::string url = base;
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-csearch_path%3D" + schema;
  return url;
}

TestApp::TestApp(TestAppOptions options) : clock_(core::FromUnixSeconds(1'790'000'000)) {
  data_dir_ = options.data_dir.empty() ? FreshDir("sc-app") : options.data_dir;
  config_.data_dir = data_dir_;
  config_.passwords.argon2_ops = 1;
  config_.passwords.argon2_mem_mib = 8;
  config_.passwords.common_list_file = std::string(SC_SOURCE_DIR) + "/data/common-passwords.txt";
  config_.web_dir = data_dir_ + "/no-web";
  if (options.public_requests_per_minute > 0) {
    config_.limits.public_requests_per_minute = options.public_requests_per_minute;
  }
  const char* which = std::getenv("SC_TEST_DB");
  if (options.postgres || (which && std::string(which) == "postgres")) {
    config_.db = FreshPostgresUrl();
  }
  app::AppOptions ao;
  ao.clock = &clock_;
  if (options.inject_faults) {
    ao.wrap_database = [this](storage::Database& inner) {
      auto f = std::make_unique<storage::FaultInjectingDatabase>(inner);
      faults_ = f.get();
      return std::unique_ptr<storage::Database>(std::move(f));
    };
  }
  auto a = app::App::Open(config_, ao);
  if (!a) {
    ADD_FAILURE() << "App::Open failed: " << a.error().message;
    std::abort();
  }
  app_ = std::move(*a);
}

http::Response TestApp::Call(const std::string& method, const std::string& target,
                             const std::string& body, const std::string& cookie,
                             const std::string& csrf,
                             std::vector<std::pair<std::string, std::string>> headers) {
  http::Request r;
  r.method = method;
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  r.body = body;
  r.remote_address = "127.0.0.1";
  if (!body.empty()) r.headers.Add("Content-Type", "application/json");
  if (!cookie.empty()) r.headers.Add("Cookie", "sc_session=" + cookie);
  if (!csrf.empty()) r.headers.Add("X-CSRF-Token", csrf);
  for (auto& [k, v] : headers) r.headers.Add(k, v);
  std::string path = r.path;
  http::Response resp = app_->pipeline().Handle(std::move(r));
  RecordForContract(method, path, resp);
  return resp;
}

void RecordForContract(const std::string& method, const std::string& path,
                       const http::Response& response) {
  // With SC_API_RECORD set, every response is appended (one JSON line, one write) so the
  // contract check can validate real responses against the OpenAPI document.
  const char* file = std::getenv("SC_API_RECORD");
  if (!file || !*file) return;
  boost::json::object o{{"method", method},
                        {"path", path},
                        {"status", response.status},
                        {"content_type", response.headers.Get("Content-Type")},
                        {"body", response.body}};
  std::string line = boost::json::serialize(o) + "\n";
  int fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) return;
  (void)!write(fd, line.data(), line.size());
  close(fd);
}

TestApp::Account TestApp::CreateAccount(const std::string& role, const std::string& email) {
  Account a;
  a.email =
      email.empty() ? "person" + std::to_string(++accounts_) + "." + role + "@example.test" : email;
  a.password = "zq7 violet lantern quay " + std::to_string(accounts_);
  a.totp_secret = crypto::NewTotpSecret();
  auto u = app_->accounts().CreateUserAsSystem(
      {a.email, "Test Person " + std::to_string(accounts_), role, a.password}, a.totp_secret);
  EXPECT_TRUE(u) << (u ? "" : u.error().message);
  if (u) a.id = u->id;
  return a;
}

std::string TestApp::NextCode(const std::string& secret) {
  clock_.Advance(std::chrono::seconds(30));
  return crypto::TotpCode(secret, clock_.Now());
}

TestApp::Session TestApp::Login(const Account& a) {
  boost::json::object body{{"email", a.email}, {"password", a.password}};
  if (!a.totp_secret.empty()) body["totp_code"] = NextCode(a.totp_secret);
  auto r = Call("POST", "/api/v1/auth/login", boost::json::serialize(body));
  Session s;
  s.status = r.status;
  if (r.status != 200) return s;
  s.cookie = CookieFrom(r);
  s.csrf = std::string(ParseJson(r.body).at("csrf_token").as_string());
  return s;
}

boost::json::value ParseJson(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return nullptr;
  return v;
}

std::string CookieFrom(const http::Response& r) {
  for (const auto& [k, v] : r.headers.all()) {
    if (k == "Set-Cookie" && v.rfind("sc_session=", 0) == 0) {
      return v.substr(11, v.find(';') - 11);
    }
  }
  return "";
}

}  // namespace soundcheck::testing
