import { describe, expect, it } from 'vitest';
import banned from '../../data/safe-messaging-banned.txt?raw';
import { MATCH_DICTIONARIES, MATCH_EN, MATCH_ES, matchTranslator, type MatchKey } from './i18n/matching';
import { AGES, CARE_TYPES, COST_BASES, FORMATS, TAG_GROUPS, type Cost } from './matching';
import {
  afterAidText,
  amountText,
  basisText,
  costText,
  dateText,
  eligibleText,
  formatCount,
  formatDay,
  formatMoney,
  inputName,
  preferenceText,
  reachText,
  reasonText,
  relaxationText,
  stepName,
  termText,
  type TextCtx,
} from './matchText';

const en: TextCtx = { t: matchTranslator('en'), lang: 'en', today: '2026-11-26', audience: 'staff' };
const es: TextCtx = { t: matchTranslator('es'), lang: 'es', today: '2026-11-26', audience: 'staff' };
const pub: TextCtx = { ...en, audience: 'public' };

const cost = (over: Partial<Cost> = {}): Cost => ({
  low_cents: 3000,
  high_cents: 3000,
  after_aid_low_cents: 3000,
  after_aid_high_cents: 3000,
  currency: 'USD',
  complete: true,
  fee_unknown: false,
  steps: [],
  used: [],
  unknown: [],
  assumed: [],
  ...over,
});

// Normalise the narrow no-break spaces some Intl data puts in amounts and units.
const norm = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('the matching catalogs', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('have the same keys and placeholders in English and Spanish, and no empty text', () => {
    expect(Object.keys(MATCH_ES).sort()).toEqual(Object.keys(MATCH_EN).sort());
    for (const k of Object.keys(MATCH_EN) as MatchKey[]) {
      expect(placeholders(MATCH_ES[k]), k).toEqual(placeholders(MATCH_EN[k]));
      expect(MATCH_EN[k].trim(), k).not.toBe('');
      expect(MATCH_ES[k].trim(), k).not.toBe('');
    }
  });

  it('name every care type, age, format, tag, basis and cost input the server can send', () => {
    for (const code of [...CARE_TYPES, ...AGES, ...FORMATS, ...Object.values(TAG_GROUPS).flat()]) expect(`term.${code}` in MATCH_EN, code).toBe(true);
    for (const b of COST_BASES) expect(`basis.${b}` in MATCH_EN, b).toBe(true);
    // The names in src/domain/coverage/cost_estimate.cpp (Used/Unknown/Assumed and Step).
    const inputs = [
      'fee', 'free', 'sliding_minimum', 'deductible_remaining', 'contracted_rate', 'contracted_rate_at_least_copay', 'copay',
      'copay_before_deductible', 'coinsurance', 'medicare_part_b_coinsurance', 'out_of_pocket_remaining', 'network', 'oon_allowed',
      'oon_deductible_remaining', 'oon_coinsurance', 'oon_out_of_pocket_remaining', 'aid',
    ];
    const steps = ['fee', 'allowed', 'deductible', 'copay', 'coinsurance', 'out_of_pocket_cap', 'share', 'balance_bill', 'sliding_minimum', 'member', 'aid', 'after_aid'];
    for (const n of inputs) expect(`cost.input.${n}` in MATCH_EN, n).toBe(true);
    for (const n of steps) expect(`cost.step.${n}` in MATCH_EN, n).toBe(true);
  });

  it('never use a phrase of data/safe-messaging-banned.txt', () => {
    const phrases = banned
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const [lang, dict] of Object.entries(MATCH_DICTIONARIES)) {
      for (const [k, v] of Object.entries(dict)) for (const p of phrases) expect(v.toLowerCase().includes(p), `${lang}: ${k} contains "${p}"`).toBe(false);
    }
  });
});

describe('reasons in words', () => {
  it('says how each constraint was met', () => {
    expect(reasonText({ code: 'licence', value: 'US-NY', detail: '2027-06-30' }, en)).toBe('Licensed in US-NY until 30 Jun 2027');
    expect(reasonText({ code: 'licence', value: 'US-NY' }, en)).toBe('Licensed in US-NY');
    expect(reasonText({ code: 'licence_psypact', value: 'US-TX', detail: 'US-PA' }, en)).toBe('May see the member in US-TX under PSYPACT (licensed in US-PA)');
    expect(reasonText({ code: 'licence_psypact', value: 'US-TX', detail: 'US-PA' }, pub)).toBe('May see you in US-TX under PSYPACT (licensed in US-PA)');
    expect(reasonText({ code: 'opening', value: '2', detail: '2026-11-20' }, en)).toBe('2 openings, confirmed 20 Nov');
    expect(reasonText({ code: 'opening', value: '1', detail: '2025-12-30' }, en)).toBe('1 opening, confirmed 30 Dec 2025');
    expect(reasonText({ code: 'care_type', value: 'care_type:individual-therapy' }, en)).toBe('Offers individual therapy');
    expect(reasonText({ code: 'telehealth', value: 'US-NY' }, en)).toBe('Telehealth in US-NY');
    expect(norm(reasonText({ code: 'in_person', value: '3.2' }, en))).toBe('Office 3.2 km away');
    expect(reasonText({ code: 'no_licence_needed', value: '' }, en)).toBe('No licence needed for this care');
    expect(reasonText({ code: 'language', value: 'es' }, en)).toBe('Speaks Spanish');
    expect(reasonText({ code: 'age', value: 'age:adults' }, en)).toBe('Age group: Adults');
    expect(reasonText({ code: 'format', value: 'format:couples' }, en)).toBe('Format: Couples');
    expect(reasonText({ code: 'in_network', value: 'sustain health (demo)|silver ppo' }, en)).toBe('In network for sustain health (demo) · silver ppo');
    expect(reasonText({ code: 'in_network', value: 'sustain health (demo)|silver ppo' }, en, { plan: { carrier: 'Sustain Health (DEMO)', plan: 'Silver PPO' } })).toBe(
      'In network for Sustain Health (DEMO) · Silver PPO',
    );
    expect(reasonText({ code: 'out_of_network', value: '14900' }, en)).toBe('Out of network, counted as $149 a session');
    expect(reasonText({ code: 'self_pay', value: '10550' }, en)).toBe('Self-pay, counted as $105.50 a session');
    expect(reasonText({ code: 'self_pay', value: '10550' }, pub)).toBe('You pay the fee: $105.50 a session');
    expect(reasonText({ code: 'sliding_scale', value: '6100' }, en)).toBe('Sliding scale from $61 a session');
    expect(reasonText({ code: 'free', value: '0' }, en)).toBe('Free');
    expect(reasonText({ code: 'within_budget', value: '15000' }, en)).toBe('Within the budget of $150 a session');
    // An unknown code is shown as it came.
    expect(reasonText({ code: 'new_rule', value: 'x', detail: 'y' }, en)).toBe('new_rule: x: y');
  });

  it('in Spanish, with dates and amounts in Spanish', () => {
    expect(reasonText({ code: 'licence', value: 'US-NY', detail: '2027-06-30' }, es)).toBe('Con licencia en US-NY hasta el 30 jun 2027');
    expect(reasonText({ code: 'opening', value: '2', detail: '2026-11-20' }, es)).toBe('2 cupos, confirmados el 20 nov');
    expect(reasonText({ code: 'opening', value: '1', detail: '2026-11-20' }, es)).toBe('1 cupo, confirmado el 20 nov');
    expect(reasonText({ code: 'language', value: 'en' }, es)).toBe('Habla inglés');
    expect(reasonText({ code: 'care_type', value: 'care_type:individual-therapy' }, es)).toBe('Ofrece terapia individual');
    expect(norm(reasonText({ code: 'self_pay', value: '3000' }, es))).toBe('Pago propio, calculado en $30 por sesión');
  });

  it('says what raised a score', () => {
    expect(preferenceText({ code: 'tag', value: 'approach:emdr', points: 100 }, en)).toBe('Uses EMDR');
    expect(preferenceText({ code: 'tag', value: 'issue:anxiety', points: 100 }, en)).toBe('Works with anxiety');
    expect(preferenceText({ code: 'tag', value: 'identity:lgbtq-affirming', points: 100 }, en)).toBe('LGBTQ+-affirming');
    expect(preferenceText({ code: 'tag', value: 'issue:adhd', points: 100 }, en)).toBe('Works with ADHD');
    expect(preferenceText({ code: 'music_industry', value: '6', points: 80 }, en)).toBe('Music-industry experience: has treated industry clients and has worked in music');
    expect(preferenceText({ code: 'music_industry', value: '1', points: 20 }, en)).toBe('Music-industry experience: took the clinical workshop');
    expect(preferenceText({ code: 'earliest_opening', value: '2026-12-02', points: 44 }, en)).toBe('Earliest opening 2 Dec');
    expect(norm(preferenceText({ code: 'distance', value: '8.1', points: 39 }, en))).toBe('8.1 km away');
    expect(preferenceText({ code: 'cost', value: '10500', points: 18 }, en)).toBe('Costs the member $105 a session');
    expect(preferenceText({ code: 'cost', value: '10500', points: 18 }, pub)).toBe('Costs you $105 a session');
    expect(preferenceText({ code: 'coverage', value: '2/4', points: 60 }, en)).toBe('Can see the member on 2 of 4 dates');
    expect(preferenceText({ code: 'gender', value: 'woman', points: 60 }, en)).toBe('Gender as asked (woman)');
  });

  it('names terms, keeping unknown codes as they are', () => {
    expect(termText('care_type:grief-support', en.t)).toBe('Grief support');
    expect(termText('care_type:grief-support', es.t)).toBe('Apoyo en el duelo');
    expect(termText('care_type:new-thing', en.t)).toBe('care_type:new-thing');
  });
});

describe('costs in words', () => {
  it('one amount, a range, from, unknown, free', () => {
    expect(costText(cost(), 'self_pay', en)).toBe('$30 per session');
    expect(costText(cost({ low_cents: 0, high_cents: 15000 }), 'in_network', en)).toBe('$0–$150 per session');
    expect(costText(cost({ low_cents: 4000, high_cents: null }), 'out_of_network', en)).toBe('from $40 per session');
    expect(costText(cost({ low_cents: 0, high_cents: null, fee_unknown: true }), 'self_pay', en)).toBe('Cost unknown');
    expect(costText(cost({ low_cents: 0, high_cents: 0 }), 'free', en)).toBe('Free');
    expect(costText(cost({ low_cents: 0, high_cents: 0 }), 'in_network', en)).toBe('$0 per session');
    expect(costText(cost({ low_cents: 1250, high_cents: 1250 }), 'self_pay', en)).toBe('$12.50 per session');
    expect(norm(costText(cost({ low_cents: 0, high_cents: 15000 }), 'in_network', es))).toBe('$0–$150 por sesión');
    expect(costText(cost({ fee_unknown: true }), 'self_pay', es)).toBe('Costo desconocido');
  });

  it('after aid only when aid changed it', () => {
    expect(afterAidText(cost(), en)).toBeNull();
    expect(afterAidText(cost({ low_cents: 3000, high_cents: 9000, after_aid_low_cents: 0, after_aid_high_cents: 4000 }), en)).toBe('After aid: $0–$40 per session');
  });

  it('amounts with cents only when there are some, in the page language', () => {
    expect(formatMoney(120000, 'en')).toBe('$1,200');
    expect(formatMoney(105, 'en')).toBe('$1.05');
    expect(norm(formatMoney(120000, 'es'))).toBe('$1,200');
    expect(amountText(0, null, en)).toBe('from $0');
  });

  it('the basis, the steps and the inputs by name (unknown names as they are)', () => {
    expect(basisText('in_network', en.t)).toBe('In network');
    expect(basisText('sliding_scale', es.t)).toBe('Escala móvil');
    expect(basisText('barter', en.t)).toBe('barter');
    expect(stepName('balance_bill', en.t)).toBe('Balance bill (fee above the allowed amount)');
    expect(stepName('mystery_step', en.t)).toBe('mystery_step');
    expect(inputName('deductible_remaining', en.t)).toBe('Deductible remaining');
    expect(inputName('medicare_part_b_coinsurance', en.t)).toBe('Medicare Part B coinsurance (20%)');
    expect(inputName('contracted_rate', es.t)).toBe('Tarifa contratada');
    expect(inputName('something_new', en.t)).toBe('something_new');
  });
});

describe('tour dates, counts and relaxations', () => {
  it('flags the dates not covered', () => {
    expect(dateText({ date: '2026-12-08', jurisdiction: 'US-CA', covered: false }, en)).toBe('Not covered: 8 Dec in US-CA');
    expect(dateText({ date: '2026-12-01', jurisdiction: 'US-NY', covered: true }, en)).toBe('1 Dec in US-NY');
    expect(dateText({ date: '2027-01-05', jurisdiction: 'US-NY', covered: true }, en)).toBe('5 Jan 2027 in US-NY');
    expect(dateText({ date: '2026-12-08', jurisdiction: 'US-CA', covered: false }, es)).toBe('Sin cubrir: 8 dic en US-CA');
  });

  it('counts what fits and what is shown', () => {
    expect(eligibleText({ eligible: 0, eligible_at_least: false, items: [] }, en)).toBe('No providers fit every need.');
    expect(eligibleText({ eligible: 1, eligible_at_least: false, items: [{} as never] }, en)).toBe('1 provider fits.');
    expect(eligibleText({ eligible: 4, eligible_at_least: false, items: new Array(4).fill({}) }, en)).toBe('4 providers fit.');
    expect(eligibleText({ eligible: 12, eligible_at_least: false, items: new Array(5).fill({}) }, en)).toBe('12 providers fit; showing the 5 best.');
    expect(eligibleText({ eligible: 3, eligible_at_least: false, items: new Array(3).fill({}) }, en, 'resources')).toBe('3 community resources.');
    expect(eligibleText({ eligible: 12, eligible_at_least: false, items: new Array(5).fill({}) }, es)).toBe('12 proveedores cumplen; se muestran los 5 mejores.');
  });

  it('says "or more" when the server stopped counting (eligible_at_least, at 1,000)', () => {
    const twenty = new Array(20).fill({});
    const stopped = { eligible: 1000, eligible_at_least: true, items: twenty };
    expect(eligibleText(stopped, en)).toBe('1,000 or more providers fit; showing the 20 best.');
    expect(eligibleText(stopped, es)).toBe('1,000 o más proveedores cumplen; se muestran los 20 mejores.');
    expect(eligibleText(stopped, en, 'resources')).toBe('1,000 or more community resources; showing 20.');
    expect(eligibleText(stopped, es, 'resources')).toBe('1,000 o más recursos comunitarios; se muestran 20.');
    // Nothing shown (not an answer the server gives, but said plainly).
    expect(eligibleText({ eligible: 1000, eligible_at_least: true, items: [] }, en)).toBe('1,000 or more providers fit.');
    expect(eligibleText({ eligible: 1000, eligible_at_least: true, items: [] }, es, 'resources')).toBe('1,000 o más recursos comunitarios.');
    // A lower cap still says "or more", also for 1 (never "1 provider fits").
    expect(eligibleText({ eligible: 1, eligible_at_least: true, items: [] }, en)).toBe('1 or more providers fit.');
    expect(eligibleText({ eligible: 1, eligible_at_least: true, items: [] }, es)).toBe('1 o más proveedores cumplen.');
    expect(eligibleText({ eligible: 100, eligible_at_least: true, items: new Array(100).fill({}) }, en)).toBe('100 or more providers fit; showing the 100 best.');
    // Exact counts are as before, with the thousands written out.
    expect(eligibleText({ eligible: 999, eligible_at_least: false, items: twenty }, en)).toBe('999 providers fit; showing the 20 best.');
    expect(eligibleText({ eligible: 1200, eligible_at_least: false, items: twenty }, es)).toBe('1,200 proveedores cumplen; se muestran los 20 mejores.');
    expect(formatCount(18000, 'en')).toBe('18,000');
    expect(formatCount(18000, 'es')).toBe('18,000');
  });

  it('says "or more results" when a relaxation’s count stopped (at_least, at 100)', () => {
    const r = (constraint: string, change: string, results: number) => relaxationText({ constraint, change, results, at_least: true }, en, 40);
    expect(r('language', 'any', 100)).toBe('Any language — 100 or more results');
    expect(r('payment', 'any', 100)).toBe('Any way of paying — 100 or more results');
    expect(norm(r('distance', 'double', 100))).toBe('Up to 80 km away — 100 or more results');
    expect(r('mode', 'telehealth', 100)).toBe('Telehealth too — 100 or more results');
    expect(r('opening', 'waitlist', 1)).toBe('Include waitlists — 1 or more results');
    expect(r('licence', 'any', 100)).toBeNull();
    expect(relaxationText({ constraint: 'language', change: 'any', results: 100, at_least: true }, es)).toBe('Cualquier idioma — 100 o más resultados');
    expect(relaxationText({ constraint: 'care_type', change: 'any', results: 1, at_least: true }, es)).toBe('Cualquier tipo de atención — 1 o más resultados');
    expect(relaxationText({ constraint: 'language', change: 'any', results: 1000, at_least: true }, en)).toBe('Any language — 1,000 or more results');
    // Exact counts as before.
    expect(relaxationText({ constraint: 'language', change: 'any', results: 99, at_least: false }, es)).toBe('Cualquier idioma — 99 resultados');
  });

  it('labels each relaxation with what it would find', () => {
    const r = (constraint: string, change: string, results: number) => relaxationText({ constraint, change, results, at_least: false }, en, 40);
    expect(r('language', 'any', 14)).toBe('Any language — 14 results');
    expect(r('payment', 'any', 1)).toBe('Any way of paying — 1 result');
    expect(norm(r('distance', 'double', 3))).toBe('Up to 80 km away — 3 results');
    expect(r('mode', 'telehealth', 3)).toBe('Telehealth too — 3 results');
    expect(r('mode', 'in_person', 3)).toBe('In person too — 3 results');
    expect(r('opening', 'waitlist', 9)).toBe('Include waitlists — 9 results');
    expect(r('age', 'any', 2)).toBe('Any age group — 2 results');
    expect(r('format', 'any', 2)).toBe('Any format — 2 results');
    expect(r('care_type', 'any', 2)).toBe('Any care type — 2 results');
    expect(r('licence', 'any', 2)).toBeNull();
    expect(relaxationText({ constraint: 'language', change: 'any', results: 14, at_least: false }, es)).toBe('Cualquier idioma — 14 resultados');
  });

  it('the reach of a result', () => {
    expect(reachText({ telehealth: true, distance_km: null }, en)).toBe('Telehealth');
    expect(norm(reachText({ telehealth: false, distance_km: 3.2 }, en))).toBe('In person · 3.2 km');
    expect(norm(reachText({ telehealth: false, distance_km: 3.2 }, es))).toBe('En persona · 3,2 km');
  });

  it('dates: the year only when it is not this one', () => {
    expect(formatDay('2026-11-20', en)).toBe('20 Nov');
    expect(formatDay('2027-06-30', en)).toBe('30 Jun 2027');
    expect(formatDay('2026-11-20', en, true)).toBe('20 Nov 2026');
    expect(formatDay('not a day', en)).toBe('not a day');
  });
});
