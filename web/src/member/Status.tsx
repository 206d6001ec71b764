// The member's status page (/status, /es/status). "Email me a link" (always the same answer,
// so it never tells whether an address is known); the mailed link carries a single-use token in
// the fragment (#t=…, never sent to a server log), which we exchange for a member session and
// then remove from the address. The page says where the case is, who the case manager is, how
// to reach us and the crisis lines; "Sign out" ends the member session.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Button, ErrorSummary, TextField, type FormErrors } from '../components/forms';
import { Loading, Notice } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { CrisisInline } from '../intake/Crisis';
import { emailOk } from '../intake/flow';
import type { CrisisResources } from '../intake/model';
import { MemberPlanView } from './Plan';
import { casesOf, crisisOf, exchangeStatusToken, getMemberStatus, memberLogout, requestStatusLink, type MemberCase, type MemberStatus } from './api';

const STATUS_WORDS: Record<string, MessageKey> = {
  new: 'status.s.new',
  contacted: 'status.s.contacted',
  assessing: 'status.s.assessing',
  planning: 'status.s.planning',
  active: 'status.s.active',
  closed: 'status.s.closed',
};

/**
 * The token of a status link (`#t=…`), removed from the address at once with
 * history.replaceState so it is not kept in the history, shared or bookmarked.
 */
export function takeTokenFromUrl(): string | null {
  const m = /^#t=([A-Za-z0-9._~-]{8,512})$/.exec(window.location.hash);
  if (!window.location.hash.startsWith('#t=')) return null;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return m ? m[1]! : '';
}

type View =
  | { kind: 'loading' }
  | { kind: 'form'; expired?: boolean; signedOut?: boolean }
  | { kind: 'status'; status: MemberStatus };

function formatDate(iso: string, lang: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(t));
}

export function StatusPage({
  footerCrisis,
  token,
  onTokenUsed,
}: {
  footerCrisis: CrisisResources | null;
  token: string | null;
  /** A link's token works once: after trying it, the page uses the member session. */
  onTokenUsed: () => void;
}) {
  const { lang, t } = useI18n();
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [loadError, setLoadError] = useState(false);
  const started = useRef(false);

  const open = async () => {
    setLoadError(false);
    try {
      if (token !== null) {
        onTokenUsed();
        if (token === '') {
          setView({ kind: 'form', expired: true });
          return;
        }
        setView({ kind: 'status', status: await exchangeStatusToken(token, lang) });
        return;
      }
      setView({ kind: 'status', status: await getMemberStatus(lang) });
    } catch (e) {
      if (e instanceof ApiError && token !== null && (e.status === 410 || e.status === 404 || e.status === 400)) setView({ kind: 'form', expired: true });
      else if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) setView({ kind: 'form' });
      else {
        setLoadError(true);
        setView({ kind: 'form' });
      }
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void open();
  }, []);

  const title = view.kind === 'status' ? t('status.yourTitle') : t('status.title');
  useEffect(() => {
    document.title = t('title.page', { title });
  }, [title]);

  const signOut = async () => {
    try {
      await memberLogout();
    } catch {
      // the cookie expires within the hour either way
    }
    setView({ kind: 'form', signedOut: true });
    window.scrollTo(0, 0);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  };

  if (view.kind === 'loading') {
    return (
      <div class="narrow">
        <h1>{t('status.title')}</h1>
        <Loading label={t('status.opening')} />
      </div>
    );
  }
  if (view.kind === 'status') return <StatusView s={view.status} footerCrisis={footerCrisis} onSignOut={() => void signOut()} />;
  return (
    <div class="narrow" data-testid="page-status-form">
      <h1 tabIndex={-1}>{t('status.title')}</h1>
      {view.expired && (
        <Notice kind="warning" testId="status-expired">
          <p>{t('status.expired')}</p>
        </Notice>
      )}
      {view.signedOut && (
        <Notice testId="status-signed-out">
          <p>{t('status.signedOut')}</p>
        </Notice>
      )}
      {loadError && (
        <div class="error-summary" role="alert">
          <p class="error-summary__detail">{t('error.network')}</p>
          <Button variant="secondary" onClick={() => void open()}>
            {t('talk.retry')}
          </Button>
        </div>
      )}
      <LinkForm />
    </div>
  );
}

function LinkForm() {
  const { lang, t } = useI18n();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>({ detail: null, fields: {}, general: [] });
  const [focusKey, setFocusKey] = useState(0);
  const sentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (sent) sentRef.current?.focus();
  }, [sent]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const v = email.trim();
    const field = v === '' ? t('status.err.email') : !emailOk(v) ? t('contact.err.emailFormat') : null;
    if (field) {
      setErrors({ detail: null, fields: { email: [field] }, general: [] });
      setFocusKey((k) => k + 1);
      return;
    }
    setErrors({ detail: null, fields: {}, general: [] });
    setBusy(true);
    setSent(null);
    try {
      await requestStatusLink(v, lang);
      // The same words whatever the server knows (it never says whether the address is known).
      setSent(t('status.sent'));
    } catch (err) {
      const detail =
        err instanceof ApiError && err.status === 429 ? t('error.rate') : err instanceof ApiError && err.status === 0 ? t('error.network') : t('error.other');
      setErrors({ detail, fields: {}, general: [] });
      setFocusKey((k) => k + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p class="lede">{t('status.lede')}</p>
      <div tabIndex={-1} ref={sentRef} class="focus-target">
        {sent && (
          <Notice testId="status-sent">
            <p>{sent}</p>
          </Notice>
        )}
      </div>
      <form class="form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} aria-label={t('status.send')}>
        <ErrorSummary errors={errors} order={['email']} idPrefix="status-" focusKey={focusKey} title={t('error.title')} />
        <TextField
          id="status-email"
          name="email"
          type="email"
          label={t('contact.email')}
          hint={t('status.emailHint')}
          autoComplete="email"
          spellcheck={false}
          autoCapitalize="none"
          maxLength={254}
          value={email}
          onValue={setEmail}
          errors={errors.fields.email}
          errorPrefix={`${t('error.prefix')} `}
        />
        <div class="button-group button-group--continue">
          <Button type="submit" busy={busy} class="button--continue" data-testid="status-send">
            {busy ? t('review.sending') : t('status.send')}
          </Button>
        </div>
      </form>
    </>
  );
}

function CaseStatus({ c, lang }: { c: MemberCase; lang: string }) {
  const { t } = useI18n();
  return (
    <>
      <p class="lede" data-testid="status-now" data-status={c.status}>
        {t(STATUS_WORDS[c.status] ?? 'status.s.other')}
      </p>
      {c.updated_at && <p class="muted">{t('status.updated', { date: formatDate(c.updated_at, lang) })}</p>}
      <p data-testid="status-cm">{c.case_manager?.name ? t('status.cm', { name: c.case_manager.name }) : t('status.noCm')}</p>
    </>
  );
}

function StatusView({ s, footerCrisis, onSignOut }: { s: MemberStatus; footerCrisis: CrisisResources | null; onSignOut: () => void }) {
  const { lang, t } = useI18n();
  const crisis = crisisOf(s.crisis) ?? footerCrisis;
  const c = s.contact ?? {};
  const cases = casesOf(s);
  return (
    <div class="narrow" data-testid="page-status">
      <h1 tabIndex={-1}>{t(cases.length > 1 ? 'status.yourTitleMany' : 'status.yourTitle')}</h1>
      {cases.length === 1 ? (
        <>
          <p class="confirmation__ref">
            {t('done.ref')}
            <br />
            <strong class="reference" data-testid="status-reference">
              {cases[0]!.reference}
            </strong>
          </p>
          <h2>{t('status.now')}</h2>
          <CaseStatus c={cases[0]!} lang={lang} />
          <MemberPlanView plan={cases[0]!.plan} reference={cases[0]!.reference} level={2} />
        </>
      ) : cases.length === 0 ? (
        <p data-testid="status-now">{t('status.s.other')}</p>
      ) : (
        cases.map((x) => (
          <section key={x.reference} class="card status-case" aria-labelledby={`case-${x.reference}`} data-testid="status-case">
            <h2 id={`case-${x.reference}`}>{t('status.caseTitle', { reference: x.reference })}</h2>
            <CaseStatus c={x} lang={lang} />
            <MemberPlanView plan={x.plan} reference={x.reference} level={3} />
          </section>
        ))
      )}

      <h2>{t('status.reachTitle')}</h2>
      <dl class="summary-list" data-testid="status-contact">
        {c.phone && (
          <div class="summary-list__row">
            <dt>{t('contact.phone')}</dt>
            <dd>
              <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>
            </dd>
          </div>
        )}
        {c.email && (
          <div class="summary-list__row">
            <dt>{t('contact.email')}</dt>
            <dd>
              <a href={`mailto:${c.email}`} class="break">
                {c.email}
              </a>
            </dd>
          </div>
        )}
        {c.hours && (
          <div class="summary-list__row">
            <dt>{t('status.hours')}</dt>
            <dd>{c.hours}</dd>
          </div>
        )}
      </dl>

      <h2>{t('footer.title')}</h2>
      <CrisisInline resources={crisis} />

      <div class="no-print">
        <h2>{t('status.signOutTitle')}</h2>
        <p>{t('status.shared')}</p>
        <Button variant="secondary" onClick={onSignOut} data-testid="status-sign-out">
          {t('status.signOut')}
        </Button>
      </div>
    </div>
  );
}
