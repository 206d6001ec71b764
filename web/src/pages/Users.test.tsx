import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, type User } from '../api';
import { UsersPage } from './Users';

const mk = (i: number): User => ({
  id: `id-${i}`,
  email: `user${i}@example.com`,
  name: `User ${i}`,
  role: i === 0 ? 'admin' : 'case_manager',
  disabled: i === 2,
  totp_enrolled: i % 2 === 0,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
});

const flush = () => act(async () => { await new Promise((r) => setTimeout(r, 0)); });

let root: HTMLElement | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  if (root) {
    render(null, root);
    root.remove();
    root = null;
  }
});

describe('UsersPage', () => {
  it('lists users and pages with "Load more" by cursor', async () => {
    const spy = vi
      .spyOn(api, 'listUsers')
      .mockResolvedValueOnce({ items: [mk(0), mk(1)], next_cursor: 'c1' })
      .mockResolvedValueOnce({ items: [mk(2)], next_cursor: null });
    root = document.createElement('div');
    document.body.appendChild(root);
    act(() => render(<UsersPage />, root!));
    await flush();
    expect(spy).toHaveBeenNthCalledWith(1, null);
    const rows = () => [...root!.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-user-id'));
    expect(rows()).toEqual(['id-0', 'id-1']);
    expect(root.querySelector('tbody tr')!.textContent).toContain('Admin');

    const more = root.querySelector<HTMLButtonElement>('[data-testid="load-more"]')!;
    act(() => more.click());
    await flush();
    expect(spy).toHaveBeenNthCalledWith(2, 'c1');
    expect(rows()).toEqual(['id-0', 'id-1', 'id-2']);
    expect(root.querySelector('[data-testid="load-more"]')).toBeNull();
    expect(root.textContent).toContain('Loaded 1 more user.');
    expect(root.querySelector('tr[data-user-id="id-2"]')!.textContent).toContain('Disabled');
    // Focus moves to the first new row, since the button is gone.
    expect(document.activeElement?.id).toBe('user-link-id-2');
  });

  it('shows the problem detail when the list fails', async () => {
    const { ApiError } = await import('../api');
    const { toProblem } = await import('../problem');
    vi.spyOn(api, 'listUsers').mockRejectedValueOnce(new ApiError(toProblem({ detail: 'You do not have permission to do that.' }, 403)));
    root = document.createElement('div');
    document.body.appendChild(root);
    act(() => render(<UsersPage />, root!));
    await flush();
    expect(root.querySelector('[role="alert"]')!.textContent).toContain('You do not have permission to do that.');
  });
});
