// Live updates over a real socket: GET /api/v1/stream as Server-Sent Events, on SQLite.
// (Two nodes on PostgreSQL: multinode_pgtest.)
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/sse_client.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

const std::map<std::string, std::string> kEnv = {{"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
                                                 {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"},
                                                 {"SOUNDCHECK_LOG_LEVEL", "warn"}};

std::string Intake(bool risk) {
  std::string phq9 = risk ? R"({"instrument":"phq9","answers":[1,1,1,1,1,1,1,1,2]})"
                          : R"({"instrument":"phq2","answers":[0,1]})";
  return R"({"for":"self","preferred_name":"Live Tester","language":"en",
        "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
        "industry_role":"driver","location":{"country":"US","time_zone":"America/Chicago"},
        "requests":["therapy"],"screenings":[)" +
         phq9 + R"(],"consents":{"privacy_notice_version":"2026-11","contact":true}})";
}

// Makes an account with a bearer token; returns the token.
std::string Staff(const std::string& dir, const std::string& email, const std::string& role) {
  std::string out;
  EXPECT_EQ(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", email, "--role", role,
                           "--name", "Staff " + role},
                          "a long enough staff passphrase\n", &out, kEnv),
            0)
      << out;
  out.clear();
  EXPECT_EQ(RunSoundcheck({"token", "create", "--data-dir", dir, "--email", email, "--name", "t"},
                          "", &out, kEnv),
            0)
      << out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.substr(out.find_last_of('\n') + 1);
}

boost::json::object Data(const SseEvent& e) { return boost::json::parse(e.data).as_object(); }

TEST(LiveE2eTest, ConsolesHearOfNewCasesAndResumeWithoutLoss) {
  auto dir = FreshDir("sc-live");
  std::string sup = Staff(dir, "sup@example.test", "supervisor");
  std::string cm = Staff(dir, "cm@example.test", "case_manager");
  std::string admin = Staff(dir, "admin@example.test", "admin");
  ServerProcess server({"--data-dir", dir}, kEnv);
  ASSERT_TRUE(server.ok()) << server.error();

  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/stream").status, 401);
  EXPECT_EQ(
      Fetch(server.port(), "GET", "/api/v1/stream", "", {{"Authorization", "Bearer " + admin}})
          .status,
      403);
  auto bad = Fetch(server.port(), "GET", "/api/v1/stream", "",
                   {{"Authorization", "Bearer " + sup}, {"Last-Event-ID", "nine"}});
  EXPECT_EQ(bad.status, 400) << bad.body;

  SseClient sup_stream(server.port(), "/api/v1/stream", {{"Authorization", "Bearer " + sup}});
  SseClient cm_stream(server.port(), "/api/v1/stream", {{"Authorization", "Bearer " + cm}});
  ASSERT_EQ(sup_stream.status(), 200);
  EXPECT_EQ(sup_stream.content_type(), "text/event-stream; charset=utf-8");
  ASSERT_EQ(cm_stream.status(), 200);

  auto r = Fetch(server.port(), "POST", "/api/v1/intakes", Intake(true),
                 {{"Idempotency-Key", "live-intake-1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  std::string reference(boost::json::parse(r.body).at("reference").as_string());

  auto created = [&](const SseEvent& e) { return e.type == "case.created"; };
  for (SseClient* s : {&sup_stream, &cm_stream}) {
    SseEvent e = s->WaitFor(created);
    ASSERT_EQ(e.type, "case.created");
    auto d = Data(e);
    EXPECT_EQ(d.at("type").as_string(), "case.created");
    EXPECT_EQ(d.at("subject").at("type").as_string(), "case");
    EXPECT_EQ(d.at("data").at("reference").as_string(), reference);
    EXPECT_TRUE(d.at("data").at("urgent").as_bool());
    EXPECT_EQ(e.id, std::to_string(d.at("seq").as_int64()));
    // Ids and flags only: nothing the person wrote.
    EXPECT_EQ(e.data.find("Live Tester"), std::string::npos);
    EXPECT_EQ(e.data.find("555"), std::string::npos);
  }

  // Two more intakes while a third console was away; it resumes after the first event.
  std::string first_id = sup_stream.seen().front().id;
  for (int i = 2; i <= 3; ++i) {
    auto more = Fetch(server.port(), "POST", "/api/v1/intakes", Intake(false),
                      {{"Idempotency-Key", "live-intake-" + std::to_string(i)}});
    ASSERT_EQ(more.status, 201) << more.body;
  }
  SseClient resumed(server.port(), "/api/v1/stream",
                    {{"Authorization", "Bearer " + sup}, {"Last-Event-ID", first_id}});
  ASSERT_EQ(resumed.status(), 200);
  SseEvent a = resumed.WaitFor(created);
  SseEvent b = resumed.WaitFor(created);
  ASSERT_EQ(a.type, "case.created");
  ASSERT_EQ(b.type, "case.created");
  EXPECT_FALSE(Data(a).at("data").at("urgent").as_bool());
  // Nothing after Last-Event-ID is skipped: the stream resumed at the very next event (the
  // urgent case's alert, raised with it), in order, with no gaps.
  const auto& seen = resumed.seen();
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0].type, "alert.raised");
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(std::stoll(seen[i].id), std::stoll(first_id) + 1 + static_cast<int64_t>(i));
  }
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace soundcheck::testing
