#include "domain/screening/screening.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace soundcheck::domain::screening {
namespace {

using core::Error;
using core::FieldError;

constexpr std::string_view kPositive = "positive";
constexpr std::string_view kNegative = "negative";

// The item number N of a question id "itemN" of an item list; 0 when it is not one.
int ItemNumber(std::string_view question) {
  constexpr std::string_view kPrefix = "item";
  if (question.substr(0, kPrefix.size()) != kPrefix || question.size() == kPrefix.size()) return 0;
  int n = 0;
  for (char c : question.substr(kPrefix.size())) {
    if (c < '0' || c > '9' || n > 1000) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string RangeText(const InstrumentSpec& spec) {
  return std::to_string(spec.answer_min) + " to " + std::to_string(spec.answer_max);
}

// Appends the count and per-answer range errors of an item list.
void CheckItems(const InstrumentSpec& spec, const std::vector<int>& answers,
                std::vector<FieldError>& errors) {
  if (static_cast<int>(answers.size()) != spec.item_count) {
    errors.push_back(
        {"/answers", "wrong_count",
         spec.name + " needs exactly " + std::to_string(spec.item_count) + " answers."});
    return;
  }
  for (size_t i = 0; i < answers.size(); ++i) {
    if (answers[i] < spec.answer_min || answers[i] > spec.answer_max) {
      errors.push_back({"/answers/" + std::to_string(i), "out_of_range",
                        "This answer must be from " + RangeText(spec) + "."});
    }
  }
}

// Appends the skip-logic errors of a named-question flow: a question asked but not answered,
// or answered but not asked. A question whose parent is itself unanswered is not judged (the
// parent's error says enough).
void CheckCssrs(const InstrumentSpec& spec, const CssrsAnswers& answers,
                std::vector<FieldError>& errors) {
  for (const Question& q : spec.questions) {
    bool asked = true;
    if (!q.asked_if_yes.empty()) {
      std::optional<bool> parent_answer = answers.Get(q.asked_if_yes);
      if (!parent_answer) continue;
      asked = *parent_answer;
    }
    bool answered = answers.Get(q.id).has_value();
    if (asked && !answered) {
      errors.push_back({"/cssrs/" + q.id, "required", "This question needs an answer."});
    } else if (!asked && answered) {
      errors.push_back({"/cssrs/" + q.id, "not_asked",
                        "This question is only asked after a yes to " + q.asked_if_yes + "."});
    }
  }
}

// Appends errors for fields that belong to another instrument, and for configuration fields
// out of their range.
void CheckOptions(const InstrumentSpec& spec, const ScoreRequest& r,
                  std::vector<FieldError>& errors) {
  if (r.cssrs && spec.flow != Flow::kCssrs)
    errors.push_back({"/cssrs", "not_applicable", "These answers belong to another screen."});
  if (r.trauma_exposure && spec.flow != Flow::kTraumaGate) {
    errors.push_back(
        {"/trauma_exposure", "not_applicable", "This answer belongs to another screen."});
  }
  if (r.phq9_difficulty) {
    if (!spec.has_difficulty_item) {
      errors.push_back(
          {"/phq9_difficulty", "not_applicable", "This answer belongs to another screen."});
    } else if (*r.phq9_difficulty < spec.answer_min || *r.phq9_difficulty > spec.answer_max) {
      errors.push_back({"/phq9_difficulty", "out_of_range",
                        "This answer must be from " + RangeText(spec) + "."});
    }
  }
  auto check_cutoff = [&](const std::optional<int>& cutoff, std::string_view instrument,
                          const char* field) {
    if (!cutoff || spec.id != instrument) return;
    if (*cutoff < spec.cutoff_min || *cutoff > spec.cutoff_max) {
      errors.push_back({field, "out_of_range",
                        "The cut-off must be from " + std::to_string(spec.cutoff_min) + " to " +
                            std::to_string(spec.cutoff_max) + "."});
    }
  };
  check_cutoff(r.auditc_cutoff, "auditc", "/auditc_cutoff");
  check_cutoff(r.pcptsd5_cutoff, "pcptsd5", "/pcptsd5_cutoff");
}

// Every validation error of the request, in field order; empty when it can be scored.
std::vector<FieldError> Validate(const InstrumentSpec& spec, const ScoreRequest& r) {
  std::vector<FieldError> errors;
  switch (spec.flow) {
    case Flow::kItems:
      CheckItems(spec, r.answers, errors);
      break;
    case Flow::kTraumaGate:
      if (!r.trauma_exposure) {
        errors.push_back(
            {"/trauma_exposure", "required", "The trauma-exposure question needs an answer."});
      } else if (*r.trauma_exposure) {
        CheckItems(spec, r.answers, errors);
      } else if (!r.answers.empty()) {
        errors.push_back({"/answers", "not_asked",
                          "These questions are only asked after a yes to the trauma-exposure "
                          "question."});
      }
      break;
    case Flow::kCssrs:
      if (!r.answers.empty()) {
        errors.push_back(
            {"/answers", "not_used", "This screen takes its answers by question, in \"cssrs\"."});
      }
      if (!r.cssrs) {
        errors.push_back({"/cssrs", "required", "This screen needs its answers."});
      } else {
        CheckCssrs(spec, *r.cssrs, errors);
      }
      break;
  }
  CheckOptions(spec, r, errors);
  return errors;
}

// The value an answer rule looks at: an item list's raw answer (before reverse scoring), or
// 1 / 0 for a named yes / no. nullopt when the question was not answered. Never trusts the
// request's shape, so HasRiskAnswer can use it before validation.
std::optional<int> AnswerValue(const ScoreRequest& r, std::string_view question) {
  if (int n = ItemNumber(question); n > 0) {
    if (static_cast<size_t>(n) > r.answers.size()) return std::nullopt;
    return r.answers[n - 1];
  }
  if (!r.cssrs) return std::nullopt;
  std::optional<bool> yes = r.cssrs->Get(question);
  if (!yes) return std::nullopt;
  return *yes ? 1 : 0;
}

int ResolveCutoff(const InstrumentSpec& spec, const ScoreRequest& r) {
  if (spec.id == "auditc") {
    if (r.auditc_cutoff) return *r.auditc_cutoff;
    if (r.sex == "male" && spec.positive_cutoff_male) return *spec.positive_cutoff_male;
    if (r.sex == "female" && spec.positive_cutoff_female) return *spec.positive_cutoff_female;
  }
  if (spec.id == "pcptsd5" && r.pcptsd5_cutoff) return *r.pcptsd5_cutoff;
  return spec.positive_cutoff.value_or(0);
}

void AddUnique(std::vector<std::string>& list, std::string_view item) {
  if (item.empty()) return;
  if (std::find(list.begin(), list.end(), item) == list.end()) list.emplace_back(item);
}

// Section 2's safety hints lead every list: crisis pathway for high risk, then the same-day
// clinician review for any risk, both before any routing.
void AddRiskSuggestions(Risk risk, std::vector<std::string>& suggestions) {
  if (risk == Risk::kHigh) AddUnique(suggestions, kSuggestCrisisPathway);
  if (risk != Risk::kNone) AddUnique(suggestions, kSuggestSafetyReview);
}

// Flags, risk and suggestions of the answer rules.
Risk ApplyAnswerRules(const InstrumentSpec& spec, const ScoreRequest& r, ScoreResult& out,
                      std::vector<std::string>& rule_suggestions) {
  Risk risk = Risk::kNone;
  for (const AnswerRule& rule : spec.answer_rules) {
    std::optional<int> value = AnswerValue(r, rule.question);
    if (!value || *value < rule.at_least) continue;
    risk = std::max(risk, rule.risk);
    AddUnique(out.flags, rule.flag);
    AddUnique(rule_suggestions, rule.suggestion);
  }
  return risk;
}

ScoreResult ScoreCssrs(const InstrumentSpec& spec, const ScoreRequest& r) {
  ScoreResult out;
  out.instrument = spec.id;
  out.instrument_version = spec.version;
  std::vector<std::string> rule_suggestions;
  Risk risk = ApplyAnswerRules(spec, r, out, rule_suggestions);
  out.risk = RiskName(risk);
  out.band = out.risk;
  out.positive = risk != Risk::kNone;  // any yes
  AddRiskSuggestions(risk, out.suggestions);
  for (const std::string& s : rule_suggestions) AddUnique(out.suggestions, s);
  return out;
}

ScoreResult ScoreTotal(const InstrumentSpec& spec, const ScoreRequest& r) {
  ScoreResult out;
  out.instrument = spec.id;
  out.instrument_version = spec.version;
  const int cutoff = ResolveCutoff(spec, r);
  out.cutoff = cutoff;

  // PC-PTSD-5 gate answered no: 0 and stop; none of the items was asked.
  if (spec.flow == Flow::kTraumaGate && r.trauma_exposure == false) {
    out.score = 0;
    out.band = kNegative;
    out.flags.emplace_back(kFlagNoTraumaExposure);
    return out;
  }

  int total = 0;
  for (int i = 0; i < spec.item_count; ++i) {
    const bool reverse = std::find(spec.reverse_scored.begin(), spec.reverse_scored.end(), i + 1) !=
                         spec.reverse_scored.end();
    total += reverse ? spec.answer_max + spec.answer_min - r.answers[i] : r.answers[i];
  }
  out.score = total;

  const bool score_positive =
      spec.direction == CutoffDirection::kAtOrAbove ? total >= cutoff : total < cutoff;
  const bool low_item = spec.low_item_at_or_below &&
                        std::any_of(r.answers.begin(), r.answers.end(),
                                    [&](int a) { return a <= *spec.low_item_at_or_below; });
  out.positive = score_positive || low_item;

  std::vector<std::string> rule_suggestions;
  const Risk risk = ApplyAnswerRules(spec, r, out, rule_suggestions);
  out.risk = RiskName(risk);

  if (spec.bands.empty()) {
    out.band = out.positive ? kPositive : kNegative;
  } else {
    for (const Band& band : spec.bands) {
      if (total < band.min || total > band.max) continue;
      out.band = band.name;
      AddUnique(out.flags, band.flag);
    }
  }
  if (low_item) {
    if (!score_positive) out.band = spec.low_item_band;
    AddUnique(out.flags, spec.low_item_flag);
  }
  if (out.positive) AddUnique(out.flags, spec.positive_flag);
  if (out.positive && !spec.all_points_from_item1_flag.empty() && r.answers[0] > 0 &&
      std::all_of(r.answers.begin() + 1, r.answers.end(), [](int a) { return a == 0; })) {
    AddUnique(out.flags, spec.all_points_from_item1_flag);
  }

  if (spec.percent_multiplier) out.percent = total * *spec.percent_multiplier;

  if (risk != Risk::kNone && spec.next_if_risk) {
    out.next_instrument = spec.next_if_risk;
  } else if (out.positive && spec.next_if_positive) {
    out.next_instrument = spec.next_if_positive;
  }

  AddRiskSuggestions(risk, out.suggestions);
  for (const std::string& s : rule_suggestions) AddUnique(out.suggestions, s);
  for (const SuggestionRule& rule : spec.suggestions) {
    const bool applies =
        rule.when_positive ? out.positive : total >= rule.min_score && total <= rule.max_score;
    if (applies) AddUnique(out.suggestions, rule.suggestion);
  }
  if (spec.uses_substance_facts) {
    const SubstanceFacts& f = r.substance;
    if (f.daily_heavy_alcohol || f.benzodiazepine_use || f.past_withdrawal_seizures)
      AddUnique(out.suggestions, kSuggestWithdrawalManagement);
    if (f.opioid_use) AddUnique(out.suggestions, kSuggestMoudNaloxone);
  }
  return out;
}

bool HasResult(const std::vector<ScoreResult>& so_far, std::string_view instrument) {
  return std::any_of(so_far.begin(), so_far.end(),
                     [&](const ScoreResult& r) { return r.instrument == instrument; });
}

bool HasPositive(const std::vector<ScoreResult>& so_far, std::string_view instrument) {
  return std::any_of(so_far.begin(), so_far.end(), [&](const ScoreResult& r) {
    return r.instrument == instrument && r.positive;
  });
}

}  // namespace

std::optional<bool> CssrsAnswers::Get(std::string_view id) const {
  if (id == "q1") return q1;
  if (id == "q2") return q2;
  if (id == "q3") return q3;
  if (id == "q4") return q4;
  if (id == "q5") return q5;
  if (id == "q6") return q6;
  if (id == "q6_past_3_months") return q6_past_3_months;
  return std::nullopt;
}

core::Result<ScoreResult> Score(const ScoreRequest& request) {
  const InstrumentSpec* spec = FindInstrument(request.instrument);
  if (spec == nullptr) {
    return Error::InvalidArgument(
        "screening: unknown instrument",
        {{"/instrument", "unknown_instrument", "This screening instrument is not known."}});
  }
  std::vector<FieldError> errors = Validate(*spec, request);
  if (!errors.empty()) {
    return Error::InvalidArgument("screening: answers rejected for " + spec->id, std::move(errors));
  }
  if (spec->flow == Flow::kCssrs) return ScoreCssrs(*spec, request);
  return ScoreTotal(*spec, request);
}

bool IsRiskResult(const ScoreResult& result) { return result.risk != RiskName(Risk::kNone); }

bool HasRiskAnswer(const ScoreRequest& request) {
  const InstrumentSpec* spec = FindInstrument(request.instrument);
  if (spec == nullptr) return false;
  for (const AnswerRule& rule : spec->answer_rules) {
    if (rule.risk == Risk::kNone) continue;
    std::optional<int> value = AnswerValue(request, rule.question);
    if (value && *value >= rule.at_least) return true;
  }
  return false;
}

bool IsMeaningfulChange(const ScoreResult& before, const ScoreResult& after) {
  const InstrumentSpec* spec = FindInstrument("who5");
  if (spec == nullptr || !spec->meaningful_change_percent) return false;
  if (before.instrument != spec->id || after.instrument != spec->id) return false;
  if (!before.percent || !after.percent) return false;
  return std::abs(*after.percent - *before.percent) >= *spec->meaningful_change_percent;
}

std::vector<std::string> NextInstruments(const std::vector<ScoreResult>& so_far,
                                         const GatingFacts& facts) {
  const bool item9 = std::any_of(so_far.begin(), so_far.end(), [](const ScoreResult& r) {
    return r.instrument == "phq9" &&
           std::find(r.flags.begin(), r.flags.end(), kFlagSafetyItem9) != r.flags.end();
  });
  const std::pair<const char*, bool> rules[] = {
      {"cssrs", item9 || facts.chose_cssrs},
      {"phq9", HasPositive(so_far, "phq2") || HasPositive(so_far, "who5")},
      {"gad7", HasPositive(so_far, "gad2")},
      {"dast10", facts.drug_use_indicated},
      {"pcptsd5", facts.trauma_exposure == true},
  };
  std::vector<std::string> next;
  for (const auto& [instrument, wanted] : rules)
    if (wanted && !HasResult(so_far, instrument)) next.emplace_back(instrument);
  return next;
}

}  // namespace soundcheck::domain::screening
