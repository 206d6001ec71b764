import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type User } from '../api';
import { live } from '../live';
import { liveCalls, type SupportRequest } from '../liveApi';
import { toProblem } from '../problem';
import { SupportPage } from './Support';
import { staffUser } from '../testing/users';

const me: User = staffUser({ email: 'cm@example.org', name: 'Test Case Manager' });
const req = (id: string, over: Partial<SupportRequest> = {}): SupportRequest => ({
  id,
  status: 'waiting',
  created_at: new Date(Date.now() - 3 * 60_000).toISOString(),
  language: 'es',
  country: 'US',
  time_zone: 'America/Chicago',
  slot_start: null,
  claimed_by: null,
  claimed_at: null,
  outcome: null,
  ...over,
});
const flush = () =>
  act(async () => {
    for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  });

let root: HTMLElement | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  if (root) {
    render(null, root);
    root.remove();
    root = null;
  }
});
function mount() {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<SupportPage user={me} />, root!));
}
function lists(waiting: SupportRequest[], booked: SupportRequest[] = [], claimed: SupportRequest[] = []) {
  return vi.spyOn(liveCalls, 'listSupport').mockImplementation(async (s) => ({ items: s === 'waiting' ? waiting : s === 'booked' ? booked : s === 'claimed' ? claimed : [] }));
}

describe('the support queue', () => {
  it('lists waiting requests without names; a new one arrives live and is announced', async () => {
    const spy = lists([req('r1')]);
    mount();
    await flush();
    const waiting = root!.querySelector('[data-testid="waiting"]')!;
    expect(waiting.querySelectorAll('li').length).toBe(1);
    expect(waiting.textContent).toContain('Spanish');
    expect(waiting.textContent).toContain('3 min ago');
    spy.mockImplementation(async (s) => ({ items: s === 'waiting' ? [req('r1'), req('r2')] : [] }));
    act(() => live.dispatch({ seq: 1, type: 'support.requested', at: '', subject: { type: 'support_request', id: 'r2' }, data: { request_id: 'r2', status: 'waiting', slot_start: null } }));
    await act(async () => {
      await new Promise((r) => setTimeout(r, 200));
    });
    expect(root!.querySelectorAll('[data-testid="waiting"] li').length).toBe(2);
    expect(root!.querySelector('[data-testid="support-announce"]')!.textContent).toBe('1 new request waiting for a call back.');
  });

  it('Claim: the details (name, phone, voicemail) show; Close sends the outcome', async () => {
    lists([req('r1')]);
    vi.spyOn(liveCalls, 'claimSupport').mockResolvedValue(req('r1', { status: 'claimed', claimed_by: 'me' }));
    vi.spyOn(liveCalls, 'getSupport').mockResolvedValue({ ...req('r1'), preferred_name: 'Test Member', phone: '+1 615 555 0142', voicemail_ok: false, case_reference: null });
    const close = vi.spyOn(liveCalls, 'closeSupport').mockResolvedValue(req('r1', { status: 'closed', outcome: 'no_answer' }));
    mount();
    await flush();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="claim"]')!.click());
    await flush();
    const call = root!.querySelector('[data-testid="my-call"]')!;
    expect(call.querySelector('[data-testid="call-name"]')!.textContent).toBe('Test Member');
    expect(call.querySelector('[data-testid="call-phone"]')!.getAttribute('href')).toBe('tel:+16155550142');
    expect(call.querySelector('[data-testid="call-voicemail"]')!.textContent).toContain('Do not leave a voicemail');
    // Close without an outcome: asked for one.
    act(() => call.querySelector<HTMLButtonElement>('[data-testid="close-request"]')!.click());
    await flush();
    expect(root!.querySelector('#close-r1-outcome-error')!.textContent).toContain('Choose what happened');
    const select = call.querySelector<HTMLSelectElement>('select')!;
    act(() => {
      select.value = 'no_answer';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    act(() => call.querySelector<HTMLButtonElement>('[data-testid="close-request"]')!.click());
    await flush();
    expect(close).toHaveBeenCalledWith('r1', 'no_answer', '');
    expect(root!.querySelector('[data-testid="support-done"]')!.textContent).toBe('Closed: No answer.');
    expect(root!.querySelector('[data-testid="mine-empty"]')).not.toBeNull();
  });

  it('a 409 on Claim says someone else took this one (role=alert)', async () => {
    lists([req('r1')]);
    vi.spyOn(liveCalls, 'claimSupport').mockRejectedValue(new ApiError(toProblem({ title: 'Conflict', detail: 'Someone else claimed this request first.' }, 409)));
    mount();
    await flush();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="claim"]')!.click());
    await flush();
    const msg = root!.querySelector('[data-testid="claim-message"]')!;
    expect(msg.getAttribute('role')).toBe('alert');
    expect(msg.textContent).toBe('Someone else took this one. It is no longer waiting.');
  });

  it('booked calls are listed by their time, with the member’s own time', async () => {
    lists([], [req('b2', { status: 'booked', slot_start: '2026-11-27T15:00:00Z' }), req('b1', { status: 'booked', slot_start: '2026-11-26T15:00:00Z', time_zone: 'Europe/London' })]);
    mount();
    await flush();
    const items = [...root!.querySelectorAll('[data-testid="booked"] li')];
    expect(items.map((li) => li.getAttribute('data-request-id'))).toEqual(['b1', 'b2']);
    expect(items[0]!.textContent).toContain('Their time: Thursday, November 26');
  });
});
