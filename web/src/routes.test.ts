import { describe, expect, it } from 'vitest';
import type { User } from './api';
import { decide, homePath, loginPathFor, nextParam } from './routes';
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

describe('the provider directory and the provider portal', () => {
  const staff = ['case_manager', 'supervisor', 'admin'] as const;
  const others = ['member', 'fund_reviewer', 'sponsor', 'partner_app'] as const;

  it('lets case managers, supervisors and admins browse the directory and its freshness, and no one else', () => {
    for (const role of staff) {
      expect(decide('/directory', '?search=x', signedIn({ role })).kind).toBe('render');
      expect(decide('/directory/services/s-1', '', signedIn({ role }))).toEqual({ kind: 'render', route: { name: 'directoryService', params: { id: 's-1' } } });
      expect(decide('/directory/freshness', '', signedIn({ role })).kind).toBe('render');
    }
    for (const role of ['provider', ...others] as const) {
      expect(decide('/directory', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
      expect(decide('/directory/services/s-1', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
      expect(decide('/directory/freshness', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
    }
  });

  it('keeps imports for admins', () => {
    expect(decide('/directory/imports', '', signedIn()).kind).toBe('render');
    expect(decide('/directory/imports/j-1', '', signedIn())).toEqual({ kind: 'render', route: { name: 'importJob', params: { id: 'j-1' } } });
    for (const role of ['case_manager', 'supervisor', 'provider'] as const) {
      expect(decide('/directory/imports', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
      expect(decide('/directory/imports/j-1', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
    }
  });

  it('sends providers to their portal, and keeps them out of staff pages', () => {
    const p = signedIn({ role: 'provider' });
    expect(homePath('provider')).toBe('/provider');
    expect(homePath('case_manager')).toBe('/');
    expect(decide('/', '', p)).toEqual({ kind: 'redirect', to: '/provider' });
    expect(decide('/login', '', p)).toEqual({ kind: 'redirect', to: '/provider' });
    expect(decide('/enrol', '', p)).toEqual({ kind: 'redirect', to: '/provider' });
    expect(decide('/provider', '', p)).toEqual({ kind: 'render', route: { name: 'provider', params: {} } });
    expect(decide('/provider/services/s-1', '', p)).toEqual({ kind: 'render', route: { name: 'providerService', params: { id: 's-1' } } });
    expect(decide('/account', '', p).kind).toBe('render');
    for (const path of ['/cases/c-1', '/support', '/rota', '/users', '/users/u-1', '/tokens', '/directory', '/directory/imports']) {
      expect(decide(path, '', p)).toEqual({ kind: 'forbidden' });
    }
  });

  it('keeps staff out of the provider portal', () => {
    for (const role of [...staff, ...others] as const) {
      expect(decide('/provider', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
      expect(decide('/provider/services/s-1', '', signedIn({ role }))).toEqual({ kind: 'forbidden' });
    }
    // Staff still land on the queue.
    expect(decide('/login', '', signedIn({ role: 'case_manager' }))).toEqual({ kind: 'redirect', to: '/' });
  });

  it('makes providers enrol TOTP first, and sends them to sign in with the way back kept', () => {
    const p = signedIn({ role: 'provider', totp_enrolled: false });
    expect(decide('/provider', '', p)).toEqual({ kind: 'redirect', to: '/enrol' });
    expect(decide('/provider', '', anon)).toEqual({ kind: 'redirect', to: '/login?next=%2Fprovider' });
  });

  it('opens the check-in link for anyone, at once, even before the session is known', () => {
    const route = { name: 'providerCheckin', params: {} };
    expect(decide('/provider/checkin', '', { status: 'loading' })).toEqual({ kind: 'render', route });
    expect(decide('/provider/checkin', '', anon)).toEqual({ kind: 'render', route });
    expect(decide('/provider/checkin', '', signedIn({ role: 'provider', totp_enrolled: false }))).toEqual({ kind: 'render', route });
    expect(decide('/provider/checkin', '', signedIn({ role: 'case_manager' }))).toEqual({ kind: 'render', route });
  });
});

describe('next parameter', () => {
  it('round-trips local paths only', () => {
    expect(nextParam(new URL('http://x' + loginPathFor('/users/abc', '?q=1')).search)).toBe('/users/abc?q=1');
    expect(nextParam('?next=//evil.example')).toBeNull();
    expect(nextParam('')).toBeNull();
  });
});
