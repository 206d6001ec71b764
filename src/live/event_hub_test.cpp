#include "live/event_hub.h"

#include <gtest/gtest.h>

#include <condition_variable>

#include "domain/events/events.h"
#include "domain/testing/memory_unit_of_work.h"

namespace soundcheck::live {
namespace {

using domain::accounts::Role;

void Append(domain::testing::MemoryRunner& runner, const std::string& audience, int n = 1) {
  ASSERT_TRUE(runner.Run([&](domain::UnitOfWork& uow) -> core::Status {
    for (int i = 0; i < n; ++i) {
      SC_RETURN_IF_ERROR(domain::events::Emit(uow, 1000, "case.created", "case", "c1", audience,
                                              {{"urgent", true}}));
    }
    return core::Ok();
  }));
}

TEST(AudienceTest, RolesAndUsersMatchExactly) {
  domain::EventRecord e;
  e.audience = "role:supervisor user:u-1";
  EXPECT_TRUE(CanSee(e, {"anyone", Role::kSupervisor}));
  EXPECT_TRUE(CanSee(e, {"u-1", Role::kCaseManager}));
  EXPECT_FALSE(CanSee(e, {"u-2", Role::kCaseManager}));
  EXPECT_FALSE(CanSee(e, {"u-", Role::kCaseManager}));  // a prefix is not the id
  EXPECT_FALSE(CanSee(e, {"", Role::kAdmin}));
}

TEST(AudienceTest, CaseAudienceFollowsAssignment) {
  domain::CaseRecord c;
  EXPECT_EQ(domain::events::CaseAudience(c), "role:supervisor role:case_manager");
  c.assigned_to = "u-1";
  EXPECT_EQ(domain::events::CaseAudience(c), "role:supervisor user:u-1");
  EXPECT_EQ(domain::events::CaseAudience(c, std::string("u-0")),
            "role:supervisor user:u-1 user:u-0");
  EXPECT_EQ(domain::events::CaseAudience(c, std::string("u-1")), "role:supervisor user:u-1");
}

TEST(EventHubTest, StartsAtTheEndOfTheLogAndWakesSubscribersOnPoke) {
  domain::testing::MemoryRunner runner;
  Append(runner, "role:supervisor", 3);
  EventHub hub(runner, {.ring_size = 16, .poll_interval = std::chrono::milliseconds(60000)});
  ASSERT_TRUE(hub.Start());
  EXPECT_EQ(hub.last_seq(), 3);

  std::mutex mu;
  std::condition_variable cv;
  int wakes = 0;
  auto sub = hub.Subscribe([&] {
    std::lock_guard lock(mu);
    ++wakes;
    cv.notify_all();
  });
  EXPECT_EQ(hub.subscribers(), 1u);
  Append(runner, "role:supervisor");
  hub.Poke();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return wakes > 0; }));
  }
  EXPECT_EQ(hub.last_seq(), 4);
  auto after = hub.After(3, 10);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0]->record.seq, 4);
  // Catch-up from before the hub started comes from the log.
  auto all = hub.After(0, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ(all->front()->record.seq, 1);
  EXPECT_EQ(all->front()->frame.rfind("id: 1\nevent: case.created\ndata: {", 0), 0u);
  sub.reset();
  EXPECT_EQ(hub.subscribers(), 0u);
}

TEST(EventHubTest, AClientBehindTheRingReadsTheGapFromTheLog) {
  domain::testing::MemoryRunner runner;
  EventHub hub(runner, {.ring_size = 4, .poll_interval = std::chrono::milliseconds(60000)});
  ASSERT_TRUE(hub.Start());
  std::mutex mu;
  std::condition_variable cv;
  int wakes = 0;
  auto sub = hub.Subscribe([&] {
    std::lock_guard lock(mu);
    ++wakes;
    cv.notify_all();
  });
  Append(runner, "role:supervisor", 10);
  hub.Poke();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return wakes > 0; }));
  }
  ASSERT_EQ(hub.last_seq(), 10);
  for (int64_t from : {0, 3, 5, 6, 9}) {
    auto got = hub.After(from, 100);
    ASSERT_TRUE(got);
    ASSERT_EQ(got->size(), static_cast<size_t>(10 - from)) << from;
    for (size_t i = 0; i < got->size(); ++i) {
      EXPECT_EQ((*got)[i]->record.seq, from + 1 + int64_t(i));
    }
  }
  auto none = hub.After(10, 100);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto limited = hub.After(0, 3);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 3u);
}

TEST(EventHubTest, ThePollFindsEventsNobodyPokedAbout) {
  domain::testing::MemoryRunner runner;
  EventHub hub(runner, {.ring_size = 16, .poll_interval = std::chrono::milliseconds(20)});
  ASSERT_TRUE(hub.Start());
  std::mutex mu;
  std::condition_variable cv;
  bool woke = false;
  auto sub = hub.Subscribe([&] {
    std::lock_guard lock(mu);
    woke = true;
    cv.notify_all();
  });
  Append(runner, "role:supervisor");  // no Poke: as if a NOTIFY was lost
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return woke; }));
  EXPECT_EQ(hub.last_seq(), 1);
}

}  // namespace
}  // namespace soundcheck::live
