// The words of matching — the console's "Find care" and the public finder — in English and
// Spanish: flat catalogs in the same format and under the same rules as i18n/<lang>/web.json
// (i18n/README.md), kept in i18n/<lang>/matching.json. They load with the matching code
// only (the console's chunk and the finder's), so the intake's bundle does not carry them.
import { useMemo } from 'preact/hooks';
import enJson from '../../../i18n/en/matching.json';
import esJson from '../../../i18n/es/matching.json';
import { interpolate, useI18n, type Lang, type T, type Vars } from './index';

export type MatchKey = keyof typeof enJson;
export type MatchMessages = Record<MatchKey, string>;

// Both ways, as for web.json: a key missing from es/matching.json (or extra in it) fails tsc.
type Missing = Exclude<MatchKey, keyof typeof esJson>;
type Extra = Exclude<keyof typeof esJson, MatchKey>;
const sameKeys: [Missing, Extra] extends [never, never] ? true : { missingInEs: Missing; extraInEs: Extra } = true;
void sameKeys;

export const MATCH_EN: MatchMessages = enJson;
export const MATCH_ES: MatchMessages = esJson;
export const MATCH_DICTIONARIES: Record<Lang, MatchMessages> = { en: MATCH_EN, es: MATCH_ES };

export type MT = (key: MatchKey, vars?: Vars) => string;

export function isMatchKey(k: string): k is MatchKey {
  return Object.prototype.hasOwnProperty.call(MATCH_EN, k);
}

export function matchTranslator(lang: Lang): MT {
  const dict = MATCH_DICTIONARIES[lang] ?? MATCH_EN;
  return (key, vars) => interpolate(dict[key] ?? MATCH_EN[key] ?? key, vars);
}

/** "1 result" / "3 results": `base.one` or `base.other` by the language's plural rules. */
export function plural(t: MT, lang: Lang, base: string, n: number, vars: Vars = {}): string {
  const form = new Intl.PluralRules(lang).select(n) === 'one' ? 'one' : 'other';
  const key = `${base}.${form}`;
  return isMatchKey(key) ? t(key, { n, ...vars }) : String(n);
}

export interface MatchI18n {
  lang: Lang;
  /** the matching catalogs */
  t: MT;
  /** the member pages' catalogs (web.json) */
  tw: T;
}

/** The page's language (the member pages' context; the console's is English) with these catalogs. */
export function useMatchI18n(): MatchI18n {
  const { lang, t: tw } = useI18n();
  return useMemo(() => ({ lang, t: matchTranslator(lang), tw }), [lang, tw]);
}
