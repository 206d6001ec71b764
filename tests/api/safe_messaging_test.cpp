// Safe messaging (clinical.md section 6): every member-facing text — the crisis data, what
// the intake says after submitting, the crisis footer in every page, the web pages'
// translations and the message catalogs in i18n/ (mail included) — is checked against
// data/safe-messaging-banned.txt.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/i18n.h"
#include "crypto/init.h"
#include "domain/intake/intake_service.h"
#include "domain/mail/mail_service.h"
#include "http/crisis_footer.h"
#include "tests/support/test_app.h"

namespace soundcheck::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Banned() {
  std::vector<std::string> out;
  std::ifstream in(std::string(SC_SOURCE_DIR) + "/data/safe-messaging-banned.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') out.push_back(Lower(line));
  }
  return out;
}

void ExpectSafe(const std::string& text, const std::string& where) {
  static const auto banned = Banned();
  ASSERT_GT(banned.size(), 10u);
  std::string lower = Lower(text);
  for (const auto& phrase : banned) {
    EXPECT_EQ(lower.find(phrase), std::string::npos) << "\"" << phrase << "\" in " << where;
  }
}

TEST(SafeMessagingTest, TheCheckCatchesABannedPhrase) {
  // The checker itself must work: a known-bad text fails it.
  std::string lower = Lower("He Committed Suicide");
  bool caught = false;
  for (const auto& p : Banned()) caught = caught || lower.find(p) != std::string::npos;
  EXPECT_TRUE(caught);
}

TEST(SafeMessagingTest, EveryMemberFacingTextIsSafe) {
  namespace fs = std::filesystem;
  const fs::path root = SC_SOURCE_DIR;
  ExpectSafe(Slurp(root / "data/crisis-lines.json"), "data/crisis-lines.json");
  // What the intake says next comes from the catalogs (i18n/*/server.json), linted below.
  TestApp t;
  int pages = 0;
  for (const char* country : {"US", "CA", "GB", "IE", "AU", "DE", "FR", "NL", "ES", "ZZ"}) {
    for (const char* lang : {"en", "es"}) {
      auto r = t.Call("GET",
                      std::string("/api/v1/crisis-resources?country=") + country + "&lang=" + lang);
      ASSERT_EQ(r.status, 200);
      ExpectSafe(r.body, std::string("crisis resources ") + country);
      ++pages;
    }
  }
  EXPECT_EQ(pages, 20);
  // The web pages' strings, wherever the translations live.
  int files = 0;
  if (fs::exists(root / "web/src")) {
    for (const auto& e : fs::recursive_directory_iterator(root / "web/src")) {
      auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".ts" || ext == ".tsx")) {
        ExpectSafe(Slurp(e.path()), e.path().string());
        ++files;
      }
    }
  }
  EXPECT_GT(files, 5);
}

// The message catalogs (i18n/<language>/*.json: mail, web pages, whatever comes next), text
// by text, plus every mail as rendered, since a footer or greeting joins texts together.
TEST(SafeMessagingTest, EveryCatalogTextIsSafe) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(SC_SOURCE_DIR) / "i18n";
  int texts = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    auto catalog = core::i18n::Catalog::LoadFile(e.path().string());
    ASSERT_TRUE(catalog) << catalog.error().message;
    for (const auto& key : catalog->Keys()) {
      // Items of the validated screening instruments keep their published wording
      // (clinical.md section 1: "do not invent new wording"); C-SSRS asks about a plan in
      // the instrument's own words. Only the items themselves are exempt ("cssrs.q5"), never
      // the texts around them.
      static const std::regex kInstrumentItem(
          R"(^(cssrs|phq|gad|audit|dast|pcptsd|who)[a-z0-9]*\.q?[0-9]+$)");
      if (std::regex_match(key, kInstrumentItem)) continue;
      ExpectSafe(*catalog->Text(key), e.path().string() + " " + key);
      ++texts;
    }
  }
  EXPECT_GT(texts, 10);

  ASSERT_TRUE(crypto::InitCrypto());
  auto catalogs = core::i18n::Translations::Load(root.string(), "mail", {"en", "es"});
  ASSERT_TRUE(catalogs) << catalogs.error().message;
  auto master = crypto::MasterKey::Generate("mk-safe-messaging");
  ASSERT_TRUE(master);
  domain::keys::KeyService keys(*master);
  core::ManualClock clock(core::FromUnixSeconds(1'790'000'000));
  core::SequentialIdGenerator ids;
  auto mail = domain::mail::MailService::Create(*catalogs, keys, clock, ids);
  ASSERT_TRUE(mail) << mail.error().message;
  int mails = 0;
  for (const auto& spec : domain::mail::Templates()) {
    for (const char* lang : {"en", "es"}) {
      domain::mail::MailRequest r;
      r.template_key = std::string(spec.key);
      r.language = lang;
      r.recipient = "sam.fictional@example.org";
      r.subject_id = "person-1";
      for (auto name : spec.required) r.params[std::string(name)] = "x";
      for (auto name : spec.optional) r.params[std::string(name)] = "x";
      auto m = mail->Render(r);
      ASSERT_TRUE(m) << m.error().message;
      ExpectSafe(m->subject + "\n" + m->body, std::string(spec.key) + " " + lang);
      ++mails;
    }
  }
  EXPECT_EQ(mails, static_cast<int>(domain::mail::Templates().size() * 2));
  EXPECT_GE(mails, 12);
}

}  // namespace
}  // namespace soundcheck::testing
