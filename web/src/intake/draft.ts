// The half-finished intake, kept in localStorage on this device until it is sent (then
// removed). Anything unreadable, of another version or older than MAX_AGE_DAYS is dropped.
import { CSSRS_QUESTIONS, emptyAnswers, INSTRUMENTS, newDraft, PAGES, type Answers, type Draft, type StoredScore } from './model';

export const DRAFT_KEY = 'soundcheck.intake.draft';
export const RECEIPT_KEY = 'soundcheck.intake.receipt';
export const LANG_KEY = 'soundcheck.lang';
export const MAX_AGE_DAYS = 30;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function local(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked (privacy settings)
  }
}

function session(): KeyValueStore | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** True when the draft can be written (false in some private modes or when storage is full). */
export function storageWorks(store: KeyValueStore | null = local()): boolean {
  if (!store) return false;
  try {
    store.setItem('soundcheck.probe', '1');
    store.removeItem('soundcheck.probe');
    return true;
  } catch {
    return false;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Keeps only well-typed answers, so a damaged or older draft can never break a page. */
export function sanitizeAnswers(raw: unknown, timeZone = ''): Answers {
  const base = emptyAnswers(timeZone);
  if (!isObj(raw)) return base;
  const out: Answers = { ...base };
  const o = out as unknown as Record<string, unknown>;
  for (const [k, def] of Object.entries(base)) {
    const v = raw[k];
    if (v === undefined) continue;
    if (k === 'phq_difficulty') o[k] = typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3 ? v : null;
    else if (k === 'cssrs') {
      const c = { ...out.cssrs };
      if (isObj(v)) for (const q of CSSRS_QUESTIONS) c[q] = typeof v[q] === 'boolean' ? (v[q] as boolean) : null;
      o[k] = c;
    } else if (typeof def === 'string' && typeof v === 'string') o[k] = v.slice(0, 500);
    else if (typeof def === 'boolean' && typeof v === 'boolean') o[k] = v;
    else if (Array.isArray(def) && Array.isArray(v)) {
      if (k === 'phq' || k === 'gad') {
        o[k] = def.map((_, i) => {
          const x = v[i];
          return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 3 ? x : null;
        });
      } else {
        o[k] = v.filter((x) => typeof x === 'string');
      }
    }
  }
  return out;
}

function sanitizeScore(raw: unknown): StoredScore | null {
  if (!isObj(raw) || !Array.isArray(raw.answers)) return null;
  const risk = raw.risk === 'low' || raw.risk === 'moderate' || raw.risk === 'high' ? raw.risk : 'none';
  const s: StoredScore = {
    answers: raw.answers.filter((x): x is number => typeof x === 'number'),
    next: typeof raw.next === 'string' ? raw.next : null,
    risk,
    crisis: isObj(raw.crisis) ? (raw.crisis as unknown as StoredScore['crisis']) : null,
  };
  if (raw.offline === true) s.offline = true;
  return s;
}

/** Parses a stored draft; null when it is missing, damaged, of another version or too old. */
export function parseDraft(text: string | null, now: Date = new Date(), timeZone = ''): Draft | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(raw) || raw.v !== 1 || typeof raw.key !== 'string' || !/^[0-9a-f-]{36}$/.test(raw.key)) return null;
  const updated = typeof raw.updated === 'string' ? Date.parse(raw.updated) : NaN;
  if (Number.isNaN(updated) || now.getTime() - updated > MAX_AGE_DAYS * 86400_000) return null;
  const d = newDraft(now, timeZone);
  d.key = raw.key;
  d.started = typeof raw.started === 'string' ? raw.started : d.started;
  d.updated = raw.updated as string;
  if (typeof raw.src === 'string' && isValidSrc(raw.src)) d.src = raw.src;
  d.answers = sanitizeAnswers(raw.answers, timeZone);
  d.done = Array.isArray(raw.done) ? PAGES.filter((p) => (raw.done as unknown[]).includes(p)) : [];
  if (isObj(raw.scores)) {
    for (const inst of INSTRUMENTS) {
      const s = sanitizeScore(raw.scores[inst]);
      if (s) d.scores[inst] = s;
    }
  }
  return d;
}

export function loadDraft(store: KeyValueStore | null = local(), now: Date = new Date(), timeZone = ''): Draft | null {
  if (!store) return null;
  try {
    const d = parseDraft(store.getItem(DRAFT_KEY), now, timeZone);
    if (!d) store.removeItem(DRAFT_KEY);
    return d;
  } catch {
    return null;
  }
}

/** Saves the draft; false when it could not be written. */
export function saveDraft(d: Draft, store: KeyValueStore | null = local(), now: Date = new Date()): boolean {
  if (!store) return false;
  try {
    d.updated = now.toISOString();
    store.setItem(DRAFT_KEY, JSON.stringify(d));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(store: KeyValueStore | null = local()): void {
  try {
    store?.removeItem(DRAFT_KEY);
  } catch {
    // nothing to do
  }
}

/** Has the person answered anything yet? */
export function hasProgress(d: Draft | null): boolean {
  return !!d && d.done.length > 0;
}

/** Attribution codes look like "venue:ryman" (lower case, digits, ":", "_", "-", "."); others are ignored. */
export function isValidSrc(s: string): boolean {
  return /^[a-z0-9][a-z0-9:_.-]{0,63}$/.test(s);
}

/** The `src` query parameter, when it is a valid attribution code. */
export function srcFromSearch(search: string): string | null {
  const v = new URLSearchParams(search).get('src');
  return v && isValidSrc(v) ? v : null;
}

// --- the receipt of a sent intake, shown on the "what happens next" page -----------------

export interface Receipt {
  reference: string;
  message: string;
  hours: number | null;
  urgent: boolean;
  crisis: StoredScore['crisis'];
  preferred: string;
  voicemail_ok: boolean;
  lang: string;
}

export function saveReceipt(r: Receipt, store: KeyValueStore | null = session()): void {
  try {
    store?.setItem(RECEIPT_KEY, JSON.stringify(r));
  } catch {
    // shown from memory this time
  }
}

export function loadReceipt(store: KeyValueStore | null = session()): Receipt | null {
  try {
    const raw = JSON.parse(store?.getItem(RECEIPT_KEY) ?? 'null') as unknown;
    if (!isObj(raw) || typeof raw.reference !== 'string') return null;
    return {
      reference: raw.reference,
      message: typeof raw.message === 'string' ? raw.message : '',
      hours: typeof raw.hours === 'number' ? raw.hours : null,
      urgent: raw.urgent === true,
      crisis: isObj(raw.crisis) ? (raw.crisis as unknown as Receipt['crisis']) : null,
      preferred: typeof raw.preferred === 'string' ? raw.preferred : '',
      voicemail_ok: raw.voicemail_ok === true,
      lang: typeof raw.lang === 'string' ? raw.lang : 'en',
    };
  } catch {
    return null;
  }
}

// --- the language choice -------------------------------------------------------------------

export function loadLangChoice(store: KeyValueStore | null = local()): 'en' | 'es' | null {
  try {
    const v = store?.getItem(LANG_KEY);
    return v === 'en' || v === 'es' ? v : null;
  } catch {
    return null;
  }
}

export function saveLangChoice(lang: 'en' | 'es', store: KeyValueStore | null = local()): void {
  try {
    store?.setItem(LANG_KEY, lang);
  } catch {
    // the URL still carries the language
  }
}
