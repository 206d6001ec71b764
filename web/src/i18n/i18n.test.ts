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
import { en } from './en';
import { es } from './es';
import { browserLang, DICTIONARIES, interpolate, translator } from './index';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the dictionaries', () => {
  it('have exactly the same keys in English and Spanish (both ways)', () => {
    const enKeys = Object.keys(en).sort();
    const esKeys = Object.keys(es).sort();
    expect(enKeys.filter((k) => !(k in es)), 'missing in es.ts').toEqual([]);
    expect(esKeys.filter((k) => !(k in en)), 'missing in en.ts').toEqual([]);
    expect(esKeys).toEqual(enKeys);
  });

  it('have no empty strings', () => {
    for (const [lang, dict] of Object.entries(DICTIONARIES)) {
      for (const [k, v] of Object.entries(dict)) expect(v.trim(), `${lang}: ${k}`).not.toBe('');
    }
  });

  it('use the same {placeholders} in both languages', () => {
    for (const k of Object.keys(en) as Array<keyof typeof en>) {
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
    const instrumentKeys = Object.keys(en).filter((k) => /^(phq|gad)\.(lead|\d)$|^ans\.\d$/.test(k)) as Array<keyof typeof en>;
    expect(instrumentKeys.length).toBe(9 + 1 + 7 + 1 + 4);
    expect(en['instrument.lang']).toBe('en');
    if (es['instrument.lang'] === 'en') for (const k of instrumentKeys) expect(es[k], k).toBe(en[k]);
    expect(en['phq.9']).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(en['gad.7']).toBe('Feeling afraid as if something awful might happen');
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
