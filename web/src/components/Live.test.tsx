import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../api';
import { live } from '../live';
import { liveCalls, type Alert } from '../liveApi';
import { AlertBanner, DutyToggle, TaskReminders, deadlineText, mergeAlerts, reminderText } from './Live';
import { flush as flushRounds, renderRoot, unmountRoot } from '../testing/dom';

const user = (role: string, id = 'me'): User => ({
  id,
  email: `${id}@example.org`,
  name: 'Test Person',
  role: role as User['role'],
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
});
const NOW = Date.now();
const alert = (id: string, over: Partial<Alert> = {}): Alert => ({
  id,
  case_id: `case-${id}`,
  reference: `SC-${id.toUpperCase()}AAA-BBBB`,
  raised_at: new Date(NOW).toISOString(),
  deadline_at: new Date(NOW + 10 * 60_000).toISOString(),
  acknowledged_at: null,
  acknowledged_by: null,
  escalated_at: null,
  ...over,
});
let seq = 100;
const send = (type: string, data: unknown) => act(() => live.dispatch({ seq: ++seq, type, at: new Date().toISOString(), subject: { type: 'alert', id: 'x' }, data } as never));
const flush = () => flushRounds(3);

let root: HTMLElement | null = null;
function mount(node: preact.ComponentChild) {
  root = renderRoot(node);
}
afterEach(() => {
  vi.restoreAllMocks();
  root = unmountRoot(root);
});

describe('deadlines and ordering', () => {
  it('says the time left, or how late', () => {
    expect(deadlineText(new Date(NOW + 12 * 60_000 + 5000).toISOString(), NOW)).toMatch(/^acknowledge by .+ \(12 min left\)$/);
    expect(deadlineText(new Date(NOW - 3 * 60_000).toISOString(), NOW)).toBe('overdue by 3 min');
  });
  it('soonest deadline first; acknowledged ones drop out', () => {
    const a = alert('a', { deadline_at: new Date(NOW + 20 * 60_000).toISOString() });
    const b = alert('b');
    expect(mergeAlerts([a], [b]).map((x) => x.id)).toEqual(['b', 'a']);
    expect(mergeAlerts([a, b], [{ ...a, acknowledged_at: new Date().toISOString() }]).map((x) => x.id)).toEqual(['b']);
  });
});

describe('the alert banner', () => {
  it('shows open alerts at load (role=alert), adds raised ones live, and clears one acknowledged elsewhere', async () => {
    vi.spyOn(liveCalls, 'listAlerts').mockResolvedValue({ items: [alert('a')] });
    mount(<AlertBanner user={user('case_manager')} />);
    await flush();
    const banner = () => root!.querySelector('[data-testid="alert-banner"]');
    expect(banner()!.getAttribute('role')).toBe('alert');
    expect(banner()!.textContent).toContain('Case SC-AAAA-BBBB');
    expect(root!.querySelector('a[href="/cases/case-a"]')!.textContent).toContain('Open case');

    send('alert.raised', { alert_id: 'b', case_id: 'case-b', reference: 'SC-BAAA-BBBB', deadline_at: new Date(NOW + 60_000).toISOString() });
    expect([...root!.querySelectorAll('[data-alert-id]')].map((e) => e.getAttribute('data-alert-id'))).toEqual(['b', 'a']);
    expect(banner()!.textContent).toContain('2 urgent cases need a safety check');

    send('alert.acknowledged', { alert_id: 'a', case_id: 'case-a', by: 'someone' });
    send('alert.acknowledged', { alert_id: 'b', case_id: 'case-b', by: 'someone' });
    expect(banner()).toBeNull();
    expect(root!.querySelector('[data-testid="alerts-status"]')!.textContent).toContain('Someone else acknowledged');
  });

  it('"Acknowledge" posts the ack and removes the alert; escalation shows to supervisors only', async () => {
    vi.spyOn(liveCalls, 'listAlerts').mockResolvedValue({ items: [alert('a', { escalated_at: new Date().toISOString() })] });
    const ack = vi.spyOn(liveCalls, 'ackAlert').mockResolvedValue(alert('a', { acknowledged_at: new Date().toISOString() }));
    mount(<AlertBanner user={user('supervisor')} />);
    await flush();
    expect(root!.querySelector('[data-testid="alert-escalated"]')).not.toBeNull();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="alert-ack"]')!.click());
    await flush();
    expect(ack).toHaveBeenCalledWith('a');
    expect(root!.querySelector('[data-testid="alert-banner"]')).toBeNull();
    expect(root!.querySelector('[data-testid="alerts-status"]')!.textContent).toContain('You acknowledged the alert for case SC-AAAA-BBBB');
  });

  it('a case manager does not see the escalation tag', async () => {
    vi.spyOn(liveCalls, 'listAlerts').mockResolvedValue({ items: [alert('a', { escalated_at: new Date().toISOString() })] });
    mount(<AlertBanner user={user('case_manager')} />);
    await flush();
    expect(root!.querySelector('[data-testid="alert-banner"]')).not.toBeNull();
    expect(root!.querySelector('[data-testid="alert-escalated"]')).toBeNull();
  });
});

describe('the duty switch', () => {
  it('shows my duty (aria-pressed) and the count, toggles with PUT, and follows duty.changed live', async () => {
    vi.spyOn(liveCalls, 'getDuty').mockResolvedValue({ on_duty: false, since: null, on_duty_count: 1, shift: null });
    const put = vi.spyOn(liveCalls, 'setDuty').mockResolvedValue({ on_duty: true, since: new Date().toISOString(), on_duty_count: 2, shift: null });
    mount(<DutyToggle user={user('case_manager')} />);
    await flush();
    const toggle = () => root!.querySelector('[data-testid="duty-toggle"]')!;
    const count = () => root!.querySelector('[data-testid="duty-count"]')!.textContent;
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    expect(count()).toBe('1 on duty');
    act(() => (toggle() as HTMLButtonElement).click());
    await flush();
    expect(put).toHaveBeenCalledWith(true);
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
    expect(count()).toBe('2 on duty');
    send('duty.changed', { user_id: 'other', on_duty: true, on_duty_count: 3 });
    expect(count()).toBe('3 on duty');
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
    send('duty.changed', { user_id: 'me', on_duty: false, on_duty_count: 2 });
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
  });
});

describe('task reminders', () => {
  it('lists each task.due once, says overdue, links to the case, and can be dismissed', async () => {
    mount(<TaskReminders />);
    const el = root!;
    expect(el.querySelector('[data-testid="task-reminders"]')).toBeNull();
    const due = { task_id: 't1', case_id: 'c1', reference: 'SC-TASK-0001', due_at: new Date(NOW + 600_000).toISOString(), overdue: false };
    send('task.due', due);
    send('task.due', due); // the same task again (e.g. replayed after a reconnect)
    send('task.due', { ...due, task_id: 't2', reference: 'SC-TASK-0002', overdue: true });
    const items = el.querySelectorAll('[data-task-id]');
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain('SC-TASK-0001');
    expect(items[0].querySelector('a')?.getAttribute('href')).toBe('/cases/c1');
    expect(items[1].textContent).toContain('overdue since');
    await act(() => (items[0].querySelector('button') as HTMLButtonElement).click());
    expect(el.querySelectorAll('[data-task-id]').length).toBe(1);
  });
  it('words the time', () => {
    expect(reminderText({ task_id: 'x', case_id: 'c', reference: 'r', due_at: 'soon', overdue: false })).toBe('due at soon');
  });
});
