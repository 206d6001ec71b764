import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type User } from '../api';
import type { CarePlan } from '../carePlan';
import { carePlans } from '../carePlanApi';
import { liveCalls } from '../liveApi';
import type { Match } from '../matching';
import { toProblem } from '../problem';
import { AddToPlan, CarePlanSection, useCarePlan } from './CarePlan';
import type { GfeInsurance } from './GoodFaithEstimate';
import type { GoodFaithEstimate } from '../goodFaith';
import { flush as flushRounds, renderRoot, unmountRoot } from '../testing/dom';
import { staffUser } from '../testing/users';
import { therapyItem } from '../testing/carePlan';

const SERVICE = '0195b000-0000-7000-8000-0000000000aa';

const cm: User = staffUser();
const supervisor: User = { ...cm, id: 'sup', role: 'supervisor', name: 'Sam' };

const empty = (over: Partial<CarePlan> = {}): CarePlan => ({
  case_id: 'c1',
  version: 0,
  author_id: null,
  created_at: null,
  signed_off_by: null,
  signed_off_at: null,
  needs_sign_off: false,
  goals: [],
  items: [],
  versions: [],
  ...over,
});

const v1 = (over: Partial<CarePlan> = {}): CarePlan => ({
  case_id: 'c1',
  version: 1,
  author_id: 'me',
  created_at: '2026-11-26T10:00:00Z',
  signed_off_by: null,
  signed_off_at: null,
  needs_sign_off: false,
  goals: [{ id: 'g1', text: 'Sleep through the night on tour' }],
  items: [
    therapyItem({ service_id: SERVICE, goal_id: 'g1' }),
  ],
  versions: [{ version: 1, author_id: 'me', created_at: '2026-11-26T10:00:00Z', signed_off_at: null }],
  ...over,
});

const match: Match = {
  service_id: '0195b000-0000-7000-8000-0000000000bb',
  name: 'Individual therapy with Demo Clinician 000007 (fictional), LCSW',
  organization_id: 'o1',
  score: 120,
  telehealth: true,
  distance_km: null,
  met: [],
  preferences: [],
  cost_basis: 'in_network',
  cost: { low_cents: 0, high_cents: 15000, after_aid_low_cents: 0, after_aid_high_cents: 15000, currency: 'USD', complete: false, fee_unknown: false, steps: [], used: [], unknown: [], assumed: [] },
  dates: [{ date: '2026-12-03', jurisdiction: 'US-NY', covered: true }],
};

const err = (status: number, body: object = {}) => new ApiError(toProblem(body, status));
const flush = () => flushRounds(4);

function Harness({ user, urgent = false, matches = [], insurance }: { user: User; urgent?: boolean; matches?: Match[]; insurance?: GfeInsurance }) {
  const state = useCarePlan('c1');
  return (
    <>
      <CarePlanSection state={state} user={user} urgent={urgent} personName="Riley Example" reference="SC-TEST-0001" insurance={insurance} memberLang="en" />
      {matches.map((m) => (
        <div key={m.service_id} data-testid={`card-${m.service_id}`}>
          <AddToPlan match={m} state={state} />
        </div>
      ))}
    </>
  );
}

let root: HTMLElement | null = null;
async function mount(props: { user?: User; urgent?: boolean; matches?: Match[]; insurance?: GfeInsurance } = {}) {
  root = renderRoot(<Harness user={props.user ?? cm} urgent={props.urgent ?? false} matches={props.matches ?? []} {...(props.insurance ? { insurance: props.insurance } : {})} />);
  await flush();
  return root;
}
const q = <T extends HTMLElement = HTMLElement>(sel: string) => root!.querySelector<T>(sel);
const all = (sel: string) => [...root!.querySelectorAll<HTMLElement>(sel)];
const click = async (el: HTMLElement | null) => {
  expect(el).not.toBeNull();
  act(() => el!.click());
  await flush();
};
const type = (el: HTMLInputElement | HTMLTextAreaElement | null, v: string) => {
  expect(el).not.toBeNull();
  act(() => {
    el!.value = v;
    el!.dispatchEvent(new Event('input', { bubbles: true }));
  });
};
const choose = (el: HTMLSelectElement | null, v: string) => {
  expect(el).not.toBeNull();
  act(() => {
    el!.value = v;
    el!.dispatchEvent(new Event('change', { bubbles: true }));
  });
};
async function submit() {
  act(() => {
    q<HTMLFormElement>('[data-testid="plan-form"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await flush();
}

beforeEach(() => {
  vi.spyOn(liveCalls, 'listStaff').mockResolvedValue({
    items: [
      { id: 'me', name: 'Casey Manager', role: 'case_manager', on_duty: true, open_cases: 1, languages: [], regions: [] },
      { id: 'other', name: 'Robin Other', role: 'case_manager', on_duty: true, open_cases: 1, languages: [], regions: [] },
      { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', on_duty: true, open_cases: 0, languages: [], regions: [] },
    ],
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  root = unmountRoot(root);
});

describe('the care plan on the case page', () => {
  it('no plan yet: start one, add a goal and an item, save with If-Match "0" (dollars sent as cents)', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(empty());
    const save = vi.spyOn(carePlans, 'savePlan').mockImplementation(async (_c, _v, body) => ({
      ...v1(),
      goals: body.goals.map((g) => ({ id: g.id ?? 'g', text: g.text })),
      items: body.items.map((i, k) => ({ ...i, id: `new-${k}` })),
      versions: undefined,
    }));
    await mount();
    expect(q('[data-testid="plan-empty"]')!.textContent).toContain('No plan yet');
    await click(q('[data-testid="plan-edit"]'));
    await click(q('[data-testid="plan-goal-add"]'));
    type(q('#plan-goals-0-text'), 'Sleep through the night on tour');
    await click(q('[data-testid="plan-item-add"]'));
    choose(q('#plan-items-0-kind'), 'resource');
    type(q('#plan-items-0-title'), 'Peer support group on Tuesdays');
    const goalId = q<HTMLSelectElement>('#plan-items-0-goal_id')!.options[1]!.value;
    choose(q('#plan-items-0-goal_id'), goalId);
    type(q('#plan-items-0-cost-low_cents'), '12.50');
    choose(q('#plan-items-0-cost-basis'), 'self_pay');
    type(q('#plan-items-0-for_member'), 'A group of people who tour, on video.');
    await submit();
    expect(save).toHaveBeenCalledTimes(1);
    const [caseId, version, body] = save.mock.calls[0]!;
    expect(caseId).toBe('c1');
    expect(version).toBe(0);
    expect(body.goals).toEqual([{ id: goalId, text: 'Sleep through the night on tour' }]);
    expect(body.items[0]).toMatchObject({
      kind: 'resource',
      title: 'Peer support group on Tuesdays',
      goal_id: goalId,
      cost: { low_cents: 1250, high_cents: 1250, basis: 'self_pay', per: 'session' },
      for_member: 'A group of people who tour, on video.',
    });
    expect(q('[data-testid="plan-message"]')!.textContent).toContain('saved as version 1');
    expect(q('[data-testid="plan-form"]')).toBeNull();
    expect(q('[data-testid="plan-item"]')!.textContent).toContain('Peer support group on Tuesdays');
    expect(all('[data-testid="plan-versions"] li').map((li) => li.getAttribute('data-version'))).toEqual(['1']);
  });

  it('shows the goals with their items: kind, status, listing link, start, sessions, the cost in words, notes and the member’s text', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    await mount();
    expect(q('.plan-goal__title')!.textContent).toBe('Goal 1: Sleep through the night on tour');
    const item = q('[data-testid="plan-item"]')!;
    expect(item.getAttribute('data-service-id')).toBe(SERVICE);
    expect(item.querySelector('[data-testid="plan-item-kind"]')!.textContent).toBe('Provider');
    expect(item.querySelector('[data-testid="plan-item-status"]')!.textContent).toBe('Proposed');
    expect(item.querySelector('[data-testid="plan-item-listing"]')!.getAttribute('href')).toBe(`/directory/services/${SERVICE}`);
    expect(item.querySelector('[data-testid="plan-item-cost"]')!.textContent).toBe('$30 per session (In network)');
    expect(item.textContent).toContain('1 Dec 2026');
    expect(item.querySelector('[data-testid="plan-item-notes"]')!.textContent).toBe('Call the practice on Monday');
    expect(item.querySelector('[data-testid="plan-item-for-member"]')!.textContent).toBe('Your first session is on 1 December.');
    expect(q('[data-testid="plan-meta"]')!.textContent).toContain('Version 1, saved by You');
  });

  it('a 422 puts each message at its field ("/items/0/title"), the edit kept', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    vi.spyOn(carePlans, 'savePlan').mockRejectedValue(
      err(422, { title: 'invalid care plan', errors: [{ field: '/items/0/service_id', code: 'not_found', message: 'No directory listing has this id.' }] }),
    );
    await mount();
    await click(q('[data-testid="plan-edit"]'));
    type(q('#plan-items-0-title'), 'Therapy, changed');
    await submit();
    expect(q('#plan-items-0-service_id-error')!.textContent).toContain('No directory listing has this id.');
    expect(q('[data-testid="error-summary"] a[href="#plan-items-0-service_id"]')).not.toBeNull();
    expect(q<HTMLInputElement>('#plan-items-0-title')!.value).toBe('Therapy, changed');
  });

  it('a 412 shows their saved version beside ours, ours unsaved; saving again goes on their version', async () => {
    const theirs = v1({
      version: 2,
      author_id: 'other',
      items: [{ ...v1().items[0]!, status: 'agreed' }],
      versions: [...v1().versions!, { version: 2, author_id: 'other', created_at: '2026-11-26T11:00:00Z', signed_off_at: null }],
    });
    const get = vi.spyOn(carePlans, 'getPlan').mockResolvedValueOnce(v1()).mockResolvedValueOnce(theirs);
    const save = vi
      .spyOn(carePlans, 'savePlan')
      .mockRejectedValueOnce(err(412, { detail: 'Someone saved this plan since you opened it.' }))
      .mockResolvedValueOnce(v1({ version: 3, versions: undefined }));
    await mount();
    await click(q('[data-testid="plan-edit"]'));
    type(q('#plan-items-0-notes'), 'Our note: they prefer evenings');
    await submit();
    expect(get).toHaveBeenCalledTimes(2);
    const conflict = q('[data-testid="plan-conflict"]')!;
    expect(conflict.textContent).toContain('Robin Other saved version 2 while you were editing');
    expect(conflict.textContent).toContain('Changed “Weekly therapy by telehealth”: status (Proposed → Agreed)');
    expect(q('[data-testid="plan-theirs"] [data-testid="plan-item-status"]')!.textContent).toBe('Agreed');
    expect(q<HTMLTextAreaElement>('#plan-items-0-notes')!.value).toBe('Our note: they prefer evenings');
    await submit();
    expect(save.mock.calls[1]![1]).toBe(2);
    expect(q('[data-testid="plan-message"]')!.textContent).toContain('version 3');
  });

  it('an urgent case: the sign-off notice; a case manager has no button', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1({ needs_sign_off: true }));
    await mount({ urgent: true });
    const notice = q('[data-testid="plan-sign-off-notice"]')!;
    expect(notice.textContent).toContain('This urgent case’s plan reaches the member only after a supervisor signs it off.');
    expect(notice.textContent).toContain('The member sees no plan until then.');
    expect(q('[data-testid="plan-sign-off"]')).toBeNull();
  });

  it('a supervisor signs off version N with If-Match N; who signed and when is shown', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1({ needs_sign_off: true }));
    const sign = vi.spyOn(carePlans, 'signOff').mockResolvedValue(v1({ signed_off_by: 'sup', signed_off_at: '2026-11-26T12:00:00Z', versions: undefined }));
    await mount({ user: supervisor, urgent: true });
    const button = q('[data-testid="plan-sign-off"]')!;
    expect(button.textContent).toBe('Sign off version 1');
    await click(button);
    expect(sign).toHaveBeenCalledWith('c1', 1);
    expect(q('[data-testid="plan-sign-off-notice"]')).toBeNull();
    expect(q('[data-testid="plan-signed"]')!.textContent).toContain('Version 1 signed off by You');
    expect(q('[data-testid="plan-versions"] li')!.textContent).toContain('Signed off');
    expect(q('[data-testid="plan-message"]')!.textContent).toContain('The member now sees it');
  });

  it('a sign-off over a newer version (412) reloads and says so', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1({ needs_sign_off: true }));
    vi.spyOn(carePlans, 'signOff').mockRejectedValue(err(412));
    await mount({ user: supervisor, urgent: true });
    await click(q('[data-testid="plan-sign-off"]'));
    expect(q('[data-testid="plan-problem"]')!.textContent).toContain('A newer version of the plan was saved');
  });

  it('lists the versions (who, when, signed off or not) and opens an earlier one read-only', async () => {
    const two = v1({
      version: 2,
      items: [],
      versions: [
        { version: 1, author_id: 'other', created_at: '2026-11-25T10:00:00Z', signed_off_at: '2026-11-25T12:00:00Z' },
        { version: 2, author_id: 'me', created_at: '2026-11-26T10:00:00Z', signed_off_at: null },
      ],
    });
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(two);
    const get = vi.spyOn(carePlans, 'getVersion').mockResolvedValue(v1({ author_id: 'other', signed_off_by: 'sup', signed_off_at: '2026-11-25T12:00:00Z', versions: undefined }));
    await mount();
    const rows = all('[data-testid="plan-versions"] li');
    expect(rows.map((r) => r.getAttribute('data-version'))).toEqual(['2', '1']);
    expect(rows[0]!.textContent).toContain('You');
    expect(rows[0]!.textContent).toContain('Not signed off');
    expect(rows[1]!.textContent).toContain('Robin Other');
    expect(rows[1]!.textContent).toContain('Signed off');
    await click(rows[1]!.querySelector('[data-testid="plan-open-version"]'));
    expect(get).toHaveBeenCalledWith('c1', 1);
    const old = q('[data-testid="plan-old-version"]')!;
    expect(old.textContent).toContain('Version 1 (read-only)');
    expect(old.textContent).toContain('Signed off by Sam Supervisor');
    expect(old.querySelector('[data-testid="plan-item"]')!.textContent).toContain('Weekly therapy by telehealth');
    expect(q('[data-testid="plan-edit"]')).toBeNull();
    await click(q('[data-testid="plan-back-to-newest"]'));
    expect(q('[data-testid="plan-old-version"]')).toBeNull();
    expect(q('[data-testid="plan-edit"]')).not.toBeNull();
  });
});

describe('"Add to plan" on a match', () => {
  it('adds a proposed provider item and saves it as the next version (If-Match current), then says so', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1({ needs_sign_off: true }));
    const save = vi.spyOn(carePlans, 'savePlan').mockImplementation(async (_c, _v, body) => ({
      ...v1({ needs_sign_off: true }),
      version: 2,
      items: body.items.map((i, k) => ({ ...i, id: i.id ?? `new-${k}` })),
      versions: undefined,
    }));
    await mount({ urgent: true, matches: [match] });
    const card = q(`[data-testid="card-${match.service_id}"]`)!;
    await click(card.querySelector('[data-testid="plan-add"]'));
    expect(save).toHaveBeenCalledTimes(1);
    const [, version, body] = save.mock.calls[0]!;
    expect(version).toBe(1);
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ id: 'i1', notes: 'Call the practice on Monday' });
    expect(body.items[1]).toMatchObject({
      kind: 'provider',
      status: 'proposed',
      service_id: match.service_id,
      title: match.name,
      starts_on: '2026-12-03',
      sessions: 1,
      cost: { low_cents: 0, high_cents: 15000, basis: 'in_network', per: 'session' },
    });
    expect(card.querySelector('[data-testid="plan-added"]')!.textContent).toContain('Added to the care plan as a proposed item (version 2). A supervisor must sign it off');
    const added = all('[data-testid="plan-item"]').find((x) => x.getAttribute('data-service-id') === match.service_id)!;
    expect(added.querySelector('[data-testid="plan-item-cost"]')!.textContent).toBe('$0–$150 per session (In network)');
    expect(card.querySelector('[data-testid="plan-add"]')).toBeNull();
    // "Open it in the plan" focuses the item.
    await click(card.querySelector('[data-testid="plan-open-item"]'));
    expect(document.activeElement).toBe(added);
  });

  it('a listing already in the plan is not added again: "In the plan", open it instead', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    const save = vi.spyOn(carePlans, 'savePlan');
    await mount({ matches: [{ ...match, service_id: SERVICE }] });
    const card = q(`[data-testid="card-${SERVICE}"]`)!;
    expect(card.querySelector('[data-testid="plan-add"]')).toBeNull();
    expect(card.querySelector('[data-testid="plan-in"]')!.textContent).toContain('In the plan');
    await click(card.querySelector('[data-testid="plan-open-item"]'));
    expect(document.activeElement).toBe(q('[data-testid="plan-item"]'));
    expect(save).not.toHaveBeenCalled();
  });

  it('someone saved the plan meanwhile (412): added to their newest version instead', async () => {
    const theirs = v1({ version: 2, items: [...v1().items, { ...v1().items[0]!, id: 'i2', service_id: '', title: 'Their item' }] });
    vi.spyOn(carePlans, 'getPlan').mockResolvedValueOnce(v1()).mockResolvedValueOnce(theirs);
    const save = vi
      .spyOn(carePlans, 'savePlan')
      .mockRejectedValueOnce(err(412))
      .mockImplementationOnce(async (_c, _v, body) => ({ ...theirs, version: 3, items: body.items.map((i, k) => ({ ...i, id: i.id ?? `n${k}` })), versions: undefined }));
    await mount({ matches: [match] });
    await click(q('[data-testid="plan-add"]'));
    expect(save.mock.calls.map((c) => c[1])).toEqual([1, 2]);
    expect(save.mock.calls[1]![2].items.map((i) => i.title)).toEqual(['Weekly therapy by telehealth', 'Their item', match.name]);
    expect(q('[data-testid="plan-added"]')!.textContent).toContain('version 3');
  });

  it('a cost with no upper bound is recorded from its low end, and the plan says "no upper limit known"', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    const save = vi.spyOn(carePlans, 'savePlan').mockImplementation(async (_c, _v, body) => ({
      ...v1(),
      version: 2,
      items: body.items.map((i, k) => ({ ...i, id: i.id ?? `new-${k}` })),
      versions: undefined,
    }));
    const open: Match = { ...match, cost_basis: 'out_of_network', cost: { ...match.cost, low_cents: 4000, high_cents: null, after_aid_low_cents: 4000, after_aid_high_cents: null } };
    await mount({ matches: [open] });
    await click(q('[data-testid="plan-add"]'));
    // "No upper limit known" is sent as a null high end.
    expect(save.mock.calls[0]![2].items[1]!.cost).toEqual({ low_cents: 4000, high_cents: null, basis: 'out_of_network', per: 'session' });
    const added = all('[data-testid="plan-item"]').find((x) => x.getAttribute('data-service-id') === open.service_id)!;
    expect(added.querySelector('[data-testid="plan-item-cost"]')!.textContent).toBe('from $40 per session (no upper limit known) (Out of network)');
    // In the editor: "No upper limit known" ticked, no high end asked.
    await click(q('[data-testid="plan-edit"]'));
    expect(q<HTMLInputElement>('#plan-items-1-cost-low_cents')!.value).toBe('40');
    expect(q<HTMLInputElement>('#plan-items-1-cost-open_high')!.checked).toBe(true);
    expect(q('#plan-items-1-cost-high_cents')).toBeNull();
  });

  it('"No upper limit known" ticked in the editor saves a null high end, and is read back as such', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    const save = vi.spyOn(carePlans, 'savePlan').mockImplementation(async (_c, _v, body) => ({
      ...v1(),
      version: 2,
      items: body.items.map((i, k) => ({ ...i, id: i.id ?? `new-${k}` })),
      versions: undefined,
    }));
    await mount();
    await click(q('[data-testid="plan-edit"]'));
    type(q('#plan-items-0-cost-low_cents'), '25');
    expect(q<HTMLInputElement>('#plan-items-0-cost-open_high')!.checked).toBe(false);
    await click(q('#plan-items-0-cost-open_high'));
    expect(q('#plan-items-0-cost-high_cents')).toBeNull();
    await submit();
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0]![2].items[0]!.cost).toEqual({ low_cents: 2500, high_cents: null, basis: 'in_network', per: 'session' });
    expect(q('[data-testid="plan-item"]')!.querySelector('[data-testid="plan-item-cost"]')!.textContent).toBe('from $25 per session (no upper limit known) (In network)');
  });

  it('while the plan is being edited, the match goes into the edit (not saved yet)', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    const save = vi.spyOn(carePlans, 'savePlan');
    await mount({ matches: [match] });
    await click(q('[data-testid="plan-edit"]'));
    await click(q('[data-testid="plan-add"]'));
    expect(save).not.toHaveBeenCalled();
    expect(q('[data-testid="plan-added"]')!.textContent).toContain('not saved yet');
    expect(q<HTMLInputElement>('#plan-items-1-title')!.value).toBe(match.name);
    expect(q<HTMLInputElement>('#plan-items-1-cost-high_cents')!.value).toBe('150');
  });
});

describe('the Good Faith Estimate of a provider item', () => {
  const answer = (over: Partial<GoodFaithEstimate> = {}): GoodFaithEstimate => ({
    member_reference: 'SC-TEST-0001',
    service_id: SERVICE,
    provider_name: 'Weekly therapy by telehealth (fictional practice)',
    issued_on: '2026-11-26',
    first_session_on: '2026-12-03',
    valid_until: '2027-11-26',
    currency: 'USD',
    services: [
      { cpt: '90791', description_key: 'intake_evaluation', unit_cents: 15000, quantity: 1 },
      { cpt: '90837', description_key: 'psychotherapy_60', unit_cents: 15000, quantity: 10 },
    ],
    total_cents: 165000,
    notices: ['right_to_gfe', 'dispute_400', 'not_a_contract', 'keep_copy'],
    missing: ['provider_npi', 'provider_tax_id', 'diagnosis'],
    assumed: ['intake_fee'],
    ...over,
  });
  const withResource = () =>
    v1({
      items: [
        therapyItem({ service_id: SERVICE, goal_id: 'g1' }),
        therapyItem({ id: 'i2', title: 'Therapist the member found', service_id: '', goal_id: '' }),
        therapyItem({ id: 'i3', kind: 'resource', title: 'Peer group', goal_id: '' }),
      ],
    });

  it('offered on provider items with a listing; the form opens with the defaults and says who is owed one', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(withResource());
    await mount({ insurance: { type: 'none' } });
    const items = all('[data-testid="plan-item"]');
    expect(items.map((i) => !!i.querySelector('[data-testid="gfe-open"]'))).toEqual([true, false, false]);
    expect(items[1]!.querySelector('[data-testid="gfe-needs-listing"]')).not.toBeNull();
    const open = items[0]!.querySelector<HTMLButtonElement>('[data-testid="gfe-open"]')!;
    expect(open.getAttribute('aria-expanded')).toBe('false');
    await click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    expect(open.getAttribute('aria-controls')).toBe('gfe-panel');
    const panel = q('[data-testid="gfe"]')!;
    expect(document.activeElement).toBe(panel.querySelector('h3'));
    expect(panel.querySelector('h3')!.textContent).toBe('Good Faith Estimate: Weekly therapy by telehealth');
    expect(q('[data-testid="gfe-who"]')!.getAttribute('data-entitlement')).toBe('uninsured');
    expect(q('[data-testid="gfe-who"]')!.textContent).toContain('uninsured or pay for their care themselves (self-pay)');
    expect(q<HTMLInputElement>('#gfe-sessions')!.value).toBe('12');
    expect(q<HTMLSelectElement>('#gfe-session_minutes')!.value).toBe('45');
    expect([...q<HTMLSelectElement>('#gfe-session_minutes')!.options].map((o) => o.textContent)).toEqual(['30 minutes (CPT 90832)', '45 minutes (CPT 90834)', '60 minutes (CPT 90837)']);
    expect(q<HTMLInputElement>('#gfe-first_session_on')!.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(q<HTMLInputElement>('#gfe-intake_visit')!.checked).toBe(true);
    // Closing gives focus back to the button.
    await click(q('[data-testid="gfe-close"]'));
    expect(q('[data-testid="gfe"]')).toBeNull();
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    expect(document.activeElement).toBe(open);
  });

  it('a member with a plan: still offered, with a note that it is owed only for self-pay', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    await mount({ insurance: { type: 'employer', carrier: 'Sustain Health (DEMO)', plan_name: 'Silver PPO' } });
    await click(q('[data-testid="gfe-open"]'));
    const who = q('[data-testid="gfe-who"]')!;
    expect(who.getAttribute('data-entitlement')).toBe('insured');
    expect(who.textContent).toContain('This member has a plan: Through an employer (Sustain Health (DEMO) · Silver PPO).');
    expect(who.textContent).toContain('only if they will pay for this care themselves');
  });

  it('sends the form (dollars as cents) and shows the document: lines, total, notices, what is missing and assumed; prints only it', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    const make = vi.spyOn(carePlans, 'goodFaithEstimate').mockResolvedValue(answer());
    await mount();
    await click(q('[data-testid="gfe-open"]'));
    expect(q('[data-testid="gfe-who"]')!.getAttribute('data-entitlement')).toBe('unknown');
    type(q('#gfe-sessions'), '10');
    choose(q('#gfe-session_minutes'), '60');
    type(q('#gfe-first_session_on'), '2026-12-03');
    type(q('#gfe-session_fee_cents'), '150');
    act(() => {
      q<HTMLFormElement>('[data-testid="gfe-form"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await flush();
    expect(make).toHaveBeenCalledWith('c1', { service_id: SERVICE, sessions: 10, session_minutes: 60, first_session_on: '2026-12-03', intake_visit: true, session_fee_cents: 15000 });
    const doc = q('[data-testid="gfe-doc"]')!;
    expect(doc.getAttribute('lang')).toBe('en');
    expect(doc.querySelector('[data-testid="gfe-member"]')!.textContent).toBe('SC-TEST-0001');
    expect(doc.textContent).not.toContain('Riley Example');
    expect(doc.querySelector('[data-testid="gfe-provider"]')!.textContent).toBe('Weekly therapy by telehealth (fictional practice)');
    expect(doc.querySelector('[data-testid="gfe-valid"]')!.textContent).toBe('26 November 2027');
    const lines = [...doc.querySelectorAll('[data-testid="gfe-line"]')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(lines).toEqual([
      ['90791', 'Psychiatric diagnostic evaluation (first visit)', '$150', '1', '$150'],
      ['90837', 'Psychotherapy, 60 minutes', '$150', '10', '$1,500'],
    ]);
    expect(doc.querySelector('[data-testid="gfe-total"]')!.textContent).toBe('$1,650');
    expect(doc.querySelectorAll('[data-testid="gfe-notices"] li')).toHaveLength(4);
    expect(doc.querySelector('[data-testid="gfe-missing"]')!.textContent).toContain('Provider’s National Provider Identifier (NPI)');
    expect(doc.querySelector('[data-testid="gfe-assumed"]')!.textContent).toContain('priced at the session fee');

    let printing: boolean | null = null;
    vi.stubGlobal(
      'print',
      vi.fn(() => {
        printing = document.body.classList.contains('print-gfe');
      }),
    );
    try {
      await click(q('[data-testid="gfe-print"]'));
      expect(printing).toBe(true);
      act(() => {
        window.dispatchEvent(new Event('afterprint'));
      });
      expect(document.body.classList.contains('print-gfe')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('in the member’s language when chosen: the document in Spanish', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    vi.spyOn(carePlans, 'goodFaithEstimate').mockResolvedValue(answer());
    await mount();
    await click(q('[data-testid="gfe-open"]'));
    choose(q('#gfe-lang'), 'es');
    act(() => {
      q<HTMLFormElement>('[data-testid="gfe-form"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await flush();
    const doc = q('[data-testid="gfe-doc"]')!;
    expect(doc.getAttribute('lang')).toBe('es');
    expect(doc.querySelector('h4')!.textContent).toBe('Estimado de buena fe');
  });

  it('a 422 puts the server’s message at its field (the listing gives no fee), the form kept, no document', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    vi.spyOn(carePlans, 'goodFaithEstimate').mockRejectedValue(
      err(422, { title: 'fee unknown', errors: [{ field: '/session_fee_cents', code: 'required', message: 'The listing gives no fee: ask the provider, then enter it.' }] }),
    );
    await mount();
    await click(q('[data-testid="gfe-open"]'));
    type(q('#gfe-sessions'), '6');
    act(() => {
      q<HTMLFormElement>('[data-testid="gfe-form"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await flush();
    expect(q('#gfe-session_fee_cents-error')!.textContent).toContain('The listing gives no fee: ask the provider, then enter it.');
    expect(q('#gfe-session_fee_cents')!.getAttribute('aria-invalid')).toBe('true');
    expect(q('[data-testid="gfe"] [data-testid="error-summary"] a[href="#gfe-session_fee_cents"]')).not.toBeNull();
    expect(q<HTMLInputElement>('#gfe-sessions')!.value).toBe('6');
    expect(q('[data-testid="gfe-doc"]')).toBeNull();
  });

  it('what is typed wrong is said at its field before anything is sent', async () => {
    vi.spyOn(carePlans, 'getPlan').mockResolvedValue(v1());
    const make = vi.spyOn(carePlans, 'goodFaithEstimate');
    await mount();
    await click(q('[data-testid="gfe-open"]'));
    type(q('#gfe-sessions'), '60');
    act(() => {
      q<HTMLFormElement>('[data-testid="gfe-form"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await flush();
    expect(make).not.toHaveBeenCalled();
    expect(q('#gfe-sessions-error')!.textContent).toContain('Enter a whole number of sessions from 1 to 52');
  });
});
