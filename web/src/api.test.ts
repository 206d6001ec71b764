import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, retryAfterSeconds } from './api';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(responses: Array<() => Response>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = responses.shift();
    if (!r) throw new Error('no more responses');
    return r();
  });
  return { fn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const problem = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });
const noContent = () => new Response(null, { status: 204 });

function header(c: Call, name: string): string | undefined {
  return (c.init.headers as Record<string, string>)[name];
}

const user = {
  id: 'u1',
  email: 'a@example.com',
  name: 'A',
  role: 'admin',
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
};

describe('ApiClient CSRF', () => {
  it('sends X-CSRF-Token from the login response on writes, not on reads or on login', async () => {
    const { fn, calls } = fakeFetch([
      json(200, { user, csrf_token: 'tok-1' }),
      json(200, { items: [], next_cursor: null }),
      json(201, { ...user, id: 'u2' }),
      json(200, user),
      noContent,
      noContent,
    ]);
    const api = new ApiClient(fn);
    api.setCsrfToken('stale');
    await api.login('a@example.com', 'pw');
    expect(header(calls[0]!, 'X-CSRF-Token')).toBeUndefined();
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ email: 'a@example.com', password: 'pw' });

    await api.listUsers(null);
    expect(calls[1]!.init.method).toBe('GET');
    expect(header(calls[1]!, 'X-CSRF-Token')).toBeUndefined();
    expect(calls[1]!.url).toBe('/api/v1/users?limit=50');

    await api.createUser({ email: 'b@example.com', name: 'B', role: 'case_manager', password: 'x' });
    expect(header(calls[2]!, 'X-CSRF-Token')).toBe('tok-1');
    expect(header(calls[2]!, 'Content-Type')).toBe('application/json');

    await api.updateUser('u1', 3, { role: 'supervisor' });
    expect(calls[3]!.init.method).toBe('PATCH');
    expect(header(calls[3]!, 'X-CSRF-Token')).toBe('tok-1');
    expect(header(calls[3]!, 'If-Match')).toBe('"3"');
    expect(JSON.parse(String(calls[3]!.init.body))).toEqual({ role: 'supervisor' });

    await api.revokeToken('t/1');
    expect(calls[4]!.init.method).toBe('DELETE');
    expect(calls[4]!.url).toBe('/api/v1/tokens/t%2F1');
    expect(header(calls[4]!, 'X-CSRF-Token')).toBe('tok-1');

    await api.logout();
    expect(header(calls[5]!, 'X-CSRF-Token')).toBe('tok-1');
    expect(api.csrfToken).toBeNull();
  });

  it('takes the token from GET /me and sends the TOTP code when given', async () => {
    const { fn, calls } = fakeFetch([json(200, { ...user, csrf_token: 'from-me' }), noContent, json(200, { user, csrf_token: 'c2' })]);
    const api = new ApiClient(fn);
    const me = await api.me();
    expect(me.csrf_token).toBe('from-me');
    await api.confirmTotp('123456');
    expect(header(calls[1]!, 'X-CSRF-Token')).toBe('from-me');
    await api.login('a@example.com', 'pw', '654321');
    expect(JSON.parse(String(calls[2]!.init.body))).toEqual({ email: 'a@example.com', password: 'pw', totp_code: '654321' });
    expect(api.csrfToken).toBe('c2');
  });

  it('adds the cursor to list requests', async () => {
    const { fn, calls } = fakeFetch([json(200, { items: [], next_cursor: null })]);
    await new ApiClient(fn).listTokens('abc+/=');
    expect(calls[0]!.url).toBe('/api/v1/tokens?limit=50&cursor=abc%2B%2F%3D');
  });
});

describe('ApiClient errors', () => {
  it('throws ApiError with the problem and calls onUnauthorized on 401', async () => {
    const { fn } = fakeFetch([problem(401, { type: '/problems/unauthenticated', title: 'Unauthenticated', status: 401 })]);
    const api = new ApiClient(fn);
    const spy = vi.fn();
    api.onUnauthorized = spy;
    await expect(api.listUsers(null)).rejects.toBeInstanceOf(ApiError);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('does not treat a failed login or a 401 from /me as an expired session', async () => {
    const { fn } = fakeFetch([
      problem(401, { type: 'https://x/problems/totp-required', title: 'Code needed', status: 401, detail: 'Enter your code' }),
      problem(401, { type: '/problems/unauthenticated', title: 'Unauthenticated', status: 401 }),
    ]);
    const api = new ApiClient(fn);
    const spy = vi.fn();
    api.onUnauthorized = spy;
    const err = await api.login('a', 'b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problem.type).toBe('https://x/problems/totp-required');
    expect((err as ApiError).problem.detail).toBe('Enter your code');
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(spy).not.toHaveBeenCalled();
  });

  it('asks the app to re-check the session when the server wants TOTP enrolment first', async () => {
    const { fn } = fakeFetch([
      problem(403, { type: 'https://soundcheck.dev/problems/mfa-enrolment-required', title: 'Two-step sign-in required', status: 403 }),
      problem(403, { type: 'https://soundcheck.dev/problems/forbidden', title: 'Forbidden', status: 403 }),
    ]);
    const api = new ApiClient(fn);
    const spy = vi.fn();
    api.onMfaRequired = spy;
    await expect(api.listUsers(null)).rejects.toBeInstanceOf(ApiError);
    await expect(api.listUsers(null)).rejects.toBeInstanceOf(ApiError);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('keeps field errors and headers', async () => {
    const { fn } = fakeFetch([
      problem(422, { type: 't', title: 'Invalid', status: 422, errors: [{ field: '/email', code: 'invalid_format', message: 'Bad email' }] }),
      problem(429, { type: 't', title: 'Slow down', status: 429 }, { 'Retry-After': '120' }),
    ]);
    const api = new ApiClient(fn);
    const e1 = (await api.createUser({ email: 'x', name: 'n', role: 'member', password: 'p' }).catch((e: unknown) => e)) as ApiError;
    expect(e1.status).toBe(422);
    expect(e1.problem.errors).toEqual([{ field: '/email', code: 'invalid_format', message: 'Bad email' }]);
    const e2 = (await api.login('a', 'b').catch((e: unknown) => e)) as ApiError;
    expect(e2.status).toBe(429);
    expect(retryAfterSeconds(e2.headers)).toBe(120);
  });

  it('turns a network failure and a non-JSON error into problems', async () => {
    const api = new ApiClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = (await api.listUsers(null).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(0);
    const api2 = new ApiClient(async () => new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' }));
    const e2 = (await api2.listUsers(null).catch((x: unknown) => x)) as ApiError;
    expect(e2.status).toBe(502);
    expect(e2.problem.title).toBe('Bad Gateway');
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterSeconds(new Headers({ 'Retry-After': '30' }))).toBe(30);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds(new Headers({ 'Retry-After': 'Thu, 01 Jan 2026 00:01:00 GMT' }), now)).toBe(60);
    expect(retryAfterSeconds(new Headers())).toBeNull();
    expect(retryAfterSeconds(null)).toBeNull();
  });
});
