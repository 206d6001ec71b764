import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../api';
import { liveCalls, type Shift } from '../liveApi';
import { deviceZone } from '../zones';
import { RotaPage, weekWindow } from './Rota';

const person = (role: string, id: string, name: string): User => ({
  id,
  email: `${id}@example.org`,
  name,
  role: role as User['role'],
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
});
const SUP = person('supervisor', 'sup', 'Test Supervisor');
const CM = person('case_manager', 'cm', 'Test Case Manager');
const flush = () =>
  act(async () => {
    for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  });
const tomorrowAt = (h: number) => {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(h, 0, 0, 0);
  return d.toISOString();
};
const shift = (id: string, user: User, startH: number, endH: number, zone = 'Pacific/Kiritimati'): Shift => ({
  id,
  user_id: user.id,
  user_name: user.name,
  starts_at: tomorrowAt(startH),
  ends_at: tomorrowAt(endH),
  time_zone: zone,
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
function mount(user: User) {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<RotaPage user={user} />, root!));
}
function setValue(el: HTMLInputElement | HTMLSelectElement, v: string) {
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  });
}

describe('the rota', () => {
  it('asks for the coming week from midnight today', () => {
    const { from, to } = weekWindow(new Date(2026, 10, 25, 15, 30));
    expect([from.getHours(), from.getMinutes(), from.getDate()]).toEqual([0, 0, 25]);
    expect(to.getDate()).toBe(2);
  });

  it('groups shifts by day in the viewer’s zone, notes each shift’s own zone, and lets a supervisor remove any', async () => {
    const list = vi.spyOn(liveCalls, 'listShifts').mockResolvedValue({ items: [shift('s2', CM, 13, 17), shift('s1', SUP, 9, 12, deviceZone())] });
    vi.spyOn(liveCalls, 'listStaff').mockResolvedValue({ items: [] });
    const del = vi.spyOn(liveCalls, 'deleteShift').mockResolvedValue(undefined);
    mount(SUP);
    await flush();
    expect(list).toHaveBeenCalled();
    const days = root!.querySelectorAll('.rota__day');
    expect(days.length).toBe(1);
    const items = [...days[0]!.querySelectorAll('li')];
    expect(items.map((li) => li.getAttribute('data-shift-id'))).toEqual(['s1', 's2']);
    expect(items[0]!.textContent).toContain('Test Supervisor (you)');
    expect(items[1]!.textContent).toContain('Set in Pacific / Kiritimati:');
    expect(root!.querySelectorAll('[data-testid="shift-remove"]').length).toBe(2);
    act(() => items[1]!.querySelector<HTMLButtonElement>('[data-testid="shift-remove"]')!.click());
    await flush();
    expect(del).toHaveBeenCalledWith('s2');
    expect(root!.querySelectorAll('.rota__day li').length).toBe(1);
    expect(root!.querySelector('[data-testid="rota-done"]')!.textContent).toContain('Test Case Manager’s shift');
  });

  it('a supervisor adds a shift for anyone, as wall-clock times in the chosen zone (overnight ends the next day)', async () => {
    vi.spyOn(liveCalls, 'listShifts').mockResolvedValue({ items: [] });
    vi.spyOn(liveCalls, 'listStaff').mockResolvedValue({ items: [{ id: 'cm', name: 'Test Case Manager', role: 'case_manager', on_duty: false, open_cases: 0, languages: ['en'], regions: [] }] });
    const create = vi.spyOn(liveCalls, 'createShift').mockImplementation(async (s) => ({ id: 'new', user_id: s.user_id, user_name: 'Test Case Manager', starts_at: tomorrowAt(22), ends_at: tomorrowAt(23), time_zone: s.time_zone }));
    mount(SUP);
    await flush();
    setValue(root!.querySelector('#shift-user_id')!, 'cm');
    setValue(root!.querySelector('#shift-date')!, '2026-11-30');
    setValue(root!.querySelector('#shift-start')!, '22:00');
    setValue(root!.querySelector('#shift-end')!, '06:00');
    setValue(root!.querySelector('#shift-time_zone')!, 'America/Chicago');
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="shift-add"]')!.click());
    await flush();
    expect(create).toHaveBeenCalledWith({ user_id: 'cm', starts_at: '2026-11-30T22:00', ends_at: '2026-12-01T06:00', time_zone: 'America/Chicago' });
    expect(root!.querySelector('[data-shift-id="new"]')).not.toBeNull();
  });

  it('a case manager adds shifts for themself only (no picker), and removes only their own', async () => {
    vi.spyOn(liveCalls, 'listShifts').mockResolvedValue({ items: [shift('s1', SUP, 9, 12), shift('s2', CM, 13, 17)] });
    const staff = vi.spyOn(liveCalls, 'listStaff');
    const create = vi.spyOn(liveCalls, 'createShift').mockResolvedValue(shift('s3', CM, 18, 20));
    mount(CM);
    await flush();
    expect(staff).not.toHaveBeenCalled();
    expect(root!.querySelector('#shift-user_id')).toBeNull();
    expect(root!.querySelector('[data-shift-id="s1"] [data-testid="shift-remove"]')).toBeNull();
    expect(root!.querySelector('[data-shift-id="s2"] [data-testid="shift-remove"]')).not.toBeNull();
    act(() => root!.querySelector<HTMLButtonElement>('[data-testid="shift-add"]')!.click());
    await flush();
    expect(create.mock.calls[0]![0].user_id).toBe('cm');
  });
});
