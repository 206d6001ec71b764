// The frame of every member page (/intake, /talk, /status and their /es/ twins): skip link,
// header with "Help now" and the language switch, <main>, and the crisis footer for the
// person's country — which replaces the server's no-script footer once it has loaded.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link } from '../components/ui';
import { useI18n, type Lang } from '../i18n';
import { getCrisisResources } from '../intake/api';
import { CrisisFooter } from '../intake/Crisis';
import { saveLangChoice } from '../intake/draft';
import type { CrisisResources } from '../intake/model';
import { isCountry } from '../intake/regions';
import { navigate } from '../router';

/** The device's country from its locale ("en-GB" → "GB"), or "". */
export function deviceCountry(): string {
  for (const l of navigator.languages ?? [navigator.language]) {
    const region = /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(l)?.[1]?.toUpperCase();
    if (region && isCountry(region)) return region;
  }
  return '';
}

/** The crisis lines for the footer (default US), in the page language; null until loaded. */
export function useFooterCrisis(country: string, lang: Lang): CrisisResources | null {
  const [footerCrisis, setFooterCrisis] = useState<CrisisResources | null>(null);
  const cc = isCountry(country) ? country : 'US';
  useEffect(() => {
    const ac = new AbortController();
    getCrisisResources(cc, lang, ac.signal)
      .then((r) => {
        if (r) setFooterCrisis(r);
      })
      .catch(() => {
        // Keep what we have; the server's own footer stays visible until we have ours.
      });
    return () => ac.abort();
  }, [cc, lang]);
  return footerCrisis;
}

/** After client-side navigation: focus the new page's heading and go to the top (not on first load). */
export function useFocusHeadingOn(key: string): void {
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
  }, [key]);
}

export function MemberShell({
  homeHref,
  switchHref,
  footerCrisis,
  children,
}: {
  homeHref: string;
  /** The same page in the other language. */
  switchHref: string;
  footerCrisis: CrisisResources | null;
  children: ComponentChildren;
}) {
  const { lang, t } = useI18n();
  const [serverFooter] = useState(() => !!document.getElementById('crisis-footer'));
  const other: Lang = lang === 'es' ? 'en' : 'es';

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // The server renders a crisis footer into the HTML (works without scripts). Ours replaces it
  // only once we have the lines to show.
  useEffect(() => {
    const el = document.getElementById('crisis-footer');
    if (el) el.hidden = !!footerCrisis;
  }, [footerCrisis]);

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
    <>
      <a class="skip-link" href="#main" onClick={(e) => skip(e as unknown as MouseEvent)}>
        {t('shell.skip')}
      </a>
      <header class="header header--member">
        <div class="container container--member header__inner">
          <Link href={homeHref} class="header__brand">
            {t('shell.brand')}
          </Link>
          <div class="header__links">
            <a href={`#${helpTarget}`} class="help-link" data-testid="help-now" onClick={(e) => onHelp(e as unknown as MouseEvent)}>
              {t('shell.help')}
            </a>
            <a href={switchHref} hreflang={other} lang={other} class="lang-switch" data-testid="lang-switch" onClick={(e) => onSwitch(e as unknown as MouseEvent)}>
              {t('shell.switch')}
            </a>
          </div>
          <p class="header__tagline">{t('shell.tag')}</p>
        </div>
      </header>
      <main id="main" class="container container--member main" tabIndex={-1}>
        {children}
      </main>
      {(footerCrisis || !serverFooter) && <CrisisFooter resources={footerCrisis} />}
    </>
  );
}
