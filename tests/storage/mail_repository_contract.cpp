// The mail outbox repository (storage/repositories/sql_mail_repository.cpp) on a real
// database, written once and built for SQLite (mail_repository_sqlite_test) and PostgreSQL
// (mail_repository_pgtest): columns round-trip, the pick query claims due rows exclusively
// and uses its index, outcomes apply only to the claim that holds a row, and concurrent
// claimers on separate connections never take the same row.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "contract_engine.h"
#include "storage/migrations.h"
#include "storage/repositories/sql_unit_of_work.h"
#include "test_util.h"

#ifndef SC_MAIL_FIXTURE
#error "compile with -DSC_MAIL_FIXTURE=MailRepository<Engine> (see tests/storage/CMakeLists.txt)"
#endif

namespace soundcheck::storage::test {
namespace {

using domain::MailRecord;

MailRecord Pending(const std::string& id, int64_t due) {
  MailRecord m;
  m.id = id;
  m.created_at = due;
  m.subject_id = "person-1";
  m.to_sealed = std::string("\x01sealed-to\x00\xff", 12);
  m.subject = "Your Soundcheck status link";
  m.body_sealed = std::string("\x01sealed-body\x00", 13);
  m.template_key = "mail.status_link";
  m.language = "en";
  m.status = "pending";
  m.next_attempt_at = due;
  return m;
}

class SC_MAIL_FIXTURE : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = MakeContractEngine();
    db_ = engine_->OpenFresh(OpenOptions{});
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(Migrate(*db_, EmbeddedMigrations(db_->dialect())));
  }
  void TearDown() override {
    db_.reset();
    if (engine_) engine_->Cleanup();
  }

  // Runs `fn` on the outbox in one read-write transaction of `db`.
  Status With(Database& db, const std::function<Status(domain::MailRepository&)>& fn) {
    return db.Transact([&](Transaction& tx) -> Status {
      auto uow = MakeSqlUnitOfWork(tx);
      return fn(uow->mail());
    });
  }
  Status With(const std::function<Status(domain::MailRepository&)>& fn) { return With(*db_, fn); }

  void Insert(const MailRecord& m) {
    ASSERT_TRUE(With([&](domain::MailRepository& r) { return r.Insert(m); }));
  }
  MailRecord Find(const std::string& id) {
    MailRecord out;
    EXPECT_TRUE(With([&](domain::MailRepository& r) -> Status {
      SC_ASSIGN_OR_RETURN(auto found, r.FindById(id));
      EXPECT_TRUE(found) << id;
      if (found) out = *found;
      return core::Ok();
    }));
    return out;
  }
  std::vector<MailRecord> Claim(int64_t now, int64_t lease_until, int limit) {
    std::vector<MailRecord> out;
    Status s = With([&](domain::MailRepository& r) -> Status {
      SC_ASSIGN_OR_RETURN(out, r.ClaimDue(now, lease_until, limit));
      return core::Ok();
    });
    EXPECT_TRUE(s) << Describe(s);
    return out;
  }
  bool Outcome(const std::function<Result<bool>(domain::MailRepository&)>& fn) {
    bool held = false;
    Status s = With([&](domain::MailRepository& r) -> Status {
      SC_ASSIGN_OR_RETURN(held, fn(r));
      return core::Ok();
    });
    EXPECT_TRUE(s) << Describe(s);
    return held;
  }

  std::unique_ptr<ContractEngine> engine_;
  std::unique_ptr<Database> db_;
};

TEST_F(SC_MAIL_FIXTURE, InsertRoundTripsEveryColumn) {
  MailRecord m = Pending("m1", 1000);
  m.attachment_sealed = std::string("\x00\x01\x02", 3);
  m.language = "es";
  m.subject = "Tu llamada de apoyo de Soundcheck está reservada";
  Insert(m);
  MailRecord got = Find("m1");
  EXPECT_EQ(got.id, "m1");
  EXPECT_EQ(got.created_at, 1000);
  EXPECT_EQ(got.subject_id, "person-1");
  EXPECT_EQ(got.to_sealed, m.to_sealed);
  EXPECT_EQ(got.subject, m.subject);
  EXPECT_EQ(got.body_sealed, m.body_sealed);
  EXPECT_EQ(got.attachment_sealed, m.attachment_sealed);
  EXPECT_EQ(got.template_key, "mail.status_link");
  EXPECT_EQ(got.language, "es");
  EXPECT_EQ(got.status, "pending");
  EXPECT_EQ(got.attempts, 0);
  EXPECT_EQ(got.next_attempt_at, 1000);
  EXPECT_FALSE(got.lease_until);
  EXPECT_EQ(got.last_error, "");
  EXPECT_FALSE(got.sent_at);
  Insert(Pending("m2", 1000));
  EXPECT_EQ(Find("m2").attachment_sealed, "");
  // The same id twice is a conflict.
  Status dup = With([&](domain::MailRepository& r) { return r.Insert(Pending("m1", 5)); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
  // An unknown status is refused by the table.
  MailRecord bad = Pending("m3", 1);
  bad.status = "lost";
  EXPECT_FALSE(With([&](domain::MailRepository& r) { return r.Insert(bad); }));
}

TEST_F(SC_MAIL_FIXTURE, ARolledBackInsertLeavesNothing) {
  Status s = With([&](domain::MailRepository& r) -> Status {
    SC_RETURN_IF_ERROR(r.Insert(Pending("m1", 1)));
    return core::Error::Conflict("the change that caused the mail failed");
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM mail_outbox"), 0);
}

TEST_F(SC_MAIL_FIXTURE, ClaimsDueRowsOldestFirstUpToTheLimit) {
  Insert(Pending("c", 300));
  Insert(Pending("a", 100));
  Insert(Pending("b", 200));
  Insert(Pending("later", 5000));
  auto rows = Claim(1000, 1600, 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "a");
  EXPECT_EQ(rows[1].id, "b");
  for (const auto& r : rows) {
    EXPECT_EQ(r.status, "sending");
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.lease_until, 1600);
    EXPECT_EQ(r.next_attempt_at, 1600);
    EXPECT_EQ(r.body_sealed, Pending("", 0).body_sealed);
  }
  rows = Claim(1000, 1600, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, "c");
  EXPECT_TRUE(Claim(1000, 1600, 10).empty());  // leased rows are not due
  EXPECT_EQ(Find("later").status, "pending");
}

TEST_F(SC_MAIL_FIXTURE, AnExpiredLeaseMakesARowDueAgain) {
  Insert(Pending("m", 100));
  ASSERT_EQ(Claim(100, 700, 10).size(), 1u);
  EXPECT_TRUE(Claim(699, 1299, 10).empty());
  auto again = Claim(700, 1300, 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].lease_until, 1300);
}

TEST_F(SC_MAIL_FIXTURE, OutcomesApplyOnlyToTheClaimThatHoldsTheRow) {
  MailRecord m = Pending("m", 100);
  m.attachment_sealed = "sealed-attachment";
  Insert(m);
  // Not claimed: nothing to record.
  EXPECT_FALSE(Outcome([](auto& r) { return r.MarkSent("m", 0, 150); }));
  ASSERT_EQ(Claim(100, 200, 10).size(), 1u);  // attempt 1
  ASSERT_EQ(Claim(200, 300, 10).size(), 1u);  // lease over: attempt 2 takes over
  EXPECT_FALSE(Outcome([](auto& r) { return r.MarkSent("m", 1, 250); }));
  EXPECT_FALSE(Outcome([](auto& r) { return r.Reschedule("m", 1, 999, "smtp 451"); }));
  EXPECT_FALSE(Outcome([](auto& r) { return r.MarkFailed("m", 1, "smtp 550"); }));
  EXPECT_EQ(Find("m").status, "sending");

  EXPECT_TRUE(Outcome([](auto& r) { return r.Reschedule("m", 2, 400, "smtp 451"); }));
  MailRecord got = Find("m");
  EXPECT_EQ(got.status, "pending");
  EXPECT_EQ(got.next_attempt_at, 400);
  EXPECT_FALSE(got.lease_until);
  EXPECT_EQ(got.last_error, "smtp 451");
  EXPECT_FALSE(Outcome([](auto& r) { return r.MarkSent("m", 2, 260); }));  // no longer held

  EXPECT_TRUE(Claim(399, 999, 10).empty());
  ASSERT_EQ(Claim(400, 1000, 10).size(), 1u);  // attempt 3
  EXPECT_TRUE(Outcome([](auto& r) { return r.MarkSent("m", 3, 450); }));
  got = Find("m");
  EXPECT_EQ(got.status, "sent");
  EXPECT_EQ(got.sent_at, 450);
  EXPECT_EQ(got.attempts, 3);
  EXPECT_EQ(got.last_error, "");
  EXPECT_FALSE(got.lease_until);
  EXPECT_EQ(got.body_sealed, "");        // not kept once sent
  EXPECT_EQ(got.attachment_sealed, "");  // likewise
  EXPECT_EQ(got.to_sealed, m.to_sealed);
  EXPECT_TRUE(Claim(1'000'000, 1'000'600, 10).empty());  // sent rows are never due

  Insert(Pending("f", 100));
  ASSERT_EQ(Claim(2000, 2600, 10).size(), 1u);
  EXPECT_TRUE(Outcome([](auto& r) { return r.MarkFailed("f", 1, "smtp 550"); }));
  EXPECT_EQ(Find("f").status, "failed");
  EXPECT_EQ(Find("f").last_error, "smtp 550");
  EXPECT_TRUE(Claim(1'000'000, 1'000'600, 10).empty());  // nor failed ones
}

TEST_F(SC_MAIL_FIXTURE, CountsByStatus) {
  Insert(Pending("a", 1));
  Insert(Pending("b", 1));
  Insert(Pending("c", 1));
  Insert(Pending("d", 99));
  auto claimed = Claim(10, 20, 3);
  ASSERT_EQ(claimed.size(), 3u);
  EXPECT_TRUE(Outcome([&](auto& r) { return r.MarkSent(claimed[0].id, 1, 11); }));
  EXPECT_TRUE(Outcome([&](auto& r) { return r.MarkFailed(claimed[1].id, 1, "smtp 550"); }));
  domain::MailCounts c;
  ASSERT_TRUE(With([&](domain::MailRepository& r) -> Status {
    SC_ASSIGN_OR_RETURN(c, r.Counts());
    return core::Ok();
  }));
  EXPECT_EQ(c.pending, 1);
  EXPECT_EQ(c.sending, 1);
  EXPECT_EQ(c.sent, 1);
  EXPECT_EQ(c.failed, 1);
}

// The job's pick query is served by the partial index on next_attempt_at.
TEST_F(SC_MAIL_FIXTURE, ThePickQueryUsesItsIndex) {
  const std::string pick =
      "SELECT id FROM mail_outbox WHERE status IN ('pending', 'sending') AND "
      "next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?";
  std::string plan;
  Status s = db_->Transact([&](Transaction& tx) -> Status {
    std::string sql = "EXPLAIN QUERY PLAN " + pick;
    if (tx.dialect() == Dialect::kPostgres) {
      // Small tables are scanned whatever the indexes; ask whether the index can serve it.
      SC_RETURN_IF_ERROR(tx.Execute("SET LOCAL enable_seqscan = off"));
      sql = "EXPLAIN " + pick;
    }
    SC_ASSIGN_OR_RETURN(Rows rows, tx.Query(sql, {int64_t{1000}, int64_t{10}}));
    for (const auto& r : rows.rows) {
      for (size_t i = 0; i < r.size(); ++i) plan += r.Text(i).value_or("") + " ";
      plan += "\n";
    }
    return core::Ok();
  });
  ASSERT_TRUE(s) << Describe(s);
  EXPECT_NE(plan.find("mail_outbox_due"), std::string::npos) << plan;
}

// Several nodes claim from one outbox at once, each on its own connection: every row is
// claimed exactly once.
TEST_F(SC_MAIL_FIXTURE, ConcurrentClaimersNeverTakeTheSameRow) {
  constexpr int kRows = 120;
  ASSERT_TRUE(With([&](domain::MailRepository& r) -> Status {
    for (int i = 0; i < kRows; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "m%03d", i);
      SC_RETURN_IF_ERROR(r.Insert(Pending(id, 100 + i % 7)));
    }
    return core::Ok();
  }));
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<Database>> nodes;
  for (int i = 0; i < kNodes; ++i) {
    auto db = engine_->OpenAgain(OpenOptions{});
    ASSERT_TRUE(db) << db.error().message;
    nodes.push_back(std::move(db).value());
  }
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    threads.emplace_back([&, n] {
      while (!go) std::this_thread::yield();
      for (;;) {
        std::vector<MailRecord> rows;
        Status s = With(*nodes[n], [&](domain::MailRepository& r) -> Status {
          SC_ASSIGN_OR_RETURN(rows, r.ClaimDue(1000, 5000, 5));
          return core::Ok();
        });
        ASSERT_TRUE(s) << Describe(s);
        if (rows.empty()) return;
        std::lock_guard lock(mu);
        for (const auto& r : rows) claimed.insert(r.id);
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kRows));
  std::set<std::string> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kRows)) << "a row was claimed twice";
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM mail_outbox WHERE attempts = 1"), kRows);
  nodes.clear();
}

}  // namespace
}  // namespace soundcheck::storage::test
