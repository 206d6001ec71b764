// The member pages besides the intake: /talk ("talk to someone now"), /status and the public
// finder /finder, each with its Spanish twin under /es/. An unprefixed URL follows the saved
// choice, else the browser. (The staff console's routes are in routes.ts; these public pages
// never reach it: main.tsx sends them to the member app first.)
import type { Lang } from '../i18n';

export type MemberPage = 'talk' | 'status' | 'finder';

const PARSE = /^\/(?:(es)\/)?(talk|status|finder)\/?$/;

/** The page and the language the URL asks for (null: not one of these pages). */
export function parseOtherMemberPath(path: string): { page: MemberPage; explicitLang: Lang | null } | null {
  const m = PARSE.exec(path);
  if (!m) return null;
  return { page: m[2] as MemberPage, explicitLang: m[1] === 'es' ? 'es' : null };
}

export function memberPagePath(page: MemberPage, lang: Lang): string {
  return lang === 'es' ? `/es/${page}` : `/${page}`;
}
