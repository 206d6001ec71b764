import { describe, expect, it } from 'vitest';
import banned from '../../data/safe-messaging-banned.txt?raw';
import { gfeDocument, gfeEntitlement, gfeRequest, minutesLabel, newGfeForm, type GoodFaithEstimate } from './goodFaith';
import { GFE_DICTIONARIES, GFE_EN, GFE_ES, type GfeKey } from './i18n/gfe';

const SERVICE = '0195b000-0000-7000-8000-0000000000aa';

// Normalise the narrow no-break spaces some Intl data puts in amounts.
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** The server's answer for 12 sessions of 45 minutes at $150 with a $200 intake (src/http/handlers/matching.cpp). */
const estimate = (over: Partial<GoodFaithEstimate> = {}): GoodFaithEstimate => ({
  member_reference: 'SC-ABCD-EFGH',
  service_id: SERVICE,
  provider_name: 'Individual therapy with Demo Clinician 000005 (fictional), LMFT',
  issued_on: '2026-11-26',
  first_session_on: '2026-12-03',
  valid_until: '2027-11-26',
  currency: 'USD',
  services: [
    { cpt: '90791', description_key: 'intake_evaluation', unit_cents: 20000, quantity: 1 },
    { cpt: '90834', description_key: 'psychotherapy_45', unit_cents: 15000, quantity: 12 },
  ],
  total_cents: 200000,
  notices: ['right_to_gfe', 'dispute_400', 'not_a_contract', 'keep_copy'],
  missing: ['provider_npi', 'provider_tax_id', 'diagnosis'],
  assumed: [],
  ...over,
});

describe('the Good Faith Estimate form', () => {
  it('opens with the server’s defaults: 12 sessions of 45 minutes from today, an intake visit, the listing’s fees', () => {
    expect(newGfeForm('2026-11-26')).toEqual({ sessions: '12', session_minutes: '45', first_session_on: '2026-11-26', intake_visit: true, session_fee: '', intake_fee: '' });
    expect(gfeRequest(newGfeForm('2026-11-26'), SERVICE)).toEqual({
      body: { service_id: SERVICE, sessions: 12, session_minutes: 45, first_session_on: '2026-11-26', intake_visit: true },
      errors: null,
    });
  });

  it('the session length is shown with its CPT code', () => {
    expect([30, 45, 60].map((m) => minutesLabel(m as 30 | 45 | 60))).toEqual(['30 minutes (CPT 90832)', '45 minutes (CPT 90834)', '60 minutes (CPT 90837)']);
  });

  it('dollars as typed become cents; the intake fee is sent only with an intake visit', () => {
    const form = newGfeForm('2026-11-26', { sessions: ' 8 ', session_minutes: '60', session_fee: '$1,250.50', intake_fee: '200' });
    expect(gfeRequest(form, SERVICE).body).toEqual({
      service_id: SERVICE,
      sessions: 8,
      session_minutes: 60,
      first_session_on: '2026-11-26',
      intake_visit: true,
      session_fee_cents: 125050,
      intake_fee_cents: 20000,
    });
    const noIntake = gfeRequest({ ...form, intake_visit: false }, SERVICE).body!;
    expect(noIntake.intake_visit).toBe(false);
    expect('intake_fee_cents' in noIntake).toBe(false);
    expect(gfeRequest({ ...form, session_fee: '0' }, SERVICE).body!.session_fee_cents).toBe(0);
  });

  it('problems are keyed like the server’s JSON Pointers', () => {
    const bad = newGfeForm('2026-02-30', { sessions: '53', session_minutes: '50', session_fee: 'lots', intake_fee: '100001' });
    expect(gfeRequest(bad, SERVICE)).toEqual({
      body: null,
      errors: {
        sessions: ['Enter a whole number of sessions from 1 to 52'],
        session_minutes: ['Choose 30, 45 or 60 minutes'],
        first_session_on: ['Enter a real date, like 2026-12-01'],
        session_fee_cents: ['Enter an amount in dollars, like 120 or 95.50'],
        intake_fee_cents: ['Enter a fee from $0 to $100,000'],
      },
    });
    expect(gfeRequest(newGfeForm('2026-11-26', { sessions: '0' }), SERVICE).errors).toEqual({ sessions: ['Enter a whole number of sessions from 1 to 52'] });
    expect(gfeRequest(newGfeForm('2026-11-26', { sessions: '2.5' }), SERVICE).errors).toEqual({ sessions: ['Enter a whole number of sessions from 1 to 52'] });
    // Without an intake visit its fee is not asked, so whatever is left in the box is no problem.
    expect(gfeRequest(newGfeForm('2026-11-26', { intake_visit: false, intake_fee: 'x' }), SERVICE).errors).toBeNull();
  });

  it('who is owed one: uninsured (none), insured (any plan), unknown (not said)', () => {
    expect(gfeEntitlement('none')).toBe('uninsured');
    expect(gfeEntitlement('employer')).toBe('insured');
    expect(gfeEntitlement('other')).toBe('insured');
    expect(gfeEntitlement(undefined)).toBe('unknown');
    expect(gfeEntitlement('')).toBe('unknown');
  });
});

describe('the Good Faith Estimate document', () => {
  it('each line with its code, description, price, quantity and amount; the total; dates in words', () => {
    const doc = gfeDocument(estimate(), 'en');
    expect(doc.title).toBe('Good Faith Estimate');
    expect(doc.lines).toEqual([
      { cpt: '90791', description: 'Psychiatric diagnostic evaluation (first visit)', unit: '$200', quantity: 1, amount_cents: 20000, amount: '$200' },
      { cpt: '90834', description: 'Psychotherapy, 45 minutes', unit: '$150', quantity: 12, amount_cents: 180000, amount: '$1,800' },
    ]);
    expect(doc.lines.reduce((s, l) => s + l.amount_cents, 0)).toBe(estimate().total_cents);
    expect(doc.total).toBe('$2,000');
    expect([doc.issuedOn, doc.firstSession, doc.validUntil]).toEqual(['26 November 2026', '3 December 2026', '26 November 2027']);
    expect(gfeDocument(estimate({ services: [{ cpt: '90832', description_key: 'psychotherapy_30', unit_cents: 9550, quantity: 3 }], total_cents: 28650 }), 'en').lines[0]).toMatchObject({
      unit: '$95.50',
      amount: '$286.50',
    });
  });

  it('the notices as full sentences, what the provider must add, and what was assumed', () => {
    const doc = gfeDocument(estimate({ assumed: ['intake_fee'] }), 'en');
    expect(doc.notices).toHaveLength(4);
    expect(doc.notices[0]).toMatch(/^You have the right to receive a Good Faith Estimate/);
    expect(doc.notices[1]).toMatch(/at least \$400 more than this estimate/);
    expect(doc.notices[2]).toMatch(/is not a contract/);
    expect(doc.notices[3]).toMatch(/^Keep a copy/);
    expect(doc.missing).toEqual(['Provider’s National Provider Identifier (NPI)', 'Provider’s Taxpayer Identification Number (TIN)', 'Diagnosis codes, if any']);
    expect(doc.assumed).toEqual(['The first visit is priced at the session fee, because no separate fee was given for it.']);
    // A key the catalogs do not have yet is shown as it is, not dropped.
    expect(gfeDocument(estimate({ notices: ['new_rule'], services: [{ cpt: '90847', description_key: 'family_50', unit_cents: 100, quantity: 1 }] }), 'en')).toMatchObject({
      notices: ['new_rule'],
      lines: [{ description: 'family_50' }],
    });
  });

  it('in Spanish: the words, the dates and the amounts', () => {
    const doc = gfeDocument(estimate(), 'es');
    expect(doc.title).toBe('Estimado de buena fe');
    expect(doc.lines[1]!.description).toBe('Psicoterapia, 45 minutos');
    expect(norm(doc.total)).toBe('$2,000');
    expect(doc.issuedOn).toBe('26 de noviembre de 2026');
    expect(doc.notices[0]).toMatch(/^Tienes derecho/);
    expect(doc.missing[2]).toBe('Códigos de diagnóstico, si los hay');
  });
});

describe('the Good Faith Estimate catalogs', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('have the same keys and placeholders in English and Spanish, and no empty text', () => {
    expect(Object.keys(GFE_ES).sort()).toEqual(Object.keys(GFE_EN).sort());
    for (const k of Object.keys(GFE_EN) as GfeKey[]) {
      expect(placeholders(GFE_ES[k]), k).toEqual(placeholders(GFE_EN[k]));
      expect(GFE_EN[k].trim(), k).not.toBe('');
      expect(GFE_ES[k].trim(), k).not.toBe('');
    }
  });

  it('name every key the server sends (domain/coverage/good_faith_estimate.h)', () => {
    const keys = [
      ...['intake_evaluation', 'psychotherapy_30', 'psychotherapy_45', 'psychotherapy_60'].map((k) => `gfe.service.${k}`),
      ...['right_to_gfe', 'dispute_400', 'not_a_contract', 'keep_copy'].map((k) => `gfe.notice.${k}`),
      ...['provider_name', 'provider_npi', 'provider_tax_id', 'diagnosis'].map((k) => `gfe.missing.${k}`),
      'gfe.assumed.intake_fee',
    ];
    for (const k of keys) expect(k in GFE_EN, k).toBe(true);
  });

  it('never use a phrase of data/safe-messaging-banned.txt', () => {
    const phrases = banned
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const [lang, dict] of Object.entries(GFE_DICTIONARIES)) {
      for (const [k, v] of Object.entries(dict)) for (const p of phrases) expect(v.toLowerCase().includes(p), `${lang}: ${k} contains "${p}"`).toBe(false);
    }
  });
});
