// The member intake: /intake (English) and /es/intake (Spanish). In the member shell (header
// with the language switch, main, the crisis footer), the draft kept on this device, and the pages.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FunctionComponent } from 'preact';
import { Loading } from '../components/ui';
import { browserLang, I18nContext, translator, type Lang } from '../i18n';
import { navigate, useLocation } from '../router';
import { deviceCountry, MemberShell, useFocusHeadingOn, useFooterCrisis } from '../member/Shell';
import { IntakeContext, type IntakeCtx, type PlacedProblem } from './context';
import {
  clearDraft,
  loadDraft,
  loadLangChoice,
  loadReceipt,
  saveDraft,
  saveReceipt,
  srcFromSearch,
  storageWorks,
  type Receipt,
} from './draft';
import { guard } from './flow';
import { newDraft, type Answers, type Draft, type PageId } from './model';
import {
  ContactPage,
  CssrsPage,
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
import { deviceTimeZone } from './regions';
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
  cssrs: CssrsPage,
  gad2: () => <ScreeningPage inst="gad2" />,
  gad7: () => <ScreeningPage inst="gad7" />,
  review: ReviewPage,
};

function freshDraft(): Draft {
  const d = newDraft(new Date(), deviceTimeZone());
  d.answers.country = deviceCountry();
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

  // The crisis line for their country (default US) in their language, in the footer.
  const footerCrisis = useFooterCrisis(draft.answers.country, lang);
  useFocusHeadingOn(loc.path);

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

  return (
    <I18nContext.Provider value={i18n}>
      <IntakeContext.Provider value={ctx}>
        <MemberShell homeHref={screenPath(lang, 'start')} switchHref={switchHref} footerCrisis={footerCrisis}>
          {body ?? <Loading label={t('shell.loading')} />}
        </MemberShell>
      </IntakeContext.Provider>
    </I18nContext.Provider>
  );
}
