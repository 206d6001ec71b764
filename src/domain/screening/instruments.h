// The screening instruments of clinical.md section 1, as data: one versioned row per
// instrument with its source, licence and the date it was last verified against the
// reference. Score() in screening.h is the only interpreter of these rows; changing a band or
// a cut-off is a data change here (bump `version`), not a code change there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soundcheck::domain::screening {

// Ordered: a larger value is more urgent.
enum class Risk { kNone, kLow, kModerate, kHigh };

// "none" | "low" | "moderate" | "high".
std::string_view RiskName(Risk risk);

// How the answers of an instrument are given and walked.
enum class Flow {
  // Items 1..item_count, all asked, in order: ScoreRequest::answers.
  kItems,
  // A yes/no gate question (`gate_question`) first; the items only when it is yes.
  // ScoreRequest::trauma_exposure carries the gate answer (PC-PTSD-5).
  kTraumaGate,
  // Named yes/no questions with skip logic (`questions`), no total: ScoreRequest::cssrs.
  kCssrs,
};

// Which side of the cut-off is positive.
enum class CutoffDirection {
  kAtOrAbove,  // positive when total >= cut-off (PHQ, GAD, AUDIT-C, DAST-10, PC-PTSD-5)
  kBelow,      // positive when total < cut-off (WHO-5: lower is worse)
};

// An inclusive range of totals and its name; `flag` (optional) is added to the result's flags
// when the total falls in the band.
struct Band {
  int min = 0;
  int max = 0;
  std::string name;
  std::string flag;
};

// One LOINC code; `element` says what it codes: "panel", "total" or "item9".
struct LoincCode {
  std::string element;
  std::string code;
};

// A question of a kCssrs flow. It is asked always (`asked_if_yes` empty) or only when the
// question named by `asked_if_yes` was answered yes.
struct Question {
  std::string id;
  std::string asked_if_yes;
};

// An answer that matters on its own, whatever the total: question `question` ("item9" for
// item 9 of an item list, "q4" for a named question) answered with a value >= `at_least`
// (yes = 1). It raises `risk`, adds `flag` and (when not empty) `suggestion`.
struct AnswerRule {
  std::string question;
  int at_least = 1;
  Risk risk = Risk::kNone;
  std::string flag;
  std::string suggestion;
};

// A routing hint of clinical.md section 2: when the total is within [min_score, max_score]
// (or, with `when_positive`, whenever the screen is positive), suggest `suggestion`.
struct SuggestionRule {
  int min_score = 0;
  int max_score = 0;
  bool when_positive = false;
  std::string suggestion;
};

struct InstrumentSpec {
  std::string id;    // "phq9"; what ScoreRequest::instrument names
  std::string name;  // "PHQ-9", for people
  int version = 1;   // bumped whenever a scoring field of this row changes
  std::string source;
  std::string licence;
  std::string last_verified;  // ISO date the row was checked against `source`
  std::vector<LoincCode> loinc;

  Flow flow = Flow::kItems;
  int item_count = 0;  // items that can be asked (C-SSRS: q1..q6, without the follow-up)
  int answer_min = 0;  // every item's answer range, inclusive (yes/no: 0 = no, 1 = yes)
  int answer_max = 0;
  std::vector<int> reverse_scored;  // 1-based items that score answer_max - answer
  std::vector<int> critical_items;  // 1-based items that a reviewer must always see
  std::string gate_question;        // kTraumaGate: the gate's id ("trauma_exposure")
  std::vector<Question> questions;  // kCssrs: the questions and their skip logic
  // PHQ-9's tenth "how difficult" item: recorded by the caller, validated (same answer range),
  // never scored.
  bool has_difficulty_item = false;

  // Bands over the total. Empty: the band is "positive" or "negative" (kCssrs: the risk name).
  std::vector<Band> bands;
  CutoffDirection direction = CutoffDirection::kAtOrAbove;
  std::optional<int> positive_cutoff;         // the default (AUDIT-C: sex not male/female)
  std::optional<int> positive_cutoff_male;    // AUDIT-C only
  std::optional<int> positive_cutoff_female;  // AUDIT-C only
  // Cut-offs a request may configure, inclusive. Equal to positive_cutoff: not configurable.
  int cutoff_min = 0;
  int cutoff_max = 0;
  // WHO-5: any single item <= this makes the screen positive; when the total alone would not,
  // the band becomes `low_item_band` and `low_item_flag` is added.
  std::optional<int> low_item_at_or_below;
  std::string low_item_band;
  std::string low_item_flag;
  std::string positive_flag;  // added whenever the screen is positive ("poor_wellbeing")
  // AUDIT-C: a positive screen whose points all come from item 1 gets this flag for review.
  std::string all_points_from_item1_flag;
  std::optional<int> percent_multiplier;         // WHO-5: percent = total x 4
  std::optional<int> meaningful_change_percent;  // WHO-5: 10 points

  std::vector<AnswerRule> answer_rules;
  std::optional<std::string> next_if_positive;  // PHQ-2 → "phq9"
  std::optional<std::string> next_if_risk;      // PHQ-9 item 9 → "cssrs"
  std::vector<SuggestionRule> suggestions;
  // AUDIT-C, DAST-10: ScoreRequest::substance adds section 2's withdrawal and opioid hints.
  bool uses_substance_facts = false;
};

// Every instrument, in a stable order (phq2 phq9 gad2 gad7 auditc dast10 pcptsd5 cssrs who5).
// Built once on first use; thread-safe; never empty.
const std::vector<InstrumentSpec>& Instruments();

// The row whose id is `id`, or nullptr. The pointer stays valid for the life of the process.
const InstrumentSpec* FindInstrument(std::string_view id);

}  // namespace soundcheck::domain::screening
