// The weekly "still taking clients?" mail, end to end: a generated (fictional) directory
// imported by the CLI, a provider account linked to one practice by the CLI, the running
// server's reminder job mailing a real SMTP sink (python3-aiosmtpd), and the one-click link
// confirming the openings exactly once.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
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
          {"SOUNDCHECK_DIRECTORY_REMINDER_INTERVAL_SECONDS", "1"}};
}

// The id of the first organization of a generated CSV data package.
std::string FirstOrganization(const std::string& folder) {
  std::ifstream in(folder + "/organizations.csv");
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(header.rfind("id,", 0), 0u) << header;
  return row.substr(0, row.find(','));
}

TEST(DirectoryMailE2eTest, TheWeeklyCheckinConfirmsOpeningsWithOneClickOnce) {
  auto dir = FreshDir("sc-checkin");
  SmtpSink sink(dir + "/mail");
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto env = Env(sink);
  std::string out;
  // Dated in January: no opening has been confirmed for months, so every listing is due.
  ASSERT_EQ(RunSoundcheck({"demo", "generate", "--providers", "4", "--seed", "11", "--out",
                           dir + "/demo", "--today", "2026-01-05"},
                          "", &out, env),
            0)
      << out;
  out.clear();
  ASSERT_EQ(RunSoundcheck({"import", "hsds", dir + "/demo", "--data-dir", dir}, "", &out, env), 0)
      << out;
  out.clear();
  ASSERT_EQ(RunSoundcheck({"user", "add", "--data-dir", dir, "--email", "provider@example.org",
                           "--role", "provider", "--name", "Demo Provider"},
                          "a long enough provider passphrase\n", &out, env),
            0)
      << out;
  const std::string org = FirstOrganization(dir + "/demo");
  out.clear();
  ASSERT_EQ(RunSoundcheck({"directory", "link-provider", "--data-dir", dir, "--email",
                           "provider@example.org", "--organization", org},
                          "", &out, env),
            0)
      << out;
  out.clear();
  EXPECT_NE(RunSoundcheck(
                {"directory", "link-provider", "--data-dir", dir, "--email", "provider@example.org",
                 "--organization", "0195c000-0000-7000-8000-0000000000ff"},
                "", &out, env),
            0);
  EXPECT_NE(out.find("organization"), std::string::npos) << out;

  ServerProcess server({"--data-dir", dir}, env);
  ASSERT_TRUE(server.ok()) << server.error();
  auto mails = sink.Await(1);
  ASSERT_GE(mails.size(), 1u);
  std::string token;
  for (const auto& m : mails) {
    EXPECT_EQ(MailField(m, "to"), "provider@example.org");
    const std::string body = MailField(m, "text");
    auto at = body.find("https://help.example.org/provider/checkin#t=");
    if (at == std::string::npos) continue;
    EXPECT_EQ(MailField(m, "subject"), "Are you still taking clients?");
    token = body.substr(at + 44);
    token = token.substr(0, token.find_first_of(" \r\n"));
    break;
  }
  ASSERT_GE(token.size(), 20u);

  auto done =
      Fetch(server.port(), "POST", "/api/v1/provider/checkins", R"({"token":")" + token + R"("})");
  ASSERT_EQ(done.status, 200) << done.body;
  auto v = boost::json::parse(done.body);
  EXPECT_FALSE(v.at("service_name").as_string().empty());
  EXPECT_FALSE(v.at("openings").at("last_confirmed_at").is_null());
  EXPECT_FALSE(v.at("openings").at("stale").as_bool());
  EXPECT_EQ(
      Fetch(server.port(), "POST", "/api/v1/provider/checkins", R"({"token":")" + token + R"("})")
          .status,
      410);
  // The job keeps running every second, but a listing is asked at most once a week.
  const size_t sent = sink.Received().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(sink.Received().size(), sent);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace soundcheck::testing
