// The member endpoints, through the console's API client (same fetch, JSON and problem+json
// handling). All three are public: no session, no CSRF token.
import { api, ApiError } from '../api';
import type { Lang } from '../i18n';
import { crisisFrom, localNext, localRisk, parseCrisisResources, riskOf } from './crisis';
import type { CrisisResources, CssrsQuestion, Instrument, StoredScore } from './model';
import type { IntakePayload } from './payload';

export interface ScoreResult {
  instrument: string;
  instrument_version?: number;
  score: number | null;
  band?: string;
  positive?: boolean;
  flags?: string[];
  risk: string;
  suggestions?: string[];
  next_instrument?: string;
  crisis?: { resources: unknown };
}

export interface IntakeReceipt {
  reference: string;
  status: string;
  next_steps?: { message?: string; contact_within_hours?: number };
  urgent?: boolean;
  crisis?: { resources: unknown };
}

const langHeader = (lang: Lang) => ({ 'Accept-Language': lang });

const crisisCache = new Map<string, CrisisResources>();

/** GET /api/v1/crisis-resources?country=XX&lang=en|es (cached for the page's life). */
export async function getCrisisResources(country: string, lang: Lang, signal?: AbortSignal): Promise<CrisisResources | null> {
  const key = `${country}|${lang}`;
  const hit = crisisCache.get(key);
  if (hit) return hit;
  const q = new URLSearchParams({ country, lang });
  const opts: Parameters<typeof api.request>[1] = { headers: langHeader(lang) };
  if (signal) opts.signal = signal;
  const body = await api.request<unknown>(`/api/v1/crisis-resources?${q.toString()}`, opts);
  const r = parseCrisisResources(body);
  if (r) crisisCache.set(key, r);
  return r;
}

/** Could the request not get an answer from the server (offline, overloaded)? */
export function isUnreachable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);
}

/**
 * Scores one questionnaire with POST /api/v1/screenings/score. When the server cannot be
 * reached, it falls back to the published rules on the device (marked `offline`), so a bad
 * connection never hides crisis help or blocks the form; the server scores again on submit.
 * Other errors (a problem, possibly carrying crisis resources) are thrown.
 */
export async function scoreScreening(
  instrument: Instrument,
  answers: number[],
  opts: {
    country: string;
    lang: Lang;
    fallbackCrisis: CrisisResources | null;
    /** The C-SSRS answers by question (the server takes them so, not as a list). */
    cssrs?: Partial<Record<CssrsQuestion, boolean>>;
    /** The PHQ-9's "how difficult" item, when answered: validated by the server, not scored. */
    phq9Difficulty?: number | null;
  },
): Promise<StoredScore> {
  const options: Record<string, unknown> = { country: opts.country, language: opts.lang };
  if (instrument === 'phq9' && typeof opts.phq9Difficulty === 'number') options.phq9_difficulty = opts.phq9Difficulty;
  try {
    const r = await api.request<ScoreResult>('/api/v1/screenings/score', {
      method: 'POST',
      body: { instrument, answers: instrument === 'cssrs' ? (opts.cssrs ?? {}) : answers, options },
      headers: langHeader(opts.lang),
      noCsrf: true,
      allow401: true,
    });
    const risk = riskOf(r);
    const crisis = crisisFrom(r) ?? (risk !== 'none' ? opts.fallbackCrisis : null);
    return { answers: [...answers], next: typeof r.next_instrument === 'string' ? r.next_instrument : null, risk, crisis };
  } catch (e) {
    if (!isUnreachable(e)) throw e;
    const risk = localRisk(instrument, answers);
    return {
      answers: [...answers],
      next: localNext(instrument, answers),
      risk,
      crisis: risk !== 'none' ? opts.fallbackCrisis : null,
      offline: true,
    };
  }
}

/** POST /api/v1/intakes with the draft's Idempotency-Key (the same on every retry). */
export function submitIntake(payload: IntakePayload, idempotencyKey: string, lang: Lang): Promise<IntakeReceipt> {
  return api.request<IntakeReceipt>('/api/v1/intakes', {
    method: 'POST',
    body: payload,
    headers: { 'Idempotency-Key': idempotencyKey, ...langHeader(lang) },
    noCsrf: true,
    allow401: true,
  });
}
