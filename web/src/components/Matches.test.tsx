import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { careProfiles } from '../careProfileApi';
import { matches } from '../matchApi';
import type { CaseMatches, Match, MatchQuery } from '../matching';
import { toProblem } from '../problem';
import { Matches } from './Matches';
import { echoedQuery } from '../testing/matchQuery';
import { flush, renderRoot, unmountRoot } from '../testing/dom';

const query = (over: Partial<MatchQuery> = {}): MatchQuery => echoedQuery({ first_session: '2026-12-01', weights: {}, ...over });

const match = (over: Partial<Match> = {}): Match => ({
  service_id: 's1',
  name: 'Individual therapy with Demo Clinician 000005 (fictional), LMFT',
  organization_id: 'o1',
  score: 139,
  telehealth: true,
  distance_km: null,
  met: [
    { code: 'care_type', value: 'care_type:individual-therapy' },
    { code: 'telehealth', value: 'US-NY' },
    { code: 'licence', value: 'US-NY', detail: '2028-11-08' },
    { code: 'opening', value: '1', detail: '2026-11-16' },
    { code: 'in_network', value: 'sustain health (demo)|silver ppo' },
  ],
  preferences: [{ code: 'music_industry', value: '4', points: 80 }],
  cost_basis: 'in_network',
  cost: {
    low_cents: 0,
    high_cents: 14900,
    after_aid_low_cents: 0,
    after_aid_high_cents: 14900,
    currency: 'USD',
    complete: false,
    fee_unknown: false,
    steps: [
      { name: 'fee', low_cents: 14900, high_cents: 14900 },
      { name: 'member', low_cents: 0, high_cents: 14900 },
    ],
    used: ['fee'],
    unknown: ['contracted_rate', 'deductible_remaining'],
    assumed: [],
  },
  dates: [{ date: '2026-12-01', jurisdiction: 'US-NY', covered: true }],
  ...over,
});

const answer = (over: Partial<CaseMatches> = {}): CaseMatches => ({
  items: [match()],
  eligible: 1,
  eligible_at_least: false,
  relaxations: [],
  snapshot_version: 1,
  query: query(),
  profile_version: 0,
  ...over,
});


let root: HTMLElement | null = null;
async function mount() {
  root = renderRoot(<Matches caseId="c1" planNames={{ carrier: 'Sustain Health (DEMO)', plan: 'Silver PPO' }} today="2026-11-26" />);
  await flush();
  await flush();
  return root;
}
const q = <T extends HTMLElement = HTMLElement>(sel: string) => root!.querySelector<T>(sel);
const type = (el: HTMLInputElement, v: string) =>
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
const choose = (el: HTMLSelectElement, v: string) =>
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
async function submit() {
  act(() => {
    q<HTMLFormElement>('[data-testid="match-form"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await flush();
  await flush();
}

afterEach(() => {
  vi.restoreAllMocks();
  root = unmountRoot(root);
});

describe('Find care on the case page', () => {
  it('asks with an empty body and shows the results, explained, and the query as a form', async () => {
    const call = vi.spyOn(matches, 'caseMatches').mockResolvedValue(answer());
    await mount();
    expect(call).toHaveBeenCalledWith('c1', {});
    expect(q('[data-testid="matches-count"]')!.textContent).toBe('1 provider fits.');
    const card = q('[data-testid="match"]')!;
    expect(card.querySelector('a')!.getAttribute('href')).toBe('/directory/services/s1');
    expect(q('[data-testid="match-cost"]')!.textContent).toContain('$0–$149 per session');
    expect(q('[data-testid="match-cost"]')!.textContent).toContain('In network');
    const met = q('[data-testid="match-met"]')!.textContent!;
    expect(met).toContain('Licensed in US-NY until 8 Nov 2028');
    expect(met).toContain('1 opening, confirmed 16 Nov');
    // The plan named as the intake typed it, not lower-cased.
    expect(met).toContain('In network for Sustain Health (DEMO) · Silver PPO');
    expect(q('[data-testid="match-prefs"]')!.textContent).toContain('+80 points');
    expect(q('[data-testid="cost-unknown"]')!.textContent).toBe('Contracted rate, Deductible remaining');
    expect(q('[data-testid="match-dates"]')).toBeNull(); // one session: no tour list
    expect(q<HTMLInputElement>('#mf-location-jurisdiction')!.value).toBe('US-NY');
    expect(q<HTMLInputElement>('#mf-insurance-carrier')!.value).toBe('Sustain Health (DEMO)');
    expect(q<HTMLInputElement>('#mf-care_types')!.checked).toBe(true);
    // No "Add to plan" until the care plan work passes one.
    expect(q('.match__actions')).toBeNull();
  });

  it('sends the form as the body (dollars as cents) and moves focus to the results', async () => {
    const call = vi
      .spyOn(matches, 'caseMatches')
      .mockResolvedValueOnce(answer())
      .mockResolvedValueOnce(
        answer({
          query: query({ sessions: 4, itinerary: [{ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'US-CA' }], budget_cents: 8000 }),
          items: [
            match({
              dates: [
                { date: '2026-12-01', jurisdiction: 'US-NY', covered: true },
                { date: '2026-12-08', jurisdiction: 'US-CA', covered: false },
                { date: '2026-12-15', jurisdiction: 'US-CA', covered: false },
                { date: '2026-12-22', jurisdiction: 'US-NY', covered: true },
              ],
            }),
          ],
        }),
      );
    await mount();
    type(q<HTMLInputElement>('#mf-sessions')!, '4');
    type(q<HTMLInputElement>('#mf-budget_cents')!, '80');
    act(() => q<HTMLButtonElement>('[data-testid="stop-add"]')!.click());
    await flush();
    type(q<HTMLInputElement>('#mf-itinerary-0-from')!, '2026-12-05');
    type(q<HTMLInputElement>('#mf-itinerary-0-to')!, '2026-12-19');
    type(q<HTMLInputElement>('#mf-itinerary-0-jurisdiction')!, 'us-ca');
    await submit();
    const body = call.mock.calls[1]![1];
    expect(body.sessions).toBe(4);
    expect(body.budget_cents).toBe(8000);
    expect(body.itinerary).toEqual([{ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'US-CA' }]);
    expect(body.insurance).toMatchObject({ carrier: 'Sustain Health (DEMO)', plan: 'Silver PPO' });
    await flush();
    expect(document.activeElement).toBe(q('#matches-results'));
    const dates = [...root!.querySelectorAll('[data-testid="match-dates"] li')].map((li) => li.textContent);
    expect(dates).toEqual(['✓Covered: 1 Dec in US-NY', '!Not covered: 8 Dec in US-CA', '!Not covered: 15 Dec in US-CA', '✓Covered: 22 Dec in US-NY']);
    expect(q<HTMLInputElement>('#mf-budget_cents')!.value).toBe('80');
  });

  it('shows what was typed wrong at its field, and sends nothing', async () => {
    const call = vi.spyOn(matches, 'caseMatches').mockResolvedValue(answer());
    await mount();
    type(q<HTMLInputElement>('#mf-insurance-copay_cents')!, '12.345');
    type(q<HTMLInputElement>('#mf-insurance-coinsurance_bp')!, '150');
    await submit();
    expect(call).toHaveBeenCalledTimes(1);
    expect(q('[data-testid="error-summary"]')!.textContent).toContain('Enter an amount in dollars, like 30 or 12.50');
    expect(q('#mf-insurance-copay_cents-error')!.textContent).toContain('Enter an amount in dollars');
    expect(q('#mf-insurance-coinsurance_bp-error')!.textContent).toContain('Enter a percentage from 0 to 100');
    expect(q<HTMLDetailsElement>('[data-testid="match-form-box"]')!.open).toBe(true);
  });

  it('puts a 422 next to its field and keeps the form as typed', async () => {
    vi.spyOn(matches, 'caseMatches')
      .mockResolvedValueOnce(answer())
      .mockRejectedValueOnce(
        new ApiError(
          toProblem(
            { title: 'Validation failed', detail: 'Some fields need attention; see errors.', errors: [{ field: '/location/latitude', code: 'required', message: 'In person needs a place to measure from.' }] },
            422,
          ),
        ),
      );
    await mount();
    choose(q<HTMLSelectElement>('#mf-mode')!, 'in_person');
    type(q<HTMLInputElement>('#mf-sessions')!, '6');
    await submit();
    expect(q('#mf-location-latitude-error')!.textContent).toContain('In person needs a place to measure from.');
    expect(q('[data-testid="error-summary"]')!.textContent).toContain('Some fields need attention');
    expect(q<HTMLSelectElement>('#mf-mode')!.value).toBe('in_person');
    expect(q<HTMLInputElement>('#mf-sessions')!.value).toBe('6');
    // The last results stay on the page.
    expect(q('[data-testid="match"]')).not.toBeNull();
  });

  it('offers each relaxation as a button that runs the search with that one change', async () => {
    const call = vi
      .spyOn(matches, 'caseMatches')
      .mockResolvedValueOnce(
        answer({
          items: [],
          eligible: 0,
          query: query({ languages: ['ko'] }),
          relaxations: [
            { constraint: 'language', change: 'any', results: 4, at_least: false },
            { constraint: 'opening', change: 'waitlist', results: 0, at_least: false },
          ],
        }),
      )
      .mockResolvedValueOnce(answer());
    await mount();
    expect(q('[data-testid="matches-count"]')!.textContent).toBe('No providers fit every need.');
    const buttons = [...root!.querySelectorAll<HTMLButtonElement>('[data-testid="relaxations"] button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Any language — 4 results']); // finds no more: no button
    // An edit not yet run is not part of it: the counts are about the search that ran.
    type(q<HTMLInputElement>('#mf-sessions')!, '9');
    act(() => buttons[0]!.click());
    await flush();
    await flush();
    expect(call.mock.calls[1]![1].languages).toEqual([]);
    expect(call.mock.calls[1]![1].care_types).toEqual(['care_type:individual-therapy']);
    expect(call.mock.calls[1]![1].sessions).toBe(1);
    expect(q('[data-testid="matches-count"]')!.textContent).toBe('1 provider fits.');
  });

  it('says "or more" when the server stopped counting: 1,000 or more eligible, 100 or more results', async () => {
    vi.spyOn(matches, 'caseMatches').mockResolvedValue(
      answer({
        items: [match(), match({ service_id: 's2' }), match({ service_id: 's3' })],
        eligible: 1000,
        eligible_at_least: true,
        relaxations: [
          { constraint: 'language', change: 'any', results: 1000, at_least: true },
          { constraint: 'opening', change: 'waitlist', results: 1200, at_least: false },
          { constraint: 'distance', change: 'double', results: 100, at_least: true },
        ],
      }),
    );
    await mount();
    expect(q('[data-testid="matches-count"]')!.textContent).toBe('1,000 or more providers fit; showing the 3 best.');
    // Only a larger count is offered: 1,200 beside "1,000 or more"; not "1,000 or more" or "100 or more".
    const buttons = [...root!.querySelectorAll<HTMLButtonElement>('[data-testid="relaxations"] button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Include waitlists — 1,200 results']);
  });

  it('offers a relaxation whose count stopped at 100, "100 or more results", when the search finds fewer', async () => {
    vi.spyOn(matches, 'caseMatches').mockResolvedValue(
      answer({
        items: [match()],
        eligible: 1,
        eligible_at_least: false,
        query: query({ languages: ['ko'] }),
        relaxations: [
          { constraint: 'language', change: 'any', results: 100, at_least: true },
          { constraint: 'opening', change: 'waitlist', results: 1, at_least: false },
        ],
      }),
    );
    await mount();
    expect(q('[data-testid="matches-count"]')!.textContent).toBe('1 provider fits.');
    const buttons = [...root!.querySelectorAll<HTMLButtonElement>('[data-testid="relaxations"] button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Any language — 100 or more results']);
  });

  it('offers no change that would find no more than the search already does', async () => {
    vi.spyOn(matches, 'caseMatches').mockResolvedValue(
      answer({ eligible: 4, items: new Array(4).fill(0).map((_, i) => match({ service_id: `s${i}` })), relaxations: [{ constraint: 'distance', change: 'double', results: 4, at_least: false }] }),
    );
    await mount();
    expect(q('[data-testid="relaxations"] button')).toBeNull();
    expect(q('[data-testid="relaxations"]')!.textContent).toContain('Changing any one thing would not find more.');
  });

  it('renders the care plan’s action for each result when one is given', async () => {
    vi.spyOn(matches, 'caseMatches').mockResolvedValue(answer());
    root = renderRoot(<Matches caseId="c1" renderPlanAction={(m) => <span data-testid="slot">{m.service_id}</span>} />);
    await flush();
    await flush();
    expect(q('[data-testid="slot"]')!.textContent).toBe('s1');
  });

  it('says so when the matches cannot be loaded, and tries again', async () => {
    const call = vi.spyOn(matches, 'caseMatches').mockRejectedValueOnce(new ApiError(toProblem(null, 0))).mockResolvedValueOnce(answer());
    await mount();
    expect(root!.textContent).toContain('The matches could not be loaded.');
    act(() => [...root!.querySelectorAll('button')].find((b) => b.textContent === 'Try again')!.click());
    await flush();
    await flush();
    expect(call).toHaveBeenCalledTimes(2);
    expect(q('[data-testid="match"]')).not.toBeNull();
  });
  it("saves the form's facts as the case's care profile, without what each search chooses", async () => {
    vi.spyOn(matches, 'caseMatches').mockResolvedValue(answer());
    const save = vi
      .spyOn(careProfiles, 'save')
      .mockResolvedValueOnce({ case_id: 'c1', version: 1, profile: {}, saved_by: 'me', saved_at: '2026-11-26T10:00:00Z' })
      .mockResolvedValueOnce({ case_id: 'c1', version: 2, profile: {}, saved_by: 'me', saved_at: '2026-11-26T10:05:00Z' });
    await mount();
    expect(q('[data-testid="care-profile-status"]')!.textContent).toBe('No care profile is saved for this case: each search starts from the intake.');
    type(q<HTMLInputElement>('#mf-sessions')!, '4');
    type(q<HTMLInputElement>('#mf-budget_cents')!, '80');
    act(() => q<HTMLButtonElement>('[data-testid="stop-add"]')!.click());
    await flush();
    type(q<HTMLInputElement>('#mf-itinerary-0-from')!, '2026-12-05');
    type(q<HTMLInputElement>('#mf-itinerary-0-to')!, '2026-12-19');
    type(q<HTMLInputElement>('#mf-itinerary-0-jurisdiction')!, 'us-ca');
    act(() => q<HTMLButtonElement>('[data-testid="care-profile-save"]')!.click());
    await flush();
    await flush();
    expect(save).toHaveBeenCalledTimes(1);
    const [caseId, version, profile] = save.mock.calls[0]!;
    expect(caseId).toBe('c1');
    expect(version).toBe(0); // If-Match "0": the first profile
    expect(profile.budget_cents).toBe(8000);
    expect(profile.itinerary).toEqual([{ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'US-CA' }]);
    expect(profile.location?.jurisdiction).toBe('US-NY');
    expect(profile.insurance).toMatchObject({ carrier: 'Sustain Health (DEMO)', plan: 'Silver PPO' });
    // Chosen per search: not kept on the case.
    expect(profile).not.toHaveProperty('first_session');
    expect(profile).not.toHaveProperty('sessions');
    expect(profile).not.toHaveProperty('require_opening');
    expect(q('[data-testid="care-profile-saved"]')!.textContent).toBe("Saved as the case's care profile (version 1).");
    expect(q('[data-testid="care-profile-status"]')!.textContent).toBe("Each search starts from the case's care profile (version 1).");
    // The next save is an edit of version 1.
    act(() => q<HTMLButtonElement>('[data-testid="care-profile-save"]')!.click());
    await flush();
    await flush();
    expect(save.mock.calls[1]![1]).toBe(1);
    expect(q('[data-testid="care-profile-status"]')!.textContent).toContain('(version 2)');
  });

  it('starts from the saved profile, says when someone saved first, and puts a refused field at its place', async () => {
    vi.spyOn(matches, 'caseMatches').mockResolvedValue(answer({ profile_version: 3 }));
    const save = vi
      .spyOn(careProfiles, 'save')
      .mockRejectedValueOnce(new ApiError(toProblem({ title: 'Precondition failed', detail: 'Someone saved first.' }, 412)))
      .mockRejectedValueOnce(
        new ApiError(
          toProblem(
            { title: 'Validation failed', detail: 'Some fields need attention; see errors.', errors: [{ field: '/profile/location/latitude', code: 'required', message: 'Give latitude and longitude together.' }] },
            400,
          ),
        ),
      );
    await mount();
    expect(q('[data-testid="care-profile-status"]')!.textContent).toBe("Each search starts from the case's care profile (version 3).");
    act(() => q<HTMLButtonElement>('[data-testid="care-profile-save"]')!.click());
    await flush();
    await flush();
    expect(save.mock.calls[0]![1]).toBe(3);
    expect(q('[data-testid="care-profile-conflict"]')!.textContent).toContain('Someone else saved the care profile while you were editing.');
    expect(q('[data-testid="care-profile-saved"]')).toBeNull();
    act(() => q<HTMLButtonElement>('[data-testid="care-profile-save"]')!.click());
    await flush();
    await flush();
    expect(q('#mf-location-latitude-error')!.textContent).toContain('Give latitude and longitude together.');
    expect(q('[data-testid="care-profile-conflict"]')).toBeNull();
    expect(q('[data-testid="care-profile-status"]')!.textContent).toContain('(version 3)');
  });
});
