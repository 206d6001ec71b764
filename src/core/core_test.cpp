#include <gtest/gtest.h>

#include <set>

#include "core/ascii.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/json_body.h"
#include "core/result.h"
#include "core/time_zone.h"

namespace soundcheck::core {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error::InvalidArgument("odd", {{"/x", "odd", "must be even"}});
  return x / 2;
}

Result<int> Quarter(int x) {
  SC_ASSIGN_OR_RETURN(int h, Half(x));
  SC_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "/x");
}

TEST(ResultTest, VoidStatus) {
  Status ok = Ok();
  EXPECT_TRUE(ok);
  Status bad = Error::NotFound("missing");
  EXPECT_FALSE(bad);
  EXPECT_EQ(ErrorCodeName(bad.error().code), "not_found");
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(FromUnixSeconds(1'700'000'000));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 1'700'000'000);
  clock.Advance(std::chrono::seconds(90));
  EXPECT_EQ(ToUnixSeconds(clock.Now()), 1'700'000'090);
  EXPECT_EQ(FormatRfc3339(FromUnixSeconds(0)), "1970-01-01T00:00:00Z");
}

TEST(ClockTest, ParsesRfc3339) {
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(ToUnixSeconds(*ParseRfc3339("2026-11-24T06:00:00Z")),
            ToUnixSeconds(*ParseRfc3339("2026-11-24T00:00:00-06:00")));
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2026-11-24T06:00:00+01:00")), "2026-11-24T05:00:00Z");
  for (const char* bad : {"", "2026-11-24", "2026-13-01T00:00:00Z", "2026-11-24T06:00:00",
                          "2026-11-24T06:00:00+0100", "2026-11-24 06:00:00Z"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(IdsTest, UuidV7IsWellFormedUniqueAndSorted) {
  ManualClock clock(FromUnixSeconds(1'780'000'000));
  UuidV7Generator gen(clock);
  std::set<std::string> seen;
  std::string prev;
  for (int i = 0; i < 5000; ++i) {
    if (i % 100 == 0) clock.Advance(std::chrono::milliseconds(1));
    std::string id = gen.NewId();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '7');                                          // version
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // variant
    EXPECT_GT(id, prev);
    prev = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 5000u);
}

TEST(IdsTest, IsUuidRejectsMalformed) {
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("0000000000000000000000000000000000000"));
  EXPECT_FALSE(IsUuid("00000000-0000-7000-8000-00000000000g"));
  EXPECT_TRUE(IsUuid(SequentialIdGenerator().NewId()));
}

TEST(JsonBodyTest, ARejectedFieldIsReportedOnceWhetherOrNotItWasRead) {
  auto body = JsonBody::Parse(R"({"mode":"bus","sessions":4,"typo":1})");
  ASSERT_TRUE(body);
  ASSERT_EQ(body->String("mode", false, 20), "bus");
  body->Reject("mode", "invalid_value", "Expected telehealth or in_person.");
  body->Reject("sessions", "not_allowed", "Not here.");  // never read
  const auto st = body->Finish();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& f : st.error().fields) got.emplace_back(f.field, f.code);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"/mode", "invalid_value"}, {"/sessions", "not_allowed"}, {"/typo", "unknown_field"}};
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace soundcheck::core

namespace soundcheck::core {
namespace {

TEST(TimeZoneTest, WallClockTimesConvertBothWays) {
  EXPECT_TRUE(KnownTimeZone("America/Chicago"));
  EXPECT_TRUE(KnownTimeZone("UTC"));
  EXPECT_FALSE(KnownTimeZone("Mars/Olympus"));
  EXPECT_FALSE(KnownTimeZone("../etc/passwd"));
  EXPECT_FALSE(KnownTimeZone(""));
  // 09:00 in Chicago on 26 Nov 2026 (CST, UTC-6) is 15:00 UTC.
  auto t = LocalToUnix("2026-11-26T09:00", "America/Chicago");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, 1795705200);
  EXPECT_EQ(*UnixToLocal(*t, "America/Chicago"), "2026-11-26T09:00");
  EXPECT_EQ(*UnixToLocal(*t, "Europe/Madrid"), "2026-11-26T16:00");
  // Summer time: 09:00 in Chicago on 1 Jul 2026 (CDT, UTC-5) is 14:00 UTC.
  EXPECT_EQ(*UnixToLocal(*LocalToUnix("2026-07-01T09:00:00", "America/Chicago"), "UTC"),
            "2026-07-01T14:00");
  // 02:30 on 8 Mar 2026 does not exist in Chicago; the earlier reading is taken.
  EXPECT_TRUE(LocalToUnix("2026-03-08T02:30", "America/Chicago"));
  for (const char* bad : {"2026-11-26 09:00", "2026-13-01T09:00", "tomorrow", "2026-11-26T9:00"}) {
    EXPECT_FALSE(LocalToUnix(bad, "America/Chicago")) << bad;
  }
  EXPECT_FALSE(LocalToUnix("2026-11-26T09:00", "Nowhere/City"));
}

TEST(AsciiTest, LowersOnlyAsciiLettersWhateverTheLocale) {
  EXPECT_EQ(AsciiLower("0A0B-ÉTÉ-Zz"), "0a0b-ÉtÉ-zz");  // É stays: not ASCII
  EXPECT_EQ(AsciiLower(""), "");
}

}  // namespace
}  // namespace soundcheck::core
