import { useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api';
import { cases as casesApi } from '../caseApi';
import {
  ASSIGNEE_LABELS,
  CASE_STATUSES,
  ageText,
  assignee,
  filterFromSearch,
  industryRoleLabel,
  mergeQueue,
  placeLabel,
  queueCounts,
  requestLabel,
  searchFromFilter,
  slaState,
  sortQueue,
  statusLabel,
  worksCases,
  type CaseFilter,
  type CaseSummary,
  type QueueTotals,
} from '../cases';
import { Button, CheckboxField, SelectField, errorsFromException } from '../components/forms';
import { Link, Loading, Notice, formatTime, takeFlash, usePageTitle } from '../components/ui';
import { listKeyAction, moveIndex } from '../keys';
import { useLiveEvents, useLiveStatus } from '../live';
import { navigate } from '../router';

/** The light poll, a safety net under the live updates (and all there is when they are down). */
export const POLL_MS = 30_000;
/** Live events often come in bursts (case.created, then alert.raised): one reload for them. */
const LIVE_DEBOUNCE_MS = 150;
/** How often the SLA timers and ages are redrawn. */
const TICK_MS = 15_000;
const PAGE_SIZE = 50;

const STATUS_OPTIONS = [{ value: '', label: 'All statuses' }, ...CASE_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))];

export function QueuePage({ user, search = '' }: { user: User; search?: string }) {
  usePageTitle('Queue');
  return worksCases(user.role) ? <CaseQueue user={user} search={search} /> : <QueuePlaceholder user={user} />;
}

/** Roles that do not work cases keep the home page they had. */
function QueuePlaceholder({ user }: { user: User }) {
  const [flash] = useState(takeFlash);
  return (
    <>
      {flash && <Notice testId="flash">{flash}</Notice>}
      <h1 tabIndex={-1}>Queue</h1>
      <p class="lede">Welcome, {user.name || user.email}.</p>
      <div class="card placeholder" data-testid="queue-placeholder">
        <h2>No cases yet</h2>
        <p>The case queue arrives with case management: urgent cases first, then the oldest, with SLA timers and live updates.</p>
      </div>
    </>
  );
}

export function SlaTimer({ c, now }: { c: Pick<CaseSummary, 'created_at' | 'first_contact_due_at' | 'first_contact_at'>; now: number }) {
  const s = slaState(c, now);
  return (
    <span class={`sla sla--${s.level}`} data-testid="sla" data-level={s.level}>
      {s.level === 'overdue' && <span aria-hidden="true">! </span>}
      {s.text}
    </span>
  );
}

export function UrgentBadge() {
  return (
    <span class="badge badge--urgent" data-testid="urgent-badge">
      <span aria-hidden="true">! </span>Urgent
    </span>
  );
}

type LoadMode = 'start' | 'more' | 'refresh' | 'poll' | 'live';

function CaseQueue({ user, search }: { user: User; search: string }) {
  const [flash] = useState(takeFlash);
  const filter = filterFromSearch(search);
  const filterKey = searchFromFilter(filter);
  const [items, setItems] = useState<CaseSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [totals, setTotals] = useState<QueueTotals | null>(null);
  const [busy, setBusy] = useState<LoadMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [selected, setSelected] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const seq = useRef(0);
  const latest = useRef({ items, cursor, busy, filter, selected });
  latest.current = { items, cursor, busy, filter, selected };
  const focusId = useRef<string | null>(null);

  const load = async (mode: LoadMode, f: CaseFilter = latest.current.filter) => {
    const id = ++seq.current;
    const shown = latest.current.items ?? [];
    setBusy(mode);
    if (mode !== 'poll') setError(null);
    try {
      // A refresh asks again for everything shown, so "Load more" pages do not vanish.
      const again = mode === 'refresh' || mode === 'poll' || mode === 'live';
      const limit = again ? Math.min(200, Math.max(PAGE_SIZE, shown.length)) : PAGE_SIZE;
      const page = await casesApi.listCases(f, mode === 'more' ? latest.current.cursor : null, limit);
      if (id !== seq.current) return; // the filter changed meanwhile: a newer answer is coming
      const next = mode === 'more' ? mergeQueue(shown, page.items) : sortQueue(page.items);
      setItems(next);
      setCursor(page.next_cursor ?? null);
      setTotals(page.counts ?? null);
      setUpdatedAt(Date.now());
      setNow(Date.now());
      setPollError(null);
      if (mode === 'more') {
        const added = next.length - shown.length;
        setAnnounce(`Loaded ${added} more ${added === 1 ? 'case' : 'cases'}.`);
        const firstNew = next.find((c) => !shown.some((s) => s.id === c.id));
        if (firstNew && !page.next_cursor) focusId.current = firstNew.id;
      } else if ((mode === 'poll' || mode === 'live') && latest.current.items !== null) {
        // Say when new cases arrive, so a screen reader user hears it without re-reading the table.
        const seen = new Set(shown.map((c) => c.id));
        const fresh = next.filter((c) => !seen.has(c.id));
        const urgent = fresh.filter((c) => c.urgent).length;
        if (fresh.length === 1) setAnnounce(`New ${fresh[0]!.urgent ? 'urgent ' : ''}case ${fresh[0]!.reference} in the queue.`);
        else if (fresh.length) setAnnounce(`${fresh.length} new cases in the queue${urgent ? `, ${urgent} urgent` : ''}.`);
        else if (mode === 'live') setAnnounce(`Queue updated at ${new Date().toLocaleTimeString()}.`);
      } else if (mode === 'refresh') {
        const n = queueCounts(next);
        setAnnounce(`Queue updated: ${n.shown} ${n.shown === 1 ? 'case' : 'cases'}, ${n.urgent} urgent.`);
      }
    } catch (e) {
      if (id !== seq.current) return;
      const msg = errorsFromException(e, []).detail ?? 'Something went wrong. Try again.';
      if (mode === 'poll' || mode === 'live') setPollError(msg);
      else setError(msg);
    } finally {
      if (id === seq.current) setBusy(null);
    }
  };

  // A new filter starts the list again.
  useEffect(() => {
    setItems(null);
    setCursor(null);
    void load('start', filter);
  }, [filterKey]);

  // The light poll, and the clock for the SLA timers.
  useEffect(() => {
    const poll = setInterval(() => {
      if (typeof document !== 'undefined' && document.hidden) return;
      if (latest.current.busy) return;
      void load('poll');
    }, POLL_MS);
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => {
      clearInterval(poll);
      clearInterval(tick);
    };
  }, []);

  // Live: a case came in or changed: ask again for what is shown (no full reload).
  const liveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents(['case.created', 'case.updated'], () => {
    if (liveTimer.current) clearTimeout(liveTimer.current);
    liveTimer.current = setTimeout(() => {
      liveTimer.current = null;
      void load('live');
    }, LIVE_DEBOUNCE_MS);
  });
  useEffect(
    () => () => {
      if (liveTimer.current) clearTimeout(liveTimer.current);
    },
    [],
  );
  // A new stream may have missed events: load again.
  const liveStatus = useLiveStatus(() => {
    if (latest.current.items !== null) void load('poll');
  });

  useEffect(() => {
    if (focusId.current) {
      document.getElementById(`case-link-${focusId.current}`)?.focus();
      focusId.current = null;
    }
  }, [items]);

  // j / k move through the cases, Enter opens the selected one; never while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = listKeyAction(e);
      if (!action) return;
      const list = latest.current.items ?? [];
      const at = list.findIndex((c) => c.id === latest.current.selected);
      if (action === 'open') {
        const c = list[at];
        if (!c) return;
        e.preventDefault();
        navigate(`/cases/${encodeURIComponent(c.id)}`);
        return;
      }
      const i = moveIndex(at, action, list.length);
      const c = list[i];
      if (!c) return;
      e.preventDefault();
      setSelected(c.id);
      document.getElementById(`case-link-${c.id}`)?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const setFilter = (f: CaseFilter) => navigate(`/${searchFromFilter(f)}`, { replace: true });
  const counts = items ? queueCounts(items) : null;

  return (
    <>
      {flash && <Notice testId="flash">{flash}</Notice>}
      <div class="page-head">
        <h1 tabIndex={-1}>Queue</h1>
        <Button variant="secondary" busy={busy === 'refresh'} onClick={() => void load('refresh')} data-testid="refresh">
          {busy === 'refresh' ? 'Refreshing…' : 'Refresh'}
        </Button>
      </div>
      <p class="queue-meta muted" data-testid="queue-updated">
        {updatedAt ? <>Updated at {new Date(updatedAt).toLocaleTimeString()}. </> : null}
        <span data-testid="live-status" data-state={liveStatus}>
          {liveStatus === 'open' ? 'Live: new and changed cases appear as they happen.' : 'The queue updates every 30 seconds.'}
        </span>
      </p>
      <form class="filters" aria-label="Filter cases" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="queue-status"
          name="status"
          label="Status"
          value={filter.status}
          options={STATUS_OPTIONS}
          onValue={(v) => setFilter({ ...filter, status: v })}
        />
        <CheckboxField
          id="queue-urgent"
          name="urgent"
          label="Urgent only"
          checked={filter.urgentOnly}
          onValue={(v) => setFilter({ ...filter, urgentOnly: v })}
        />
      </form>
      <p class="hint" id="queue-keys" data-testid="queue-keys">
        Keyboard: <kbd>j</kbd> next case, <kbd>k</kbd> previous case, <kbd>Enter</kbd> opens it.
      </p>
      {error && (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">There is a problem</h2>
          <p class="error-summary__detail">{error}</p>
          <Button variant="secondary" onClick={() => void load(items ? 'refresh' : 'start')}>
            Try again
          </Button>
        </div>
      )}
      {pollError && (
        <Notice kind="warning" testId="poll-error">
          The queue could not be updated: {pollError} It tries again in 30 seconds.
        </Notice>
      )}
      {counts && (
        <p class="queue-counts" data-testid="queue-counts">
          Showing <strong>{counts.shown}</strong> {counts.shown === 1 ? 'case' : 'cases'}, <strong>{counts.urgent}</strong> urgent
          {cursor ? ' (more to load)' : ''}.
        </p>
      )}
      {totals && (
        <p class="queue-counts" data-testid="queue-totals">
          In your queue: <strong>{totals.open}</strong> open, <strong>{totals.urgent_open}</strong> urgent
          {CASE_STATUSES.filter((st) => st !== 'closed' && (totals.by_status[st] ?? 0) > 0)
            .map((st) => `${totals.by_status[st]} ${statusLabel(st).toLowerCase()}`)
            .join(', ')
            .replace(/^(.)/, ' — $1')}
          .
        </p>
      )}
      {items === null ? (
        !error && <Loading label="Loading cases…" />
      ) : items.length === 0 ? (
        <p data-testid="queue-empty">{filter.status || filter.urgentOnly ? 'No cases match these filters.' : 'There are no cases in your queue.'}</p>
      ) : (
        <table class="table table--stack queue" data-testid="queue-table" aria-describedby="queue-keys">
          <caption class="visually-hidden">Cases, urgent first, then the oldest</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Status</th>
              <th scope="col">First contact</th>
              <th scope="col">Asked for</th>
              <th scope="col">Role</th>
              <th scope="col">Where</th>
              <th scope="col">Age</th>
              <th scope="col">Assigned</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => {
              const who = assignee(c, user.id);
              return (
                <tr
                  key={c.id}
                  data-case-id={c.id}
                  data-reference={c.reference}
                  class={`queue__row${c.urgent ? ' queue__row--urgent' : ''}${selected === c.id ? ' queue__row--selected' : ''}`}
                >
                  <th scope="row" data-label="Case">
                    <span class="queue__case">
                      <Link
                        href={`/cases/${encodeURIComponent(c.id)}`}
                        id={`case-link-${c.id}`}
                        class="queue__ref"
                        onFocus={() => setSelected(c.id)}
                      >
                        {c.reference}
                      </Link>
                      {c.urgent && <UrgentBadge />}
                    </span>
                  </th>
                  <td data-label="Status" data-testid="case-status">
                    {statusLabel(c.status)}
                  </td>
                  <td data-label="First contact">
                    <SlaTimer c={c} now={now} />
                  </td>
                  <td data-label="Asked for">{c.requests.length ? c.requests.map(requestLabel).join(', ') : '—'}</td>
                  <td data-label="Role">{industryRoleLabel(c.industry_role) || '—'}</td>
                  <td data-label="Where">{placeLabel(c.country, c.region)}</td>
                  <td data-label="Age" class="nowrap">
                    <time dateTime={c.created_at} title={formatTime(c.created_at)}>
                      {ageText(c.created_at, now)}
                    </time>
                  </td>
                  <td data-label="Assigned" data-testid="case-assigned" data-assignee={who}>
                    {who === 'unassigned' ? <span class="tag tag--grey">{ASSIGNEE_LABELS[who]}</span> : ASSIGNEE_LABELS[who]}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {items !== null && cursor && (
        <p>
          <Button variant="secondary" busy={busy === 'more'} onClick={() => void load('more')} data-testid="load-more">
            {busy === 'more' ? 'Loading…' : 'Load more cases'}
          </Button>
        </p>
      )}
      <p class="visually-hidden" role="status">
        {announce}
      </p>
    </>
  );
}
