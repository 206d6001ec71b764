// Table-driven tests of every scoring rule, band edge, flow and error of clinical.md section 1,
// the section 2 hints, the risk signal and the intake gating.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "domain/screening/instruments.h"
#include "domain/screening/screening.h"

namespace soundcheck::domain::screening {
namespace {

using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAreArray;

// Chainable request builder, so table rows read as one line.
struct Req {
  ScoreRequest r;
  Req(std::string instrument, std::vector<int> answers = {}) {  // NOLINT: implicit by design
    r.instrument = std::move(instrument);
    r.answers = std::move(answers);
  }
  Req Sex(std::string s) const {
    return With([&](ScoreRequest& q) { q.sex = s; });
  }
  Req AuditcCutoff(int c) const {
    return With([&](ScoreRequest& q) { q.auditc_cutoff = c; });
  }
  Req PtsdCutoff(int c) const {
    return With([&](ScoreRequest& q) { q.pcptsd5_cutoff = c; });
  }
  Req Trauma(bool t) const {
    return With([&](ScoreRequest& q) { q.trauma_exposure = t; });
  }
  Req Difficulty(int d) const {
    return With([&](ScoreRequest& q) { q.phq9_difficulty = d; });
  }
  Req Cssrs(CssrsAnswers a) const {
    return With([&](ScoreRequest& q) { q.cssrs = a; });
  }
  Req Substance(SubstanceFacts f) const {
    return With([&](ScoreRequest& q) { q.substance = f; });
  }
  template <typename F>
  Req With(F f) const {
    Req copy = *this;
    f(copy.r);
    return copy;
  }
};

// C-SSRS answers from a compact spec: "y"/"n" for q1..q6 and the follow-up, "-" = absent.
// Order: q1 q2 q3 q4 q5 q6 q6_past_3_months, e.g. "nn---yn".
CssrsAnswers C(std::string_view s) {
  auto at = [&](size_t i) -> std::optional<bool> {
    if (s[i] == '-') return std::nullopt;
    return s[i] == 'y';
  };
  CssrsAnswers a;
  a.q1 = at(0);
  a.q2 = at(1);
  a.q3 = at(2);
  a.q4 = at(3);
  a.q5 = at(4);
  a.q6 = at(5);
  a.q6_past_3_months = at(6);
  return a;
}

using Strings = std::vector<std::string>;

// Totals, bands, cut-offs, flags, risk, percent and next instrument.

struct TotalCase {
  std::string name;
  Req req;
  int score;
  std::string band;
  bool positive;
  Strings flags = {};
  std::string risk = "none";
  std::string next = "";  // "" = none
};

void PrintTo(const TotalCase& c, std::ostream* os) { *os << c.name; }

const std::vector<TotalCase>& TotalCases() {
  // clang-format off
  static const std::vector<TotalCase> cases = {
      // PHQ-9: bands 0-4 / 5-9 / 10-14 / 15-19 / 20-27, positive >= 10.
      {"phq9_0", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 0}), 0, "minimal", false},
      {"phq9_4", Req("phq9", {1, 1, 1, 1, 0, 0, 0, 0, 0}), 4, "minimal", false},
      {"phq9_5", Req("phq9", {1, 1, 1, 1, 1, 0, 0, 0, 0}), 5, "mild", false},
      {"phq9_9", Req("phq9", {3, 3, 3, 0, 0, 0, 0, 0, 0}), 9, "mild", false},
      {"phq9_10", Req("phq9", {3, 3, 3, 1, 0, 0, 0, 0, 0}), 10, "moderate", true},
      {"phq9_14", Req("phq9", {3, 3, 3, 3, 2, 0, 0, 0, 0}), 14, "moderate", true},
      {"phq9_15", Req("phq9", {3, 3, 3, 3, 3, 0, 0, 0, 0}), 15, "moderately_severe", true},
      {"phq9_19", Req("phq9", {3, 3, 3, 3, 3, 3, 1, 0, 0}), 19, "moderately_severe", true},
      {"phq9_20", Req("phq9", {3, 3, 3, 3, 3, 3, 2, 0, 0}), 20, "severe", true},
      {"phq9_24_item9_zero", Req("phq9", {3, 3, 3, 3, 3, 3, 3, 3, 0}), 24, "severe", true},
      {"phq9_27", Req("phq9", {3, 3, 3, 3, 3, 3, 3, 3, 3}), 27, "severe", true, {"safety_item9"},
       "low", "cssrs"},
      // HL7 US Core example.
      {"phq9_published_12", Req("phq9", {2, 2, 2, 2, 1, 1, 2, 0, 0}), 12, "moderate", true},
      // Item 9 >= 1 is a safety flag whatever the total.
      {"phq9_item9_1_total_1", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 1}), 1, "minimal", false,
       {"safety_item9"}, "low", "cssrs"},
      {"phq9_item9_3_total_3", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 3}), 3, "minimal", false,
       {"safety_item9"}, "low", "cssrs"},
      {"phq9_item9_1_total_12", Req("phq9", {2, 2, 2, 2, 1, 1, 1, 0, 1}), 12, "moderate", true,
       {"safety_item9"}, "low", "cssrs"},
      {"phq9_difficulty_not_scored", Req("phq9", {1, 1, 1, 1, 0, 0, 0, 0, 0}).Difficulty(3), 4,
       "minimal", false},

      // PHQ-2: >= 3 positive → PHQ-9.
      {"phq2_0", Req("phq2", {0, 0}), 0, "negative", false},
      {"phq2_published_2", Req("phq2", {1, 1}), 2, "negative", false},
      {"phq2_published_3", Req("phq2", {1, 2}), 3, "positive", true, {}, "none", "phq9"},
      {"phq2_6", Req("phq2", {3, 3}), 6, "positive", true, {}, "none", "phq9"},

      // GAD-7: bands 0-4 / 5-9 / 10-14 / 15-21, positive >= 10.
      {"gad7_0", Req("gad7", {0, 0, 0, 0, 0, 0, 0}), 0, "minimal", false},
      {"gad7_4", Req("gad7", {1, 1, 1, 1, 0, 0, 0}), 4, "minimal", false},
      {"gad7_5", Req("gad7", {1, 1, 1, 1, 1, 0, 0}), 5, "mild", false},
      {"gad7_9", Req("gad7", {3, 3, 3, 0, 0, 0, 0}), 9, "mild", false},
      {"gad7_10", Req("gad7", {3, 3, 3, 1, 0, 0, 0}), 10, "moderate", true},
      {"gad7_14", Req("gad7", {3, 3, 3, 3, 2, 0, 0}), 14, "moderate", true},
      {"gad7_15", Req("gad7", {3, 3, 3, 3, 3, 0, 0}), 15, "severe", true},
      {"gad7_21", Req("gad7", {3, 3, 3, 3, 3, 3, 3}), 21, "severe", true},
      {"gad7_published_7", Req("gad7", {1, 1, 1, 2, 2, 0, 0}), 7, "mild", false},
      {"gad7_published_3", Req("gad7", {0, 0, 1, 1, 0, 1, 0}), 3, "minimal", false},

      // GAD-2: >= 3 positive → GAD-7.
      {"gad2_0", Req("gad2", {0, 0}), 0, "negative", false},
      {"gad2_2", Req("gad2", {1, 1}), 2, "negative", false},
      {"gad2_3", Req("gad2", {2, 1}), 3, "positive", true, {}, "none", "gad7"},
      {"gad2_6", Req("gad2", {3, 3}), 6, "positive", true, {}, "none", "gad7"},

      // AUDIT-C: >= 4 men, >= 3 women, configurable; other / unknown sex: 3.
      {"auditc_male_3", Req("auditc", {1, 1, 1}).Sex("male"), 3, "negative", false},
      {"auditc_male_4", Req("auditc", {2, 1, 1}).Sex("male"), 4, "positive", true},
      {"auditc_female_2", Req("auditc", {1, 1, 0}).Sex("female"), 2, "negative", false},
      {"auditc_female_3", Req("auditc", {1, 1, 1}).Sex("female"), 3, "positive", true},
      {"auditc_no_sex_2", Req("auditc", {1, 1, 0}), 2, "negative", false},
      {"auditc_no_sex_3", Req("auditc", {1, 1, 1}), 3, "positive", true},
      {"auditc_other_sex_3", Req("auditc", {1, 1, 1}).Sex("intersex"), 3, "positive", true},
      {"auditc_male_cutoff5_4", Req("auditc", {2, 1, 1}).Sex("male").AuditcCutoff(5), 4, "negative",
       false},
      {"auditc_male_cutoff5_5", Req("auditc", {2, 2, 1}).Sex("male").AuditcCutoff(5), 5, "positive",
       true},
      {"auditc_female_cutoff4_3", Req("auditc", {1, 1, 1}).Sex("female").AuditcCutoff(4), 3,
       "negative", false},
      {"auditc_0", Req("auditc", {0, 0, 0}).Sex("female"), 0, "negative", false},
      {"auditc_12", Req("auditc", {4, 4, 4}).Sex("male"), 12, "positive", true,
       {"daily_heavy_drinking"}},
      // Q2 = Q3 = 0: all points from Q1 → note for review (on a positive screen).
      {"auditc_male_q1_only_4", Req("auditc", {4, 0, 0}).Sex("male"), 4, "positive", true,
       {"all_points_from_q1"}},
      {"auditc_female_q1_only_3", Req("auditc", {3, 0, 0}).Sex("female"), 3, "positive", true,
       {"all_points_from_q1"}},
      {"auditc_male_q1_only_3_negative", Req("auditc", {3, 0, 0}).Sex("male"), 3, "negative",
       false},
      {"auditc_female_q2_points", Req("auditc", {2, 1, 0}).Sex("female"), 3, "positive", true},
      {"auditc_female_q3_points", Req("auditc", {2, 0, 1}).Sex("female"), 3, "positive", true},
      // Q3 = 4: six or more drinks daily or almost daily.
      {"auditc_q3_daily", Req("auditc", {0, 0, 4}).Sex("male"), 4, "positive", true,
       {"daily_heavy_drinking"}},
      {"auditc_q3_weekly", Req("auditc", {0, 0, 3}).Sex("male"), 3, "negative", false},

      // DAST-10: 0 = no, 1 = yes; item 3 reverse-scored (no = 1).
      {"dast10_all_no_is_1", Req("dast10", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 1, "low", false},
      {"dast10_item3_yes_only_is_0", Req("dast10", {0, 0, 1, 0, 0, 0, 0, 0, 0, 0}), 0, "none",
       false},
      {"dast10_1", Req("dast10", {1, 0, 1, 0, 0, 0, 0, 0, 0, 0}), 1, "low", false},
      {"dast10_2", Req("dast10", {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}), 2, "low", false},
      {"dast10_3", Req("dast10", {1, 1, 1, 1, 0, 0, 0, 0, 0, 0}), 3, "moderate", true},
      {"dast10_3_via_item3_no", Req("dast10", {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}), 3, "moderate", true},
      {"dast10_5", Req("dast10", {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}), 5, "moderate", true},
      {"dast10_6", Req("dast10", {1, 1, 1, 1, 1, 1, 1, 0, 0, 0}), 6, "substantial", true},
      {"dast10_8", Req("dast10", {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}), 8, "substantial", true},
      {"dast10_all_yes_is_9", Req("dast10", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 9, "severe", true},
      {"dast10_10", Req("dast10", {1, 1, 0, 1, 1, 1, 1, 1, 1, 1}), 10, "severe", true},

      // PC-PTSD-5: gate no → 0 and stop; cut-off 3 (default) or 4.
      {"pcptsd5_no_exposure", Req("pcptsd5").Trauma(false), 0, "negative", false,
       {"no_trauma_exposure"}},
      {"pcptsd5_no_exposure_cutoff4", Req("pcptsd5").Trauma(false).PtsdCutoff(4), 0, "negative",
       false, {"no_trauma_exposure"}},
      {"pcptsd5_0", Req("pcptsd5", {0, 0, 0, 0, 0}).Trauma(true), 0, "negative", false},
      {"pcptsd5_2", Req("pcptsd5", {1, 1, 0, 0, 0}).Trauma(true), 2, "negative", false},
      {"pcptsd5_3_default", Req("pcptsd5", {1, 1, 1, 0, 0}).Trauma(true), 3, "positive", true},
      {"pcptsd5_3_cutoff3", Req("pcptsd5", {0, 0, 1, 1, 1}).Trauma(true).PtsdCutoff(3), 3,
       "positive", true},
      {"pcptsd5_3_cutoff4", Req("pcptsd5", {1, 1, 1, 0, 0}).Trauma(true).PtsdCutoff(4), 3,
       "negative", false},
      {"pcptsd5_4_cutoff4", Req("pcptsd5", {1, 1, 1, 1, 0}).Trauma(true).PtsdCutoff(4), 4,
       "positive", true},
      {"pcptsd5_5", Req("pcptsd5", {1, 1, 1, 1, 1}).Trauma(true), 5, "positive", true},

      // WHO-5: raw < 13 or any item 0-1 → poor wellbeing; <= 28% (raw <= 7) likely depression.
      {"who5_25", Req("who5", {5, 5, 5, 5, 5}), 25, "adequate", false},
      {"who5_13", Req("who5", {3, 3, 3, 2, 2}), 13, "adequate", false},
      {"who5_22_items_2_or_more", Req("who5", {5, 5, 5, 5, 2}), 22, "adequate", false},
      {"who5_12", Req("who5", {3, 3, 2, 2, 2}), 12, "poor_wellbeing", true, {"poor_wellbeing"},
       "none", "phq9"},
      {"who5_10_no_low_item", Req("who5", {2, 2, 2, 2, 2}), 10, "poor_wellbeing", true,
       {"poor_wellbeing"}, "none", "phq9"},
      {"who5_8", Req("who5", {2, 2, 2, 1, 1}), 8, "poor_wellbeing", true,
       {"poor_wellbeing", "low_item"}, "none", "phq9"},
      {"who5_7", Req("who5", {2, 2, 1, 1, 1}), 7, "likely_depression", true,
       {"poor_wellbeing", "low_item", "likely_depression"}, "none", "phq9"},
      {"who5_0", Req("who5", {0, 0, 0, 0, 0}), 0, "likely_depression", true,
       {"poor_wellbeing", "low_item", "likely_depression"}, "none", "phq9"},
      {"who5_21_one_item_1", Req("who5", {5, 5, 5, 5, 1}), 21, "poor_wellbeing", true,
       {"poor_wellbeing", "low_item"}, "none", "phq9"},
      {"who5_20_one_item_0", Req("who5", {0, 5, 5, 5, 5}), 20, "poor_wellbeing", true,
       {"poor_wellbeing", "low_item"}, "none", "phq9"},
      {"who5_13_items_1", Req("who5", {5, 5, 1, 1, 1}), 13, "poor_wellbeing", true,
       {"poor_wellbeing", "low_item"}, "none", "phq9"},
  };
  // clang-format on
  return cases;
}

class TotalTest : public ::testing::TestWithParam<TotalCase> {};

TEST_P(TotalTest, ScoresBandsAndFlags) {
  const TotalCase& c = GetParam();
  auto result = Score(c.req.r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->instrument, c.req.r.instrument);
  EXPECT_EQ(result->instrument_version, 1);
  ASSERT_TRUE(result->score.has_value());
  EXPECT_EQ(*result->score, c.score);
  EXPECT_EQ(result->band, c.band);
  EXPECT_EQ(result->positive, c.positive);
  EXPECT_THAT(result->flags, UnorderedElementsAreArray(c.flags));
  EXPECT_EQ(result->risk, c.risk);
  EXPECT_EQ(IsRiskResult(*result), c.risk != "none");
  EXPECT_EQ(result->next_instrument.value_or(""), c.next);
  if (c.req.r.instrument == "who5") {
    ASSERT_TRUE(result->percent.has_value());
    EXPECT_EQ(*result->percent, c.score * 4);
  } else {
    EXPECT_FALSE(result->percent.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Section1, TotalTest, ::testing::ValuesIn(TotalCases()),
                         [](const auto& info) { return info.param.name; });

// The cut-off actually applied is reported with the result.

struct CutoffCase {
  std::string name;
  Req req;
  int cutoff;
};

void PrintTo(const CutoffCase& c, std::ostream* os) { *os << c.name; }

class CutoffTest : public ::testing::TestWithParam<CutoffCase> {};

TEST_P(CutoffTest, ReportsTheCutoffApplied) {
  auto result = Score(GetParam().req.r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->cutoff, GetParam().cutoff);
}

INSTANTIATE_TEST_SUITE_P(
    Section1, CutoffTest,
    ::testing::Values(CutoffCase{"phq9", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 0}), 10},
                      CutoffCase{"phq2", Req("phq2", {0, 0}), 3},
                      CutoffCase{"gad7", Req("gad7", {0, 0, 0, 0, 0, 0, 0}), 10},
                      CutoffCase{"gad2", Req("gad2", {0, 0}), 3},
                      CutoffCase{"dast10", Req("dast10", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 3},
                      CutoffCase{"who5", Req("who5", {5, 5, 5, 5, 5}), 13},
                      CutoffCase{"auditc_male", Req("auditc", {0, 0, 0}).Sex("male"), 4},
                      CutoffCase{"auditc_female", Req("auditc", {0, 0, 0}).Sex("female"), 3},
                      CutoffCase{"auditc_unknown", Req("auditc", {0, 0, 0}), 3},
                      CutoffCase{"auditc_override",
                                 Req("auditc", {0, 0, 0}).Sex("male").AuditcCutoff(6), 6},
                      CutoffCase{"pcptsd5_default", Req("pcptsd5").Trauma(false), 3},
                      CutoffCase{"pcptsd5_4", Req("pcptsd5").Trauma(false).PtsdCutoff(4), 4}),
    [](const auto& info) { return info.param.name; });

// C-SSRS: low = q1 or q2 only; moderate = q3, or q6 lifetime only; high = q4, q5, or q6 within
// 3 months. Answers "q1 q2 q3 q4 q5 q6 q6_past_3_months", "-" = not asked.

struct CssrsCase {
  std::string name;
  std::string answers;
  std::string risk;
  Strings flags;
  Strings suggestions;
};

void PrintTo(const CssrsCase& c, std::ostream* os) { *os << c.name; }

const std::vector<CssrsCase>& CssrsCases() {
  static const Strings kReview = {"same_day_safety_review"};
  static const Strings kCrisis = {"crisis_pathway_now", "same_day_safety_review"};
  // clang-format off
  static const std::vector<CssrsCase> cases = {
      {"all_no", "nn---n-", "none", {}, {}},
      {"q1_only", "yn---n-", "low", {"cssrs_q1"}, kReview},
      {"q2_only", "nynnnn-", "low", {"cssrs_q2"}, kReview},
      {"q1_q2", "yynnnn-", "low", {"cssrs_q1", "cssrs_q2"}, kReview},
      {"q3", "yyynnn-", "moderate", {"cssrs_q1", "cssrs_q2", "cssrs_q3"}, kReview},
      {"q4", "nynynn-", "high", {"cssrs_q2", "cssrs_q4"}, kCrisis},
      {"q5", "nynnyn-", "high", {"cssrs_q2", "cssrs_q5"}, kCrisis},
      {"q3_q4_q5", "yyyyyn-", "high", {"cssrs_q1", "cssrs_q2", "cssrs_q3", "cssrs_q4", "cssrs_q5"},
       kCrisis},
      {"q6_lifetime_only", "nn---yn", "moderate", {"cssrs_q6"}, kReview},
      {"q6_past_3_months", "nn---yy", "high", {"cssrs_q6", "cssrs_q6_past_3_months"}, kCrisis},
      {"q1_and_q6_lifetime", "yn---yn", "moderate", {"cssrs_q1", "cssrs_q6"}, kReview},
      {"q3_and_q6_past_3_months", "nyynnyy", "high",
       {"cssrs_q2", "cssrs_q3", "cssrs_q6", "cssrs_q6_past_3_months"}, kCrisis},
  };
  // clang-format on
  return cases;
}

class CssrsTest : public ::testing::TestWithParam<CssrsCase> {};

TEST_P(CssrsTest, RiskFollowsTheFlow) {
  const CssrsCase& c = GetParam();
  ScoreRequest request = Req("cssrs").Cssrs(C(c.answers)).r;
  auto result = Score(request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->score.has_value());  // no total
  EXPECT_FALSE(result->cutoff.has_value());
  EXPECT_EQ(result->risk, c.risk);
  EXPECT_EQ(result->band, c.risk);
  EXPECT_EQ(result->positive, c.risk != "none");  // any yes
  EXPECT_EQ(IsRiskResult(*result), c.risk != "none");
  EXPECT_EQ(HasRiskAnswer(request), c.risk != "none");
  EXPECT_THAT(result->flags, UnorderedElementsAreArray(c.flags));
  EXPECT_THAT(result->suggestions, ElementsAreArray(c.suggestions));
  EXPECT_FALSE(result->next_instrument.has_value());
}

INSTANTIATE_TEST_SUITE_P(Section1, CssrsTest, ::testing::ValuesIn(CssrsCases()),
                         [](const auto& info) { return info.param.name; });

// Errors: one FieldError per problem, all kInvalidArgument.

struct ErrorCase {
  std::string name;
  Req req;
  std::vector<std::pair<std::string, std::string>> fields;  // (field, code), in any order
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

const std::vector<ErrorCase>& ErrorCases() {
  using P = std::pair<std::string, std::string>;
  const std::vector<int> phq9_ok = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  // clang-format off
  static const std::vector<ErrorCase> cases = {
      {"unknown_instrument", Req("phq10", {0}), {P{"/instrument", "unknown_instrument"}}},
      {"empty_instrument", Req("", {0}), {P{"/instrument", "unknown_instrument"}}},
      {"instrument_ids_are_exact", Req("PHQ9", phq9_ok), {P{"/instrument", "unknown_instrument"}}},

      {"phq9_8_answers", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0}), {P{"/answers", "wrong_count"}}},
      {"phq9_10_answers", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
       {P{"/answers", "wrong_count"}}},
      {"phq9_no_answers", Req("phq9"), {P{"/answers", "wrong_count"}}},
      {"phq2_3_answers", Req("phq2", {0, 0, 0}), {P{"/answers", "wrong_count"}}},
      {"gad7_6_answers", Req("gad7", {0, 0, 0, 0, 0, 0}), {P{"/answers", "wrong_count"}}},
      {"gad2_1_answer", Req("gad2", {0}), {P{"/answers", "wrong_count"}}},
      {"auditc_4_answers", Req("auditc", {0, 0, 0, 0}), {P{"/answers", "wrong_count"}}},
      {"dast10_9_answers", Req("dast10", {0, 0, 0, 0, 0, 0, 0, 0, 0}),
       {P{"/answers", "wrong_count"}}},
      {"who5_6_answers", Req("who5", {0, 0, 0, 0, 0, 0}), {P{"/answers", "wrong_count"}}},
      {"pcptsd5_4_answers", Req("pcptsd5", {0, 0, 0, 0}).Trauma(true),
       {P{"/answers", "wrong_count"}}},
      {"pcptsd5_exposure_no_answers", Req("pcptsd5").Trauma(true), {P{"/answers", "wrong_count"}}},

      {"phq9_out_of_range_each_index", Req("phq9", {0, 0, 4, 0, 0, 0, 0, 0, -1}),
       {P{"/answers/2", "out_of_range"}, P{"/answers/8", "out_of_range"}}},
      {"phq2_4", Req("phq2", {0, 4}), {P{"/answers/1", "out_of_range"}}},
      {"gad7_negative", Req("gad7", {-1, 0, 0, 0, 0, 0, 0}), {P{"/answers/0", "out_of_range"}}},
      {"gad2_4", Req("gad2", {4, 0}), {P{"/answers/0", "out_of_range"}}},
      {"auditc_5", Req("auditc", {0, 5, 0}), {P{"/answers/1", "out_of_range"}}},
      {"dast10_2", Req("dast10", {0, 0, 0, 0, 0, 0, 0, 0, 0, 2}),
       {P{"/answers/9", "out_of_range"}}},
      {"who5_6", Req("who5", {6, 5, 5, 5, 5}), {P{"/answers/0", "out_of_range"}}},
      {"who5_negative", Req("who5", {5, 5, 5, 5, -1}), {P{"/answers/4", "out_of_range"}}},
      {"pcptsd5_2", Req("pcptsd5", {1, 1, 2, 0, 0}).Trauma(true),
       {P{"/answers/2", "out_of_range"}}},

      {"pcptsd5_gate_missing", Req("pcptsd5", {1, 1, 1, 0, 0}),
       {P{"/trauma_exposure", "required"}}},
      {"pcptsd5_items_after_gate_no", Req("pcptsd5", {0, 0, 0, 0, 0}).Trauma(false),
       {P{"/answers", "not_asked"}}},
      {"pcptsd5_cutoff_2", Req("pcptsd5").Trauma(false).PtsdCutoff(2),
       {P{"/pcptsd5_cutoff", "out_of_range"}}},
      {"pcptsd5_cutoff_5", Req("pcptsd5").Trauma(false).PtsdCutoff(5),
       {P{"/pcptsd5_cutoff", "out_of_range"}}},
      {"auditc_cutoff_0", Req("auditc", {0, 0, 0}).AuditcCutoff(0),
       {P{"/auditc_cutoff", "out_of_range"}}},
      {"auditc_cutoff_13", Req("auditc", {0, 0, 0}).AuditcCutoff(13),
       {P{"/auditc_cutoff", "out_of_range"}}},
      {"phq9_difficulty_4", Req("phq9", phq9_ok).Difficulty(4),
       {P{"/phq9_difficulty", "out_of_range"}}},
      {"phq9_difficulty_negative", Req("phq9", phq9_ok).Difficulty(-1),
       {P{"/phq9_difficulty", "out_of_range"}}},
      {"difficulty_on_gad7", Req("gad7", {0, 0, 0, 0, 0, 0, 0}).Difficulty(0),
       {P{"/phq9_difficulty", "not_applicable"}}},
      {"cssrs_answers_on_phq9", Req("phq9", phq9_ok).Cssrs(C("nn---n-")),
       {P{"/cssrs", "not_applicable"}}},
      {"trauma_gate_on_phq9", Req("phq9", phq9_ok).Trauma(true),
       {P{"/trauma_exposure", "not_applicable"}}},

      {"cssrs_missing", Req("cssrs"), {P{"/cssrs", "required"}}},
      {"cssrs_with_answer_list", Req("cssrs", {0, 0, 0}).Cssrs(C("nn---n-")),
       {P{"/answers", "not_used"}}},
      {"cssrs_q1_missing", Req("cssrs").Cssrs(C("-n---n-")), {P{"/cssrs/q1", "required"}}},
      {"cssrs_q2_missing_children_not_judged", Req("cssrs").Cssrs(C("n-y--n-")),
       {P{"/cssrs/q2", "required"}}},
      {"cssrs_q3_after_q2_no", Req("cssrs").Cssrs(C("nny--n-")), {P{"/cssrs/q3", "not_asked"}}},
      {"cssrs_q3_q5_after_q2_no", Req("cssrs").Cssrs(C("nnnnnn-")),
       {P{"/cssrs/q3", "not_asked"}, P{"/cssrs/q4", "not_asked"}, P{"/cssrs/q5", "not_asked"}}},
      {"cssrs_q4_missing_after_q2_yes", Req("cssrs").Cssrs(C("nyn-nn-")),
       {P{"/cssrs/q4", "required"}}},
      {"cssrs_q3_q5_missing_after_q2_yes", Req("cssrs").Cssrs(C("ny---n-")),
       {P{"/cssrs/q3", "required"}, P{"/cssrs/q4", "required"}, P{"/cssrs/q5", "required"}}},
      {"cssrs_q6_missing", Req("cssrs").Cssrs(C("nn-----")), {P{"/cssrs/q6", "required"}}},
      {"cssrs_past_3_months_missing_after_q6_yes", Req("cssrs").Cssrs(C("nn---y-")),
       {P{"/cssrs/q6_past_3_months", "required"}}},
      {"cssrs_past_3_months_after_q6_no", Req("cssrs").Cssrs(C("nn---nn")),
       {P{"/cssrs/q6_past_3_months", "not_asked"}}},
      {"cssrs_everything_missing", Req("cssrs").Cssrs(C("-------")),
       {P{"/cssrs/q1", "required"}, P{"/cssrs/q2", "required"}, P{"/cssrs/q6", "required"}}},
  };
  // clang-format on
  return cases;
}

class ErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorTest, RejectsWithNamedFields) {
  const ErrorCase& c = GetParam();
  auto result = Score(c.req.r);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidArgument);
  std::vector<std::pair<std::string, std::string>> got;
  for (const core::FieldError& f : result.error().fields) {
    got.emplace_back(f.field, f.code);
    EXPECT_FALSE(f.message.empty()) << f.field;
  }
  EXPECT_THAT(got, UnorderedElementsAreArray(c.fields));
}

INSTANTIATE_TEST_SUITE_P(Errors, ErrorTest, ::testing::ValuesIn(ErrorCases()),
                         [](const auto& info) { return info.param.name; });

TEST(ScreeningErrors, MessagesNeverEchoAnswers) {
  for (const auto& req :
       {Req("phq9", {0, 0, 77, 0, 0, 0, 0, 0, -55}), Req("who5", {99, 5, 5, 5, 5}),
        Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 0}).Difficulty(42)}) {
    auto result = Score(req.r);
    ASSERT_FALSE(result);
    std::string all = result.error().message;
    for (const auto& f : result.error().fields) all += f.message;
    for (const char* value : {"77", "55", "99", "42"})
      EXPECT_EQ(all.find(value), std::string::npos);
  }
}

TEST(ScreeningErrors, OptionsOfOtherInstrumentsAreIgnored) {
  // A caller may pass one options bundle; out-of-range cut-offs of another instrument do not
  // matter, and sex does not change a PHQ-9.
  auto result = Score(Req("phq9", {1, 1, 1, 1, 1, 0, 0, 0, 0})
                          .Sex("female")
                          .AuditcCutoff(99)
                          .PtsdCutoff(99)
                          .Substance({.opioid_use = true})
                          .r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result->score, 5);
  EXPECT_THAT(result->suggestions, ElementsAreArray(Strings{"wellness_groups_rescreen_2_4_weeks"}));
}

// Section 2 routing hints, most urgent first.

struct SuggestionCase {
  std::string name;
  Req req;
  Strings suggestions;
};

void PrintTo(const SuggestionCase& c, std::ostream* os) { *os << c.name; }

const std::vector<SuggestionCase>& SuggestionCases() {
  // clang-format off
  static const std::vector<SuggestionCase> cases = {
      {"phq9_4", Req("phq9", {1, 1, 1, 1, 0, 0, 0, 0, 0}), {}},
      {"phq9_5", Req("phq9", {1, 1, 1, 1, 1, 0, 0, 0, 0}), {"wellness_groups_rescreen_2_4_weeks"}},
      {"phq9_9", Req("phq9", {3, 3, 3, 0, 0, 0, 0, 0, 0}), {"wellness_groups_rescreen_2_4_weeks"}},
      {"phq9_10", Req("phq9", {3, 3, 3, 1, 0, 0, 0, 0, 0}), {"outpatient_therapy"}},
      {"phq9_14", Req("phq9", {3, 3, 3, 3, 2, 0, 0, 0, 0}), {"outpatient_therapy"}},
      {"phq9_15", Req("phq9", {3, 3, 3, 3, 3, 0, 0, 0, 0}), {"therapy_and_psychiatric_evaluation"}},
      {"phq9_19", Req("phq9", {3, 3, 3, 3, 3, 3, 1, 0, 0}), {"therapy_and_psychiatric_evaluation"}},
      {"phq9_20", Req("phq9", {3, 3, 3, 3, 3, 3, 2, 0, 0}),
       {"therapy_and_psychiatric_evaluation", "consider_iop_php"}},
      {"phq9_item9_review_first", Req("phq9", {2, 2, 2, 2, 1, 1, 1, 0, 1}),
       {"same_day_safety_review", "outpatient_therapy"}},
      {"phq9_item9_low_total", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 1}),
       {"same_day_safety_review"}},
      {"gad7_4", Req("gad7", {1, 1, 1, 1, 0, 0, 0}), {}},
      {"gad7_5", Req("gad7", {1, 1, 1, 1, 1, 0, 0}), {"wellness_groups_rescreen_2_4_weeks"}},
      {"gad7_9", Req("gad7", {3, 3, 3, 0, 0, 0, 0}), {"wellness_groups_rescreen_2_4_weeks"}},
      {"gad7_10", Req("gad7", {3, 3, 3, 1, 0, 0, 0}), {"outpatient_therapy"}},
      {"gad7_21", Req("gad7", {3, 3, 3, 3, 3, 3, 3}), {"outpatient_therapy"}},
      {"phq2_positive", Req("phq2", {3, 3}), {}},
      {"auditc_negative", Req("auditc", {1, 1, 1}).Sex("male"), {}},
      {"auditc_positive", Req("auditc", {2, 1, 1}).Sex("male"), {"full_assessment"}},
      {"auditc_daily_heavy", Req("auditc", {4, 4, 4}).Sex("male"),
       {"medically_supervised_withdrawal_management", "full_assessment"}},
      {"auditc_benzodiazepines", Req("auditc", {1, 0, 0}).Substance({.benzodiazepine_use = true}),
       {"medically_supervised_withdrawal_management"}},
      {"auditc_withdrawal_seizures",
       Req("auditc", {1, 0, 0}).Substance({.past_withdrawal_seizures = true}),
       {"medically_supervised_withdrawal_management"}},
      {"auditc_daily_alcohol_fact",
       Req("auditc", {0, 0, 0}).Substance({.daily_heavy_alcohol = true}),
       {"medically_supervised_withdrawal_management"}},
      {"dast10_2", Req("dast10", {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}), {}},
      {"dast10_3", Req("dast10", {1, 1, 1, 1, 0, 0, 0, 0, 0, 0}), {"full_assessment"}},
      {"dast10_5", Req("dast10", {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}), {"full_assessment"}},
      {"dast10_6", Req("dast10", {1, 1, 1, 1, 1, 1, 1, 0, 0, 0}), {"intensive_assessment"}},
      {"dast10_10", Req("dast10", {1, 1, 0, 1, 1, 1, 1, 1, 1, 1}), {"intensive_assessment"}},
      {"dast10_opioids",
       Req("dast10", {1, 1, 1, 1, 0, 0, 0, 0, 0, 0}).Substance({.opioid_use = true}),
       {"full_assessment", "moud_and_naloxone_information"}},
      {"dast10_benzodiazepines_and_opioids",
       Req("dast10", {0, 0, 1, 0, 0, 0, 0, 0, 0, 0})
           .Substance({.benzodiazepine_use = true, .opioid_use = true}),
       {"medically_supervised_withdrawal_management", "moud_and_naloxone_information"}},
      {"pcptsd5_positive", Req("pcptsd5", {1, 1, 1, 0, 0}).Trauma(true),
       {"trauma_focused_therapy"}},
      {"pcptsd5_negative", Req("pcptsd5", {1, 1, 0, 0, 0}).Trauma(true), {}},
      {"pcptsd5_no_exposure", Req("pcptsd5").Trauma(false), {}},
      {"who5_positive", Req("who5", {5, 5, 5, 5, 1}), {"screen_for_depression"}},
      {"who5_negative", Req("who5", {3, 3, 3, 2, 2}), {}},
  };
  // clang-format on
  return cases;
}

class SuggestionTest : public ::testing::TestWithParam<SuggestionCase> {};

TEST_P(SuggestionTest, FollowsSection2) {
  auto result = Score(GetParam().req.r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_THAT(result->suggestions, ElementsAreArray(GetParam().suggestions));
}

INSTANTIATE_TEST_SUITE_P(Section2, SuggestionTest, ::testing::ValuesIn(SuggestionCases()),
                         [](const auto& info) { return info.param.name; });

// The crisis-panel signal on raw, unvalidated input.

struct RiskCase {
  std::string name;
  Req req;
  bool has_risk;
  bool scores;  // whether Score() accepts the request
};

void PrintTo(const RiskCase& c, std::ostream* os) { *os << c.name; }

class RiskTest : public ::testing::TestWithParam<RiskCase> {};

TEST_P(RiskTest, HasRiskAnswerEvenWhenScoringFails) {
  const RiskCase& c = GetParam();
  EXPECT_EQ(HasRiskAnswer(c.req.r), c.has_risk);
  auto result = Score(c.req.r);
  EXPECT_EQ(result.has_value(), c.scores);
  if (result) {
    EXPECT_EQ(IsRiskResult(*result), c.has_risk);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Section6, RiskTest,
    ::testing::Values(
        RiskCase{"phq9_item9_0", Req("phq9", {3, 3, 3, 3, 3, 3, 3, 3, 0}), false, true},
        RiskCase{"phq9_item9_1", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 1}), true, true},
        RiskCase{"phq9_item9_with_wrong_count", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 2, 0}), true,
                 false},
        RiskCase{"phq9_item9_with_other_answer_out_of_range",
                 Req("phq9", {9, 0, 0, 0, 0, 0, 0, 0, 1}), true, false},
        RiskCase{"phq9_item9_itself_out_of_range", Req("phq9", {0, 0, 0, 0, 0, 0, 0, 0, 4}), true,
                 false},
        RiskCase{"phq9_too_short_for_item9", Req("phq9", {3, 3, 3, 3, 3, 3, 3, 3}), false, false},
        RiskCase{"phq2_high", Req("phq2", {3, 3}), false, true},
        RiskCase{"gad7_high", Req("gad7", {3, 3, 3, 3, 3, 3, 3}), false, true},
        RiskCase{"cssrs_all_no", Req("cssrs").Cssrs(C("nn---n-")), false, true},
        RiskCase{"cssrs_q6_yes", Req("cssrs").Cssrs(C("nn---yn")), true, true},
        RiskCase{"cssrs_yes_to_unasked_q3", Req("cssrs").Cssrs(C("nny--n-")), true, false},
        RiskCase{"cssrs_q1_yes_q6_missing", Req("cssrs").Cssrs(C("yn-----")), true, false},
        RiskCase{"unknown_instrument", Req("phq99", {3, 3, 3, 3, 3, 3, 3, 3, 3}), false, false}),
    [](const auto& info) { return info.param.name; });

// WHO-5 percent over every raw total, and the 10-point meaningful change.

TEST(Who5, PercentIsRawTimesFourForEveryTotal) {
  for (int raw = 0; raw <= 25; ++raw) {
    std::vector<int> answers(5, 0);
    int left = raw;
    for (int& a : answers) {
      a = std::min(5, left);
      left -= a;
    }
    auto result = Score(Req("who5", answers).r);
    ASSERT_TRUE(result) << raw;
    EXPECT_EQ(*result->score, raw);
    EXPECT_EQ(*result->percent, raw * 4) << raw;
    const bool low_item = *std::min_element(answers.begin(), answers.end()) <= 1;
    EXPECT_EQ(result->positive, raw < 13 || low_item) << raw;
    EXPECT_EQ(std::count(result->flags.begin(), result->flags.end(), "likely_depression"),
              raw * 4 <= 28 ? 1 : 0)
        << raw;
  }
}

TEST(Who5, MeaningfulChangeIsTenPercentPoints) {
  auto who5 = [](std::vector<int> a) { return *Score(Req("who5", std::move(a)).r); };
  const ScoreResult p48 = who5({3, 3, 2, 2, 2});  // 48%
  const ScoreResult p56 = who5({3, 3, 3, 3, 2});  // 56%
  const ScoreResult p60 = who5({3, 3, 3, 3, 3});  // 60%
  EXPECT_FALSE(IsMeaningfulChange(p48, p56));
  EXPECT_TRUE(IsMeaningfulChange(p48, p60));
  EXPECT_TRUE(IsMeaningfulChange(p60, p48));
  EXPECT_FALSE(IsMeaningfulChange(p48, p48));
  ScoreResult not_who5 = *Score(Req("phq9", {3, 3, 3, 3, 3, 3, 3, 3, 0}).r);
  not_who5.percent = 100;
  EXPECT_FALSE(IsMeaningfulChange(p48, not_who5));
}

// Intake gating.

ScoreResult Scored(const Req& req) {
  auto result = Score(req.r);
  EXPECT_TRUE(result) << req.r.instrument;
  return result ? *result : ScoreResult{};
}

struct GatingCase {
  std::string name;
  std::vector<Req> so_far;
  GatingFacts facts;
  Strings next;
};

void PrintTo(const GatingCase& c, std::ostream* os) { *os << c.name; }

const std::vector<GatingCase>& GatingCases() {
  const Req phq2_pos("phq2", {1, 2});
  const Req phq2_neg("phq2", {1, 1});
  const Req gad2_pos("gad2", {2, 1});
  const Req gad2_neg("gad2", {1, 1});
  const Req phq9_item9("phq9", {2, 2, 2, 2, 1, 1, 1, 0, 1});
  const Req phq9_plain("phq9", {2, 2, 2, 2, 1, 1, 2, 0, 0});
  const Req gad7("gad7", {1, 1, 1, 2, 2, 0, 0});
  const Req cssrs = Req("cssrs").Cssrs(C("yn---n-"));
  const Req dast10("dast10", {0, 0, 1, 0, 0, 0, 0, 0, 0, 0});
  const Req ptsd = Req("pcptsd5", {1, 1, 1, 0, 0}).Trauma(true);
  const Req who5_pos("who5", {2, 2, 2, 2, 2});
  const Req who5_neg("who5", {5, 5, 5, 5, 5});
  // clang-format off
  static const std::vector<GatingCase> cases = {
      {"nothing_yet", {}, {}, {}},
      {"phq2_positive", {phq2_pos}, {}, {"phq9"}},
      {"phq2_negative", {phq2_neg}, {}, {}},
      {"phq2_positive_phq9_done", {phq2_pos, phq9_plain}, {}, {}},
      {"gad2_positive", {gad2_pos}, {}, {"gad7"}},
      {"gad2_negative", {gad2_neg}, {}, {}},
      {"gad2_positive_gad7_done", {gad2_pos, gad7}, {}, {}},
      {"both_gates_positive", {gad2_pos, phq2_pos}, {}, {"phq9", "gad7"}},
      {"phq9_item9", {phq9_item9}, {}, {"cssrs"}},
      {"phq9_no_item9", {phq9_plain}, {}, {}},
      {"phq9_item9_cssrs_done", {phq9_item9, cssrs}, {}, {}},
      {"person_chose_cssrs", {}, {.chose_cssrs = true}, {"cssrs"}},
      {"person_chose_cssrs_done", {cssrs}, {.chose_cssrs = true}, {}},
      {"drug_use", {}, {.drug_use_indicated = true}, {"dast10"}},
      {"drug_use_dast10_done", {dast10}, {.drug_use_indicated = true}, {}},
      {"trauma_gate_yes", {}, {.trauma_exposure = true}, {"pcptsd5"}},
      {"trauma_gate_no", {}, {.trauma_exposure = false}, {}},
      {"trauma_gate_unknown", {}, {}, {}},
      {"trauma_gate_yes_done", {ptsd}, {.trauma_exposure = true}, {}},
      {"who5_positive", {who5_pos}, {}, {"phq9"}},
      {"who5_negative", {who5_neg}, {}, {}},
      {"everything_safety_first", {phq2_pos, gad2_pos, phq9_item9},
       {.chose_cssrs = false, .drug_use_indicated = true, .trauma_exposure = true},
       {"cssrs", "gad7", "dast10", "pcptsd5"}},
      {"no_duplicates", {phq2_pos, phq2_pos, who5_pos}, {}, {"phq9"}},
  };
  // clang-format on
  return cases;
}

class GatingTest : public ::testing::TestWithParam<GatingCase> {};

TEST_P(GatingTest, NextInstruments) {
  std::vector<ScoreResult> so_far;
  for (const Req& r : GetParam().so_far) so_far.push_back(Scored(r));
  EXPECT_THAT(NextInstruments(so_far, GetParam().facts), ElementsAreArray(GetParam().next));
}

INSTANTIATE_TEST_SUITE_P(Intake, GatingTest, ::testing::ValuesIn(GatingCases()),
                         [](const auto& info) { return info.param.name; });

TEST(Gating, UnknownResultsAreIgnored) {
  ScoreResult odd;
  odd.instrument = "made_up";
  odd.positive = true;
  odd.flags = {"safety_item9"};
  EXPECT_TRUE(NextInstruments({odd}, {}).empty());
}

// The data table itself.

TEST(InstrumentTable, HoldsExactlyTheNineInstruments) {
  std::vector<std::string> ids;
  for (const InstrumentSpec& spec : Instruments()) ids.push_back(spec.id);
  EXPECT_THAT(ids, ElementsAreArray(Strings{"phq2", "phq9", "gad2", "gad7", "auditc", "dast10",
                                            "pcptsd5", "cssrs", "who5"}));
  for (const std::string& id : ids) {
    ASSERT_NE(FindInstrument(id), nullptr);
    EXPECT_EQ(FindInstrument(id)->id, id);
  }
  EXPECT_EQ(FindInstrument("nope"), nullptr);
}

TEST(InstrumentTable, EveryRowHasSourceLicenceVersionAndVerifiedDate) {
  for (const InstrumentSpec& spec : Instruments()) {
    SCOPED_TRACE(spec.id);
    EXPECT_FALSE(spec.name.empty());
    EXPECT_FALSE(spec.source.empty());
    EXPECT_NE(spec.source.find("clinical.md"), std::string::npos);
    EXPECT_FALSE(spec.licence.empty());
    EXPECT_GE(spec.version, 1);
    EXPECT_EQ(spec.last_verified, "2026-11-25");
  }
}

TEST(InstrumentTable, RowsAreInternallyConsistent) {
  for (const InstrumentSpec& spec : Instruments()) {
    SCOPED_TRACE(spec.id);
    EXPECT_GT(spec.item_count, 0);
    EXPECT_LT(spec.answer_min, spec.answer_max);
    for (int item : spec.reverse_scored) EXPECT_TRUE(item >= 1 && item <= spec.item_count);
    for (int item : spec.critical_items) EXPECT_TRUE(item >= 1 && item <= spec.item_count);
    if (spec.flow != Flow::kCssrs) {
      ASSERT_TRUE(spec.positive_cutoff.has_value());
      EXPECT_LE(spec.cutoff_min, *spec.positive_cutoff);
      EXPECT_GE(spec.cutoff_max, *spec.positive_cutoff);
    }
    // Bands cover every possible total exactly once, in order.
    if (!spec.bands.empty()) {
      int expect_min = spec.item_count * spec.answer_min;
      for (const Band& band : spec.bands) {
        EXPECT_EQ(band.min, expect_min) << band.name;
        EXPECT_LE(band.min, band.max) << band.name;
        expect_min = band.max + 1;
      }
      EXPECT_EQ(expect_min - 1, spec.item_count * spec.answer_max);
    }
    // Rules name questions that exist.
    for (const AnswerRule& rule : spec.answer_rules) {
      if (spec.flow == Flow::kCssrs) {
        EXPECT_TRUE(std::any_of(spec.questions.begin(), spec.questions.end(),
                                [&](const Question& q) { return q.id == rule.question; }))
            << rule.question;
      } else {
        EXPECT_EQ(rule.question.substr(0, 4), "item");
        const int n = std::stoi(rule.question.substr(4));
        EXPECT_TRUE(n >= 1 && n <= spec.item_count) << rule.question;
      }
    }
    for (const auto& next : {spec.next_if_positive, spec.next_if_risk})
      if (next) {
        EXPECT_NE(FindInstrument(*next), nullptr) << *next;
      }
  }
}

TEST(InstrumentTable, CssrsQuestionsMatchTheAnswerStructAndEveryOneIsCritical) {
  const InstrumentSpec* spec = FindInstrument("cssrs");
  ASSERT_NE(spec, nullptr);
  std::set<std::string> seen;
  for (const Question& q : spec->questions) {
    CssrsAnswers a;
    EXPECT_FALSE(a.Get(q.id).has_value());
    // Exactly one field of the struct answers this id.
    int fields = 0;
    for (auto* field : {&a.q1, &a.q2, &a.q3, &a.q4, &a.q5, &a.q6, &a.q6_past_3_months}) {
      *field = true;
      if (a.Get(q.id) == true) ++fields;
      *field = std::nullopt;
    }
    EXPECT_EQ(fields, 1) << q.id;
    if (!q.asked_if_yes.empty()) {
      EXPECT_TRUE(seen.count(q.asked_if_yes)) << q.id;
    }
    seen.insert(q.id);
    // Every question has a risk rule, so any yes is a risk answer.
    EXPECT_TRUE(std::any_of(
        spec->answer_rules.begin(), spec->answer_rules.end(),
        [&](const AnswerRule& r) { return r.question == q.id && r.risk != Risk::kNone; }))
        << q.id;
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_THAT(spec->critical_items, ElementsAreArray({1, 2, 3, 4, 5, 6}));
}

TEST(InstrumentTable, LoincCodesOfClinicalMd) {
  auto codes = [](const char* id) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const LoincCode& c : FindInstrument(id)->loinc) out.emplace_back(c.element, c.code);
    return out;
  };
  using P = std::pair<std::string, std::string>;
  EXPECT_THAT(codes("phq9"), ElementsAreArray({P{"panel", "44249-1"}, P{"total", "44261-6"},
                                               P{"item9", "44260-8"}}));
  EXPECT_THAT(codes("phq2"), ElementsAreArray({P{"total", "55758-7"}}));
  EXPECT_THAT(codes("gad7"), ElementsAreArray({P{"total", "70274-6"}}));
  EXPECT_THAT(codes("auditc"), ElementsAreArray({P{"panel", "72109-2"}, P{"total", "75626-2"}}));
  EXPECT_THAT(codes("dast10"), ElementsAreArray({P{"total", "82667-7"}}));
  EXPECT_THAT(codes("cssrs"), ElementsAreArray({P{"panel", "93373-9"}}));
  EXPECT_TRUE(codes("gad2").empty());
  EXPECT_TRUE(codes("pcptsd5").empty());
  EXPECT_TRUE(codes("who5").empty());
}

TEST(InstrumentTable, ItemRangesOfClinicalMd) {
  struct Row {
    const char* id;
    int items, min, max;
  };
  for (const Row& row : {Row{"phq2", 2, 0, 3}, Row{"phq9", 9, 0, 3}, Row{"gad2", 2, 0, 3},
                         Row{"gad7", 7, 0, 3}, Row{"auditc", 3, 0, 4}, Row{"dast10", 10, 0, 1},
                         Row{"pcptsd5", 5, 0, 1}, Row{"cssrs", 6, 0, 1}, Row{"who5", 5, 0, 5}}) {
    const InstrumentSpec* spec = FindInstrument(row.id);
    ASSERT_NE(spec, nullptr) << row.id;
    EXPECT_EQ(spec->item_count, row.items) << row.id;
    EXPECT_EQ(spec->answer_min, row.min) << row.id;
    EXPECT_EQ(spec->answer_max, row.max) << row.id;
  }
  EXPECT_THAT(FindInstrument("dast10")->reverse_scored, ElementsAreArray({3}));
  EXPECT_THAT(FindInstrument("phq9")->critical_items, ElementsAreArray({9}));
}

}  // namespace
}  // namespace soundcheck::domain::screening
