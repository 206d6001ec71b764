// The directory endpoints (staff console, provider portal, the public check-in), on the shared
// client (JSON, X-CSRF-Token on writes, problem+json → ApiError). Console chunk only.
import { api, ApiError, type ApiClient } from './api';
import {
  importContentType,
  importQuery,
  type Checkin,
  type Freshness,
  type ImportFormat,
  type ImportJob,
  type PrivateNotes,
  type PrivateNotesBody,
  type ProviderLink,
  type ServiceDetail,
  type ServicePage,
  type ServiceSummary,
} from './directory';

const ifMatch = (version: number | string) => ({ 'If-Match': `"${String(version)}"` });
const enc = encodeURIComponent;

export function directoryApi(client: ApiClient = api) {
  return {
    // --- staff ---------------------------------------------------------------------------------

    listServices(search: string, page: number, perPage = 25): Promise<ServicePage> {
      const q = new URLSearchParams();
      if (search) q.set('search', search);
      q.set('page', String(page));
      q.set('per_page', String(perPage));
      return client.request(`/api/v1/directory/services?${q.toString()}`);
    },

    getService(id: string): Promise<ServiceDetail> {
      return client.request(`/api/v1/directory/services/${enc(id)}`);
    },

    /** A JSON merge patch (null removes a field); 412 when it changed since `version`. */
    editService(id: string, version: number | string, patch: Record<string, unknown>): Promise<ServiceSummary> {
      return client.request(`/api/v1/directory/services/${enc(id)}`, { method: 'PATCH', body: patch, headers: ifMatch(version) });
    },

    verifyService(id: string): Promise<ServiceSummary> {
      return client.request(`/api/v1/directory/services/${enc(id)}/verify`, { method: 'POST' });
    },

    /** The listing's private notes (never public); version 0 when nothing was ever saved. */
    getPrivateNotes(id: string): Promise<PrivateNotes> {
      return client.request(`/api/v1/directory/services/${enc(id)}/private`);
    },

    /** Both notes (null clears one), If-Match the version read; 412 when it changed since. */
    savePrivateNotes(id: string, version: number | string, body: PrivateNotesBody): Promise<PrivateNotes> {
      return client.request(`/api/v1/directory/services/${enc(id)}/private`, { method: 'PUT', body, headers: ifMatch(version) });
    },

    freshness(limit = 50): Promise<Freshness> {
      return client.request(`/api/v1/directory/freshness?limit=${limit}`);
    },

    /** Sends the file as it is; the server answers 202 with the job, then reads it in the background. */
    startImport(file: Blob, o: { format: ImportFormat; dryRun: boolean; strict: boolean; name: string }): Promise<ImportJob> {
      return client.request(`/api/v1/directory/imports?${importQuery(o)}`, {
        method: 'POST',
        rawBody: file,
        contentType: importContentType(o.format),
      });
    },

    getImport(id: string): Promise<ImportJob> {
      return client.request(`/api/v1/directory/imports/${enc(id)}`);
    },

    /** null when the user is not linked to an organization (404). */
    async getProviderLink(userId: string): Promise<ProviderLink | null> {
      try {
        return await client.request<ProviderLink>(`/api/v1/directory/provider-links/${enc(userId)}`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },

    setProviderLink(userId: string, organizationId: string): Promise<ProviderLink> {
      return client.request(`/api/v1/directory/provider-links/${enc(userId)}`, { method: 'PUT', body: { organization_id: organizationId } });
    },

    // --- the provider's own listings ----------------------------------------------------------

    myServices(): Promise<{ services: ServiceSummary[] }> {
      return client.request('/api/v1/provider/services');
    },

    myService(id: string): Promise<ServiceDetail> {
      return client.request(`/api/v1/provider/services/${enc(id)}`);
    },

    editMyService(id: string, version: number | string, patch: Record<string, unknown>): Promise<ServiceSummary> {
      return client.request(`/api/v1/provider/services/${enc(id)}`, { method: 'PATCH', body: patch, headers: ifMatch(version) });
    },

    myPrivateNotes(id: string): Promise<PrivateNotes> {
      return client.request(`/api/v1/provider/services/${enc(id)}/private`);
    },

    saveMyPrivateNotes(id: string, version: number | string, body: PrivateNotesBody): Promise<PrivateNotes> {
      return client.request(`/api/v1/provider/services/${enc(id)}/private`, { method: 'PUT', body, headers: ifMatch(version) });
    },

    /** "Still taking clients": how many openings there are, confirmed now. */
    confirmOpenings(id: string, available: number): Promise<ServiceSummary> {
      return client.request(`/api/v1/provider/services/${enc(id)}/openings`, { method: 'POST', body: { available } });
    },

    /** 409 once the listing was removed. */
    setListing(id: string, state: 'listed' | 'paused' | 'removed'): Promise<ServiceSummary> {
      return client.request(`/api/v1/provider/services/${enc(id)}/listing`, { method: 'PUT', body: { state } });
    },

    // --- public ------------------------------------------------------------------------------

    /** The weekly mail's one-click link. The token goes in the body, never in a URL; 410 once used. */
    checkin(token: string): Promise<Checkin> {
      return client.request('/api/v1/provider/checkins', { method: 'POST', body: { token }, noCsrf: true, allow401: true });
    },
  };
}

export const directory = directoryApi();
