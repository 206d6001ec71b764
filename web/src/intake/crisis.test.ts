import { describe, expect, it } from 'vitest';
import { crisisFrom, isRiskResponse, localNext, localRisk, parseCrisisResources, riskOf, smsHref, telHref } from './crisis';

const US = {
  country: 'US',
  known: true,
  language: 'en',
  emergency: '911',
  lines: [{ name: '988 Suicide & Crisis Lifeline', how: 'Call or text 988.', phone: '988', text: '988', url: 'https://988lifeline.org' }],
  version: 1,
  last_verified: '2026-11-25',
  source: 'clinical.md',
};

describe('risk detection from server responses', () => {
  it('a score with risk other than "none" is a risk answer', () => {
    expect(isRiskResponse({ instrument: 'phq9', risk: 'low' })).toBe(true);
    expect(isRiskResponse({ instrument: 'phq9', risk: 'high' })).toBe(true);
    expect(isRiskResponse({ instrument: 'phq9', risk: 'none' })).toBe(false);
    expect(isRiskResponse({ instrument: 'gad7' })).toBe(false);
  });

  it('any crisis object counts, even on a problem', () => {
    expect(isRiskResponse({ risk: 'none', crisis: { resources: US } })).toBe(true);
    expect(isRiskResponse({ type: 'x', status: 400, crisis: { resources: US } })).toBe(true);
  });

  it('an urgent intake receipt counts', () => {
    expect(isRiskResponse({ reference: 'SC-1', urgent: true })).toBe(true);
    expect(isRiskResponse({ reference: 'SC-1', urgent: false })).toBe(false);
  });

  it('nonsense is not', () => {
    expect(isRiskResponse(null)).toBe(false);
    expect(isRiskResponse('risk')).toBe(false);
    expect(riskOf({ risk: 'severe' })).toBe('none');
    expect(crisisFrom({ crisis: { resources: { lines: 'x' } } })).toBeNull();
  });

  it('reads the crisis lines, dropping anything that is not an https link', () => {
    const r = parseCrisisResources({ ...US, lines: [{ ...US.lines[0], url: 'javascript:alert(1)' }, { how: 'no name' }] })!;
    expect(r.lines).toEqual([{ name: '988 Suicide & Crisis Lifeline', how: 'Call or text 988.', phone: '988', text: '988' }]);
    expect(crisisFrom({ crisis: { resources: US } })).toEqual(US);
  });

  it('an unknown country still gets the emergency number and the note', () => {
    const r = parseCrisisResources({ country: 'ZZ', known: false, emergency: '112', lines: [], note: 'Call your local emergency number.' })!;
    expect(r.emergency).toBe('112');
    expect(r.note).toMatch(/emergency/);
  });
});

describe('the device-side safety net (server unreachable)', () => {
  it('PHQ-9 item 9 ≥ 1 is a risk answer whatever the total', () => {
    expect(localRisk('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('low');
    expect(localRisk('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0])).toBe('none');
    expect(localRisk('gad7', [3, 3, 3, 3, 3, 3, 3])).toBe('none');
  });

  it('C-SSRS risk as published: low = Q1 or Q2 only; moderate = Q3, or Q6 lifetime only; high = Q4, Q5 or Q6 in 3 months', () => {
    // q1 q2 q3 q4 q5 q6 q6_past_3_months; -1 = not asked
    expect(localRisk('cssrs', [0, 0, -1, -1, -1, 0, -1])).toBe('none');
    expect(localRisk('cssrs', [1, 0, -1, -1, -1, 0, -1])).toBe('low');
    expect(localRisk('cssrs', [0, 1, 0, 0, 0, 0, -1])).toBe('low');
    expect(localRisk('cssrs', [1, 1, 1, 0, 0, 0, -1])).toBe('moderate');
    expect(localRisk('cssrs', [0, 0, -1, -1, -1, 1, 0])).toBe('moderate');
    expect(localRisk('cssrs', [0, 1, 0, 1, 0, 0, -1])).toBe('high');
    expect(localRisk('cssrs', [0, 1, 0, 0, 1, 0, -1])).toBe('high');
    expect(localRisk('cssrs', [0, 0, -1, -1, -1, 1, 1])).toBe('high');
  });
  it('PHQ-2 / GAD-2 ≥ 3 → the full questionnaire', () => {
    expect(localNext('phq2', [1, 2])).toBe('phq9');
    expect(localNext('phq2', [1, 1])).toBeNull();
    expect(localNext('gad2', [3, 0])).toBe('gad7');
    expect(localNext('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0])).toBeNull();
    expect(localNext('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('cssrs');
  });
});

describe('links', () => {
  it('tel: and sms: keep only digits and +', () => {
    expect(telHref('988')).toBe('tel:988');
    expect(telHref('0800 111 0 111')).toBe('tel:08001110111');
    expect(smsHref('+44 7700 900000')).toBe('sms:+447700900000');
  });
});
