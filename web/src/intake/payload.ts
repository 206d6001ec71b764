// The body of POST /api/v1/intakes, built from the draft. The server rejects unknown fields,
// so this sends exactly the documented shape and leaves out what was not answered.
import type { Lang } from '../i18n';
import { activePages, complete, cssrsPayload, instrumentAnswers, type ScaleInstrument } from './flow';
import {
  INSURANCE_SKIP,
  PRIVACY_NOTICE_VERSION,
  type ContactMethod,
  type CssrsQuestion,
  type Draft,
  type Format,
  type For,
  type IncomeBand,
  type IndustryRole,
  type InsuranceType,
  type Relationship,
  type RequestKind,
  type Specialty,
} from './model';

export interface IntakePayload {
  for: For;
  relationship?: Relationship;
  preferred_name: string;
  language: Lang;
  contact: {
    email?: string;
    phone?: string;
    preferred: ContactMethod;
    voicemail_ok: boolean;
    text_ok: boolean;
    email_ok: boolean;
  };
  industry_role: IndustryRole;
  location: { country: string; region?: string; city?: string; time_zone: string };
  on_tour: { now: boolean; until?: string };
  requests: RequestKind[];
  insurance?: { type: InsuranceType; carrier?: string; plan_name?: string; member_id?: string };
  household?: { size?: number; income_band?: IncomeBand };
  preferences?: { language?: string; format?: Format; provider_identity?: string; specialties?: Specialty[] };
  screenings: ScreeningPayload[];
  consents: { privacy_notice_version: string; contact: true };
  src?: string;
}

/** One questionnaire as the server takes it: a list of 0–3 answers, or the C-SSRS by question. */
export type ScreeningPayload =
  | { instrument: ScaleInstrument; answers: number[]; phq9_difficulty?: number }
  | { instrument: 'cssrs'; answers: Partial<Record<CssrsQuestion, boolean>> };

const trim = (s: string) => s.trim().replace(/\s+/g, ' ');

/** The questionnaires to send, in the order asked: screeners always, the others when they apply. */
export function screeningsOf(d: Draft): IntakePayload['screenings'] {
  const active = activePages(d);
  const out: IntakePayload['screenings'] = [];
  for (const inst of ['phq2', 'phq9', 'cssrs', 'gad2', 'gad7'] as const) {
    if (!active.includes(inst)) continue;
    const ans = instrumentAnswers(d.answers, inst);
    if (!complete(ans)) continue;
    if (inst === 'cssrs') out.push({ instrument: inst, answers: cssrsPayload(d.answers.cssrs) });
    else if (inst === 'phq9' && d.answers.phq_difficulty !== null) out.push({ instrument: inst, answers: ans, phq9_difficulty: d.answers.phq_difficulty });
    else out.push({ instrument: inst, answers: ans });
  }
  return out;
}

/** Builds the request body. Call only when every page is complete (the review page does). */
export function buildPayload(d: Draft, lang: Lang): IntakePayload {
  const a = d.answers;
  const email = a.email.trim();
  const phone = trim(a.phone);
  const contact: IntakePayload['contact'] = {
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    preferred: a.preferred as ContactMethod,
    voicemail_ok: a.voicemail_ok,
    text_ok: a.text_ok,
    email_ok: a.email_ok,
  };

  const city = trim(a.city);
  const location: IntakePayload['location'] = {
    country: a.country,
    ...(a.region ? { region: a.region } : {}),
    ...(city ? { city } : {}),
    time_zone: a.time_zone,
  };

  const on_tour: IntakePayload['on_tour'] = { now: a.on_tour === 'yes' };
  if (a.on_tour === 'yes' && a.tour_until) on_tour.until = a.tour_until;

  let insurance: IntakePayload['insurance'];
  if (a.insurance_type && a.insurance_type !== INSURANCE_SKIP) {
    insurance = { type: a.insurance_type };
    if (a.insurance_type !== 'none') {
      if (a.carrier.trim()) insurance.carrier = trim(a.carrier);
      if (a.plan_name.trim()) insurance.plan_name = trim(a.plan_name);
      if (a.member_id.trim()) insurance.member_id = a.member_id.trim();
    }
  }

  const household: NonNullable<IntakePayload['household']> = {};
  if (a.household_size.trim()) household.size = parseInt(a.household_size.trim(), 10);
  if (a.income_band) household.income_band = a.income_band;

  const prefs: NonNullable<IntakePayload['preferences']> = {};
  if (a.care_language) prefs.language = a.care_language;
  if (a.format) prefs.format = a.format;
  if (a.provider_identity.trim()) prefs.provider_identity = trim(a.provider_identity);
  if (a.specialties.length) prefs.specialties = [...new Set(a.specialties)];

  // Built in the documented key order, leaving out what was not answered.
  const p: IntakePayload = {
    for: a.for as For,
    ...(a.for === 'family' && a.relationship ? { relationship: a.relationship } : {}),
    preferred_name: trim(a.preferred_name),
    language: lang,
    contact,
    industry_role: a.industry_role as IndustryRole,
    location,
    on_tour,
    requests: [...new Set(a.requests)],
    ...(insurance ? { insurance } : {}),
    ...(Object.keys(household).length ? { household } : {}),
    ...(Object.keys(prefs).length ? { preferences: prefs } : {}),
    screenings: screeningsOf(d),
    consents: { privacy_notice_version: PRIVACY_NOTICE_VERSION, contact: true },
    ...(d.src ? { src: d.src } : {}),
  };
  return p;
}
