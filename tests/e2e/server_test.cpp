// The real binary over real sockets: limits, keep-alive, graceful shutdown, static assets,
// start-up errors, and the CLI (user add, token create, config check, backup/restore,
// audit verify, keys rotate).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "crypto/totp.h"
#include "storage/database.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

namespace fs = std::filesystem;

// Fast Argon2 for tests that log in many times; production parameters where timing matters.
const std::map<std::string, std::string> kFastHash = {{"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
                                                      {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"}};

struct Seeded {
  std::string dir, email, password, secret;
};

Seeded SeedAdmin(const std::map<std::string, std::string>& env = kFastHash) {
  Seeded s;
  s.dir = FreshDir("sc-e2e");
  s.email = "admin@example.test";
  s.password = "a long enough admin passphrase";
  s.secret = crypto::NewTotpSecret();
  std::string out;
  int rc = RunSoundcheck({"user", "add", "--data-dir", s.dir, "--email", s.email, "--role", "admin",
                          "--name", "Test Admin", "--totp-secret", s.secret},
                         s.password + "\n", &out, env);
  EXPECT_EQ(rc, 0) << out;
  return s;
}

std::string LoginBody(const Seeded& s, int64_t step_offset = 0) {
  auto now = std::chrono::system_clock::now() + std::chrono::seconds(30 * step_offset);
  boost::json::object o{
      {"email", s.email}, {"password", s.password}, {"totp_code", crypto::TotpCode(s.secret, now)}};
  return boost::json::serialize(o);
}

TEST(ServerTest, ServesHealthAndKeepsConnectionsAlive) {
  auto dir = FreshDir("sc-e2e");
  ServerProcess server({"--data-dir", dir}, kFastHash);
  ASSERT_TRUE(server.ok()) << server.error();
  HttpConnection c(server.port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    auto r = c.Request("GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("\"ok\""), std::string::npos);
  }
  EXPECT_EQ(c.Request("GET", "/readyz").status, 200);
  // The master key was created with owner-only permissions.
  struct stat st {};
  ASSERT_EQ(stat((dir + "/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(ServerTest, LimitsGiveProblems) {
  auto env = kFastHash;
  env["SOUNDCHECK_LIMITS_MAX_BODY_BYTES"] = "2048";
  env["SOUNDCHECK_LIMITS_MAX_HEADER_BYTES"] = "2048";
  ServerProcess server({"--data-dir", FreshDir("sc-e2e")}, env);
  ASSERT_TRUE(server.ok()) << server.error();
  auto big = Fetch(server.port(), "POST", "/api/v1/auth/login", std::string(4096, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.headers["content-type"], "application/problem+json");
  auto headers = Fetch(server.port(), "GET", "/healthz", "", {{"X-Big", std::string(4096, 'h')}});
  EXPECT_EQ(headers.status, 431);
  HttpConnection c(server.port());
  ASSERT_TRUE(c.SendRaw("THIS IS NOT HTTP\r\n\r\n"));
  EXPECT_EQ(c.ReadResponse().status, 400);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(ServerTest, OnlyAnAdminMaySendAFileLargerThanTheBodyLimit) {
  auto env = kFastHash;
  env["SOUNDCHECK_LIMITS_MAX_BODY_BYTES"] = "2048";
  env["SOUNDCHECK_LIMITS_MAX_UPLOAD_BYTES"] = "65536";
  const std::string dir = FreshDir("sc-e2e-upload");
  std::string out;
  ASSERT_EQ(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", "admin@example.org",
                           "--role", "admin", "--name", "Demo Admin"},
                          "a long enough admin passphrase\n", &out, env),
            0)
      << out;
  out.clear();
  ASSERT_EQ(RunSoundcheck({"token", "create", "--data-dir", dir, "--email", "admin@example.org",
                           "--name", "t"},
                          "", &out, env),
            0)
      << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  const std::string token = out.substr(out.find_last_of('\n') + 1);
  ServerProcess server({"--data-dir", dir}, env);
  ASSERT_TRUE(server.ok()) << server.error();
  // 10 KB: over the body limit, under the upload limit. A valid (if empty) HSDS array.
  std::string file = "[" + std::string(10000, ' ') + "]";
  const std::string path = "/api/v1/directory/imports?format=json&dry_run=true";
  // No credentials, or wrong ones: the ordinary limit, so a stranger cannot make us buffer.
  EXPECT_EQ(Fetch(server.port(), "POST", path, file).status, 413);
  EXPECT_EQ(Fetch(server.port(), "POST", path, file, {{"Authorization", "Bearer not-a-real-token"}})
                .status,
            413);
  auto ok = Fetch(server.port(), "POST", path, file, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(ok.status, 202) << ok.body;
  // Over the upload limit even for an admin.
  EXPECT_EQ(Fetch(server.port(), "POST", path, std::string(70000, ' '),
                  {{"Authorization", "Bearer " + token}})
                .status,
            413);
  // Other routes keep the body limit whoever calls.
  EXPECT_EQ(
      Fetch(server.port(), "POST", "/api/v1/tokens", file, {{"Authorization", "Bearer " + token}})
          .status,
      413);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(ServerTest, GracefulShutdownFinishesInFlightRequests) {
  // Production Argon2 parameters make a login take a noticeable time.
  auto s = SeedAdmin({});
  ServerProcess server({"--data-dir", s.dir});
  ASSERT_TRUE(server.ok()) << server.error();
  HttpConnection c(server.port());
  ASSERT_TRUE(c.connected());
  boost::json::object wrong{{"email", s.email}, {"password", "wrong password, slow hash"}};
  std::string body = boost::json::serialize(wrong);
  ASSERT_TRUE(
      c.SendRaw("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                "application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  std::thread stopper([&] { EXPECT_EQ(server.Stop(SIGTERM), 0); });
  auto r = c.ReadResponse(30000);
  EXPECT_EQ(r.status, 401) << "the in-flight request must be answered";
  stopper.join();
  // And new connections are refused after shutdown.
  HttpConnection after(server.port());
  EXPECT_FALSE(after.connected() && after.Request("GET", "/healthz").status == 200);
}

TEST(ServerTest, ServesTheConsoleWithDeepLinksAndCaching) {
  auto dir = FreshDir("sc-e2e");
  auto web = dir + "/web";
  fs::create_directories(web + "/assets");
  std::ofstream(web + "/index.html")
      << "<!doctype html><title>console</title><div id=app></div><!--sc:crisis--></html>";
  std::ofstream(web + "/assets/app-abc123.js") << "console.log(1)";
  ServerProcess server({"--data-dir", dir, "--web-dir", web}, kFastHash);
  ASSERT_TRUE(server.ok()) << server.error();
  auto index = Fetch(server.port(), "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("console"), std::string::npos);
  EXPECT_EQ(index.headers["cache-control"], "no-cache");
  auto deep = Fetch(server.port(), "GET", "/users/some-id");
  EXPECT_EQ(deep.status, 200);
  EXPECT_EQ(deep.body, index.body);
  // Every page carries the crisis line in its server-sent HTML (no script needed).
  EXPECT_NE(index.body.find("id=\"crisis-footer\""), std::string::npos) << index.body;
  EXPECT_NE(index.body.find("988"), std::string::npos);
  EXPECT_EQ(index.body.find("<!--sc:crisis-->"), std::string::npos);
  auto es = Fetch(server.port(), "GET", "/es/intake?country=GB");
  EXPECT_EQ(es.status, 200);
  EXPECT_NE(es.body.find("116 123"), std::string::npos) << es.body;
  EXPECT_NE(es.body.find("¿Necesitas ayuda ahora?"), std::string::npos);
  auto accept = Fetch(server.port(), "GET", "/intake", "", {{"Accept-Language", "es-MX,es;q=0.9"}});
  EXPECT_NE(accept.body.find("lang=\"es\""), std::string::npos);
  auto odd = Fetch(server.port(), "GET", "/intake?country=%3C%3E");
  EXPECT_EQ(odd.status, 200);
  EXPECT_NE(odd.body.find("988"), std::string::npos) << "an unusable country falls back";
  EXPECT_EQ(odd.body.find("<>"), std::string::npos);
  auto asset = Fetch(server.port(), "GET", "/assets/app-abc123.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_NE(asset.headers["cache-control"].find("immutable"), std::string::npos);
  EXPECT_EQ(Fetch(server.port(), "GET", "/assets/missing.js").status, 404);
  EXPECT_EQ(Fetch(server.port(), "GET", "/../../etc/passwd").status, 404);
  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/unknown").status, 404);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(ServerTest, BadConfigurationStopsStartUpNamingTheProblem) {
  std::string out;
  EXPECT_EQ(
      RunSoundcheck({"serve", "--listen", "nohostport", "--data-dir", FreshDir("sc")}, "", &out),
      2);
  EXPECT_NE(out.find("bad value for listen"), std::string::npos) << out;
  EXPECT_EQ(RunSoundcheck({"serve", "--data-dir", FreshDir("sc")}, "", &out,
                          {{"SOUNDCHECK_LIMITS_MAX_BODYBYTES", "1"}}),
            2);
  EXPECT_NE(out.find("SOUNDCHECK_LIMITS_MAX_BODYBYTES"), std::string::npos) << out;
  auto cfg = FreshDir("sc") + "/c.json";
  std::ofstream(cfg) << R"({"listen": "127.0.0.1:1", "sessions": {"idle_minutes": 0}})";
  EXPECT_EQ(RunSoundcheck({"serve", "--config", cfg}, "", &out), 2);
  EXPECT_NE(out.find("sessions.idle_minutes"), std::string::npos) << out;
}

TEST(ServerTest, ConfigCheckRedactsSecrets) {
  std::string out;
  EXPECT_EQ(RunSoundcheck({"config", "check", "--db", "postgres://sc:s3cr3t-pw@127.0.0.1:1/sc"}, "",
                          &out),
            0);
  EXPECT_EQ(out.find("s3cr3t-pw"), std::string::npos) << out;
  EXPECT_NE(out.find("\"listen\":\"127.0.0.1:8080\""), std::string::npos) << out;
}

TEST(ServerTest, UserAddRefusesWeakPasswordsAndTokensWork) {
  auto dir = FreshDir("sc-e2e");
  std::string out;
  EXPECT_NE(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", "x@example.test", "--role",
                           "admin", "--name", "X"},
                          "password\n", &out, kFastHash),
            0);
  EXPECT_NE(out.find("/password"), std::string::npos) << out;
  EXPECT_NE(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", "x@example.test", "--role",
                           "wizard", "--name", "X"},
                          "a fine long passphrase\n", &out, kFastHash),
            0);
  EXPECT_NE(out.find("/role"), std::string::npos) << out;
  ASSERT_EQ(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", "x@example.test", "--role",
                           "admin", "--name", "X"},
                          "a fine long passphrase\n", &out, kFastHash),
            0)
      << out;
  ASSERT_EQ(RunSoundcheck(
                {"token", "create", "--data-dir", dir, "--email", "x@example.test", "--name", "ci"},
                "", &out, kFastHash),
            0)
      << out;
  std::string token = out.substr(0, out.find('\n'));
  EXPECT_EQ(token.rfind("sc_", 0), 0u);
  ServerProcess server({"--data-dir", dir}, kFastHash);
  ASSERT_TRUE(server.ok()) << server.error();
  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/users", "", {{"Authorization", "Bearer " + token}})
                .status,
            200);
  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/users", "", {{"Authorization", "Bearer sc_nope"}})
                .status,
            401);
}

TEST(ServerTest, BackupRestoreAndAuditVerifyAndKeyRotation) {
  auto s = SeedAdmin();
  std::string out;
  std::string backup = s.dir + "/backup.db";
  ASSERT_EQ(RunSoundcheck({"backup", "--data-dir", s.dir, "--to", backup}, "", &out), 0) << out;
  ASSERT_EQ(RunSoundcheck({"audit", "verify", "--data-dir", s.dir}, "", &out), 0) << out;
  EXPECT_NE(out.find("audit chain intact"), std::string::npos) << out;

  // Restore into a new data directory (with the same master key) and log in there.
  auto restored = FreshDir("sc-restored");
  fs::copy_file(s.dir + "/master.key", restored + "/master.key");
  fs::permissions(restored + "/master.key", fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  ASSERT_EQ(RunSoundcheck({"restore", "--data-dir", restored, "--from", backup}, "", &out), 0)
      << out;
  EXPECT_NE(RunSoundcheck({"restore", "--data-dir", restored, "--from", backup}, "", &out), 0)
      << "restore must not overwrite an existing database without --overwrite";
  std::ofstream(s.dir + "/corrupt.db") << "this is not a database";
  EXPECT_NE(
      RunSoundcheck({"restore", "--data-dir", FreshDir("sc-x"), "--from", s.dir + "/corrupt.db"},
                    "", &out),
      0);
  {
    ServerProcess server({"--data-dir", restored}, kFastHash);
    ASSERT_TRUE(server.ok()) << server.error();
    EXPECT_EQ(Fetch(server.port(), "POST", "/api/v1/auth/login", LoginBody(s)).status, 200);
  }

  // Rotate the master key: the old file is kept, the data still opens.
  std::string old_key;
  std::getline(std::ifstream(s.dir + "/master.key"), old_key);
  ASSERT_EQ(RunSoundcheck({"keys", "rotate", "--data-dir", s.dir}, "", &out), 0) << out;
  std::string new_key;
  std::getline(std::ifstream(s.dir + "/master.key"), new_key);
  EXPECT_NE(old_key, new_key);
  EXPECT_TRUE(fs::exists(s.dir + "/master.key.old"));
  {
    ServerProcess server({"--data-dir", s.dir}, kFastHash);
    ASSERT_TRUE(server.ok()) << server.error();
    EXPECT_EQ(Fetch(server.port(), "POST", "/api/v1/auth/login", LoginBody(s, 1)).status, 200);
  }
  ASSERT_EQ(RunSoundcheck({"audit", "verify", "--data-dir", s.dir}, "", &out), 0) << out;

  // Tamper with the audit log directly: verify names the entry and exits non-zero.
  {
    auto db = storage::OpenDatabase("sqlite:" + s.dir + "/soundcheck.db");
    ASSERT_TRUE(db);
    auto st = (*db)->Transact([](storage::Transaction& tx) -> core::Status {
      for (const char* sql : {"DROP TRIGGER audit_log_append_only_update",
                              "UPDATE audit_log SET outcome = 'failure' WHERE seq = 2"}) {
        auto r = tx.Execute(sql);
        if (!r) return std::move(r).error();
      }
      return core::Ok();
    });
    ASSERT_TRUE(st) << st.error().message;
  }
  EXPECT_EQ(RunSoundcheck({"audit", "verify", "--data-dir", s.dir}, "", &out), 1);
  EXPECT_NE(out.find("BROKEN at entry 2"), std::string::npos) << out;
}

TEST(ServerTest, DemoSeedPrintsLoginsThatWork) {
  auto dir = FreshDir("sc-demo");
  std::string out;
  ASSERT_EQ(RunSoundcheck({"demo", "seed", "--data-dir", dir}, "", &out, kFastHash), 0) << out;
  EXPECT_NE(out.find("DEMO"), std::string::npos);
  std::string secret;
  std::ifstream(dir + "/demo-totp-secret.txt") >> secret;
  ASSERT_FALSE(secret.empty());
  EXPECT_NE(out.find(secret), std::string::npos) << "the printed secret is the stored one";
  // A second run keeps the accounts and prints the same secret.
  std::string again;
  ASSERT_EQ(RunSoundcheck({"demo", "seed", "--data-dir", dir}, "", &again, kFastHash), 0) << again;
  EXPECT_NE(again.find(secret), std::string::npos);
  EXPECT_NE(again.find("already existed"), std::string::npos);

  ServerProcess server({"--data-dir", dir}, kFastHash);
  ASSERT_TRUE(server.ok()) << server.error();
  Seeded s{dir, "casemanager@demo.soundcheck.invalid", "demo-only-password-not-for-production",
           secret};
  auto r = Fetch(server.port(), "POST", "/api/v1/auth/login", LoginBody(s));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("case_manager"), std::string::npos);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(ServerTest, AccessLogCarriesNoPersonalData) {
  auto s = SeedAdmin();
  std::string log_file = s.dir + "/server.log";
  ServerProcess server({"--data-dir", s.dir}, kFastHash, log_file);
  ASSERT_TRUE(server.ok()) << server.error();
  EXPECT_EQ(Fetch(server.port(), "POST", "/api/v1/auth/login", LoginBody(s)).status, 200);
  boost::json::object wrong{{"email", "canary.person@example.test"}, {"password", "canary-pw-xyz"}};
  EXPECT_EQ(
      Fetch(server.port(), "POST", "/api/v1/auth/login", boost::json::serialize(wrong)).status,
      401);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  std::ifstream in(log_file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string log = ss.str();
  EXPECT_NE(log.find("auth.login 200"), std::string::npos) << log;
  EXPECT_NE(log.find("auth.login 401"), std::string::npos) << log;
  for (const std::string& canary : {s.email, s.password, std::string("canary.person"),
                                    std::string("canary-pw-xyz"), std::string("Test Admin")}) {
    EXPECT_EQ(log.find(canary), std::string::npos) << canary << " reached the log";
  }
}

}  // namespace
}  // namespace soundcheck::testing
