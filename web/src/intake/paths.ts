// Member URLs: /intake[/<page>] in English, /es/intake[/<page>] in Spanish. An unprefixed
// URL follows the person's saved choice, else the browser's language.
import { isLang, type Lang } from '../i18n';
import { PAGES, type PageId } from './model';

export type Screen = 'start' | PageId | 'sent';

const MEMBER = /^\/(?:es\/)?intake(?:\/|$)/;
const PARSE = /^\/(?:(es)\/)?intake(?:\/([A-Za-z0-9_-]*))?\/?$/;

export function isMemberPath(path: string): boolean {
  return MEMBER.test(path);
}

/** The language the URL asks for ("es" prefix), and the screen; screen null = no such page. */
export function parseMemberPath(path: string): { explicitLang: Lang | null; screen: Screen | null } {
  const m = PARSE.exec(path);
  if (!m) return { explicitLang: /^\/es\//.test(path) ? 'es' : null, screen: null };
  const explicitLang = m[1] && isLang(m[1]) ? m[1] : null;
  const slug = m[2] ?? '';
  if (slug === '') return { explicitLang, screen: 'start' };
  if (slug === 'sent') return { explicitLang, screen: 'sent' };
  return { explicitLang, screen: (PAGES as readonly string[]).includes(slug) ? (slug as PageId) : null };
}

export function screenPath(lang: Lang, screen: Screen, query = ''): string {
  const base = lang === 'es' ? '/es/intake' : '/intake';
  const p = screen === 'start' ? base : `${base}/${screen}`;
  return query ? `${p}?${query}` : p;
}

/**
 * The page language: an explicit /es/ prefix wins; otherwise the saved choice, then the
 * browser. `redirect` is true when an unprefixed URL should move to /es/….
 */
export function resolveLang(explicit: Lang | null, saved: Lang | null, browser: Lang): { lang: Lang; redirect: boolean } {
  if (explicit) return { lang: explicit, redirect: false };
  const lang = saved ?? browser;
  return { lang, redirect: lang === 'es' };
}

/** The same screen in the other language (for the language switch). */
export function switchLangPath(path: string, search: string, to: Lang): string {
  const { screen } = parseMemberPath(path);
  const q = search.startsWith('?') ? search.slice(1) : search;
  return screenPath(to, screen ?? 'start', q);
}
