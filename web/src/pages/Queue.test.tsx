import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../api';
import { cases } from '../caseApi';
import type { CaseSummary } from '../cases';
import { live } from '../live';
import { QueuePage } from './Queue';
import { flush, renderRoot, unmountRoot } from '../testing/dom';
import { staffUser } from '../testing/users';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3600_000;

const me: User = staffUser();

const mk = (id: string, over: Partial<CaseSummary> = {}): CaseSummary => ({
  id,
  reference: `SC-${id.toUpperCase()}`,
  status: 'new',
  urgent: false,
  assigned_to: null,
  country: 'US',
  region: 'US-TN',
  industry_role: 'touring_crew',
  requests: ['therapy'],
  src: '',
  created_at: iso(NOW - 2 * H),
  first_contact_due_at: iso(NOW + 22 * H),
  first_contact_at: null,
  version: 1,
  ...over,
});


let root: HTMLElement | null = null;
function mount(search = '', user: User = me) {
  root = renderRoot(<QueuePage user={user} search={search} />);
  return root;
}
const refs = () => [...root!.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-reference'));
const key = (k: string, target: EventTarget = document.body) =>
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  });

beforeEach(() => {
  window.history.replaceState(null, '', '/');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  root = unmountRoot(root);
});

describe('QueuePage', () => {
  it('shows urgent cases first, then the oldest, with counts, SLA text and who has each', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    const spy = vi.spyOn(cases, 'listCases').mockResolvedValue({
      items: [
        mk('old', { created_at: iso(NOW - 20 * H), first_contact_due_at: iso(NOW + 4 * H), assigned_to: 'me' }),
        mk('new', { created_at: iso(NOW - H), assigned_to: 'other' }),
        mk('urg', { urgent: true, created_at: iso(NOW - 90 * 60_000), first_contact_due_at: iso(NOW - 30 * 60_000) }),
      ],
      next_cursor: null,
      counts: { open: 12, urgent_open: 2, by_status: { new: 7, contacted: 5, assessing: 0, planning: 0, active: 0, closed: 4 } },
    });
    mount();
    await flush();
    expect(spy).toHaveBeenCalledWith({ status: '', urgentOnly: false }, null, 50);
    expect(refs()).toEqual(['SC-URG', 'SC-OLD', 'SC-NEW']);
    expect(root!.querySelector('[data-testid="queue-counts"]')!.textContent).toBe('Showing 3 cases, 1 urgent.');
    // The whole queue's counts from the server, not only the page shown.
    expect(root!.querySelector('[data-testid="queue-totals"]')!.textContent).toBe('In your queue: 12 open, 2 urgent — 7 new, 5 contacted.');
    const row = (id: string) => root!.querySelector(`tr[data-case-id="${id}"]`)!;
    expect(row('urg').querySelector('[data-testid="urgent-badge"]')!.textContent).toBe('! Urgent');
    expect(row('urg').querySelector('[data-testid="sla"]')!.textContent).toBe('! Overdue by 30 min');
    expect(row('old').querySelector('[data-testid="sla"]')!.textContent).toBe('Due soon: 4 h left');
    expect(row('new').querySelector('[data-testid="sla"]')!.getAttribute('data-level')).toBe('ok');
    expect(row('old').querySelector('[data-testid="case-assigned"]')!.textContent).toBe('You');
    expect(row('new').querySelector('[data-testid="case-assigned"]')!.textContent).toBe('Someone else');
    expect(row('urg').querySelector('[data-testid="case-assigned"]')!.textContent).toBe('Unassigned');
    expect(row('new').textContent).toContain('Tennessee, US');
    expect(root!.textContent).toContain('updates every 30 seconds');
  });

  it('moves with j and k, opens with Enter, and ignores keys typed into the filters', async () => {
    vi.spyOn(cases, 'listCases').mockResolvedValue({ items: [mk('a', { urgent: true }), mk('b'), mk('c')], next_cursor: null });
    mount();
    await flush();
    key('j');
    expect(document.activeElement?.id).toBe('case-link-a');
    key('j', document.activeElement!);
    key('j', document.activeElement!);
    key('j', document.activeElement!); // stops at the end
    expect(document.activeElement?.id).toBe('case-link-c');
    key('k', document.activeElement!);
    expect(document.activeElement?.id).toBe('case-link-b');
    expect(root!.querySelector('tr.queue__row--selected')!.getAttribute('data-case-id')).toBe('b');

    const select = root!.querySelector<HTMLSelectElement>('#queue-status')!;
    select.focus();
    key('j', select);
    expect(document.activeElement).toBe(select);
    key('Enter', select);
    expect(window.location.pathname).toBe('/');

    // Enter on the page opens the selected case.
    (document.activeElement as HTMLElement).blur();
    key('Enter');
    expect(window.location.pathname).toBe('/cases/b');
  });

  it('filters by status and urgency through the URL, and loads more by cursor', async () => {
    const spy = vi
      .spyOn(cases, 'listCases')
      .mockResolvedValueOnce({ items: [mk('a', { urgent: true })], next_cursor: 'c1' })
      .mockResolvedValueOnce({ items: [mk('b', { urgent: true, created_at: iso(NOW) })], next_cursor: null });
    mount('?status=new&urgent=true');
    await flush();
    expect(spy).toHaveBeenNthCalledWith(1, { status: 'new', urgentOnly: true }, null, 50);
    expect(root!.querySelector<HTMLSelectElement>('#queue-status')!.value).toBe('new');
    expect(root!.querySelector<HTMLInputElement>('#queue-urgent')!.checked).toBe(true);
    expect(root!.querySelector('[data-testid="queue-counts"]')!.textContent).toContain('(more to load)');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="load-more"]')!.click());
    await flush();
    expect(spy).toHaveBeenNthCalledWith(2, { status: 'new', urgentOnly: true }, 'c1', 50);
    expect(refs()).toEqual(['SC-A', 'SC-B']);
    expect(root!.querySelector('[data-testid="load-more"]')).toBeNull();

    const urgent = root!.querySelector<HTMLInputElement>('#queue-urgent')!;
    act(() => urgent.click());
    expect(window.location.search).toBe('?status=new');
  });

  it('polls every 30 seconds, asking again for everything shown', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const spy = vi
      .spyOn(cases, 'listCases')
      .mockResolvedValueOnce({ items: [mk('a')], next_cursor: null })
      .mockResolvedValueOnce({ items: [mk('a', { status: 'contacted', first_contact_at: iso(NOW) }), mk('z', { urgent: true })], next_cursor: null });
    mount();
    await flush();
    act(() => {
      vi.advanceTimersByTime(30_000);
    });
    await flush();
    expect(spy).toHaveBeenCalledTimes(2);
    expect(refs()).toEqual(['SC-Z', 'SC-A']);
    expect(root!.querySelector('tr[data-case-id="a"] [data-testid="sla"]')!.textContent).toBe('Contacted');
    expect(root!.querySelector('[role="status"]')!.textContent).toBe('New urgent case SC-Z in the queue.');
  });

  it('live: a case.created event reloads what is shown (no full reload) and says so politely', async () => {
    const spy = vi
      .spyOn(cases, 'listCases')
      .mockResolvedValueOnce({ items: [mk('a')], next_cursor: null })
      .mockResolvedValueOnce({ items: [mk('a'), mk('z', { urgent: true })], next_cursor: null });
    mount();
    await flush();
    expect(refs()).toEqual(['SC-A']);
    act(() => live.dispatch({ seq: 7, type: 'case.created', at: iso(NOW), subject: { type: 'case', id: 'z' }, data: { urgent: true, reference: 'SC-Z' } }));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 200));
    });
    expect(spy).toHaveBeenCalledTimes(2);
    expect(refs()).toEqual(['SC-Z', 'SC-A']);
    const status = root!.querySelector('[role="status"]')!;
    expect(status.textContent).toBe('New urgent case SC-Z in the queue.');
    expect(status.closest('[aria-live="off"]')).toBeNull();
  });

  it('keeps the placeholder for roles that do not work cases', async () => {
    const spy = vi.spyOn(cases, 'listCases');
    mount('', { ...me, role: 'admin' });
    await flush();
    expect(root!.querySelector('[data-testid="queue-placeholder"]')).not.toBeNull();
    expect(spy).not.toHaveBeenCalled();
  });
});
