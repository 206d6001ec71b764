import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type User } from '../api';
import { cases as casesApi } from '../caseApi';
import {
  ASSIGNEE_LABELS,
  SAFETY_FLAGS,
  assignee,
  bandLabel,
  contactMethodLabel,
  describeCaseChanges,
  flagLabel,
  formatLabel,
  humanize,
  incomeLabel,
  industryRoleLabel,
  instrumentLabel,
  insuranceLabel,
  languageLabel,
  loadNoteDraft,
  placeLabel,
  relationshipLabel,
  requestLabel,
  saveNoteDraft,
  specialtyLabel,
  statusLabel,
  statusSteps,
  timeZoneLabel,
  timelineText,
  type CaseChange,
  type CaseDetail,
  type CaseNote,
  type CaseSummary,
} from '../cases';
import { Button, ErrorSummary, NO_ERRORS, SelectField, TextField, errorsFromException, useFormErrors, type FormErrors } from '../components/forms';
import { TextAreaField } from '../components/TextAreaField';
import { Link, Loading, Notice, Time, formatTime, usePageTitle } from '../components/ui';
import { LINK_RELATIONSHIPS, liveCalls, type LinkRelationship, type Suggestion } from '../liveApi';
import { Matches } from '../components/Matches';
import { AddToPlan, CarePlanSection, useCarePlan } from '../components/CarePlan';
import { SlaTimer, UrgentBadge } from './Queue';

const NOTE_MAX = 20000;
const REASON_MAX = 500;

type Busy = 'assign' | 'unassign' | 'status' | 'close' | 'reopen' | null;

interface Conflict {
  action: string;
  changes: CaseChange[];
}

const is = (e: unknown, status: number) => e instanceof ApiError && e.status === status;

export function CasePage({ id, user }: { id: string; user: User }) {
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notes, setNotes] = useState<CaseNote[] | null>(null);
  const [notesError, setNotesError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  // The care plan: its section, and "Add to plan" on each result of Find care. A save or a
  // sign-off goes on the timeline, so the case is read again after one.
  const plan = useCarePlan(id, () => void loadCase());
  usePageTitle(notFound ? 'Case not found' : c ? `Case ${c.reference}` : 'Case');

  const loadNotes = async () => {
    setNotesError(null);
    try {
      const page = await casesApi.listNotes(id);
      setNotes(page.items);
    } catch (e) {
      setNotesError(errorsFromException(e, []).detail);
    }
  };

  /** Loads the case; a 404 (gone, or no longer visible to you) shows the not-found page. */
  const loadCase = async (): Promise<CaseDetail | null> => {
    setLoadError(null);
    try {
      const fresh = await casesApi.getCase(id);
      setCase(fresh);
      setNotFound(false);
      return fresh;
    } catch (e) {
      if (is(e, 404)) setNotFound(true);
      else setLoadError(errorsFromException(e, []).detail);
      return null;
    }
  };

  useEffect(() => {
    setCase(null);
    setNotes(null);
    setNotFound(false);
    void loadCase().then((fresh) => fresh && loadNotes());
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(tick);
  }, [id]);

  if (notFound) {
    return (
      <>
        <p class="back">
          <Link href="/">Back to the queue</Link>
        </p>
        <h1 tabIndex={-1}>Case not found</h1>
        <p>There is no case at this address that you can see. It may have been assigned to someone else, or the link may be wrong.</p>
        <p>
          <Link href="/">Go to the queue</Link>
        </p>
      </>
    );
  }

  if (loadError && !c) {
    return (
      <>
        <p class="back">
          <Link href="/">Back to the queue</Link>
        </p>
        <h1 tabIndex={-1}>Case</h1>
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{loadError}</p>
          <Button variant="secondary" onClick={() => void loadCase().then((fresh) => fresh && loadNotes())}>
            Try again
          </Button>
        </div>
      </>
    );
  }

  if (!c) {
    return (
      <>
        <p class="back">
          <Link href="/">Back to the queue</Link>
        </p>
        <h1 tabIndex={-1}>Case</h1>
        <Loading label="Loading the case…" />
      </>
    );
  }

  const refreshAfterChange = (summary: CaseSummary | null) => {
    if (summary) setCase((prev) => (prev ? { ...prev, ...summary } : prev));
    // The timeline (and a reason's note) come from the server: fetch them again.
    void loadCase().then((fresh) => fresh && loadNotes());
  };

  return (
    <>
      <p class="back">
        <Link href="/">Back to the queue</Link>
      </p>
      {/* The h1 keeps its place in every state of this page, so focus set on it while loading stays. */}
      <h1 tabIndex={-1} class="break case-name" data-testid="case-name">
        {c.person.preferred_name || 'No name given'}
      </h1>
      <p class="case-ref">
        <span data-testid="case-reference">Case {c.reference}</span>
        {c.urgent && <UrgentBadge />}
      </p>
      <dl class="case-facts">
          <div>
            <dt>Status</dt>
            <dd data-testid="case-status">{statusLabel(c.status)}</dd>
          </div>
          <div>
            <dt>First contact</dt>
            <dd>
              <SlaTimer c={c} now={now} />
            </dd>
          </div>
          <div>
            <dt>Assigned to</dt>
            <dd data-testid="case-assigned">{ASSIGNEE_LABELS[assignee(c, user.id)]}</dd>
          </div>
          <div>
            <dt>Came in</dt>
            <dd>
              <Time iso={c.created_at} empty="—" />
            </dd>
          </div>
      </dl>
      <Flags c={c} />
      <NextStep c={c} user={user} reload={loadCase} onChanged={refreshAfterChange} />
      {user.role === 'supervisor' && c.status !== 'closed' && <Suggestions c={c} onAssigned={refreshAfterChange} reload={loadCase} />}
      <div class="case-grid">
        <WhoSection c={c} />
        <AskedSection c={c} />
        <WhereSection c={c} now={now} />
        <InsuranceSection c={c} />
        <ScreensSection c={c} />
        <CarePlanSection
          state={plan}
          user={user}
          urgent={c.urgent}
          personName={c.person.preferred_name}
          reference={c.reference}
          insurance={c.intake?.insurance}
          memberLang={c.intake?.language}
        />
        <Matches
          caseId={c.id}
          {...(c.intake?.insurance?.carrier ? { planNames: { carrier: c.intake.insurance.carrier, plan: c.intake.insurance.plan_name ?? '' } } : {})}
          renderPlanAction={(m) => <AddToPlan match={m} state={plan} />}
        />
        <NotesSection caseId={c.id} user={user} notes={notes} setNotes={setNotes} error={notesError} reload={loadNotes} onAdded={() => void loadCase()} />
        <LinksSection c={c} onLinked={() => void loadCase()} />
        <TimelineSection c={c} user={user} />
      </div>
    </>
  );
}

// --- the flags at the top ---------------------------------------------------------------------

function Flags({ c }: { c: CaseDetail }) {
  const risks = c.screenings.filter((s) => s.risk && s.risk !== 'none');
  const flags = c.screenings.flatMap((s) => s.flags.map((f) => ({ f, instrument: s.instrument })));
  const safety = flags.filter((x) => SAFETY_FLAGS.has(x.f));
  const other = flags.filter((x) => !SAFETY_FLAGS.has(x.f));
  if (!c.urgent && risks.length === 0 && flags.length === 0) return null;
  const danger = c.urgent || risks.length > 0 || safety.length > 0;
  return (
    <section class={`flags flags--${danger ? 'danger' : 'warning'}`} aria-labelledby="case-flags-title" data-testid="case-flags">
      <h2 id="case-flags-title" class="flags__title">
        <span class="flags__icon" aria-hidden="true">
          !
        </span>
        {danger ? 'Safety flags: read these first' : 'Screening flags'}
      </h2>
      <ul class="flags__list">
        {c.urgent && (
          <li>
            <strong>Urgent.</strong> The intake was marked urgent: contact them today, the way they said is safe.
          </li>
        )}
        {risks.map((s) => (
          <li key={`risk-${s.instrument}`} data-testid="risk">
            <strong>Risk: {s.risk}</strong> ({instrumentLabel(s.instrument)})
          </li>
        ))}
        {[...safety, ...other].map(({ f, instrument }) => (
          <li key={`${instrument}-${f}`} data-flag={f}>
            <strong>{SAFETY_FLAGS.has(f) ? 'Safety flag' : 'Flag'}:</strong> {flagLabel(f)} <span class="muted">({f})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

// --- assignment and status: the next action --------------------------------------------------

function NextStep({
  c,
  user,
  reload,
  onChanged,
}: {
  c: CaseDetail;
  user: User;
  reload: () => Promise<CaseDetail | null>;
  onChanged: (summary: CaseSummary | null) => void;
}) {
  const [busy, setBusy] = useState<Busy>(null);
  const [done, setDone] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [form, setForm] = useState<'close' | 'reopen' | null>(null);
  const [reason, setReason] = useState('');
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const [plainError, setPlainError] = useState<FormErrors>(NO_ERRORS);
  const messageRef = useRef<HTMLDivElement>(null);
  const reasonId = form === 'reopen' ? 'reopen-' : 'close-';

  useEffect(() => {
    if (done || conflict) messageRef.current?.focus();
  }, [done, conflict]);

  const who = assignee(c, user.id);
  const supervisor = user.role === 'supervisor';
  const steps = statusSteps(c.status, user.role);
  const canTake = who === 'unassigned' || (supervisor && who === 'someone');
  const canUnassign = supervisor && who !== 'unassigned';

  const run = async (kind: Busy, label: string, call: () => Promise<CaseSummary>, success: string) => {
    if (busy) return;
    setBusy(kind);
    setDone(null);
    setConflict(null);
    setPlainError(NO_ERRORS);
    clear();
    const before: CaseSummary = c;
    try {
      const summary = await call();
      setForm(null);
      setReason('');
      setDone(success);
      onChanged(summary);
    } catch (err) {
      if (is(err, 412)) {
        // Someone else saved first: show the newest version and say what changed; nothing is retried.
        const fresh = await reload();
        if (fresh) setConflict({ action: label, changes: describeCaseChanges(before, fresh, user.id) });
      } else if (is(err, 422) && (kind === 'close' || kind === 'reopen')) {
        setErrors(errorsFromException(err, ['reason']));
      } else if (is(err, 404)) {
        await reload(); // gone from view: the page becomes "Case not found"
      } else {
        setPlainError(errorsFromException(err, []));
      }
    } finally {
      setBusy(null);
    }
  };

  const assignTo = (userId: string | null) =>
    run(
      userId ? 'assign' : 'unassign',
      userId ? 'Assign to me' : 'Unassign',
      () => casesApi.assignCase(c.id, c.version, userId),
      userId ? `Case ${c.reference} is assigned to you.` : `Case ${c.reference} is unassigned.`,
    );

  const submitReason = (e: Event) => {
    e.preventDefault();
    const text = reason.trim();
    if (text === '') {
      setErrors({ detail: null, fields: { reason: [form === 'reopen' ? 'Say why you are reopening the case' : 'Say why you are closing the case'] }, general: [] });
      return;
    }
    if (form === 'reopen') {
      void run('reopen', 'Reopen case', () => casesApi.setCaseStatus(c.id, c.version, 'active', text), `Case ${c.reference} is open again (Active).`);
    } else {
      void run('close', 'Close case', () => casesApi.setCaseStatus(c.id, c.version, 'closed', text), `Case ${c.reference} is closed.`);
    }
  };

  const hint =
    c.status === 'closed'
      ? 'This case is closed.'
      : who === 'unassigned'
        ? 'Nobody has this case yet. Take it, then contact them the way they said is safe.'
        : who === 'someone'
          ? 'Someone else has this case.'
          : c.status === 'new'
            ? `Contact them (${contactMethodLabel(c.person.contact?.preferred ?? '') || 'the way they chose'}), then mark the case as contacted.`
            : `The case is ${statusLabel(c.status).toLowerCase()}. Move it on when the next step is done.`;

  return (
    <section class="card next-step" aria-labelledby="next-step-title" data-testid="next-step">
      <h2 id="next-step-title">Next step</h2>
      <div tabIndex={-1} ref={messageRef} class="focus-target">
        {conflict && (
          <div class="notice notice--warning" role="alert" data-testid="case-conflict">
            <h3 class="notice__title">Someone else changed this case first</h3>
            <p>“{conflict.action}” was not done. The page now shows the newest version.</p>
            {conflict.changes.length > 0 ? (
              <>
                <p>What changed:</p>
                <ul>
                  {conflict.changes.map((ch) => (
                    <li key={ch.label}>
                      {ch.label}: {ch.from} → {ch.to}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <p>Check the case, and do it again if it is still needed.</p>
          </div>
        )}
        {done && <Notice testId="case-done">{done}</Notice>}
      </div>
      {plainError.detail && (
        <div class="error-summary" role="alert">
          <h3 class="error-summary__title">There is a problem</h3>
          <p class="error-summary__detail">{plainError.detail}</p>
        </div>
      )}
      <p>{hint}</p>
      <div class="button-group">
        {canTake && (
          <Button busy={busy === 'assign'} onClick={() => void assignTo(user.id)} data-testid="assign-me">
            {busy === 'assign' ? 'Assigning…' : 'Assign to me'}
          </Button>
        )}
        {steps.next && (
          <Button
            variant={canTake ? 'secondary' : 'primary'}
            busy={busy === 'status'}
            data-testid="next-status"
            onClick={() =>
              void run('status', steps.next!.label, () => casesApi.setCaseStatus(c.id, c.version, steps.next!.to), `Status changed to ${statusLabel(steps.next!.to)}.`)
            }
          >
            {busy === 'status' ? 'Saving…' : steps.next.label}
          </Button>
        )}
        {canUnassign && (
          <Button variant="secondary" busy={busy === 'unassign'} onClick={() => void assignTo(null)} data-testid="unassign">
            {busy === 'unassign' ? 'Unassigning…' : 'Unassign'}
          </Button>
        )}
        {steps.close && form !== 'close' && (
          <Button variant="secondary" onClick={() => (clear(), setReason(''), setForm('close'))} data-testid="close-open">
            Close case…
          </Button>
        )}
        {steps.reopen && form !== 'reopen' && (
          <Button variant="secondary" onClick={() => (clear(), setReason(''), setForm('reopen'))} data-testid="reopen-open">
            Reopen case…
          </Button>
        )}
      </div>
      {form && (
        <form class="form reason-form" method="post" noValidate onSubmit={submitReason} aria-label={form === 'reopen' ? 'Reopen case' : 'Close case'}>
          <ErrorSummary errors={errors} order={['reason']} idPrefix={reasonId} focusKey={focusKey} />
          <TextAreaField
            id={`${reasonId}reason`}
            name="reason"
            label={form === 'reopen' ? 'Why are you reopening this case?' : 'Why are you closing this case?'}
            hint="Required. It is kept with the case notes."
            rows={3}
            maxLength={REASON_MAX}
            required
            value={reason}
            onValue={setReason}
            errors={errors.fields.reason}
          />
          <div class="button-group">
            <Button type="submit" variant={form === 'close' ? 'danger' : 'primary'} busy={busy === 'close' || busy === 'reopen'} data-testid="reason-submit">
              {busy === 'close' || busy === 'reopen' ? 'Saving…' : form === 'reopen' ? 'Reopen case' : 'Close case'}
            </Button>
            <Button variant="link" onClick={() => (clear(), setForm(null))}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

// --- who, what, where, insurance -------------------------------------------------------------

function Row({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function Safe({ ok, yes, no }: { ok: boolean | undefined; yes: string; no: string }) {
  return ok ? (
    <span class="safe safe--yes">
      <span aria-hidden="true">✓ </span>
      {yes}
    </span>
  ) : (
    <span class="safe safe--no">
      <span aria-hidden="true">✕ </span>
      {no}
    </span>
  );
}

function WhoSection({ c }: { c: CaseDetail }) {
  const contact = c.person.contact ?? {};
  const intake = c.intake ?? {};
  const forWhom =
    intake.for === 'family'
      ? `Filled in by someone close to them${intake.relationship ? ` (the person is their ${relationshipLabel(intake.relationship)})` : ''}`
      : intake.for === 'self'
        ? 'Themself'
        : '—';
  return (
    <section class="card" aria-labelledby="case-who">
      <h2 id="case-who">Who they are and how to reach them</h2>
      <dl class="summary-list" data-testid="case-contact">
        <Row label="Preferred name">{c.person.preferred_name || '—'}</Row>
        <Row label="Support for">{forWhom}</Row>
        <Row label="Language">{languageLabel(intake.language) || '—'}</Row>
        <Row label="Best way to reach them" testId="contact-preferred">
          <strong>{contactMethodLabel(contact.preferred ?? '') || '—'}</strong>
        </Row>
        <Row label="Phone">{contact.phone ? <a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a> : 'None given'}</Row>
        <Row label="Email">{contact.email ? <span class="break">{contact.email}</span> : 'None given'}</Row>
        <Row label="Voicemail" testId="safe-voicemail">
          <Safe ok={contact.voicemail_ok} yes="OK to leave a voicemail" no="Do not leave a voicemail" />
        </Row>
        <Row label="Text messages" testId="safe-text">
          <Safe ok={contact.text_ok} yes="OK to text" no="Do not text" />
        </Row>
        <Row label="Emails" testId="safe-email">
          <Safe ok={contact.email_ok} yes="OK to email" no="Do not email" />
        </Row>
      </dl>
    </section>
  );
}

function AskedSection({ c }: { c: CaseDetail }) {
  const prefs = c.intake?.preferences;
  return (
    <section class="card" aria-labelledby="case-asked">
      <h2 id="case-asked">What they asked for</h2>
      {c.requests.length ? (
        <ul class="asked" data-testid="case-requests">
          {c.requests.map((r) => (
            <li key={r}>{requestLabel(r)}</li>
          ))}
        </ul>
      ) : (
        <p>Nothing chosen.</p>
      )}
      <dl class="summary-list">
        <Row label="Work in music">{industryRoleLabel(c.industry_role) || '—'}</Row>
        {prefs?.language && <Row label="Care in">{languageLabel(prefs.language)}</Row>}
        {prefs?.format && <Row label="Format">{formatLabel(prefs.format)}</Row>}
        {prefs?.provider_identity && <Row label="Provider preference">{prefs.provider_identity}</Row>}
        {prefs?.specialties?.length ? <Row label="Looking for">{prefs.specialties.map(specialtyLabel).join(', ')}</Row> : null}
        {c.src && <Row label="Came from">{c.src}</Row>}
      </dl>
    </section>
  );
}

function localTime(zone: string, now: number): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone, weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(new Date(now));
  } catch {
    return null;
  }
}

function formatDate(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return date;
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(t));
}

function WhereSection({ c, now }: { c: CaseDetail; now: number }) {
  const loc = c.intake?.location ?? {};
  const tour = c.intake?.on_tour;
  const zone = loc.time_zone ?? '';
  const theirTime = zone ? localTime(zone, now) : null;
  return (
    <section class="card" aria-labelledby="case-where">
      <h2 id="case-where">Where they are</h2>
      <dl class="summary-list" data-testid="case-where">
        <Row label="Place">{placeLabel(loc.country ?? c.country, loc.region ?? c.region)}</Row>
        {loc.city && <Row label="City">{loc.city}</Row>}
        <Row label="Time zone">
          {zone ? timeZoneLabel(zone) : '—'}
          {theirTime && <span class="muted"> (their time now: {theirTime})</span>}
        </Row>
        <Row label="On tour" testId="case-tour">
          {tour?.now ? (tour.until ? `Yes, until ${formatDate(tour.until)}` : 'Yes, end date not given') : tour ? 'No' : '—'}
        </Row>
      </dl>
    </section>
  );
}

function InsuranceSection({ c }: { c: CaseDetail }) {
  const ins = c.intake?.insurance;
  const hh = c.intake?.household;
  return (
    <section class="card" aria-labelledby="case-insurance">
      <h2 id="case-insurance">Insurance</h2>
      <dl class="summary-list" data-testid="case-insurance-list">
        <Row label="Insurance">{ins?.type ? insuranceLabel(ins.type) : 'Not sure, or did not say'}</Row>
        {ins?.carrier && <Row label="Carrier">{ins.carrier}</Row>}
        {ins?.plan_name && <Row label="Plan">{ins.plan_name}</Row>}
        {ins?.member_id && <Row label="Member ID">{ins.member_id}</Row>}
        {hh?.size !== undefined && <Row label="Household size">{String(hh.size)}</Row>}
        {hh?.income_band && <Row label="Household income">{incomeLabel(hh.income_band)}</Row>}
      </dl>
    </section>
  );
}

function ScreensSection({ c }: { c: CaseDetail }) {
  return (
    <section class="card case-grid__wide" aria-labelledby="case-screens">
      <h2 id="case-screens">Screening</h2>
      {c.screenings.length === 0 ? (
        <p>No questionnaires were answered.</p>
      ) : (
        <table class="table table--stack" data-testid="case-screens">
          <caption class="visually-hidden">Questionnaire results</caption>
          <thead>
            <tr>
              <th scope="col">Questionnaire</th>
              <th scope="col">Score</th>
              <th scope="col">Result</th>
              <th scope="col">Risk</th>
              <th scope="col">Flags</th>
            </tr>
          </thead>
          <tbody>
            {c.screenings.map((s) => (
              <tr key={s.instrument} data-instrument={s.instrument}>
                <th scope="row" data-label="Questionnaire">
                  {instrumentLabel(s.instrument)}
                </th>
                <td data-label="Score">{s.score ?? '—'}</td>
                <td data-label="Result">
                  {bandLabel(s.band) || '—'}
                  {s.positive && <span class="muted"> (positive)</span>}
                </td>
                <td data-label="Risk">{s.risk && s.risk !== 'none' ? <span class="tag tag--red">Risk: {s.risk}</span> : 'None'}</td>
                <td data-label="Flags">
                  {s.flags.length ? (
                    <ul class="plain-list">
                      {s.flags.map((f) => (
                        <li key={f}>{SAFETY_FLAGS.has(f) ? <span class="tag tag--red">{flagLabel(f)}</span> : flagLabel(f)}</li>
                      ))}
                    </ul>
                  ) : (
                    'None'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TimelineSection({ c, user }: { c: CaseDetail; user: User }) {
  const events = [...c.timeline].reverse();
  return (
    <section class="card" aria-labelledby="case-timeline">
      <h2 id="case-timeline">Timeline</h2>
      <p class="muted">Newest first.</p>
      <ol class="timeline" data-testid="case-timeline">
        {events.map((e, i) => {
          const t = timelineText(e, user.id);
          return (
            <li key={`${e.at}-${i}`} class="timeline__item">
              <Time iso={e.at} empty="—" />
              <span>
                {t.who} {t.what}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// --- notes --------------------------------------------------------------------------------------

interface Editing {
  id: string;
  text: string;
  /** The version the edit is made on (If-Match). */
  base: CaseNote;
  /** Set after a 412: the newer note someone saved meanwhile. */
  conflict: CaseNote | null;
  error: string | null;
}

function NotesSection({
  caseId,
  user,
  notes,
  setNotes,
  error,
  reload,
  onAdded,
}: {
  caseId: string;
  user: User;
  notes: CaseNote[] | null;
  setNotes: (fn: (n: CaseNote[] | null) => CaseNote[] | null) => void;
  error: string | null;
  reload: () => Promise<void>;
  onAdded: () => void;
}) {
  const [draft, setDraft] = useState(() => loadNoteDraft(caseId));
  const [restored] = useState(() => loadNoteDraft(caseId) !== '');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [editBusy, setEditBusy] = useState(false);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const savedRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);
  useEffect(() => {
    if (editing?.conflict) conflictRef.current?.focus();
  }, [editing?.conflict]);

  const onDraft = (v: string) => {
    setDraft(v);
    saveNoteDraft(caseId, v);
  };

  const add = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setSaved(null);
    if (draft.trim() === '') {
      setErrors({ detail: null, fields: { body: ['Write the note first'] }, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const note = await casesApi.addNote(caseId, draft);
      setNotes((prev) => [...(prev ?? []).filter((n) => n.id !== note.id), note]);
      setDraft('');
      saveNoteDraft(caseId, '');
      setSaved('Note added.');
      onAdded();
    } catch (err) {
      setErrors(errorsFromException(err, ['body']));
    } finally {
      setBusy(false);
    }
  };

  const saveEdit = async (e: Event) => {
    e.preventDefault();
    if (!editing || editBusy) return;
    setSaved(null);
    if (editing.text.trim() === '') {
      setEditing({ ...editing, error: 'Write the note, or cancel' });
      return;
    }
    if (editing.text === editing.base.body && !editing.conflict) {
      setEditing(null);
      return;
    }
    setEditBusy(true);
    try {
      const note = await casesApi.editNote(caseId, editing.id, editing.base.version, editing.text);
      setNotes((prev) => (prev ?? []).map((n) => (n.id === note.id ? note : n)));
      setEditing(null);
      setSaved('Note saved.');
    } catch (err) {
      if (is(err, 412)) {
        // Someone saved this note first: show their text; ours stays in the box, unsaved.
        try {
          const page = await casesApi.listNotes(caseId);
          setNotes(() => page.items);
          const fresh = page.items.find((n) => n.id === editing.id) ?? null;
          setEditing(fresh ? { ...editing, base: fresh, conflict: fresh, error: null } : null);
        } catch (e2) {
          setEditing({ ...editing, error: errorsFromException(e2, []).detail });
        }
      } else {
        setEditing({ ...editing, error: errorsFromException(err, ['body']).detail });
      }
    } finally {
      setEditBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="case-notes">
      <h2 id="case-notes">Notes</h2>
      <div tabIndex={-1} ref={savedRef} class="focus-target">
        {saved && <Notice testId="note-saved">{saved}</Notice>}
      </div>
      {error && (
        <div class="error-summary" role="alert">
          <p class="error-summary__detail">The notes could not be loaded: {error}</p>
          <Button variant="secondary" onClick={() => void reload()}>
            Try again
          </Button>
        </div>
      )}
      {notes === null ? (
        !error && <Loading label="Loading notes…" />
      ) : notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ol class="notes" data-testid="notes">
          {notes.map((n) => {
            const mine = n.author_id === user.id;
            const edit = editing?.id === n.id ? editing : null;
            return (
              <li key={n.id} class="note" data-note-id={n.id}>
                <p class="note__meta">
                  <strong>{mine ? 'You' : 'Someone else'}</strong>, <Time iso={n.created_at} empty="—" />
                  {Number(n.version) > 1 && <span class="muted"> (edited)</span>}
                </p>
                {!edit && (
                  <p class="note__body" data-testid="note-body">
                    {n.body}
                  </p>
                )}
                {edit ? (
                  <form class="form" method="post" noValidate onSubmit={saveEdit} aria-label="Edit note">
                    {edit.conflict && (
                      <div class="notice notice--warning" role="alert" tabIndex={-1} ref={conflictRef} data-testid="note-conflict">
                        <h3 class="notice__title">Someone changed this note since you opened it</h3>
                        <p>It now says:</p>
                        <blockquote class="note__body" data-testid="note-conflict-newer">
                          {edit.conflict.body}
                        </blockquote>
                        <p>Your edit was not saved; it is still in the box below. Save again to replace their version, or cancel to keep it.</p>
                      </div>
                    )}
                    <TextAreaField
                      id={`note-edit-${n.id}`}
                      name="body"
                      label="Edit your note"
                      rows={4}
                      maxLength={NOTE_MAX}
                      value={edit.text}
                      onValue={(v) => setEditing({ ...edit, text: v })}
                      errors={edit.error ? [edit.error] : undefined}
                    />
                    <div class="button-group">
                      <Button type="submit" busy={editBusy} data-testid="note-save">
                        {editBusy ? 'Saving…' : 'Save note'}
                      </Button>
                      <Button variant="link" onClick={() => setEditing(null)}>
                        Cancel
                      </Button>
                    </div>
                  </form>
                ) : (
                  mine && (
                    <Button
                      variant="secondary"
                      class="note__edit"
                      data-testid="note-edit"
                      onClick={() => {
                        setSaved(null);
                        setEditing({ id: n.id, text: n.body, base: n, conflict: null, error: null });
                        requestAnimationFrame(() => document.getElementById(`note-edit-${n.id}`)?.focus());
                      }}
                    >
                      Edit<span class="visually-hidden"> your note from {formatTime(n.created_at)}</span>
                    </Button>
                  )
                )}
              </li>
            );
          })}
        </ol>
      )}
      <form class="form" method="post" noValidate onSubmit={add} aria-label="New note">
        <ErrorSummary errors={errors} order={['body']} idPrefix="note-new-" focusKey={focusKey} />
        {restored && draft !== '' && (
          <Notice kind="info" testId="note-draft-restored">
            Your unsent note was kept from before.
          </Notice>
        )}
        <TextAreaField
          id="note-new-body"
          name="body"
          label="Add a note"
          hint="Only staff see notes. What you type is kept in this tab until you add it."
          rows={4}
          maxLength={NOTE_MAX}
          value={draft}
          onValue={onDraft}
          errors={errors.fields.body}
        />
        <Button type="submit" busy={busy} data-testid="note-add">
          {busy ? 'Adding…' : 'Add note'}
        </Button>
      </form>
    </section>
  );
}

// --- suggested case managers (supervisors) -----------------------------------------------------

const REASON_LABELS: Record<string, string> = { on_duty: 'On duty now', lightest_caseload: 'Lightest caseload' };

/** A reason as words: "speaks es" stays; a code like "lightest_caseload" becomes "Lightest caseload". */
export function reasonLabel(r: string): string {
  return REASON_LABELS[r] ?? (/^[a-z0-9]+(_[a-z0-9]+)+$/.test(r) ? humanize(r) : r);
}

/** Who could take this case, best first, with the reasons; "Assign" uses the usual assign call (If-Match). */
function Suggestions({
  c,
  onAssigned,
  reload,
}: {
  c: CaseDetail;
  onAssigned: (summary: CaseSummary | null) => void;
  reload: () => Promise<CaseDetail | null>;
}) {
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    setItems(null);
    liveCalls
      .suggestions(c.id)
      .then((r) => setItems(r.items))
      .catch((e) => setError(errorsFromException(e, []).detail));
  }, [c.id]);

  const assign = async (s: Suggestion) => {
    if (busy) return;
    setBusy(s.user_id);
    setError(null);
    setDone(null);
    try {
      const summary = await casesApi.assignCase(c.id, c.version, s.user_id);
      setDone(`Case ${c.reference} is assigned to ${s.name}.`);
      onAssigned(summary);
    } catch (e) {
      if (is(e, 412)) {
        await reload();
        setError('Someone else changed this case first. The page now shows the newest version; check it and assign again if still needed.');
      } else setError(errorsFromException(e, []).detail);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card suggestions" aria-labelledby="case-suggestions" data-testid="suggestions">
      <h2 id="case-suggestions">Suggested case managers</h2>
      {done && <Notice testId="suggestion-done">{done}</Notice>}
      {error && (
        <div class="error-summary" role="alert">
          <p class="error-summary__detail">{error}</p>
        </div>
      )}
      {items === null ? (
        !error && <Loading label="Loading suggestions…" />
      ) : items.length === 0 ? (
        <p>No suggestions: nobody on the team fits, or everyone is at capacity.</p>
      ) : (
        <ol class="suggestions__list">
          {items.map((s) => {
            const current = c.assigned_to === s.user_id;
            return (
              <li key={s.user_id} class="suggestions__item" data-user-id={s.user_id}>
                <span>
                  <strong>{s.name}</strong> <span class="muted">({s.open_cases} open {s.open_cases === 1 ? 'case' : 'cases'})</span>
                  {s.reasons.length > 0 && <span class="suggestions__reasons">{s.reasons.map(reasonLabel).join(' · ')}</span>}
                </span>
                {current ? (
                  <span class="tag tag--green">Assigned</span>
                ) : (
                  <Button variant="secondary" busy={busy === s.user_id} onClick={() => void assign(s)} data-testid="suggestion-assign">
                    {busy === s.user_id ? 'Assigning…' : 'Assign'}
                    <span class="visually-hidden"> to {s.name}</span>
                  </Button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

// --- linked family cases -------------------------------------------------------------------------

const LINK_LABELS: Record<LinkRelationship, string> = {
  partner: 'Partner or spouse',
  parent: 'Parent',
  child: 'Child',
  sibling: 'Brother or sister',
  other: 'Other family',
};

function LinksSection({ c, onLinked }: { c: CaseDetail; onLinked: () => void }) {
  const [ref, setRef] = useState('');
  const [rel, setRel] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { errors, setErrors, clear, focusKey } = useFormErrors();
  const links = c.links ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setDone(null);
    const reference = ref.trim().toUpperCase();
    const fields: Record<string, string[]> = {};
    if (!/^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(reference)) fields.case_reference = ['Enter a case reference like SC-ABCD-EFGH'];
    if (!(LINK_RELATIONSHIPS as readonly string[]).includes(rel)) fields.relationship = ['Choose how the cases are related'];
    if (Object.keys(fields).length) {
      setErrors({ detail: null, fields, general: [] });
      return;
    }
    clear();
    setBusy(true);
    try {
      const link = await liveCalls.linkCase(c.id, reference, rel as LinkRelationship);
      setRef('');
      setRel('');
      setDone(`Linked to case ${link.reference}.`);
      onLinked();
    } catch (err) {
      setErrors(errorsFromException(err, ['case_reference', 'relationship']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="case-links">
      <h2 id="case-links">Linked family cases</h2>
      {done && <Notice testId="link-done">{done}</Notice>}
      {links.length === 0 ? (
        <p>No linked cases.</p>
      ) : (
        <ul class="plain-list" data-testid="case-links">
          {links.map((l) => (
            <li key={l.case_id}>
              <Link href={`/cases/${encodeURIComponent(l.case_id)}`}>Case {l.reference}</Link>{' '}
              <span class="muted">({(LINK_LABELS as Record<string, string>)[l.relationship] ?? l.relationship})</span>
            </li>
          ))}
        </ul>
      )}
      <p class="hint">A linked case opens only for those who may see it; each has its own consent.</p>
      <form class="form" method="post" noValidate onSubmit={(e) => void submit(e as unknown as Event)} aria-labelledby="case-links-form">
        <h3 id="case-links-form">Link a family member’s case</h3>
        <ErrorSummary errors={errors} order={['case_reference', 'relationship']} idPrefix="link-" focusKey={focusKey} />
        <TextField
          id="link-case_reference"
          name="case_reference"
          label="Their case reference"
          hint="Like SC-ABCD-EFGH."
          autoComplete="off"
          spellcheck={false}
          autoCapitalize="characters"
          maxLength={20}
          value={ref}
          onValue={setRef}
          errors={errors.fields.case_reference}
        />
        <SelectField
          id="link-relationship"
          name="relationship"
          label="They are this person’s"
          value={rel}
          onValue={setRel}
          options={[{ value: '', label: 'Choose one' }, ...LINK_RELATIONSHIPS.map((r) => ({ value: r, label: LINK_LABELS[r] }))]}
          errors={errors.fields.relationship}
        />
        <Button type="submit" variant="secondary" busy={busy} data-testid="link-add">
          {busy ? 'Linking…' : 'Link case'}
        </Button>
      </form>
    </section>
  );
}
