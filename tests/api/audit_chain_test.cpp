// The audit chain catches every single edit, deletion, reordering and truncation — made
// directly in the database, as an intruder with file access would (triggers dropped).
#include <gtest/gtest.h>

#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

void Exec(app::App& app, const std::string& sql) {
  auto st = app.db().Transact([&](storage::Transaction& tx) -> core::Status {
    auto r = tx.Execute(sql);
    if (!r) return std::move(r).error();
    return core::Ok();
  });
  ASSERT_TRUE(st) << sql << ": " << st.error().message;
}

// An app with a chain of 12+ entries and the append-only triggers removed.
std::unique_ptr<TestApp> Chain() {
  auto t = std::make_unique<TestApp>();
  auto admin = t->CreateAccount("admin");
  auto s = t->Login(admin);
  for (int i = 0; i < 10; ++i) t->Call("GET", "/api/v1/users/" + admin.id, "", s.cookie);
  auto ok = t->app().audit().Verify(t->app().runner());
  EXPECT_TRUE(ok && ok->ok);
  EXPECT_GE(ok->entries, 12);
  if (t->app().db().dialect() == storage::Dialect::kPostgres) {
    Exec(t->app(), "DROP TRIGGER audit_log_append_only ON audit_log");
  } else {
    Exec(t->app(), "DROP TRIGGER audit_log_append_only_update");
    Exec(t->app(), "DROP TRIGGER audit_log_append_only_delete");
  }
  return t;
}

int64_t FirstBad(TestApp& t) {
  auto r = t.app().audit().Verify(t.app().runner());
  EXPECT_TRUE(r);
  EXPECT_FALSE(r->ok) << "tampering was not detected";
  return r->first_bad_seq.value_or(-1);
}

TEST(AuditChainTest, AppendOnlyTriggersRefuseEditsThroughSql) {
  TestApp t;
  t.CreateAccount("admin");
  auto st = t.app().db().Transact([&](storage::Transaction& tx) -> core::Status {
    auto r = tx.Execute("UPDATE audit_log SET action = 'x' WHERE seq = 1");
    if (!r) return std::move(r).error();
    return core::Ok();
  });
  EXPECT_FALSE(st);
}

TEST(AuditChainTest, EveryEditIsDetectedAtItsEntry) {
  for (const char* column : {"action", "actor_id", "subject_id", "outcome", "purpose", "at"}) {
    for (int seq : {1, 5, 12}) {
      auto t = Chain();
      std::string value = std::string(column) == "at" ? "at + 1" : "'tampered'";
      Exec(t->app(), "UPDATE audit_log SET " + std::string(column) + " = " + value +
                         " WHERE seq = " + std::to_string(seq));
      EXPECT_EQ(FirstBad(*t), seq) << column;
    }
  }
}

TEST(AuditChainTest, DeletionIsDetected) {
  auto t = Chain();
  Exec(t->app(), "DELETE FROM audit_log WHERE seq = 4");
  EXPECT_EQ(FirstBad(*t), 4);
}

TEST(AuditChainTest, ReorderingIsDetected) {
  auto t = Chain();
  Exec(t->app(), "UPDATE audit_log SET seq = -3 WHERE seq = 3");
  Exec(t->app(), "UPDATE audit_log SET seq = 3 WHERE seq = 6");
  Exec(t->app(), "UPDATE audit_log SET seq = 6 WHERE seq = -3");
  EXPECT_EQ(FirstBad(*t), 3);
}

TEST(AuditChainTest, TruncationIsDetectedEvenWithTheHeadRewritten) {
  auto t = Chain();
  Exec(t->app(), "DELETE FROM audit_log WHERE seq > 9");
  EXPECT_EQ(FirstBad(*t), 10);
  // An intruder also moves the head back to entry 9: its MAC no longer matches.
  Exec(t->app(),
       "UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit_log WHERE seq = 9)");
  EXPECT_EQ(FirstBad(*t), 9);
}

TEST(AuditChainTest, ARecomputedHashWithoutTheKeyIsDetected) {
  auto t = Chain();
  // Rewriting an entry and its own hash field still breaks the link to the next entry or
  // fails the keyed hash, because the intruder does not have the key.
  Exec(t->app(), "UPDATE audit_log SET action = 'user.read', hash = prev_hash WHERE seq = 7");
  EXPECT_EQ(FirstBad(*t), 7);
}

}  // namespace
}  // namespace soundcheck::testing
