// The live-support endpoints for the staff console (issue 3): urgent-case alerts, duty, the
// staff directory, the rota, the "talk to someone now" queue, and the case additions
// (suggested case managers, linked family cases). On the shared client (JSON, X-CSRF-Token on
// writes, problem+json → ApiError); console chunk only.
import { api, type ApiClient } from './api';

export interface Alert {
  id: string;
  case_id: string;
  reference: string;
  raised_at: string;
  deadline_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  escalated_at: string | null;
}

export interface Duty {
  on_duty: boolean;
  since: string | null;
  on_duty_count: number;
  shift: { id: string; starts_at: string; ends_at: string; time_zone: string } | null;
}

export interface StaffMember {
  id: string;
  name: string;
  role: string;
  on_duty: boolean;
  open_cases: number;
  languages: string[];
  regions: string[];
}

export interface Shift {
  id: string;
  user_id: string;
  user_name: string;
  starts_at: string;
  ends_at: string;
  time_zone: string;
}

/** A new shift: local wall-clock times ("2026-11-26T09:00") in its own time zone. */
export interface NewShift {
  user_id: string;
  starts_at: string;
  ends_at: string;
  time_zone: string;
}

export const SUPPORT_STATUSES = ['waiting', 'claimed', 'booked', 'closed'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];
export const SUPPORT_OUTCOMES = ['talked', 'no_answer', 'voicemail', 'crisis_referral', 'other'] as const;
export type SupportOutcome = (typeof SUPPORT_OUTCOMES)[number];

export interface SupportRequest {
  id: string;
  status: SupportStatus | string;
  created_at: string;
  language: string;
  country: string;
  time_zone: string;
  slot_start: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
  outcome: string | null;
}

export interface SupportRequestDetail extends SupportRequest {
  preferred_name: string;
  phone: string;
  voicemail_ok: boolean;
  case_reference: string | null;
}

export interface Suggestion {
  user_id: string;
  name: string;
  open_cases: number;
  score: number;
  reasons: string[];
}

export const LINK_RELATIONSHIPS = ['partner', 'parent', 'child', 'sibling', 'other'] as const;
export type LinkRelationship = (typeof LINK_RELATIONSHIPS)[number];

export interface CaseLink {
  case_id: string;
  reference: string;
  relationship: string;
}

const enc = encodeURIComponent;

export function liveApi(client: ApiClient = api) {
  return {
    listAlerts(state: 'open' | 'all' = 'open'): Promise<{ items: Alert[] }> {
      return client.request(`/api/v1/alerts?state=${state}`);
    },
    /** Acknowledging twice is fine: the first acknowledgement stays. */
    ackAlert(id: string): Promise<Alert> {
      return client.request(`/api/v1/alerts/${enc(id)}/ack`, { method: 'POST' });
    },

    getDuty(): Promise<Duty> {
      return client.request('/api/v1/duty');
    },
    setDuty(on_duty: boolean): Promise<Duty> {
      return client.request('/api/v1/duty', { method: 'PUT', body: { on_duty } });
    },

    listStaff(): Promise<{ items: StaffMember[] }> {
      return client.request('/api/v1/staff');
    },

    listShifts(from: Date, to: Date): Promise<{ items: Shift[] }> {
      const q = new URLSearchParams({ from: from.toISOString().replace(/\.\d{3}Z$/, 'Z'), to: to.toISOString().replace(/\.\d{3}Z$/, 'Z') });
      return client.request(`/api/v1/shifts?${q.toString()}`);
    },
    createShift(s: NewShift): Promise<Shift> {
      return client.request('/api/v1/shifts', { method: 'POST', body: s });
    },
    deleteShift(id: string): Promise<void> {
      return client.request(`/api/v1/shifts/${enc(id)}`, { method: 'DELETE' });
    },

    listSupport(status: SupportStatus): Promise<{ items: SupportRequest[] }> {
      return client.request(`/api/v1/support-requests?status=${status}`);
    },
    /** The name and phone number too (an audited read). */
    getSupport(id: string): Promise<SupportRequestDetail> {
      return client.request(`/api/v1/support-requests/${enc(id)}`);
    },
    /** 409 when someone else claimed it first. */
    claimSupport(id: string): Promise<SupportRequest> {
      return client.request(`/api/v1/support-requests/${enc(id)}/claim`, { method: 'POST' });
    },
    closeSupport(id: string, outcome: SupportOutcome, note?: string): Promise<SupportRequest> {
      const body: { outcome: SupportOutcome; note?: string } = { outcome };
      if (note && note.trim() !== '') body.note = note.trim();
      return client.request(`/api/v1/support-requests/${enc(id)}/close`, { method: 'POST', body });
    },

    /** Best first. */
    suggestions(caseId: string): Promise<{ items: Suggestion[] }> {
      return client.request(`/api/v1/cases/${enc(caseId)}/suggestions`);
    },
    linkCase(caseId: string, case_reference: string, relationship: LinkRelationship): Promise<CaseLink> {
      return client.request(`/api/v1/cases/${enc(caseId)}/links`, { method: 'POST', body: { case_reference, relationship } });
    },
  };
}

export const liveCalls = liveApi();
