// The words of the Good Faith Estimate document — its headings, the services by catalog key, the
// notices, what the provider must add and what was assumed — in English and Spanish: flat catalogs
// in the same format and under the same rules as i18n/<lang>/web.json (i18n/README.md), kept in
// i18n/<lang>/gfe.json. The server's answer names every text by key, so the document prints in
// the member's language. They load with the console's case page only.
import enJson from '../../../i18n/en/gfe.json';
import esJson from '../../../i18n/es/gfe.json';
import { interpolate, type Lang, type Vars } from './index';

export type GfeKey = keyof typeof enJson;
export type GfeMessages = Record<GfeKey, string>;

// Both ways, as for web.json: a key missing from es/gfe.json (or extra in it) fails tsc.
type Missing = Exclude<GfeKey, keyof typeof esJson>;
type Extra = Exclude<keyof typeof esJson, GfeKey>;
const sameKeys: [Missing, Extra] extends [never, never] ? true : { missingInEs: Missing; extraInEs: Extra } = true;
void sameKeys;

export const GFE_EN: GfeMessages = enJson;
export const GFE_ES: GfeMessages = esJson;
export const GFE_DICTIONARIES: Record<Lang, GfeMessages> = { en: GFE_EN, es: GFE_ES };

export type GT = (key: GfeKey, vars?: Vars) => string;

export function isGfeKey(k: string): k is GfeKey {
  return Object.prototype.hasOwnProperty.call(GFE_EN, k);
}

export function gfeTranslator(lang: Lang): GT {
  const dict = GFE_DICTIONARIES[lang] ?? GFE_EN;
  return (key, vars) => interpolate(dict[key] ?? GFE_EN[key] ?? key, vars);
}
