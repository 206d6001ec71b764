// Matching (docs/matching.md): the wire shapes of POST /api/v1/cases/{id}/matches and
// GET /api/v1/finder, and the pure parts of the console's "Find care" form and the public
// finder — the form built from the query the server ran, the request body built back from
// the form (dollars → cents, % → basis points), and a relaxation applied to a body.
// No I/O and no words here: messages are catalog keys (i18n/<lang>/matching.json).
import type { MatchKey } from './i18n/matching';
import type { Problem } from './problem';

// --- the wire ----------------------------------------------------------------------------------

export const MODES = ['either', 'telehealth', 'in_person'] as const;
export type Mode = (typeof MODES)[number];

export const PLAN_TYPES = ['unknown', 'employer', 'marketplace', 'medicaid', 'medicare', 'union', 'uninsured'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export const NETWORKS = ['unknown', 'hmo', 'epo', 'ppo', 'pos'] as const;
export type Network = (typeof NETWORKS)[number];

export interface Place {
  jurisdiction: string;
  latitude?: number;
  longitude?: number;
}

export interface TourStop {
  from: string;
  to: string;
  jurisdiction: string;
  latitude?: number;
  longitude?: number;
}

export interface InsuranceQuery {
  carrier?: string;
  plan?: string;
  plan_type?: PlanType;
  network?: Network;
  deductible_remaining_cents?: number;
  copay_cents?: number;
  copay_before_deductible?: boolean;
  coinsurance_bp?: number;
  out_of_pocket_remaining_cents?: number;
  oon_deductible_remaining_cents?: number;
  oon_coinsurance_bp?: number;
  oon_out_of_pocket_remaining_cents?: number;
  oon_allowed_cents?: number;
}

/** The query the server ran (`query` in a case's answer): every field present. */
export interface MatchQuery {
  care_types: string[];
  location: Place;
  first_session: string;
  sessions: number;
  itinerary: TourStop[];
  mode: Mode;
  max_km: number;
  languages: string[];
  age: string;
  format: string;
  require_opening: boolean;
  insurance: InsuranceQuery | null;
  budget_cents?: number;
  sliding_scale: boolean;
  aid_per_session_cents: number;
  prefer: { tags: string[]; music_industry: boolean; gender: string };
  weights: Record<string, number>;
  limit: number;
}

/** What the console sends: any field overrides the case's starting query; null insurance = none. */
export interface MatchQueryBody {
  care_types?: string[];
  location?: Partial<Place>;
  first_session?: string;
  sessions?: number;
  itinerary?: TourStop[];
  mode?: Mode;
  max_km?: number;
  languages?: string[];
  age?: string;
  format?: string;
  require_opening?: boolean;
  insurance?: InsuranceQuery | null;
  budget_cents?: number;
  sliding_scale?: boolean;
  prefer?: { tags?: string[] };
}

/** Why a result is there: `code` is stable, `value`/`detail` are codes, days, counts or cents. */
export interface Reason {
  code: string;
  value: string;
  detail?: string;
  points?: number;
}

export interface CostStep {
  name: string;
  low_cents: number;
  /** null: no upper bound. */
  high_cents: number | null;
}

export interface Cost {
  low_cents: number;
  high_cents: number | null;
  after_aid_low_cents: number;
  after_aid_high_cents: number | null;
  currency: string;
  complete: boolean;
  fee_unknown: boolean;
  steps: CostStep[];
  used: string[];
  unknown: string[];
  assumed: string[];
}

export const COST_BASES = ['in_network', 'out_of_network', 'self_pay', 'sliding_scale', 'free'] as const;
export type CostBasis = (typeof COST_BASES)[number];

export interface SessionDate {
  date: string;
  jurisdiction: string;
  covered: boolean;
}

export interface Match {
  service_id: string;
  name: string;
  organization_id: string;
  score: number;
  telehealth: boolean;
  distance_km: number | null;
  met: Reason[];
  preferences: Reason[];
  cost_basis: CostBasis | string;
  cost: Cost;
  dates: SessionDate[];
}

/** How many would pass with only this one constraint relaxed (docs/matching.md "Too few results"). */
export interface Relaxation {
  constraint: string;
  change: string;
  /** Exact below the server's cap (100); at the cap, counting stopped: see `at_least`. */
  results: number;
  /** true: `results` or more ("100 or more results"): counting stopped at the cap. */
  at_least: boolean;
}

export interface MatchAnswer {
  items: Match[];
  /** Exact below the server's cap (1,000); at the cap, counting stopped: see `eligible_at_least`. */
  eligible: number;
  /** true: `eligible` or more ("1,000 or more providers fit"): counting stopped at the cap. */
  eligible_at_least: boolean;
  relaxations: Relaxation[];
  snapshot_version: number;
}

/**
 * Whether a relaxation finds more than the answer it was offered with (only those are offered).
 * A relaxation widens the search, so it finds at least what the answer does; a larger count means
 * more whether either count is exact or stopped ("or more"): beside an answer of "1,000 or more",
 * a relaxation counting 1,200 still means more. An equal or smaller count is not offered: a
 * relaxation of "100 or more" beside an answer of 250 may find no more than it.
 */
export function findsMore(r: Pick<Relaxation, 'results'>, answer: Pick<MatchAnswer, 'eligible'>): boolean {
  return r.results > answer.eligible;
}

export interface CaseMatches extends MatchAnswer {
  query: MatchQuery;
  /** The case's care profile the query started from (0: none saved; the intake alone). */
  profile_version: number;
}

/**
 * A case's care profile (GET/PUT /api/v1/cases/{id}/care-profile): the person's facts a case
 * manager learned after the intake, in the MatchQuery body's shape, that every search on the case
 * starts from (the intake ← the profile ← the search's own fields).
 */
export interface CareProfile {
  case_id: string;
  /** 0: nothing saved yet. */
  version: number;
  profile: MatchQueryBody;
  saved_by: string | null;
  saved_at: string | null;
}

/** What a search chooses each time and a care profile does not keep (the server refuses them there). */
export const SEARCH_ONLY_FIELDS = ['first_session', 'sessions', 'require_opening'] as const;

/** A search's body as a care profile: the person's facts, without what is chosen per search. */
export function profileOf(body: MatchQueryBody): MatchQueryBody {
  const out: MatchQueryBody = { ...body };
  for (const k of SEARCH_ONLY_FIELDS) delete out[k];
  return out;
}

/**
 * A care profile's problem with its pointers made the search form's ("/profile/location/latitude"
 * → "/location/latitude"), so each message lands at its field.
 */
export function profileProblem(p: Problem): Problem {
  if (!p.errors) return p;
  return {
    ...p,
    errors: p.errors.map((e) => (typeof e.field === 'string' && e.field.startsWith('/profile/') ? { ...e, field: e.field.slice('/profile'.length) } : e)),
  };
}

export interface FinderAnswer {
  providers: MatchAnswer;
  resources: MatchAnswer;
}

// --- the vocabulary the forms offer (data/directory/vocabulary.json) ------------------------------

/** The vocabulary's 32 `care_type:` terms, in its order. */
export const CARE_TYPES = [
  'care_type:individual-therapy',
  'care_type:couples-therapy',
  'care_type:family-therapy',
  'care_type:group-therapy',
  'care_type:psychiatry',
  'care_type:medication-management',
  'care_type:psychological-testing',
  'care_type:substance-use-outpatient',
  'care_type:intensive-outpatient',
  'care_type:partial-hospitalisation',
  'care_type:residential-treatment',
  'care_type:medical-detox',
  'care_type:eating-disorder-treatment',
  'care_type:peer-support',
  'care_type:support-group',
  'care_type:recovery-meeting',
  'care_type:crisis-stabilisation',
  'care_type:case-management',
  'care_type:financial-aid',
  'care_type:wellness-coaching',
  'care_type:mindfulness',
  'care_type:yoga',
  'care_type:sleep-medicine',
  'care_type:nutrition-counselling',
  'care_type:hearing-health',
  'care_type:vocal-health',
  'care_type:performance-coaching',
  'care_type:career-counselling',
  'care_type:legal-aid',
  'care_type:housing-assistance',
  'care_type:recovery-coaching',
  'care_type:grief-support',
] as const;

export const AGES = ['age:children', 'age:teens', 'age:adults', 'age:older-adults'] as const;
export const FORMATS = ['format:individual', 'format:couples', 'format:family', 'format:group'] as const;

/** Tags a query may prefer, by facet (each the provider has adds points). */
export const TAG_GROUPS = {
  issue: [
    'issue:depression',
    'issue:anxiety',
    'issue:trauma-ptsd',
    'issue:substance-use',
    'issue:grief',
    'issue:bipolar',
    'issue:adhd',
    'issue:relationships',
    'issue:performance-anxiety',
    'issue:burnout',
    'issue:eating-disorders',
    'issue:insomnia',
  ],
  approach: [
    'approach:cbt',
    'approach:dbt',
    'approach:emdr',
    'approach:cpt',
    'approach:pe',
    'approach:erp',
    'approach:act',
    'approach:ipt',
    'approach:cbt-i',
    'approach:motivational-interviewing',
    'approach:psychodynamic',
    'approach:family-systems',
  ],
  identity: ['identity:lgbtq-affirming', 'identity:faith-based'],
  accessibility: [
    'accessibility:wheelchair-access',
    'accessibility:sign-language',
    'accessibility:quiet-room',
    'accessibility:evening-hours',
    'accessibility:weekend-hours',
  ],
} as const;
export type TagGroup = keyof typeof TAG_GROUPS;

/**
 * A few places to pick instead of typing coordinates: the music hubs first (as the demo
 * directory ranks them), each with its ISO 3166-2 jurisdiction and tzdata's coordinates.
 * City names are proper nouns, kept as data.
 */
export const CITIES = [
  { id: 'new-york', name: 'New York', jurisdiction: 'US-NY', latitude: 40.7142, longitude: -74.0064 },
  { id: 'los-angeles', name: 'Los Angeles', jurisdiction: 'US-CA', latitude: 34.0522, longitude: -118.2437 },
  { id: 'nashville', name: 'Nashville', jurisdiction: 'US-TN', latitude: 36.1627, longitude: -86.7816 },
  { id: 'chicago', name: 'Chicago', jurisdiction: 'US-IL', latitude: 41.85, longitude: -87.65 },
  { id: 'austin', name: 'Austin', jurisdiction: 'US-TX', latitude: 30.2672, longitude: -97.7431 },
  { id: 'atlanta', name: 'Atlanta', jurisdiction: 'US-GA', latitude: 33.749, longitude: -84.388 },
  { id: 'new-orleans', name: 'New Orleans', jurisdiction: 'US-LA', latitude: 29.9511, longitude: -90.0715 },
  { id: 'seattle', name: 'Seattle', jurisdiction: 'US-WA', latitude: 47.6062, longitude: -122.3321 },
  { id: 'toronto', name: 'Toronto', jurisdiction: 'CA-ON', latitude: 43.6532, longitude: -79.3832 },
  { id: 'london', name: 'London', jurisdiction: 'GB', latitude: 51.5072, longitude: -0.1275 },
  { id: 'berlin', name: 'Berlin', jurisdiction: 'DE', latitude: 52.52, longitude: 13.405 },
  { id: 'sydney', name: 'Sydney', jurisdiction: 'AU-NSW', latitude: -33.8688, longitude: 151.2093 },
] as const;
export type City = (typeof CITIES)[number];

/** The city at these coordinates (to 3 decimals), if it is one of ours. */
export function cityAt(latitude: string | number | undefined, longitude: string | number | undefined): City | null {
  const la = Number(latitude);
  const lo = Number(longitude);
  if (latitude === undefined || longitude === undefined || latitude === '' || longitude === '' || !Number.isFinite(la) || !Number.isFinite(lo)) return null;
  return CITIES.find((c) => Math.abs(c.latitude - la) < 0.001 && Math.abs(c.longitude - lo) < 0.001) ?? null;
}

// --- amounts as people type them -----------------------------------------------------------------

const MAX_CENTS = 100_000_000; // the server's limit: a million dollars

/**
 * Dollars as typed ("30", "12.50", "$1,200") → cents. undefined: left empty; null: not an amount
 * (negative, more than two decimals, or above the server's limit).
 */
export function dollarsToCents(text: string): number | null | undefined {
  const s = text.trim().replace(/^\$\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (s === '') return undefined;
  const m = /^(\d*)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m || (m[1] === '' && m[2] === undefined)) return null;
  const cents = Number(m[1] || '0') * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) && cents <= MAX_CENTS ? cents : null;
}

/** Cents → dollars for a form field: 5000 → "50", 1250 → "12.50". */
export function centsToDollars(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0')}`;
}

/** A percentage as typed ("20", "12.5") → basis points; undefined: empty; null: not 0–100 with ≤ 2 decimals. */
export function percentToBp(text: string): number | null | undefined {
  const s = text.trim().replace(/\s*%$/, '');
  if (s === '') return undefined;
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0') || '0');
  return bp <= 10_000 ? bp : null;
}

/** Basis points → a percentage for a form field: 2000 → "20", 1250 → "12.5". */
export function bpToPercent(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '';
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** A decimal number as typed, or undefined (empty) / null (not a number). Accepts a decimal comma. */
export function parseNumber(text: string): number | null | undefined {
  const s = text.trim().replace(',', '.');
  if (s === '') return undefined;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  return Number(s);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export function isDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// --- the console's form --------------------------------------------------------------------------

export interface StopForm {
  /** Stable across adds and removals (list keys, ids of its fields). */
  key: number;
  from: string;
  to: string;
  jurisdiction: string;
  latitude: string;
  longitude: string;
}

export interface MatchForm {
  care_types: string[];
  age: string;
  format: string;
  tags: string[];
  jurisdiction: string;
  latitude: string;
  longitude: string;
  mode: Mode;
  max_km: string;
  languages: string[];
  first_session: string;
  sessions: string;
  require_opening: boolean;
  itinerary: StopForm[];
  carrier: string;
  plan: string;
  /** '' = no insurance information (sent as `insurance: null`). */
  plan_type: PlanType | '';
  network: Network;
  deductible: string;
  copay: string;
  copay_before_deductible: boolean;
  coinsurance: string;
  out_of_pocket: string;
  budget: string;
  sliding_scale: boolean;
}

const num = (v: number | undefined) => (v === undefined || v === null ? '' : String(v));

let stopKeys = 0;
export function newStop(over: Partial<StopForm> = {}): StopForm {
  stopKeys += 1;
  return { key: stopKeys, from: '', to: '', jurisdiction: '', latitude: '', longitude: '', ...over };
}

/**
 * The form for the query the server ran. `prev` (the form as it was sent) keeps the carrier and
 * plan as they were typed: the server answers them lower-cased, as it matches them.
 */
export function formFromQuery(q: MatchQuery, prev?: MatchForm | null): MatchForm {
  const ins = q.insurance;
  const same = (typed: string | undefined, echoed: string | undefined) =>
    typed !== undefined && echoed !== undefined && typed.trim().toLowerCase() === echoed.trim().toLowerCase();
  const carrier = ins?.carrier ?? '';
  const plan = ins?.plan ?? '';
  return {
    care_types: [...q.care_types],
    age: q.age ?? '',
    format: q.format ?? '',
    tags: [...(q.prefer?.tags ?? [])],
    jurisdiction: q.location?.jurisdiction ?? '',
    latitude: num(q.location?.latitude),
    longitude: num(q.location?.longitude),
    mode: (MODES as readonly string[]).includes(q.mode) ? q.mode : 'either',
    max_km: num(q.max_km),
    languages: [...q.languages],
    first_session: q.first_session ?? '',
    sessions: num(q.sessions),
    require_opening: q.require_opening !== false,
    itinerary: (q.itinerary ?? []).map((s) =>
      newStop({ from: s.from, to: s.to, jurisdiction: s.jurisdiction, latitude: num(s.latitude), longitude: num(s.longitude) }),
    ),
    carrier: prev && same(prev.carrier, carrier) ? prev.carrier : carrier,
    plan: prev && same(prev.plan, plan) ? prev.plan : plan,
    plan_type: ins ? (ins.plan_type ?? 'unknown') : '',
    network: ins?.network ?? 'unknown',
    deductible: centsToDollars(ins?.deductible_remaining_cents),
    copay: centsToDollars(ins?.copay_cents),
    copay_before_deductible: ins?.copay_before_deductible ?? true,
    coinsurance: bpToPercent(ins?.coinsurance_bp),
    out_of_pocket: centsToDollars(ins?.out_of_pocket_remaining_cents),
    budget: centsToDollars(q.budget_cents),
    sliding_scale: !!q.sliding_scale,
  };
}

/** Field keys are the JSON Pointers of the body ("/insurance/copay_cents" → "insurance.copay_cents"). */
export function stopField(i: number, name: keyof TourStop): string {
  return `itinerary.${i}.${name}`;
}

/** Every field key of the form, in the order the form shows them (for the error summary). */
export function formFieldOrder(form: MatchForm): string[] {
  return [
    'care_types',
    'age',
    'format',
    'prefer.tags',
    'location.jurisdiction',
    'location.latitude',
    'location.longitude',
    'mode',
    'max_km',
    'languages',
    'first_session',
    'sessions',
    'require_opening',
    'itinerary',
    ...form.itinerary.flatMap((_, i) => (['from', 'to', 'jurisdiction', 'latitude', 'longitude'] as const).map((f) => stopField(i, f))),
    'insurance.carrier',
    'insurance.plan',
    'insurance.plan_type',
    'insurance.network',
    'insurance.deductible_remaining_cents',
    'insurance.copay_cents',
    'insurance.copay_before_deductible',
    'insurance.coinsurance_bp',
    'insurance.out_of_pocket_remaining_cents',
    'insurance',
    'budget_cents',
    'sliding_scale',
  ];
}

export type FieldKeys = Record<string, MatchKey[]>;

export interface BuildOptions {
  /** The case's own query has a plan (carrier): leaving out the carrier would keep it. */
  casePlan: boolean;
}

/**
 * The request body for the form: only what the form holds, in the MatchQuery shape. Amounts are
 * typed in dollars and sent in cents, coinsurance typed in % and sent in basis points. Returns the
 * problems (catalog keys per field key) instead when something typed is not a value.
 */
export function buildBody(form: MatchForm, opts: BuildOptions): { body: MatchQueryBody; errors: null } | { body: null; errors: FieldKeys } {
  const errors: FieldKeys = {};
  const fail = (key: string, msg: MatchKey) => (errors[key] ??= []).push(msg);
  const body: MatchQueryBody = {};

  body.care_types = [...form.care_types];
  body.age = form.age;
  body.format = form.format;
  body.prefer = { tags: [...form.tags] };

  const jurisdiction = form.jurisdiction.trim().toUpperCase();
  if (jurisdiction === '') fail('location.jurisdiction', 'err.jurisdiction');
  const location: Partial<Place> = { jurisdiction };
  const point = (latText: string, lonText: string, latKey: string, lonKey: string): { latitude: number; longitude: number } | null => {
    const la = parseNumber(latText);
    const lo = parseNumber(lonText);
    if (la === null || (la !== undefined && (la < -90 || la > 90))) fail(latKey, 'err.latitude');
    if (lo === null || (lo !== undefined && (lo < -180 || lo > 180))) fail(lonKey, 'err.longitude');
    const laOk = typeof la === 'number' && la >= -90 && la <= 90;
    const loOk = typeof lo === 'number' && lo >= -180 && lo <= 180;
    if (la === undefined && loOk) fail(latKey, 'err.pair');
    if (lo === undefined && laOk) fail(lonKey, 'err.pair');
    return typeof la === 'number' && typeof lo === 'number' ? { latitude: la, longitude: lo } : null;
  };
  const here = point(form.latitude, form.longitude, 'location.latitude', 'location.longitude');
  if (here) Object.assign(location, here);
  body.location = location;

  body.mode = form.mode;
  const km = parseNumber(form.max_km);
  if (km === undefined) {
    // left empty: the server's default (or the case's)
  } else if (km === null || km < 0.1 || km > 500) fail('max_km', 'err.km');
  else body.max_km = km;
  body.languages = [...form.languages];

  if (form.first_session.trim() !== '') {
    if (isDay(form.first_session.trim())) body.first_session = form.first_session.trim();
    else fail('first_session', 'err.date');
  }
  const sessions = form.sessions.trim();
  if (sessions !== '') {
    const n = /^\d+$/.test(sessions) ? Number(sessions) : NaN;
    if (!(n >= 1 && n <= 52)) fail('sessions', 'err.sessions');
    else body.sessions = n;
  }
  body.require_opening = form.require_opening;

  body.itinerary = form.itinerary.map((s, i) => {
    const stop: TourStop = { from: s.from.trim(), to: s.to.trim(), jurisdiction: s.jurisdiction.trim().toUpperCase() };
    if (!isDay(stop.from)) fail(stopField(i, 'from'), 'err.date');
    if (!isDay(stop.to)) fail(stopField(i, 'to'), 'err.date');
    else if (isDay(stop.from) && stop.to < stop.from) fail(stopField(i, 'to'), 'err.stopOrder');
    if (stop.jurisdiction === '') fail(stopField(i, 'jurisdiction'), 'err.jurisdiction');
    const p = point(s.latitude, s.longitude, stopField(i, 'latitude'), stopField(i, 'longitude'));
    if (p) Object.assign(stop, p);
    return stop;
  });

  // Money: dollars → cents; coinsurance: % → basis points.
  const money = (text: string, key: string): number | undefined => {
    const v = dollarsToCents(text);
    if (v === null) fail(key, 'err.money');
    return v ?? undefined;
  };
  const deductible = money(form.deductible, 'insurance.deductible_remaining_cents');
  const copay = money(form.copay, 'insurance.copay_cents');
  const oop = money(form.out_of_pocket, 'insurance.out_of_pocket_remaining_cents');
  const coinsurance = percentToBp(form.coinsurance);
  if (coinsurance === null) fail('insurance.coinsurance_bp', 'err.percent');
  const budget = money(form.budget, 'budget_cents');

  const carrier = form.carrier.trim();
  const plan = form.plan.trim();
  const hasPlan = carrier !== '' || plan !== '';
  const facts: InsuranceQuery = {};
  if (form.plan_type !== '') facts.plan_type = form.plan_type;
  if (form.network !== 'unknown') facts.network = form.network;
  if (deductible !== undefined) facts.deductible_remaining_cents = deductible;
  if (copay !== undefined) facts.copay_cents = copay;
  if (typeof coinsurance === 'number') facts.coinsurance_bp = coinsurance;
  if (oop !== undefined) facts.out_of_pocket_remaining_cents = oop;
  const anyFact = Object.keys(facts).length > 0;
  if (!hasPlan && (!anyFact || opts.casePlan)) {
    // Nothing known, or the case's plan taken away: the server has no way to drop a plan but
    // keep the facts (an empty carrier is a plan that matches nothing), so none of it is sent.
    body.insurance = null;
  } else {
    const ins: InsuranceQuery = {};
    if (hasPlan) {
      ins.carrier = carrier;
      ins.plan = plan;
    }
    ins.plan_type = facts.plan_type ?? 'unknown';
    ins.network = form.network;
    Object.assign(ins, facts);
    ins.copay_before_deductible = form.copay_before_deductible;
    body.insurance = ins;
  }
  if (budget !== undefined) body.budget_cents = budget;
  body.sliding_scale = form.sliding_scale;

  return Object.keys(errors).length ? { body: null, errors } : { body, errors: null };
}

/** The constraints a relaxation button can loosen, each as docs/matching.md says. */
export function canRelax(r: Relaxation): boolean {
  return relaxBody({ max_km: 40 }, r, { casePlan: false }) !== null;
}

/**
 * `body` with one constraint relaxed, as the server counted it: language any (languages []),
 * payment any (no carrier/plan, no budget), distance doubled (max 500 km), mode either,
 * waitlists too (require_opening false), age/format any (""), care type any (care_types []).
 * null for a constraint this client does not know.
 */
export function relaxBody(body: MatchQueryBody, r: Relaxation, opts: BuildOptions, defaultKm = 40): MatchQueryBody | null {
  const out: MatchQueryBody = structuredClone(body);
  switch (r.constraint) {
    case 'language':
      out.languages = [];
      return out;
    case 'payment': {
      delete out.budget_cents;
      const ins = out.insurance;
      if (ins && (ins.carrier !== undefined || ins.plan !== undefined || opts.casePlan)) {
        const { carrier: _c, plan: _p, ...facts } = ins;
        void _c;
        void _p;
        // Leaving the carrier out keeps the case's plan; only null removes it (facts and all).
        out.insurance = opts.casePlan ? null : facts;
      } else if (ins === undefined && opts.casePlan) {
        out.insurance = null;
      }
      return out;
    }
    case 'distance':
      out.max_km = Math.min(500, (out.max_km ?? defaultKm) * 2);
      return out;
    case 'mode':
      out.mode = 'either';
      return out;
    case 'opening':
      out.require_opening = false;
      return out;
    case 'age':
      out.age = '';
      return out;
    case 'format':
      out.format = '';
      return out;
    case 'care_type':
      out.care_types = [];
      return out;
    default:
      return null;
  }
}

// --- the public finder ---------------------------------------------------------------------------

export interface FinderForm {
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** ISO 3166-2 where the country has them in our list, else '' */
  region: string;
  /** a CITIES id or '' */
  city: string;
  /** a care_type: code or '' (any) */
  care_type: string;
  language: string;
  mode: Mode;
  /** km for in person; '' = the server's default (40) */
  max_km: string;
  carrier: string;
  plan: string;
  budget: string;
}

export const EMPTY_FINDER: FinderForm = { country: 'US', region: '', city: '', care_type: '', language: '', mode: 'either', max_km: '', carrier: '', plan: '', budget: '' };

/** The form for a page address (`?jurisdiction=US-NY&care_type=individual-therapy…`). */
export function finderFormFromSearch(search: string): FinderForm {
  const q = new URLSearchParams(search);
  const form: FinderForm = { ...EMPTY_FINDER };
  const j = (q.get('jurisdiction') ?? '').trim().toUpperCase();
  if (j) {
    form.country = j.slice(0, 2);
    form.region = j.length > 2 ? j : '';
  }
  const city = cityAt(q.get('latitude') ?? undefined, q.get('longitude') ?? undefined);
  if (city) form.city = city.id;
  const care = (q.get('care_type') ?? '').trim();
  if (care) form.care_type = care.includes(':') ? care : `care_type:${care}`;
  form.language = (q.get('language') ?? '').trim();
  const mode = q.get('mode');
  if (mode && (MODES as readonly string[]).includes(mode)) form.mode = mode as Mode;
  const km = parseNumber(q.get('max_km') ?? '');
  if (typeof km === 'number' && km > 0 && km <= 500) form.max_km = String(km);
  form.carrier = q.get('carrier') ?? '';
  form.plan = q.get('plan') ?? '';
  const budget = q.get('budget_cents');
  if (budget && /^\d+$/.test(budget)) form.budget = centsToDollars(Number(budget));
  return form;
}

export function finderJurisdiction(form: FinderForm): string {
  return (form.region || form.country).trim().toUpperCase();
}

/**
 * The finder's query string for the form, in the API's own parameter names (the page address and
 * the GET /api/v1/finder request use the same string). Only non-empty values; a care type without
 * its "care_type:" prefix so the address reads well.
 */
export function finderParams(form: FinderForm): { params: URLSearchParams; errors: FieldKeys | null } {
  const errors: FieldKeys = {};
  const p = new URLSearchParams();
  const jurisdiction = finderJurisdiction(form);
  if (!jurisdiction) errors.jurisdiction = ['finder.err.where'];
  else p.set('jurisdiction', jurisdiction);
  const city = CITIES.find((c) => c.id === form.city);
  if (city) {
    p.set('latitude', String(city.latitude));
    p.set('longitude', String(city.longitude));
  }
  if (form.care_type) p.set('care_type', form.care_type.replace(/^care_type:/, ''));
  if (form.language) p.set('language', form.language);
  if (form.mode !== 'either') p.set('mode', form.mode);
  if (form.max_km && form.mode !== 'telehealth') p.set('max_km', form.max_km);
  if (form.carrier.trim()) p.set('carrier', form.carrier.trim());
  if (form.plan.trim()) p.set('plan', form.plan.trim());
  const budget = dollarsToCents(form.budget);
  if (budget === null) errors.budget_cents = ['err.money'];
  else if (budget !== undefined) p.set('budget_cents', String(budget));
  return { params: p, errors: Object.keys(errors).length ? errors : null };
}

/** The finder's parameters with one constraint relaxed, or null when the finder cannot say it. */
export function relaxFinderParams(params: URLSearchParams, r: Relaxation): URLSearchParams | null {
  const p = new URLSearchParams(params);
  switch (r.constraint) {
    case 'language':
      p.delete('language');
      return p;
    case 'payment':
      p.delete('carrier');
      p.delete('plan');
      p.delete('budget_cents');
      return p;
    case 'distance':
      p.set('max_km', String(Math.min(500, Number(p.get('max_km') ?? 40) * 2)));
      return p;
    case 'mode':
      p.delete('mode');
      return p;
    case 'care_type':
      p.delete('care_type');
      return p;
    default:
      return null; // opening, age, format: not finder parameters
  }
}
