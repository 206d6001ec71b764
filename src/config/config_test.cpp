#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <utility>
#include <vector>

namespace soundcheck::config {
namespace {

TEST(ConfigTest, DefaultsAreTheEmbeddedDatabaseOnLoopback) {
  auto c = Load({});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->EffectiveDb(), "sqlite:./soundcheck-data/soundcheck.db");
  EXPECT_EQ(c->EffectiveMasterKeyFile(), "./soundcheck-data/master.key");
}

TEST(ConfigTest, LaterSourcesWin) {
  std::string path = testing::TempDir() + "/sc-config-test.json";
  std::ofstream(path) << R"({"listen": "127.0.0.1:9000", "limits": {"max_body_bytes": 4096}})";
  Sources s;
  s.config_file = path;
  s.env = {{"SOUNDCHECK_LISTEN", "127.0.0.1:9001"}, {"HOME", "/root"}};
  s.flags = {{"data_dir", "/tmp/x"}};
  auto c = Load(s);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:9001");
  EXPECT_EQ(c->limits.max_body_bytes, 4096);
  EXPECT_EQ(c->data_dir, "/tmp/x");
  std::remove(path.c_str());
}

TEST(ConfigTest, UnknownKeysAndBadValuesAreNamed) {
  std::string path = testing::TempDir() + "/sc-config-bad.json";
  std::ofstream(path) << R"({"limits": {"max_bodybytes": 1}, "threads": "many"})";
  Sources s;
  s.config_file = path;
  s.env = {{"SOUNDCHECK_LISTN", "x"}};
  s.flags = {{"listen", "nohostport"}};
  auto c = Load(s);
  ASSERT_FALSE(c);
  const auto& m = c.error().message;
  EXPECT_NE(m.find("unknown key limits.max_bodybytes"), std::string::npos) << m;
  EXPECT_NE(m.find("bad value for threads"), std::string::npos) << m;
  EXPECT_NE(m.find("SOUNDCHECK_LISTN"), std::string::npos) << m;
  EXPECT_NE(m.find("bad value for listen"), std::string::npos) << m;
  std::remove(path.c_str());
}

TEST(ConfigTest, ListenParsing) {
  auto a = ParseListen("[::1]:0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "::1");
  EXPECT_EQ(a->second, 0);
  EXPECT_FALSE(ParseListen("127.0.0.1:70000"));
  EXPECT_FALSE(ParseListen(":80"));
}

TEST(ConfigTest, DescribeRedactsDatabasePassword) {
  Sources s;
  s.flags = {{"db", "postgres://sc:hunter2hunter2@127.0.0.1:5432/sc"}};
  auto c = Load(s);
  ASSERT_TRUE(c);
  std::string d = Describe(*c);
  EXPECT_EQ(d.find("hunter2"), std::string::npos);
  EXPECT_NE(d.find("postgres://sc:***@127.0.0.1:5432/sc"), std::string::npos) << d;
}

TEST(ConfigTest, MailKeysFromEverySource) {
  auto d = Load({});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->mail.smtp_url, "");  // mail stays queued until it is set
  EXPECT_EQ(d->mail.max_attempts, 8);
  EXPECT_TRUE(d->mail.starttls);

  std::string path = testing::TempDir() + "/sc-config-mail.json";
  std::ofstream(path) << R"({"mail": {"smtp_url": "smtp://relay.example.org:587",
                                      "from": "Soundcheck <noreply@example.org>",
                                      "starttls": false, "max_attempts": 5}})";
  Sources s;
  s.config_file = path;
  s.env = {{"SOUNDCHECK_MAIL_USERNAME", "soundcheck"}, {"SOUNDCHECK_MAIL_PASSWORD", "s3cr3t-pw"}};
  auto c = Load(s);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->mail.smtp_url, "smtp://relay.example.org:587");
  EXPECT_EQ(c->mail.from, "Soundcheck <noreply@example.org>");
  EXPECT_FALSE(c->mail.starttls);
  EXPECT_EQ(c->mail.max_attempts, 5);
  EXPECT_EQ(c->mail.username, "soundcheck");
  EXPECT_EQ(c->mail.password, "s3cr3t-pw");
  std::remove(path.c_str());
}

TEST(ConfigTest, MailValuesAreChecked) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"mail.smtp_url", "http://relay"},
                                                        {"mail.from", "nobody"},
                                                        {"mail.starttls", "yes"},
                                                        {"mail.max_attempts", "0"},
                                                        {"mail.username", "a\r\nb"}}) {
    Sources s;
    s.flags = {{key, value}};
    auto c = Load(s);
    ASSERT_FALSE(c) << key;
    EXPECT_NE(c.error().message.find("bad value for " + key), std::string::npos);
  }
  Sources s;
  s.flags = {{"mail.smtp_url", "smtps://relay.example.org"}};
  auto c = Load(s);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("mail.from is required"), std::string::npos);
}

TEST(ConfigTest, DescribeRedactsMailSecrets) {
  Sources s;
  s.flags = {{"mail.smtp_url", "smtps://sc:urlpw-hunter2@relay.example.org:465"},
             {"mail.from", "noreply@example.org"},
             {"mail.password", "hunter2hunter2"}};
  auto c = Load(s);
  ASSERT_TRUE(c) << c.error().message;
  std::string d = Describe(*c);
  EXPECT_EQ(d.find("hunter2"), std::string::npos) << d;
  EXPECT_NE(d.find("\"password\":\"***\""), std::string::npos) << d;
  EXPECT_NE(d.find("smtps://sc:***@relay.example.org:465"), std::string::npos) << d;
  EXPECT_EQ(Describe(*Load({})).find("***"), std::string::npos);  // nothing set, nothing shown
}

}  // namespace
}  // namespace soundcheck::config
