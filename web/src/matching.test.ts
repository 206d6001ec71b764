import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CARE_TYPES,
  bpToPercent,
  buildBody,
  centsToDollars,
  cityAt,
  dollarsToCents,
  finderFormFromSearch,
  finderParams,
  findsMore,
  formFromQuery,
  newStop,
  percentToBp,
  profileOf,
  profileProblem,
  relaxBody,
  relaxFinderParams,
  type FinderAnswer,
  type MatchAnswer,
  type MatchQueryBody,
  type Relaxation,
} from './matching';
import vocabulary from '../../data/directory/vocabulary.json';
import { echoedQuery } from './testing/matchQuery';
import { toProblem } from './problem';

/** The query as the server echoes it for a case (docs/matching.md). */
const echo = echoedQuery;

const ok = (r: ReturnType<typeof buildBody>): MatchQueryBody => {
  expect(r.errors).toBeNull();
  return r.body!;
};

describe('the vocabulary', () => {
  it('offers exactly the 32 care types of data/directory/vocabulary.json, in its order', () => {
    const codes = vocabulary.terms.filter((t) => t.facet === 'care_type' && t.kind !== 'group').map((t) => t.code);
    expect(codes).toHaveLength(32);
    expect([...CARE_TYPES]).toEqual(codes);
  });
});

describe('amounts as typed', () => {
  it('reads dollars into cents', () => {
    expect(dollarsToCents('30')).toBe(3000);
    expect(dollarsToCents(' 12.5 ')).toBe(1250);
    expect(dollarsToCents('12.05')).toBe(1205);
    expect(dollarsToCents('$1,200')).toBe(120000);
    expect(dollarsToCents('1,234.56')).toBe(123456);
    expect(dollarsToCents('.5')).toBe(50);
    expect(dollarsToCents('0')).toBe(0);
    expect(dollarsToCents('0.29')).toBe(29); // no floating-point drift
    expect(dollarsToCents('')).toBeUndefined();
    expect(dollarsToCents('  ')).toBeUndefined();
    for (const bad of ['-5', '12.345', 'ten', '1.2.3', '.', '1000001']) expect(dollarsToCents(bad), bad).toBeNull();
    expect(dollarsToCents('1000000')).toBe(100_000_000);
  });

  it('writes cents back as dollars', () => {
    expect(centsToDollars(3000)).toBe('30');
    expect(centsToDollars(1250)).toBe('12.50');
    expect(centsToDollars(5)).toBe('0.05');
    expect(centsToDollars(undefined)).toBe('');
  });

  it('reads a percentage into basis points and back', () => {
    expect(percentToBp('20')).toBe(2000);
    expect(percentToBp('12.5')).toBe(1250);
    expect(percentToBp('12.55 %')).toBe(1255);
    expect(percentToBp('100')).toBe(10000);
    expect(percentToBp('0')).toBe(0);
    expect(percentToBp('')).toBeUndefined();
    for (const bad of ['101', '-1', '12.555', 'x']) expect(percentToBp(bad), bad).toBeNull();
    expect(bpToPercent(2000)).toBe('20');
    expect(bpToPercent(1250)).toBe('12.5');
    expect(bpToPercent(1255)).toBe('12.55');
    expect(bpToPercent(5)).toBe('0.05');
  });
});

describe('the form from the query the server ran', () => {
  it('holds every field the form shows, amounts in dollars and %', () => {
    const f = formFromQuery(
      echo({
        location: { jurisdiction: 'US-NY', latitude: 40.7142, longitude: -74.0064 },
        itinerary: [{ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'US-CA', latitude: 34.0522, longitude: -118.2437 }],
        insurance: {
          carrier: 'harmony mutual (demo)',
          plan: 'gold ppo',
          plan_type: 'employer',
          network: 'ppo',
          deductible_remaining_cents: 50000,
          copay_cents: 3000,
          copay_before_deductible: false,
          coinsurance_bp: 2000,
          out_of_pocket_remaining_cents: 150000,
        },
        budget_cents: 8000,
        sliding_scale: true,
        prefer: { tags: ['approach:emdr'], music_industry: true, gender: '' },
      }),
    );
    expect(f).toMatchObject({
      care_types: ['care_type:individual-therapy'],
      jurisdiction: 'US-NY',
      latitude: '40.7142',
      longitude: '-74.0064',
      mode: 'either',
      max_km: '40',
      languages: ['en'],
      first_session: '2026-11-27',
      sessions: '1',
      require_opening: true,
      carrier: 'harmony mutual (demo)',
      plan: 'gold ppo',
      plan_type: 'employer',
      network: 'ppo',
      deductible: '500',
      copay: '30',
      copay_before_deductible: false,
      coinsurance: '20',
      out_of_pocket: '1500',
      budget: '80',
      sliding_scale: true,
      tags: ['approach:emdr'],
    });
    expect(f.itinerary).toHaveLength(1);
    expect(f.itinerary[0]).toMatchObject({ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'US-CA', latitude: '34.0522' });
    expect(cityAt(f.latitude, f.longitude)?.name).toBe('New York');
  });

  it('keeps the carrier and plan as typed when the server answers them lower-cased', () => {
    const typed = formFromQuery(echo());
    typed.carrier = 'Sustain Health (DEMO)';
    typed.plan = 'Silver PPO';
    const again = formFromQuery(echo(), typed);
    expect(again.carrier).toBe('Sustain Health (DEMO)');
    expect(again.plan).toBe('Silver PPO');
    // A different plan in the answer wins.
    expect(formFromQuery(echo({ insurance: { carrier: 'other', plan: 'x' } }), typed).carrier).toBe('other');
  });

  it('shows no insurance as "no insurance information"', () => {
    const f = formFromQuery(echo({ insurance: null }));
    expect(f.plan_type).toBe('');
    expect(f.carrier).toBe('');
    expect(f.network).toBe('unknown');
  });
});

describe('the body built from the form', () => {
  it('sends only what the form holds, in the MatchQuery shape: dollars as cents, % as basis points', () => {
    const f = formFromQuery(echo());
    Object.assign(f, {
      latitude: '40.7142',
      longitude: '-74.0064',
      sessions: '4',
      first_session: '2026-12-01',
      deductible: '500',
      copay: '30',
      coinsurance: '20',
      out_of_pocket: '1,500.00',
      budget: '80',
      network: 'ppo',
      sliding_scale: true,
      tags: ['approach:emdr'],
      languages: ['es'],
      itinerary: [newStop({ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'us-ca', latitude: '34.05', longitude: '-118.24' })],
    });
    const body = ok(buildBody(f, { casePlan: true }));
    expect(body).toEqual({
      care_types: ['care_type:individual-therapy'],
      age: '',
      format: '',
      prefer: { tags: ['approach:emdr'] },
      location: { jurisdiction: 'US-NY', latitude: 40.7142, longitude: -74.0064 },
      mode: 'either',
      max_km: 40,
      languages: ['es'],
      first_session: '2026-12-01',
      sessions: 4,
      require_opening: true,
      itinerary: [{ from: '2026-12-05', to: '2026-12-19', jurisdiction: 'US-CA', latitude: 34.05, longitude: -118.24 }],
      insurance: {
        carrier: 'sustain health (demo)',
        plan: 'silver ppo',
        plan_type: 'employer',
        network: 'ppo',
        deductible_remaining_cents: 50000,
        copay_cents: 3000,
        coinsurance_bp: 2000,
        out_of_pocket_remaining_cents: 150000,
        copay_before_deductible: true,
      },
      budget_cents: 8000,
      sliding_scale: true,
    });
    // Nothing the form does not hold: weights, limit, aid, music industry and gender stay the case's.
    for (const k of ['weights', 'limit', 'aid_per_session_cents']) expect(body).not.toHaveProperty(k);
    expect(body.prefer).toEqual({ tags: ['approach:emdr'] });
  });

  it('leaves out an empty point, first session, distance and budget', () => {
    const f = formFromQuery(echo({ insurance: null }));
    Object.assign(f, { first_session: '', max_km: '', sessions: '' });
    const body = ok(buildBody(f, { casePlan: false }));
    expect(body.location).toEqual({ jurisdiction: 'US-NY' });
    expect(body).not.toHaveProperty('first_session');
    expect(body).not.toHaveProperty('max_km');
    expect(body).not.toHaveProperty('sessions');
    expect(body).not.toHaveProperty('budget_cents');
    expect(body.insurance).toBeNull();
    expect(body.itinerary).toEqual([]);
  });

  it('sends insurance facts without a plan when the case has none', () => {
    const f = formFromQuery(echo({ insurance: null }));
    Object.assign(f, { plan_type: 'uninsured' });
    expect(ok(buildBody(f, { casePlan: false })).insurance).toEqual({ plan_type: 'uninsured', network: 'unknown', copay_before_deductible: true });
    Object.assign(f, { plan_type: '', deductible: '100' });
    expect(ok(buildBody(f, { casePlan: false })).insurance).toEqual({ plan_type: 'unknown', network: 'unknown', deductible_remaining_cents: 10000, copay_before_deductible: true });
  });

  it('sends null insurance to take away the case’s plan (an empty carrier would be a plan matching nothing)', () => {
    const f = formFromQuery(echo());
    Object.assign(f, { carrier: ' ', plan: '', deductible: '100' });
    expect(ok(buildBody(f, { casePlan: true })).insurance).toBeNull();
  });

  it('names every value that is not one, by its field', () => {
    const f = formFromQuery(echo());
    Object.assign(f, {
      jurisdiction: ' ',
      latitude: '91',
      longitude: '',
      max_km: '0',
      sessions: '53',
      first_session: '2026-02-30',
      copay: '12.345',
      coinsurance: '120',
      budget: 'eighty',
      itinerary: [newStop({ from: '2026-12-19', to: '2026-12-05', jurisdiction: '' }), newStop({ latitude: '34' })],
    });
    const r = buildBody(f, { casePlan: false });
    expect(r.body).toBeNull();
    expect(r.errors).toEqual({
      'location.jurisdiction': ['err.jurisdiction'],
      'location.latitude': ['err.latitude'],
      max_km: ['err.km'],
      first_session: ['err.date'],
      sessions: ['err.sessions'],
      'itinerary.0.to': ['err.stopOrder'],
      'itinerary.0.jurisdiction': ['err.jurisdiction'],
      'itinerary.1.from': ['err.date'],
      'itinerary.1.to': ['err.date'],
      'itinerary.1.jurisdiction': ['err.jurisdiction'],
      'itinerary.1.longitude': ['err.pair'],
      'insurance.copay_cents': ['err.money'],
      'insurance.coinsurance_bp': ['err.percent'],
      budget_cents: ['err.money'],
    });
  });

  it('asks for latitude and longitude together', () => {
    const f = formFromQuery(echo());
    Object.assign(f, { latitude: '', longitude: '-74' });
    expect(buildBody(f, { casePlan: true }).errors).toEqual({ 'location.latitude': ['err.pair'] });
  });
});

describe('relaxations', () => {
  const base = (): MatchQueryBody =>
    ok(
      buildBody(
        Object.assign(formFromQuery(echo()), { languages: ['ko'], budget: '80', age: 'age:adults', format: 'format:individual', mode: 'in_person' as const }),
        { casePlan: false },
      ),
    );

  it('relaxes exactly one constraint, as docs/matching.md says', () => {
    const b = base();
    const r = (constraint: string, change = 'any') => relaxBody(b, { constraint, change, results: 3, at_least: false }, { casePlan: false });
    expect(r('language')).toEqual({ ...b, languages: [] });
    expect(r('distance', 'double')).toEqual({ ...b, max_km: 80 });
    expect(r('mode', 'telehealth')).toEqual({ ...b, mode: 'either' });
    expect(r('opening', 'waitlist')).toEqual({ ...b, require_opening: false });
    expect(r('age')).toEqual({ ...b, age: '' });
    expect(r('format')).toEqual({ ...b, format: '' });
    expect(r('care_type')).toEqual({ ...b, care_types: [] });
    expect(r('licence')).toBeNull();
    // The body it started from is untouched.
    expect(b.languages).toEqual(['ko']);
  });

  it('doubles the distance up to 500 km, from the default when the form had none', () => {
    expect(relaxBody({ max_km: 300 }, { constraint: 'distance', change: 'double', results: 1, at_least: false }, { casePlan: false })!.max_km).toBe(500);
    expect(relaxBody({}, { constraint: 'distance', change: 'double', results: 1, at_least: false }, { casePlan: false }, 40)!.max_km).toBe(80);
  });

  it('any payment: no carrier and plan, no budget — the insurance facts kept when the plan came from the form', () => {
    const b = base();
    const out = relaxBody(b, { constraint: 'payment', change: 'any', results: 5, at_least: false }, { casePlan: false })!;
    expect(out).not.toHaveProperty('budget_cents');
    expect(out.insurance).toEqual({ plan_type: 'employer', network: 'unknown', copay_before_deductible: true });
  });

  it('any payment: insurance null when the plan is the case’s (leaving it out would keep it)', () => {
    const out = relaxBody(base(), { constraint: 'payment', change: 'any', results: 5, at_least: false }, { casePlan: true })!;
    expect(out.insurance).toBeNull();
    expect(out).not.toHaveProperty('budget_cents');
  });
});

describe('counts that stop (docs/matching.md "Counting stops at 1,000")', () => {
  it('the answer says whether its counts stopped: eligible_at_least, and at_least on each relaxation', () => {
    expectTypeOf<MatchAnswer['eligible']>().toEqualTypeOf<number>();
    expectTypeOf<MatchAnswer['eligible_at_least']>().toEqualTypeOf<boolean>();
    expectTypeOf<Relaxation['results']>().toEqualTypeOf<number>();
    expectTypeOf<Relaxation['at_least']>().toEqualTypeOf<boolean>();
    expectTypeOf<FinderAnswer['providers']>().toEqualTypeOf<MatchAnswer>();
    expectTypeOf<FinderAnswer['resources']>().toEqualTypeOf<MatchAnswer>();
    // An answer as the server writes it (JSON) reads as the type says.
    const wire = JSON.parse(
      '{"items":[],"eligible":1000,"eligible_at_least":true,"relaxations":[{"constraint":"language","change":"any","results":100,"at_least":true}],"snapshot_version":3}',
    ) as MatchAnswer;
    expect(wire.eligible_at_least).toBe(true);
    expect(wire.relaxations[0]!.at_least).toBe(true);
  });

  it('offers a relaxation only when its count is larger, exact or "or more" on either side', () => {
    const r = (results: number, at_least = false): Relaxation => ({ constraint: 'language', change: 'any', results, at_least });
    const exact = (eligible: number) => ({ eligible, eligible_at_least: false });
    const stopped = (eligible: number) => ({ eligible, eligible_at_least: true });
    // Both exact: more is more, the same is not.
    expect(findsMore(r(4), exact(0))).toBe(true);
    expect(findsMore(r(4), exact(4))).toBe(false);
    expect(findsMore(r(0), exact(0))).toBe(false);
    // The relaxation stopped at 100: 100 or more beside 7 is more.
    expect(findsMore(r(100, true), exact(7))).toBe(true);
    // …but beside an answer of 250, "100 or more" may find no more than it.
    expect(findsMore(r(100, true), exact(250))).toBe(false);
    // The answer stopped at 1,000: a larger count still means more; an equal one says nothing more.
    expect(findsMore(r(1200), stopped(1000))).toBe(true);
    expect(findsMore(r(1200, true), stopped(1000))).toBe(true);
    expect(findsMore(r(1000, true), stopped(1000))).toBe(false);
    expect(findsMore(r(100, true), stopped(1000))).toBe(false);
  });
});

describe('the finder’s address', () => {
  it('reads the page address into the form and writes it back', () => {
    const f = finderFormFromSearch('?jurisdiction=US-NY&care_type=individual-therapy&language=es&mode=in_person&latitude=40.7142&longitude=-74.0064&carrier=Sustain&plan=Silver&budget_cents=8000&max_km=80');
    expect(f).toEqual({
      country: 'US',
      region: 'US-NY',
      city: 'new-york',
      care_type: 'care_type:individual-therapy',
      language: 'es',
      mode: 'in_person',
      max_km: '80',
      carrier: 'Sustain',
      plan: 'Silver',
      budget: '80',
    });
    const { params, errors } = finderParams(f);
    expect(errors).toBeNull();
    expect(params.toString()).toBe(
      'jurisdiction=US-NY&latitude=40.7142&longitude=-74.0064&care_type=individual-therapy&language=es&mode=in_person&max_km=80&carrier=Sustain&plan=Silver&budget_cents=8000',
    );
  });

  it('takes a country alone, leaves out what is empty, and needs a place', () => {
    expect(finderParams(finderFormFromSearch('?jurisdiction=gb')).params.toString()).toBe('jurisdiction=GB');
    const none = finderParams({ ...finderFormFromSearch(''), country: '' });
    expect(none.errors).toEqual({ jurisdiction: ['finder.err.where'] });
    expect(finderParams({ ...finderFormFromSearch('?jurisdiction=US'), budget: 'lots' }).errors).toEqual({ budget_cents: ['err.money'] });
  });

  it('relaxes a finder search through its parameters', () => {
    const p = new URLSearchParams('jurisdiction=US-NY&care_type=psychiatry&language=ko&mode=in_person&carrier=A&plan=B&budget_cents=100');
    const r = (constraint: string) => relaxFinderParams(p, { constraint, change: 'any', results: 1, at_least: false })?.toString() ?? null;
    expect(r('language')).toBe('jurisdiction=US-NY&care_type=psychiatry&mode=in_person&carrier=A&plan=B&budget_cents=100');
    expect(r('payment')).toBe('jurisdiction=US-NY&care_type=psychiatry&language=ko&mode=in_person');
    expect(r('mode')).toBe('jurisdiction=US-NY&care_type=psychiatry&language=ko&carrier=A&plan=B&budget_cents=100');
    expect(r('distance')).toContain('max_km=80');
    expect(r('care_type')).not.toContain('care_type');
    expect(r('opening')).toBeNull();
  });
});

describe('care profiles', () => {
  it('keep the facts of a search body and drop what each search chooses', () => {
    const body = { care_types: ['care_type:psychiatry'], location: { jurisdiction: 'US-TN' }, first_session: '2026-12-01', sessions: 4, require_opening: true, budget_cents: 9000 };
    expect(profileOf(body)).toEqual({ care_types: ['care_type:psychiatry'], location: { jurisdiction: 'US-TN' }, budget_cents: 9000 });
    expect(body.sessions).toBe(4); // the search's own body is untouched
  });

  it("read a profile's field problems at the search form's pointers", () => {
    const p = toProblem({ title: 'Bad', errors: [{ field: '/profile/itinerary/0/to', code: 'x', message: 'm' }, { field: '/profile', code: 'y', message: 'n' }, { field: '/other', code: 'z', message: 'o' }] }, 400);
    expect(profileProblem(p).errors!.map((e) => e.field)).toEqual(['/itinerary/0/to', '/profile', '/other']);
    const none = toProblem({ title: 'Bad' }, 412);
    expect(profileProblem(none)).toBe(none);
  });
});
