// Two soundcheck processes on one PostgreSQL: a session made on node A works on node B,
// and a user created on B is visible on A. Needs SC_TEST_PG_URL (make test starts one).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "crypto/totp.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/sse_client.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

// A staff account made with the CLI on the shared database, and an API token for it.
std::string StaffToken(const std::string& dir, const std::string& key,
                       const std::map<std::string, std::string>& env, const std::string& email,
                       const std::string& role) {
  std::string out;
  EXPECT_EQ(RunSoundcheck({"user", "add", "--data-dir", dir, "--master-key-file", key, "--email",
                           email, "--role", role, "--name", "S"},
                          "a long enough staff passphrase\n", &out, env),
            0)
      << out;
  out.clear();
  EXPECT_EQ(RunSoundcheck({"token", "create", "--data-dir", dir, "--master-key-file", key,
                           "--email", email, "--name", "test"},
                          "", &out, env),
            0)
      << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out.substr(out.find_last_of('\n') + 1);
}

TEST(MultiNodeTest, SessionsAndUsersCrossNodes) {
  std::string url = FreshPostgresUrl();
  ASSERT_FALSE(url.empty());
  auto dir_a = FreshDir("sc-node-a");
  auto dir_b = FreshDir("sc-node-b");
  std::map<std::string, std::string> env = {{"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
                                            {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"},
                                            {"SOUNDCHECK_DB", url}};
  // Both nodes share the master key file (as they would share a secret store).
  std::string key = dir_a + "/master.key";
  std::string secret = crypto::NewTotpSecret();
  std::string out;
  ASSERT_EQ(RunSoundcheck(
                {"user", "add", "--data-dir", dir_a, "--master-key-file", key, "--email",
                 "admin@example.test", "--role", "admin", "--name", "A", "--totp-secret", secret},
                "a long enough admin passphrase\n", &out, env),
            0)
      << out;
  ServerProcess a({"--data-dir", dir_a, "--master-key-file", key}, env);
  ServerProcess b({"--data-dir", dir_b, "--master-key-file", key}, env);
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(b.ok()) << b.error();

  boost::json::object login{
      {"email", "admin@example.test"},
      {"password", "a long enough admin passphrase"},
      {"totp_code", crypto::TotpCode(secret, std::chrono::system_clock::now())}};
  auto r = Fetch(a.port(), "POST", "/api/v1/auth/login", boost::json::serialize(login));
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.headers["set-cookie"].substr(0, r.headers["set-cookie"].find(';'));
  std::string csrf(boost::json::parse(r.body).at("csrf_token").as_string());

  auto me_b = Fetch(b.port(), "GET", "/api/v1/me", "", {{"Cookie", cookie}});
  EXPECT_EQ(me_b.status, 200) << me_b.body;

  boost::json::object nu{{"email", "made.on.b@example.test"},
                         {"name", "Made On B"},
                         {"role", "case_manager"},
                         {"password", "another long passphrase"}};
  auto created = Fetch(b.port(), "POST", "/api/v1/users", boost::json::serialize(nu),
                       {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id(boost::json::parse(created.body).at("id").as_string());
  auto seen_a = Fetch(a.port(), "GET", "/api/v1/users/" + id, "", {{"Cookie", cookie}});
  EXPECT_EQ(seen_a.status, 200) << seen_a.body;
  EXPECT_NE(seen_a.body.find("made.on.b@example.test"), std::string::npos);

  // Logging out on B ends the session on A too.
  EXPECT_EQ(Fetch(b.port(), "POST", "/api/v1/auth/logout", "",
                  {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
                .status,
            204);
  EXPECT_EQ(Fetch(a.port(), "GET", "/api/v1/me", "", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(a.Stop(SIGTERM), 0);
  EXPECT_EQ(b.Stop(SIGTERM), 0);
}

// An event raised on node A reaches a console connected to node B (PostgreSQL NOTIFY), and
// one raised on B reaches A; a console that reconnects to the other node resumes without
// loss.
TEST(MultiNodeTest, LiveEventsCrossNodes) {
  std::string url = FreshPostgresUrl();
  ASSERT_FALSE(url.empty());
  auto dir_a = FreshDir("sc-live-a");
  auto dir_b = FreshDir("sc-live-b");
  std::map<std::string, std::string> env = {{"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
                                            {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"},
                                            {"SOUNDCHECK_DB", url}};
  std::string key = dir_a + "/master.key";
  const std::string token = StaffToken(dir_a, key, env, "sup@example.test", "supervisor");
  std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer " + token}};

  ServerProcess a({"--data-dir", dir_a, "--master-key-file", key}, env);
  ServerProcess b({"--data-dir", dir_b, "--master-key-file", key}, env);
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(b.ok()) << b.error();
  SseClient on_a(a.port(), "/api/v1/stream", auth);
  SseClient on_b(b.port(), "/api/v1/stream", auth);
  ASSERT_EQ(on_a.status(), 200);
  ASSERT_EQ(on_b.status(), 200);

  const std::string body =
      R"({"for":"self","preferred_name":"Node Tester","language":"en",
          "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
          "industry_role":"driver","location":{"country":"US","time_zone":"America/Chicago"},
          "requests":["therapy"],"screenings":[{"instrument":"phq2","answers":[0,1]}],
          "consents":{"privacy_notice_version":"2026-11","contact":true}})";
  auto created = [](const SseEvent& e) { return e.type == "case.created"; };
  auto r = Fetch(a.port(), "POST", "/api/v1/intakes", body, {{"Idempotency-Key", "node-a-1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string ref_a(boost::json::parse(r.body).at("reference").as_string());
  SseEvent on_b_first = on_b.WaitFor(created);
  ASSERT_EQ(on_b_first.type, "case.created") << "an event on A did not reach B";
  EXPECT_NE(on_b_first.data.find(ref_a), std::string::npos);
  EXPECT_EQ(on_a.WaitFor(created).type, "case.created");

  r = Fetch(b.port(), "POST", "/api/v1/intakes", body, {{"Idempotency-Key", "node-b-1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string ref_b(boost::json::parse(r.body).at("reference").as_string());
  SseEvent on_a_second = on_a.WaitFor(created);
  ASSERT_EQ(on_a_second.type, "case.created") << "an event on B did not reach A";
  EXPECT_NE(on_a_second.data.find(ref_b), std::string::npos);

  // The console on B reconnects to A after the first event: it gets the second, once.
  SseClient moved(a.port(), "/api/v1/stream", {auth[0], {"Last-Event-ID", on_b_first.id}});
  SseEvent resumed = moved.WaitFor(created);
  ASSERT_EQ(resumed.type, "case.created");
  EXPECT_EQ(resumed.id, on_a_second.id);
  EXPECT_EQ(a.Stop(SIGTERM), 0);
  EXPECT_EQ(b.Stop(SIGTERM), 0);
}

// A directory edit on node A reaches node B's matching index through the event log and
// NOTIFY, without a restart; prints the time from A's answer to B serving the change.
TEST(MultiNodeTest, MatchingIndexFollowsEditsOnOtherNodes) {
  std::string url = FreshPostgresUrl();
  ASSERT_FALSE(url.empty());
  auto dir_a = FreshDir("sc-match-a");
  auto dir_b = FreshDir("sc-match-b");
  std::map<std::string, std::string> env = {{"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
                                            {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"},
                                            {"SOUNDCHECK_DB", url}};
  std::string key = dir_a + "/master.key";
  const std::string token = StaffToken(dir_a, key, env, "sup@example.test", "supervisor");
  std::string out;
  // A small fictional directory whose openings are fresh today.
  const auto today = core::FormatRfc3339(std::chrono::system_clock::now()).substr(0, 10);
  out.clear();
  ASSERT_EQ(RunSoundcheck({"demo", "generate", "--providers", "120", "--seed", "3", "--out",
                           dir_a + "/directory", "--today", today},
                          "", &out, env),
            0)
      << out;
  out.clear();
  ASSERT_EQ(RunSoundcheck({"import", "hsds", dir_a + "/directory", "--data-dir", dir_a,
                           "--master-key-file", key},
                          "", &out, env),
            0)
      << out;

  ServerProcess a({"--data-dir", dir_a, "--master-key-file", key}, env);
  ServerProcess b({"--data-dir", dir_b, "--master-key-file", key}, env);
  ASSERT_TRUE(a.ok()) << a.error();
  ASSERT_TRUE(b.ok()) << b.error();
  // Listening comes before the matching index is in service (docs/matching.md, "Starting").
  for (int port : {a.port(), b.port()}) {
    bool ready = false;
    for (int i = 0; i < 1000 && !ready; ++i) {
      ready = Fetch(port, "GET", "/readyz").status == 200;
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(ready) << "node on port " << port << " was not ready within 10 s";
  }
  const std::string finder = "/api/v1/finder?jurisdiction=US-CA&limit=50";
  auto ids_on = [&](int port) {
    std::vector<std::string> ids;
    auto r = Fetch(port, "GET", finder);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto answer = boost::json::parse(r.body);
    for (const auto& item : answer.at("providers").at("items").as_array()) {
      ids.emplace_back(item.at("service_id").as_string());
    }
    return ids;
  };
  const auto before = ids_on(b.port());
  ASSERT_FALSE(before.empty()) << "the generated directory has listings in California";
  const std::string id = before.front();

  std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer " + token}};
  auto detail = Fetch(a.port(), "GET", "/api/v1/directory/services/" + id, "", auth);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto patch_headers = auth;
  patch_headers.push_back({"If-Match", detail.headers["etag"]});
  patch_headers.push_back({"Content-Type", "application/merge-patch+json"});
  auto paused = Fetch(a.port(), "PATCH", "/api/v1/directory/services/" + id,
                      R"({"status":"inactive"})", patch_headers);
  ASSERT_EQ(paused.status, 200) << paused.body;
  const auto edited = std::chrono::steady_clock::now();
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() - edited < std::chrono::seconds(10)) {
    const auto now_on_b = ids_on(b.port());
    gone = std::find(now_on_b.begin(), now_on_b.end(), id) == now_on_b.end();
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - edited).count();
  ASSERT_TRUE(gone) << "node B still matched the listing paused on node A after 10 s";
  std::printf("update-to-visible on the other node: %.0f ms\n", ms);
  EXPECT_EQ(a.Stop(SIGTERM), 0);
  EXPECT_EQ(b.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace soundcheck::testing
