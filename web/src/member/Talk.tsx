// "Talk to someone now" (/talk, /es/talk): ask for a call back. When someone is on duty the
// request goes to the live queue ("someone will call you shortly"); otherwise the person books
// a 30-minute slot shown in their own time zone, and gets the calendar invite to download
// (and by email, if they give one). Mobile first; crisis lines stay one tap away.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Button, ErrorSummary, SelectField, TextField, type FormErrors } from '../components/forms';
import { Loading, Notice } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { CrisisInline } from '../intake/Crisis';
import { phoneOk, emailOk } from '../intake/flow';
import { Radios } from '../intake/fields';
import { PRIVACY_NOTICE_VERSION, uuidv4, type CrisisResources } from '../intake/model';
import { screenPath } from '../intake/paths';
import { timeZoneLabel, timeZones } from '../intake/regions';
import { pointerToKey } from '../problem';
import { dayLabel, deviceZone, groupByDay, momentIn, rangeIn, timeLocale } from '../zones';
import { createSupportRequest, crisisOf, getAvailability, type Availability, type SupportReceipt } from './api';
import { deviceCountry } from './Shell';

const KEY_STORE = 'soundcheck.talk.key';
const REF = /^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
export const TALK_FIELDS = ['preferred_name', 'phone', 'voicemail_ok', 'time_zone', 'case_reference', 'day', 'slot_start', 'email'] as const;
const ID = (k: string) => `talk-${k}`;

/** One Idempotency-Key per ask, kept for this tab so a retry never asks twice. */
function idempotencyKey(): string {
  try {
    const k = sessionStorage.getItem(KEY_STORE);
    if (k) return k;
    const n = uuidv4();
    sessionStorage.setItem(KEY_STORE, n);
    return n;
  } catch {
    return uuidv4();
  }
}
function forgetKey(): void {
  try {
    sessionStorage.removeItem(KEY_STORE);
  } catch {
    // nothing to do
  }
}

export interface TalkAnswers {
  preferred_name: string;
  phone: string;
  voicemail_ok: '' | 'yes' | 'no';
  time_zone: string;
  case_reference: string;
  day: string;
  slot_start: string;
  email: string;
}

/** What is wrong with the form (message keys per field); `booking` when a slot is needed. */
export function validateTalk(a: TalkAnswers, booking: boolean): Record<string, MessageKey[]> {
  const e: Record<string, MessageKey[]> = {};
  const add = (f: string, k: MessageKey) => (e[f] ??= []).push(k);
  if (a.preferred_name.trim() === '') add('preferred_name', 'talk.err.name');
  else if ([...a.preferred_name.trim()].length > 100) add('preferred_name', 'name.err.long');
  if (a.phone.trim() === '') add('phone', 'talk.err.phone');
  else if (!phoneOk(a.phone)) add('phone', 'contact.err.phoneFormat');
  if (!a.voicemail_ok) add('voicemail_ok', 'talk.err.voicemail');
  if (!a.time_zone) add('time_zone', 'where.err.tz');
  if (a.case_reference.trim() !== '' && !REF.test(a.case_reference.trim().toUpperCase())) add('case_reference', 'talk.err.ref');
  if (booking) {
    if (!a.day) add('day', 'talk.err.day');
    else if (!a.slot_start) add('slot_start', 'talk.err.slot');
  }
  if (a.email.trim() !== '' && !emailOk(a.email)) add('email', 'contact.err.emailFormat');
  return e;
}

export function TalkPage({ footerCrisis }: { footerCrisis: CrisisResources | null }) {
  const { lang, t } = useI18n();
  const [a, setA] = useState<TalkAnswers>(() => ({
    preferred_name: '',
    phone: '',
    voicemail_ok: '',
    time_zone: deviceZone(),
    case_reference: '',
    day: '',
    slot_start: '',
    email: '',
  }));
  const [avail, setAvail] = useState<Availability | null>(null);
  const [availError, setAvailError] = useState(false);
  const [availTry, setAvailTry] = useState(0);
  const [errors, setErrors] = useState<FormErrors>({ detail: null, fields: {}, general: [] });
  const [focusKey, setFocusKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<{ r: SupportReceipt; phone: string; email: string; voicemail: boolean; zone: string } | null>(null);
  const [zones] = useState(() => timeZones([a.time_zone]));
  const set = <K extends keyof TalkAnswers>(k: K, v: TalkAnswers[K]) => setA((x) => ({ ...x, [k]: v }));

  useEffect(() => {
    document.title = t('title.page', { title: receipt ? t(receipt.r.status === 'booked' ? 'talk.bookedTitle' : 'talk.waitTitle') : t('talk.title') });
  }, [receipt, lang]);

  useEffect(() => {
    const ac = new AbortController();
    setAvailError(false);
    getAvailability(a.time_zone || 'UTC', lang, ac.signal)
      .then((r) => setAvail({ open_now: !!r.open_now, on_duty_count: Number(r.on_duty_count) || 0, slots: Array.isArray(r.slots) ? r.slots : [] }))
      .catch((e) => {
        if (!(e instanceof DOMException && e.name === 'AbortError')) setAvailError(true);
      });
    return () => ac.abort();
  }, [a.time_zone, lang, availTry]);

  const booking = !!avail && !avail.open_now;
  const loc = timeLocale(lang);
  const days = useMemo(() => (avail ? groupByDay(avail.slots, (s) => s.start, a.time_zone || 'UTC') : []), [avail, a.time_zone]);
  const dayItems = days.find((d) => d.day === a.day)?.items ?? [];
  useEffect(() => {
    // A new time zone or a fresh list: keep the choice only while it is still offered.
    if (a.day && !days.some((d) => d.day === a.day)) setA((x) => ({ ...x, day: '', slot_start: '' }));
    else if (a.slot_start && !dayItems.some((s) => s.start === a.slot_start)) setA((x) => ({ ...x, slot_start: '' }));
  }, [days]);

  const fail = (e: FormErrors) => {
    setErrors(e);
    setFocusKey((k) => k + 1);
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy || !avail) return;
    const errs = validateTalk(a, booking);
    if (Object.keys(errs).length) {
      fail({ detail: null, fields: Object.fromEntries(Object.entries(errs).map(([k, ks]) => [k, ks.map((x) => t(x))])), general: [] });
      return;
    }
    setErrors({ detail: null, fields: {}, general: [] });
    setBusy(true);
    const ref = a.case_reference.trim().toUpperCase();
    const email = a.email.trim();
    try {
      const r = await createSupportRequest(
        {
          preferred_name: a.preferred_name.trim().replace(/\s+/g, ' '),
          phone: a.phone.trim().replace(/\s+/g, ' '),
          voicemail_ok: a.voicemail_ok === 'yes',
          language: lang,
          country: deviceCountry() || 'US',
          time_zone: a.time_zone,
          ...(ref ? { case_reference: ref } : {}),
          ...(booking ? { slot_start: a.slot_start } : {}),
          ...(booking && email ? { email } : {}),
          privacy_notice_version: PRIVACY_NOTICE_VERSION,
        },
        idempotencyKey(),
        lang,
      );
      forgetKey();
      setReceipt({ r, phone: a.phone.trim(), email: booking ? email : '', voicemail: a.voicemail_ok === 'yes', zone: a.time_zone });
      window.scrollTo(0, 0);
    } catch (e) {
      // A request the server refused (4xx) was not taken: a corrected one gets a new key. A
      // network error or 5xx may have been taken: a retry keeps the key, so it is never taken twice.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) forgetKey();
      if (e instanceof ApiError) {
        const fields: Record<string, string[]> = {};
        const general: string[] = [];
        for (const x of e.problem.errors ?? []) {
          const k = pointerToKey(x.field);
          const msg = lang === 'en' && x.message ? x.message : t('code.invalid');
          if ((TALK_FIELDS as readonly string[]).includes(k)) (fields[k] ??= []).push(msg);
          else general.push(msg);
        }
        // The slot was taken meanwhile: offer the times that are still free.
        if (e.status === 409 || fields.slot_start) {
          fields.slot_start = [t('talk.err.slotGone')];
          setAvailTry((n) => n + 1);
        }
        const detail = e.status === 0 ? t('error.network') : e.status === 429 ? t('error.rate') : e.status >= 500 ? t('error.server') : t('error.fix');
        fail({ detail, fields, general });
      } else fail({ detail: t('error.other'), fields: {}, general: [] });
    } finally {
      setBusy(false);
    }
  };

  if (receipt) return <TalkDone {...receipt} footerCrisis={footerCrisis} />;

  const opt = (s: string) => `${s} ${t('common.optional')}`;
  const ep = `${t('error.prefix')} `;
  return (
    <div class="narrow" data-testid="page-talk">
      <h1>{t('talk.title')}</h1>
      <p class="lede">{t('talk.lede')}</p>
      <Notice kind="warning" testId="talk-danger">
        <p>{t('talk.danger')}</p>
      </Notice>
      {avail === null ? (
        availError ? (
          <div class="error-summary" role="alert">
            <p class="error-summary__detail">{t('talk.unavailable')}</p>
            <Button variant="secondary" onClick={() => setAvailTry((n) => n + 1)}>
              {t('talk.retry')}
            </Button>
          </div>
        ) : (
          <Loading label={t('talk.checking')} />
        )
      ) : (
        <p class="talk-availability" data-testid="talk-availability" data-open={avail.open_now ? 'true' : 'false'}>
          <strong>{avail.open_now ? t('talk.openNow') : avail.slots.length ? t('talk.closed') : t('talk.noSlots')}</strong>
          {avail.open_now && avail.on_duty_count > 0 && <> {t('talk.onDuty', { n: avail.on_duty_count })}</>}
        </p>
      )}
      {avail && !avail.open_now && avail.slots.length === 0 ? (
        <p>
          {/* A full page load: the intake is another app than this page's (see main.tsx), so an
              in-app link would only show this page again. */}
          <a href={screenPath(lang, 'start')} data-testid="talk-intake-link">
            {t('talk.intakeLink')}
          </a>
        </p>
      ) : (
        avail && (
          <form class="form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} aria-label={t('talk.title')}>
            <ErrorSummary errors={errors} order={TALK_FIELDS} idPrefix="talk-" focusKey={focusKey} title={t('error.title')} />
            <TextField
              id={ID('preferred_name')}
              name="preferred_name"
              label={t('talk.name')}
              hint={t('talk.nameHint')}
              autoComplete="nickname"
              spellcheck={false}
              maxLength={200}
              value={a.preferred_name}
              onValue={(v) => set('preferred_name', v)}
              errors={errors.fields.preferred_name}
              errorPrefix={ep}
            />
            <TextField
              id={ID('phone')}
              name="phone"
              type="tel"
              label={t('contact.phone')}
              hint={t('contact.phoneHint')}
              autoComplete="tel"
              inputMode="tel"
              maxLength={40}
              value={a.phone}
              onValue={(v) => set('phone', v)}
              errors={errors.fields.phone}
              errorPrefix={ep}
            />
            <Radios
              id={ID('voicemail_ok')}
              name="voicemail_ok"
              legend={t('talk.voicemail')}
              hint={<p>{t('talk.voicemailHint')}</p>}
              errors={errors.fields.voicemail_ok}
              errorPrefix={ep}
              value={a.voicemail_ok}
              onValue={(v) => set('voicemail_ok', v as TalkAnswers['voicemail_ok'])}
              options={[
                { value: 'yes', label: t('common.yes') },
                { value: 'no', label: t('common.no') },
              ]}
            />
            <SelectField
              id={ID('time_zone')}
              name="time_zone"
              label={t('talk.tz')}
              hint={t('talk.tzHint')}
              value={a.time_zone}
              onValue={(v) => set('time_zone', v)}
              options={zones.map((z) => ({ value: z, label: timeZoneLabel(z) }))}
              errors={errors.fields.time_zone}
              errorPrefix={ep}
            />
            <TextField
              id={ID('case_reference')}
              name="case_reference"
              label={opt(t('talk.ref'))}
              hint={t('talk.refHint')}
              autoComplete="off"
              spellcheck={false}
              autoCapitalize="characters"
              maxLength={20}
              value={a.case_reference}
              onValue={(v) => set('case_reference', v)}
              errors={errors.fields.case_reference}
              errorPrefix={ep}
            />
            {booking && (
              <>
                <SelectField
                  id={ID('day')}
                  name="day"
                  label={t('talk.day')}
                  value={a.day}
                  onValue={(v) => setA((x) => ({ ...x, day: v, slot_start: '' }))}
                  options={[{ value: '', label: t('common.chooseOne') }, ...days.map((d) => ({ value: d.day, label: dayLabel(d.day, loc) }))]}
                  errors={errors.fields.day}
                  errorPrefix={ep}
                />
                {a.day && (
                  <Radios
                    id={ID('slot_start')}
                    name="slot_start"
                    legend={t('talk.time')}
                    hint={<p>{t('talk.timeHint', { zone: timeZoneLabel(a.time_zone) })}</p>}
                    errors={errors.fields.slot_start}
                    errorPrefix={ep}
                    value={a.slot_start}
                    onValue={(v) => set('slot_start', v)}
                    options={dayItems.map((s) => ({ value: s.start, label: rangeIn(s.start, s.end, a.time_zone, loc) }))}
                    small
                    testId="talk-slots"
                  />
                )}
                <TextField
                  id={ID('email')}
                  name="email"
                  type="email"
                  label={opt(t('contact.email'))}
                  hint={t('talk.emailHint')}
                  autoComplete="email"
                  spellcheck={false}
                  autoCapitalize="none"
                  maxLength={254}
                  value={a.email}
                  onValue={(v) => set('email', v)}
                  errors={errors.fields.email}
                  errorPrefix={ep}
                />
              </>
            )}
            <p class="muted small">
              {t('talk.privacy')} {t('privacy.version', { version: PRIVACY_NOTICE_VERSION })}.
            </p>
            <div class="button-group button-group--continue">
              <Button type="submit" busy={busy} class="button--continue" data-testid="talk-submit">
                {busy ? t('review.sending') : booking ? t('talk.submitBook') : t('talk.submitNow')}
              </Button>
            </div>
          </form>
        )
      )}
    </div>
  );
}

function TalkDone({
  r,
  phone,
  email,
  voicemail,
  zone,
  footerCrisis,
}: {
  r: SupportReceipt;
  phone: string;
  email: string;
  voicemail: boolean;
  zone: string;
  footerCrisis: CrisisResources | null;
}) {
  const { lang, t } = useI18n();
  const booked = r.status === 'booked' && !!r.slot;
  const [ics, setIcs] = useState<string | null>(null);
  useEffect(() => {
    if (!r.calendar_ics) return;
    const url = URL.createObjectURL(new Blob([r.calendar_ics], { type: 'text/calendar;charset=utf-8' }));
    setIcs(url);
    return () => URL.revokeObjectURL(url);
  }, [r.calendar_ics]);
  const crisis = crisisOf(r.crisis) ?? footerCrisis;
  return (
    <div class="narrow" data-testid="page-talk-done" data-status={r.status}>
      <div class="confirmation">
        <h1 class="confirmation__title">{t(booked ? 'talk.bookedTitle' : 'talk.waitTitle')}</h1>
      </div>
      <h2>{t('done.nextTitle')}</h2>
      {r.next_step && (
        <p class="lede" data-testid="talk-next-step">
          {r.next_step}
        </p>
      )}
      <ul data-testid="talk-next">
        {booked ? (
          <li>{t('talk.bookedBody', { phone, when: momentIn(r.slot!.start, zone, timeLocale(lang)) })}</li>
        ) : (
          <li>{t('talk.waitBody', { phone })}</li>
        )}
        <li>{t('talk.keepPhone')}</li>
        {!voicemail && <li>{t('done.noVoicemail')}</li>}
        {booked && email && <li>{t('talk.emailed', { email })}</li>}
      </ul>
      {booked && ics && (
        <p>
          <a href={ics} download="soundcheck-call.ics" class="button button--secondary" data-testid="talk-ics" aria-describedby="talk-ics-hint">
            {t('talk.ics')}
          </a>
          <span class="field__hint" id="talk-ics-hint">
            {t('talk.icsHint')}
          </span>
        </p>
      )}
      <h2>{t('done.helpTitle')}</h2>
      <CrisisInline resources={crisis} />
    </div>
  );
}
