#include "matching/member_query.h"

namespace soundcheck::matching {

Query QueryFor(const domain::cases::MemberFacts& facts, Day first_session, int64_t now) {
  namespace cov = domain::coverage;
  Query q;
  q.now = now;
  q.first_session = first_session;
  q.care_types = facts.care_types;
  q.jurisdiction = facts.jurisdiction;
  if (!facts.language.empty()) q.languages = {facts.language};
  if (facts.mode == "telehealth") q.mode = Mode::kTelehealth;
  if (facts.mode == "in_person") q.mode = Mode::kInPerson;
  if (facts.insurance_type == "none") {
    cov::InsuranceFacts uninsured;
    uninsured.plan_type = cov::PlanType::kUninsured;
    q.insurance = uninsured;
  } else if (!facts.insurance_type.empty()) {
    cov::InsuranceFacts insured;
    insured.plan_type = cov::ParsePlanType(facts.insurance_type).value_or(cov::PlanType::kUnknown);
    q.insurance = insured;
    if (!facts.carrier.empty()) q.plan = PlanKey(facts.carrier, facts.plan);
  }
  q.prefer_tags = facts.prefer_tags;
  q.prefer_music_industry = facts.prefer_music_industry;
  q.prefer_gender = facts.provider_identity.size() <= 40 ? facts.provider_identity : "";
  return q;
}

}  // namespace soundcheck::matching
