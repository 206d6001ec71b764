// The console-wide live pieces: the urgent-case alert banner (open alerts at load, then live)
// and the on/off-duty switch in the header. Console chunk only.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api';
import { formatDuration } from '../cases';
import { liveCalls, type Alert, type Duty } from '../liveApi';
import { useLiveEvents, useLiveStatus, type AnyLiveEvent } from '../live';
import { Button, errorsFromException } from './forms';
import { Link } from './ui';

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** "acknowledge by 3:30 PM (12 min left)" / "overdue by 3 min". */
export function deadlineText(deadline: string, now: number): string {
  const t = Date.parse(deadline);
  if (Number.isNaN(t)) return '';
  const left = t - now;
  return left > 0 ? `acknowledge by ${clock.format(new Date(t))} (${formatDuration(left)} left)` : `overdue by ${formatDuration(left)}`;
}

/** Open alerts first by deadline; an alert seen again replaces the old copy. */
export function mergeAlerts(shown: readonly Alert[], fresh: readonly Alert[]): Alert[] {
  const byId = new Map(shown.map((a) => [a.id, a]));
  for (const a of fresh) byId.set(a.id, a);
  return [...byId.values()].filter((a) => !a.acknowledged_at).sort((a, b) => Date.parse(a.deadline_at) - Date.parse(b.deadline_at));
}

/**
 * The banner across the console while urgent-case alerts are open: the case reference, the
 * deadline, "Acknowledge" and a link to the case. Escalated alerts say so to supervisors. It
 * loads GET /alerts?state=open, then follows alert.raised / acknowledged / escalated.
 */
export function AlertBanner({ user }: { user: User }) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const seq = useRef(0);
  const supervisor = user.role === 'supervisor';

  const load = async () => {
    const id = ++seq.current;
    try {
      const r = await liveCalls.listAlerts('open');
      if (id !== seq.current) return;
      setAlerts(mergeAlerts([], r.items));
      setNow(Date.now());
    } catch {
      // The banner is best effort; the queue still marks urgent cases.
    }
  };

  useEffect(() => {
    void load();
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(tick);
  }, []);
  useLiveStatus(() => void load());
  // alert.raised goes to supervisors and those on duty; the list shows every open alert. An
  // urgent case, or coming on duty, is a reason to look again.
  useLiveEvents(['case.created', 'duty.changed'], (e: AnyLiveEvent) => {
    if ((e.type === 'case.created' && e.data.urgent) || (e.type === 'duty.changed' && e.data.user_id === user.id)) void load();
  });

  useLiveEvents(['alert.raised', 'alert.acknowledged', 'alert.escalated'], (e: AnyLiveEvent) => {
    if (e.type === 'alert.raised') {
      const d = e.data;
      setAlerts((xs) =>
        mergeAlerts(xs, [
          {
            id: d.alert_id,
            case_id: d.case_id,
            reference: d.reference,
            raised_at: e.at,
            deadline_at: d.deadline_at,
            acknowledged_at: null,
            acknowledged_by: null,
            escalated_at: null,
          },
        ]),
      );
      setDone(null);
      setNow(Date.now());
    } else if (e.type === 'alert.acknowledged') {
      setAlerts((xs) => xs.filter((a) => a.id !== e.data.alert_id));
      if (e.data.by !== user.id) {
        const a = alerts.find((x) => x.id === e.data.alert_id);
        if (a) setDone(`Someone else acknowledged the alert for case ${a.reference}.`);
      }
    } else if (e.type === 'alert.escalated') {
      setAlerts((xs) => xs.map((a) => (a.id === e.data.alert_id ? { ...a, escalated_at: a.escalated_at ?? e.at } : a)));
      void load();
    }
  });

  const ack = async (a: Alert) => {
    if (busy) return;
    setBusy(a.id);
    setError(null);
    try {
      await liveCalls.ackAlert(a.id);
      setAlerts((xs) => xs.filter((x) => x.id !== a.id));
      setDone(`You acknowledged the alert for case ${a.reference}. Contact them today, the way they said is safe.`);
    } catch (e) {
      setError(errorsFromException(e, []).detail);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="alerts" aria-label="Urgent case alerts" data-testid="alerts">
      {alerts.length > 0 && (
        <div class="alert-banner" role="alert" data-testid="alert-banner">
          <h2 class="alert-banner__title">
            <span class="flags__icon" aria-hidden="true">
              !
            </span>
            {alerts.length === 1 ? 'An urgent case needs a safety check' : `${alerts.length} urgent cases need a safety check`}
          </h2>
          <ul class="alert-banner__list">
            {alerts.map((a) => (
              <li key={a.id} class="alert-banner__item" data-alert-id={a.id} data-reference={a.reference}>
                <span>
                  <strong>Case {a.reference}</strong>: {deadlineText(a.deadline_at, now)}.
                  {supervisor && a.escalated_at && (
                    <>
                      {' '}
                      <span class="tag tag--red" data-testid="alert-escalated">
                        Escalated: nobody acknowledged in time
                      </span>
                    </>
                  )}
                </span>
                <span class="alert-banner__actions">
                  <Button variant="secondary" busy={busy === a.id} onClick={() => void ack(a)} data-testid="alert-ack">
                    {busy === a.id ? 'Acknowledging…' : 'Acknowledge'}
                    <span class="visually-hidden"> the alert for case {a.reference}</span>
                  </Button>
                  <Link href={`/cases/${encodeURIComponent(a.case_id)}`} class="alert-banner__link">
                    Open case<span class="visually-hidden"> {a.reference}</span>
                  </Link>
                </span>
              </li>
            ))}
          </ul>
          {error && <p class="alert-banner__error">The alert could not be acknowledged: {error}</p>}
        </div>
      )}
      <p class="visually-hidden" role="status" data-testid="alerts-status">
        {done ?? ''}
      </p>
    </section>
  );
}

export interface TaskReminder {
  task_id: string;
  case_id: string;
  reference: string;
  due_at: string;
  overdue: boolean;
}

/** "Due 14:30" / "Overdue since 14:30", in the viewer's time zone. */
export function reminderText(r: TaskReminder): string {
  const t = new Date(r.due_at);
  const hm = Number.isNaN(t.getTime()) ? r.due_at : t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return r.overdue ? `overdue since ${hm}` : `due at ${hm}`;
}

/**
 * Task reminders (task.due): the server announces each open task once, 15 minutes before it
 * is due (or at once when it is overdue), to whoever sees the case. Shown until dismissed;
 * announced politely, since a reminder is not an emergency.
 */
export function TaskReminders() {
  const [items, setItems] = useState<TaskReminder[]>([]);
  useLiveEvents(['task.due'], (e: AnyLiveEvent) => {
    if (e.type !== 'task.due') return;
    const d = e.data;
    setItems((xs) => (xs.some((x) => x.task_id === d.task_id) ? xs : [...xs, { ...d }]));
  });
  if (items.length === 0) return <p class="visually-hidden" role="status" data-testid="task-reminders-status" />;
  return (
    <section class="task-reminders" aria-label="Task reminders" data-testid="task-reminders">
      <p class="visually-hidden" role="status">
        {items.length === 1 ? 'A task is due.' : `${items.length} tasks are due.`}
      </p>
      <ul class="task-reminders__list">
        {items.map((r) => (
          <li key={r.task_id} data-task-id={r.task_id}>
            <span>
              A task on case <strong>{r.reference}</strong> is {reminderText(r)}.
            </span>{' '}
            <Link href={`/cases/${encodeURIComponent(r.case_id)}`}>
              Open case<span class="visually-hidden"> {r.reference}</span>
            </Link>{' '}
            <Button variant="secondary" onClick={() => setItems((xs) => xs.filter((x) => x.task_id !== r.task_id))}>
              Dismiss<span class="visually-hidden"> the reminder for case {r.reference}</span>
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The on/off-duty switch in the header, with how many are on duty (live). */
export function DutyToggle({ user }: { user: User }) {
  const [duty, setDuty] = useState<Duty | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setDuty(await liveCalls.getDuty());
      setError(null);
    } catch {
      // shown as unknown
    }
  };
  useEffect(() => void load(), []);
  useLiveStatus(() => void load());
  useLiveEvents(['duty.changed'], (e) => {
    if (e.type !== 'duty.changed') return;
    setDuty((d) => (d ? { ...d, on_duty_count: e.data.on_duty_count, ...(e.data.user_id === user.id ? { on_duty: e.data.on_duty } : {}) } : d));
  });

  const toggle = async () => {
    if (!duty || busy) return;
    setBusy(true);
    setError(null);
    try {
      setDuty(await liveCalls.setDuty(!duty.on_duty));
    } catch (e) {
      setError(errorsFromException(e, []).detail);
    } finally {
      setBusy(false);
    }
  };

  if (!duty) return null;
  const n = duty.on_duty_count;
  return (
    <div class="duty" data-testid="duty">
      <Button
        variant="secondary"
        class={`duty__toggle${duty.on_duty ? ' duty__toggle--on' : ''}`}
        aria-pressed={duty.on_duty ? 'true' : 'false'}
        busy={busy}
        onClick={() => void toggle()}
        data-testid="duty-toggle"
      >
        On duty
      </Button>
      <span class="duty__count" data-testid="duty-count">
        {n} on duty
      </span>
      {error && (
        <span class="duty__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
