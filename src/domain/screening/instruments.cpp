// The instrument table. Every row was checked against docs/clinical.md section 1 (scoring,
// bands, cut-offs, critical items, LOINC) and section 2 (routing hints) on `last_verified`.
// Item wording is not kept here: show the published instruments' wording, never our own.
#include "domain/screening/instruments.h"

#include "domain/screening/screening.h"

namespace soundcheck::domain::screening {
namespace {

constexpr const char* kVerified = "2026-11-25";
constexpr const char* kReference = "docs/clinical.md section 1";

std::string Source(const char* origin) { return std::string(origin) + "; " + kReference; }

std::string S(std::string_view v) { return std::string(v); }

std::vector<InstrumentSpec> BuildTable() {
  std::vector<InstrumentSpec> t;

  t.push_back({
      .id = "phq2",
      .name = "PHQ-2",
      .version = 1,
      .source = Source("Pfizer PHQ screeners (PHQ-9 items 1-2)"),
      .licence = "Pfizer, free to reproduce",
      .last_verified = kVerified,
      .loinc = {{"total", "55758-7"}},
      .flow = Flow::kItems,
      .item_count = 2,
      .answer_min = 0,
      .answer_max = 3,
      .positive_cutoff = 3,
      .cutoff_min = 3,
      .cutoff_max = 3,
      .next_if_positive = "phq9",
  });

  t.push_back({
      .id = "phq9",
      .name = "PHQ-9",
      .version = 1,
      .source = Source("Pfizer PHQ screeners; example: HL7 US Core"),
      .licence = "Pfizer, free to reproduce",
      .last_verified = kVerified,
      .loinc = {{"panel", "44249-1"}, {"total", "44261-6"}, {"item9", "44260-8"}},
      .flow = Flow::kItems,
      .item_count = 9,
      .answer_min = 0,
      .answer_max = 3,
      .critical_items = {9},
      .has_difficulty_item = true,
      .bands = {{0, 4, "minimal", ""},
                {5, 9, "mild", ""},
                {10, 14, "moderate", ""},
                {15, 19, "moderately_severe", ""},
                {20, 27, "severe", ""}},
      .positive_cutoff = 10,
      .cutoff_min = 10,
      .cutoff_max = 10,
      // Item 9 asks about thoughts only, like C-SSRS q1/q2, whose risk is "low"; the C-SSRS
      // that follows stratifies it.
      .answer_rules = {{"item9", 1, Risk::kLow, S(kFlagSafetyItem9), ""}},
      .next_if_risk = "cssrs",
      .suggestions = {{5, 9, false, S(kSuggestWellness)},
                      {10, 14, false, S(kSuggestOutpatient)},
                      {15, 27, false, S(kSuggestTherapyAndPsychiatry)},
                      {20, 27, false, S(kSuggestIopPhp)}},
  });

  t.push_back({
      .id = "gad2",
      .name = "GAD-2",
      .version = 1,
      .source = Source("Pfizer PHQ screeners (GAD-7 items 1-2)"),
      .licence = "Pfizer, free to reproduce",
      .last_verified = kVerified,
      .flow = Flow::kItems,
      .item_count = 2,
      .answer_min = 0,
      .answer_max = 3,
      .positive_cutoff = 3,
      .cutoff_min = 3,
      .cutoff_max = 3,
      .next_if_positive = "gad7",
  });

  t.push_back({
      .id = "gad7",
      .name = "GAD-7",
      .version = 1,
      .source = Source("Pfizer PHQ screeners"),
      .licence = "Pfizer, free to reproduce",
      .last_verified = kVerified,
      .loinc = {{"total", "70274-6"}},
      .flow = Flow::kItems,
      .item_count = 7,
      .answer_min = 0,
      .answer_max = 3,
      .bands = {{0, 4, "minimal", ""},
                {5, 9, "mild", ""},
                {10, 14, "moderate", ""},
                {15, 21, "severe", ""}},
      .positive_cutoff = 10,
      .cutoff_min = 10,
      .cutoff_max = 10,
      // clinical.md section 2 names no step above 10-14 for the GAD-7 (its ">= 15" is PHQ-9
      // only), so 15-21 keeps the outpatient hint.
      .suggestions = {{5, 9, false, S(kSuggestWellness)}, {10, 21, false, S(kSuggestOutpatient)}},
  });

  t.push_back({
      .id = "auditc",
      .name = "AUDIT-C",
      .version = 1,
      .source = Source("AUDIT (WHO), consumption items 1-3"),
      .licence = "free to use",
      .last_verified = kVerified,
      .loinc = {{"panel", "72109-2"}, {"total", "75626-2"}},
      .flow = Flow::kItems,
      .item_count = 3,
      .answer_min = 0,
      .answer_max = 4,
      // Sex not given or neither male nor female: the lower (more sensitive) cut-off.
      .positive_cutoff = 3,
      .positive_cutoff_male = 4,
      .positive_cutoff_female = 3,
      .cutoff_min = 1,
      .cutoff_max = 12,
      .all_points_from_item1_flag = S(kFlagAllPointsFromQ1),
      // Q3 = 4: six or more drinks daily or almost daily, i.e. daily heavy drinking.
      .answer_rules = {{"item3", 4, Risk::kNone, S(kFlagDailyHeavyDrinking),
                        S(kSuggestWithdrawalManagement)}},
      .suggestions = {{0, 0, true, S(kSuggestFullAssessment)}},
      .uses_substance_facts = true,
  });

  t.push_back({
      .id = "dast10",
      .name = "DAST-10",
      .version = 1,
      .source = Source("DAST-10 (past 12 months)"),
      .licence = "free for clinical and non-profit use",
      .last_verified = kVerified,
      .loinc = {{"total", "82667-7"}},
      .flow = Flow::kItems,
      .item_count = 10,
      .answer_min = 0,
      .answer_max = 1,
      .reverse_scored = {3},
      .bands = {{0, 0, "none", ""},
                {1, 2, "low", ""},
                {3, 5, "moderate", ""},
                {6, 8, "substantial", ""},
                {9, 10, "severe", ""}},
      // Section 1 gives no DAST-10 cut-off; section 2's ">= 3 → full assessment" is used.
      .positive_cutoff = 3,
      .cutoff_min = 3,
      .cutoff_max = 3,
      .suggestions = {{3, 5, false, S(kSuggestFullAssessment)},
                      {6, 10, false, S(kSuggestIntensiveAssessment)}},
      .uses_substance_facts = true,
  });

  t.push_back({
      .id = "pcptsd5",
      .name = "PC-PTSD-5",
      .version = 1,
      .source = Source("US Department of Veterans Affairs, National Center for PTSD"),
      .licence = "public domain",
      .last_verified = kVerified,
      .flow = Flow::kTraumaGate,
      .item_count = 5,
      .answer_min = 0,
      .answer_max = 1,
      .gate_question = "trauma_exposure",
      .positive_cutoff = 3,
      .cutoff_min = 3,
      .cutoff_max = 4,
      .suggestions = {{0, 0, true, S(kSuggestTraumaTherapy)}},
  });

  t.push_back({
      .id = "cssrs",
      .name = "C-SSRS screener",
      .version = 1,
      .source = Source("Columbia Suicide Severity Rating Scale, screener"),
      .licence = "free for clinical and non-profit use",
      .last_verified = kVerified,
      .loinc = {{"panel", "93373-9"}},
      .flow = Flow::kCssrs,
      .item_count = 6,
      .answer_min = 0,
      .answer_max = 1,
      .critical_items = {1, 2, 3, 4, 5, 6},
      .questions = {{"q1", ""},
                    {"q2", ""},
                    {"q3", "q2"},
                    {"q4", "q2"},
                    {"q5", "q2"},
                    {"q6", ""},
                    {"q6_past_3_months", "q6"}},
      // Low = q1 or q2 only; moderate = q3, or q6 lifetime only; high = q4, q5, or q6 within
      // 3 months. The result's risk is the highest that applies.
      .answer_rules = {{"q1", 1, Risk::kLow, "cssrs_q1", ""},
                       {"q2", 1, Risk::kLow, "cssrs_q2", ""},
                       {"q3", 1, Risk::kModerate, "cssrs_q3", ""},
                       {"q4", 1, Risk::kHigh, "cssrs_q4", ""},
                       {"q5", 1, Risk::kHigh, "cssrs_q5", ""},
                       {"q6", 1, Risk::kModerate, "cssrs_q6", ""},
                       {"q6_past_3_months", 1, Risk::kHigh, "cssrs_q6_past_3_months", ""}},
  });

  t.push_back({
      .id = "who5",
      .name = "WHO-5",
      .version = 1,
      .source = Source("WHO-5 Well-Being Index"),
      .licence = "free to use",
      .last_verified = kVerified,
      .flow = Flow::kItems,
      .item_count = 5,
      .answer_min = 0,
      .answer_max = 5,
      // Raw 7 = 28%: "<= 28% likely depression"; raw 12 = 48% (< 52%): poor wellbeing.
      .bands = {{0, 7, "likely_depression", S(kFlagLikelyDepression)},
                {8, 12, "poor_wellbeing", ""},
                {13, 25, "adequate", ""}},
      .direction = CutoffDirection::kBelow,
      .positive_cutoff = 13,
      .cutoff_min = 13,
      .cutoff_max = 13,
      .low_item_at_or_below = 1,
      .low_item_band = "poor_wellbeing",
      .low_item_flag = S(kFlagLowItem),
      .positive_flag = S(kFlagPoorWellbeing),
      .percent_multiplier = 4,
      .meaningful_change_percent = 10,
      .next_if_positive = "phq9",
      .suggestions = {{0, 0, true, S(kSuggestScreenDepression)}},
  });

  return t;
}

}  // namespace

std::string_view RiskName(Risk risk) {
  switch (risk) {
    case Risk::kNone:
      return "none";
    case Risk::kLow:
      return "low";
    case Risk::kModerate:
      return "moderate";
    case Risk::kHigh:
      return "high";
  }
  return "none";
}

const std::vector<InstrumentSpec>& Instruments() {
  static const std::vector<InstrumentSpec> table = BuildTable();
  return table;
}

const InstrumentSpec* FindInstrument(std::string_view id) {
  for (const InstrumentSpec& spec : Instruments())
    if (spec.id == id) return &spec;
  return nullptr;
}

}  // namespace soundcheck::domain::screening
