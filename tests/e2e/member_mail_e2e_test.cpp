// Mail from the running server to a real SMTP sink (python3-aiosmtpd): the member's status
// link (single use, token in the URL fragment), a booked call's invite with its calendar
// file, and the escalation of an urgent case nobody acknowledged.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

std::map<std::string, std::string> Env(const SmtpSink& sink) {
  return {{"SOUNDCHECK_PASSWORDS_ARGON2_OPS", "1"},
          {"SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB", "8"},
          {"SOUNDCHECK_LOG_LEVEL", "warn"},
          {"SOUNDCHECK_MAIL_SMTP_URL", sink.url()},
          {"SOUNDCHECK_MAIL_FROM", "Soundcheck <noreply@example.org>"},
          {"SOUNDCHECK_MAIL_STARTTLS", "false"},
          {"SOUNDCHECK_PUBLIC_URL", "https://help.example.org"},
          {"SOUNDCHECK_ALERTS_JOB_INTERVAL_SECONDS", "1"}};
}

std::string Intake(const std::string& email, bool risk) {
  std::string screens = risk ? R"([{"instrument":"phq9","answers":[1,1,1,1,1,1,1,1,1]}])"
                             : R"([{"instrument":"phq2","answers":[0,1]}])";
  return R"({"for":"self","preferred_name":"Mail Tester","language":"es",
    "contact":{"email":")" +
         email + R"(","preferred":"email","email_ok":true},
    "industry_role":"driver","location":{"country":"US","time_zone":"America/Chicago"},
    "requests":["therapy"],"screenings":)" +
         screens + R"(,"consents":{"privacy_notice_version":"2026-11","contact":true}})";
}

TEST(MemberMailE2eTest, AStatusLinkWorksOnceAndShowsTheCase) {
  auto dir = FreshDir("sc-member");
  SmtpSink sink(dir + "/mail");
  ASSERT_TRUE(sink.ok()) << sink.error();
  ServerProcess server({"--data-dir", dir}, Env(sink));
  ASSERT_TRUE(server.ok()) << server.error();

  auto r = Fetch(server.port(), "POST", "/api/v1/intakes", Intake("member@example.org", false),
                 {{"Idempotency-Key", "member-mail-1"}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto receipt = boost::json::parse(r.body).as_object();
  EXPECT_TRUE(receipt.at("status_link_sent").as_bool());
  std::string reference(receipt.at("reference").as_string());

  auto mails = sink.Await(1);
  ASSERT_EQ(mails.size(), 1u);
  std::string subject = MailField(mails[0], "subject");
  std::string body = MailField(mails[0], "text");
  EXPECT_FALSE(subject.empty());
  EXPECT_EQ(subject.find("Mail Tester"), std::string::npos);  // no personal data in subjects
  EXPECT_EQ(subject.find("member@"), std::string::npos);
  auto at = body.find("https://help.example.org/es/status#t=");  // Spanish page, fragment
  ASSERT_NE(at, std::string::npos) << body;
  std::string token = body.substr(at + 37);
  token = token.substr(0, token.find_first_of(" \r\n"));
  ASSERT_GE(token.size(), 20u);

  auto opened =
      Fetch(server.port(), "POST", "/api/v1/member/sessions", R"({"token":")" + token + R"("})");
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto status = boost::json::parse(opened.body).as_object();
  EXPECT_EQ(status.at("language").as_string(), "es");
  ASSERT_EQ(status.at("cases").as_array().size(), 1u);
  EXPECT_EQ(status.at("cases").as_array()[0].at("reference").as_string(), reference);
  EXPECT_EQ(status.at("cases").as_array()[0].at("status").as_string(), "new");
  EXPECT_TRUE(status.at("crisis").at("resources").is_object());
  std::string set_cookie = opened.headers["set-cookie"];
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("Path=/api/v1/member"), std::string::npos);
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  // Single use.
  EXPECT_EQ(
      Fetch(server.port(), "POST", "/api/v1/member/sessions", R"({"token":")" + token + R"("})")
          .status,
      410);
  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/member/status", "", {{"Cookie", cookie}}).status,
            200);
  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/member/status").status, 401);

  // Asking again: an unknown address gets the same answer and no mail; a known one a link.
  auto unknown =
      Fetch(server.port(), "POST", "/api/v1/member/links", R"({"email":"nobody@example.org"})");
  auto known =
      Fetch(server.port(), "POST", "/api/v1/member/links", R"({"email":" Member@Example.org "})");
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(unknown.body, known.body);
  mails = sink.Await(2);
  ASSERT_EQ(mails.size(), 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(sink.Received().size(), 2u);  // nothing went to the unknown address
  EXPECT_EQ(
      Fetch(server.port(), "POST", "/api/v1/member/links", R"({"email":"not an email"})").status,
      422);

  EXPECT_EQ(Fetch(server.port(), "POST", "/api/v1/member/logout", "", {{"Cookie", cookie}}).status,
            204);
  EXPECT_EQ(Fetch(server.port(), "GET", "/api/v1/member/status", "", {{"Cookie", cookie}}).status,
            401);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(MemberMailE2eTest, ABookedCallIsMailedWithItsInviteAndUnacknowledgedAlertsReachSupervisors) {
  auto dir = FreshDir("sc-booking");
  SmtpSink sink(dir + "/mail");
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto env = Env(sink);
  std::string out;
  ASSERT_EQ(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", "sup@example.org", "--role",
                           "supervisor", "--name", "Sam Supervisor"},
                          "a long enough staff passphrase\n", &out, env),
            0)
      << out;
  out.clear();
  ASSERT_EQ(RunSoundcheck(
                {"token", "create", "--data-dir", dir, "--email", "sup@example.org", "--name", "t"},
                "", &out, env),
            0);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  std::string token = out.substr(out.find_last_of('\n') + 1);
  ServerProcess server({"--data-dir", dir}, env);
  ASSERT_TRUE(server.ok()) << server.error();
  std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer " + token}};

  auto me = boost::json::parse(Fetch(server.port(), "GET", "/api/v1/me", "", auth).body);
  std::string sup_id(me.at("id").as_string());
  auto tomorrow = std::chrono::system_clock::now() + std::chrono::hours(26);
  std::time_t tt = std::chrono::system_clock::to_time_t(tomorrow);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", std::gmtime(&tt));
  auto shift = Fetch(server.port(), "POST", "/api/v1/shifts",
                     R"({"user_id":")" + sup_id + R"(","starts_at":")" + day +
                         R"(T10:00","ends_at":")" + day + R"(T11:00","time_zone":"UTC"})",
                     auth);
  ASSERT_EQ(shift.status, 201) << shift.body;
  auto avail = boost::json::parse(Fetch(server.port(), "GET", "/api/v1/support/availability").body);
  ASSERT_FALSE(avail.at("slots").as_array().empty());
  std::string slot(avail.at("slots").as_array()[0].at("start").as_string());
  auto booked = Fetch(
      server.port(), "POST", "/api/v1/support-requests",
      R"({"preferred_name":"Booker Tester","phone":"+1 615 555 0113","language":"en","country":"US","time_zone":"America/Chicago","slot_start":")" +
          slot + R"(","email":"booker@example.org","privacy_notice_version":"2026-11"})",
      {{"Idempotency-Key", "booking-mail-1"}});
  ASSERT_EQ(booked.status, 201) << booked.body;
  auto mails = sink.Await(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(MailField(mails[0], "text").find("Booker Tester"), std::string::npos);
  const auto& files = mails[0].at("attachments").as_array();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].at("filename").as_string(), "soundcheck-call.ics");
  EXPECT_EQ(files[0].at("content_type").as_string(), "text/calendar");

  // An urgent case with nobody on duty: supervisors are alerted (console and mail) at once.
  auto urgent = Fetch(server.port(), "POST", "/api/v1/intakes", Intake("urgent@example.org", true),
                      {{"Idempotency-Key", "urgent-mail-1"}});
  ASSERT_EQ(urgent.status, 201) << urgent.body;
  std::string reference(boost::json::parse(urgent.body).at("reference").as_string());
  bool escalated = false;
  for (int i = 0; i < 200 && !escalated; ++i) {
    for (const auto& m : sink.Received()) {
      auto to = m.if_contains("rcpt_tos");
      std::string body = MailField(m, "text");
      if (to && boost::json::serialize(*to).find("sup@example.org") != std::string::npos &&
          body.find(reference) != std::string::npos) {
        escalated = true;
        EXPECT_NE(body.find("https://help.example.org/cases/"), std::string::npos);
        EXPECT_EQ(MailField(m, "subject").find(reference), std::string::npos);
      }
    }
    if (!escalated) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(escalated) << "no escalation mail reached the supervisor";
  auto alerts =
      boost::json::parse(Fetch(server.port(), "GET", "/api/v1/alerts?state=all", "", auth).body);
  ASSERT_EQ(alerts.at("items").as_array().size(), 1u);
  EXPECT_TRUE(alerts.at("items").as_array()[0].at("escalated_at").is_string());
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace soundcheck::testing
