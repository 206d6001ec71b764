// Who is signed in. The session itself is the HttpOnly `sc_session` cookie; this keeps the
// user record from /me (or the login response) and hands the CSRF token to the API client.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type User } from './api';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: 'signed-out' | 'expired' }
  | { status: 'signed-in'; user: User };

let state: SessionState = { status: 'loading' };
const listeners = new Set<(s: SessionState) => void>();

function set(s: SessionState): void {
  state = s;
  for (const l of [...listeners]) l(s);
}

export function getSession(): SessionState {
  return state;
}

export function useSession(): SessionState {
  const [s, setS] = useState<SessionState>(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => {
      listeners.delete(setS);
    };
  }, []);
  return s;
}

/** Staff must enrol TOTP before anything else. */
export function needsTotpEnrolment(u: User): boolean {
  return !!u.totp_required && !u.totp_enrolled;
}

export function isAdmin(u: User): boolean {
  return u.role === 'admin';
}

/** Loads the session from GET /me. A 401 means nobody is signed in. */
export async function refreshSession(): Promise<SessionState> {
  try {
    const me = await api.me();
    const { csrf_token: _csrf, ...user } = me;
    void _csrf;
    set({ status: 'signed-in', user });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      api.setCsrfToken(null);
      set({ status: 'anonymous' });
    } else {
      throw e;
    }
  }
  return state;
}

export function signedIn(user: User): void {
  set({ status: 'signed-in', user });
}

export function updateUser(user: User): void {
  if (state.status === 'signed-in') set({ status: 'signed-in', user });
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // The server session may already be gone; we forget ours either way.
  }
  set({ status: 'anonymous', reason: 'signed-out' });
}

/** Any 401 from the API: the session is over. */
export function sessionExpired(): void {
  api.setCsrfToken(null);
  if (state.status !== 'anonymous') set({ status: 'anonymous', reason: 'expired' });
}
