// The member pages besides the intake: /talk ("talk to someone now") and /status, each with
// its Spanish twin under /es/. An unprefixed URL follows the saved choice, else the browser.
import type { Lang } from '../i18n';

export type MemberPage = 'talk' | 'status';

const PARSE = /^\/(?:(es)\/)?(talk|status)\/?$/;

/** The page and the language the URL asks for (null: not one of these pages). */
export function parseOtherMemberPath(path: string): { page: MemberPage; explicitLang: Lang | null } | null {
  const m = PARSE.exec(path);
  if (!m) return null;
  return { page: m[2] as MemberPage, explicitLang: m[1] === 'es' ? 'es' : null };
}

export function memberPagePath(page: MemberPage, lang: Lang): string {
  return lang === 'es' ? `/es/${page}` : `/${page}`;
}
