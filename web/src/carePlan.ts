// Care plans (docs/matching.md, "Care plans"): the wire shapes of GET/PUT
// /api/v1/cases/{id}/plan, and the pure parts of the console's plan editor — the form made from a
// saved plan and the request body made back from the form (dollars → cents, with the problems
// keyed like the server's JSON Pointers, "/items/0/title" → "items.0.title"), a match added as a
// provider item, the duplicate check, and what someone else changed (for a 412).
// No I/O. The staff console's words are English here, as in cases.ts; what the member reads is
// in i18n/<lang>/web.json (member/plan.ts).
import { centsToDollars, dollarsToCents, isDay, type Match } from './matching';

// --- the wire ----------------------------------------------------------------------------------

export const ITEM_KINDS = ['provider', 'resource', 'event', 'financial_aid'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export const ITEM_STATUSES = ['proposed', 'agreed', 'in_progress', 'done', 'declined'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const PLAN_BASES = ['in_network', 'out_of_network', 'self_pay', 'sliding_scale', 'free', 'covered', 'other'] as const;
export type PlanBasis = (typeof PLAN_BASES)[number];

export const COST_PER = ['session', 'month', 'once'] as const;
export type CostPer = (typeof COST_PER)[number];

export interface PlanGoal {
  id: string;
  text: string;
}

/**
 * The estimate recorded when the item was added, per session, month or once. A `high_cents` of
 * null means no upper limit is known ("from $40 per session").
 */
export interface ItemCost {
  low_cents: number;
  /** null: no upper limit is known (the estimate is "from" the low end). */
  high_cents: number | null;
  basis: PlanBasis | string;
  per?: CostPer | string;
}

/** What an item holds as text alike in the server's answer, the request body and the form. */
interface ItemTexts {
  kind: ItemKind | string;
  status: ItemStatus | string;
  title: string;
  service_id: string;
  goal_id: string;
  starts_on: string;
  fund_reference: string;
  for_member: string;
}

/** An item as the server answers it (staff: with `notes`; the member's plan has none). */
export interface PlanItem extends ItemTexts {
  id: string;
  sessions: number;
  cost: ItemCost | null;
  notes?: string;
}

export interface PlanVersionInfo {
  version: number;
  author_id: string;
  created_at: string;
  signed_off_at: string | null;
}

/** GET /api/v1/cases/{id}/plan (with `versions`), or one version (without). */
export interface CarePlan {
  case_id: string;
  /** 0: no plan yet. */
  version: number;
  author_id: string | null;
  created_at: string | null;
  signed_off_by: string | null;
  signed_off_at: string | null;
  /** An urgent case whose newest version is not signed off: the member does not see it yet. */
  needs_sign_off: boolean;
  goals: PlanGoal[];
  items: PlanItem[];
  versions?: PlanVersionInfo[];
}

export interface PlanItemBody extends ItemTexts {
  id?: string;
  sessions: number;
  cost: ItemCost | null;
  notes: string;
}

/** PUT /api/v1/cases/{id}/plan. */
export interface CarePlanRequest {
  goals: Array<{ id?: string; text: string }>;
  items: PlanItemBody[];
}

// --- words (the staff console) -------------------------------------------------------------------

export const KIND_LABELS: Record<ItemKind, string> = {
  provider: 'Provider',
  resource: 'Resource or support group',
  event: 'Event',
  financial_aid: 'Financial aid',
};

export const STATUS_LABELS: Record<ItemStatus, string> = {
  proposed: 'Proposed',
  agreed: 'Agreed',
  in_progress: 'In progress',
  done: 'Done',
  declined: 'Declined',
};

export const BASIS_LABELS: Record<PlanBasis, string> = {
  in_network: 'In network',
  out_of_network: 'Out of network',
  self_pay: 'Self-pay',
  sliding_scale: 'Sliding scale',
  free: 'Free',
  covered: 'Covered (nothing to pay)',
  other: 'Other',
};

export const PER_LABELS: Record<CostPer, string> = { session: 'Per session', month: 'Per month', once: 'Once' };

const label = <K extends string>(labels: Record<K, string>, v: string): string => (labels as Record<string, string>)[v] ?? v;
export const kindLabel = (v: string) => label(KIND_LABELS, v);
export const itemStatusLabel = (v: string) => label(STATUS_LABELS, v);
export const basisLabel = (v: string) => label(BASIS_LABELS, v);
export const perLabel = (v: string) => label(PER_LABELS, v);

// --- limits (the server's, domain/care_plans) ---------------------------------------------------

export const MAX_GOALS = 20;
export const MAX_ITEMS = 60;
export const MAX_TITLE = 200;
export const MAX_TEXT = 2000;
export const MAX_SESSIONS = 520;

// --- the form ------------------------------------------------------------------------------------

export interface GoalForm {
  /** Stable across adds and removals (list keys, ids of its fields). */
  key: number;
  /** The goal's id: kept from the server, or made here for a new goal so items can name it. */
  id: string;
  text: string;
}

export interface ItemForm extends ItemTexts {
  key: number;
  /** '' for a new item: the server gives it one. */
  id: string;
  sessions: string;
  /** Dollars as typed. */
  low: string;
  high: string;
  /** No upper limit known: the estimate is "from" the low end (the high end is not asked). */
  open_high: boolean;
  /** '' = no estimate chosen. */
  basis: string;
  per: string;
  notes: string;
}

export interface PlanForm {
  goals: GoalForm[];
  items: ItemForm[];
}

let keys = 0;
const nextKey = () => ++keys;

/** A new goal's id (the server accepts any unique text; items name goals by it in the same save). */
export function newGoalId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `goal-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function newGoal(over: Partial<GoalForm> = {}): GoalForm {
  return { key: nextKey(), id: newGoalId(), text: '', ...over };
}

export function newItem(over: Partial<ItemForm> = {}): ItemForm {
  return {
    key: nextKey(),
    id: '',
    kind: 'provider',
    status: 'proposed',
    title: '',
    service_id: '',
    goal_id: '',
    starts_on: '',
    sessions: '',
    low: '',
    high: '',
    open_high: false,
    basis: '',
    per: 'session',
    fund_reference: '',
    notes: '',
    for_member: '',
    ...over,
  };
}

export function itemToForm(i: PlanItem): ItemForm {
  const open = !!i.cost && i.cost.high_cents === null;
  return newItem({
    id: i.id ?? '',
    kind: i.kind,
    status: i.status,
    title: i.title ?? '',
    service_id: i.service_id ?? '',
    goal_id: i.goal_id ?? '',
    starts_on: i.starts_on ?? '',
    sessions: i.sessions ? String(i.sessions) : '',
    low: i.cost ? centsToDollars(i.cost.low_cents) : '',
    high: i.cost ? centsToDollars(i.cost.high_cents) : '',
    open_high: open,
    basis: i.cost?.basis ?? '',
    per: i.cost?.per || 'session',
    fund_reference: i.fund_reference ?? '',
    notes: i.notes ?? '',
    for_member: i.for_member ?? '',
  });
}

/** The form for a saved plan (version 0: empty). */
export function planToForm(plan: Pick<CarePlan, 'goals' | 'items'>): PlanForm {
  return {
    goals: plan.goals.map((g) => newGoal({ id: g.id, text: g.text })),
    items: plan.items.map(itemToForm),
  };
}

/** Field keys are the body's JSON Pointers with dots ("/items/0/cost/low_cents" → "items.0.cost.low_cents"). */
export const goalField = (i: number, name: 'text') => `goals.${i}.${name}`;
export type ItemFieldName =
  | 'kind'
  | 'status'
  | 'title'
  | 'goal_id'
  | 'service_id'
  | 'starts_on'
  | 'sessions'
  | 'cost.low_cents'
  | 'cost.high_cents'
  | 'cost.open_high'
  | 'cost.basis'
  | 'cost.per'
  | 'fund_reference'
  | 'notes'
  | 'for_member';
export const itemField = (i: number, name: ItemFieldName) => `items.${i}.${name}`;

const ITEM_FIELDS: ItemFieldName[] = [
  'kind',
  'status',
  'title',
  'goal_id',
  'service_id',
  'starts_on',
  'sessions',
  'cost.low_cents',
  'cost.high_cents',
  'cost.open_high',
  'cost.basis',
  'cost.per',
  'fund_reference',
  'notes',
  'for_member',
];

/** Every field key of the form, in the order the form shows them (for the error summary). */
export function planFieldOrder(form: PlanForm): string[] {
  return ['goals', ...form.goals.map((_, i) => goalField(i, 'text')), 'items', ...form.items.flatMap((_, i) => ITEM_FIELDS.map((f) => itemField(i, f)))];
}

export type PlanErrors = Record<string, string[]>;

const tooLong = (n: number) => `At most ${n.toLocaleString('en-US')} characters`;

/**
 * The request body for the form, in the order the form shows goals and items (so the server's
 * "/items/2/title" is the third item on screen). Amounts are typed in dollars and sent in cents;
 * an item with no amounts has no estimate (`cost: null`); a fixed amount may leave the high end
 * empty; "no upper limit known" sends the high end as null. Returns the problems per
 * field key instead when something typed is not a value.
 */
export function formToBody(form: PlanForm): { body: CarePlanRequest; errors: null } | { body: null; errors: PlanErrors } {
  const errors: PlanErrors = {};
  const fail = (key: string, msg: string) => (errors[key] ??= []).push(msg);
  if (form.goals.length > MAX_GOALS) fail('goals', `A plan has at most ${MAX_GOALS} goals`);
  if (form.items.length > MAX_ITEMS) fail('items', `A plan has at most ${MAX_ITEMS} items`);

  const goals = form.goals.map((g, i) => {
    const text = g.text.trim();
    if (text === '') fail(goalField(i, 'text'), 'Say what the goal is');
    else if (text.length > MAX_TEXT) fail(goalField(i, 'text'), tooLong(MAX_TEXT));
    return { id: g.id, text };
  });
  const goalIds = new Set(goals.map((g) => g.id));

  const items = form.items.map((f, i): PlanItemBody => {
    const at = (name: ItemFieldName) => itemField(i, name);
    const title = f.title.trim();
    if (title === '') fail(at('title'), 'Give the item a title');
    else if (title.length > MAX_TITLE) fail(at('title'), tooLong(MAX_TITLE));
    const startsOn = f.starts_on.trim();
    if (startsOn !== '' && !isDay(startsOn)) fail(at('starts_on'), 'Enter a real date, like 2026-12-01');
    const sessionsText = f.sessions.trim();
    let sessions = 0;
    if (sessionsText !== '') {
      if (/^\d+$/.test(sessionsText) && Number(sessionsText) <= MAX_SESSIONS) sessions = Number(sessionsText);
      else fail(at('sessions'), `Enter a whole number of sessions, 0 to ${MAX_SESSIONS}`);
    }
    const goalId = goalIds.has(f.goal_id) ? f.goal_id : '';

    // The estimate: none, a fixed amount (low only), a range, or from the low end with no upper
    // limit known (the high end is then not asked, whatever the box still holds).
    let cost: ItemCost | null = null;
    const low = dollarsToCents(f.low);
    const high = f.open_high ? undefined : dollarsToCents(f.high);
    if (low === null) fail(at('cost.low_cents'), 'Enter an amount in dollars, like 30 or 12.50');
    if (high === null) fail(at('cost.high_cents'), 'Enter an amount in dollars, like 30 or 12.50');
    if (low === undefined && f.open_high) fail(at('cost.low_cents'), 'Enter the lowest it may cost (0 if it may cost nothing)');
    else if (low === undefined && typeof high === 'number') fail(at('cost.low_cents'), 'Enter the low end of the estimate too (0 if it may cost nothing)');
    if (typeof low === 'number' && high !== null) {
      // No upper limit known: null. Else the high end typed, or the low end for a fixed amount.
      const hi = f.open_high ? null : (high ?? low);
      if (hi !== null && low > hi) fail(at('cost.low_cents'), 'The low estimate cannot be more than the high one');
      if (f.basis === '') fail(at('cost.basis'), 'Choose what the estimate is based on');
      cost = { low_cents: low, high_cents: hi, basis: f.basis, per: f.per || 'session' };
    }

    const notes = f.notes.trim();
    const forMember = f.for_member.trim();
    if (notes.length > MAX_TEXT) fail(at('notes'), tooLong(MAX_TEXT));
    if (forMember.length > MAX_TEXT) fail(at('for_member'), tooLong(MAX_TEXT));

    const item: PlanItemBody = {
      kind: f.kind,
      status: f.status,
      title,
      service_id: f.service_id.trim(),
      goal_id: goalId,
      starts_on: startsOn,
      sessions,
      cost,
      fund_reference: f.fund_reference.trim(),
      notes,
      for_member: forMember,
    };
    return f.id ? { id: f.id, ...item } : item;
  });

  return Object.keys(errors).length ? { body: null, errors } : { body: { goals, items }, errors: null };
}

/** A saved plan as a request body, unchanged (to save it again with one more item). */
export function planToRequest(plan: Pick<CarePlan, 'goals' | 'items'>): CarePlanRequest {
  return {
    goals: plan.goals.map((g) => ({ id: g.id, text: g.text })),
    items: plan.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      status: i.status,
      title: i.title,
      service_id: i.service_id,
      goal_id: i.goal_id,
      starts_on: i.starts_on,
      sessions: i.sessions,
      cost: i.cost ? { ...i.cost } : null,
      fund_reference: i.fund_reference,
      notes: i.notes ?? '',
      for_member: i.for_member,
    })),
  };
}

// --- a match as an item ------------------------------------------------------------------------------

const MATCH_BASES = new Set<string>(PLAN_BASES);

/**
 * "Add to plan" on a match: a proposed provider item naming the listing, its name as the title,
 * the member's estimated cost per session as the match worked it out (its basis), the series'
 * sessions and first date. A cost with no upper bound is recorded as what is known: its low end
 * (a sliding scale's minimum, say), and no upper limit (`high_cents: null`). With the fee
 * unknown and nothing else known (from $0, or a range the card calls "Cost unknown"), the item
 * has no estimate, and the staff note says why.
 */
export function itemFromMatch(m: Match): PlanItemBody {
  const c = m.cost;
  let cost: ItemCost | null = null;
  let notes = '';
  const basis = MATCH_BASES.has(m.cost_basis) ? m.cost_basis : 'other';
  const open = c.high_cents === null;
  if (c.fee_unknown && !(open && c.low_cents > 0)) notes = 'Added from Find care: the provider’s fee is not known, so there is no estimate yet.';
  else cost = { low_cents: c.low_cents, high_cents: c.high_cents, basis, per: 'session' };
  return {
    kind: 'provider',
    status: 'proposed',
    title: m.name.trim().slice(0, MAX_TITLE),
    service_id: m.service_id,
    goal_id: '',
    starts_on: m.dates[0]?.date ?? '',
    sessions: m.dates.length,
    cost,
    fund_reference: '',
    notes,
    for_member: '',
  };
}

/** The item already naming this listing, if any (one listing is added to a plan once). */
export function findServiceItem<T extends { service_id: string }>(items: readonly T[] | null | undefined, serviceId: string): T | null {
  if (!serviceId) return null;
  return items?.find((i) => i.service_id === serviceId) ?? null;
}

/** The plan with the match added, or null when the listing is already in it. */
export function addMatch(plan: Pick<CarePlan, 'goals' | 'items'>, m: Match): CarePlanRequest | null {
  if (findServiceItem(plan.items, m.service_id)) return null;
  const body = planToRequest(plan);
  body.items.push(itemFromMatch(m));
  return body;
}

// --- what changed (a 412: someone saved first) -----------------------------------------------------

const quote = (s: string) => `“${s.length > 60 ? s.slice(0, 59) + '…' : s}”`;

function costKey(c: ItemCost | null): string {
  return c ? `${c.low_cents}|${c.high_cents ?? 'open'}|${c.basis}|${c.per ?? 'session'}` : '';
}

/**
 * What `theirs` changed against `base` (the version we were editing), in words: goals and items
 * added, removed, or changed (and which of their fields). Items and goals are matched by id.
 */
export function planChanges(base: Pick<CarePlan, 'goals' | 'items'>, theirs: Pick<CarePlan, 'goals' | 'items'>): string[] {
  const out: string[] = [];
  const baseGoals = new Map(base.goals.map((g) => [g.id, g]));
  const theirGoals = new Map(theirs.goals.map((g) => [g.id, g]));
  for (const g of theirs.goals) {
    const before = baseGoals.get(g.id);
    if (!before) out.push(`Added the goal ${quote(g.text)}`);
    else if (before.text !== g.text) out.push(`Changed the goal ${quote(before.text)} to ${quote(g.text)}`);
  }
  for (const g of base.goals) if (!theirGoals.has(g.id)) out.push(`Removed the goal ${quote(g.text)}`);

  const baseItems = new Map(base.items.map((i) => [i.id, i]));
  const theirItems = new Map(theirs.items.map((i) => [i.id, i]));
  for (const i of theirs.items) {
    const before = baseItems.get(i.id);
    if (!before) {
      out.push(`Added the item ${quote(i.title)}`);
      continue;
    }
    const fields: string[] = [];
    if (before.title !== i.title) fields.push(`title (now ${quote(i.title)})`);
    if (before.kind !== i.kind) fields.push(`kind (${kindLabel(before.kind)} → ${kindLabel(i.kind)})`);
    if (before.status !== i.status) fields.push(`status (${itemStatusLabel(before.status)} → ${itemStatusLabel(i.status)})`);
    if (before.goal_id !== i.goal_id) fields.push('goal');
    if (before.service_id !== i.service_id) fields.push('listing');
    if (before.starts_on !== i.starts_on) fields.push('starts on');
    if (before.sessions !== i.sessions) fields.push('sessions');
    if (costKey(before.cost) !== costKey(i.cost)) fields.push('cost estimate');
    if (before.fund_reference !== i.fund_reference) fields.push('fund reference');
    if ((before.notes ?? '') !== (i.notes ?? '')) fields.push('staff notes');
    if (before.for_member !== i.for_member) fields.push('for the member');
    if (fields.length) out.push(`Changed ${quote(before.title)}: ${fields.join(', ')}`);
  }
  for (const i of base.items) if (!theirItems.has(i.id)) out.push(`Removed the item ${quote(i.title)}`);
  return out;
}

// --- grouping for display ---------------------------------------------------------------------------

export interface GoalGroup<I> {
  goal: PlanGoal | null;
  items: I[];
}

/** Items under their goals (in the goals' order), then those under no goal (or an unknown one). */
export function groupByGoal<I extends { goal_id: string }>(goals: readonly PlanGoal[], items: readonly I[]): GoalGroup<I>[] {
  const known = new Set(goals.map((g) => g.id));
  const groups: GoalGroup<I>[] = goals.map((g) => ({ goal: g, items: items.filter((i) => i.goal_id === g.id) }));
  const loose = items.filter((i) => !i.goal_id || !known.has(i.goal_id));
  if (loose.length) groups.push({ goal: null, items: loose });
  return groups;
}
