// The one translation mechanism for member pages, shared with the server: flat JSON catalogs
// at the repository root (i18n/<lang>/web.json; see i18n/README.md for the rules) and a
// `t(key, vars)` that fills {placeholders}. The language comes from the URL (/es/…), the
// person's saved choice, or the browser, in that order (see intake/paths.ts).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import enJson from '../../../i18n/en/web.json';
import esJson from '../../../i18n/es/web.json';

/** Every key of the English catalog; the Spanish one must have exactly these. */
export type MessageKey = keyof typeof enJson;
export type Messages = Record<MessageKey, string>;

// Typecheck both ways: a key missing from es/web.json, or one it has that English does not,
// is a compile error here (i18n.test.ts checks the same at run time).
type Missing = Exclude<MessageKey, keyof typeof esJson>;
type Extra = Exclude<keyof typeof esJson, MessageKey>;
const sameKeys: [Missing, Extra] extends [never, never] ? true : { missingInEs: Missing; extraInEs: Extra } = true;
void sameKeys;

export const en: Messages = enJson;
export const es: Messages = esJson;

export const LANGS = ['en', 'es'] as const;
export type Lang = (typeof LANGS)[number];

export const DICTIONARIES: Record<Lang, Messages> = { en, es };

export type Vars = Record<string, string | number>;
export type T = (key: MessageKey, vars?: Vars) => string;

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translator(lang: Lang): T {
  const dict = DICTIONARIES[lang] ?? en;
  return (key, vars) => interpolate(dict[key] ?? en[key] ?? key, vars);
}

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'es';
}

/** The first of the browser's languages we have (by primary subtag), else English. */
export function browserLang(languages: readonly string[] | undefined): Lang {
  for (const l of languages ?? []) {
    const primary = l.toLowerCase().split('-')[0];
    if (isLang(primary)) return primary;
  }
  return 'en';
}

export interface I18n {
  lang: Lang;
  t: T;
}

export const I18nContext = createContext<I18n>({ lang: 'en', t: translator('en') });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
