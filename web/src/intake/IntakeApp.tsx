// The member intake: /intake (English) and /es/intake (Spanish). Its own shell (header with
// the language switch, main, the crisis footer), the draft kept on this device, and the pages.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { Loading, Link } from '../components/ui';
import { browserLang, I18nContext, translator, type Lang } from '../i18n';
import { navigate, useLocation } from '../router';
import { getCrisisResources } from './api';
import { CrisisFooter } from './Crisis';
import { IntakeContext, type IntakeCtx, type PlacedProblem } from './context';
import {
  clearDraft,
  loadDraft,
  loadLangChoice,
  loadReceipt,
  saveDraft,
  saveLangChoice,
  saveReceipt,
  srcFromSearch,
  storageWorks,
  type Receipt,
} from './draft';
import { guard } from './flow';
import { newDraft, type Answers, type CrisisResources, type Draft, type PageId } from './model';
import {
  ContactPage,
  HouseholdPage,
  InsurancePage,
  MemberNotFound,
  NamePage,
  PreferencesPage,
  RequestsPage,
  RolePage,
  ScreeningPage,
  StartPage,
  TourPage,
  WherePage,
  WhoPage,
} from './pages';
import { parseMemberPath, resolveLang, screenPath, switchLangPath, type Screen } from './paths';
import { deviceTimeZone, isCountry } from './regions';
import { ReviewPage, SentPage } from './review';
import './intake.css';

const PAGE_COMPONENTS: Record<PageId, FunctionComponent> = {
  who: WhoPage,
  name: NamePage,
  contact: ContactPage,
  role: RolePage,
  where: WherePage,
  tour: TourPage,
  requests: RequestsPage,
  insurance: InsurancePage,
  household: HouseholdPage,
  preferences: PreferencesPage,
  phq2: () => <ScreeningPage inst="phq2" />,
  phq9: () => <ScreeningPage inst="phq9" />,
  gad2: () => <ScreeningPage inst="gad2" />,
  gad7: () => <ScreeningPage inst="gad7" />,
  review: ReviewPage,
};

/** The device's country from its locale ("en-GB" → "GB"), to preselect on the "where" page. */
function localeCountry(): string {
  for (const l of navigator.languages ?? [navigator.language]) {
    const region = /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(l)?.[1]?.toUpperCase();
    if (region && isCountry(region)) return region;
  }
  return '';
}

function freshDraft(): Draft {
  const d = newDraft(new Date(), deviceTimeZone());
  d.answers.country = localeCountry();
  return d;
}

export function IntakeApp() {
  const loc = useLocation();
  const { explicitLang, screen } = parseMemberPath(loc.path);
  const { lang, redirect } = resolveLang(explicitLang, loadLangChoice(), browserLang(navigator.languages));
  const i18n = useMemo(() => ({ lang, t: translator(lang) }), [lang]);
  const { t } = i18n;
  const query = new URLSearchParams(loc.search);
  const fromReview = query.get('from') === 'review';

  const [storageOk] = useState(() => storageWorks());
  const [draft, setDraft] = useState<Draft>(() => loadDraft(undefined, new Date(), deviceTimeZone()) ?? freshDraft());
  const ref = useRef(draft);
  const update = useCallback((fn: (d: Draft) => Draft) => {
    const next = fn(ref.current);
    ref.current = next;
    saveDraft(next);
    setDraft(next);
  }, []);
  const [problems, setProblems] = useState<PlacedProblem[]>([]);
  const [receipt, setReceipt] = useState<Receipt | null>(() => loadReceipt());
  const [footerCrisis, setFooterCrisis] = useState<CrisisResources | null>(null);
  const [serverFooter] = useState(() => !!document.getElementById('crisis-footer'));

  // Keep the attribution code (?src=venue:ryman) in the draft; tidy the address; follow the language.
  useEffect(() => {
    const src = srcFromSearch(loc.search);
    if (src && ref.current.src !== src) update((d) => ({ ...d, src }));
    if (redirect || query.has('src')) {
      query.delete('src');
      const target = redirect ? screenPath('es', screen ?? 'start', query.toString()) : `${loc.path}${query.size ? '?' + query.toString() : ''}`;
      navigate(target, { replace: true });
    }
  }, [loc.path, loc.search, redirect]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // The crisis line for their country (default US) in their language, in the footer.
  const country = isCountry(draft.answers.country) ? draft.answers.country : 'US';
  useEffect(() => {
    const ac = new AbortController();
    getCrisisResources(country, lang, ac.signal)
      .then((r) => {
        if (r) setFooterCrisis(r);
      })
      .catch(() => {
        // Keep what we have; the server's own footer stays visible until we have ours.
      });
    return () => ac.abort();
  }, [country, lang]);

  // The server renders a crisis footer into the HTML (works without scripts). Ours replaces it
  // only once we have the lines to show.
  useEffect(() => {
    const el = document.getElementById('crisis-footer');
    if (el) el.hidden = !!footerCrisis;
  }, [footerCrisis]);

  // After client-side navigation: focus the new page's heading and go to the top.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
      h.focus();
    }
  }, [loc.path]);

  const go = useCallback(
    (s: Screen, opts: { replace?: boolean; query?: string } = {}) => navigate(screenPath(lang, s, opts.query), { replace: !!opts.replace }),
    [lang],
  );

  const ctx: IntakeCtx = {
    draft,
    current: () => ref.current,
    update,
    setAnswer: <K extends keyof Answers>(key: K, value: Answers[K]) => update((d) => ({ ...d, answers: { ...d.answers, [key]: value } })),
    go,
    fromReview,
    problems,
    setProblems,
    footerCrisis,
    storageOk,
    receipt,
    finish: (r) => {
      clearDraft();
      saveReceipt(r);
      setReceipt(r);
      const fresh = freshDraft();
      ref.current = fresh;
      setDraft(fresh);
      setProblems([]);
      go('sent', { replace: true });
    },
    reset: () => {
      clearDraft();
      const fresh = freshDraft();
      if (ref.current.src) fresh.src = ref.current.src;
      ref.current = fresh;
      setDraft(fresh);
      setProblems([]);
    },
  };

  // Which page, or where to send the person instead.
  let redirectTo: string | null = null;
  let body = null;
  if (redirect) body = <Loading label={t('shell.loading')} />;
  else if (screen === null) body = <MemberNotFound />;
  else if (screen === 'start') body = <StartPage />;
  else if (screen === 'sent') {
    if (receipt) body = <SentPage />;
    else redirectTo = screenPath(lang, 'start');
  } else {
    const g = guard(draft, screen);
    if (g) redirectTo = screenPath(lang, g);
    else {
      const Page = PAGE_COMPONENTS[screen];
      body = <Page key={screen} />;
    }
  }
  useEffect(() => {
    if (redirectTo) navigate(redirectTo, { replace: true });
  }, [redirectTo]);

  const other: Lang = lang === 'es' ? 'en' : 'es';
  const switchHref = switchLangPath(loc.path, loc.search, other);
  const onSwitch = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    saveLangChoice(other);
    navigate(switchHref);
  };
  const skip = (e: MouseEvent) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  // "Help now": straight to the crisis lines at the foot of the page (ours, or the server's).
  const helpTarget = footerCrisis || !serverFooter ? 'crisis-help' : 'crisis-footer';
  const onHelp = (e: MouseEvent) => {
    const el = document.getElementById(helpTarget);
    if (!el) return;
    e.preventDefault();
    el.scrollIntoView({ block: 'start' });
    const h = el.querySelector<HTMLElement>('h2');
    if (h) {
      if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
      h.focus();
    }
  };

  return (
    <I18nContext.Provider value={i18n}>
      <IntakeContext.Provider value={ctx}>
        <a class="skip-link" href="#main" onClick={(e) => skip(e as unknown as MouseEvent)}>
          {t('shell.skip')}
        </a>
        <header class="header header--member">
          <div class="container container--member header__inner">
            <Link href={screenPath(lang, 'start')} class="header__brand">
              {t('shell.brand')}
            </Link>
            <div class="header__links">
              <a href={`#${helpTarget}`} class="help-link" data-testid="help-now" onClick={(e) => onHelp(e as unknown as MouseEvent)}>
                {t('shell.help')}
              </a>
              <a
                href={switchHref}
                hreflang={other}
                lang={other}
                class="lang-switch"
                data-testid="lang-switch"
                onClick={(e) => onSwitch(e as unknown as MouseEvent)}
              >
                {t('shell.switch')}
              </a>
            </div>
            <p class="header__tagline">{t('shell.tag')}</p>
          </div>
        </header>
        <main id="main" class="container container--member main" tabIndex={-1}>
          {body ?? <Loading label={t('shell.loading')} />}
        </main>
        {(footerCrisis || !serverFooter) && <CrisisFooter resources={footerCrisis} />}
      </IntakeContext.Provider>
    </I18nContext.Provider>
  );
}
