// Cases as the console shows them: the API's shapes, the words for their codes, the SLA timer
// for first contact, the queue's order, the status steps and what changed between two
// versions. Pure (no DOM, no fetch), so the rules are unit-tested.
import { countryName, regionName, timeZoneLabel } from './intake/regions';

export const CASE_STATUSES = ['new', 'contacted', 'assessing', 'planning', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseSummary {
  id: string;
  reference: string;
  status: CaseStatus | string;
  urgent: boolean;
  assigned_to: string | null;
  country: string;
  region: string;
  industry_role: string;
  requests: string[];
  src: string;
  created_at: string;
  first_contact_due_at: string;
  first_contact_at: string | null;
  version: number | string;
}

export interface CaseContact {
  email?: string;
  phone?: string;
  preferred?: string;
  voicemail_ok?: boolean;
  text_ok?: boolean;
  email_ok?: boolean;
}

/** The member's submitted intake, as they sent it (every part optional here: old or odd intakes must not break the page). */
export interface CaseIntake {
  for?: string;
  relationship?: string;
  preferred_name?: string;
  language?: string;
  industry_role?: string;
  location?: { country?: string; region?: string; city?: string; time_zone?: string };
  on_tour?: { now?: boolean; until?: string };
  requests?: string[];
  insurance?: { type?: string; carrier?: string; plan_name?: string; member_id?: string };
  household?: { size?: number; income_band?: string };
  preferences?: { language?: string; format?: string; provider_identity?: string; specialties?: string[] };
  src?: string;
}

export interface Screening {
  instrument: string;
  score: number | null;
  band: string;
  positive: boolean;
  risk: string;
  flags: string[];
}

export interface TimelineEvent {
  at: string;
  actor_id: string;
  type: string;
  detail: string;
}

export interface CaseDetail extends CaseSummary {
  person: { preferred_name: string; contact: CaseContact | null };
  intake: CaseIntake | null;
  screenings: Screening[];
  timeline: TimelineEvent[];
  /** Linked family cases (each opens only for those who may see it). */
  links?: Array<{ case_id: string; reference: string; relationship: string }>;
}

export interface CaseNote {
  id: string;
  version: number | string;
  body: string;
  author_id: string;
  created_at: string;
}

export interface CaseFilter {
  status: string;
  urgentOnly: boolean;
}

// --- words for codes ---------------------------------------------------------------------

const STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  assessing: 'Assessing',
  planning: 'Planning',
  active: 'Active',
  closed: 'Closed',
};

const REQUEST_LABELS: Record<string, string> = {
  therapy: 'Therapy',
  psychiatry: 'Psychiatry',
  substance_use: 'Substance use',
  financial_help: 'Financial help',
  wellness: 'Wellness',
  not_sure: 'Not sure yet',
};

const ROLE_LABELS: Record<string, string> = {
  artist: 'Artist',
  touring_crew: 'Touring crew',
  tour_or_production_manager: 'Tour or production manager',
  venue_or_festival_staff: 'Venue or festival staff',
  label_agency_management: 'Label, agency or management',
  photographer_videographer: 'Photographer or videographer',
  driver: 'Driver',
  other: 'Other',
  family_member: 'Family member',
};

const INSURANCE_LABELS: Record<string, string> = {
  none: 'No insurance',
  employer: 'Through an employer',
  marketplace: 'Marketplace plan',
  medicaid: 'Medicaid',
  medicare: 'Medicare',
  union: 'Union plan',
  other: 'Other',
};

const CONTACT_METHOD_LABELS: Record<string, string> = { phone: 'Phone call', text: 'Text message', email: 'Email' };

const RELATIONSHIP_LABELS: Record<string, string> = {
  partner: 'partner or spouse',
  parent: 'parent',
  child: 'child',
  sibling: 'brother or sister',
  friend: 'friend',
  other: 'someone else',
};

const INSTRUMENT_LABELS: Record<string, string> = {
  phq2: 'PHQ-2',
  phq9: 'PHQ-9',
  gad2: 'GAD-2',
  gad7: 'GAD-7',
  auditc: 'AUDIT-C',
  dast10: 'DAST-10',
  pcptsd5: 'PC-PTSD-5',
  cssrs: 'C-SSRS',
  who5: 'WHO-5',
};

/** Flags a case manager must act on today: shown first, in the danger style. */
export const SAFETY_FLAGS: ReadonlySet<string> = new Set([
  'safety_item9',
  'cssrs_q1',
  'cssrs_q2',
  'cssrs_q3',
  'cssrs_q4',
  'cssrs_q5',
  'cssrs_q6',
  'cssrs_q6_past_3_months',
]);

const FLAG_LABELS: Record<string, string> = {
  safety_item9: 'PHQ-9 item 9 answered: thoughts of being better off dead or of self-harm',
  cssrs_q1: 'C-SSRS 1: wish to be dead (past month)',
  cssrs_q2: 'C-SSRS 2: suicidal thoughts (past month)',
  cssrs_q3: 'C-SSRS 3: thoughts with a method (past month)',
  cssrs_q4: 'C-SSRS 4: intent to act, without a plan (past month)',
  cssrs_q5: 'C-SSRS 5: a plan with intent (past month)',
  cssrs_q6: 'C-SSRS 6: suicidal behaviour (lifetime)',
  cssrs_q6_past_3_months: 'C-SSRS 6: suicidal behaviour within the past 3 months',
  all_points_from_q1: 'AUDIT-C: all points from question 1 (how often they drink)',
  daily_heavy_drinking: 'AUDIT-C: six or more drinks daily or almost daily',
  no_trauma_exposure: 'PC-PTSD-5: no trauma exposure reported',
  poor_wellbeing: 'WHO-5: poor wellbeing',
  likely_depression: 'WHO-5: likely depression',
  low_item: 'WHO-5: an item answered 0 or 1',
};

const INCOME_LABELS: Record<string, string> = {
  under_25k: 'Under $25,000',
  '25k_50k': '$25,000 to $50,000',
  '50k_75k': '$50,000 to $75,000',
  '75k_100k': '$75,000 to $100,000',
  '100k_150k': '$100,000 to $150,000',
  over_150k: 'Over $150,000',
  prefer_not_to_say: 'Prefers not to say',
};

const FORMAT_LABELS: Record<string, string> = { telehealth: 'Telehealth', in_person: 'In person', either: 'Either' };

const SPECIALTY_LABELS: Record<string, string> = {
  trauma_informed: 'Trauma-informed',
  music_industry: 'Knows the music industry',
  lgbtq_affirming: 'LGBTQ+ affirming',
};

/** "moderately_severe" → "Moderately severe": the fallback for codes we have no words for. */
export function humanize(code: string): string {
  const s = code.replace(/_/g, ' ').trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : '';
}

const label = (table: Record<string, string>, code: string | undefined | null) => (code ? (table[code] ?? humanize(code)) : '');

export const statusLabel = (s: string) => label(STATUS_LABELS, s);
export const requestLabel = (r: string) => label(REQUEST_LABELS, r);
export const industryRoleLabel = (r: string) => label(ROLE_LABELS, r);
export const insuranceLabel = (t: string) => label(INSURANCE_LABELS, t);
export const contactMethodLabel = (m: string) => label(CONTACT_METHOD_LABELS, m);
export const relationshipLabel = (r: string) => label(RELATIONSHIP_LABELS, r);
export const instrumentLabel = (i: string) => (INSTRUMENT_LABELS[i] ?? i.toUpperCase());
export const bandLabel = (b: string) => humanize(b);
export const flagLabel = (f: string) => label(FLAG_LABELS, f);
export const incomeLabel = (b: string) => label(INCOME_LABELS, b);
export const formatLabel = (f: string) => label(FORMAT_LABELS, f);
export const specialtyLabel = (s: string) => label(SPECIALTY_LABELS, s);
export { timeZoneLabel };

/** "Tennessee, US"; the country's name when there is no region. */
export function placeLabel(country: string, region: string): string {
  if (region) {
    const name = regionName(region);
    return name === region ? region : `${name}, ${country || region.slice(0, 2)}`;
  }
  return country ? countryName(country, 'en') : '—';
}

export function languageLabel(code: string | undefined): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

// --- durations and the SLA timer -----------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A short, readable length of time: "45 min", "2 h 5 min", "3 d 4 h". Under a minute is "under 1 min". */
export function formatDuration(ms: number): string {
  const m = Math.floor(Math.abs(ms) / MINUTE);
  if (m < 1) return 'under 1 min';
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** How long ago a case came in, coarse: "just now", "12 min", "3 h", "2 d". */
export function ageText(createdAt: string, now: number): string {
  const t = Date.parse(createdAt);
  if (Number.isNaN(t)) return '—';
  const ms = Math.max(0, now - t);
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

export type SlaLevel = 'contacted' | 'ok' | 'soon' | 'overdue' | 'unknown';

export interface SlaState {
  level: SlaLevel;
  /** Milliseconds until due (negative when overdue); null when contacted or unknown. */
  remainingMs: number | null;
  /** What to show: text carries the meaning, colour only repeats it. */
  text: string;
}

/**
 * Time to first contact. Due at `first_contact_due_at`; "soon" (amber) in the last quarter of
 * the window from `created_at`, "overdue" (red) from the due time; "contacted" once
 * `first_contact_at` is set, whatever the clock says.
 */
export function slaState(c: Pick<CaseSummary, 'created_at' | 'first_contact_due_at' | 'first_contact_at'>, now: number): SlaState {
  if (c.first_contact_at) {
    const at = Date.parse(c.first_contact_at);
    const due = Date.parse(c.first_contact_due_at);
    const late = !Number.isNaN(at) && !Number.isNaN(due) && at > due;
    return { level: 'contacted', remainingMs: null, text: late ? 'Contacted (late)' : 'Contacted' };
  }
  const due = Date.parse(c.first_contact_due_at);
  if (Number.isNaN(due)) return { level: 'unknown', remainingMs: null, text: 'No due time' };
  const remaining = due - now;
  if (remaining <= 0) return { level: 'overdue', remainingMs: remaining, text: `Overdue by ${formatDuration(remaining)}` };
  const created = Date.parse(c.created_at);
  const window = Number.isNaN(created) ? 0 : due - created;
  const soon = window > 0 ? remaining <= window / 4 : false;
  return { level: soon ? 'soon' : 'ok', remainingMs: remaining, text: soon ? `Due soon: ${formatDuration(remaining)} left` : `${formatDuration(remaining)} left` };
}

// --- the queue ------------------------------------------------------------------------------

/** The queue's order: urgent first, then the oldest; ties by id so the order never jumps. */
export function compareQueue(a: CaseSummary, b: CaseSummary): number {
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Merges a new page into what is shown (a case seen again replaces the old copy) and sorts. */
export function mergeQueue(shown: readonly CaseSummary[], page: readonly CaseSummary[]): CaseSummary[] {
  const byId = new Map(shown.map((c) => [c.id, c]));
  for (const c of page) byId.set(c.id, c);
  return [...byId.values()].sort(compareQueue);
}

export function sortQueue(items: readonly CaseSummary[]): CaseSummary[] {
  return [...items].sort(compareQueue);
}

/** The whole queue's counts from the server (of the cases this user may see), whatever page is shown. */
export interface QueueTotals {
  open: number;
  urgent_open: number;
  by_status: Record<string, number>;
}

export function queueCounts(items: readonly CaseSummary[]): { shown: number; urgent: number } {
  return { shown: items.length, urgent: items.filter((c) => c.urgent).length };
}

export type Assignee = 'me' | 'unassigned' | 'someone';

export function assignee(c: Pick<CaseSummary, 'assigned_to'>, meId: string): Assignee {
  if (!c.assigned_to) return 'unassigned';
  return c.assigned_to === meId ? 'me' : 'someone';
}

export const ASSIGNEE_LABELS: Record<Assignee, string> = { me: 'You', unassigned: 'Unassigned', someone: 'Someone else' };

/** The filter as query parameters for GET /cases (and for the page's own URL). */
export function filterFromSearch(search: string): CaseFilter {
  const q = new URLSearchParams(search);
  const status = q.get('status') ?? '';
  return { status: (CASE_STATUSES as readonly string[]).includes(status) ? status : '', urgentOnly: q.get('urgent') === 'true' };
}

export function searchFromFilter(f: CaseFilter): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.urgentOnly) q.set('urgent', 'true');
  const s = q.toString();
  return s ? `?${s}` : '';
}

// --- status steps ---------------------------------------------------------------------------

export interface StatusStep {
  to: CaseStatus;
  label: string;
  needsReason: boolean;
}

const NEXT_LABELS: Partial<Record<CaseStatus, string>> = {
  contacted: 'Mark as contacted',
  assessing: 'Start assessment',
  planning: 'Start planning',
  active: 'Mark as active',
};

/**
 * The next step forward (the server only moves forward), and whether closing or reopening is
 * offered. Supervisors may reopen a closed case (back to active), with a reason.
 */
export function statusSteps(status: string, role: string): { next: StatusStep | null; close: boolean; reopen: boolean } {
  const i = (CASE_STATUSES as readonly string[]).indexOf(status);
  if (status === 'closed') return { next: null, close: false, reopen: role === 'supervisor' };
  if (i < 0) return { next: null, close: false, reopen: false };
  const to = CASE_STATUSES[i + 1];
  const next = to && to !== 'closed' ? { to, label: NEXT_LABELS[to] ?? `Move to ${statusLabel(to)}`, needsReason: false } : null;
  return { next, close: true, reopen: false };
}

// --- what changed (a 412: someone else saved first) ---------------------------------------

export interface CaseChange {
  label: string;
  from: string;
  to: string;
}

/** The differences a person would care about between the version they had and the newest one. */
export function describeCaseChanges(before: CaseSummary, after: CaseSummary, meId: string): CaseChange[] {
  const out: CaseChange[] = [];
  if (before.status !== after.status) out.push({ label: 'Status', from: statusLabel(before.status), to: statusLabel(after.status) });
  if (before.assigned_to !== after.assigned_to) {
    out.push({ label: 'Assigned to', from: ASSIGNEE_LABELS[assignee(before, meId)], to: ASSIGNEE_LABELS[assignee(after, meId)] });
  }
  if (before.urgent !== after.urgent) out.push({ label: 'Urgent', from: before.urgent ? 'Yes' : 'No', to: after.urgent ? 'Yes' : 'No' });
  if (!before.first_contact_at && after.first_contact_at) out.push({ label: 'First contact', from: 'Not yet', to: 'Made' });
  return out;
}

// --- the timeline -----------------------------------------------------------------------------

/** One timeline entry in words. The API names people by id only, so staff are "you" or "someone else". */
export function timelineText(e: TimelineEvent, meId: string): { who: string; what: string } {
  const who = e.actor_id === 'anonymous' ? 'The member' : e.actor_id === meId ? 'You' : 'Someone else';
  switch (e.type) {
    case 'case.created': {
      const urgent = /(^|;\s*)urgent(;|$)/.test(e.detail);
      return { who, what: urgent ? 'sent the intake (marked urgent)' : 'sent the intake' };
    }
    case 'case.assigned': {
      if (e.detail === 'unassigned') return { who, what: 'unassigned the case' };
      const to = e.detail.replace(/^assigned to /, '');
      if (to === e.actor_id) return { who, what: 'took the case' };
      return { who, what: to === meId ? 'assigned the case to you' : 'assigned the case to someone else' };
    }
    case 'case.status':
      return { who, what: `changed the status to ${statusLabel(e.detail)}` };
    case 'case.note':
      return { who, what: 'added a note' };
    case 'care_plan.saved':
      return { who, what: `saved the care plan${/^version \d+$/.test(e.detail) ? ` (${e.detail})` : ''}` };
    case 'care_plan.signed_off':
      return { who, what: `signed off the care plan${/^version \d+$/.test(e.detail) ? ` (${e.detail})` : ''}` };
    case 'care_profile.saved':
      return { who, what: `saved the care profile${/^version \d+$/.test(e.detail) ? ` (${e.detail})` : ''}` };
    default:
      return { who, what: `${humanize(e.type.replace(/^case\./, ''))}${e.detail ? `: ${e.detail}` : ''}` };
  }
}

// --- the unsent note, kept in this tab ------------------------------------------------------

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const noteDraftKey = (caseId: string) => `soundcheck.case.${caseId}.note-draft`;

function tabStore(): KeyValueStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage blocked
  }
}

export function loadNoteDraft(caseId: string, store: KeyValueStore | null = tabStore()): string {
  try {
    return store?.getItem(noteDraftKey(caseId)) ?? '';
  } catch {
    return '';
  }
}

/** Keeps the text (or forgets it when empty). Storage may be full or blocked: never throws. */
export function saveNoteDraft(caseId: string, text: string, store: KeyValueStore | null = tabStore()): void {
  try {
    if (text.trim() === '') store?.removeItem(noteDraftKey(caseId));
    else store?.setItem(noteDraftKey(caseId), text);
  } catch {
    // a lost draft is a pity, not an error
  }
}

/** Who may work cases (the API answers 403 to everyone else). */
export function worksCases(role: string): boolean {
  return role === 'case_manager' || role === 'supervisor';
}
