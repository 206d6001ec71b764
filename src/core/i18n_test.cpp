// The message catalogs: parsing, placeholder substitution, missing keys and parameters as
// error values, parity between languages, and the shipped i18n/ tree in parity.
#include "core/i18n.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace soundcheck::core::i18n {
namespace {

Catalog Parse(std::string_view json, std::string_view name = "test.json") {
  auto c = Catalog::Parse(json, name);
  EXPECT_TRUE(c) << (c ? "" : c.error().message);
  return c ? *c : Catalog();
}

TEST(I18nTest, RendersPlaceholders) {
  Catalog c = Parse(R"({"hi": "Hi {name}, your code is {code}.", "plain": "No params"})");
  auto r = c.Render("hi", {{"name", "Sam Example"}, {"code", "42"}, {"unused", "x"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "Hi Sam Example, your code is 42.");
  EXPECT_EQ(*c.Render("plain", {}), "No params");
}

TEST(I18nTest, BracesThatAreNotPlaceholdersStayText) {
  Catalog c = Parse(R"({"k": "{} { x} {a-b} {open {v}"})");
  EXPECT_EQ(*c.Render("k", {{"v", "V"}}), "{} { x} {a-b} {open V");
  EXPECT_EQ(Placeholders("{} { x} {a-b} {open {v} {v} {w_2}"), (std::set<std::string>{"v", "w_2"}));
}

TEST(I18nTest, ParameterValuesAreNotReinterpreted) {
  // A value that looks like a placeholder is inserted as-is, never expanded again.
  Catalog c = Parse(R"({"k": "{a} and {b}"})");
  EXPECT_EQ(*c.Render("k", {{"a", "{b}"}, {"b", "B"}}), "{b} and B");
}

TEST(I18nTest, MissingKeyIsAnErrorValue) {
  Catalog c = Parse(R"({"k": "v"})", "i18n/en/mail.json");
  auto r = c.Render("nope", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("nope"), std::string::npos);
  EXPECT_NE(r.error().message.find("i18n/en/mail.json"), std::string::npos);
}

TEST(I18nTest, MissingParameterIsAnErrorThatNamesNoValue) {
  Catalog c = Parse(R"({"k": "Hi {name}, see {link}"})");
  auto r = c.Render("k", {{"name", "Canary Person"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("{link}"), std::string::npos);
  EXPECT_EQ(r.error().message.find("Canary"), std::string::npos);
}

TEST(I18nTest, NestedObjectsAreDottedKeys) {
  Catalog c = Parse(R"({"mail": {"a": {"subject": "S"}}, "top": "T"})");
  EXPECT_TRUE(c.Has("mail.a.subject"));
  EXPECT_EQ(c.Keys(), (std::vector<std::string>{"mail.a.subject", "top"}));
}

TEST(I18nTest, RejectsMalformedCatalogs) {
  for (std::string_view bad : {"", "[]", "\"text\"", R"({"k": 3})", R"({"k": ["a"]})",
                               R"({"": "empty key"})", "{\"k\": \"unterminated"}) {
    auto c = Catalog::Parse(bad, "bad.json");
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(c.error().message.find("bad.json"), std::string::npos);
  }
  EXPECT_EQ(Catalog::LoadFile("/nonexistent/i18n/en/x.json").error().code, ErrorCode::kNotFound);
}

TEST(I18nTest, ParityFindsMissingKeysAndPlaceholders) {
  Catalog en = Parse(R"({"a": "A {x}", "b": "B", "c": "C {y}"})");
  Catalog es = Parse(R"({"a": "A", "c": "C {y} {z}", "d": "D"})");
  auto problems = ParityProblems(en, "en", es, "es");
  std::set<std::string> got(problems.begin(), problems.end());
  EXPECT_EQ(got, (std::set<std::string>{"a: es lacks {x}", "b: es lacks the key", "c: en lacks {z}",
                                        "d: en lacks the key"}));
  EXPECT_TRUE(ParityProblems(en, "en", en, "en").empty());
}

TEST(I18nTest, TranslationsRefuseCatalogsOutOfParity) {
  std::map<std::string, Catalog> ok{{"en", Parse(R"({"k": "Hi {n}"})")},
                                    {"es", Parse(R"({"k": "Hola {n}"})")}};
  auto t = Translations::FromCatalogs(ok);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->Render("es", "k", {{"n", "N"}}), "Hola N");
  EXPECT_TRUE(t->Supports("en"));
  EXPECT_FALSE(t->Supports("fr"));
  EXPECT_EQ(t->Render("fr", "k", {{"n", "N"}}).error().code, ErrorCode::kInvalidArgument);

  std::map<std::string, Catalog> bad{{"en", Parse(R"({"k": "Hi {n}"})")},
                                     {"es", Parse(R"({"k": "Hola"})")}};
  auto refused = Translations::FromCatalogs(bad);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("k: es lacks {n}"), std::string::npos);
}

// Every catalog shipped in i18n/ (mail, the web pages, whatever comes next) parses, and
// English and Spanish are in parity.
TEST(I18nTest, ShippedCatalogsAreInParity) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(SC_SOURCE_DIR) / "i18n";
  int areas = 0;
  for (const auto& e : fs::directory_iterator(root / "en")) {
    if (e.path().extension() != ".json") continue;
    std::string area = e.path().stem().string();
    auto t = Translations::Load(root.string(), area, {"en", "es"});
    EXPECT_TRUE(t) << area << ": " << (t ? "" : t.error().message);
    ++areas;
  }
  for (const auto& e : fs::directory_iterator(root / "es")) {
    EXPECT_TRUE(fs::exists(root / "en" / e.path().filename())) << e.path() << " has no English";
  }
  EXPECT_GE(areas, 1);
}

}  // namespace
}  // namespace soundcheck::core::i18n
