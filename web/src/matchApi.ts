// The matching endpoints (docs/matching.md), on the shared client (JSON, X-CSRF-Token on writes,
// problem+json → ApiError). Loaded with the console's case page and with the public finder.
import { api, type ApiClient } from './api';
import type { CaseMatches, FinderAnswer, MatchQueryBody } from './matching';

export function matchApi(client: ApiClient = api) {
  return {
    /**
     * A case's matches: the case's intake gives the starting query and `body` overrides any of its
     * fields ({} = the case as it is). 400 for unknown fields or types, 422 for rules between
     * fields, each naming its field (a JSON Pointer into the body).
     */
    caseMatches(caseId: string, body: MatchQueryBody, signal?: AbortSignal): Promise<CaseMatches> {
      return client.request(`/api/v1/cases/${encodeURIComponent(caseId)}/matches`, { method: 'POST', body, ...(signal ? { signal } : {}) });
    },

    /** The public finder: anonymous, rate-limited, stores nothing. `params` as finderParams() builds them. */
    finder(params: URLSearchParams, signal?: AbortSignal): Promise<FinderAnswer> {
      return client.request(`/api/v1/finder?${params.toString()}`, { allow401: true, ...(signal ? { signal } : {}) });
    },

    /**
     * A result's open HSDS 3.1 service record (public, rate-limited like the finder), read for its
     * contact details (contact.ts) when a person opens them: the finder's answer does not carry them.
     */
    service(serviceId: string, signal?: AbortSignal): Promise<unknown> {
      return client.request(`/hsds/services/${encodeURIComponent(serviceId)}`, { allow401: true, ...(signal ? { signal } : {}) });
    },
  };
}

export const matches = matchApi();
