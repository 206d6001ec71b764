import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './api';
import { directoryApi } from './directoryApi';

function client(responses: Array<() => Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = responses.shift();
    if (!r) throw new Error('no more responses');
    return r();
  });
  const c = new ApiClient(fetchImpl);
  c.setCsrfToken('csrf-1');
  return { d: directoryApi(c), calls };
}
const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const hdr = (init: RequestInit, name: string) => (init.headers as Record<string, string>)[name];

describe('directory API client', () => {
  it('lists with the search and page, and leaves out an empty search', async () => {
    const { d, calls } = client([json(200, { total: 0, page: 1, per_page: 25, services: [] }), json(200, { total: 0, page: 2, per_page: 25, services: [] })]);
    await d.listServices('quiet room', 1);
    await d.listServices('', 2);
    expect(calls[0]!.url).toBe('/api/v1/directory/services?search=quiet+room&page=1&per_page=25');
    expect(calls[1]!.url).toBe('/api/v1/directory/services?page=2&per_page=25');
  });

  it('edits with If-Match and the CSRF token, as a merge patch', async () => {
    const { d, calls } = client([json(200, {}), json(200, {})]);
    await d.editService('s/1', 7, { url: null, name: 'X' });
    await d.editMyService('s2', '8', { alert: 'Closed' });
    expect(calls[0]!.url).toBe('/api/v1/directory/services/s%2F1');
    expect(calls[0]!.init.method).toBe('PATCH');
    expect(hdr(calls[0]!.init, 'If-Match')).toBe('"7"');
    expect(hdr(calls[0]!.init, 'X-CSRF-Token')).toBe('csrf-1');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ url: null, name: 'X' });
    expect(calls[1]!.url).toBe('/api/v1/provider/services/s2');
    expect(hdr(calls[1]!.init, 'If-Match')).toBe('"8"');
  });

  it('reads and saves the private notes with If-Match (first save "0"), staff and provider', async () => {
    const notes = { staff_contact: null, waitlist_note: null, version: 0, updated_at: null, updated_by_role: null };
    const saved = { staff_contact: 'Ring Sam', waitlist_note: null, version: 1, updated_at: '2026-01-05T10:00:00Z', updated_by_role: 'admin' };
    const { d, calls } = client([json(200, notes), json(200, saved), json(200, saved), json(200, { ...saved, version: 2 })]);
    expect(await d.getPrivateNotes('s/1')).toEqual(notes);
    expect(await d.savePrivateNotes('s/1', 0, { staff_contact: 'Ring Sam', waitlist_note: null })).toEqual(saved);
    await d.myPrivateNotes('s2');
    await d.saveMyPrivateNotes('s2', 1, { staff_contact: null, waitlist_note: 'Six weeks' });
    expect(calls.map((c) => `${String(c.init.method)} ${c.url}`)).toEqual([
      'GET /api/v1/directory/services/s%2F1/private',
      'PUT /api/v1/directory/services/s%2F1/private',
      'GET /api/v1/provider/services/s2/private',
      'PUT /api/v1/provider/services/s2/private',
    ]);
    expect(hdr(calls[0]!.init, 'If-Match')).toBeUndefined();
    expect(hdr(calls[1]!.init, 'If-Match')).toBe('"0"');
    expect(hdr(calls[1]!.init, 'X-CSRF-Token')).toBe('csrf-1');
    expect(hdr(calls[1]!.init, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ staff_contact: 'Ring Sam', waitlist_note: null });
    expect(hdr(calls[3]!.init, 'If-Match')).toBe('"1"');
    expect(JSON.parse(String(calls[3]!.init.body))).toEqual({ staff_contact: null, waitlist_note: 'Six weeks' });
  });

  it('gives the private notes\' 412 and 422 back as ApiErrors with their field errors', async () => {
    const { d } = client([
      json(412, { status: 412, title: 'Precondition Failed' }),
      json(422, { status: 422, title: 'Invalid', errors: [{ field: '/waitlist_note', code: 'too_long', message: 'At most 2000 characters' }] }),
    ]);
    await expect(d.savePrivateNotes('s1', 3, { staff_contact: null, waitlist_note: 'x' })).rejects.toMatchObject({ status: 412 });
    const e = await d.saveMyPrivateNotes('s1', 3, { staff_contact: null, waitlist_note: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).problem.errors).toEqual([{ field: '/waitlist_note', code: 'too_long', message: 'At most 2000 characters' }]);
  });

  it('uploads an import as the raw file with its own content type', async () => {
    const { d, calls } = client([json(202, { id: 'j1' })]);
    const file = new Blob(['{"id":"x"}\n'], { type: '' });
    await d.startImport(file, { format: 'ndjson', dryRun: true, strict: true, name: 'dir.ndjson' });
    expect(calls[0]!.url).toBe('/api/v1/directory/imports?format=ndjson&dry_run=true&strict=true&name=dir.ndjson');
    expect(calls[0]!.init.method).toBe('POST');
    expect(hdr(calls[0]!.init, 'Content-Type')).toBe('application/x-ndjson');
    expect(calls[0]!.init.body).toBe(file);
  });

  it('reads a missing provider link as "not linked", other errors as errors', async () => {
    const { d, calls } = client([
      json(404, { status: 404, title: 'Not found' }),
      json(200, { user_id: 'u', organization_id: 'o', organization_name: 'Org' }),
      json(403, { status: 403, title: 'Forbidden' }),
    ]);
    expect(await d.getProviderLink('u')).toBeNull();
    expect(await d.setProviderLink('u', 'o')).toEqual({ user_id: 'u', organization_id: 'o', organization_name: 'Org' });
    expect(calls[1]!.init.method).toBe('PUT');
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ organization_id: 'o' });
    await expect(d.getProviderLink('u')).rejects.toBeInstanceOf(ApiError);
  });

  it('confirms openings and changes the listing', async () => {
    const { d, calls } = client([json(200, {}), json(200, {})]);
    await d.confirmOpenings('s1', 3);
    await d.setListing('s1', 'paused');
    expect(calls[0]!.url).toBe('/api/v1/provider/services/s1/openings');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ available: 3 });
    expect(calls[1]!.url).toBe('/api/v1/provider/services/s1/listing');
    expect(calls[1]!.init.method).toBe('PUT');
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ state: 'paused' });
  });

  it('sends the check-in token in the body only, never in the URL', async () => {
    const { d, calls } = client([json(200, { service_id: 's', service_name: 'S', openings: { count: 2, stale: false, last_confirmed_at: null } })]);
    await d.checkin('tok-secret-123');
    expect(calls[0]!.url).toBe('/api/v1/provider/checkins');
    expect(calls[0]!.url).not.toContain('tok-secret');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ token: 'tok-secret-123' });
    expect(hdr(calls[0]!.init, 'X-CSRF-Token')).toBeUndefined();
  });
});
