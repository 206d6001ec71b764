import { describe, expect, it } from 'vitest';
import {
  DRAFT_KEY,
  clearDraft,
  hasProgress,
  isValidSrc,
  loadDraft,
  loadLangChoice,
  loadReceipt,
  MAX_AGE_DAYS,
  parseDraft,
  saveDraft,
  saveLangChoice,
  saveReceipt,
  srcFromSearch,
  storageWorks,
  type KeyValueStore,
} from './draft';
import { completeDraft, NOW } from './fixtures';
import { newDraft, uuidv4 } from './model';

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('the draft on this device', () => {
  it('saves and restores every answer, the Idempotency-Key, the pages done, scores and src', () => {
    const store = memory();
    const d = completeDraft();
    d.src = 'venue:ryman';
    d.scores.phq2 = { answers: [2, 1], next: 'phq9', risk: 'none', crisis: null };
    expect(saveDraft(d, store, NOW)).toBe(true);
    const back = loadDraft(store, NOW);
    expect(back).toEqual({ ...d, updated: NOW.toISOString() });
    expect(back!.key).toBe(d.key);
  });

  it('keeps the same Idempotency-Key across saves', () => {
    const store = memory();
    const d = newDraft(NOW);
    saveDraft(d, store, NOW);
    const a = loadDraft(store, NOW)!;
    a.answers.preferred_name = 'Sam';
    saveDraft(a, store, NOW);
    expect(loadDraft(store, NOW)!.key).toBe(d.key);
  });

  it('drops a damaged, foreign-version or stale draft (and removes it)', () => {
    const store = memory();
    store.setItem(DRAFT_KEY, '{not json');
    expect(loadDraft(store, NOW)).toBeNull();
    expect(store.data.has(DRAFT_KEY)).toBe(false);
    expect(parseDraft(JSON.stringify({ ...newDraft(NOW), v: 2 }), NOW)).toBeNull();
    expect(parseDraft(JSON.stringify({ ...newDraft(NOW), key: 'x' }), NOW)).toBeNull();
    const old = newDraft(new Date(NOW.getTime() - (MAX_AGE_DAYS + 1) * 86400_000));
    expect(parseDraft(JSON.stringify(old), NOW)).toBeNull();
  });

  it('keeps only well-typed answers from a tampered draft', () => {
    const d = newDraft(NOW);
    const raw = JSON.parse(JSON.stringify(d));
    raw.answers.preferred_name = 42;
    raw.answers.voicemail_ok = 'yes';
    raw.answers.phq = [1, 7, 'x', 2];
    raw.answers.requests = ['therapy', 5];
    raw.answers.extra = 'ignored';
    raw.answers.phq_difficulty = 9;
    raw.answers.cssrs = { q1: true, q2: 'no', q6: false, q9: true };
    raw.done = ['who', 'nope'];
    raw.src = 'Not Valid!';
    const back = parseDraft(JSON.stringify(raw), NOW)!;
    expect(back.answers.preferred_name).toBe('');
    expect(back.answers.voicemail_ok).toBe(false);
    expect(back.answers.phq).toEqual([1, null, null, 2, null, null, null, null, null]);
    expect(back.answers.requests).toEqual(['therapy']);
    expect('extra' in back.answers).toBe(false);
    expect(back.answers.phq_difficulty).toBeNull();
    expect(back.answers.cssrs).toEqual({ q1: true, q2: null, q3: null, q4: null, q5: null, q6: false, q6_past_3_months: null });
    expect(back.done).toEqual(['who']);
    expect(back.src).toBeUndefined();
  });

  it('is cleared after sending', () => {
    const store = memory();
    saveDraft(newDraft(NOW), store, NOW);
    clearDraft(store);
    expect(loadDraft(store, NOW)).toBeNull();
  });

  it('copes with storage that throws (private mode, full)', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(storageWorks(broken)).toBe(false);
    expect(saveDraft(newDraft(NOW), broken, NOW)).toBe(false);
    expect(loadDraft(broken, NOW)).toBeNull();
    expect(() => clearDraft(broken)).not.toThrow();
    expect(storageWorks(memory())).toBe(true);
  });

  it('knows whether the person has started', () => {
    expect(hasProgress(null)).toBe(false);
    expect(hasProgress(newDraft(NOW))).toBe(false);
    expect(hasProgress(completeDraft())).toBe(true);
  });
});

describe('attribution', () => {
  it('takes ?src= codes the server accepts, nothing else', () => {
    expect(srcFromSearch('?src=venue:ryman')).toBe('venue:ryman');
    expect(srcFromSearch('?src=partner:band-app.v2')).toBe('partner:band-app.v2');
    expect(srcFromSearch('?src=Venue:Ryman')).toBeNull();
    expect(srcFromSearch('?src=<script>')).toBeNull();
    expect(srcFromSearch('?src=' + 'a'.repeat(65))).toBeNull();
    expect(srcFromSearch('')).toBeNull();
    expect(isValidSrc('tour:spring_2027')).toBe(true);
  });
});

describe('the receipt and the language choice', () => {
  it('round-trip', () => {
    const s = memory();
    saveReceipt({ reference: 'SC-AAAA-BBBB', message: 'm', hours: 24, urgent: true, crisis: null, preferred: 'text', voicemail_ok: false, lang: 'es' }, s);
    expect(loadReceipt(s)).toEqual({ reference: 'SC-AAAA-BBBB', message: 'm', hours: 24, urgent: true, crisis: null, preferred: 'text', voicemail_ok: false, lang: 'es' });
    expect(loadLangChoice(s)).toBeNull();
    saveLangChoice('es', s);
    expect(loadLangChoice(s)).toBe('es');
  });
});

describe('uuidv4', () => {
  it('is an RFC 4122 version 4 UUID', () => {
    expect(uuidv4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv4()).not.toBe(uuidv4());
  });
});
