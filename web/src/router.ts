// A tiny History API router. The server answers index.html for unknown non-API GET paths,
// so every route here can be reloaded or opened from a deep link.
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  search: string;
}

export type Params = Record<string, string>;

/** Matches "/users/:id" style patterns against a path. Returns params or null. */
export function matchPath(pattern: string, path: string): Params | null {
  const norm = (s: string) => (s.length > 1 ? s.replace(/\/+$/, '') : s);
  const pp = norm(pattern).split('/');
  const xs = norm(path).split('/');
  if (pp.length !== xs.length) return null;
  const params: Params = {};
  for (let i = 0; i < pp.length; i++) {
    const p = pp[i]!;
    const x = xs[i]!;
    if (p.startsWith(':')) {
      if (x === '') return null;
      try {
        params[p.slice(1)] = decodeURIComponent(x);
      } catch {
        return null;
      }
    } else if (p !== x) {
      return null;
    }
  }
  return params;
}

export interface RouteMatch<K extends string> {
  name: K;
  params: Params;
}

export function resolve<K extends string>(routes: ReadonlyArray<readonly [K, string]>, path: string): RouteMatch<K> | null {
  for (const [name, pattern] of routes) {
    const params = matchPath(pattern, path);
    if (params) return { name, params };
  }
  return null;
}

type Listener = (loc: Location) => void;
const listeners = new Set<Listener>();

export function currentLocation(): Location {
  return { path: window.location.pathname || '/', search: window.location.search };
}

function emit(): void {
  const loc = currentLocation();
  for (const l of [...listeners]) l(loc);
}

let popBound = false;
function bindPop(): void {
  if (popBound) return;
  popBound = true;
  window.addEventListener('popstate', emit);
}

export function subscribe(l: Listener): () => void {
  bindPop();
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Only same-origin, absolute paths; anything else becomes "/" (no open redirects). */
export function safeLocalPath(target: string | null | undefined): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  return target;
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = safeLocalPath(to);
  const here = window.location.pathname + window.location.search;
  if (url === here && !opts.replace) {
    emit();
    return;
  }
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  emit();
}

export function useLocation(): Location {
  const [loc, setLoc] = useState<Location>(currentLocation);
  useEffect(() => subscribe(setLoc), []);
  return loc;
}

/** Click handler for <a href="/…">: client-side navigation for plain left clicks. */
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.currentTarget ?? e.target) as HTMLAnchorElement | null;
  if (!a || typeof a.getAttribute !== 'function') return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//') || a.target === '_blank' || a.hasAttribute('download')) return;
  e.preventDefault();
  navigate(href);
}
