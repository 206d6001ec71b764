// The Good Faith Estimate (docs/matching.md; No Surprises Act, docs clinical.md section 3): the
// wire shapes of POST /api/v1/cases/{id}/good-faith-estimate, and the pure parts of the console's
// form and printable page — the request made from the form (dollars → cents, problems keyed like
// the server's JSON Pointers, "/session_fee_cents" → "session_fee_cents"), who is owed one, and
// the document in words: the server names every text by catalog key (i18n/<lang>/gfe.json), so
// it prints in the member's language. Nothing is stored, here or on the server. No I/O.
import type { Lang } from './i18n';
import { gfeTranslator, isGfeKey, type GT } from './i18n/gfe';
import { dollarsToCents, isDay } from './matching';
import { dayText } from './member/plan';
import { formatMoney } from './money';

// --- the wire ----------------------------------------------------------------------------------

/** Session lengths and their psychotherapy codes (CPT); an intake visit is 90791. */
export const SESSION_MINUTES = [30, 45, 60] as const;
export type SessionMinutes = (typeof SESSION_MINUTES)[number];
export const PSYCHOTHERAPY_CPT: Record<SessionMinutes, string> = { 30: '90832', 45: '90834', 60: '90837' };
export const INTAKE_CPT = '90791';

// The server's defaults and limits (handlers/matching.cpp, domain/coverage/good_faith_estimate.h).
export const GFE_DEFAULT_SESSIONS = 12;
export const GFE_DEFAULT_MINUTES: SessionMinutes = 45;
export const GFE_MAX_SESSIONS = 52;
export const GFE_MAX_FEE_CENTS = 10_000_000; // $100,000

export interface GoodFaithEstimateRequest {
  service_id: string;
  sessions: number;
  session_minutes: number;
  /** YYYY-MM-DD */
  first_session_on: string;
  intake_visit: boolean;
  /** Absent: the listing's fee (the server answers 422 at this field when the listing gives none). */
  session_fee_cents?: number;
  /** Absent with an intake visit: priced at the session fee (and listed in `assumed`). */
  intake_fee_cents?: number;
}

export interface GfeService {
  cpt: string;
  /** Catalog key of the description: intake_evaluation, psychotherapy_30 / _45 / _60. */
  description_key: string;
  unit_cents: number;
  quantity: number;
}

export interface GoodFaithEstimate {
  /** The case reference: the document never names the member. */
  member_reference: string;
  service_id: string;
  provider_name: string;
  issued_on: string;
  first_session_on: string;
  valid_until: string;
  currency: string;
  /** The intake first (when any), then the sessions. */
  services: GfeService[];
  total_cents: number;
  /** Catalog keys, in the order they are printed. */
  notices: string[];
  /** What the document lacks ("to be provided by the provider"): provider_npi, provider_tax_id, diagnosis… */
  missing: string[];
  /** Values filled in by a stated rule: intake_fee. */
  assumed: string[];
}

// --- who is owed one ------------------------------------------------------------------------------

/**
 * From the intake's insurance type (cases.ts): "uninsured" (they said they have none: owed one),
 * "insured" (a plan: owed one only if they pay for this care themselves), "unknown" (not said).
 */
export type GfeEntitlement = 'uninsured' | 'insured' | 'unknown';

export function gfeEntitlement(insuranceType: string | null | undefined): GfeEntitlement {
  if (!insuranceType) return 'unknown';
  return insuranceType === 'none' ? 'uninsured' : 'insured';
}

// --- the form --------------------------------------------------------------------------------------

export interface GfeForm {
  /** As typed. */
  sessions: string;
  /** "30", "45" or "60". */
  session_minutes: string;
  first_session_on: string;
  intake_visit: boolean;
  /** Dollars as typed; empty: the listing's fee. */
  session_fee: string;
  /** Dollars as typed; empty: the session fee. Asked only with an intake visit. */
  intake_fee: string;
}

/** The form as it opens: the server's defaults (12 sessions of 45 minutes, an intake visit), first session today. */
export function newGfeForm(today: string, over: Partial<GfeForm> = {}): GfeForm {
  return {
    sessions: String(GFE_DEFAULT_SESSIONS),
    session_minutes: String(GFE_DEFAULT_MINUTES),
    first_session_on: today,
    intake_visit: true,
    session_fee: '',
    intake_fee: '',
    ...over,
  };
}

/** The form's field keys, in its order: the request's JSON Pointers without the slash. */
export const GFE_FIELDS = ['sessions', 'session_minutes', 'first_session_on', 'intake_visit', 'session_fee_cents', 'intake_fee_cents'] as const;
export type GfeField = (typeof GFE_FIELDS)[number];

export type GfeErrors = Partial<Record<GfeField, string[]>>;

/** "60 minutes (CPT 90837)". */
export function minutesLabel(minutes: SessionMinutes): string {
  return `${minutes} minutes (CPT ${PSYCHOTHERAPY_CPT[minutes]})`;
}

const feeProblem = (cents: number | null | undefined): string | null => {
  if (cents === null) return 'Enter an amount in dollars, like 120 or 95.50';
  if (cents !== undefined && cents > GFE_MAX_FEE_CENTS) return 'Enter a fee from $0 to $100,000';
  return null;
};

/**
 * The request for the listing `serviceId`, or the problems per field key. Fees left empty are not
 * sent (the server uses the listing's fee, and the session fee for an intake); the intake fee is
 * sent only with an intake visit.
 */
export function gfeRequest(form: GfeForm, serviceId: string): { body: GoodFaithEstimateRequest; errors: null } | { body: null; errors: GfeErrors } {
  const errors: GfeErrors = {};
  const fail = (key: GfeField, msg: string) => (errors[key] ??= []).push(msg);

  const sessionsText = form.sessions.trim();
  const sessions = /^\d+$/.test(sessionsText) ? Number(sessionsText) : NaN;
  if (!(sessions >= 1 && sessions <= GFE_MAX_SESSIONS)) fail('sessions', `Enter a whole number of sessions from 1 to ${GFE_MAX_SESSIONS}`);

  const minutes = Number(form.session_minutes) as SessionMinutes;
  if (!SESSION_MINUTES.includes(minutes)) fail('session_minutes', 'Choose 30, 45 or 60 minutes');

  const first = form.first_session_on.trim();
  if (!isDay(first)) fail('first_session_on', 'Enter a real date, like 2026-12-01');

  const fee = dollarsToCents(form.session_fee);
  const feeError = feeProblem(fee);
  if (feeError) fail('session_fee_cents', feeError);
  const intakeFee = form.intake_visit ? dollarsToCents(form.intake_fee) : undefined;
  const intakeError = feeProblem(intakeFee);
  if (intakeError) fail('intake_fee_cents', intakeError);

  if (Object.keys(errors).length) return { body: null, errors };
  const body: GoodFaithEstimateRequest = {
    service_id: serviceId,
    sessions,
    session_minutes: minutes,
    first_session_on: first,
    intake_visit: form.intake_visit,
  };
  if (typeof fee === 'number') body.session_fee_cents = fee;
  if (typeof intakeFee === 'number') body.intake_fee_cents = intakeFee;
  return { body, errors: null };
}

// --- the document in words ------------------------------------------------------------------------------

export interface GfeLine {
  cpt: string;
  description: string;
  unit: string;
  quantity: number;
  amount_cents: number;
  amount: string;
}

export interface GfeDocument {
  lang: Lang;
  title: string;
  issuedOn: string;
  firstSession: string;
  validUntil: string;
  lines: GfeLine[];
  total: string;
  /** Σ unit × quantity of the lines; equals the server's total (the page says so if it does not). */
  linesTotalCents: number;
  notices: string[];
  missing: string[];
  assumed: string[];
}

/** A catalog text by its key (`prefix` + key), or the key as it is when the catalog has none. */
function keyed(t: GT, prefix: string, key: string): string {
  const k = `${prefix}${key}`;
  return isGfeKey(k) ? t(k) : key;
}

/** The estimate as the printed page says it, in `lang`: dates, amounts, services, notices and lists in words. */
export function gfeDocument(gfe: GoodFaithEstimate, lang: Lang): GfeDocument {
  const t = gfeTranslator(lang);
  const money = (cents: number) => formatMoney(cents, lang, gfe.currency);
  const lines = gfe.services.map((s) => {
    const amount = s.unit_cents * s.quantity;
    return { cpt: s.cpt, description: keyed(t, 'gfe.service.', s.description_key), unit: money(s.unit_cents), quantity: s.quantity, amount_cents: amount, amount: money(amount) };
  });
  return {
    lang,
    title: t('gfe.title'),
    issuedOn: dayText(gfe.issued_on, lang),
    firstSession: dayText(gfe.first_session_on, lang),
    validUntil: dayText(gfe.valid_until, lang),
    lines,
    total: money(gfe.total_cents),
    linesTotalCents: lines.reduce((sum, l) => sum + l.amount_cents, 0),
    notices: gfe.notices.map((k) => keyed(t, 'gfe.notice.', k)),
    missing: gfe.missing.map((k) => keyed(t, 'gfe.missing.', k)),
    assumed: gfe.assumed.map((k) => keyed(t, 'gfe.assumed.', k)),
  };
}
