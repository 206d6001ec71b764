import { afterEach, describe, expect, it } from 'vitest';
import {
  actorText,
  attributeFacets,
  buildPrivateNotes,
  changedByText,
  charCount,
  describeNoteChanges,
  editedNotes,
  mergeNotes,
  PRIVATE_NOTE_MAX,
  privateNoteLabel,
  privateNotesForm,
  attributeValueText,
  buildServicePatch,
  daysAgo,
  describeFormChanges,
  directoryHref,
  directoryQuery,
  formFromService,
  freshnessRows,
  historyValue,
  importFormat,
  csvPackageFiles,
  csvPackageBody,
  importOutcome,
  importProgress,
  importQuery,
  listingOf,
  mergeForm,
  needLabel,
  openingsText,
  openingsToConfirm,
  pageCount,
  queueCsv,
  recentImports,
  rememberImport,
  safeHttpUrl,
  serviceStatusLabel,
  serviceView,
  sortHistory,
  storedOpenings,
  takeFragmentToken,
  verifiedText,
  whenText,
  type HistoryEntry,
  type ImportReport,
} from './directory';

// Midday local times, so the calendar-day arithmetic does not depend on the test machine's zone.
const at = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12, 0, 0).toISOString();
const NOW = new Date(2026, 0, 5, 12, 0, 0).getTime();

describe('dates and openings in words', () => {
  it('counts calendar days back', () => {
    expect(daysAgo(at(2026, 1, 5), NOW)).toBe(0);
    expect(daysAgo(at(2026, 1, 4), NOW)).toBe(1);
    expect(daysAgo(at(2025, 12, 1), NOW)).toBe(35);
    expect(daysAgo('nonsense', NOW)).toBeNull();
    expect(whenText(at(2026, 1, 5), NOW)).toBe('today');
    expect(whenText(at(2026, 1, 4), NOW)).toBe('yesterday');
    expect(whenText(at(2026, 1, 1), NOW)).toBe('4 days ago');
    expect(whenText(at(2025, 10, 2), NOW)).toBe('on 2 Oct 2025');
  });

  it('says how many openings there are and how fresh they are', () => {
    expect(openingsText({ count: 3, stale: false, last_confirmed_at: at(2026, 1, 1) }, NOW)).toBe('3 openings, confirmed 4 days ago');
    expect(openingsText({ count: 1, stale: false, last_confirmed_at: at(2026, 1, 5) }, NOW)).toBe('1 opening, confirmed today');
    expect(openingsText({ count: 0, stale: true, last_confirmed_at: at(2025, 10, 2) }, NOW)).toBe('Openings not confirmed since 2 Oct 2025 — not counted');
    expect(openingsText({ count: 0, stale: true, last_confirmed_at: at(2026, 1, 2) }, NOW)).toBe('Openings not confirmed since 2 Jan — not counted');
    expect(openingsText({ count: 0, stale: false, last_confirmed_at: null }, NOW)).toBe('No openings');
    expect(openingsText({ count: 0, stale: false, last_confirmed_at: at(2026, 1, 4) }, NOW)).toBe('No openings, confirmed yesterday');
    expect(openingsText({ count: 0, stale: true, last_confirmed_at: null }, NOW)).toBe('Openings never confirmed — not counted');
    expect(openingsText(null, NOW)).toBe('No openings');
  });

  it('names statuses, listings, needs and verification', () => {
    expect(serviceStatusLabel('active')).toBe('Active');
    expect(serviceStatusLabel('defunct')).toBe('Defunct (removed)');
    expect(serviceStatusLabel('temporarily closed')).toBe('Temporarily closed');
    expect(serviceStatusLabel('odd')).toBe('Odd');
    expect(listingOf('active')).toBe('listed');
    expect(listingOf('inactive')).toBe('paused');
    expect(listingOf('defunct')).toBe('removed');
    expect(needLabel('licence_expired')).toBe('Licence expired');
    expect(needLabel('licence_expiring')).toBe('Licence expiring');
    expect(needLabel('something_new')).toBe('something new');
    expect(verifiedText(null)).toBe('Never verified');
    expect(verifiedText('2025-12-12T00:00:00Z')).toMatch(/Dec 2025/);
  });

  it('finds the last openings a provider gave, for "Still taking clients"', () => {
    const service = { capacities: [{ unit: { name: 'Kilogram' }, available: 9 }, { unit: { name: 'openings', identifier: 'openings' }, available: 4 }] };
    expect(storedOpenings(service)).toBe(4);
    expect(storedOpenings({})).toBeNull();
    expect(openingsToConfirm({ count: 2, stale: false, last_confirmed_at: at(2026, 1, 4) }, service)).toBe(2);
    expect(openingsToConfirm({ count: 0, stale: true, last_confirmed_at: at(2025, 10, 2) }, service)).toBe(4);
    expect(openingsToConfirm({ count: 0, stale: true, last_confirmed_at: null }, null)).toBeNull();
    // The server's own figure wins over the nested service.
    expect(openingsToConfirm({ count: 0, stale: true, last_confirmed_at: at(2025, 10, 2), available: 6 }, service)).toBe(6);
    expect(openingsToConfirm({ count: 0, stale: true, last_confirmed_at: null, available: null }, null)).toBeNull();
  });
});

describe('editing a service', () => {
  const editable = ['name', 'description', 'url', 'minimum_age', 'status'];
  const service = { id: 's', name: 'Quiet Room', description: 'Talk.\nListen.', url: 'https://a.example', minimum_age: 18, status: 'active', email: 'x@example.org' };

  it('shows only the editable fields, as text', () => {
    expect(formFromService(service, editable)).toEqual({ name: 'Quiet Room', description: 'Talk.\nListen.', url: 'https://a.example', minimum_age: '18', status: 'active' });
    expect(formFromService({}, ['alert'])).toEqual({ alert: '' });
  });

  it('sends only what changed; an emptied field is null; numbers are numbers', () => {
    const base = formFromService(service, editable);
    expect(buildServicePatch(base, { ...base }, editable)).toEqual({ patch: {}, errors: {} });
    expect(buildServicePatch(base, { ...base, name: ' Quiet Room  ' }, editable).patch).toEqual({});
    expect(buildServicePatch(base, { ...base, url: '', minimum_age: '16', description: 'New.\n' }, editable)).toEqual({
      patch: { url: null, minimum_age: 16, description: 'New.' },
      errors: {},
    });
    expect(buildServicePatch(base, { ...base, minimum_age: 'eighteen', name: '' }, editable).errors).toEqual({
      minimum_age: ['Minimum age must be a whole number, like 18'],
      name: ['Enter the name'],
    });
  });

  it('keeps what was typed when the service reloads, and takes the rest from the server', () => {
    const oldBase = { name: 'A', description: 'd', url: '' };
    const fresh = { name: 'A2', description: 'd2', url: '' };
    const typed = { name: 'A', description: 'mine', url: 'https://x.example' };
    expect(mergeForm(oldBase, fresh, typed)).toEqual({ name: 'A2', description: 'mine', url: 'https://x.example' });
  });

  it('describes changes in words', () => {
    expect(describeFormChanges({ name: 'A', status: 'active', url: '' }, { name: 'B', status: 'inactive', url: '' }, ['name', 'status', 'url'])).toEqual([
      { field: 'name', label: 'Name', from: 'A', to: 'B' },
      { field: 'status', label: 'Status', from: 'Active', to: 'Inactive (paused)' },
    ]);
  });
});

describe('private notes', () => {
  const empty = privateNotesForm(null);

  it('reads the notes into the form, nulls as empty', () => {
    expect(empty).toEqual({ staff_contact: '', waitlist_note: '' });
    expect(privateNotesForm({ staff_contact: 'Ring Sam', waitlist_note: null })).toEqual({ staff_contact: 'Ring Sam', waitlist_note: '' });
  });

  it('sends both notes, an emptied one as null, and knows when nothing changed', () => {
    const base = { staff_contact: 'Ring Sam on 555-0100', waitlist_note: 'Six weeks' };
    expect(buildPrivateNotes(base, { staff_contact: 'Ring Sam on 555-0100', waitlist_note: '  \n' })).toEqual({
      body: { staff_contact: 'Ring Sam on 555-0100', waitlist_note: null },
      errors: {},
      changed: true,
    });
    // Trailing spaces and blank lines are not a change; leading indentation is kept.
    expect(buildPrivateNotes(base, { staff_contact: 'Ring Sam on 555-0100 \n', waitlist_note: 'Six weeks' }).changed).toBe(false);
    expect(buildPrivateNotes(empty, { staff_contact: '', waitlist_note: '  Two weeks\n\n' }).body).toEqual({ staff_contact: null, waitlist_note: '  Two weeks' });
    expect(buildPrivateNotes(empty, empty)).toEqual({ body: { staff_contact: null, waitlist_note: null }, errors: {}, changed: false });
  });

  it('refuses notes over the limit, counting characters rather than UTF-16 units', () => {
    expect(charCount('🎸a')).toBe(2);
    const ok = '🎸'.repeat(PRIVATE_NOTE_MAX);
    expect(buildPrivateNotes(empty, { staff_contact: ok, waitlist_note: '' }).errors).toEqual({});
    const r = buildPrivateNotes(empty, { staff_contact: '', waitlist_note: 'x'.repeat(PRIVATE_NOTE_MAX + 1) });
    expect(r.errors).toEqual({ waitlist_note: ['Keep this to 2,000 characters or fewer (it has 2,001)'] });
  });

  it('labels the notes for who is looking, and says who changed them last', () => {
    expect(privateNoteLabel('staff_contact', 'staff')).toBe('How the team reaches the provider');
    expect(privateNoteLabel('staff_contact', 'provider')).toBe('How the team reaches you');
    expect(privateNoteLabel('waitlist_note', 'provider')).toBe('Waitlist notes');
    expect(changedByText('case_manager')).toBe('a case manager');
    expect(changedByText('admin')).toBe('an admin');
    expect(changedByText('provider')).toBe('the provider');
    expect(changedByText('fund_reviewer')).toBe('fund reviewer');
    expect(changedByText(null)).toBe('someone');
  });

  it('after a 412 keeps what was typed over the newer notes, and says what changed', () => {
    const before = { staff_contact: 'Ring Sam', waitlist_note: '' };
    const typed = { staff_contact: 'Ring Sam', waitlist_note: 'Full until March' };
    const theirs = { staff_contact: 'Email Jo', waitlist_note: '' };
    const merged = mergeNotes(before, theirs, typed);
    expect(merged).toEqual({ staff_contact: 'Email Jo', waitlist_note: 'Full until March' });
    expect(editedNotes(before, typed)).toEqual(['waitlist_note']);
    expect(describeNoteChanges(before, theirs, 'staff')).toEqual([{ field: 'staff_contact', label: 'How the team reaches the provider', from: 'Ring Sam', to: 'Email Jo' }]);
    expect(describeNoteChanges(theirs, merged, 'provider', editedNotes(before, typed))).toEqual([
      { field: 'waitlist_note', label: 'Waitlist notes', from: '(none)', to: 'Full until March' },
    ]);
  });
});

describe('history', () => {
  const h = (seq: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
    seq,
    at: `2026-01-0${seq}T10:00:00Z`,
    actor_id: 'u-1234567890',
    actor_role: 'case_manager',
    action: 'edit',
    resource: 'service',
    record_id: 's',
    field: 'name',
    before: 'A',
    after: 'B',
    ...over,
  });

  it('puts the newest first and shows values and people in words', () => {
    expect(sortHistory([h(1), h(3), h(2)]).map((x) => x.seq)).toEqual([3, 2, 1]);
    expect(historyValue(null)).toBe('(none)');
    expect(historyValue('text')).toBe('text');
    expect(historyValue({ a: 1 })).toBe('{"a":1}');
    expect(historyValue('x'.repeat(300)).length).toBe(160);
    expect(actorText(h(1), 'u-1234567890')).toBe('You');
    expect(actorText(h(1), 'other')).toBe('Case manager u-123456');
    expect(actorText(h(1, { actor_id: '', actor_role: 'system' }), null)).toBe('Soundcheck');
  });
});

describe('freshness', () => {
  const f = {
    openings_window_days: 14,
    summary: { services: 20, verified_30_days: 5, verified_90_days: 10, licences_expiring: 3, licences_expired: 2, silent: 8, openings_counted: 4 },
  };

  it('turns the figures into rows with their share of the services', () => {
    const rows = freshnessRows(f);
    expect(rows.map((r) => [r.key, r.value, r.percent])).toEqual([
      ['services', 20, 100],
      ['verified_30_days', 5, 25],
      ['verified_90_days', 10, 50],
      ['openings_counted', 4, 20],
      ['silent', 8, 40],
      ['licences_expiring', 3, 15],
      ['licences_expired', 2, 10],
    ]);
    expect(rows[3]!.label).toBe('Openings confirmed in the last 14 days');
    expect(freshnessRows({ ...f, summary: { ...f.summary, services: 0 } }).every((r) => r.percent === 0)).toBe(true);
  });

  it('writes the queue as CSV, quoting and defusing formulas', () => {
    const csv = queueCsv([
      { service_id: 's1', service_name: 'Plain', reason: 'licence_expired', due_at: '2026-01-01T00:00:00Z', detail: 'LPC, US-NY' },
      { service_id: 's2', service_name: '=HYPERLINK("x")', reason: 'unverified', due_at: '2025-01-01T00:00:00Z', detail: 'say "hi"\nthere' },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('service_id,service_name,reason,reason_in_words,due_at,detail');
    expect(lines[1]).toBe('s1,Plain,licence_expired,Licence expired,2026-01-01T00:00:00Z,"LPC, US-NY"');
    expect(lines[2]).toBe('s2,"\'=HYPERLINK(""x"")",unverified,Verification due,2025-01-01T00:00:00Z,"say ""hi""\nthere"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('imports', () => {
  const report = (over: Partial<ImportReport> = {}): ImportReport => ({
    imported: true,
    records: 120,
    counts: { service: { added: 20, updated: 0, unchanged: 0 } },
    issues: [],
    issues_total: 0,
    dangling_total: 0,
    ...over,
  });

  it('knows the format from the file name, and builds the query', () => {
    expect(importFormat('dir.json')).toBe('json');
    expect(importFormat('DIR.NDJSON')).toBe('ndjson');
    expect(importFormat('x.jsonl')).toBe('ndjson');
    expect(importFormat('x.csv')).toBeNull();
  });

  it('picks a CSV data package from a folder: the descriptor and the top-level tables', async () => {
    const f = (path: string) => ({ name: path.split('/').pop()!, webkitRelativePath: path, text: async () => `text of ${path}` });
    const picked = csvPackageFiles([f('pkg/datapackage.json'), f('pkg/services.csv'), f('pkg/notes.txt'), f('pkg/old/services.csv'), f('pkg/.x.csv')]);
    expect('files' in picked && picked.files.map((x) => x.webkitRelativePath)).toEqual(['pkg/datapackage.json', 'pkg/services.csv']);
    expect('folder' in picked && picked.folder).toBe('pkg');
    expect(csvPackageFiles([f('pkg/services.csv')])).toEqual({ error: expect.stringMatching(/datapackage\.json/) });
    const body = await csvPackageBody([f('pkg/datapackage.json'), f('pkg/services.csv')]);
    expect(JSON.parse(await body.text())).toEqual({ 'datapackage.json': 'text of pkg/datapackage.json', 'services.csv': 'text of pkg/services.csv' });
    expect(importQuery({ format: 'ndjson', dryRun: true, strict: false, name: 'a b.ndjson' })).toBe('format=ndjson&dry_run=true&strict=false&name=a+b.ndjson');
  });

  it('shows progress as bytes of the total and records so far', () => {
    expect(importProgress({ state: 'running', bytes_read: 512, bytes_total: 2048, records: 7 })).toEqual({ percent: 25, text: '512 bytes of 2.0 KB read (25%), 7 records so far' });
    expect(importProgress({ state: 'queued', bytes_read: 0, bytes_total: 10, records: 0 }).text).toBe('Waiting to start…');
    expect(importProgress({ state: 'running', bytes_read: 2048, bytes_total: 2048, records: 4096 })).toEqual({ percent: 100, text: 'All 2.0 KB read; 4096 records checked so far' });
    expect(importProgress({ state: 'running', bytes_read: 10, bytes_total: 0, records: 1 })).toEqual({ percent: null, text: '10 bytes read, 1 record so far' });
  });

  it('says what happened', () => {
    expect(importOutcome({ state: 'done', dry_run: false, error: null, report: report() })).toEqual({ ok: true, text: 'Imported: 120 records.' });
    expect(importOutcome({ state: 'done', dry_run: true, error: null, report: report({ imported: false }) })).toEqual({
      ok: true,
      text: 'Checked only: 120 records would be imported. Nothing was written.',
    });
    const issue = (severity: string) => ({ severity, where: 'line 2', resource: 'service', id: 'x', field: 'status', message: 'bad' });
    expect(importOutcome({ state: 'done', dry_run: false, error: null, report: report({ imported: false, issues: [issue('error'), issue('error'), issue('warning'), issue('error')], issues_total: 4 }) })).toEqual({
      ok: false,
      text: 'Nothing was imported: 3 problems',
    });
    expect(importOutcome({ state: 'done', dry_run: true, error: null, report: report({ imported: false, issues: [issue('error')], issues_total: 1 }) }).text).toBe('Nothing was imported: 1 problem');
    expect(importOutcome({ state: 'done', dry_run: false, error: null, report: report({ imported: false, issues: [issue('error')], issues_total: 250 }) }).text).toBe('Nothing was imported: 250 problems');
    expect(importOutcome({ state: 'failed', dry_run: false, error: 'disk full', report: null }).text).toBe('The import failed: disk full. Nothing was imported.');
  });

  it('remembers recent imports in this browser', () => {
    localStorage.clear();
    rememberImport({ id: 'j1', name: 'a.json', started_at: '2026-01-05T10:00:00Z' });
    rememberImport({ id: 'j2', name: 'b.json', started_at: '2026-01-05T11:00:00Z' });
    rememberImport({ id: 'j1', name: 'a.json', started_at: '2026-01-05T10:00:00Z' });
    expect(recentImports().map((r) => r.id)).toEqual(['j1', 'j2']);
    localStorage.setItem('soundcheck.directory.imports', '{broken');
    expect(recentImports()).toEqual([]);
  });
});

describe('the directory address', () => {
  it('keeps the search and page in the URL', () => {
    expect(directoryQuery('?search=%20quiet%20room&page=3')).toEqual({ search: 'quiet room', page: 3 });
    expect(directoryQuery('?page=-2')).toEqual({ search: '', page: 1 });
    expect(directoryHref({ search: 'quiet room', page: 1 })).toBe('/directory?search=quiet+room');
    expect(directoryHref({ search: '', page: 2 })).toBe('/directory?page=2');
    expect(directoryHref({ search: '', page: 1 })).toBe('/directory');
    expect(pageCount(51, 25)).toBe(3);
    expect(pageCount(0, 25)).toBe(1);
  });
});

describe('the HSDS service for people', () => {
  const service = {
    name: 'Quiet Room DEMO',
    description: 'Therapy.',
    url: 'https://quiet.example.org',
    email: 'hello@example.org',
    organization: { name: 'Quiet Practice' },
    phones: [{ number: '+1-615-555-0100', type: 'voice' }, { number: '+1-615-555-0101', type: 'fax', extension: 12 }],
    languages: [{ name: 'English', code: 'en' }, { code: 'es' }],
    service_at_locations: [
      { location: { name: 'Nashville office', location_type: 'physical', addresses: [{ address_1: '1 Music Row', city: 'Nashville', state_province: 'TN', postal_code: '37203', country: 'US' }] } },
      { location: { name: 'Telehealth', location_type: 'virtual' } },
    ],
    cost_options: [{ option: 'Session', amount: 150, currency: 'usd', amount_description: 'per hour' }],
    attributes: [
      { taxonomy_term: { code: 'care_type:individual-therapy', name: 'Individual therapy' } },
      { taxonomy_term: { code: 'care_type:couples-therapy', name: 'Couples therapy' } },
      { taxonomy_term: { code: 'fact:licence', name: 'Licence' }, value: '{"type":"LPC","jurisdiction":"US-TN","number":"123","expires":"2027-06-30","compacts":["PSYPACT"]}' },
      { taxonomy_term: { code: 'fact:waitlist-weeks', name: 'Waitlist' }, value: '3' },
      { taxonomy_term: { code: 'X1', name: 'Food pantry', taxonomy_detail: { name: 'Other scheme' } } },
    ],
  };

  it('reads the main fields, locations and facts', () => {
    const v = serviceView(service);
    expect(v.organization).toBe('Quiet Practice');
    expect(v.phones).toEqual(['+1-615-555-0100', '+1-615-555-0101 ext. 12 (fax)']);
    expect(v.languages).toEqual(['English', 'es']);
    expect(v.locations).toEqual([
      { name: 'Nashville office', virtual: false, address: '1 Music Row, Nashville, TN, 37203, US', phones: [] },
      { name: 'Telehealth', virtual: true, address: '', phones: [] },
    ]);
    expect(v.costs).toEqual(['Session — 150 USD — per hour']);
    expect(attributeFacets(service)).toEqual([
      { label: 'Care', items: ['Individual therapy', 'Couples therapy'] },
      { label: 'Licences', items: ['LPC, US-TN, no. 123, expires 2027-06-30 (PSYPACT)'] },
      { label: 'Waitlist (weeks)', items: ['3'] },
      { label: 'Other scheme', items: ['Food pantry'] },
    ]);
    expect(serviceView({}, 'From summary').organization).toBe('From summary');
  });

  it('reads value terms', () => {
    expect(attributeValueText('{"carrier":"Acme","plan":"Gold"}')).toBe('Acme — Gold');
    expect(attributeValueText('{"amount":"40.00","currency":"USD"}')).toBe('40.00 USD');
    expect(attributeValueText('US-NY')).toBe('US-NY');
    expect(attributeValueText('{not json')).toBe('{not json');
  });

  it('links only http(s) addresses', () => {
    expect(safeHttpUrl('https://a.example/x')).toBe('https://a.example/x');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
  });
});

describe('the check-in link token', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('reads #t= and removes it from the address', () => {
    window.history.replaceState(null, '', '/provider/checkin#t=abcdefgh12345678');
    expect(takeFragmentToken()).toBe('abcdefgh12345678');
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/provider/checkin');
    window.history.replaceState(null, '', '/provider/checkin#t=<bad>');
    expect(takeFragmentToken()).toBe('');
    expect(window.location.hash).toBe('');
    window.history.replaceState(null, '', '/provider/checkin');
    expect(takeFragmentToken()).toBeNull();
  });
});
