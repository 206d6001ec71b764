// A case's care profile (docs/matching.md, "The case's care profile"): the person's facts a case
// manager keeps on the case so that every search starts from them. On the shared client (JSON,
// X-CSRF-Token on writes, problem+json → ApiError). Console only.
import { api, type ApiClient } from './api';
import type { CareProfile, MatchQueryBody } from './matching';

const profilePath = (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}/care-profile`;

export function careProfileApi(client: ApiClient = api) {
  return {
    /** The newest version (version 0 and `{}`: nothing saved yet). */
    get(caseId: string): Promise<CareProfile> {
      return client.request(profilePath(caseId));
    },

    /**
     * Saves the next version. `version` is the one the edit started from (0 for the first): 412
     * when someone saved since; 400 for a field a profile does not keep or a wrong type, 422 for
     * rules between fields, each naming its field as a JSON Pointer under /profile.
     */
    save(caseId: string, version: number, profile: MatchQueryBody): Promise<CareProfile> {
      return client.request(profilePath(caseId), { method: 'PUT', body: { profile }, headers: { 'If-Match': `"${String(version)}"` } });
    },
  };
}

export const careProfiles = careProfileApi();
