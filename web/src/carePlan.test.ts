import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  addMatch,
  findServiceItem,
  formToBody,
  groupByGoal,
  itemFromMatch,
  newGoal,
  newItem,
  planChanges,
  planFieldOrder,
  planToForm,
  planToRequest,
  type CarePlan,
  type ItemCost,
  type PlanForm,
} from './carePlan';
import { matchTranslator } from './i18n/matching';
import type { Match } from './matching';
import { planCostText } from './matchText';
import { therapyItem } from './testing/carePlan';

const plan = (over: Partial<CarePlan> = {}): CarePlan => ({
  case_id: 'c1',
  version: 2,
  author_id: 'u1',
  created_at: '2026-11-26T10:00:00Z',
  signed_off_by: null,
  signed_off_at: null,
  needs_sign_off: false,
  goals: [{ id: 'g-sleep', text: 'Sleep through the night on tour' }],
  items: [
    therapyItem(),
    {
      id: 'i2',
      kind: 'financial_aid',
      status: 'proposed',
      title: 'Ask the direct fund for the copays',
      service_id: '',
      goal_id: '',
      starts_on: '',
      sessions: 0,
      cost: null,
      fund_reference: 'FA-12',
      notes: '',
      for_member: '',
    },
  ],
  ...over,
});

const match = (over: Partial<Match> = {}): Match => ({
  service_id: '0195b000-0000-7000-8000-0000000000aa',
  name: 'Individual therapy with Demo Clinician 000005 (fictional), LMFT',
  organization_id: 'o1',
  score: 139,
  telehealth: true,
  distance_km: null,
  met: [],
  preferences: [],
  cost_basis: 'in_network',
  cost: {
    low_cents: 0,
    high_cents: 15000,
    after_aid_low_cents: 0,
    after_aid_high_cents: 15000,
    currency: 'USD',
    complete: false,
    fee_unknown: false,
    steps: [],
    used: [],
    unknown: [],
    assumed: [],
  },
  dates: [
    { date: '2026-12-03', jurisdiction: 'US-NY', covered: true },
    { date: '2026-12-10', jurisdiction: 'US-NY', covered: true },
    { date: '2026-12-17', jurisdiction: 'US-CA', covered: false },
  ],
  ...over,
});

describe('plan ⇄ form', () => {
  it('a saved plan round-trips through the form unchanged (ids kept, cents ⇄ dollars)', () => {
    const form = planToForm(plan());
    expect(form.items[0]).toMatchObject({ id: 'i1', low: '30', high: '30', basis: 'in_network', per: 'session', sessions: '8' });
    expect(form.items[1]).toMatchObject({ low: '', high: '', basis: '', sessions: '' });
    const built = formToBody(form);
    expect(built.errors).toBeNull();
    expect(built.body).toEqual(planToRequest(plan()));
  });

  it('dollars as typed become cents; a fixed amount may leave the high end empty; no amounts is no estimate', () => {
    const form: PlanForm = {
      goals: [],
      items: [
        newItem({ title: ' Therapy ', low: '$12.50', high: '1,200', basis: 'self_pay', per: 'month' }),
        newItem({ title: 'Copay', low: '30', basis: 'in_network' }),
        newItem({ title: 'Support group', kind: 'resource', basis: 'free' }),
      ],
    };
    const { body } = formToBody(form);
    expect(body!.items[0]).toMatchObject({ title: 'Therapy', cost: { low_cents: 1250, high_cents: 120000, basis: 'self_pay', per: 'month' } });
    expect(body!.items[1]!.cost).toEqual({ low_cents: 3000, high_cents: 3000, basis: 'in_network', per: 'session' });
    expect(body!.items[2]!.cost).toBeNull();
    expect('id' in body!.items[0]!).toBe(false); // new items get their id from the server
  });

  it('problems are keyed like the server’s JSON Pointers, in the form’s order', () => {
    const form: PlanForm = {
      goals: [newGoal({ text: '  ' })],
      items: [
        newItem({ title: 'Fine' }),
        newItem({ title: '', low: '50', high: '20', starts_on: '2026-02-30', sessions: '3.5' }),
        newItem({ title: 'x', low: 'abc', high: '10' }),
        newItem({ title: 'y', high: '10', basis: 'self_pay' }),
      ],
    };
    const built = formToBody(form);
    expect(built.body).toBeNull();
    expect(built.errors).toEqual({
      'goals.0.text': ['Say what the goal is'],
      'items.1.title': ['Give the item a title'],
      'items.1.starts_on': ['Enter a real date, like 2026-12-01'],
      'items.1.sessions': ['Enter a whole number of sessions, 0 to 520'],
      'items.1.cost.low_cents': ['The low estimate cannot be more than the high one'],
      'items.1.cost.basis': ['Choose what the estimate is based on'],
      'items.2.cost.low_cents': ['Enter an amount in dollars, like 30 or 12.50'],
      'items.3.cost.low_cents': ['Enter the low end of the estimate too (0 if it may cost nothing)'],
    });
    const order = planFieldOrder(form);
    expect(order.indexOf('goals.0.text')).toBeLessThan(order.indexOf('items.0.kind'));
    expect(order.indexOf('items.1.cost.low_cents')).toBeLessThan(order.indexOf('items.1.cost.basis'));
    expect(order).toContain('items.3.for_member');
  });

  it('new goals carry an id made here, so an item can name a goal saved with it; a removed goal leaves its items goal-less', () => {
    const g = newGoal({ text: 'Find a therapist who knows touring' });
    expect(g.id).not.toBe('');
    const form: PlanForm = { goals: [g], items: [newItem({ title: 'Therapy', goal_id: g.id }), newItem({ title: 'Other', goal_id: 'gone' })] };
    const { body } = formToBody(form);
    expect(body!.goals).toEqual([{ id: g.id, text: 'Find a therapist who knows touring' }]);
    expect(body!.items[0]!.goal_id).toBe(g.id);
    expect(body!.items[1]!.goal_id).toBe('');
  });
});

describe('a match as a plan item', () => {
  it('a proposed provider item: the listing, its name, the cost and basis per session, the series’ sessions and first date', () => {
    expect(itemFromMatch(match())).toEqual({
      kind: 'provider',
      status: 'proposed',
      title: 'Individual therapy with Demo Clinician 000005 (fictional), LMFT',
      service_id: '0195b000-0000-7000-8000-0000000000aa',
      goal_id: '',
      starts_on: '2026-12-03',
      sessions: 3,
      cost: { low_cents: 0, high_cents: 15000, basis: 'in_network', per: 'session' },
      fund_reference: '',
      notes: '',
      for_member: '',
    });
  });

  it('no estimate when the fee is unknown (the staff note says why); a long name is cut to 200', () => {
    const unknown = itemFromMatch(match({ cost: { ...match().cost, fee_unknown: true } }));
    expect(unknown.cost).toBeNull();
    expect(unknown.notes).toMatch(/fee is not known/);
    expect(itemFromMatch(match({ name: 'x'.repeat(300) })).title).toHaveLength(200);
    expect(itemFromMatch(match({ cost_basis: 'mystery' })).cost!.basis).toBe('other');
  });

  it('a cost with no upper bound is recorded as what is known: the low end, and no upper limit (null)', () => {
    expectTypeOf<ItemCost['high_cents']>().toEqualTypeOf<number | null>();
    const open = itemFromMatch(match({ cost_basis: 'out_of_network', cost: { ...match().cost, low_cents: 4000, high_cents: null, after_aid_high_cents: null } }));
    expect(open.cost).toEqual({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' });
    expect(open.notes).toBe('');
    // The fee unknown, but a sliding scale's minimum known: from that minimum.
    const sliding = itemFromMatch(match({ cost_basis: 'sliding_scale', cost: { ...match().cost, fee_unknown: true, low_cents: 4000, high_cents: null } }));
    expect(sliding.cost).toEqual({ low_cents: 4000, high_cents: null, basis: 'sliding_scale', per: 'session' });
    // The fee unknown and nothing else: from $0 says nothing, so no estimate (the note says why).
    const nothing = itemFromMatch(match({ cost: { ...match().cost, fee_unknown: true, low_cents: 0, high_cents: null } }));
    expect(nothing.cost).toBeNull();
    expect(nothing.notes).toMatch(/fee is not known/);
    const ctx = { t: matchTranslator('en'), lang: 'en' as const };
    expect(planCostText(open.cost, ctx)).toBe('from $40 per session (no upper limit known)');
  });

  it('no upper limit in the editor: a box ticked instead of a high end; saved and read back the same', () => {
    const saved = plan({ items: [therapyItem({ cost: { low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' } })] });
    const form = planToForm(saved);
    expect(form.items[0]).toMatchObject({ low: '40', high: '', open_high: true });
    expect(formToBody(form).body).toEqual(planToRequest(saved));
    expect(formToBody(form).body!.items[0]!.cost).toEqual({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' });
    // A real high end is a range, never "no upper limit" (even the server's top, $1,000,000).
    const top = planToForm(plan({ items: [therapyItem({ cost: { low_cents: 4000, high_cents: 100_000_000, basis: 'self_pay', per: 'session' } })] }));
    expect(top.items[0]).toMatchObject({ low: '40', high: '1000000', open_high: false });
    expect(formToBody(top).body!.items[0]!.cost!.high_cents).toBe(100_000_000);
    // Ticked with a high end still typed: the high end is not asked, so it is not sent.
    const typed = formToBody({ goals: [], items: [newItem({ title: 'Therapy', low: '25', high: '90', open_high: true, basis: 'self_pay' })] });
    expect(typed.body!.items[0]!.cost).toEqual({ low_cents: 2500, high_cents: null, basis: 'self_pay', per: 'session' });
    // Ticked with a high end typed that is not an amount: not asked, so not an error either.
    expect(formToBody({ goals: [], items: [newItem({ title: 'Therapy', low: '25', high: 'lots', open_high: true, basis: 'self_pay' })] }).errors).toBeNull();
    // Unticked again: the high end typed is the high end.
    expect(formToBody({ goals: [], items: [newItem({ title: 'Therapy', low: '25', high: '90', open_high: false, basis: 'self_pay' })] }).body!.items[0]!.cost!.high_cents).toBe(9000);
    // Ticked with no low end: the low end is asked for.
    expect(formToBody({ goals: [], items: [newItem({ title: 'Therapy', open_high: true, basis: 'self_pay' })] }).errors).toEqual({
      'items.0.cost.low_cents': ['Enter the lowest it may cost (0 if it may cost nothing)'],
    });
    expect(planFieldOrder(form).indexOf('items.0.cost.open_high')).toBe(planFieldOrder(form).indexOf('items.0.cost.high_cents') + 1);
  });

  it('adds the match to the plan as it is saved, once: the same listing again is found instead', () => {
    const body = addMatch(plan(), match())!;
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toMatchObject({ id: 'i1', notes: 'Call the practice on Monday' });
    expect(body.items[2]!.service_id).toBe(match().service_id);
    const again = plan({ items: [...plan().items, { ...body.items[2]!, id: 'i3', notes: '' }] });
    expect(addMatch(again, match())).toBeNull();
    expect(findServiceItem(again.items, match().service_id)!.id).toBe('i3');
    expect(findServiceItem(again.items, '')).toBeNull();
    expect(findServiceItem(null, match().service_id)).toBeNull();
  });
});

describe('what someone else changed', () => {
  it('names goals and items added, removed and changed, and which fields', () => {
    const base = plan();
    const theirs = plan({
      goals: [{ id: 'g-sleep', text: 'Sleep well on tour' }, { id: 'g2', text: 'Pay less' }],
      items: [{ ...base.items[0]!, status: 'agreed', cost: { low_cents: 2000, high_cents: 2000, basis: 'in_network', per: 'session' } }, { ...base.items[1]!, id: 'i9', title: 'Ask the fund' }],
    });
    expect(planChanges(base, theirs)).toEqual([
      'Changed the goal “Sleep through the night on tour” to “Sleep well on tour”',
      'Added the goal “Pay less”',
      'Changed “Weekly therapy by telehealth”: status (Proposed → Agreed), cost estimate',
      'Added the item “Ask the fund”',
      'Removed the item “Ask the direct fund for the copays”',
    ]);
    expect(planChanges(base, base)).toEqual([]);
  });

  it('a high end taken away (no upper limit known, null) is a change of the estimate', () => {
    const base = plan();
    const cost = base.items[0]!.cost!;
    const open = plan({ items: [{ ...base.items[0]!, cost: { ...cost, high_cents: null } }, base.items[1]!] });
    expect(planChanges(base, open)).toEqual(['Changed “Weekly therapy by telehealth”: cost estimate']);
    expect(planChanges(open, open)).toEqual([]);
  });
});

describe('display', () => {
  it('groups items under their goals, then those under none', () => {
    const groups = groupByGoal(plan().goals, plan().items);
    expect(groups.map((g) => [g.goal?.id ?? null, g.items.map((i) => i.id)])).toEqual([
      ['g-sleep', ['i1']],
      [null, ['i2']],
    ]);
  });

  it('the estimate in the same words as a match’s cost', () => {
    const ctx = { t: matchTranslator('en'), lang: 'en' as const };
    expect(planCostText({ low_cents: 3000, high_cents: 3000, basis: 'in_network', per: 'session' }, ctx)).toBe('$30 per session');
    expect(planCostText({ low_cents: 0, high_cents: 15000, basis: 'in_network', per: 'session' }, ctx)).toBe('$0–$150 per session');
    expect(planCostText({ low_cents: 12000, high_cents: 12000, basis: 'self_pay', per: 'month' }, ctx)).toBe('$120 per month');
    expect(planCostText({ low_cents: 50000, high_cents: 50000, basis: 'other', per: 'once' }, ctx)).toBe('$500 once');
    expect(planCostText({ low_cents: 0, high_cents: 0, basis: 'free', per: 'session' }, ctx)).toBe('Free');
    expect(planCostText(null, ctx)).toBe('No estimate');
    expect(planCostText({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' }, ctx)).toBe('from $40 per session (no upper limit known)');
    expect(planCostText({ low_cents: 4000, high_cents: null, basis: 'self_pay', per: 'month' }, ctx)).toBe('from $40 per month (no upper limit known)');
    const es = { t: matchTranslator('es'), lang: 'es' as const };
    expect(planCostText({ low_cents: 12000, high_cents: 12000, basis: 'self_pay', per: 'month' }, es)).toBe('$120 al mes');
    expect(planCostText({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' }, es).replace(/\u00a0/g, ' ')).toBe('desde $40 por sesión (sin límite superior conocido)');
  });
});
