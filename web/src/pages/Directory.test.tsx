import { render, type ComponentChild } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type User } from '../api';
import { directory } from '../directoryApi';
import { toProblem } from '../problem';
import { click, detail, mount as mountInto, privateNotes, submit, summary, type } from './directoryFixtures';
import { DirectoryPage } from './Directory';
import { FreshnessPage } from './Freshness';
import { ServiceDetailPage } from './ServiceDetail';

const admin: User = {
  id: 'me',
  email: 'admin@example.com',
  name: 'Ada',
  role: 'admin',
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
};

const err = (status: number, body: object = {}) => new ApiError(toProblem(body, status));
let root: HTMLElement | null = null;
async function mount(el: ComponentChild) {
  root = await mountInto(el);
  return root;
}
const q = <T extends HTMLElement = HTMLElement>(sel: string) => root!.querySelector<T>(sel);

beforeEach(() => {
  // Every service page loads its private notes too.
  vi.spyOn(directory, 'getPrivateNotes').mockResolvedValue(privateNotes());
});

afterEach(() => {
  vi.restoreAllMocks();
  if (root) {
    render(null, root);
    root.remove();
    root = null;
  }
  window.history.replaceState(null, '', '/');
});

describe('DirectoryPage', () => {
  it('lists services with openings, verification and needs in words, and pages with the total', async () => {
    const list = vi.spyOn(directory, 'listServices').mockResolvedValue({
      total: 60,
      page: 2,
      per_page: 25,
      services: [
        summary(),
        summary({ id: 's2', name: 'Loud Room', status: 'inactive', openings: { count: 0, stale: true, last_confirmed_at: '2025-10-02T12:00:00Z' }, verified_at: '2025-12-12T00:00:00Z', needs: [] }),
      ],
    });
    await mount(<DirectoryPage user={admin} search="?search=room&page=2" />);
    expect(list).toHaveBeenCalledWith('room', 2, 25);
    const rows = [...root!.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-service-id'))).toEqual(['s1', 's2']);
    expect(rows[0]!.textContent).toContain('3 openings, confirmed 4 days ago');
    expect(rows[0]!.textContent).toContain('Never verified');
    expect(rows[0]!.querySelector('[data-reason="licence_expired"]')!.textContent).toBe('Licence expired');
    expect(rows[0]!.querySelector('a')!.getAttribute('href')).toBe('/directory/services/s1');
    expect(rows[1]!.textContent).toContain('Openings not confirmed since 2 Oct 2025 — not counted');
    expect(rows[1]!.textContent).toContain('Inactive (paused)');
    expect(q('[data-testid="directory-total"]')!.textContent).toContain('60 services match “room” — showing 26–27');
    expect(q('[data-testid="page-prev"]')!.getAttribute('href')).toBe('/directory?search=room');
    expect(q('[data-testid="page-next"]')!.getAttribute('href')).toBe('/directory?search=room&page=3');
    // The directory's own navigation: admins also see Imports.
    expect([...root!.querySelectorAll('.subnav a')].map((a) => a.textContent)).toEqual(['Services', 'Freshness', 'Imports']);
  });

  it('puts a new search in the address, from page 1', async () => {
    vi.spyOn(directory, 'listServices').mockResolvedValue({ total: 0, page: 1, per_page: 25, services: [] });
    await mount(<DirectoryPage user={{ ...admin, role: 'case_manager' }} search="?page=4" />);
    expect(q('[data-testid="directory-empty"]')).not.toBeNull();
    expect([...root!.querySelectorAll('.subnav a')].map((a) => a.textContent)).toEqual(['Services', 'Freshness']);
    type(q<HTMLInputElement>('#directory-search')!, ' quiet ');
    await submit(q<HTMLFormElement>('form[role="search"]')!);
    expect(window.location.pathname + window.location.search).toBe('/directory?search=quiet');
  });
});

describe('ServiceDetailPage (staff)', () => {
  it('shows the service, its history newest first, and saves only what changed with If-Match', async () => {
    const get = vi.spyOn(directory, 'getService').mockResolvedValue(detail());
    const edit = vi.spyOn(directory, 'editService').mockResolvedValue(summary({ version: 6 }));
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    expect(get).toHaveBeenCalledWith('s1');
    expect(q('h1')!.textContent).toBe('Quiet Room DEMO');
    expect(q('[data-testid="service-description"]')!.textContent).toBe('Talk therapy.');
    expect(q('[data-testid="service-openings"]')!.textContent).toBe('3 openings, confirmed 4 days ago');
    const history = [...root!.querySelectorAll('[data-testid="history"] tbody tr')];
    expect(history.map((r) => r.getAttribute('data-action'))).toEqual(['edit', 'import']);
    expect(history[0]!.textContent).toContain('You');
    expect(history[0]!.querySelector('.history__change')!.textContent).toMatch(/^Old → +changed to Quiet Room DEMO$/);

    type(q<HTMLInputElement>('#service-edit-url')!, '');
    type(q<HTMLInputElement>('#service-edit-minimum_age')!, '16');
    await submit(q<HTMLFormElement>('form.form')!);
    expect(edit).toHaveBeenCalledWith('s1', 5, { url: null, minimum_age: 16 });
    expect(q('[data-testid="service-message"]')!.textContent).toContain('Changes saved.');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('on a 412 shows what someone else changed and keeps what was typed, unsaved', async () => {
    const newer = detail({ version: 9, service: { ...detail().service, description: 'Their description.' } });
    const get = vi.spyOn(directory, 'getService').mockResolvedValueOnce(detail()).mockResolvedValueOnce(newer);
    const edit = vi.spyOn(directory, 'editService').mockRejectedValueOnce(err(412)).mockResolvedValueOnce(summary({ version: 10 }));
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    type(q<HTMLInputElement>('#service-edit-name')!, 'My new name');
    await submit(q<HTMLFormElement>('form.form')!);
    expect(get).toHaveBeenCalledTimes(2);
    const conflict = q('[data-testid="service-conflict"]')!;
    expect(conflict.textContent).toContain('Description: Talk therapy. → Their description.');
    expect(conflict.textContent).toContain('Your changes were not saved. They are still in the form (Name)');
    expect(q<HTMLInputElement>('#service-edit-name')!.value).toBe('My new name');
    expect(q<HTMLTextAreaElement>('#service-edit-description')!.value).toBe('Their description.');
    // Saving again uses the newer version and sends only our change.
    vi.spyOn(directory, 'getService').mockResolvedValue(newer);
    await submit(q<HTMLFormElement>('form.form')!);
    expect(edit).toHaveBeenLastCalledWith('s1', 9, { name: 'My new name' });
  });

  it('shows 422 field errors at their fields and in the summary', async () => {
    vi.spyOn(directory, 'getService').mockResolvedValue(detail());
    vi.spyOn(directory, 'editService').mockRejectedValue(err(422, { detail: 'Check the fields.', errors: [{ field: '/url', code: 'invalid_format', message: 'Enter a full web address' }] }));
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    type(q<HTMLInputElement>('#service-edit-url')!, 'nope');
    await submit(q<HTMLFormElement>('form.form')!);
    expect(q('#service-edit-url-error')!.textContent).toContain('Enter a full web address');
    expect(q('[data-testid="error-summary"]')!.textContent).toContain('Enter a full web address');
    expect(q('#service-edit-url')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('marks the service verified today', async () => {
    vi.spyOn(directory, 'getService')
      .mockResolvedValueOnce(detail())
      .mockResolvedValueOnce(detail({ verified_at: '2026-01-05T00:00:00Z', needs: [] }));
    const verify = vi.spyOn(directory, 'verifyService').mockResolvedValue(summary());
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    expect(q('[data-testid="service-verified"]')!.textContent).toBe('Never verified');
    await click(q('[data-testid="verify"]')!);
    expect(verify).toHaveBeenCalledWith('s1');
    expect(q('[data-testid="service-message"]')!.textContent).toContain('Marked as verified today.');
    expect(q('[data-testid="service-verified"]')!.textContent).toMatch(/Jan 2026/);
  });

  it('keeps private notes in their own card: both saved with If-Match "0" the first time, an emptied one as null', async () => {
    vi.spyOn(directory, 'getService').mockResolvedValue(detail());
    const save = vi
      .spyOn(directory, 'savePrivateNotes')
      .mockResolvedValueOnce(privateNotes({ staff_contact: 'Ring Sam on 555-0100', waitlist_note: 'Six weeks', version: 1, updated_at: '2026-01-05T10:00:00Z', updated_by_role: 'admin' }))
      .mockResolvedValueOnce(privateNotes({ staff_contact: 'Ring Sam on 555-0100', version: 2, updated_at: '2026-01-05T11:00:00Z', updated_by_role: 'admin' }));
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    const card = q('[data-testid="private-notes"]')!;
    expect(card.querySelector('h2')!.textContent).toBe('Private to the Soundcheck team');
    expect(card.textContent).toContain('Never shown in the public directory or in exports.');
    expect(card.querySelector('label[for="private-notes-staff_contact"]')!.textContent).toBe('How the team reaches the provider');
    expect(card.querySelector('label[for="private-notes-waitlist_note"]')!.textContent).toBe('Waitlist notes');
    expect(q('[data-testid="private-notes-changed"]')).toBeNull();
    type(q<HTMLTextAreaElement>('#private-notes-staff_contact')!, 'Ring Sam on 555-0100');
    type(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!, 'Six weeks\n');
    await submit(card.querySelector<HTMLFormElement>('form')!);
    expect(save).toHaveBeenCalledWith('s1', 0, { staff_contact: 'Ring Sam on 555-0100', waitlist_note: 'Six weeks' });
    expect(q('[data-testid="private-notes-message"]')!.textContent).toBe('Private notes saved.');
    expect(q('[data-testid="private-notes-changed"]')!.textContent).toMatch(/^Last changed .+ by an admin\.$/);
    expect(q('[data-testid="private-notes-changed"] time')!.getAttribute('datetime')).toBe('2026-01-05T10:00:00Z');
    type(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!, '');
    await submit(card.querySelector<HTMLFormElement>('form')!);
    expect(save).toHaveBeenLastCalledWith('s1', 1, { staff_contact: 'Ring Sam on 555-0100', waitlist_note: null });
    expect(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!.value).toBe('');
    // Nothing changed: nothing sent.
    await submit(card.querySelector<HTMLFormElement>('form')!);
    expect(save).toHaveBeenCalledTimes(2);
    expect(q('[data-testid="private-notes-message"]')!.textContent).toBe('There were no changes to save.');
  });

  it('private notes: a 412 shows their version and keeps ours unsaved; a 422 sits at its field', async () => {
    vi.spyOn(directory, 'getService').mockResolvedValue(detail());
    const mine = privateNotes({ staff_contact: 'Ring Sam', version: 3, updated_at: '2026-01-04T10:00:00Z', updated_by_role: 'provider' });
    const theirs = privateNotes({ staff_contact: 'Email Jo', version: 4, updated_at: '2026-01-05T10:00:00Z', updated_by_role: 'case_manager' });
    const get = vi.spyOn(directory, 'getPrivateNotes').mockResolvedValueOnce(mine).mockResolvedValueOnce(theirs);
    const save = vi
      .spyOn(directory, 'savePrivateNotes')
      .mockRejectedValueOnce(err(412))
      .mockRejectedValueOnce(err(422, { detail: 'Check the notes.', errors: [{ field: '/waitlist_note', code: 'too_long', message: 'Waitlist notes can be at most 2000 characters' }] }));
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    expect(q('[data-testid="private-notes-changed"]')!.textContent).toMatch(/by the provider\.$/);
    type(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!, 'Full until March');
    await submit(q<HTMLFormElement>('[data-testid="private-notes"] form')!);
    expect(save).toHaveBeenCalledWith('s1', 3, { staff_contact: 'Ring Sam', waitlist_note: 'Full until March' });
    expect(get).toHaveBeenCalledTimes(2);
    const conflict = q('[data-testid="private-notes-conflict"]')!;
    expect(conflict.textContent).toContain('How the team reaches the provider: Ring Sam → Email Jo');
    expect(conflict.textContent).toContain('They are still in the form (Waitlist notes)');
    expect(q<HTMLTextAreaElement>('#private-notes-staff_contact')!.value).toBe('Email Jo');
    expect(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!.value).toBe('Full until March');
    expect(q('[data-testid="private-notes-changed"]')!.textContent).toMatch(/by a case manager\.$/);
    // Saved again on their version: the server refuses the waitlist note at its field.
    await submit(q<HTMLFormElement>('[data-testid="private-notes"] form')!);
    expect(save).toHaveBeenLastCalledWith('s1', 4, { staff_contact: 'Email Jo', waitlist_note: 'Full until March' });
    expect(q('#private-notes-waitlist_note-error')!.textContent).toContain('at most 2000 characters');
    expect(q('#private-notes-waitlist_note')!.getAttribute('aria-invalid')).toBe('true');
    expect(q('[data-testid="private-notes"] [data-testid="error-summary"]')!.textContent).toContain('Check the notes.');
    expect(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!.value).toBe('Full until March');
  });

  it('private notes that cannot be loaded say so, and the rest of the page works', async () => {
    vi.spyOn(directory, 'getService').mockResolvedValue(detail());
    vi.spyOn(directory, 'getPrivateNotes').mockRejectedValueOnce(err(500)).mockResolvedValueOnce(privateNotes({ waitlist_note: 'Six weeks', version: 1, updated_at: '2026-01-05T10:00:00Z', updated_by_role: 'supervisor' }));
    await mount(<ServiceDetailPage id="s1" user={admin} mode="staff" />);
    expect(q('[data-testid="service-name"]')!.textContent).toBe('Quiet Room DEMO');
    const failed = q('[data-testid="private-notes-load-error"]')!;
    expect(failed.textContent).toContain('Something went wrong on the server');
    await click(failed.querySelector('button')!);
    expect(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!.value).toBe('Six weeks');
  });

  it('says when a service does not exist', async () => {
    vi.spyOn(directory, 'getService').mockRejectedValue(err(404));
    await mount(<ServiceDetailPage id="nope" user={admin} mode="staff" />);
    expect(q('h1')!.textContent).toBe('Service not found');
  });
});

describe('FreshnessPage', () => {
  it('shows the figures as bars and in a table, the queue, and a CSV of it', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return 'blob:queue';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(directory, 'freshness').mockResolvedValue({
      at: '2026-01-05T12:00:00Z',
      openings_window_days: 14,
      summary: { services: 20, verified_30_days: 5, verified_90_days: 10, licences_expiring: 3, licences_expired: 2, silent: 8, openings_counted: 4 },
      queue: [{ service_id: 's1', service_name: 'Quiet Room DEMO', reason: 'licence_expired', due_at: '2025-12-01T00:00:00Z', detail: 'LPC, US-TN' }],
      queue_total: 7,
    });
    await mount(<FreshnessPage user={admin} />);
    expect(q('[data-testid="figure-verified_90_days"]')!.textContent).toBe('10');
    expect(q('rect[data-percent="50"]')!.getAttribute('width')).toBe('50');
    expect(root!.querySelectorAll('[data-testid="freshness-bars"] li').length).toBe(7);
    const row = q('[data-testid="verify-queue-table"] tbody tr')!;
    expect(row.textContent).toContain('Licence expired');
    expect(row.querySelector('a')!.getAttribute('href')).toBe('/directory/services/s1');
    expect(q('[data-testid="queue-total"]')!.textContent).toContain('7 checks due; the 1 most urgent are shown');
    const a = q<HTMLAnchorElement>('[data-testid="queue-csv"]')!;
    expect(a.getAttribute('href')).toBe('blob:queue');
    expect(a.getAttribute('download')).toBe('verification-queue-2026-01-05.csv');
    expect(await created[0]!.text()).toContain('s1,Quiet Room DEMO,licence_expired,Licence expired');
  });
});
