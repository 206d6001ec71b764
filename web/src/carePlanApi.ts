// The care plan endpoints (docs/matching.md, "Care plans"), and the Good Faith Estimate made for
// one of its provider items, on the shared client (JSON, X-CSRF-Token on writes, problem+json →
// ApiError). Console only.
import { api, type ApiClient } from './api';
import type { CarePlan, CarePlanRequest } from './carePlan';
import type { GoodFaithEstimate, GoodFaithEstimateRequest } from './goodFaith';

const ifMatch = (version: number | string) => ({ 'If-Match': `"${String(version)}"` });
const planPath = (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}/plan`;

export function carePlanApi(client: ApiClient = api) {
  return {
    /** The newest version (version 0: none yet) with the list of versions. */
    getPlan(caseId: string): Promise<CarePlan> {
      return client.request(planPath(caseId));
    },

    /**
     * Saves the next version. `version` is the one edited ("0" for the first plan): 412 when
     * someone saved since; 422 (or 400) naming each field as a JSON Pointer ("/items/0/title").
     */
    savePlan(caseId: string, version: number, body: CarePlanRequest): Promise<CarePlan> {
      return client.request(planPath(caseId), { method: 'PUT', body, headers: ifMatch(version) });
    },

    /** One version as it was saved (404 when there is no such version). */
    getVersion(caseId: string, version: number): Promise<CarePlan> {
      return client.request(`${planPath(caseId)}/versions/${encodeURIComponent(String(version))}`);
    },

    /**
     * A supervisor signs off `version`, which must be the newest (412 otherwise; 409 when it is
     * already signed; 403 for anyone but a supervisor).
     */
    signOff(caseId: string, version: number): Promise<CarePlan> {
      return client.request(`${planPath(caseId)}/sign-off`, { method: 'POST', headers: ifMatch(version) });
    },

    /**
     * A Good Faith Estimate for one listing, made for this case and stored nowhere (the page prints
     * it). 422 naming the field: "/session_fee_cents" when the listing gives no fee, "/service_id"
     * when no listed service has that id, "/sessions", "/first_session_on"… out of range.
     */
    goodFaithEstimate(caseId: string, body: GoodFaithEstimateRequest): Promise<GoodFaithEstimate> {
      return client.request(`/api/v1/cases/${encodeURIComponent(caseId)}/good-faith-estimate`, { method: 'POST', body });
    },
  };
}

export const carePlans = carePlanApi();
