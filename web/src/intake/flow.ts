// The order of the pages, which of them apply (PHQ-9 and GAD-7 only when the server says so),
// "Step N of M", what each page requires, and where a server field error belongs. Pure.
import type { MessageKey, Vars } from '../i18n';
import { hasRegions, isCountry, isRegionOf } from './regions';
import { CSSRS_QUESTIONS, PAGES, type Answers, type CssrsAnswers, type CssrsQuestion, type Draft, type Instrument, type PageId } from './model';

export interface Msg {
  key: MessageKey;
  vars?: Vars;
}
export type PageErrors = Record<string, Msg[]>;

/** Step numbers: a follow-up questionnaire shares its screener's step, so M never jumps. */
export const STEP_OF: Record<PageId, number> = {
  who: 1,
  name: 2,
  contact: 3,
  role: 4,
  where: 5,
  tour: 6,
  requests: 7,
  insurance: 8,
  household: 9,
  preferences: 10,
  phq2: 11,
  phq9: 11,
  cssrs: 11,
  gad2: 12,
  gad7: 12,
  review: 13,
};
export const TOTAL_STEPS = 13;

/** Each page's fields, by the JSON-Pointer key of the payload (errors are shown in this order). */
export const PAGE_FIELDS: Record<PageId, readonly string[]> = {
  who: ['for', 'relationship'],
  name: ['preferred_name'],
  contact: ['contact.preferred', 'contact.phone', 'contact.email', 'contact.voicemail_ok', 'contact.text_ok', 'contact.email_ok'],
  role: ['industry_role'],
  where: ['location.country', 'location.region', 'location.city', 'location.time_zone'],
  tour: ['on_tour.now', 'on_tour.until'],
  requests: ['requests'],
  insurance: ['insurance.type', 'insurance.carrier', 'insurance.plan_name', 'insurance.member_id'],
  household: ['household.size', 'household.income_band'],
  preferences: ['preferences.language', 'preferences.format', 'preferences.provider_identity', 'preferences.specialties'],
  phq2: ['phq.0', 'phq.1', 'cssrs_chosen'],
  phq9: ['phq.2', 'phq.3', 'phq.4', 'phq.5', 'phq.6', 'phq.7', 'phq.8', 'phq_difficulty'],
  cssrs: CSSRS_QUESTIONS.map((q) => `cssrs.${q}`),
  gad2: ['gad.0', 'gad.1'],
  gad7: ['gad.2', 'gad.3', 'gad.4', 'gad.5', 'gad.6'],
  review: ['consents.contact'],
};

export const SCREENING_PAGES: Partial<Record<PageId, Instrument>> = { phq2: 'phq2', phq9: 'phq9', cssrs: 'cssrs', gad2: 'gad2', gad7: 'gad7' };

/** The questionnaires answered on a 0–3 scale (the C-SSRS is yes/no, by question). */
export type ScaleInstrument = Exclude<Instrument, 'cssrs'>;

/** The item indexes (0-based) a screening page asks, and the instrument's full answers. */
export const SCREEN_ITEMS: Record<ScaleInstrument, { set: 'phq' | 'gad'; items: number[] }> = {
  phq2: { set: 'phq', items: [0, 1] },
  phq9: { set: 'phq', items: [2, 3, 4, 5, 6, 7, 8] },
  gad2: { set: 'gad', items: [0, 1] },
  gad7: { set: 'gad', items: [2, 3, 4, 5, 6] },
};

// --- the C-SSRS screener's skip logic (clinical.md section 1) ---------------------------------

/** The questions asked, given the answers so far: q3–q5 only after a yes to q2, the follow-up only after a yes to q6. */
export function cssrsAsked(c: CssrsAnswers): CssrsQuestion[] {
  return CSSRS_QUESTIONS.filter((q) => {
    if (q === 'q3' || q === 'q4' || q === 'q5') return c.q2 === true;
    if (q === 'q6_past_3_months') return c.q6 === true;
    return true;
  });
}

/** Answers to questions that are no longer asked are dropped (e.g. q2 changed to no). */
export function cssrsTidy(c: CssrsAnswers): CssrsAnswers {
  const asked = new Set(cssrsAsked(c));
  const out = { ...c };
  for (const q of CSSRS_QUESTIONS) if (!asked.has(q)) out[q] = null;
  return out;
}

/** Any yes at all: the full crisis panel shows at once. */
export function cssrsAnyYes(c: CssrsAnswers): boolean {
  return cssrsAsked(c).some((q) => c[q] === true);
}

/** The answers as the server takes them: only the questions asked, {"q1": true, …}. */
export function cssrsPayload(c: CssrsAnswers): Partial<Record<CssrsQuestion, boolean>> {
  const out: Partial<Record<CssrsQuestion, boolean>> = {};
  for (const q of cssrsAsked(c)) {
    const v = c[q];
    if (typeof v === 'boolean') out[q] = v;
  }
  return out;
}

/** One number per question (1 yes, 0 no, null unanswered, -1 not asked), to tell a stale score. */
function cssrsVector(c: CssrsAnswers): Array<number | null> {
  const asked = new Set(cssrsAsked(c));
  return CSSRS_QUESTIONS.map((q) => (!asked.has(q) ? -1 : c[q] === null ? null : c[q] ? 1 : 0));
}

/** Is the C-SSRS page part of this intake? After a PHQ-9 item 9 answer (the server's next step, or the published rule on the device), or by choice. */
export function cssrsNeeded(d: Draft): boolean {
  if (d.answers.cssrs_chosen) return true;
  if (!followUpNeeded(d, 'phq2')) return false;
  const s = currentScore(d, 'phq9');
  return (s !== null && s.next === 'cssrs') || (d.answers.phq[8] ?? 0) >= 1;
}

/** The answers sent to the server for an instrument (PHQ-9 includes the PHQ-2's two). */
export function instrumentAnswers(a: Answers, inst: Instrument): Array<number | null> {
  switch (inst) {
    case 'cssrs':
      return cssrsVector(a.cssrs);
    case 'phq2':
      return a.phq.slice(0, 2);
    case 'phq9':
      return a.phq.slice(0, 9);
    case 'gad2':
      return a.gad.slice(0, 2);
    case 'gad7':
      return a.gad.slice(0, 7);
  }
}

export function complete(xs: Array<number | null>): xs is number[] {
  return xs.every((x) => typeof x === 'number');
}

function sameAnswers(a: readonly number[], b: ReadonlyArray<number | null>): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The stored score, if it was made for the current answers. */
export function currentScore(d: Draft, inst: Instrument) {
  const s = d.scores[inst];
  return s && sameAnswers(s.answers, instrumentAnswers(d.answers, inst)) ? s : null;
}

/** Does the screener's (current) score call for the full questionnaire? */
export function followUpNeeded(d: Draft, screener: 'phq2' | 'gad2'): boolean {
  const s = currentScore(d, screener);
  return !!s && s.next === (screener === 'phq2' ? 'phq9' : 'gad7');
}

export function activePages(d: Draft): PageId[] {
  return PAGES.filter((p) =>
    p === 'phq9' ? followUpNeeded(d, 'phq2') : p === 'cssrs' ? cssrsNeeded(d) : p === 'gad7' ? followUpNeeded(d, 'gad2') : true,
  );
}

export function isActive(d: Draft, p: PageId): boolean {
  return activePages(d).includes(p);
}

// --- validation ----------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARS = /^\+?[\d\s().-]+$/;

export function phoneOk(v: string): boolean {
  const digits = v.replace(/\D/g, '').length;
  return PHONE_CHARS.test(v.trim()) && digits >= 7 && digits <= 15;
}

export function emailOk(v: string): boolean {
  return v.trim().length <= 254 && EMAIL.test(v.trim());
}

/** A real calendar date as YYYY-MM-DD. */
export function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Today on the device's calendar, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

function add(errs: PageErrors, field: string, key: MessageKey, vars?: Vars): void {
  (errs[field] ??= []).push(vars ? { key, vars } : { key });
}

function tooLong(v: string, max: number): boolean {
  return [...v.trim()].length > max;
}

/** What is wrong on a page (empty when it can be continued). */
export function validatePage(page: PageId, a: Answers, now: Date = new Date()): PageErrors {
  const e: PageErrors = {};
  switch (page) {
    case 'who':
      if (!a.for) add(e, 'for', 'who.err.for');
      else if (a.for === 'family' && !a.relationship) add(e, 'relationship', 'who.err.relationship');
      break;
    case 'name':
      if (a.preferred_name.trim() === '') add(e, 'preferred_name', 'name.err.required');
      else if (tooLong(a.preferred_name, 100)) add(e, 'preferred_name', 'name.err.long');
      break;
    case 'contact': {
      if (!a.preferred) add(e, 'contact.preferred', 'contact.err.preferred');
      const needPhone = a.preferred === 'phone' || a.preferred === 'text';
      if (a.phone.trim() === '') {
        if (needPhone) add(e, 'contact.phone', 'contact.err.phoneRequired');
      } else if (!phoneOk(a.phone)) add(e, 'contact.phone', 'contact.err.phoneFormat');
      if (a.email.trim() === '') {
        if (a.preferred === 'email') add(e, 'contact.email', 'contact.err.emailRequired');
      } else if (!emailOk(a.email)) add(e, 'contact.email', 'contact.err.emailFormat');
      if (a.preferred === 'text' && !a.text_ok) add(e, 'contact.text_ok', 'contact.err.textOk');
      if (a.preferred === 'email' && !a.email_ok) add(e, 'contact.email_ok', 'contact.err.emailOk');
      break;
    }
    case 'role':
      if (!a.industry_role) add(e, 'industry_role', 'role.err.required');
      break;
    case 'where':
      if (!isCountry(a.country)) add(e, 'location.country', 'where.err.country');
      else if (hasRegions(a.country) && !isRegionOf(a.country, a.region)) add(e, 'location.region', 'where.err.region');
      if (tooLong(a.city, 100)) add(e, 'location.city', 'where.err.long');
      if (a.time_zone.trim() === '') add(e, 'location.time_zone', 'where.err.tz');
      break;
    case 'tour':
      if (!a.on_tour) add(e, 'on_tour.now', 'tour.err.required');
      else if (a.on_tour === 'yes' && a.tour_until !== '') {
        if (!isIsoDate(a.tour_until)) add(e, 'on_tour.until', 'tour.err.date');
        else if (a.tour_until < localToday(now)) add(e, 'on_tour.until', 'tour.err.past');
      }
      break;
    case 'requests':
      if (a.requests.length === 0) add(e, 'requests', 'req.err.required');
      break;
    case 'insurance':
      if (tooLong(a.carrier, 100)) add(e, 'insurance.carrier', 'ins.err.long');
      if (tooLong(a.plan_name, 100)) add(e, 'insurance.plan_name', 'ins.err.long');
      if (tooLong(a.member_id, 100)) add(e, 'insurance.member_id', 'ins.err.long');
      break;
    case 'household': {
      const s = a.household_size.trim();
      if (s !== '' && !(/^\d{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 20)) add(e, 'household.size', 'hh.err.size');
      break;
    }
    case 'preferences':
      if (tooLong(a.provider_identity, 200)) add(e, 'preferences.provider_identity', 'pref.err.long');
      break;
    case 'phq2':
    case 'phq9':
    case 'gad2':
    case 'gad7': {
      const { set, items } = SCREEN_ITEMS[page];
      for (const i of items) if (a[set][i] == null) add(e, `${set}.${i}`, 'scr.err.required', { n: i + 1 });
      break;
    }
    case 'cssrs':
      cssrsAsked(a.cssrs).forEach((q) => {
        if (a.cssrs[q] !== null) return;
        if (q === 'q6_past_3_months') add(e, `cssrs.${q}`, 'cssrs.err.when');
        else add(e, `cssrs.${q}`, 'cssrs.err.required', { n: Number(q.slice(1)) });
      });
      break;
    case 'review':
      if (!a.consent_contact) add(e, 'consents.contact', 'consent.err');
      break;
  }
  return e;
}

export function isValid(page: PageId, a: Answers, now?: Date): boolean {
  return Object.keys(validatePage(page, a, now)).length === 0;
}

/** Continued from, still valid, and (for a questionnaire) scored for the current answers. */
export function isComplete(d: Draft, page: PageId, now?: Date): boolean {
  if (!d.done.includes(page) || !isValid(page, d.answers, now)) return false;
  const inst = SCREENING_PAGES[page];
  return inst ? currentScore(d, inst) !== null : true;
}

/** The first page still to do; "review" when everything before it is complete. */
export function firstIncomplete(d: Draft, now?: Date): PageId {
  for (const p of activePages(d)) {
    if (p === 'review') return p;
    if (!isComplete(d, p, now)) return p;
  }
  return 'review';
}

/** Where a request for `page` should go instead (a skipped-ahead or inactive page), or null. */
export function guard(d: Draft, page: PageId, now?: Date): PageId | null {
  const act = activePages(d);
  const first = firstIncomplete(d, now);
  if (!act.includes(page)) return first;
  return act.indexOf(page) > act.indexOf(first) ? first : null;
}

export function nextPage(d: Draft, page: PageId, fromReview = false, now?: Date): PageId {
  if (fromReview) return firstIncomplete(d, now);
  const act = activePages(d);
  const i = act.indexOf(page);
  return act[Math.min(i + 1, act.length - 1)] ?? 'review';
}

/** The page Back goes to; null means the start page. */
export function prevPage(d: Draft, page: PageId): PageId | null {
  const act = activePages(d);
  const i = act.indexOf(page);
  return i > 0 ? act[i - 1]! : null;
}

export function markDone(d: Draft, page: PageId): Draft {
  return d.done.includes(page) ? d : { ...d, done: [...d.done, page] };
}

// --- server field errors → pages -------------------------------------------------------------

const PREFIX_PAGE: ReadonlyArray<readonly [string, PageId]> = [
  ['for', 'who'],
  ['relationship', 'who'],
  ['preferred_name', 'name'],
  ['contact', 'contact'],
  ['industry_role', 'role'],
  ['location', 'where'],
  ['on_tour', 'tour'],
  ['requests', 'requests'],
  ['insurance', 'insurance'],
  ['household', 'household'],
  ['preferences', 'preferences'],
  ['consents', 'review'],
];

export interface Placed {
  page: PageId;
  /** The page field the error belongs to; null = the page as a whole. */
  field: string | null;
}

/**
 * Where a server error's field (a pointer key such as "contact.email", "requests.2" or
 * "screenings.1.answers") belongs. `screenings` are the instruments in the order sent.
 */
export function placeField(key: string, screenings: readonly string[]): Placed {
  const first = key.split('.')[0] ?? '';
  if (first === 'screenings') {
    const idx = Number(key.split('.')[1]);
    const inst = screenings[idx];
    const page = (Object.entries(SCREENING_PAGES).find(([, v]) => v === inst)?.[0] as PageId | undefined) ?? 'phq2';
    return { page, field: null };
  }
  const hit = PREFIX_PAGE.find(([prefix]) => prefix === first);
  if (!hit) return { page: 'review', field: null };
  const page = hit[1];
  const field = PAGE_FIELDS[page].find((f) => key === f || key.startsWith(f + '.')) ?? null;
  return { page, field };
}
