import { describe, expect, it } from 'vitest';
import type { User } from './api';
import { decide, loginPathFor, nextParam } from './routes';
import type { SessionState } from './session';

const base: User = {
  id: 'u1',
  email: 'a@example.com',
  name: 'A',
  role: 'admin',
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
};
const signedIn = (u: Partial<User> = {}): SessionState => ({ status: 'signed-in', user: { ...base, ...u } });
const anon: SessionState = { status: 'anonymous' };

describe('decide', () => {
  it('waits while the session loads', () => {
    expect(decide('/users', '', { status: 'loading' })).toEqual({ kind: 'loading' });
  });

  it('sends anonymous people to sign in, remembering where they were going', () => {
    expect(decide('/users', '', anon)).toEqual({ kind: 'redirect', to: '/login?next=%2Fusers' });
    expect(decide('/', '', anon)).toEqual({ kind: 'redirect', to: '/login' });
    expect(decide('/login', '', anon).kind).toBe('render');
    expect(decide('/users', '', { status: 'anonymous', reason: 'signed-out' })).toEqual({ kind: 'redirect', to: '/login' });
  });

  it('keeps staff on enrolment until TOTP is set up', () => {
    const s = signedIn({ totp_enrolled: false });
    expect(decide('/', '', s)).toEqual({ kind: 'redirect', to: '/enrol' });
    expect(decide('/users', '', s)).toEqual({ kind: 'redirect', to: '/enrol' });
    expect(decide('/login', '', s)).toEqual({ kind: 'redirect', to: '/enrol' });
    expect(decide('/enrol', '', s).kind).toBe('render');
    // Not required (e.g. a member): no enrolment gate.
    expect(decide('/', '', signedIn({ totp_enrolled: false, totp_required: false, role: 'member' })).kind).toBe('render');
  });

  it('sends signed-in people away from login and enrolment', () => {
    expect(decide('/login', '?next=%2Fusers', signedIn())).toEqual({ kind: 'redirect', to: '/users' });
    expect(decide('/login', '?next=https://evil.example', signedIn())).toEqual({ kind: 'redirect', to: '/' });
    expect(decide('/enrol', '', signedIn())).toEqual({ kind: 'redirect', to: '/' });
  });

  it('lets only admins into admin pages', () => {
    expect(decide('/users', '', signedIn()).kind).toBe('render');
    expect(decide('/users/abc', '', signedIn())).toEqual({ kind: 'render', route: { name: 'userEdit', params: { id: 'abc' } } });
    expect(decide('/users', '', signedIn({ role: 'case_manager' }))).toEqual({ kind: 'forbidden' });
    expect(decide('/tokens', '', signedIn({ role: 'supervisor' }))).toEqual({ kind: 'forbidden' });
    expect(decide('/account', '', signedIn({ role: 'case_manager' })).kind).toBe('render');
    expect(decide('/nope', '', signedIn())).toEqual({ kind: 'not-found' });
  });

  it('lets case managers and supervisors open a case by its deep link, and no one else', () => {
    const route = { name: 'case', params: { id: 'c-1' } };
    expect(decide('/cases/c-1', '', signedIn({ role: 'case_manager' }))).toEqual({ kind: 'render', route });
    expect(decide('/cases/c-1', '', signedIn({ role: 'supervisor' }))).toEqual({ kind: 'render', route });
    expect(decide('/cases/c-1', '', signedIn())).toEqual({ kind: 'forbidden' });
    expect(decide('/cases/c-1', '', signedIn({ role: 'provider' }))).toEqual({ kind: 'forbidden' });
    expect(decide('/cases/c-1', '', anon)).toEqual({ kind: 'redirect', to: '/login?next=%2Fcases%2Fc-1' });
    expect(decide('/cases', '', signedIn({ role: 'case_manager' }))).toEqual({ kind: 'not-found' });
  });
});

describe('next parameter', () => {
  it('round-trips local paths only', () => {
    expect(nextParam(new URL('http://x' + loginPathFor('/users/abc', '?q=1')).search)).toBe('/users/abc?q=1');
    expect(nextParam('?next=//evil.example')).toBeNull();
    expect(nextParam('')).toBeNull();
  });
});
