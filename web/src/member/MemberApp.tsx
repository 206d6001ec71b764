// /talk, /status and /finder (and /es/…): in the member shell, in the person's language. The
// finder is its own chunk (it carries the matching catalogs), loaded only on its page.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FinderPage as FinderPageType } from './Finder';
import { Loading } from '../components/ui';
import { browserLang, I18nContext, translator, type Lang } from '../i18n';
import { loadLangChoice } from '../intake/draft';
import { resolveLang } from '../intake/paths';
import { navigate, useLocation } from '../router';
import { memberPagePath, parseOtherMemberPath } from './paths';
import { deviceCountry, MemberShell, useFocusHeadingOn, useFooterCrisis } from './Shell';
import { StatusPage, takeTokenFromUrl } from './Status';
import { TalkPage } from './Talk';
import '../intake/intake.css';

export function MemberApp() {
  const loc = useLocation();
  const parsed = parseOtherMemberPath(loc.path);
  const page = parsed?.page ?? 'talk';
  const { lang, redirect } = resolveLang(parsed?.explicitLang ?? null, loadLangChoice(), browserLang(navigator.languages));
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  // The status link's token is read and removed from the address before anything else.
  const [token, setToken] = useState(() => (page === 'status' ? takeTokenFromUrl() : null));
  // A link pasted into a tab already on /status changes only the fragment: open it all the same.
  const [opened, setOpened] = useState(0);
  useEffect(() => {
    if (page !== 'status') return;
    const onHash = () => {
      const tk = takeTokenFromUrl();
      if (tk === null) return;
      setToken(tk);
      setOpened((n) => n + 1);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [page]);
  const footerCrisis = useFooterCrisis(deviceCountry(), lang);
  useFocusHeadingOn(loc.path);
  // The finder's search is its address: the language switch and the redirect keep it.
  const keep = page === 'finder' ? loc.search : '';
  const [Finder, setFinder] = useState<typeof FinderPageType | null>(null);
  const [finderFailed, setFinderFailed] = useState(false);
  useEffect(() => {
    if (page !== 'finder' || Finder) return;
    import('./Finder')
      .then((m) => setFinder(() => m.FinderPage))
      .catch(() => setFinderFailed(true));
  }, [page]);

  useEffect(() => {
    if (redirect) navigate(memberPagePath(page, 'es') + keep, { replace: true });
  }, [redirect, page]);

  const other: Lang = lang === 'es' ? 'en' : 'es';
  return (
    <I18nContext.Provider value={i18n}>
      <MemberShell homeHref={memberPagePath(page, lang)} switchHref={memberPagePath(page, other) + keep} footerCrisis={footerCrisis}>
        {redirect ? (
          <Loading label={i18n.t('shell.loading')} />
        ) : page === 'finder' ? (
          Finder ? (
            <Finder key={lang} path={loc.path} search={loc.search} />
          ) : finderFailed ? (
            <p role="alert">{i18n.t('finder.loadFailed')}</p>
          ) : (
            <Loading label={i18n.t('shell.loading')} />
          )
        ) : page === 'status' ? (
          <StatusPage key={`${lang}-${opened}`} footerCrisis={footerCrisis} token={token} onTokenUsed={() => setToken(null)} />
        ) : (
          <TalkPage key={lang} footerCrisis={footerCrisis} />
        )}
      </MemberShell>
    </I18nContext.Provider>
  );
}
