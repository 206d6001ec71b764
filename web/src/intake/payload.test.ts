import { describe, expect, it } from 'vitest';
import { completeDraft, score } from './fixtures';
import { buildPayload } from './payload';

describe('the POST /api/v1/intakes body', () => {
  it('has exactly the documented shape, in the documented order', () => {
    const d = completeDraft({
      phq: [2, 1, 1, 1, 1, 1, 1, 1, 1],
      insurance_type: 'union',
      carrier: ' SAG-AFTRA  Health Plan ',
      plan_name: '',
      member_id: 'AB123',
      household_size: '2',
      income_band: '25k_50k',
      care_language: 'es',
      format: 'telehealth',
      provider_identity: 'a woman',
      specialties: ['music_industry', 'trauma_informed'],
    });
    d.scores.phq2 = score([2, 1], 'phq9');
    d.scores.phq9 = score([2, 1, 1, 1, 1, 1, 1, 1, 1], 'cssrs', { risk: 'low' });
    d.done = [...d.done, 'phq9'];
    d.src = 'venue:ryman';
    const p = buildPayload(d, 'en');
    const expected = {
      for: 'self',
      preferred_name: 'Sam',
      language: 'en',
      contact: { phone: '615 555 0123', preferred: 'text', voicemail_ok: true, text_ok: true, email_ok: false },
      industry_role: 'touring_crew',
      location: { country: 'US', region: 'US-TN', city: 'Nashville', time_zone: 'America/Chicago' },
      on_tour: { now: true, until: '2026-12-31' },
      requests: ['therapy', 'financial_help'],
      insurance: { type: 'union', carrier: 'SAG-AFTRA Health Plan', member_id: 'AB123' },
      household: { size: 2, income_band: '25k_50k' },
      preferences: { language: 'es', format: 'telehealth', provider_identity: 'a woman', specialties: ['music_industry', 'trauma_informed'] },
      screenings: [
        { instrument: 'phq2', answers: [2, 1] },
        { instrument: 'phq9', answers: [2, 1, 1, 1, 1, 1, 1, 1, 1] },
        { instrument: 'gad2', answers: [0, 1] },
      ],
      consents: { privacy_notice_version: '2026-11', contact: true },
      src: 'venue:ryman',
    };
    expect(p).toEqual(expected);
    expect(JSON.stringify(p)).toBe(JSON.stringify(expected)); // same keys, same order, nothing extra
  });

  it('leaves out everything not answered (the server rejects unknown or empty fields)', () => {
    const d = completeDraft({ city: '  ', tour_until: '', on_tour: 'no', preferred: 'email', email: 'sam@example.com', email_ok: true, phone: '', text_ok: false, voicemail_ok: false });
    const p = buildPayload(d, 'es');
    expect(p).toEqual({
      for: 'self',
      preferred_name: 'Sam',
      language: 'es',
      contact: { email: 'sam@example.com', preferred: 'email', voicemail_ok: false, text_ok: false, email_ok: true },
      industry_role: 'touring_crew',
      location: { country: 'US', region: 'US-TN', time_zone: 'America/Chicago' },
      on_tour: { now: false },
      requests: ['therapy', 'financial_help'],
      screenings: [
        { instrument: 'phq2', answers: [1, 1] },
        { instrument: 'gad2', answers: [0, 1] },
      ],
      consents: { privacy_notice_version: '2026-11', contact: true },
    });
  });

  it('a family member: relationship sent; for yourself: never', () => {
    expect(buildPayload(completeDraft({ for: 'family', relationship: 'parent' }), 'en').relationship).toBe('parent');
    expect('relationship' in buildPayload(completeDraft({ for: 'self', relationship: 'parent' }), 'en')).toBe(false);
  });

  it('insurance: "none" sends only the type; "not sure" sends nothing', () => {
    expect(buildPayload(completeDraft({ insurance_type: 'none', carrier: 'X' }), 'en').insurance).toEqual({ type: 'none' });
    expect('insurance' in buildPayload(completeDraft({ insurance_type: 'skip', carrier: 'X' }), 'en')).toBe(false);
  });

  it('the PHQ-9 and GAD-7 go only when they apply (answers left from an earlier path are not sent)', () => {
    const d = completeDraft({ phq: [1, 1, 3, 3, 3, 3, 3, 3, 3], gad: [0, 1, 3, 3, 3, 3, 3] });
    expect(buildPayload(d, 'en').screenings.map((s) => s.instrument)).toEqual(['phq2', 'gad2']);
    d.answers.gad = [2, 1, 3, 3, 3, 3, 3];
    d.scores.gad2 = score([2, 1], 'gad7');
    d.scores.gad7 = score([2, 1, 3, 3, 3, 3, 3]);
    d.done = [...d.done, 'gad7'];
    expect(buildPayload(d, 'en').screenings).toEqual([
      { instrument: 'phq2', answers: [1, 1] },
      { instrument: 'gad2', answers: [2, 1] },
      { instrument: 'gad7', answers: [2, 1, 3, 3, 3, 3, 3] },
    ]);
  });

  it('the PHQ-9 "how difficult" item goes with the PHQ-9 when answered; the C-SSRS goes by question, only what was asked', () => {
    const d = completeDraft({
      phq: [2, 1, 1, 1, 1, 1, 1, 1, 1],
      phq_difficulty: 2,
      cssrs: { q1: true, q2: false, q3: null, q4: null, q5: null, q6: true, q6_past_3_months: false },
    });
    d.scores.phq2 = score([2, 1], 'phq9');
    d.scores.phq9 = score([2, 1, 1, 1, 1, 1, 1, 1, 1], 'cssrs', { risk: 'low' });
    d.done = [...d.done, 'phq9', 'cssrs'];
    const expected = [
      { instrument: 'phq2', answers: [2, 1] },
      { instrument: 'phq9', answers: [2, 1, 1, 1, 1, 1, 1, 1, 1], phq9_difficulty: 2 },
      { instrument: 'cssrs', answers: { q1: true, q2: false, q6: true, q6_past_3_months: false } },
      { instrument: 'gad2', answers: [0, 1] },
    ];
    expect(buildPayload(d, 'en').screenings).toEqual(expected);
    expect(JSON.stringify(buildPayload(d, 'en').screenings)).toBe(JSON.stringify(expected));
    // Unanswered, the tenth item is left out; chosen by the person, the C-SSRS goes even without the PHQ-9.
    const chosen = completeDraft({ cssrs_chosen: true, cssrs: { q1: false, q2: false, q3: null, q4: null, q5: null, q6: false, q6_past_3_months: null } });
    expect(buildPayload(chosen, 'en').screenings).toEqual([
      { instrument: 'phq2', answers: [1, 1] },
      { instrument: 'cssrs', answers: { q1: false, q2: false, q6: false } },
      { instrument: 'gad2', answers: [0, 1] },
    ]);
  });
});
