#include <gtest/gtest.h>

#include "domain/crisis/crisis_directory.h"

namespace soundcheck::domain::crisis {
namespace {

CrisisData Sample() {
  CrisisData d;
  d.version = 3;
  d.source = "test";
  d.last_verified = "2026-11-25";
  d.default_country = "US";
  d.fallback = {"112", {}};
  d.fallback_note = {{"en", "Call your local emergency number."}, {"es", "Llama a emergencias."}};
  d.countries["US"] = {"911",
                       {{{{"en", "988 Lifeline"}, {"es", "988 Línea"}},
                         {{"en", "Call or text 988"}, {"es", "Llama o escribe al 988"}},
                         "988",
                         "988",
                         "https://988lifeline.org"}}};
  d.countries["AT"] = {"112", {}};
  return d;
}

TEST(CrisisDirectoryTest, DefaultCountryAndLanguages) {
  auto dir = CrisisDirectory::Create(Sample());
  ASSERT_TRUE(dir);
  auto us = dir->For("", "es-MX");
  ASSERT_TRUE(us);
  EXPECT_EQ(us->country, "US");
  EXPECT_TRUE(us->known);
  EXPECT_EQ(us->language, "es");
  EXPECT_EQ(us->emergency, "911");
  ASSERT_EQ(us->lines.size(), 1u);
  EXPECT_EQ(us->lines[0].name, "988 Línea");
  EXPECT_EQ(us->version, 3);
  EXPECT_EQ(us->last_verified, "2026-11-25");
  EXPECT_TRUE(us->note.empty());
  EXPECT_EQ(dir->For("us", "fr")->language, "en");
}

TEST(CrisisDirectoryTest, NeverEmptyHanded) {
  auto dir = CrisisDirectory::Create(Sample());
  auto unknown = dir->For("ZZ", "en");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->known);
  EXPECT_EQ(unknown->emergency, "112");
  EXPECT_EQ(unknown->note, "Call your local emergency number.");
  auto no_line = dir->For("AT", "es");
  ASSERT_TRUE(no_line);
  EXPECT_TRUE(no_line->known);
  EXPECT_EQ(no_line->note, "Llama a emergencias.");
}

TEST(CrisisDirectoryTest, RejectsBadCodesAndBadData) {
  auto dir = CrisisDirectory::Create(Sample());
  auto bad = dir->For("USA", "en");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "/country");
  auto d = Sample();
  d.default_country = "XX";
  EXPECT_FALSE(CrisisDirectory::Create(d));
  d = Sample();
  d.countries["US"].lines[0].how.erase("es");
  EXPECT_FALSE(CrisisDirectory::Create(d));
  d = Sample();
  d.countries["us"] = {"911", {}};
  EXPECT_FALSE(CrisisDirectory::Create(d));
}

}  // namespace
}  // namespace soundcheck::domain::crisis
