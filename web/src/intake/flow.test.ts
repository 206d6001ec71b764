import { describe, expect, it } from 'vitest';
import { completeDraft, NOW, score } from './fixtures';
import {
  activePages,
  cssrsAnyYes,
  cssrsAsked,
  cssrsNeeded,
  cssrsPayload,
  cssrsTidy,
  currentScore,
  firstIncomplete,
  followUpNeeded,
  guard,
  isComplete,
  nextPage,
  placeField,
  prevPage,
  STEP_OF,
  TOTAL_STEPS,
  validatePage,
} from './flow';
import { emptyCssrs, newDraft, PAGES, type CssrsAnswers, type Draft } from './model';

const keys = (e: Record<string, unknown>) => Object.keys(e).sort();

describe('gating: PHQ-9 and GAD-7 only when the server says so', () => {
  it('skips both when the screeners were negative', () => {
    const d = completeDraft();
    expect(activePages(d)).toEqual(PAGES.filter((p) => p !== 'phq9' && p !== 'cssrs' && p !== 'gad7'));
  });

  it('asks the PHQ-9 when the PHQ-2 score says next_instrument phq9', () => {
    const d = completeDraft({ phq: [2, 1, null, null, null, null, null, null, null] });
    d.scores.phq2 = score([2, 1], 'phq9');
    expect(followUpNeeded(d, 'phq2')).toBe(true);
    expect(activePages(d)).toContain('phq9');
    expect(nextPage(d, 'phq2')).toBe('phq9');
    expect(prevPage(d, 'gad2')).toBe('phq9');
  });

  it('asks the GAD-7 when the GAD-2 score says next_instrument gad7', () => {
    const d = completeDraft({ gad: [3, 0, null, null, null, null, null] });
    d.scores.gad2 = score([3, 0], 'gad7');
    expect(activePages(d)).toContain('gad7');
    expect(nextPage(d, 'gad2')).toBe('gad7');
  });

  it('follows the server, not a local sum: a score of 3 without next_instrument does not gate', () => {
    const d = completeDraft({ phq: [2, 1, null, null, null, null, null, null, null] });
    d.scores.phq2 = score([2, 1], null);
    expect(activePages(d)).not.toContain('phq9');
  });

  it('a score made for other answers is stale: the screener must be continued again', () => {
    const d = completeDraft();
    d.scores.phq2 = score([2, 1], 'phq9');
    // answers are [1, 1] in the fixture
    expect(currentScore(d, 'phq2')).toBeNull();
    expect(followUpNeeded(d, 'phq2')).toBe(false);
    expect(isComplete(d, 'phq2', NOW)).toBe(false);
    expect(firstIncomplete(d, NOW)).toBe('phq2');
  });

  it('changing a PHQ-2 answer makes the PHQ-9 stale too', () => {
    const d = completeDraft({ phq: [2, 1, 1, 1, 1, 1, 1, 1, 0] });
    d.scores.phq2 = score([2, 1], 'phq9');
    d.scores.phq9 = score([2, 1, 1, 1, 1, 1, 1, 1, 0]);
    d.done = [...d.done, 'phq9'];
    expect(firstIncomplete(d, NOW)).toBe('review');
    d.answers = { ...d.answers, phq: [2, 2, 1, 1, 1, 1, 1, 1, 0] };
    expect(firstIncomplete(d, NOW)).toBe('phq2');
  });
});

describe('steps', () => {
  it('are numbered 1 to 13, a follow-up sharing its screener\'s number', () => {
    expect(TOTAL_STEPS).toBe(13);
    expect(STEP_OF.who).toBe(1);
    expect(STEP_OF.phq9).toBe(STEP_OF.phq2);
    expect(STEP_OF.gad7).toBe(STEP_OF.gad2);
    expect(STEP_OF.review).toBe(13);
    expect(new Set(Object.values(STEP_OF)).size).toBe(13);
  });
});

describe('where a page may be opened', () => {
  it('a fresh person is sent to the first page; a later page waits for the earlier ones', () => {
    const d = newDraft(NOW);
    expect(guard(d, 'who', NOW)).toBeNull();
    expect(guard(d, 'contact', NOW)).toBe('who');
    expect(guard(d, 'review', NOW)).toBe('who');
  });

  it('pages already done, and the first not done, can be opened', () => {
    const d = completeDraft();
    d.done = ['who', 'name'];
    expect(guard(d, 'name', NOW)).toBeNull();
    expect(guard(d, 'contact', NOW)).toBeNull();
    expect(guard(d, 'role', NOW)).toBe('contact');
  });

  it('an inactive follow-up sends you on', () => {
    expect(guard(completeDraft(), 'phq9', NOW)).toBe('review');
  });

  it('from "check your answers", Continue goes back there (or to what is still missing)', () => {
    const d: Draft = completeDraft();
    expect(nextPage(d, 'name', true, NOW)).toBe('review');
    d.scores.phq2 = score([1, 1], 'phq9'); // now the PHQ-9 applies and is not done
    expect(nextPage(d, 'name', true, NOW)).toBe('phq9');
  });

  it('Back from the first page is the start page', () => {
    expect(prevPage(completeDraft(), 'who')).toBeNull();
    expect(prevPage(completeDraft(), 'name')).toBe('who');
  });
});

describe('validation', () => {
  const a = completeDraft().answers;

  it('who: a relationship only for family', () => {
    expect(keys(validatePage('who', { ...a, for: '' }))).toEqual(['for']);
    expect(keys(validatePage('who', { ...a, for: 'family', relationship: '' }))).toEqual(['relationship']);
    expect(validatePage('who', { ...a, for: 'family', relationship: 'sibling' })).toEqual({});
  });

  it('name: required, at most 100 characters', () => {
    expect(keys(validatePage('name', { ...a, preferred_name: '  ' }))).toEqual(['preferred_name']);
    expect(validatePage('name', { ...a, preferred_name: 'x'.repeat(101) }).preferred_name![0]!.key).toBe('name.err.long');
  });

  it('contact: the chosen way needs its details and its permission', () => {
    expect(keys(validatePage('contact', { ...a, preferred: '' }))).toEqual(['contact.preferred']);
    expect(keys(validatePage('contact', { ...a, preferred: 'phone', phone: '' }))).toEqual(['contact.phone']);
    expect(keys(validatePage('contact', { ...a, preferred: 'text', text_ok: false }))).toEqual(['contact.text_ok']);
    expect(keys(validatePage('contact', { ...a, preferred: 'email', email: '', email_ok: true }))).toEqual(['contact.email']);
    expect(keys(validatePage('contact', { ...a, preferred: 'email', email: 'a@b.co', email_ok: false }))).toEqual(['contact.email_ok']);
    expect(keys(validatePage('contact', { ...a, phone: '12' }))).toEqual(['contact.phone']);
    expect(keys(validatePage('contact', { ...a, email: 'not-an-email' }))).toEqual(['contact.email']);
    expect(validatePage('contact', { ...a, phone: '+44 (20) 7946-0000' })).toEqual({});
  });

  it('where: a country, its state where we list them, a time zone', () => {
    expect(keys(validatePage('where', { ...a, country: '' }))).toEqual(['location.country']);
    expect(keys(validatePage('where', { ...a, region: '' }))).toEqual(['location.region']);
    expect(keys(validatePage('where', { ...a, region: 'CA-ON' }))).toEqual(['location.region']);
    expect(validatePage('where', { ...a, country: 'MX', region: '' })).toEqual({});
    expect(keys(validatePage('where', { ...a, time_zone: '' }))).toEqual(['location.time_zone']);
  });

  it('tour: yes or no; an end date, if given, is real and not past', () => {
    expect(keys(validatePage('tour', { ...a, on_tour: '' }))).toEqual(['on_tour.now']);
    expect(validatePage('tour', { ...a, tour_until: '' })).toEqual({});
    expect(validatePage('tour', { ...a, tour_until: '2026-02-30' }, NOW)['on_tour.until']![0]!.key).toBe('tour.err.date');
    expect(validatePage('tour', { ...a, tour_until: '2026-11-24' }, NOW)['on_tour.until']![0]!.key).toBe('tour.err.past');
    expect(validatePage('tour', { ...a, on_tour: 'no', tour_until: '2020-01-01' }, NOW)).toEqual({});
  });

  it('requests: at least one', () => {
    expect(keys(validatePage('requests', { ...a, requests: [] }))).toEqual(['requests']);
  });

  it('optional pages pass empty', () => {
    const blank = newDraft(NOW).answers;
    expect(validatePage('insurance', blank)).toEqual({});
    expect(validatePage('household', blank)).toEqual({});
    expect(validatePage('preferences', blank)).toEqual({});
    expect(keys(validatePage('household', { ...blank, household_size: '0' }))).toEqual(['household.size']);
    expect(keys(validatePage('household', { ...blank, household_size: '21' }))).toEqual(['household.size']);
    expect(validatePage('household', { ...blank, household_size: '4' })).toEqual({});
  });

  it('screening: every item of the page, numbered as published', () => {
    const e = validatePage('phq9', { ...a, phq: [1, 1, 0, 0, null, 0, 0, 0, null] });
    expect(keys(e)).toEqual(['phq.4', 'phq.8']);
    expect(e['phq.8']![0]).toEqual({ key: 'scr.err.required', vars: { n: 9 } });
  });

  it('review: consent to be contacted', () => {
    expect(keys(validatePage('review', { ...a, consent_contact: false }))).toEqual(['consents.contact']);
  });
});

describe('server field errors go to their page and field', () => {
  const sent = ['phq2', 'phq9', 'gad2'];
  it('by JSON Pointer key', () => {
    expect(placeField('contact.email', sent)).toEqual({ page: 'contact', field: 'contact.email' });
    expect(placeField('contact', sent)).toEqual({ page: 'contact', field: null });
    expect(placeField('requests.1', sent)).toEqual({ page: 'requests', field: 'requests' });
    expect(placeField('location.time_zone', sent)).toEqual({ page: 'where', field: 'location.time_zone' });
    expect(placeField('relationship', sent)).toEqual({ page: 'who', field: 'relationship' });
    expect(placeField('preferences.specialties.0', sent)).toEqual({ page: 'preferences', field: 'preferences.specialties' });
    expect(placeField('consents.contact', sent)).toEqual({ page: 'review', field: 'consents.contact' });
  });
  it('screenings by the instrument sent at that index', () => {
    expect(placeField('screenings.1.answers', sent)).toEqual({ page: 'phq9', field: null });
    expect(placeField('screenings.2', sent)).toEqual({ page: 'gad2', field: null });
  });
  it('anything else to the review page', () => {
    expect(placeField('src', sent)).toEqual({ page: 'review', field: null });
    expect(placeField('', sent)).toEqual({ page: 'review', field: null });
  });
});

describe('the C-SSRS screener: when it is asked, and its skip logic (clinical.md section 1)', () => {
  const phq9Draft = (item9: number, next: string | null) => {
    const d = completeDraft({ phq: [2, 1, 1, 1, 1, 1, 1, 1, item9] });
    d.scores.phq2 = score([2, 1], 'phq9');
    d.scores.phq9 = score([2, 1, 1, 1, 1, 1, 1, 1, item9], next, next === 'cssrs' ? { risk: 'low' } : {});
    return d;
  };
  const c = (over: Partial<CssrsAnswers>): CssrsAnswers => ({ ...emptyCssrs(), ...over });

  it('follows a PHQ-9 item 9 answer (the server says next_instrument cssrs), right after the PHQ-9', () => {
    const d = phq9Draft(1, 'cssrs');
    expect(cssrsNeeded(d)).toBe(true);
    expect(nextPage(d, 'phq9')).toBe('cssrs');
    expect(nextPage(d, 'cssrs')).toBe('gad2');
    expect(prevPage(d, 'gad2')).toBe('cssrs');
    expect(STEP_OF.cssrs).toBe(STEP_OF.phq9);
  });

  it('follows item 9 on the device too (offline score), and not when item 9 is 0', () => {
    expect(cssrsNeeded(phq9Draft(2, null))).toBe(true);
    expect(cssrsNeeded(phq9Draft(0, null))).toBe(false);
    expect(activePages(phq9Draft(0, null))).not.toContain('cssrs');
  });

  it('is asked when the person chooses it, even with a negative PHQ-2', () => {
    const d = completeDraft({ cssrs_chosen: true });
    expect(activePages(d)).toEqual(PAGES.filter((p) => p !== 'phq9' && p !== 'gad7'));
    expect(nextPage(d, 'phq2')).toBe('cssrs');
  });

  it('asks Q1, Q2 and Q6; Q3–Q5 only after a yes to Q2; "in the past 3 months?" only after a yes to Q6', () => {
    expect(cssrsAsked(c({}))).toEqual(['q1', 'q2', 'q6']);
    expect(cssrsAsked(c({ q2: false }))).toEqual(['q1', 'q2', 'q6']);
    expect(cssrsAsked(c({ q2: true }))).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(cssrsAsked(c({ q2: true, q6: true }))).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q6_past_3_months']);
  });

  it('drops answers to questions no longer asked, and sends only what was asked', () => {
    const changed = cssrsTidy(c({ q1: false, q2: false, q3: true, q4: false, q5: false, q6: false, q6_past_3_months: true }));
    expect(changed).toEqual(c({ q1: false, q2: false, q6: false }));
    expect(cssrsPayload(changed)).toEqual({ q1: false, q2: false, q6: false });
    expect(cssrsPayload(c({ q1: true, q2: true, q3: false, q4: false, q5: false, q6: true, q6_past_3_months: false }))).toEqual({
      q1: true,
      q2: true,
      q3: false,
      q4: false,
      q5: false,
      q6: true,
      q6_past_3_months: false,
    });
  });

  it('any yes, and only a yes to a question asked, shows the crisis panel', () => {
    expect(cssrsAnyYes(c({ q1: false, q2: false, q6: false }))).toBe(false);
    expect(cssrsAnyYes(c({ q1: true }))).toBe(true);
    expect(cssrsAnyYes(c({ q6: true }))).toBe(true);
    expect(cssrsAnyYes(c({ q2: false, q3: true }))).toBe(false);
  });

  it('requires every question asked, each with its own message', () => {
    const a = completeDraft().answers;
    expect(keys(validatePage('cssrs', { ...a, cssrs: c({}) }))).toEqual(['cssrs.q1', 'cssrs.q2', 'cssrs.q6']);
    expect(keys(validatePage('cssrs', { ...a, cssrs: c({ q1: false, q2: true, q6: true }) }))).toEqual([
      'cssrs.q3',
      'cssrs.q4',
      'cssrs.q5',
      'cssrs.q6_past_3_months',
    ]);
    expect(validatePage('cssrs', { ...a, cssrs: c({ q2: true, q6: false }) })['cssrs.q4']).toEqual([{ key: 'cssrs.err.required', vars: { n: 4 } }]);
    expect(validatePage('cssrs', { ...a, cssrs: c({ q1: false, q2: false, q6: false }) })).toEqual({});
  });

  it('a server error about a C-SSRS answer is placed on the C-SSRS page', () => {
    expect(placeField('screenings.2.cssrs.q4', ['phq2', 'phq9', 'cssrs'])).toEqual({ page: 'cssrs', field: null });
  });
});
