// The front door over the API: an intake opens a case a case manager can read; a retry
// never makes a second case; a risk answer carries the crisis lines in the same response,
// even when the intake is invalid or cannot be saved.
#include <gtest/gtest.h>

#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

std::string Intake(const std::string& name, const std::string& phq9 = "") {
  std::string screens =
      phq9.empty() ? R"([{"instrument":"phq2","answers":[1,0]}])"
                   : R"([{"instrument":"phq2","answers":[3,3]},{"instrument":"phq9","answers":)" +
                         phq9 + "}]";
  return R"({"for":"self","preferred_name":")" + name + R"(","language":"en",
    "contact":{"phone":"+1 615 555 0100","preferred":"text","text_ok":true,"voicemail_ok":false},
    "industry_role":"touring_crew",
    "location":{"country":"US","region":"US-TN","city":"Nashville","time_zone":"America/Chicago"},
    "on_tour":{"now":true,"until":"2026-12-20"},
    "requests":["therapy","financial_help"],
    "insurance":{"type":"union","carrier":"Example Health Fund","member_id":"XZ-00042"},
    "household":{"size":2,"income_band":"25k_50k"},
    "preferences":{"format":"telehealth","specialties":["music_industry"]},
    "screenings":)" +
         screens + R"(,
    "consents":{"privacy_notice_version":"2026-11","contact":true},
    "src":"venue:ryman"})";
}

std::vector<std::pair<std::string, std::string>> Key(const std::string& k) {
  return {{"Idempotency-Key", k}};
}

TEST(IntakeApiTest, AnIntakeOpensACaseTheQueueShows) {
  TestApp t;
  auto r =
      t.Call("POST", "/api/v1/intakes", Intake("Robin Tester"), "", "", Key("draft-0001-aaaa"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto v = ParseJson(r.body);
  EXPECT_EQ(v.at("status"), "received");
  EXPECT_FALSE(v.at("urgent").as_bool());
  EXPECT_FALSE(v.as_object().contains("crisis"));
  EXPECT_EQ(r.headers.Get("Cache-Control"), "no-store");
  std::string reference(v.at("reference").as_string());

  auto cm = t.CreateAccount("case_manager");
  auto s = t.Login(cm);
  auto list = t.Call("GET", "/api/v1/cases", "", s.cookie);
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = ParseJson(list.body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("reference").as_string(), reference);
  EXPECT_EQ(items[0].at("src"), "venue:ryman");
  EXPECT_EQ(list.body.find("Robin"), std::string::npos) << "the queue lists no names";
  std::string id(items[0].at("id").as_string());
  auto detail = t.Call("GET", "/api/v1/cases/" + id, "", s.cookie);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto d = ParseJson(detail.body);
  EXPECT_EQ(d.at("person").at("preferred_name"), "Robin Tester");
  EXPECT_EQ(d.at("person").at("contact").at("preferred"), "text");
  EXPECT_EQ(d.at("intake").at("insurance").at("member_id"), "XZ-00042");
  EXPECT_EQ(d.at("screenings").as_array().size(), 1u);
  EXPECT_EQ(d.at("timeline").as_array()[0].at("type"), "case.created");
  // Members, admins and providers cannot read cases.
  auto admin = t.CreateAccount("admin");
  EXPECT_EQ(t.Call("GET", "/api/v1/cases/" + id, "", t.Login(admin).cookie).status, 403);
  {
    auto audit = t.app().audit().Verify(t.app().runner());
    ASSERT_TRUE(audit && audit->ok);
  }
}

TEST(IntakeApiTest, RetriesNeverMakeASecondCase) {
  TestApp t;
  auto a = t.Call("POST", "/api/v1/intakes", Intake("Sam Retry"), "", "", Key("draft-0002-bbbb"));
  auto b = t.Call("POST", "/api/v1/intakes", Intake("Sam Retry"), "", "", Key("draft-0002-bbbb"));
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(ParseJson(a.body).at("reference"), ParseJson(b.body).at("reference"));
  EXPECT_EQ(b.headers.Get("Idempotent-Replayed"), "true");
  auto other =
      t.Call("POST", "/api/v1/intakes", Intake("Someone Else"), "", "", Key("draft-0002-bbbb"));
  EXPECT_EQ(other.status, 422);
  EXPECT_NE(other.body.find("idempotency-key-reused"), std::string::npos);
  auto nokey = t.Call("POST", "/api/v1/intakes", Intake("No Key"));
  EXPECT_EQ(nokey.status, 400);
  auto sup = t.CreateAccount("supervisor");
  auto list = ParseJson(t.Call("GET", "/api/v1/cases", "", t.Login(sup).cookie).body);
  EXPECT_EQ(list.at("items").as_array().size(), 1u);
}

TEST(IntakeApiTest, ARiskAnswerMakesItUrgentAndShowsHelpInTheSameResponse) {
  TestApp t;
  auto r = t.Call("POST", "/api/v1/intakes", Intake("Alex Risk", "[3,3,2,2,1,1,2,1,1]"), "", "",
                  Key("draft-0003-cccc"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto v = ParseJson(r.body);
  EXPECT_TRUE(v.at("urgent").as_bool());
  EXPECT_EQ(v.at("crisis").at("resources").at("lines").as_array()[0].at("phone"), "988");
  EXPECT_NE(std::string(v.at("next_steps").at("message").as_string()).find("not watched"),
            std::string::npos);
  // Urgent cases come first in the queue.
  ASSERT_EQ(
      t.Call("POST", "/api/v1/intakes", Intake("Later Person"), "", "", Key("draft-0004-dddd"))
          .status,
      201);
  auto sup = t.CreateAccount("supervisor");
  auto items = ParseJson(t.Call("GET", "/api/v1/cases", "", t.Login(sup).cookie).body)
                   .at("items")
                   .as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_TRUE(items[0].at("urgent").as_bool());
  EXPECT_EQ(ParseJson(t.Call("GET", "/api/v1/cases?urgent=false", "", t.Login(sup).cookie).body)
                .at("items")
                .as_array()
                .size(),
            1u);

  // Invalid otherwise: still the crisis lines, and nothing stored.
  std::string bad = Intake("Alex Risk", "[0,0,0,0,0,0,0,0,2]");
  bad.replace(bad.find("touring_crew"), 12, "astronaut");
  auto invalid = t.Call("POST", "/api/v1/intakes", bad, "", "", Key("draft-0005-eeee"));
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_NE(invalid.body.find("/industry_role"), std::string::npos);
  EXPECT_TRUE(ParseJson(invalid.body).as_object().contains("crisis")) << invalid.body;
}

TEST(IntakeApiTest, WhenSavingFailsTheCrisisLinesStillShowAndNothingIsAcknowledged) {
  TestAppOptions o;
  o.inject_faults = true;
  TestApp t(o);
  ASSERT_NE(t.faults(), nullptr);
  t.faults()->FailNthCommit(1);
  auto r = t.Call("POST", "/api/v1/intakes", Intake("Dana Down", "[0,0,0,0,0,0,0,0,3]"), "", "",
                  Key("draft-0006-ffff"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_TRUE(ParseJson(r.body).as_object().contains("crisis")) << r.body;
  // The retry (same key) then succeeds once, and exactly one case exists.
  auto again = t.Call("POST", "/api/v1/intakes", Intake("Dana Down", "[0,0,0,0,0,0,0,0,3]"), "", "",
                      Key("draft-0006-ffff"));
  EXPECT_EQ(again.status, 201) << again.body;
}

}  // namespace
}  // namespace soundcheck::testing

namespace soundcheck::testing {
namespace {

TEST(CaseWorkApiTest, TakeContactNoteAndNeverOverwrite) {
  TestApp t;
  ASSERT_EQ(
      t.Call("POST", "/api/v1/intakes", Intake("Jo Case"), "", "", Key("draft-0100-aaaa")).status,
      201);
  auto cm1 = t.CreateAccount("case_manager");
  auto cm2 = t.CreateAccount("case_manager");
  auto s1 = t.Login(cm1);
  auto s2 = t.Login(cm2);
  auto items = ParseJson(t.Call("GET", "/api/v1/cases", "", s1.cookie).body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  std::string id(items[0].at("id").as_string());
  std::string base = "/api/v1/cases/" + id;

  std::string me = R"({"user_id":")" + cm1.id + R"("})";
  EXPECT_EQ(t.Call("POST", base + "/assign", me, s1.cookie, s1.csrf).status, 428);
  auto taken = t.Call("POST", base + "/assign", me, s1.cookie, s1.csrf, {{"If-Match", "\"1\""}});
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(taken.headers.Get("ETag"), "\"2\"");
  // The other case manager no longer sees it; a stale edit is refused, not applied.
  EXPECT_EQ(t.Call("GET", base, "", s2.cookie).status, 404);
  auto stale = t.Call("POST", base + "/status", R"({"status":"contacted"})", s1.cookie, s1.csrf,
                      {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto contacted = t.Call("POST", base + "/status", R"({"status":"contacted"})", s1.cookie, s1.csrf,
                          {{"If-Match", "\"2\""}});
  ASSERT_EQ(contacted.status, 200) << contacted.body;
  EXPECT_FALSE(ParseJson(contacted.body).at("first_contact_at").is_null());
  auto back = t.Call("POST", base + "/status", R"({"status":"new"})", s1.cookie, s1.csrf,
                     {{"If-Match", "\"3\""}});
  EXPECT_EQ(back.status, 422);

  auto note = t.Call("POST", base + "/notes", R"({"body":"Left a text; no voicemail."})", s1.cookie,
                     s1.csrf);
  ASSERT_EQ(note.status, 201) << note.body;
  std::string note_id(ParseJson(note.body).at("id").as_string());
  auto edit = t.Call("PATCH", base + "/notes/" + note_id, R"({"body":"Left a text at 2 pm."})",
                     s1.cookie, s1.csrf, {{"If-Match", "\"1\""}});
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(ParseJson(edit.body).at("version").as_int64(), 2);
  auto notes = ParseJson(t.Call("GET", base + "/notes", "", s1.cookie).body).at("items").as_array();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].at("body"), "Left a text at 2 pm.");
  EXPECT_EQ(t.Call("POST", base + "/notes", R"({"body":"x"})", s2.cookie, s2.csrf).status, 404);
  auto timeline = ParseJson(t.Call("GET", base, "", s1.cookie).body).at("timeline").as_array();
  EXPECT_EQ(timeline.size(), 4u);  // created, assigned, status, note
}

}  // namespace
}  // namespace soundcheck::testing

namespace soundcheck::testing {
namespace {

TEST(CaseWorkApiTest, TasksAndContactAttempts) {
  TestApp t;
  ASSERT_EQ(
      t.Call("POST", "/api/v1/intakes", Intake("Kim Task"), "", "", Key("draft-0200-aaaa")).status,
      201);
  auto sup = t.CreateAccount("supervisor");
  auto s = t.Login(sup);
  std::string id(ParseJson(t.Call("GET", "/api/v1/cases", "", s.cookie).body)
                     .at("items")
                     .as_array()[0]
                     .at("id")
                     .as_string());
  std::string base = "/api/v1/cases/" + id;
  std::string due = core::FormatRfc3339(t.clock().Now() + std::chrono::hours(4));
  auto bad = t.Call("POST", base + "/tasks", R"({"title":"Call back","due_at":"tomorrow"})",
                    s.cookie, s.csrf);
  EXPECT_EQ(bad.status, 422);
  auto task = t.Call("POST", base + "/tasks", R"({"title":"Call back","due_at":")" + due + "\"}",
                     s.cookie, s.csrf);
  ASSERT_EQ(task.status, 201) << task.body;
  std::string task_id(ParseJson(task.body).at("id").as_string());
  auto list = ParseJson(t.Call("GET", base + "/tasks", "", s.cookie).body).at("items").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("due_at").as_string(), due);
  auto done = t.Call("POST", base + "/tasks/" + task_id + "/complete", "", s.cookie, s.csrf);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(ParseJson(done.body).at("status"), "done");
  EXPECT_EQ(t.Call("POST", base + "/tasks/" + task_id + "/complete", "", s.cookie, s.csrf).status,
            404);

  auto attempt = t.Call("POST", base + "/contact-attempts",
                        R"({"channel":"phone","outcome":"reached"})", s.cookie, s.csrf);
  ASSERT_EQ(attempt.status, 201) << attempt.body;
  auto c = ParseJson(t.Call("GET", base, "", s.cookie).body);
  EXPECT_EQ(c.at("status"), "contacted");
  EXPECT_FALSE(c.at("first_contact_at").is_null());
}

}  // namespace
}  // namespace soundcheck::testing
