import { describe, expect, it } from 'vitest';
import { isMemberPath, parseMemberPath, resolveLang, screenPath, switchLangPath } from './paths';

describe('member paths', () => {
  it('recognises /intake and /es/intake and their pages', () => {
    expect(isMemberPath('/intake')).toBe(true);
    expect(isMemberPath('/intake/who')).toBe(true);
    expect(isMemberPath('/es/intake/review')).toBe(true);
    expect(isMemberPath('/intakes')).toBe(false);
    expect(isMemberPath('/users')).toBe(false);
    expect(parseMemberPath('/intake')).toEqual({ explicitLang: null, screen: 'start' });
    expect(parseMemberPath('/intake/')).toEqual({ explicitLang: null, screen: 'start' });
    expect(parseMemberPath('/es/intake/phq9')).toEqual({ explicitLang: 'es', screen: 'phq9' });
    expect(parseMemberPath('/intake/sent')).toEqual({ explicitLang: null, screen: 'sent' });
    expect(parseMemberPath('/intake/nope')).toEqual({ explicitLang: null, screen: null });
    expect(parseMemberPath('/es/intake/a/b')).toEqual({ explicitLang: 'es', screen: null });
  });

  it('builds paths in each language', () => {
    expect(screenPath('en', 'start')).toBe('/intake');
    expect(screenPath('es', 'who')).toBe('/es/intake/who');
    expect(screenPath('en', 'name', 'from=review')).toBe('/intake/name?from=review');
  });

  it('an /es/ URL wins; otherwise the saved choice, then the browser', () => {
    expect(resolveLang('es', 'en', 'en')).toEqual({ lang: 'es', redirect: false });
    expect(resolveLang(null, null, 'es')).toEqual({ lang: 'es', redirect: true });
    expect(resolveLang(null, 'en', 'es')).toEqual({ lang: 'en', redirect: false });
    expect(resolveLang(null, 'es', 'en')).toEqual({ lang: 'es', redirect: true });
    expect(resolveLang(null, null, 'en')).toEqual({ lang: 'en', redirect: false });
  });

  it('switches language on the same page, keeping the query', () => {
    expect(switchLangPath('/intake/contact', '?from=review', 'es')).toBe('/es/intake/contact?from=review');
    expect(switchLangPath('/es/intake', '', 'en')).toBe('/intake');
  });
});
