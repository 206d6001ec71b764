// Scoring of the screening instruments of clinical.md section 1, the routing hints of section
// 2 for the case manager, the risk signal the intake layer uses to show the crisis panel
// (section 6), and the intake gating (which instrument to give next).
//
// A screen flags; it never diagnoses, and nothing here routes anyone: suggestions go to a case
// manager, who decides. Everything here is pure (no I/O, no clock, no globals but the constant
// instrument table), thread-safe, and reports errors as values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/screening/instruments.h"

namespace soundcheck::domain::screening {

// The vocabulary of results: stable strings that clients and stored results depend on.

// Flags.
inline constexpr std::string_view kFlagSafetyItem9 = "safety_item9";            // PHQ-9 item 9 >= 1
inline constexpr std::string_view kFlagAllPointsFromQ1 = "all_points_from_q1";  // AUDIT-C
inline constexpr std::string_view kFlagDailyHeavyDrinking = "daily_heavy_drinking";  // AUDIT-C Q3=4
inline constexpr std::string_view kFlagNoTraumaExposure = "no_trauma_exposure";      // PC-PTSD-5
inline constexpr std::string_view kFlagPoorWellbeing = "poor_wellbeing";             // WHO-5
inline constexpr std::string_view kFlagLikelyDepression = "likely_depression";       // WHO-5
inline constexpr std::string_view kFlagLowItem = "low_item";  // WHO-5: an item answered 0 or 1
// C-SSRS: one flag per question answered yes: "cssrs_q1" .. "cssrs_q6",
// "cssrs_q6_past_3_months".

// Suggestions (clinical.md section 2), most urgent first in every result.
inline constexpr std::string_view kSuggestCrisisPathway = "crisis_pathway_now";
inline constexpr std::string_view kSuggestSafetyReview = "same_day_safety_review";
inline constexpr std::string_view kSuggestWellness = "wellness_groups_rescreen_2_4_weeks";
inline constexpr std::string_view kSuggestOutpatient = "outpatient_therapy";
inline constexpr std::string_view kSuggestTherapyAndPsychiatry =
    "therapy_and_psychiatric_evaluation";
inline constexpr std::string_view kSuggestIopPhp = "consider_iop_php";
inline constexpr std::string_view kSuggestFullAssessment = "full_assessment";
inline constexpr std::string_view kSuggestIntensiveAssessment = "intensive_assessment";
// Never phrased to the person as "stop now": abrupt stopping can be dangerous.
inline constexpr std::string_view kSuggestWithdrawalManagement =
    "medically_supervised_withdrawal_management";
inline constexpr std::string_view kSuggestMoudNaloxone = "moud_and_naloxone_information";
inline constexpr std::string_view kSuggestTraumaTherapy = "trauma_focused_therapy";
inline constexpr std::string_view kSuggestScreenDepression = "screen_for_depression";

// The C-SSRS screener's answers, by question (true = yes). The flow, from the data table:
//   q1  wish to be dead (past month)                 always asked
//   q2  active suicidal thoughts (past month)        always asked
//   q3  thoughts with method                         asked only when q2 is yes
//   q4  intent without a specific plan               asked only when q2 is yes
//   q5  plan with intent                             asked only when q2 is yes
//   q6  suicidal behaviour, ever                     always asked
//   q6_past_3_months  was it in the past 3 months?   asked only when q6 is yes
// A question that was asked must be present; one that was not asked must be absent (nullopt).
// JSON: {"q1": true, "q2": false, "q6": true, "q6_past_3_months": false}.
struct CssrsAnswers {
  std::optional<bool> q1;
  std::optional<bool> q2;
  std::optional<bool> q3;
  std::optional<bool> q4;
  std::optional<bool> q5;
  std::optional<bool> q6;
  std::optional<bool> q6_past_3_months;

  // The answer to question `id` ("q1" .. "q6_past_3_months"); nullopt when absent or unknown.
  std::optional<bool> Get(std::string_view id) const;
};

// Facts from intake that turn a substance screen's result into section 2's safety hints.
// Used by auditc and dast10 only; ignored by every other instrument.
struct SubstanceFacts {
  bool daily_heavy_alcohol = false;
  bool benzodiazepine_use = false;
  bool past_withdrawal_seizures = false;
  bool opioid_use = false;
};

// One completed screen. `instrument` is an id of Instruments(). Answers, by instrument:
//   phq2 phq9 gad2 gad7 auditc dast10 who5: `answers`, one per item in order, each within the
//     instrument's range (PHQ/GAD 0-3, AUDIT-C 0-4, WHO-5 0-5, DAST-10 0 = no / 1 = yes, given
//     as answered: item 3's reverse scoring is applied here).
//   pcptsd5: `trauma_exposure` (required), then `answers` with 5 items (0 = no, 1 = yes) when it
//     is true, and no answers when it is false.
//   cssrs: `cssrs` (required) and no `answers`.
// Answer-like fields of another instrument (cssrs, trauma_exposure, phq9_difficulty) are
// rejected: they would be answers to questions that were not asked. Configuration fields
// (sex, cut-offs, substance) are validated and used by their instrument only, ignored by
// others, so a caller may pass one options bundle for every instrument.
struct ScoreRequest {
  std::string instrument;
  std::vector<int> answers;

  // phq9: the tenth "how difficult" item (0-3); validated, recorded by the caller, not scored.
  std::optional<int> phq9_difficulty;

  // auditc: "male" → the male cut-off (4), "female" → the female cut-off (3), anything else
  // or absent → the default cut-off (3). `auditc_cutoff` (1-12), when present, wins over sex.
  std::optional<std::string> sex;
  std::optional<int> auditc_cutoff;

  // pcptsd5: the trauma-exposure gate answer, and the cut-off (3 or 4; default 3).
  std::optional<bool> trauma_exposure;
  std::optional<int> pcptsd5_cutoff;

  // cssrs: the named answers.
  std::optional<CssrsAnswers> cssrs;

  // auditc, dast10: intake facts for the withdrawal / opioid hints.
  SubstanceFacts substance;
};

struct ScoreResult {
  std::string instrument;
  int instrument_version = 0;  // InstrumentSpec::version the score was computed with
  std::optional<int> score;    // the total; nullopt for cssrs, which has none
  // A band name of the data table; "positive" / "negative" for instruments without bands
  // (phq2, gad2, auditc, pcptsd5); the risk name for cssrs.
  std::string band;
  bool positive = false;
  std::optional<int> cutoff;  // the cut-off applied (configurable ones vary); nullopt: cssrs
  std::vector<std::string> flags;
  // "none" | "low" | "moderate" | "high". cssrs: per the flow of clinical.md section 1.
  // phq9: "low" when item 9 >= 1 (ideation only, as C-SSRS "low"; the C-SSRS is next to
  // stratify). Every other instrument: "none". Anything but "none" means: show the crisis
  // panel now and ask for a same-day clinician safety review.
  std::string risk = "none";
  std::optional<int> percent;                  // who5: total x 4
  std::optional<std::string> next_instrument;  // phq2 → phq9, gad2 → gad7, who5 → phq9,
                                               // phq9 with item 9 >= 1 → cssrs
  std::vector<std::string> suggestions;        // most urgent first; for the case manager
};

// Scores one screen.
// Errors (all kInvalidArgument, each with one FieldError per problem; messages are plain,
// safe to show, and never echo an answer):
//   "/instrument" unknown_instrument   — not an id of Instruments()
//   "/answers" wrong_count             — not exactly the instrument's item count
//   "/answers/<i>" out_of_range        — answer i (0-based) outside the item's range; every
//                                        such index is reported
//   "/answers" not_used                — cssrs given `answers`
//   "/answers" not_asked               — pcptsd5 answers although the gate was no
//   "/trauma_exposure" required        — pcptsd5 without the gate answer
//   "/cssrs" required                  — cssrs without `cssrs`
//   "/cssrs/<q>" required | not_asked  — a C-SSRS skip-logic violation, one per question
//   "/cssrs" | "/trauma_exposure" | "/phq9_difficulty" not_applicable — given for another
//                                        instrument
//   "/phq9_difficulty" | "/auditc_cutoff" | "/pcptsd5_cutoff" out_of_range
// kInvalidArgument, not kUnprocessable: the form is generated from the same table, so a
// request that breaks it is a malformed request, not a person's mistake to fix.
core::Result<ScoreResult> Score(const ScoreRequest& request);

// True when the result is a risk answer: PHQ-9 item 9 >= 1 or any C-SSRS yes (risk != none).
bool IsRiskResult(const ScoreResult& result);

// True when the raw request holds a risk answer, WITHOUT validating it, so the crisis panel
// can be shown even when Score() rejects the request or saving fails (clinical.md section 6).
// Errs towards true: PHQ-9 answers[8] >= 1 whatever the count or the other answers; any C-SSRS
// answer that is yes, asked or not. False for unknown instruments.
bool HasRiskAnswer(const ScoreRequest& request);

// WHO-5: true when both results are who5 with a percent and the percents differ by at least
// the instrument's meaningful change (10 points), either way. False otherwise.
bool IsMeaningfulChange(const ScoreResult& before, const ScoreResult& after);

// What intake knows besides the scores.
struct GatingFacts {
  bool chose_cssrs = false;             // the person chose to take the C-SSRS
  bool drug_use_indicated = false;      // intake answers indicate drug (not alcohol) use
  std::optional<bool> trauma_exposure;  // the PC-PTSD-5 gate answer, when asked
};

// The instruments to give next, given the results so far. Exactly these rules, each only when
// `so_far` holds no result of that instrument yet, in this order (safety first):
//   "cssrs"   a phq9 result has the safety_item9 flag (item 9 > 0), or facts.chose_cssrs;
//   "phq9"    a phq2 result is positive (>= 3), or a who5 result is positive;
//   "gad7"    a gad2 result is positive (>= 3);
//   "dast10"  facts.drug_use_indicated;
//   "pcptsd5" facts.trauma_exposure is true (the gate was passed; no or unknown: not given).
// Results of unknown instruments are ignored. No duplicates. Never fails.
std::vector<std::string> NextInstruments(const std::vector<ScoreResult>& so_far,
                                         const GatingFacts& facts);

}  // namespace soundcheck::domain::screening
