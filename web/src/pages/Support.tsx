// "Talk to someone now", staff side: members waiting for a call back appear live; one person
// claims a request (a 409 means someone else was quicker), sees who to call and how, and
// closes it with an outcome. Booked calls are listed by their time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { ageText, languageLabel } from '../cases';
import { Button, ErrorSummary, SelectField, errorsFromException, useFormErrors } from '../components/forms';
import { TextAreaField } from '../components/TextAreaField';
import { Loading, Notice, usePageTitle } from '../components/ui';
import { countryName, timeZoneLabel } from '../intake/regions';
import { useLiveEvents, useLiveStatus } from '../live';
import { SUPPORT_OUTCOMES, liveCalls, type SupportOutcome, type SupportRequest, type SupportRequestDetail } from '../liveApi';
import { deviceZone, momentIn, timeIn, zoneShort } from '../zones';

export const OUTCOME_LABELS: Record<SupportOutcome, string> = {
  talked: 'We talked',
  no_answer: 'No answer',
  voicemail: 'Left a voicemail',
  crisis_referral: 'Referred to crisis services',
  other: 'Something else',
};

/** Their local time now, for calling at a good moment: "3:05 PM CST". */
function theirTime(zone: string, now: number): string {
  try {
    return `${timeIn(now, zone, 'en')} ${zoneShort(zone, now)}`;
  } catch {
    return '—';
  }
}

export function SupportPage({ user }: { user: User }) {
  usePageTitle('Support queue');
  const [waiting, setWaiting] = useState<SupportRequest[] | null>(null);
  const [booked, setBooked] = useState<SupportRequest[]>([]);
  const [mine, setMine] = useState<SupportRequest[]>([]);
  const [details, setDetails] = useState<Record<string, SupportRequestDetail>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [claimMsg, setClaimMsg] = useState<{ kind: 'taken' | 'error'; text: string } | null>(null);
  const [claiming, setClaiming] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shownWaiting = useRef<Set<string> | null>(null);
  const zone = deviceZone();

  const load = async (fromLive = false) => {
    const id = ++seq.current;
    try {
      const [w, b, c] = await Promise.all([liveCalls.listSupport('waiting'), liveCalls.listSupport('booked'), liveCalls.listSupport('claimed')]);
      if (id !== seq.current) return;
      const sortedBooked = [...b.items].sort((x, y) => Date.parse(x.slot_start ?? '') - Date.parse(y.slot_start ?? ''));
      const myClaims = c.items.filter((r) => r.claimed_by === user.id);
      if (fromLive && shownWaiting.current) {
        const fresh = w.items.filter((r) => !shownWaiting.current!.has(r.id)).length;
        if (fresh) setAnnounce(`${fresh} new ${fresh === 1 ? 'request' : 'requests'} waiting for a call back.`);
      }
      shownWaiting.current = new Set(w.items.map((r) => r.id));
      setWaiting(w.items);
      setBooked(sortedBooked);
      setMine(myClaims);
      setLoadError(null);
      setNow(Date.now());
      for (const r of myClaims) if (!details[r.id]) void loadDetail(r.id);
    } catch (e) {
      if (id === seq.current) setLoadError(errorsFromException(e, []).detail);
    }
  };

  const loadDetail = async (id: string) => {
    try {
      const d = await liveCalls.getSupport(id);
      setDetails((m) => ({ ...m, [id]: d }));
    } catch {
      // shown as "loading" with the list's facts
    }
  };

  useEffect(() => {
    void load();
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => {
      clearInterval(tick);
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);
  useLiveStatus(() => void load(true));
  useLiveEvents(['support.requested', 'support.claimed', 'support.closed'], () => {
    // Several events often come together: load once for them.
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(true), 150);
  });

  const claim = async (r: SupportRequest) => {
    if (claiming) return;
    setClaiming(r.id);
    setClaimMsg(null);
    setDone(null);
    try {
      const claimed = await liveCalls.claimSupport(r.id);
      setWaiting((xs) => (xs ?? []).filter((x) => x.id !== r.id));
      setBooked((xs) => xs.filter((x) => x.id !== r.id));
      setMine((xs) => [...xs.filter((x) => x.id !== r.id), claimed]);
      await loadDetail(r.id);
      setDone('You have this request. Call them now; their details are under “Your calls”.');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setClaimMsg({ kind: 'taken', text: 'Someone else took this one. It is no longer waiting.' });
        void load();
      } else {
        setClaimMsg({ kind: 'error', text: `The request could not be claimed: ${errorsFromException(e, []).detail ?? 'try again.'}` });
      }
    } finally {
      setClaiming(null);
    }
  };

  const onClosed = (r: SupportRequest, outcome: SupportOutcome) => {
    setMine((xs) => xs.filter((x) => x.id !== r.id));
    setDone(`Closed: ${OUTCOME_LABELS[outcome]}.`);
  };

  return (
    <>
      <h1 tabIndex={-1}>Support queue</h1>
      <p class="lede">Members who asked to talk to someone now. Claim a request, call them, then close it with what happened.</p>
      {done && <Notice testId="support-done">{done}</Notice>}
      {claimMsg && (
        <div class={`notice ${claimMsg.kind === 'taken' ? 'notice--warning' : 'notice--error'}`} role="alert" data-testid="claim-message">
          {claimMsg.text}
        </div>
      )}
      {loadError && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      )}

      <section class="card" aria-labelledby="support-mine">
        <h2 id="support-mine">Your calls</h2>
        {mine.length === 0 ? (
          <p data-testid="mine-empty">You have no calls to make. Claim a request below.</p>
        ) : (
          <ul class="support-list" data-testid="mine">
            {mine.map((r) => (
              <MyCall key={r.id} r={r} detail={details[r.id] ?? null} now={now} onClosed={onClosed} />
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="support-waiting">
        <h2 id="support-waiting">Waiting for a call back</h2>
        {waiting === null ? (
          !loadError && <Loading label="Loading requests…" />
        ) : waiting.length === 0 ? (
          <p data-testid="waiting-empty">Nobody is waiting right now.</p>
        ) : (
          <ul class="support-list" data-testid="waiting">
            {waiting.map((r) => (
              <li key={r.id} class="support-item" data-request-id={r.id}>
                <span class="support-item__facts">
                  <strong>Asked {ageText(r.created_at, now) === 'just now' ? 'just now' : `${ageText(r.created_at, now)} ago`}</strong>
                  <span>
                    {languageLabel(r.language) || r.language} · {countryName(r.country, 'en')} · their time {theirTime(r.time_zone, now)}
                  </span>
                </span>
                <Button busy={claiming === r.id} onClick={() => void claim(r)} data-testid="claim">
                  {claiming === r.id ? 'Claiming…' : 'Claim'}
                  <span class="visually-hidden"> the request from {ageText(r.created_at, now)} ago</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="support-booked">
        <h2 id="support-booked">Booked calls</h2>
        {booked.length === 0 ? (
          <p data-testid="booked-empty">No calls are booked.</p>
        ) : (
          <ul class="support-list" data-testid="booked">
            {booked.map((r) => (
              <li key={r.id} class="support-item" data-request-id={r.id}>
                <span class="support-item__facts">
                  <strong>{r.slot_start ? momentIn(r.slot_start, zone, 'en') : 'No time'}</strong>
                  <span>
                    {r.slot_start && r.time_zone !== zone ? `Their time: ${momentIn(r.slot_start, r.time_zone, 'en')} · ` : ''}
                    {languageLabel(r.language) || r.language} · {countryName(r.country, 'en')}
                  </span>
                </span>
                <Button variant="secondary" busy={claiming === r.id} onClick={() => void claim(r)} data-testid="claim">
                  {claiming === r.id ? 'Claiming…' : 'Claim'}
                  <span class="visually-hidden"> the call booked for {r.slot_start ? momentIn(r.slot_start, zone, 'en') : ''}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p class="visually-hidden" role="status" data-testid="support-announce">
        {announce}
      </p>
    </>
  );
}

function MyCall({
  r,
  detail,
  now,
  onClosed,
}: {
  r: SupportRequest;
  detail: SupportRequestDetail | null;
  now: number;
  onClosed: (r: SupportRequest, outcome: SupportOutcome) => void;
}) {
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const prefix = `close-${r.id}-`;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!(SUPPORT_OUTCOMES as readonly string[]).includes(outcome)) {
      setErrors({ detail: null, fields: { outcome: ['Choose what happened'] }, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      await liveCalls.closeSupport(r.id, outcome as SupportOutcome, note);
      onClosed(r, outcome as SupportOutcome);
    } catch (err) {
      setErrors(errorsFromException(err, ['outcome', 'note']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="support-call" data-request-id={r.id} data-testid="my-call">
      {detail ? (
        <dl class="summary-list">
          <div class="summary-list__row">
            <dt>Name</dt>
            <dd data-testid="call-name">{detail.preferred_name}</dd>
          </div>
          <div class="summary-list__row">
            <dt>Phone</dt>
            <dd>
              <a href={`tel:${detail.phone.replace(/[^\d+]/g, '')}`} data-testid="call-phone">
                {detail.phone}
              </a>
            </dd>
          </div>
          <div class="summary-list__row">
            <dt>Voicemail</dt>
            <dd data-testid="call-voicemail">
              {detail.voicemail_ok ? (
                <span class="safe safe--yes">
                  <span aria-hidden="true">✓ </span>OK to leave a voicemail
                </span>
              ) : (
                <span class="safe safe--no">
                  <span aria-hidden="true">✕ </span>Do not leave a voicemail
                </span>
              )}
            </dd>
          </div>
          <div class="summary-list__row">
            <dt>Case</dt>
            <dd>{detail.case_reference ?? 'None given'}</dd>
          </div>
          <div class="summary-list__row">
            <dt>Their time</dt>
            <dd>
              {theirTime(r.time_zone, now)} ({timeZoneLabel(r.time_zone)}), speaks {languageLabel(r.language) || r.language}
            </dd>
          </div>
        </dl>
      ) : (
        <Loading label="Loading who to call…" />
      )}
      <form class="form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} aria-label={`Close the request${detail ? ` from ${detail.preferred_name}` : ''}`}>
        <ErrorSummary errors={errors} order={['outcome', 'note']} idPrefix={prefix} focusKey={focusKey} />
        <SelectField
          id={`${prefix}outcome`}
          name="outcome"
          label="What happened?"
          value={outcome}
          onValue={setOutcome}
          options={[{ value: '', label: 'Choose one' }, ...SUPPORT_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))]}
          errors={errors.fields.outcome}
        />
        <TextAreaField
          id={`${prefix}note`}
          name="note"
          label="Note (optional)"
          hint="Only staff see it."
          rows={2}
          maxLength={2000}
          value={note}
          onValue={setNote}
          errors={errors.fields.note}
        />
        <Button type="submit" busy={busy} data-testid="close-request">
          {busy ? 'Closing…' : 'Close request'}
        </Button>
      </form>
    </li>
  );
}
