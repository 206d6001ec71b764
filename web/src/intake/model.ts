// The member intake: what it asks, in what order, and the draft kept on the device.
// Values are the API's (POST /api/v1/intakes); labels live in the i18n dictionaries.

export const FOR_OPTIONS = ['self', 'family'] as const;
export type For = (typeof FOR_OPTIONS)[number];

export const RELATIONSHIPS = ['partner', 'parent', 'child', 'sibling', 'friend', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const CONTACT_METHODS = ['phone', 'text', 'email'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const INDUSTRY_ROLES = [
  'artist',
  'touring_crew',
  'tour_or_production_manager',
  'venue_or_festival_staff',
  'label_agency_management',
  'photographer_videographer',
  'driver',
  'other',
  'family_member',
] as const;
export type IndustryRole = (typeof INDUSTRY_ROLES)[number];

export const REQUESTS = ['therapy', 'psychiatry', 'substance_use', 'financial_help', 'wellness', 'not_sure'] as const;
export type RequestKind = (typeof REQUESTS)[number];

export const INSURANCE_TYPES = ['none', 'employer', 'marketplace', 'medicaid', 'medicare', 'union', 'other'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];
/** The extra radio "I'm not sure, or I'd rather not say": no insurance object is sent. */
export const INSURANCE_SKIP = 'skip';

export const INCOME_BANDS = ['under_25k', '25k_50k', '50k_75k', '75k_100k', '100k_150k', 'over_150k', 'prefer_not_to_say'] as const;
export type IncomeBand = (typeof INCOME_BANDS)[number];

export const FORMATS = ['telehealth', 'in_person', 'either'] as const;
export type Format = (typeof FORMATS)[number];

export const SPECIALTIES = ['trauma_informed', 'music_industry', 'lgbtq_affirming'] as const;
export type Specialty = (typeof SPECIALTIES)[number];

/** Languages offered for care (BCP 47); names come from Intl.DisplayNames in the page language. */
export const CARE_LANGUAGES = ['en', 'es', 'fr', 'pt', 'de', 'it', 'zh', 'ko', 'ja', 'vi', 'tl', 'ar', 'ru', 'hi'] as const;

export const PRIVACY_NOTICE_VERSION = '2026-11';

export const INSTRUMENTS = ['phq2', 'phq9', 'cssrs', 'gad2', 'gad7'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/**
 * The C-SSRS screener's questions, in order, as the server names them (clinical.md section 1):
 * q1 and q2 always; q3–q5 only when q2 is yes; q6 always; its follow-up only when q6 is yes.
 */
export const CSSRS_QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q6_past_3_months'] as const;
export type CssrsQuestion = (typeof CSSRS_QUESTIONS)[number];
/** true = yes, false = no, null = not answered (or not asked). */
export type CssrsAnswers = Record<CssrsQuestion, boolean | null>;

export function emptyCssrs(): CssrsAnswers {
  return { q1: null, q2: null, q3: null, q4: null, q5: null, q6: null, q6_past_3_months: null };
}

export interface Answers {
  for: For | '';
  relationship: Relationship | '';
  preferred_name: string;
  preferred: ContactMethod | '';
  phone: string;
  email: string;
  voicemail_ok: boolean;
  text_ok: boolean;
  email_ok: boolean;
  industry_role: IndustryRole | '';
  country: string;
  region: string;
  city: string;
  time_zone: string;
  on_tour: 'yes' | 'no' | '';
  tour_until: string;
  requests: RequestKind[];
  insurance_type: InsuranceType | typeof INSURANCE_SKIP | '';
  carrier: string;
  plan_name: string;
  member_id: string;
  household_size: string;
  income_band: IncomeBand | '';
  care_language: string;
  format: Format | '';
  provider_identity: string;
  specialties: Specialty[];
  /** PHQ-9 items 1–9 (items 1–2 are the PHQ-2); null = not answered. */
  phq: Array<number | null>;
  /** The PHQ-9's tenth "how difficult" item (0–3): recorded, not scored; optional. */
  phq_difficulty: number | null;
  /** GAD-7 items 1–7 (items 1–2 are the GAD-2). */
  gad: Array<number | null>;
  /** The person asked to answer the C-SSRS screener (offered on the PHQ-2 page). */
  cssrs_chosen: boolean;
  cssrs: CssrsAnswers;
  consent_contact: boolean;
}

export type Risk = 'none' | 'low' | 'moderate' | 'high';

export interface CrisisLine {
  name: string;
  how: string;
  phone?: string;
  text?: string;
  url?: string;
}

export interface CrisisResources {
  country: string;
  known: boolean;
  language: string;
  emergency: string;
  lines: CrisisLine[];
  note?: string;
  version?: number | string;
  last_verified?: string;
  source?: string;
}

/** What we keep of a scoring answer: enough to gate the next page and show crisis help again. */
export interface StoredScore {
  /** The answers that were scored; a change means the score is stale. */
  answers: number[];
  next: string | null;
  risk: Risk;
  crisis: CrisisResources | null;
  /** Scored on the device because the server could not be reached (the server scores again on submit). */
  offline?: boolean;
}

export const PAGES = [
  'who',
  'name',
  'contact',
  'role',
  'where',
  'tour',
  'requests',
  'insurance',
  'household',
  'preferences',
  'phq2',
  'phq9',
  'cssrs',
  'gad2',
  'gad7',
  'review',
] as const;
export type PageId = (typeof PAGES)[number];

export interface Draft {
  v: 1;
  /** Idempotency-Key for POST /api/v1/intakes: made once per draft, so a retry never makes a second case. */
  key: string;
  started: string;
  updated: string;
  /** Attribution, e.g. "venue:ryman" from a green-room sign's QR code. */
  src?: string;
  answers: Answers;
  /** Pages the person has continued from (with valid answers). */
  done: PageId[];
  scores: Partial<Record<Instrument, StoredScore>>;
}

export function emptyAnswers(timeZone = ''): Answers {
  return {
    for: '',
    relationship: '',
    preferred_name: '',
    preferred: '',
    phone: '',
    email: '',
    voicemail_ok: false,
    text_ok: false,
    email_ok: false,
    industry_role: '',
    country: '',
    region: '',
    city: '',
    time_zone: timeZone,
    on_tour: '',
    tour_until: '',
    requests: [],
    insurance_type: '',
    carrier: '',
    plan_name: '',
    member_id: '',
    household_size: '',
    income_band: '',
    care_language: '',
    format: '',
    provider_identity: '',
    specialties: [],
    phq: Array<number | null>(9).fill(null),
    phq_difficulty: null,
    gad: Array<number | null>(7).fill(null),
    cssrs_chosen: false,
    cssrs: emptyCssrs(),
    consent_contact: false,
  };
}

/** A random RFC 4122 version 4 UUID (crypto.getRandomValues works outside secure contexts too). */
export function uuidv4(rand: (a: Uint8Array<ArrayBuffer>) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  const b = rand(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newDraft(now: Date = new Date(), timeZone = ''): Draft {
  const iso = now.toISOString();
  return { v: 1, key: uuidv4(), started: iso, updated: iso, answers: emptyAnswers(timeZone), done: [], scores: {} };
}
