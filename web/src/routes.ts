// The console's routes and who may see them. Pure, so the rules are unit-tested.
import { resolve, safeLocalPath, type RouteMatch } from './router';
import { isAdmin, needsTotpEnrolment, type SessionState } from './session';
import { worksCases } from './cases';

export const ROUTES = [
  ['queue', '/'],
  ['login', '/login'],
  ['enrol', '/enrol'],
  ['account', '/account'],
  ['users', '/users'],
  ['userNew', '/users/new'],
  ['userEdit', '/users/:id'],
  ['tokens', '/tokens'],
  ['case', '/cases/:id'],
  ['support', '/support'],
  ['rota', '/rota'],
] as const;

export type RouteName = (typeof ROUTES)[number][0];

const ADMIN_ONLY: ReadonlySet<RouteName> = new Set<RouteName>(['users', 'userNew', 'userEdit', 'tokens']);
/** Case work: case managers and supervisors (the API answers 403 to everyone else). */
const CASE_WORK: ReadonlySet<RouteName> = new Set<RouteName>(['case', 'support', 'rota']);

export function matchRoute(path: string): RouteMatch<RouteName> | null {
  return resolve(ROUTES, path);
}

export type Decision =
  | { kind: 'loading' }
  | { kind: 'redirect'; to: string }
  | { kind: 'render'; route: RouteMatch<RouteName> }
  | { kind: 'forbidden' }
  | { kind: 'not-found' };

/** The `next` query parameter of the sign-in page, as a safe local path (or null). */
export function nextParam(search: string): string | null {
  const v = new URLSearchParams(search).get('next');
  if (!v) return null;
  const p = safeLocalPath(v);
  return p === '/' && v !== '/' ? null : p;
}

export function loginPathFor(path: string, search: string): string {
  const here = path + search;
  if (path === '/' || path === '/login' || path === '/enrol') return '/login';
  return `/login?next=${encodeURIComponent(here)}`;
}

export function decide(path: string, search: string, session: SessionState): Decision {
  if (session.status === 'loading') return { kind: 'loading' };
  const route = matchRoute(path);

  if (session.status === 'anonymous') {
    if (route?.name === 'login') return { kind: 'render', route };
    if (session.reason === 'signed-out') return { kind: 'redirect', to: '/login' };
    return { kind: 'redirect', to: loginPathFor(path, search) };
  }

  const user = session.user;
  if (needsTotpEnrolment(user)) {
    if (route?.name === 'enrol') return { kind: 'render', route };
    return { kind: 'redirect', to: '/enrol' };
  }
  if (route?.name === 'login') return { kind: 'redirect', to: nextParam(search) ?? '/' };
  if (route?.name === 'enrol') return { kind: 'redirect', to: '/' };
  if (!route) return { kind: 'not-found' };
  if (ADMIN_ONLY.has(route.name) && !isAdmin(user)) return { kind: 'forbidden' };
  if (CASE_WORK.has(route.name) && !worksCases(user.role)) return { kind: 'forbidden' };
  return { kind: 'render', route };
}
