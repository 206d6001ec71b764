import { describe, expect, it } from 'vitest';
import {
  ageText,
  assignee,
  compareQueue,
  describeCaseChanges,
  filterFromSearch,
  formatDuration,
  loadNoteDraft,
  mergeQueue,
  noteDraftKey,
  placeLabel,
  queueCounts,
  saveNoteDraft,
  searchFromFilter,
  slaState,
  sortQueue,
  statusSteps,
  timelineText,
  type CaseSummary,
  type KeyValueStore,
} from './cases';

const T0 = Date.parse('2026-11-25T12:00:00Z');
const H = 3600_000;
const M = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const mk = (over: Partial<CaseSummary> = {}): CaseSummary => ({
  id: 'c-0',
  reference: 'SC-AAAA-0000',
  status: 'new',
  urgent: false,
  assigned_to: null,
  country: 'US',
  region: 'US-TN',
  industry_role: 'touring_crew',
  requests: ['therapy'],
  src: '',
  created_at: iso(T0),
  first_contact_due_at: iso(T0 + 24 * H),
  first_contact_at: null,
  version: 1,
  ...over,
});

describe('formatDuration', () => {
  it('reads as a person would say it', () => {
    expect(formatDuration(20_000)).toBe('under 1 min');
    expect(formatDuration(45 * M)).toBe('45 min');
    expect(formatDuration(2 * H)).toBe('2 h');
    expect(formatDuration(2 * H + 5 * M + 59_000)).toBe('2 h 5 min');
    expect(formatDuration(-(3 * 24 * H + 4 * H))).toBe('3 d 4 h');
  });
});

describe('slaState: time to first contact', () => {
  const day = mk(); // a 24-hour window

  it('shows the time left while more than a quarter of the window remains', () => {
    const s = slaState(day, T0 + 2 * H);
    expect(s).toEqual({ level: 'ok', remainingMs: 22 * H, text: '22 h left' });
    // A moment before the last quarter starts, it is still plain.
    expect(slaState(day, T0 + 18 * H - 1).level).toBe('ok');
  });

  it('turns amber in the last quarter, saying so in words', () => {
    expect(slaState(day, T0 + 18 * H)).toEqual({ level: 'soon', remainingMs: 6 * H, text: 'Due soon: 6 h left' });
    expect(slaState(day, T0 + 24 * H - 30 * M).text).toBe('Due soon: 30 min left');
  });

  it('turns red when overdue, from the due time on', () => {
    expect(slaState(day, T0 + 24 * H)).toMatchObject({ level: 'overdue', text: 'Overdue by under 1 min' });
    expect(slaState(day, T0 + 26 * H + 10 * M)).toEqual({ level: 'overdue', remainingMs: -(2 * H + 10 * M), text: 'Overdue by 2 h 10 min' });
  });

  it('uses the case’s own window: an urgent one-hour case is amber in its last 15 minutes', () => {
    const urgent = mk({ urgent: true, first_contact_due_at: iso(T0 + H) });
    expect(slaState(urgent, T0 + 44 * M).level).toBe('ok');
    expect(slaState(urgent, T0 + 45 * M)).toMatchObject({ level: 'soon', text: 'Due soon: 15 min left' });
    expect(slaState(urgent, T0 + 61 * M)).toMatchObject({ level: 'overdue', text: 'Overdue by 1 min' });
  });

  it('says "Contacted" once first contact is made, whatever the clock says', () => {
    expect(slaState(mk({ first_contact_at: iso(T0 + H) }), T0 + 100 * H)).toEqual({ level: 'contacted', remainingMs: null, text: 'Contacted' });
    expect(slaState(mk({ first_contact_at: iso(T0 + 25 * H) }), T0 + 100 * H).text).toBe('Contacted (late)');
  });

  it('copes with a missing or odd due time', () => {
    expect(slaState(mk({ first_contact_due_at: '' }), T0).level).toBe('unknown');
    // No usable start: never amber, but still red when overdue.
    expect(slaState(mk({ created_at: 'x' }), T0 + 23 * H).level).toBe('ok');
    expect(slaState(mk({ created_at: 'x' }), T0 + 25 * H).level).toBe('overdue');
  });
});

describe('queue order and counts', () => {
  const oldNormal = mk({ id: 'a', created_at: iso(T0 - 5 * H) });
  const newNormal = mk({ id: 'b', created_at: iso(T0) });
  const oldUrgent = mk({ id: 'c', urgent: true, created_at: iso(T0 - H) });
  const newUrgent = mk({ id: 'd', urgent: true, created_at: iso(T0 + H) });

  it('puts urgent first, then the oldest', () => {
    expect(sortQueue([newNormal, newUrgent, oldNormal, oldUrgent]).map((c) => c.id)).toEqual(['c', 'd', 'a', 'b']);
    expect(compareQueue(oldNormal, newUrgent)).toBeGreaterThan(0);
  });

  it('breaks ties by id so rows never swap between polls', () => {
    const x = mk({ id: 'x' });
    const y = mk({ id: 'y' });
    expect(sortQueue([y, x]).map((c) => c.id)).toEqual(['x', 'y']);
  });

  it('merges a further page in, replacing cases seen again with their newer copy', () => {
    const merged = mergeQueue([oldUrgent, oldNormal], [{ ...oldNormal, status: 'contacted' }, newUrgent, newNormal]);
    expect(merged.map((c) => c.id)).toEqual(['c', 'd', 'a', 'b']);
    expect(merged.find((c) => c.id === 'a')!.status).toBe('contacted');
  });

  it('counts what is shown and how many are urgent', () => {
    expect(queueCounts([oldNormal, newUrgent, oldUrgent])).toEqual({ shown: 3, urgent: 2 });
    expect(queueCounts([])).toEqual({ shown: 0, urgent: 0 });
  });

  it('says who has a case', () => {
    expect(assignee(mk(), 'me')).toBe('unassigned');
    expect(assignee(mk({ assigned_to: 'me' }), 'me')).toBe('me');
    expect(assignee(mk({ assigned_to: 'other' }), 'me')).toBe('someone');
  });

  it('shows age coarsely, and places by name', () => {
    expect(ageText(iso(T0), T0 + 30_000)).toBe('just now');
    expect(ageText(iso(T0), T0 + 12 * M)).toBe('12 min');
    expect(ageText(iso(T0), T0 + 5 * H)).toBe('5 h');
    expect(ageText(iso(T0), T0 + 50 * H)).toBe('2 d');
    expect(placeLabel('US', 'US-TN')).toBe('Tennessee, US');
    expect(placeLabel('GB', '')).toBe('United Kingdom');
  });
});

describe('filters in the URL', () => {
  it('round-trips and drops what the API would refuse', () => {
    expect(filterFromSearch('?status=contacted&urgent=true')).toEqual({ status: 'contacted', urgentOnly: true });
    expect(filterFromSearch('?status=bogus&urgent=1')).toEqual({ status: '', urgentOnly: false });
    expect(searchFromFilter({ status: 'new', urgentOnly: true })).toBe('?status=new&urgent=true');
    expect(searchFromFilter({ status: '', urgentOnly: false })).toBe('');
  });
});

describe('status steps', () => {
  it('offers the next step forward and closing', () => {
    expect(statusSteps('new', 'case_manager')).toEqual({ next: { to: 'contacted', label: 'Mark as contacted', needsReason: false }, close: true, reopen: false });
    expect(statusSteps('planning', 'case_manager').next?.to).toBe('active');
    expect(statusSteps('active', 'case_manager')).toEqual({ next: null, close: true, reopen: false });
  });

  it('lets only supervisors reopen a closed case', () => {
    expect(statusSteps('closed', 'case_manager')).toEqual({ next: null, close: false, reopen: false });
    expect(statusSteps('closed', 'supervisor')).toEqual({ next: null, close: false, reopen: true });
  });
});

describe('describeCaseChanges (after a 412)', () => {
  it('lists what someone else changed, in words', () => {
    const before = mk();
    const after = mk({ status: 'contacted', assigned_to: 'other', first_contact_at: iso(T0), version: 3 });
    expect(describeCaseChanges(before, after, 'me')).toEqual([
      { label: 'Status', from: 'New', to: 'Contacted' },
      { label: 'Assigned to', from: 'Unassigned', to: 'Someone else' },
      { label: 'First contact', from: 'Not yet', to: 'Made' },
    ]);
    expect(describeCaseChanges(before, { ...before, version: 2 }, 'me')).toEqual([]);
  });
});

describe('timelineText', () => {
  it('names people as you, someone else or the member', () => {
    const e = (type: string, detail: string, actor = 'me') => timelineText({ at: iso(T0), actor_id: actor, type, detail }, 'me');
    expect(e('case.created', 'urgent; intake', 'anonymous')).toEqual({ who: 'The member', what: 'sent the intake (marked urgent)' });
    expect(e('case.created', 'intake', 'anonymous').what).toBe('sent the intake');
    expect(e('case.assigned', 'assigned to me')).toEqual({ who: 'You', what: 'took the case' });
    expect(e('case.assigned', 'assigned to me', 'sup')).toEqual({ who: 'Someone else', what: 'assigned the case to you' });
    expect(e('case.assigned', 'assigned to x', 'sup').what).toBe('assigned the case to someone else');
    expect(e('case.assigned', 'unassigned').what).toBe('unassigned the case');
    expect(e('case.status', 'contacted').what).toBe('changed the status to Contacted');
    expect(e('case.note', 'n-1').what).toBe('added a note');
    expect(e('case.referred', 'x').what).toBe('Referred: x');
    expect(e('care_plan.saved', 'version 2').what).toBe('saved the care plan (version 2)');
    expect(e('care_plan.signed_off', 'version 1', 'sup')).toEqual({ who: 'Someone else', what: 'signed off the care plan (version 1)' });
    expect(e('care_profile.saved', 'version 3').what).toBe('saved the care profile (version 3)');
  });
});

describe('the unsent note draft', () => {
  const store = (): KeyValueStore & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
  };

  it('is kept per case and forgotten when emptied', () => {
    const s = store();
    saveNoteDraft('c1', 'Called, no answer', s);
    expect(s.data.get(noteDraftKey('c1'))).toBe('Called, no answer');
    expect(loadNoteDraft('c1', s)).toBe('Called, no answer');
    expect(loadNoteDraft('c2', s)).toBe('');
    saveNoteDraft('c1', '  ', s);
    expect(s.data.size).toBe(0);
  });

  it('never throws when storage does', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => {},
    };
    expect(() => saveNoteDraft('c1', 'x', broken)).not.toThrow();
    expect(loadNoteDraft('c1', broken)).toBe('');
    expect(loadNoteDraft('c1', null)).toBe('');
  });
});
