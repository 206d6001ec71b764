#include "app/jobs.h"

#include <gtest/gtest.h>

#include <atomic>

namespace soundcheck::app {
namespace {

// Waits (bounded) for `cond`; the runner works on its own thread.
template <typename F>
bool Eventually(F cond) {
  for (int i = 0; i < 2000 && !cond(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return cond();
}

TEST(JobRunnerTest, RunsEachJobOnItsIntervalAndAtOnceWhenNudged) {
  std::atomic<int> fast{0}, slow{0};
  JobRunner jobs;
  jobs.Add("fast", std::chrono::milliseconds(5), [&] {
    ++fast;
    return core::Ok();
  });
  jobs.Add("slow", std::chrono::hours(1), [&] {
    ++slow;
    return core::Ok();
  });
  jobs.Start();
  ASSERT_TRUE(Eventually([&] { return fast >= 5; }));
  EXPECT_EQ(slow, 1);  // once at start, then not for an hour
  jobs.Nudge();
  ASSERT_TRUE(Eventually([&] { return slow >= 2; }));
  jobs.Stop();
  int after = fast;
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(fast, after);  // stopped means stopped
  jobs.Stop();             // idempotent
}

TEST(JobRunnerTest, AFailingJobIsRetriedAndDoesNotStopTheOthers) {
  std::atomic<int> failing{0}, healthy{0};
  JobRunner jobs;
  jobs.Add("failing", std::chrono::milliseconds(5), [&]() -> core::Status {
    ++failing;
    return core::Error::Unavailable("database down");
  });
  jobs.Add("healthy", std::chrono::milliseconds(5), [&] {
    ++healthy;
    return core::Ok();
  });
  jobs.Start();
  EXPECT_TRUE(Eventually([&] { return failing >= 3 && healthy >= 3; }));
}

}  // namespace
}  // namespace soundcheck::app
