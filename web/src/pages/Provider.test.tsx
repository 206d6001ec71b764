import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type User } from '../api';
import { ProviderLinkSection } from '../components/ProviderLink';
import { directory } from '../directoryApi';
import { toProblem } from '../problem';
import { render, type ComponentChild } from 'preact';
import { change, click, detail, mount as mountInto, privateNotes, submit, summary, type } from './directoryFixtures';
import { ImportJobPage, ImportsPage } from './Imports';
import { ProviderHomePage } from './Provider';
import { CheckinPage } from './ProviderCheckin';
import { ServiceDetailPage } from './ServiceDetail';

const provider: User = {
  id: 'p1',
  email: 'provider@example.org',
  name: 'Pat Provider',
  role: 'provider',
  disabled: false,
  totp_enrolled: true,
  totp_required: true,
  version: 1,
  created_at: '2026-01-01T00:00:00Z',
};
const admin: User = { ...provider, id: 'a1', role: 'admin', name: 'Ada' };
const err = (status: number, body: object = {}) => new ApiError(toProblem(body, status));
const q = <T extends HTMLElement = HTMLElement>(sel: string) => document.body.querySelector<T>(sel);

let root: HTMLElement | null = null;
async function mount(el: ComponentChild) {
  root = await mountInto(el);
  return root;
}

beforeEach(() => {
  vi.spyOn(directory, 'myPrivateNotes').mockResolvedValue(privateNotes());
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

describe('ProviderHomePage', () => {
  it('lists the listings and confirms openings in one click', async () => {
    const stale = summary({ id: 's2', name: 'Loud Room', status: 'inactive', openings: { count: 0, stale: true, last_confirmed_at: '2025-10-02T12:00:00Z' } });
    vi.spyOn(directory, 'myServices').mockResolvedValue({ services: [summary(), stale, summary({ id: 's3', name: 'Gone', status: 'defunct' })] });
    // The stale one's last count is read from its HSDS capacity.
    const my = vi.spyOn(directory, 'myService').mockResolvedValue(detail({ id: 's2', service: { capacities: [{ unit: { name: 'openings' }, available: 2 }] } }));
    const confirm = vi.spyOn(directory, 'confirmOpenings').mockResolvedValue(summary({ openings: { count: 3, stale: false, last_confirmed_at: new Date().toISOString() } }));
    const root = await mount(<ProviderHomePage user={provider} />);
    expect(my).toHaveBeenCalledTimes(1);
    expect(my).toHaveBeenCalledWith('s2');
    const cards = [...root.querySelectorAll('[data-testid="listing"]')];
    expect(cards.map((c) => c.querySelector('[data-testid="listing-state"]')!.textContent)).toEqual(['Listed', 'Paused', 'Removed']);
    expect(cards[0]!.textContent).toContain('3 openings, confirmed 4 days ago');
    expect(cards[1]!.textContent).toContain('Openings not confirmed since 2 Oct 2025 — not counted');
    expect(cards[1]!.querySelector<HTMLInputElement>('input')!.value).toBe('2');
    expect(cards[2]!.querySelector('[data-testid="still-taking"]')).toBeNull();

    await click(cards[0]!.querySelector<HTMLElement>('[data-testid="still-taking"]')!);
    expect(confirm).toHaveBeenCalledWith('s1', 3);
    expect(q('[data-testid="openings-confirmed"]')!.textContent).toBe('Thank you: 3 openings for Quiet Room DEMO confirmed as of today.');
    expect(root.querySelector('[data-service-id="s1"] [data-testid="listing-openings"]')!.textContent).toBe('3 openings, confirmed today');

    // Change the count first.
    const input = root.querySelector<HTMLInputElement>('[data-service-id="s2"] input')!;
    type(input, 'five');
    await submit(root.querySelector<HTMLFormElement>('[data-service-id="s2"] form')!);
    expect(root.querySelector('[data-service-id="s2"] .field__error')!.textContent).toContain('whole number');
    type(root.querySelector<HTMLInputElement>('[data-service-id="s2"] input')!, '5');
    await submit(root.querySelector<HTMLFormElement>('[data-service-id="s2"] form')!);
    expect(confirm).toHaveBeenLastCalledWith('s2', 5);
  });

  it('says when no listings are linked', async () => {
    vi.spyOn(directory, 'myServices').mockResolvedValue({ services: [] });
    await mount(<ProviderHomePage user={provider} />);
    expect(q('[data-testid="listings-empty"]')).not.toBeNull();
  });
});

describe('ServiceDetailPage (provider)', () => {
  it('pauses, lists again, and removes only after a confirmation that says it is final', async () => {
    const get = vi.spyOn(directory, 'myService').mockResolvedValue(detail());
    const listing = vi.spyOn(directory, 'setListing').mockResolvedValue(summary());
    await mount(<ServiceDetailPage id="s1" user={provider} mode="provider" />);
    expect(q('[data-testid="history"]')).toBeNull();
    expect(q('[data-testid="listing-state"]')!.textContent).toBe('Listed');
    get.mockResolvedValue(detail({ status: 'inactive' }));
    await click(q('[data-testid="listing-pause"]')!);
    expect(listing).toHaveBeenLastCalledWith('s1', 'paused');
    expect(q('[data-testid="listing-state"]')!.textContent).toBe('Paused');
    get.mockResolvedValue(detail({ status: 'active' }));
    await click(q('[data-testid="listing-list"]')!);
    expect(listing).toHaveBeenLastCalledWith('s1', 'listed');

    await click(q('[data-testid="listing-remove"]')!);
    expect(listing).toHaveBeenCalledTimes(2);
    expect(q('[data-testid="remove-confirm"]')!.textContent).toContain('This is final');
    get.mockResolvedValue(detail({ status: 'defunct' }));
    await click(q('[data-testid="listing-remove-confirm"]')!);
    expect(listing).toHaveBeenLastCalledWith('s1', 'removed');
    expect(q('[data-testid="listing-removed"]')).not.toBeNull();
    expect(q('form.form')).toBeNull();
    expect(q('[data-testid="still-taking"]')).toBeNull();
    expect(q('[data-testid="listing-pause"]')).toBeNull();
  });

  it('edits with If-Match through the provider endpoint', async () => {
    vi.spyOn(directory, 'myService').mockResolvedValue(detail({ editable: ['description', 'alert'] }));
    const edit = vi.spyOn(directory, 'editMyService').mockResolvedValue(summary());
    await mount(<ServiceDetailPage id="s1" user={provider} mode="provider" />);
    expect(q('#service-edit-name')).toBeNull();
    type(q<HTMLTextAreaElement>('#service-edit-alert')!, 'Closed 24–26 Dec');
    await submit(q<HTMLFormElement>('form.form')!);
    expect(edit).toHaveBeenCalledWith('s1', 5, { alert: 'Closed 24–26 Dec' });
  });
});

describe('PrivateNotesCard (provider)', () => {
  it('reads and saves the notes through the provider endpoint, in the provider\'s words', async () => {
    vi.spyOn(directory, 'myService').mockResolvedValue(detail());
    const read = vi.spyOn(directory, 'myPrivateNotes').mockResolvedValue(privateNotes({ staff_contact: 'Front desk', version: 2, updated_at: '2026-01-05T10:00:00Z', updated_by_role: 'case_manager' }));
    const staff = vi.spyOn(directory, 'savePrivateNotes');
    const save = vi.spyOn(directory, 'saveMyPrivateNotes').mockResolvedValue(privateNotes({ staff_contact: 'Front desk', waitlist_note: 'About six weeks', version: 3, updated_at: '2026-01-06T10:00:00Z', updated_by_role: 'provider' }));
    await mount(<ServiceDetailPage id="s1" user={provider} mode="provider" />);
    expect(read).toHaveBeenCalledWith('s1');
    expect(q('label[for="private-notes-staff_contact"]')!.textContent).toBe('How the team reaches you');
    expect(q('[data-testid="private-notes-changed"]')!.textContent).toMatch(/by a case manager\.$/);
    type(q<HTMLTextAreaElement>('#private-notes-waitlist_note')!, 'About six weeks');
    await submit(q<HTMLFormElement>('[data-testid="private-notes"] form')!);
    expect(save).toHaveBeenCalledWith('s1', 2, { staff_contact: 'Front desk', waitlist_note: 'About six weeks' });
    expect(staff).not.toHaveBeenCalled();
    expect(q('[data-testid="private-notes-changed"]')!.textContent).toMatch(/by the provider\.$/);
  });

  it('is not offered on a removed listing', async () => {
    vi.spyOn(directory, 'myService').mockResolvedValue(detail({ status: 'defunct' }));
    await mount(<ServiceDetailPage id="s1" user={provider} mode="provider" />);
    expect(q('[data-testid="listing-removed"]')).not.toBeNull();
    expect(q('[data-testid="private-notes"]')).toBeNull();
  });
});

describe('CheckinPage', () => {
  it('reads the token from the fragment, removes it, sends it in the body and says thanks', async () => {
    window.history.replaceState(null, '', '/provider/checkin#t=tok_abcdefgh1234');
    const checkin = vi.spyOn(directory, 'checkin').mockResolvedValue({ service_id: 's1', service_name: 'Quiet Room DEMO', openings: { count: 3, stale: false, last_confirmed_at: new Date().toISOString() } });
    await mount(<CheckinPage />);
    expect(window.location.hash).toBe('');
    expect(checkin).toHaveBeenCalledWith('tok_abcdefgh1234');
    expect(q('[data-testid="checkin-thanks"]')!.textContent).toBe('Thanks — your 3 openings for Quiet Room DEMO are confirmed as of today');
    expect(q('[data-testid="checkin-sign-in"]')!.getAttribute('href')).toBe('/provider');
  });

  it('says a used or expired link cannot be used', async () => {
    window.history.replaceState(null, '', '/provider/checkin#t=tok_abcdefgh1234');
    vi.spyOn(directory, 'checkin').mockRejectedValue(err(410));
    await mount(<CheckinPage />);
    expect(q('[data-testid="checkin-used"]')!.textContent).toContain('This link has already been used or has expired. Sign in to confirm your openings.');
  });

  it('does not call the server without a token', async () => {
    const checkin = vi.spyOn(directory, 'checkin');
    await mount(<CheckinPage />);
    expect(checkin).not.toHaveBeenCalled();
    expect(q('[data-testid="checkin-no-link"]')).not.toBeNull();
  });
});

describe('ImportsPage and ImportJobPage', () => {
  it('asks for a .json or .ndjson file, then uploads it with the options and opens the job', async () => {
    const start = vi.spyOn(directory, 'startImport').mockResolvedValue({
      id: 'j1',
      state: 'queued',
      name: 'dir.ndjson',
      dry_run: true,
      strict: true,
      bytes_total: 10,
      bytes_read: 0,
      records: 0,
      started_at: '2026-01-05T10:00:00Z',
      finished_at: null,
      error: null,
      report: null,
    });
    localStorage.clear();
    await mount(<ImportsPage user={admin} />);
    await submit(q<HTMLFormElement>('form.form')!);
    expect(q('#import-file-error')!.textContent).toContain('Choose a .json or .ndjson file');
    const input = q<HTMLInputElement>('#import-file')!;
    const pick = async (f: File) => {
      await change(input, [f]);
      await submit(q<HTMLFormElement>('form.form')!);
    };
    await pick(new File(['a,b'], 'dir.csv'));
    expect(q('#import-file-error')!.textContent).toContain('must be .json or .ndjson');
    await click(q('#import-dry-run')!);
    await click(q('#import-strict')!);
    const file = new File(['{}\n'], 'dir.ndjson');
    await pick(file);
    expect(start).toHaveBeenCalledWith(file, { format: 'ndjson', dryRun: true, strict: true, name: 'dir.ndjson' });
    expect(window.location.pathname).toBe('/directory/imports/j1');
    expect(JSON.parse(localStorage.getItem('soundcheck.directory.imports')!)[0].id).toBe('j1');
  });

  it('polls the job every 500 ms with a progress bar, then shows the report', async () => {
    const base = { id: 'j1', name: 'broken.json', dry_run: false, strict: false, bytes_total: 2048, started_at: '2026-01-05T10:00:00Z', finished_at: null, error: null, report: null };
    const get = vi
      .spyOn(directory, 'getImport')
      .mockResolvedValueOnce({ ...base, state: 'running', bytes_read: 1024, records: 12 })
      .mockResolvedValueOnce({
        ...base,
        state: 'done',
        bytes_read: 2048,
        records: 20,
        finished_at: '2026-01-05T10:00:02Z',
        report: {
          imported: false,
          records: 20,
          counts: { service: { added: 3, updated: 0, unchanged: 0 } },
          issues: [
            { severity: 'warning', where: '/service/0', resource: 'service', id: 'a', field: 'organization_id', message: 'not found' },
            { severity: 'error', where: '/service/1', resource: 'service', id: 'b', field: 'status', message: 'must be one of …' },
          ],
          issues_total: 2,
          dangling_total: 1,
        },
      });
    await mount(<ImportJobPage id="j1" user={admin} />);
    const bar = q<HTMLProgressElement>('#import-progress-bar')!;
    expect(bar.getAttribute('value')).toBe('50');
    expect(q('[data-testid="import-progress-text"]')!.textContent).toBe('1.0 KB of 2.0 KB read (50%), 12 records so far');
    await new Promise((r) => setTimeout(r, 600));
    const { act } = await import('preact/test-utils');
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(get).toHaveBeenCalledTimes(2);
    expect(q('[data-testid="import-outcome"]')!.textContent).toContain('Nothing was imported: 1 problem');
    const issues = [...document.querySelectorAll('[data-testid="import-issues-table"] tbody tr')];
    expect(issues.map((r) => r.getAttribute('data-severity'))).toEqual(['error', 'warning']);
    expect(q('[data-testid="import-counts-table"]')!.textContent).toContain('Service');
    await new Promise((r) => setTimeout(r, 600));
    expect(get).toHaveBeenCalledTimes(2);
  });
});

describe('ProviderLinkSection', () => {
  it('shows "not linked" on a 404, and a PUT problem at the field', async () => {
    vi.spyOn(directory, 'getProviderLink').mockResolvedValue(null);
    const put = vi
      .spyOn(directory, 'setProviderLink')
      .mockRejectedValueOnce(err(404, { detail: 'No such organization.' }))
      .mockResolvedValueOnce({ user_id: 'p1', organization_id: '0b6c4a52-6f0d-4c8e-9a57-3f2e8d1c7b90', organization_name: 'Quiet Practice' });
    await mount(<ProviderLinkSection userId="p1" />);
    expect(q('[data-testid="provider-link-current"]')!.textContent).toBe('Not linked to an organization yet.');
    type(q<HTMLInputElement>('#provider-link-organization_id')!, 'not-a-uuid');
    await submit(q<HTMLFormElement>('[data-testid="provider-link"] form')!);
    expect(put).not.toHaveBeenCalled();
    expect(q('#provider-link-organization_id-error')!.textContent).toContain('UUID');
    type(q<HTMLInputElement>('#provider-link-organization_id')!, '0b6c4a52-6f0d-4c8e-9a57-3f2e8d1c7b90');
    await submit(q<HTMLFormElement>('[data-testid="provider-link"] form')!);
    expect(q('#provider-link-organization_id-error')!.textContent).toContain('There is no organization with this id');
    await submit(q<HTMLFormElement>('[data-testid="provider-link"] form')!);
    expect(put).toHaveBeenLastCalledWith('p1', '0b6c4a52-6f0d-4c8e-9a57-3f2e8d1c7b90');
    expect(q('[data-testid="provider-link-current"]')!.textContent).toContain('Linked to Quiet Practice');
  });
});
