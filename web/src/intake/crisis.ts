// Risk detection from what the server says (a score, an intake receipt or a problem), and the
// device-side safety net used only when the server cannot be reached.
import type { CrisisLine, CrisisResources, Risk } from './model';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Coerces `{country, emergency, lines, …}` from the server; null when it is not crisis data. */
export function parseCrisisResources(v: unknown): CrisisResources | null {
  if (!isObj(v)) return null;
  const emergency = str(v.emergency);
  const lines: CrisisLine[] = Array.isArray(v.lines)
    ? v.lines.filter(isObj).flatMap((l) => {
        const name = str(l.name);
        if (!name) return [];
        const line: CrisisLine = { name, how: str(l.how) ?? '' };
        const phone = str(l.phone);
        const text = str(l.text);
        const url = str(l.url);
        if (phone) line.phone = phone;
        if (text) line.text = text;
        if (url && /^https:\/\//.test(url)) line.url = url;
        return [line];
      })
    : [];
  if (!emergency && lines.length === 0) return null;
  const out: CrisisResources = {
    country: str(v.country) ?? '',
    known: v.known === true,
    language: str(v.language) ?? '',
    emergency: emergency ?? '',
    lines,
  };
  const note = str(v.note);
  if (note) out.note = note;
  if (typeof v.version === 'number' || typeof v.version === 'string') out.version = v.version;
  const lv = str(v.last_verified);
  if (lv) out.last_verified = lv;
  const src = str(v.source);
  if (src) out.source = src;
  return out;
}

/** The `crisis.resources` of a response or problem body, if any. */
export function crisisFrom(body: unknown): CrisisResources | null {
  if (!isObj(body) || !isObj(body.crisis)) return null;
  return parseCrisisResources(body.crisis.resources);
}

export function riskOf(body: unknown): Risk {
  if (!isObj(body)) return 'none';
  const r = body.risk;
  return r === 'low' || r === 'moderate' || r === 'high' ? r : 'none';
}

/**
 * Must the full crisis panel show? Yes when the server says any risk, sends crisis resources,
 * or marks the intake urgent.
 */
export function isRiskResponse(body: unknown): boolean {
  if (!isObj(body)) return false;
  return riskOf(body) !== 'none' || crisisFrom(body) !== null || body.urgent === true;
}

/**
 * The safety net when scoring could not reach the server: PHQ-9 item 9 (thoughts of being
 * better off dead or of self-harm) ≥ 1 is a risk answer whatever the total (clinical.md §1).
 */
export function localRisk(instrument: string, answers: readonly number[]): Risk {
  if (instrument === 'phq9' && (answers[8] ?? 0) >= 1) return 'low';
  if (instrument === 'cssrs') return cssrsRisk(answers);
  return 'none';
}

/**
 * The C-SSRS screener's risk (clinical.md section 1) from the answers q1, q2, q3, q4, q5, q6,
 * q6_past_3_months as 1 (yes), 0 (no) or -1 (not asked): low = q1 or q2 only; moderate = q3,
 * or q6 lifetime only; high = q4, q5, or q6 within 3 months.
 */
export function cssrsRisk(answers: readonly number[]): Risk {
  const yes = (i: number) => answers[i] === 1;
  if (yes(3) || yes(4) || yes(6)) return 'high';
  if (yes(2) || yes(5)) return 'moderate';
  if (yes(0) || yes(1)) return 'low';
  return 'none';
}

/** PHQ-2 / GAD-2 ≥ 3 → the full instrument, PHQ-9 item 9 ≥ 1 → the C-SSRS (clinical.md §1), only when the server is unreachable. */
export function localNext(instrument: string, answers: readonly number[]): string | null {
  const sum = answers.reduce((a, b) => a + b, 0);
  if (instrument === 'phq2') return sum >= 3 ? 'phq9' : null;
  if (instrument === 'gad2') return sum >= 3 ? 'gad7' : null;
  if (instrument === 'phq9') return (answers[8] ?? 0) >= 1 ? 'cssrs' : null;
  return null;
}

/** "988" → "tel:988"; keeps + and digits only. */
export function telHref(n: string): string {
  return `tel:${n.replace(/[^\d+]/g, '')}`;
}

export function smsHref(n: string): string {
  return `sms:${n.replace(/[^\d+]/g, '')}`;
}
