// The member endpoints of "talk to someone now" and the status page, on the shared client.
// Public (no staff session, no CSRF token); the status page uses the HttpOnly member cookie
// that POST /member/sessions sets.
import { api } from '../api';
import type { Lang } from '../i18n';
import { parseCrisisResources } from '../intake/crisis';
import type { CrisisLine, CrisisResources } from '../intake/model';
import { parseMemberPlan, type MemberPlan } from './plan';

export interface Slot {
  start: string;
  end: string;
}

export interface Availability {
  open_now: boolean;
  on_duty_count: number;
  slots: Slot[];
}

export interface SupportRequestBody {
  preferred_name: string;
  phone: string;
  voicemail_ok: boolean;
  language: Lang;
  country: string;
  time_zone: string;
  case_reference?: string;
  slot_start?: string;
  email?: string;
  privacy_notice_version: string;
}

export interface SupportReceipt {
  id: string;
  status: 'waiting' | 'booked' | string;
  open_now: boolean;
  slot: Slot | null;
  calendar_ics: string | null;
  next_step: string;
  crisis?: unknown;
}

export interface MemberCase {
  reference: string;
  status: string;
  updated_at: string;
  case_manager: { name: string } | null;
  /** The care plan they may see (never staff notes); null until there is one (for an urgent case: one signed off). */
  plan: MemberPlan | null;
}

/** The member's status: one case at the top level (as first specified), or a list in `cases`. */
export interface MemberStatus extends Partial<MemberCase> {
  cases?: MemberCase[];
  language: string;
  contact: { email?: string; phone?: string; hours?: string };
  crisis?: unknown;
}

/** The member's cases, whichever shape the server sent. */
export function casesOf(s: MemberStatus): MemberCase[] {
  const list = Array.isArray(s.cases) ? s.cases : s.reference ? [s as MemberCase] : [];
  return list
    .filter((c) => c && typeof c.reference === 'string')
    .map((c) => ({
      reference: c.reference,
      status: String(c.status ?? ''),
      updated_at: String(c.updated_at ?? ''),
      case_manager: c.case_manager?.name ? { name: c.case_manager.name } : null,
      plan: parseMemberPlan((c as { plan?: unknown }).plan),
    }));
}

const member = { noCsrf: true, allow401: true } as const;
const langHeader = (lang: Lang) => ({ 'Accept-Language': lang });

export function getAvailability(timeZone: string, lang: Lang, signal?: AbortSignal): Promise<Availability> {
  const q = new URLSearchParams({ time_zone: timeZone });
  return api.request(`/api/v1/support/availability?${q.toString()}`, { ...member, headers: langHeader(lang), ...(signal ? { signal } : {}) });
}

/** The same Idempotency-Key on every retry: never two requests for one ask. */
export function createSupportRequest(body: SupportRequestBody, idempotencyKey: string, lang: Lang): Promise<SupportReceipt> {
  return api.request('/api/v1/support-requests', { ...member, method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey, ...langHeader(lang) } });
}

/** Always 202, whether or not the address is known. */
export function requestStatusLink(email: string, lang: Lang): Promise<{ message?: string }> {
  return api.request('/api/v1/member/links', { ...member, method: 'POST', body: { email }, headers: langHeader(lang) });
}

/** 410 when the link was used or has expired. Sets the member cookie. */
export function exchangeStatusToken(token: string, lang: Lang): Promise<MemberStatus> {
  return api.request('/api/v1/member/sessions', { ...member, method: 'POST', body: { token }, headers: langHeader(lang) });
}

/** 401 without the member cookie. */
export function getMemberStatus(lang: Lang): Promise<MemberStatus> {
  return api.request('/api/v1/member/status', { ...member, headers: langHeader(lang) });
}

export function memberLogout(): Promise<void> {
  return api.request('/api/v1/member/logout', { ...member, method: 'POST' });
}

/**
 * Crisis lines from a response's `crisis`, in either shape the API uses: the intake's
 * `{resources: {country, emergency, lines, …}}`, or `{country, resources: [lines…]}`.
 */
export function crisisOf(v: unknown): CrisisResources | null {
  if (!v || typeof v !== 'object') return null;
  const c = v as Record<string, unknown>;
  if (c.resources && typeof c.resources === 'object' && !Array.isArray(c.resources)) return parseCrisisResources(c.resources);
  if (Array.isArray(c.resources)) {
    return parseCrisisResources({
      country: c.country,
      emergency: c.emergency,
      lines: c.resources as CrisisLine[],
      ...(typeof c.note === 'string' ? { note: c.note } : {}),
    });
  }
  return parseCrisisResources(c);
}
