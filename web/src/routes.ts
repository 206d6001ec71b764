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
  ['directory', '/directory'],
  ['directoryService', '/directory/services/:id'],
  ['freshness', '/directory/freshness'],
  ['imports', '/directory/imports'],
  ['importJob', '/directory/imports/:id'],
  ['provider', '/provider'],
  ['providerService', '/provider/services/:id'],
  ['providerCheckin', '/provider/checkin'],
] as const;

export type RouteName = (typeof ROUTES)[number][0];

const ADMIN_ONLY: ReadonlySet<RouteName> = new Set<RouteName>(['users', 'userNew', 'userEdit', 'tokens', 'imports', 'importJob']);
/** Case work: case managers and supervisors (the API answers 403 to everyone else). */
const CASE_WORK: ReadonlySet<RouteName> = new Set<RouteName>(['case', 'support', 'rota']);
/** The provider directory for staff: case managers, supervisors and admins. */
const DIRECTORY: ReadonlySet<RouteName> = new Set<RouteName>(['directory', 'directoryService', 'freshness']);
/** The provider portal: provider accounts only. */
const PROVIDER: ReadonlySet<RouteName> = new Set<RouteName>(['provider', 'providerService']);
/** Pages anyone may open, signed in or not (a mailed one-click link). */
const PUBLIC: ReadonlySet<RouteName> = new Set<RouteName>(['providerCheckin']);

export function worksDirectory(role: string): boolean {
  return role === 'case_manager' || role === 'supervisor' || role === 'admin';
}

export function isProvider(role: string): boolean {
  return role === 'provider';
}

/** Where someone lands after signing in: providers in their portal, everyone else on the queue. */
export function homePath(role: string): string {
  return isProvider(role) ? '/provider' : '/';
}

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
  const route = matchRoute(path);
  // A public page renders at once: it must read its link before anything else happens.
  if (route && PUBLIC.has(route.name)) return { kind: 'render', route };
  if (session.status === 'loading') return { kind: 'loading' };

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
  const home = homePath(user.role);
  if (route?.name === 'login') return { kind: 'redirect', to: nextParam(search) ?? home };
  if (route?.name === 'enrol') return { kind: 'redirect', to: home };
  if (!route) return { kind: 'not-found' };
  // The queue is the staff home page; a provider's is the portal.
  if (route.name === 'queue' && home !== '/') return { kind: 'redirect', to: home };
  if (ADMIN_ONLY.has(route.name) && !isAdmin(user)) return { kind: 'forbidden' };
  if (CASE_WORK.has(route.name) && !worksCases(user.role)) return { kind: 'forbidden' };
  if (DIRECTORY.has(route.name) && !worksDirectory(user.role)) return { kind: 'forbidden' };
  if (PROVIDER.has(route.name) && !isProvider(user.role)) return { kind: 'forbidden' };
  return { kind: 'render', route };
}
