// Shared fixtures and helpers for the directory page tests (not a test file itself).
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import type { PrivateNotes, ServiceDetail, ServiceSummary } from '../directory';

export const summary = (over: Partial<ServiceSummary> = {}): ServiceSummary => ({
  id: 's1',
  name: 'Quiet Room DEMO',
  status: 'active',
  organization_id: 'o1',
  organization_name: 'Quiet Practice',
  version: 5,
  openings: { count: 3, stale: false, last_confirmed_at: new Date(Date.now() - 4 * 86_400_000).toISOString() },
  verified_at: null,
  needs: [{ reason: 'licence_expired', due_at: '2025-12-01T00:00:00Z', detail: 'LPC, US-TN' }],
  ...over,
});

export const detail = (over: Partial<ServiceDetail> = {}): ServiceDetail => ({
  ...summary(),
  service: { id: 's1', name: 'Quiet Room DEMO', description: 'Talk therapy.', url: 'https://soundcheck.invalid/quiet', status: 'active', minimum_age: 18 },
  editable: ['name', 'description', 'url', 'minimum_age'],
  history: [
    { seq: 1, at: '2026-01-01T10:00:00Z', actor_id: 'x-1234567890', actor_role: 'admin', action: 'import', resource: 'service', record_id: 's1', field: '', before: null, after: null },
    { seq: 2, at: '2026-01-02T10:00:00Z', actor_id: 'me', actor_role: 'admin', action: 'edit', resource: 'service', record_id: 's1', field: 'name', before: 'Old', after: 'Quiet Room DEMO' },
  ],
  ...over,
});

export const privateNotes = (over: Partial<PrivateNotes> = {}): PrivateNotes => ({
  staff_contact: null,
  waitlist_note: null,
  version: 0,
  updated_at: null,
  updated_by_role: null,
  ...over,
});

export const flush = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

/** Renders into a new element in the body; the caller unmounts it (render(null, root)). */
export async function mount(el: ComponentChild): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(el, root));
  await flush();
  await flush();
  return root;
}
export const type = (el: HTMLInputElement | HTMLTextAreaElement, v: string) =>
  act(() => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
export const submit = async (form: HTMLFormElement) => {
  act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await flush();
  await flush();
};
export const click = async (el: HTMLElement) => {
  act(() => el.click());
  await flush();
  await flush();
};


export const change = async (input: HTMLInputElement, files: File[]) => {
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
};
