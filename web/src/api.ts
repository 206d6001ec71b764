// The Soundcheck API client: same-origin JSON over fetch, with the session cookie (HttpOnly,
// so JS never sees it) and the CSRF token header on every cookie-authenticated write.
import { isProblemType, toProblem, type Problem } from './problem';

export const ROLES = [
  'member',
  'case_manager',
  'supervisor',
  'provider',
  'fund_reviewer',
  'sponsor',
  'partner_app',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  member: 'Member',
  case_manager: 'Case manager',
  supervisor: 'Supervisor',
  provider: 'Provider',
  fund_reviewer: 'Fund reviewer',
  sponsor: 'Sponsor',
  partner_app: 'Partner app',
  admin: 'Admin',
};

export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  totp_enrolled: boolean;
  totp_required: boolean;
  version: number | string;
  created_at: string;
}

export interface Me extends User {
  csrf_token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface NewApiToken {
  id: string;
  name: string;
  token: string;
  created_at: string;
}

export class ApiError extends Error {
  readonly problem: Problem;
  readonly headers: Headers | null;
  constructor(problem: Problem, headers: Headers | null = null) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.headers = headers;
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** A body sent as it is (e.g. a file being imported), with its own Content-Type. */
  rawBody?: Blob | string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Do not treat a 401 as "session over" (login uses 401 for wrong credentials). */
  allow401?: boolean;
  /** Leave out the CSRF header even on a write (login: there is no session yet). */
  noCsrf?: boolean;
  signal?: AbortSignal;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ApiClient {
  private csrf: string | null = null;
  private readonly fetchImpl: FetchLike;
  private readonly base: string;
  /** Called on any 401 (except where allow401): the app goes to the sign-in page. */
  onUnauthorized: (() => void) | null = null;
  /** Called on a 403 `mfa-enrolment-required`: the app reloads /me and goes to enrolment. */
  onMfaRequired: (() => void) | null = null;

  constructor(fetchImpl?: FetchLike, base = '') {
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.base = base;
  }

  setCsrfToken(token: string | null): void {
    this.csrf = token;
  }

  get csrfToken(): string | null {
    return this.csrf;
  }

  async request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (opts.signal) init.signal = opts.signal;
    if (opts.rawBody !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/octet-stream';
      init.body = opts.rawBody;
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    if (!SAFE_METHODS.has(method) && this.csrf && !opts.noCsrf) headers['X-CSRF-Token'] = this.csrf;

    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, init);
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(toProblem(null, 0));
    }

    if (res.ok) {
      if (res.status === 204 || res.status === 205) return undefined as T;
      const text = await res.text();
      if (text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ApiError(
          toProblem({ detail: 'The server sent a response we could not read.' }, res.status),
          res.headers,
        );
      }
    }

    let body: unknown = null;
    try {
      const text = await res.text();
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const problem = toProblem(body, res.status, res.statusText);
    if (res.status === 401 && !opts.allow401) this.onUnauthorized?.();
    if (res.status === 403 && isProblemType(problem, 'mfa-enrolment-required')) this.onMfaRequired?.();
    throw new ApiError(problem, res.headers);
  }

  // --- auth and the current user ---------------------------------------------------------

  async login(email: string, password: string, totpCode?: string): Promise<{ user: User; csrf_token: string }> {
    const body: Record<string, string> = { email, password };
    if (totpCode !== undefined) body.totp_code = totpCode;
    const out = await this.request<{ user: User; csrf_token: string }>('/api/v1/auth/login', {
      method: 'POST',
      body,
      allow401: true,
      noCsrf: true,
    });
    this.setCsrfToken(out.csrf_token);
    return out;
  }

  async logout(): Promise<void> {
    try {
      await this.request<void>('/api/v1/auth/logout', { method: 'POST', allow401: true });
    } finally {
      this.setCsrfToken(null);
    }
  }

  /** GET /me; a 401 here is "not signed in", so it does not fire onUnauthorized. */
  async me(): Promise<Me> {
    const me = await this.request<Me>('/api/v1/me', { allow401: true });
    this.setCsrfToken(me.csrf_token);
    return me;
  }

  enrolTotp(): Promise<{ secret: string; otpauth_uri: string }> {
    return this.request('/api/v1/me/totp', { method: 'POST' });
  }

  confirmTotp(code: string): Promise<void> {
    return this.request('/api/v1/me/totp/confirm', { method: 'POST', body: { code } });
  }

  changePassword(current_password: string, new_password: string): Promise<void> {
    return this.request('/api/v1/me/password', { method: 'POST', body: { current_password, new_password } });
  }

  // --- users (admin) -------------------------------------------------------------------------

  listUsers(cursor: string | null, limit = 50): Promise<Page<User>> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (cursor) q.set('cursor', cursor);
    return this.request(`/api/v1/users?${q.toString()}`);
  }

  getUser(id: string): Promise<User> {
    return this.request(`/api/v1/users/${encodeURIComponent(id)}`);
  }

  createUser(u: { email: string; name: string; role: string; password: string }): Promise<User> {
    return this.request('/api/v1/users', { method: 'POST', body: u });
  }

  updateUser(
    id: string,
    version: number | string,
    patch: { name?: string; role?: string; disabled?: boolean },
  ): Promise<User> {
    return this.request(`/api/v1/users/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: patch,
      headers: { 'If-Match': `"${String(version)}"` },
    });
  }

  // --- API tokens of the current user -------------------------------------------------------

  listTokens(cursor: string | null, limit = 50): Promise<Page<ApiToken>> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (cursor) q.set('cursor', cursor);
    return this.request(`/api/v1/tokens?${q.toString()}`);
  }

  createToken(name: string): Promise<NewApiToken> {
    return this.request('/api/v1/tokens', { method: 'POST', body: { name } });
  }

  revokeToken(id: string): Promise<void> {
    return this.request(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
}

export const api = new ApiClient();

/** Seconds from a Retry-After header (delta-seconds or HTTP date), or null. */
export function retryAfterSeconds(headers: Headers | null, now = Date.now()): number | null {
  const v = headers?.get('Retry-After');
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return parseInt(v.trim(), 10);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.ceil((t - now) / 1000));
}
