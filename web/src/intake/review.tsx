// Check your answers, privacy and consent, send (with the draft's Idempotency-Key); then
// "what happens next".
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { CheckboxField, NO_ERRORS, type FormErrors, type SummaryItem } from '../components/forms';
import { Link } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { isProblemType, pointerToKey } from '../problem';
import { submitIntake } from './api';
import { crisisFrom } from './crisis';
import { CrisisInline, CrisisPanel } from './Crisis';
import { fieldId, pageUrl, problemText, requestErrorText, Step, useIntake, useTitle, type PlacedProblem } from './context';
import type { Receipt } from './draft';
import { activePages, placeField } from './flow';
import { INSURANCE_SKIP, PRIVACY_NOTICE_VERSION, type CrisisResources, type PageId } from './model';
import { buildPayload } from './payload';
import { countryName, languageName, regionName, timeZoneLabel } from './regions';

function formatDate(iso: string, lang: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  } catch {
    return iso;
  }
}

interface Row {
  key: string;
  label: string;
  value: ComponentChildren;
  page: PageId;
}

function Lines({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  if (items.length === 1) return <>{items[0]}</>;
  return (
    <ul class="plain-list">
      {items.map((x) => (
        <li key={x}>{x}</li>
      ))}
    </ul>
  );
}

export function ReviewPage() {
  const ctx = useIntake();
  const { lang, t } = useI18n();
  const a = ctx.draft.answers;
  const [submitErrors, setSubmitErrors] = useState<FormErrors>(NO_ERRORS);
  const [crisis, setCrisis] = useState<CrisisResources | null>(null);
  const none = <span class="muted">{t('review.notAnswered')}</span>;
  const active = activePages(ctx.draft);

  const rows: Row[] = [
    {
      key: 'who',
      page: 'who',
      label: t('review.who'),
      value: a.for === 'family' ? <Lines items={[t('who.family'), a.relationship ? t(`who.rel.${a.relationship}` as MessageKey) : '']} /> : t('who.self'),
    },
    { key: 'name', page: 'name', label: t('review.name'), value: a.preferred_name.trim() },
    {
      key: 'contact',
      page: 'contact',
      label: t('review.contact'),
      value: a.preferred ? t(`contact.m.${a.preferred}` as MessageKey) : none,
    },
    { key: 'phone', page: 'contact', label: t('review.phone'), value: a.phone.trim() || none },
    { key: 'email', page: 'contact', label: t('review.email'), value: a.email.trim() || none },
    {
      key: 'safe',
      page: 'contact',
      label: t('review.safe'),
      value: (() => {
        const xs = [
          a.voicemail_ok ? t('contact.voicemail') : '',
          a.text_ok ? t('contact.textOk') : '',
          a.email_ok ? t('contact.emailOk') : '',
        ].filter(Boolean);
        return xs.length ? <Lines items={xs} /> : t('review.safeNone');
      })(),
    },
    { key: 'role', page: 'role', label: t('review.role'), value: a.industry_role ? t(`role.${a.industry_role}` as MessageKey) : none },
    {
      key: 'where',
      page: 'where',
      label: t('review.where'),
      value: [a.city.trim(), a.region ? regionName(a.region) : '', a.country ? countryName(a.country, lang) : ''].filter(Boolean).join(', ') || none,
    },
    { key: 'tz', page: 'where', label: t('review.tz'), value: a.time_zone ? timeZoneLabel(a.time_zone) : none },
    {
      key: 'tour',
      page: 'tour',
      label: t('review.tour'),
      value:
        a.on_tour === 'yes'
          ? a.tour_until
            ? t('review.tourUntil', { date: formatDate(a.tour_until, lang) })
            : t('common.yes')
          : a.on_tour === 'no'
            ? t('common.no')
            : none,
    },
    {
      key: 'requests',
      page: 'requests',
      label: t('review.requests'),
      value: a.requests.length ? <Lines items={a.requests.map((r) => t(`req.${r}` as MessageKey))} /> : none,
    },
    {
      key: 'insurance',
      page: 'insurance',
      label: t('review.insurance'),
      value:
        a.insurance_type && a.insurance_type !== INSURANCE_SKIP ? (
          <Lines
            items={[
              t(`ins.${a.insurance_type}` as MessageKey),
              ...(a.insurance_type !== 'none' ? [a.carrier.trim(), a.plan_name.trim(), a.member_id.trim()].filter(Boolean) : []),
            ]}
          />
        ) : (
          none
        ),
    },
    {
      key: 'household',
      page: 'household',
      label: t('review.household'),
      value: (() => {
        const xs = [
          a.household_size.trim() ? t('review.hhSize', { n: a.household_size.trim() }) : '',
          a.income_band ? t(`hh.${a.income_band}` as MessageKey) : '',
        ].filter(Boolean);
        return xs.length ? <Lines items={xs} /> : none;
      })(),
    },
    {
      key: 'preferences',
      page: 'preferences',
      label: t('review.preferences'),
      value: (() => {
        const xs = [
          a.care_language ? t('review.prefLanguage', { value: languageName(a.care_language, lang) }) : '',
          a.format ? t(`pref.${a.format}` as MessageKey) : '',
          a.provider_identity.trim() ? t('review.prefIdentity', { value: a.provider_identity.trim() }) : '',
          ...a.specialties.map((s) => t(`pref.${s}` as MessageKey)),
        ].filter(Boolean);
        return xs.length ? <Lines items={xs} /> : none;
      })(),
    },
    { key: 'phq', page: 'phq2', label: t('review.phq'), value: t('review.answered') },
    ...(active.includes('cssrs') ? [{ key: 'cssrs', page: 'cssrs' as const, label: t('review.cssrs'), value: t('review.answered') }] : []),
    { key: 'gad', page: 'gad2', label: t('review.gad'), value: t('review.answered') },
  ];

  // Server errors that belong to other pages: links to those pages in the summary.
  const elsewhere = ctx.problems.filter((p) => p.page !== 'review');
  const links: SummaryItem[] = elsewhere.map((p) => ({
    href: pageUrl(lang, active.includes(p.page) ? p.page : 'who', true),
    message: problemText(p, lang, t),
  }));

  const send = async (allowRetryWithoutSrc = true): Promise<void> => {
    const d = ctx.current();
    const payload = buildPayload(d, lang);
    setSubmitErrors(NO_ERRORS);
    try {
      const r = await submitIntake(payload, d.key, lang);
      const receipt: Receipt = {
        reference: typeof r.reference === 'string' ? r.reference : '',
        message: r.next_steps?.message ?? '',
        hours: typeof r.next_steps?.contact_within_hours === 'number' ? r.next_steps.contact_within_hours : null,
        urgent: r.urgent === true,
        crisis: crisisFrom(r),
        preferred: d.answers.preferred,
        voicemail_ok: d.answers.voicemail_ok,
        lang,
      };
      ctx.finish(receipt);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setSubmitErrors({ detail: t('error.other'), fields: {}, general: [t('review.retry')] });
        return;
      }
      const c = crisisFrom({ crisis: e.problem.crisis });
      if (c) setCrisis(c);
      if (isProblemType(e.problem, 'idempotency-key-reused')) {
        // An earlier try with this key was stored: the request is with the team already.
        ctx.finish({ reference: '', message: '', hours: null, urgent: false, crisis: c, preferred: d.answers.preferred, voicemail_ok: d.answers.voicemail_ok, lang });
        return;
      }
      const errs = e.problem.errors ?? [];
      if (errs.length) {
        const keys = errs.map((x) => pointerToKey(x.field));
        // An attribution code the server does not take must never stop someone getting help.
        if (allowRetryWithoutSrc && d.src && keys.every((k) => k === 'src')) {
          ctx.update((x) => {
            const { src: _src, ...rest } = x;
            void _src;
            return rest;
          });
          return send(false);
        }
        const screenings = payload.screenings.map((s) => s.instrument);
        const placed: PlacedProblem[] = errs.map((x, i) => ({ ...placeField(keys[i]!, screenings), code: x.code, message: x.message }));
        ctx.setProblems(placed);
        setSubmitErrors({ detail: t('error.fix'), fields: {}, general: [] });
        return;
      }
      setSubmitErrors({ detail: requestErrorText(e, t), fields: {}, general: e.status === 0 || e.status >= 429 ? [t('review.retry')] : [] });
    }
  };

  return (
    <Step
      page="review"
      title={t('review.title')}
      heading={t('review.title')}
      submitLabel={t('review.send')}
      busyLabel={t('review.sending')}
      onValid={() => send()}
      extraErrors={submitErrors}
      summaryLinks={links}
      top={crisis && <CrisisPanel resources={crisis} />}
    >
      {(err) => (
        <>
          <dl class="summary-list summary-list--actions" data-testid="answers">
            {rows.map((r) => (
              <div class="summary-list__row" key={r.key} data-row={r.key}>
                <dt>{r.label}</dt>
                <dd>{r.value}</dd>
                <dd class="summary-list__action">
                  <Link href={pageUrl(lang, r.page, true)}>
                    {t('review.change')}
                    <span class="visually-hidden"> {r.label}</span>
                  </Link>
                </dd>
              </div>
            ))}
          </dl>

          <h2>{t('privacy.title')}</h2>
          <p class="muted" data-testid="privacy-version">
            {t('privacy.version', { version: PRIVACY_NOTICE_VERSION })}
          </p>
          <ul>
            <li>{t('privacy.who')}</li>
            <li>{t('privacy.share')}</li>
            <li>{t('privacy.sell')}</li>
          </ul>

          <h2>{t('consent.legend')}</h2>
          <CheckboxField
            id={fieldId('consents.contact')}
            name="consent_contact"
            label={t('consent.label')}
            checked={ctx.draft.answers.consent_contact}
            onValue={(v) => ctx.setAnswer('consent_contact', v)}
            errors={err('consents.contact')}
            errorPrefix={`${t('error.prefix')} `}
          />

          <h2>{t('review.sendTitle')}</h2>
          <p>{t('review.sendText')}</p>
        </>
      )}
    </Step>
  );
}

export function SentPage() {
  const ctx = useIntake();
  const { t } = useI18n();
  const r = ctx.receipt!;
  useTitle(t('done.title'));
  const showCrisis = r.urgent || !!r.crisis;
  return (
    <div class="narrow" data-testid="page-sent">
      <div class="confirmation" data-testid="confirmation">
        <h1 class="confirmation__title">{t('done.title')}</h1>
        {r.reference && (
          <p class="confirmation__ref">
            {t('done.ref')}
            <br />
            <strong class="reference" data-testid="reference">
              {r.reference}
            </strong>
          </p>
        )}
      </div>
      {!r.reference && <p>{t('done.already')}</p>}
      <h2>{t('done.nextTitle')}</h2>
      {r.message && (
        <p class="lede" data-testid="next-message">
          {r.message}
        </p>
      )}
      <ul data-testid="next-steps">
        <li>{t('done.who')}</li>
        {r.urgent ? <li>{t('done.urgent')}</li> : r.hours !== null && <li>{t('done.when', { hours: r.hours })}</li>}
        {(r.preferred === 'phone' || r.preferred === 'text' || r.preferred === 'email') && <li>{t(`done.how.${r.preferred}`)}</li>}
        {!r.voicemail_ok && (r.preferred === 'phone' || r.preferred === 'text') && <li>{t('done.noVoicemail')}</li>}
      </ul>
      <p>{t('done.plan')}</p>
      {showCrisis && <CrisisPanel resources={r.crisis ?? ctx.footerCrisis} focus={false} />}
      {r.reference && <p>{t('done.keepRef')}</p>}
      <p>{t('done.removed')}</p>
      {!showCrisis && (
        <>
          <h2>{t('done.helpTitle')}</h2>
          <CrisisInline resources={ctx.footerCrisis} />
        </>
      )}
    </div>
  );
}
