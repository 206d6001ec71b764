import { afterEach, describe, expect, it, vi } from 'vitest';
import { matchPath, navigate, onLinkClick, resolve, safeLocalPath, subscribe } from './router';
import { ROUTES } from './routes';

describe('matchPath', () => {
  it('matches static and parameter segments', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/users', '/users')).toEqual({});
    expect(matchPath('/users', '/users/')).toEqual({});
    expect(matchPath('/users/:id', '/users/01934c5e-aaaa')).toEqual({ id: '01934c5e-aaaa' });
    expect(matchPath('/users/:id', '/users/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/users/:id', '/users')).toBeNull();
    expect(matchPath('/users/:id', '/users/1/x')).toBeNull();
    expect(matchPath('/users/:id', '/users/%E0%A4%A')).toBeNull();
  });

  it('resolves the console routes in order', () => {
    expect(resolve(ROUTES, '/users/new')?.name).toBe('userNew');
    expect(resolve(ROUTES, '/users/abc')).toEqual({ name: 'userEdit', params: { id: 'abc' } });
    expect(resolve(ROUTES, '/')?.name).toBe('queue');
    expect(resolve(ROUTES, '/tokens')?.name).toBe('tokens');
    expect(resolve(ROUTES, '/nope')).toBeNull();
  });
});

describe('safeLocalPath', () => {
  it('refuses anything that leaves the origin', () => {
    expect(safeLocalPath('/users?x=1')).toBe('/users?x=1');
    expect(safeLocalPath('//evil.example/')).toBe('/');
    expect(safeLocalPath('/\\evil.example')).toBe('/');
    expect(safeLocalPath('https://evil.example/')).toBe('/');
    expect(safeLocalPath(null)).toBe('/');
  });
});

describe('navigate', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('pushes history entries and tells subscribers', () => {
    const seen: string[] = [];
    const off = subscribe((l) => seen.push(l.path + l.search));
    const before = window.history.length;
    navigate('/users');
    expect(window.location.pathname).toBe('/users');
    expect(window.history.length).toBe(before + 1);
    navigate('/account?x=1', { replace: true });
    expect(window.location.pathname).toBe('/account');
    expect(window.history.length).toBe(before + 1);
    off();
    navigate('/tokens');
    expect(seen).toEqual(['/users', '/account?x=1']);
  });

  it('follows the back button (popstate)', () => {
    navigate('/users');
    navigate('/tokens');
    const seen: string[] = [];
    const off = subscribe((l) => seen.push(l.path));
    window.history.replaceState(null, '', '/users');
    window.dispatchEvent(new PopStateEvent('popstate'));
    off();
    expect(seen).toEqual(['/users']);
  });
});

describe('onLinkClick', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  function click(href: string, init: MouseEventInit = {}) {
    const a = document.createElement('a');
    a.setAttribute('href', href);
    document.body.appendChild(a);
    const handler = vi.fn((e: MouseEvent) => onLinkClick(e));
    a.addEventListener('click', handler);
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0, ...init });
    a.dispatchEvent(ev);
    a.remove();
    return ev;
  }

  it('handles plain clicks on local links in the app', () => {
    const ev = click('/users');
    expect(ev.defaultPrevented).toBe(true);
    expect(window.location.pathname).toBe('/users');
  });

  it('leaves modified clicks, fragments and other origins to the browser', () => {
    expect(click('/users', { ctrlKey: true }).defaultPrevented).toBe(false);
    expect(click('#main').defaultPrevented).toBe(false);
    expect(click('https://example.com/').defaultPrevented).toBe(false);
    expect(click('//example.com/').defaultPrevented).toBe(false);
    expect(window.location.pathname).toBe('/');
  });
});
