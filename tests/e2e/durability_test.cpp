// An acknowledged intake is never lost and never doubled: clients submit intakes with
// idempotency keys while the server is killed with SIGKILL at random moments, round after
// round. After every restart each acknowledged intake is present exactly once (its retry
// replays the same reference), nothing is stored twice, and SQLite's integrity check passes.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "crypto/hashing.h"
#include "storage/database.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

const std::map<std::string, std::string> kEnv = {
    {"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
    {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"},
    {"SOUNDCHECK_LOG_LEVEL", "warn"},
    {"SOUNDCHECK_LIMITS_PUBLIC_REQUESTS_PER_MINUTE", "1000000"}};

const std::string kBody =
    R"({"for":"self","preferred_name":"Durable Tester","language":"en",
        "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true},
        "industry_role":"driver","location":{"country":"US","time_zone":"America/Chicago"},
        "requests":["therapy"],"screenings":[{"instrument":"phq2","answers":[0,1]}],
        "consents":{"privacy_notice_version":"2026-11","contact":true}})";

struct Ack {
  std::string key;
  std::string reference;
};

TEST(DurabilityTest, AcknowledgedIntakesSurviveKillNine) {
  auto dir = FreshDir("sc-durable");
  std::mt19937 rng(std::random_device{}());
  std::vector<Ack> acked;
  std::set<std::string> attempted;
  std::mutex mu;
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    ServerProcess server({"--data-dir", dir}, kEnv);
    ASSERT_TRUE(server.ok()) << server.error();
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 2; ++c) {
      clients.emplace_back([&, c] {
        HttpConnection conn(server.port());
        for (int i = 0; !stop && conn.connected(); ++i) {
          std::string key =
              "dur-" + std::to_string(round) + "-" + std::to_string(c) + "-" + std::to_string(i);
          {
            std::lock_guard lock(mu);
            attempted.insert(key);
          }
          auto r = conn.Request("POST", "/api/v1/intakes", kBody, {{"Idempotency-Key", key}});
          if (r.status != 201) break;  // the server died mid-request: not acknowledged
          auto ref = boost::json::parse(r.body).at("reference").as_string();
          std::lock_guard lock(mu);
          acked.push_back({key, std::string(ref)});
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));
    EXPECT_EQ(server.Stop(SIGKILL), 128 + SIGKILL);
    stop = true;
    for (auto& t : clients) t.join();
  }
  ASSERT_GT(acked.size(), 20u) << "too few acknowledged writes to mean anything";

  // Every acknowledged intake is there, once, with the reference the client was given.
  {
    ServerProcess server({"--data-dir", dir}, kEnv);
    ASSERT_TRUE(server.ok()) << server.error();
    HttpConnection conn(server.port());
    for (const auto& a : acked) {
      auto r = conn.Request("POST", "/api/v1/intakes", kBody, {{"Idempotency-Key", a.key}});
      ASSERT_EQ(r.status, 201) << a.key;
      EXPECT_EQ(r.headers["idempotent-replayed"], "true") << a.key << " was lost";
      EXPECT_EQ(std::string(boost::json::parse(r.body).at("reference").as_string()), a.reference);
    }
    EXPECT_EQ(server.Stop(SIGTERM), 0);
  }
  auto db = storage::OpenDatabase("sqlite:" + dir + "/soundcheck.db");
  ASSERT_TRUE(db);
  int64_t cases = 0, intakes = 0, keys = 0;
  std::string integrity;
  auto st = (*db)->Transact([&](storage::Transaction& tx) -> core::Status {
    SC_ASSIGN_OR_RETURN(auto a, tx.Query("SELECT COUNT(*) FROM cases"));
    SC_ASSIGN_OR_RETURN(auto b, tx.Query("SELECT COUNT(*) FROM intakes"));
    SC_ASSIGN_OR_RETURN(auto c,
                        tx.Query("SELECT COUNT(DISTINCT idempotency_key_hash) FROM intakes"));
    SC_ASSIGN_OR_RETURN(auto d, tx.Query("PRAGMA integrity_check"));
    cases = a.rows[0].Int(0).value_or(-1);
    intakes = b.rows[0].Int(0).value_or(-1);
    keys = c.rows[0].Int(0).value_or(-1);
    integrity = d.rows[0].Text(0).value_or("");
    return core::Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(integrity, "ok");
  EXPECT_EQ(cases, intakes) << "every intake opened exactly one case";
  EXPECT_EQ(intakes, keys) << "no key stored twice";
  EXPECT_GE(intakes, static_cast<int64_t>(acked.size()));
  EXPECT_LE(intakes, static_cast<int64_t>(attempted.size()));
  std::cout << kRounds << " kill -9 rounds: " << acked.size() << " acknowledged, " << intakes
            << " stored, " << attempted.size() << " attempted\n";
}

}  // namespace
}  // namespace soundcheck::testing
