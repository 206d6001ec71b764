import { describe, expect, it } from 'vitest';
import {
  CONTACT_METHODS,
  FORMATS,
  INCOME_BANDS,
  INDUSTRY_ROLES,
  INSURANCE_TYPES,
  RELATIONSHIPS,
  REQUESTS,
  SPECIALTIES,
} from '../intake/model';
import banned from '../../../data/safe-messaging-banned.txt?raw';
import { browserLang, DICTIONARIES, en, es, interpolate, translator, type MessageKey } from './index';

/** The C-SSRS screener's published questions and answers (the only exception to the banned-phrase check). */
const CSSRS_KEYS = Object.keys(en).filter((k) => /^cssrs\.(q\w+|yes|no)$/.test(k)) as MessageKey[];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dictionaries', () => {
  it('have exactly the same keys in English and Spanish (both ways)', () => {
    const enKeys = Object.keys(en).sort();
    const esKeys = Object.keys(es).sort();
    expect(enKeys.filter((k) => !(k in es)), 'missing in i18n/es/web.json').toEqual([]);
    expect(esKeys.filter((k) => !(k in en)), 'missing in i18n/en/web.json').toEqual([]);
    expect(esKeys).toEqual(enKeys);
  });

  it('have no empty strings', () => {
    for (const [lang, dict] of Object.entries(DICTIONARIES)) {
      for (const [k, v] of Object.entries(dict)) expect(v.trim(), `${lang}: ${k}`).not.toBe('');
    }
  });

  it('use the same {placeholders} in both languages', () => {
    for (const k of Object.keys(en) as MessageKey[]) {
      expect(placeholders(es[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it('have a label for every value the intake offers', () => {
    const needed = [
      ...RELATIONSHIPS.map((r) => `who.rel.${r}`),
      ...CONTACT_METHODS.map((m) => `contact.m.${m}`),
      ...CONTACT_METHODS.map((m) => `done.how.${m}`),
      ...INDUSTRY_ROLES.map((r) => `role.${r}`),
      ...REQUESTS.map((r) => `req.${r}`),
      ...INSURANCE_TYPES.map((i) => `ins.${i}`),
      ...INCOME_BANDS.map((b) => `hh.${b}`),
      ...FORMATS.map((f) => `pref.${f}`),
      ...SPECIALTIES.map((s) => `pref.${s}`),
      ...['US', 'CA', 'AU', 'GB'].map((c) => `where.region.${c}`),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `phq.${i}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => `gad.${i}`),
      ...[0, 1, 2, 3].map((i) => `ans.${i}`),
      ...['required', 'invalid_format', 'invalid_value', 'too_long', 'too_short', 'out_of_range', 'not_applicable', 'unknown_field', 'invalid'].map((c) => `code.${c}`),
    ];
    for (const k of needed) expect(k in en, k).toBe(true);
  });

  it('keep the published screening wording word for word until the official Spanish is in', () => {
    const instrumentKeys = Object.keys(en).filter((k) => /^(phq|gad)\.(lead|\d)$|^ans\.\d$|^phqd\./.test(k)) as MessageKey[];
    expect(instrumentKeys.length).toBe(9 + 1 + 7 + 1 + 4 + 5);
    expect(en['instrument.lang']).toBe('en');
    if (es['instrument.lang'] === 'en') for (const k of instrumentKeys) expect(es[k], k).toBe(en[k]);
    expect(en['phq.9']).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(en['gad.7']).toBe('Feeling afraid as if something awful might happen');
    expect(en['phqd.q']).toBe(
      'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
    );
  });

  it('keep the C-SSRS screener questions as published (without the interviewer examples, which describe methods)', () => {
    expect(CSSRS_KEYS.length).toBe(7 + 2);
    expect(en['cssrs.lang']).toBe('en');
    if (es['cssrs.lang'] === 'en') for (const k of CSSRS_KEYS) expect(es[k], k).toBe(en[k]);
    expect(en['cssrs.q1']).toBe('Have you wished you were dead or wished you could go to sleep and not wake up?');
    expect(en['cssrs.q6_past_3_months']).toBe('Was this within the past 3 months?');
    for (const k of CSSRS_KEYS) expect(en[k], k).not.toMatch(/e\.g\.|examples?:|pills|gun|rope/i);
  });

  it('never use a phrase of data/safe-messaging-banned.txt (published questionnaire wording excepted)', () => {
    const phrases = banned
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(phrases.length).toBeGreaterThan(10);
    const published = new Set<string>(CSSRS_KEYS);
    for (const [lang, dict] of Object.entries(DICTIONARIES)) {
      for (const [k, v] of Object.entries(dict)) {
        if (published.has(k)) continue;
        for (const p of phrases) expect(v.toLowerCase().includes(p), `${lang}: ${k} contains "${p}"`).toBe(false);
      }
    }
  });

  it('mark every optional question the same way', () => {
    expect(en['common.optional']).toBe('(optional)');
    expect(es['common.optional']).toBe('(opcional)');
  });
});

describe('t()', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(translator('en')('common.step', { n: 3, m: 13 })).toBe('Step 3 of 13');
    expect(translator('es')('common.step', { n: 3, m: 13 })).toBe('Paso 3 de 13');
    expect(interpolate('Call {number} or {other}', { number: '988' })).toBe('Call 988 or {other}');
  });
});

describe('browserLang', () => {
  it('takes the first language we have, by primary subtag', () => {
    expect(browserLang(['es-MX', 'en-US'])).toBe('es');
    expect(browserLang(['fr-FR', 'es'])).toBe('es');
    expect(browserLang(['en-GB'])).toBe('en');
    expect(browserLang(['de-DE'])).toBe('en');
    expect(browserLang([])).toBe('en');
    expect(browserLang(undefined)).toBe('en');
  });
});
