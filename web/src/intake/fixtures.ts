// Test data shared by the intake's unit tests (not imported by the app).
import { newDraft, type Answers, type Draft, type StoredScore } from './model';

export const NOW = new Date('2026-11-25T12:00:00Z');

export function answered(over: Partial<Answers> = {}): Answers {
  return {
    ...newDraft(NOW).answers,
    for: 'self',
    preferred_name: 'Sam',
    preferred: 'text',
    phone: '615 555 0123',
    text_ok: true,
    voicemail_ok: true,
    industry_role: 'touring_crew',
    country: 'US',
    region: 'US-TN',
    city: 'Nashville',
    time_zone: 'America/Chicago',
    on_tour: 'yes',
    tour_until: '2026-12-31',
    requests: ['therapy', 'financial_help'],
    phq: [1, 1, null, null, null, null, null, null, null],
    gad: [0, 1, null, null, null, null, null],
    consent_contact: true,
    ...over,
  };
}

export function score(answers: number[], next: string | null = null, over: Partial<StoredScore> = {}): StoredScore {
  return { answers, next, risk: 'none', crisis: null, ...over };
}

/** A draft with every page done; PHQ-2 and GAD-2 negative (no follow-ups). */
export function completeDraft(over: Partial<Answers> = {}): Draft {
  const d = newDraft(NOW);
  d.key = '0b0e3c1a-8f0d-4a51-9b7c-2f3e4d5c6b7a';
  d.answers = answered(over);
  d.done = ['who', 'name', 'contact', 'role', 'where', 'tour', 'requests', 'insurance', 'household', 'preferences', 'phq2', 'gad2'];
  d.scores = {
    phq2: score(d.answers.phq.slice(0, 2) as number[]),
    gad2: score(d.answers.gad.slice(0, 2) as number[]),
  };
  return d;
}
