// The case endpoints, on the shared client (JSON, X-CSRF-Token on writes, problem+json →
// ApiError). Kept out of api.ts so the member intake's bundle does not carry them: only the
// console chunk imports this.
import { api, type ApiClient, type Page } from './api';
import type { CaseDetail, CaseFilter, CaseNote, CaseSummary, QueueTotals } from './cases';

const ifMatch = (version: number | string) => ({ 'If-Match': `"${String(version)}"` });
const casePath = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;

export function caseApi(client: ApiClient = api) {
  return {
    /** Urgent first, then the oldest. Case managers see theirs and unassigned; supervisors see all. */
    listCases(filter: CaseFilter, cursor: string | null, limit = 50): Promise<Page<CaseSummary> & { counts?: QueueTotals }> {
      const q = new URLSearchParams({ limit: String(limit) });
      if (filter.status) q.set('status', filter.status);
      if (filter.urgentOnly) q.set('urgent', 'true');
      if (cursor) q.set('cursor', cursor);
      return client.request(`/api/v1/cases?${q.toString()}`);
    },

    /** 404 when the case does not exist or is not visible to this user. */
    getCase(id: string): Promise<CaseDetail> {
      return client.request(casePath(id));
    },

    /** null unassigns (supervisors); a case manager may only take an unassigned case for themself. */
    assignCase(id: string, version: number | string, userId: string | null): Promise<CaseSummary> {
      return client.request(`${casePath(id)}/assign`, { method: 'POST', body: { user_id: userId }, headers: ifMatch(version) });
    },

    /** Forward only; `closed` (and a supervisor's reopen to `active`) needs a reason. */
    setCaseStatus(id: string, version: number | string, status: string, reason?: string): Promise<CaseSummary> {
      const body: { status: string; reason?: string } = { status };
      if (reason !== undefined && reason !== '') body.reason = reason;
      return client.request(`${casePath(id)}/status`, { method: 'POST', body, headers: ifMatch(version) });
    },

    listNotes(id: string): Promise<Page<CaseNote>> {
      return client.request(`${casePath(id)}/notes`);
    },

    addNote(id: string, body: string): Promise<CaseNote> {
      return client.request(`${casePath(id)}/notes`, { method: 'POST', body: { body } });
    },

    /** Only the author; 412 when the note changed since `version`. */
    editNote(id: string, noteId: string, version: number | string, body: string): Promise<CaseNote> {
      return client.request(`${casePath(id)}/notes/${encodeURIComponent(noteId)}`, { method: 'PATCH', body: { body }, headers: ifMatch(version) });
    },
  };
}

export const cases = caseApi();
