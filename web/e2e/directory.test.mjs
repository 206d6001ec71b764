// The provider directory in the staff console, end to end, in Debian's chromium against the real
// server binary (SC_BIN, default ../build/bin/soundcheck). The data is the binary's own fictitious
// directory (`soundcheck demo generate --providers 20 --seed 7 --today 2026-01-05`, exported as HSDS
// JSON), imported through the console. Every page state goes through checkPage (axe 0 violations,
// no sideways scroll at 360 px, no CSP/script errors, screenshots directory-*.png).
//
// An admin: "Check only" of a bigger file (300 providers) with the progress bar, left running and
// come back to; the real import of the 20 providers with its report; a broken file with "Strict
// references": nothing imported, every issue listed; the CSV data package folder the 20 providers
// came from, checked (format=csv, every record unchanged). Then browse and search (kept in the address),
// open a service, edit it over a change made meanwhile through the API (412: their change shown,
// ours kept, saved again), a 422 at its field, "Mark verified today", the history, the private
// notes (saved, reloaded, absent from the public /hsds; a 412 over a change made meanwhile), and
// the freshness dashboard with its CSV. Last, a case manager sees the directory but not the imports.
//
// One chain: if a step fails, every later step fails naming it (nothing is skipped).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { checkPage, launchBrowser } from './lib/browser.mjs';
import { expectHeading, expectPath, signInAndEnrol } from './lib/console.mjs';
import { brokenFile, demoJson, scratchDir } from './lib/directory.mjs';
import { startServer } from './lib/server.mjs';
import { makeSteps } from './lib/steps.mjs';
import { openPage, tearDown } from './lib/walk.mjs';

const run = randomBytes(4).toString('hex');
const user = (key, name, role) => ({ email: `${key}-${run}@soundcheck.test`, name, role, password: `${key}-copper-${run}-lantern-meadow` });
const ADMIN = user('ada', 'Ada Admin', 'admin');
const CM = user('casey', 'Casey Manager', 'case_manager');

let server = null;
let browser = null;
let scratch = null;
const files = {};
const contexts = [];
let page = null;
const the = {};
const { step, broken } = makeSteps('directory', () => page);

before(async () => {
  scratch = scratchDir();
  files.small = await demoJson(scratch.dir, { providers: 20 });
  files.smallCsv = join(scratch.dir, 'demo-20'); // the CSV data package demoJson started from
  files.big = await demoJson(scratch.dir, { providers: 300 });
  files.broken = brokenFile(scratch.dir);
  server = await startServer();
  await server.addUser(ADMIN);
  await server.addUser(CM);
  browser = await launchBrowser();
});
after(() => tearDown({ contexts, browser, server, scratch }, broken()));

async function open() {
  page = await openPage(browser, contexts);
  return page;
}

const path = () => new URL(page.url()).pathname;

/**
 * Holds the import's progress on screen for the checks: while `hold.on`, a finished job is
 * answered with the last real "queued"/"running" answer the server gave for it. Every answer
 * the page gets came from the server; this only keeps a real running state a little longer.
 */
const hold = { on: false, last: null, states: [] };
async function holdImportProgress(p) {
  await p.route(/\/api\/v1\/directory\/imports\/[^/?]+$/, async (route) => {
    const res = await route.fetch();
    const job = await res.json();
    hold.states.push(job.state);
    if (job.state === 'queued' || job.state === 'running') hold.last = job;
    const finished = job.state === 'done' || job.state === 'failed';
    await route.fulfill({ response: res, json: hold.on && finished && hold.last?.id === job.id ? hold.last : job });
  });
}

async function upload(file, { dryRun = false, strict = false } = {}) {
  await page.getByRole('link', { name: 'Imports', exact: true }).first().click();
  await expectPath(page, '/directory/imports');
  await page.getByLabel('File to import').setInputFiles(file);
  if (dryRun) await page.getByLabel('Check only (dry run)').check();
  if (strict) await page.getByLabel('Strict references').check();
  const started = page.waitForResponse((r) => r.url().includes('/api/v1/directory/imports?') && r.request().method() === 'POST');
  await page.getByTestId('import-start').click();
  const res = await started;
  assert.equal(res.status(), 202);
  const q = new URL(res.url()).searchParams;
  assert.equal(q.get('dry_run'), String(dryRun));
  assert.equal(q.get('strict'), String(strict));
  assert.equal(q.get('format'), 'json');
  // The job's own address (the file may be too big for the browser to keep the answer's body).
  await page.waitForURL((u) => /^\/directory\/imports\/[^/]+$/.test(u.pathname));
  return { id: path().split('/').pop(), name: q.get('name') };
}

async function reportOutcome() {
  const outcome = page.getByTestId('import-outcome');
  await outcome.waitFor({ timeout: 60_000 });
  return (await outcome.innerText()).trim();
}

step('the admin signs in and finds the directory and its imports in the navigation', async () => {
  await open();
  await signInAndEnrol(page, server.url, ADMIN);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Directory' }).waitFor();
  await nav.getByRole('link', { name: 'Imports' }).waitFor();
  await nav.getByRole('link', { name: 'Directory' }).click();
  await expectPath(page, '/directory');
  await expectHeading(page, 'Directory');
  await page.getByTestId('directory-empty').waitFor();
  await checkPage(page, 'directory-empty');
});

step('imports: the form asks for a file, and a check of a bigger file shows its progress', async () => {
  await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Imports' }).click();
  await expectHeading(page, 'Import the directory');
  await page.getByTestId('import-start').click();
  await page.locator('#import-file-error').waitFor();
  assert.match(await page.locator('#import-file-error').innerText(), /Choose a \.json or \.ndjson file/);
  await checkPage(page, 'directory-imports-form-errors');

  hold.on = true;
  await holdImportProgress(page);
  const job = await upload(files.big, { dryRun: true });
  the.bigJob = job.id;
  const progress = page.getByTestId('import-progress');
  await progress.waitFor();
  assert.ok(hold.states.some((s) => s === 'queued' || s === 'running'), `the page saw the job before it finished (${hold.states.join(', ')})`);
  await page.locator('#import-progress-bar').waitFor();
  assert.match(await page.getByTestId('import-progress-text').innerText(), /Waiting to start|read/);
  await expectHeading(page, 'Check: soundcheck-demo-300.json');
  await checkPage(page, 'directory-import-progress');
});

step('the check can be left running: away to the directory and back, the same job', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await expectPath(page, '/directory');
  await page.goBack();
  await expectPath(page, `/directory/imports/${the.bigJob}`);
  await expectHeading(page, 'Check: soundcheck-demo-300.json');
  await page.getByTestId('import-progress').waitFor();
  // Let it finish: the report of a check only.
  hold.on = false;
  const text = await reportOutcome();
  assert.match(text, /^Checked only: \d+ records would be imported\. Nothing was written\./);
  assert.equal(await page.getByTestId('import-report').getAttribute('data-imported'), 'false');
  assert.match(await page.getByTestId('import-counts-table').innerText(), /Service\s+300\s+0\s+0/);
  await checkPage(page, 'directory-import-checked');
  // A check writes nothing.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await page.getByTestId('directory-empty').waitFor();
});

step('the 20-provider directory is imported: the report counts what was added', async () => {
  const job = await upload(files.small);
  assert.equal(job.name, 'soundcheck-demo-20.json');
  const text = await reportOutcome();
  assert.match(text, /^Imported: \d+ records\./);
  assert.equal(await page.getByTestId('import-report').getAttribute('data-imported'), 'true');
  const counts = await page.getByTestId('import-counts-table').innerText();
  assert.match(counts, /Service\s+20\s+0\s+0/);
  assert.match(counts, /Organization\s+20\s+0\s+0/);
  await checkPage(page, 'directory-import-done');
  // This browser remembers its imports.
  await page.getByRole('link', { name: 'Import another file' }).click();
  const recent = page.getByTestId('recent-imports');
  await recent.getByRole('link', { name: 'soundcheck-demo-20.json' }).waitFor();
  await recent.getByRole('link', { name: 'soundcheck-demo-300.json' }).waitFor();
});

step('a broken file with strict references: nothing was imported, every problem listed', async () => {
  await upload(files.broken, { strict: true });
  const text = await reportOutcome();
  assert.match(text, /^Nothing was imported: \d+ problems?/);
  const n = Number(/: (\d+) problem/.exec(text)[1]);
  assert.ok(n >= 2, `at least the bad id and the bad status (${n})`);
  const issues = page.getByTestId('import-issues-table');
  const body = await issues.innerText();
  assert.match(body, /uuid/i);
  assert.match(body, /\/status/);
  assert.ok((await issues.locator('tbody tr[data-severity="error"]').count()) >= 2);
  await checkPage(page, 'directory-import-broken');
});

step('a CSV data package folder, checked: the same directory again would change nothing', async () => {
  await page.getByRole('link', { name: 'Imports', exact: true }).first().click();
  await expectPath(page, '/directory/imports');
  await page.getByLabel('Or a CSV data package folder').setInputFiles(files.smallCsv);
  await page.getByLabel('Check only (dry run)').check();
  const started = page.waitForResponse((r) => r.url().includes('/api/v1/directory/imports?') && r.request().method() === 'POST');
  await page.getByTestId('import-start').click();
  const res = await started;
  assert.equal(res.status(), 202);
  const q = new URL(res.url()).searchParams;
  assert.equal(q.get('format'), 'csv');
  assert.equal(q.get('name'), 'demo-20');
  const sent = Object.keys(JSON.parse(res.request().postData()));
  assert.ok(sent.includes('datapackage.json') && sent.includes('services.csv'), sent.join(', '));
  const text = await reportOutcome();
  assert.match(text, /^Checked only: [\d,]+ records would be imported\. Nothing was written\./);
  const counts = await page.getByTestId('import-counts-table').innerText();
  assert.match(counts, /Service\s+0\s+0\s+20/);
  await checkPage(page, 'directory-import-csv-check');
});

step('browse: 20 services with their openings, verification and what needs checking', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await expectPath(page, '/directory');
  const table = page.getByTestId('directory-table');
  await table.waitFor();
  assert.match(await page.getByTestId('directory-total').innerText(), /^20 services/);
  assert.equal(await table.locator('tbody tr').count(), 20);
  for (const cell of await table.locator('[data-testid="openings"]').allInnerTexts()) {
    assert.match(cell, /^(\d+ openings?, confirmed .+|No openings.*|Openings not confirmed since .+ — not counted|Openings never confirmed — not counted)$/);
  }
  for (const cell of await table.locator('[data-testid="verified"]').allInnerTexts()) assert.match(cell, /^(Never verified|\d{1,2} \w{3} \d{4})$/);
  // Licences expire around the data's "today" (2026-01-05): some need checking.
  assert.ok((await table.locator('[data-reason]').count()) > 0, 'some services need checking');
  await checkPage(page, 'directory-list');
});

step('search: kept in the address, across a reload', async () => {
  await page.getByLabel('Search services').fill('psychiatry');
  const searched = page.waitForResponse((r) => r.url().includes('/api/v1/directory/services?') && new URL(r.url()).searchParams.get('search') === 'psychiatry');
  await page.getByTestId('directory-search-submit').click();
  await page.waitForURL((u) => u.pathname === '/directory' && u.searchParams.get('search') === 'psychiatry');
  await page.getByTestId('directory-total').filter({ hasText: 'psychiatry' }).waitFor();
  // The total says "psychiatry" as soon as the address does; the rows change once the answer is in.
  await searched;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="directory-table"] tbody tr').length < 20);
  const names = await page.locator('[data-testid="directory-table"] tbody th a').allInnerTexts();
  assert.ok(names.length > 0 && names.length < 20, `some services match (${names.length})`);
  for (const n of names) assert.match(n, /psychiatr/i);
  await page.reload();
  await page.getByTestId('directory-table').waitFor();
  assert.equal(await page.getByLabel('Search services').inputValue(), 'psychiatry');
  assert.deepEqual(await page.locator('[data-testid="directory-table"] tbody th a').allInnerTexts(), names);
  await checkPage(page, 'directory-search');
  await page.getByLabel('Search services').fill('zzznothing');
  await page.getByTestId('directory-search-submit').click();
  await page.getByTestId('directory-empty').waitFor();
  assert.match(await page.getByTestId('directory-empty').innerText(), /No services match “zzznothing”/);
  await page.goBack();
  await page.getByTestId('directory-table').waitFor();
});

step('a service: its facts, openings, verification and the import that added it', async () => {
  const first = page.locator('[data-testid="directory-table"] tbody tr').first();
  the.serviceId = await first.getAttribute('data-service-id');
  the.serviceName = (await first.locator('th a').innerText()).trim();
  await first.locator('th a').click();
  await expectPath(page, `/directory/services/${the.serviceId}`);
  await expectHeading(page, the.serviceName);
  await page.getByTestId('service-facts').waitFor();
  assert.match(await page.getByTestId('service-openings').innerText(), /opening/i);
  assert.match(await page.getByTestId('service-organization-id').innerText(), /^[0-9a-f-]{36}$/);
  // The only change so far: the console import that added it, by this admin.
  const rows = page.locator('[data-testid="history"] tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getAttribute('data-action'), 'import');
  assert.equal(await rows.first().locator('td[data-label="Who"]').innerText(), 'You');
  assert.match(await rows.first().locator('td[data-label="Change"]').innerText(), /^from .+\.json$/);
  await checkPage(page, 'directory-service');
});

step('edit over a change made meanwhile through the API: 412, their change shown, ours kept', async () => {
  await page.getByLabel('Description', { exact: true }).fill('Edited in the console: evening sessions for touring crew.');
  await page.getByLabel('Alert', { exact: true }).fill('Closed 24–26 December.');
  // Someone else saves first (the API, in the same browser session).
  const other = await page.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/me')).json();
    const s = await (await fetch(`/api/v1/directory/services/${id}`)).json();
    const r = await fetch(`/api/v1/directory/services/${id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${s.version}"` },
      body: JSON.stringify({ wait_time: 'About two weeks' }),
    });
    return { status: r.status, etag: r.headers.get('ETag') };
  }, the.serviceId);
  assert.equal(other.status, 200);
  const saving = page.waitForResponse((r) => r.url().endsWith(`/api/v1/directory/services/${the.serviceId}`) && r.request().method() === 'PATCH');
  await page.getByTestId('service-save').click();
  assert.equal((await saving).status(), 412);
  const conflict = page.getByTestId('service-conflict');
  await conflict.waitFor();
  const text = await conflict.innerText();
  assert.match(text, /Wait time: .+ → About two weeks/);
  assert.match(text, /Your changes were not saved\. They are still in the form \(Description, Alert\)/);
  assert.equal(await page.getByLabel('Description', { exact: true }).inputValue(), 'Edited in the console: evening sessions for touring crew.');
  assert.equal(await page.getByLabel('Wait time', { exact: true }).inputValue(), 'About two weeks');
  await checkPage(page, 'directory-service-conflict');
  // Saved again, on the newer version.
  const again = page.waitForResponse((r) => r.url().endsWith(`/api/v1/directory/services/${the.serviceId}`) && r.request().method() === 'PATCH');
  await page.getByTestId('service-save').click();
  const res = await again;
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(res.request().postData()), { description: 'Edited in the console: evening sessions for touring crew.', alert: 'Closed 24–26 December.' });
  assert.match(await page.getByTestId('service-message').innerText(), /Changes saved\./);
  assert.equal(await page.getByTestId('service-description').innerText(), 'Edited in the console: evening sessions for touring crew.');
});

step('a field the server refuses is shown at the field (422), and an emptied field is removed', async () => {
  await page.getByLabel('Website', { exact: true }).fill('not a web address');
  await page.getByTestId('service-save').click();
  await page.locator('#service-edit-url-error').waitFor();
  assert.match(await page.getByTestId('error-summary').innerText(), /uri|address/i);
  await checkPage(page, 'directory-service-errors');
  await page.getByLabel('Website', { exact: true }).fill('');
  await page.getByLabel('Alert', { exact: true }).fill('');
  const saving = page.waitForResponse((r) => r.url().endsWith(`/api/v1/directory/services/${the.serviceId}`) && r.request().method() === 'PATCH');
  await page.getByTestId('service-save').click();
  const res = await saving;
  assert.equal(res.status(), 200);
  assert.equal(JSON.parse(res.request().postData()).alert, null);
  await page.getByTestId('service-message').waitFor();
});

step('"Mark verified today", and the history shows every change, newest first', async () => {
  const verifying = page.waitForResponse((r) => r.url().endsWith(`/api/v1/directory/services/${the.serviceId}/verify`));
  await page.getByTestId('verify').click();
  assert.equal((await verifying).status(), 200);
  await page.getByTestId('service-message').filter({ hasText: 'Marked as verified today.' }).waitFor();
  const today = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date());
  assert.equal(await page.getByTestId('service-verified').innerText(), today);
  const rows = page.locator('[data-testid="history"] tbody tr');
  const actions = await rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-action')}:${tr.getAttribute('data-field')}`));
  assert.equal(actions[0], 'verify:assured_date');
  for (const f of ['edit:wait_time', 'edit:description', 'edit:alert']) assert.ok(actions.includes(f), `${f} in ${actions.join(', ')}`);
  assert.ok(actions.indexOf('edit:wait_time') > actions.indexOf('edit:description'), 'the earlier change is further down');
  const who = await rows.first().locator('td[data-label="Who"]').innerText();
  assert.equal(who, 'You');
  const waitRow = rows.filter({ has: page.locator('td[data-label="Field"]', { hasText: 'Wait time' }) }).first();
  assert.match(await waitRow.locator('.history__after').innerText(), /^About two weeks$/);
  await checkPage(page, 'directory-service-verified');
});

step('private notes: staff fill both, save, see them after a reload; never in the public /hsds', async () => {
  the.contact = `Ring the practice manager, Sam, on 615-555-0142 (${run})`;
  the.waitlist = `Full until March; two touring crew waiting (${run})`;
  const card = page.getByTestId('private-notes');
  await card.getByRole('heading', { name: 'Private to the Soundcheck team' }).waitFor();
  assert.match(await card.innerText(), /Never shown in the public directory or in exports\./);
  assert.equal(await card.getByTestId('private-notes-changed').count(), 0, 'never saved yet');
  await card.getByLabel('How the team reaches the provider').fill(the.contact);
  await card.getByLabel('Waitlist notes').fill(the.waitlist);
  const url = `/api/v1/directory/services/${the.serviceId}/private`;
  const saving = page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT');
  await card.getByTestId('private-notes-save').click();
  const res = await saving;
  assert.equal(res.status(), 200);
  assert.equal(res.request().headers()['if-match'], '"0"', 'the first save is on version 0');
  assert.deepEqual(JSON.parse(res.request().postData()), { staff_contact: the.contact, waitlist_note: the.waitlist });
  const saved = await res.json();
  assert.equal(saved.staff_contact, the.contact);
  assert.equal(saved.updated_by_role, 'admin');
  assert.equal(res.headers()['etag'], `"${saved.version}"`);
  await card.getByTestId('private-notes-message').filter({ hasText: 'Private notes saved.' }).waitFor();
  assert.match(await card.getByTestId('private-notes-changed').innerText(), /^Last changed .+ by an admin\.$/);
  await checkPage(page, 'directory-service-private');

  await page.reload();
  await expectHeading(page, the.serviceName);
  await card.getByTestId('private-notes-changed').waitFor();
  assert.equal(await card.getByLabel('How the team reaches the provider').inputValue(), the.contact);
  assert.equal(await card.getByLabel('Waitlist notes').inputValue(), the.waitlist);

  // The public HSDS API has the service, but not the notes.
  const pub = await page.request.get(`${server.url}/hsds/services/${the.serviceId}`);
  assert.equal(pub.status(), 200);
  const text = await pub.text();
  assert.ok(text.includes(the.serviceId), 'the public service is there');
  for (const secret of [the.contact, the.waitlist, 'staff_contact', 'waitlist_note']) assert.ok(!text.includes(secret), `/hsds/services/{id} leaks ${secret}`);
});

step('private notes: saved over a change made meanwhile (412): theirs shown, ours kept; emptied is null', async () => {
  const card = page.getByTestId('private-notes');
  await card.getByLabel('Waitlist notes').fill(`Waitlist open again (${run})`);
  // Someone else changes the contact first (the API, in the same browser session).
  const other = await page.evaluate(async ({ id, waitlist }) => {
    const me = await (await fetch('/api/v1/me')).json();
    const n = await (await fetch(`/api/v1/directory/services/${id}/private`)).json();
    const r = await fetch(`/api/v1/directory/services/${id}/private`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${n.version}"` },
      body: JSON.stringify({ staff_contact: 'Email the front desk', waitlist_note: waitlist }),
    });
    return { status: r.status, before: n.version, after: (await r.json()).version };
  }, { id: the.serviceId, waitlist: the.waitlist });
  assert.equal(other.status, 200);
  assert.ok(other.after > other.before, `the version moved on (${other.before} → ${other.after})`);
  const url = `/api/v1/directory/services/${the.serviceId}/private`;
  const saving = page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT');
  await card.getByTestId('private-notes-save').click();
  assert.equal((await saving).status(), 412);
  const conflict = card.getByTestId('private-notes-conflict');
  await conflict.waitFor();
  const text = await conflict.innerText();
  assert.match(text, /How the team reaches the provider: .+ → Email the front desk/);
  assert.match(text, /Your changes were not saved\. They are still in the form \(Waitlist notes\)/);
  assert.equal(await card.getByLabel('How the team reaches the provider').inputValue(), 'Email the front desk');
  assert.equal(await card.getByLabel('Waitlist notes').inputValue(), `Waitlist open again (${run})`);
  await checkPage(page, 'directory-service-private-conflict');
  // Saved again on the newer version, the contact emptied: sent as null.
  await card.getByLabel('How the team reaches the provider').fill('');
  const again = page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT');
  await card.getByTestId('private-notes-save').click();
  const res = await again;
  assert.equal(res.status(), 200);
  assert.equal(res.request().headers()['if-match'], `"${other.after}"`);
  assert.deepEqual(JSON.parse(res.request().postData()), { staff_contact: null, waitlist_note: `Waitlist open again (${run})` });
  await card.getByTestId('private-notes-message').filter({ hasText: 'Private notes saved.' }).waitFor();
  assert.equal(await card.getByLabel('How the team reaches the provider').inputValue(), '');
  // Put the contact back for the case manager to find.
  await card.getByLabel('How the team reaches the provider').fill(the.contact);
  const back = page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT');
  await card.getByTestId('private-notes-save').click();
  assert.equal((await back).status(), 200);
  await card.getByTestId('private-notes-message').filter({ hasText: 'Private notes saved.' }).waitFor();
});

step('freshness: the figures as bars and a table, the verification queue and its CSV', async () => {
  await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Freshness' }).click();
  await expectPath(page, '/directory/freshness');
  await expectHeading(page, 'Directory freshness');
  await page.getByTestId('freshness-table').waitFor();
  const services = Number(await page.getByTestId('figure-services').innerText());
  assert.ok(services > 0 && services <= 20, `listed services: ${services}`);
  assert.ok(Number(await page.getByTestId('figure-verified_30_days').innerText()) >= 1, 'the one verified today counts');
  assert.equal(await page.locator('[data-testid="freshness-bars"] rect.bars__fill').count(), 7);
  const queue = page.getByTestId('verify-queue-table');
  await queue.waitFor();
  const n = await queue.locator('tbody tr').count();
  assert.ok(n > 0);
  await checkPage(page, 'directory-freshness');
  const link = page.getByTestId('queue-csv');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /^verification-queue-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(csv[0], 'service_id,service_name,reason,reason_in_words,due_at,detail');
  assert.equal(csv.length - 1, n);
  // The queue links to the service.
  await queue.locator('tbody tr').first().locator('th a').click();
  await page.waitForURL((u) => u.pathname.startsWith('/directory/services/'));
  await page.getByTestId('service-name').waitFor();
});

step('a case manager sees the directory, but not the imports', async () => {
  await page.getByTestId('sign-out').click();
  await expectPath(page, '/login');
  await signInAndEnrol(page, server.url, CM);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Directory' }).click();
  await page.getByTestId('directory-table').waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Imports' }).count(), 0);
  assert.equal(await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Imports' }).count(), 0);
  await page.goto(server.url + `/directory/imports/${the.bigJob}`);
  await expectHeading(page, 'You do not have access to this page');
  await page.goto(server.url + `/directory/services/${the.serviceId}`);
  await expectHeading(page, the.serviceName);
  assert.equal(path(), `/directory/services/${the.serviceId}`);
  // Staff share the private notes: the case manager reads what the admin saved.
  const card = page.getByTestId('private-notes');
  await card.getByTestId('private-notes-changed').waitFor();
  assert.equal(await card.getByLabel('How the team reaches the provider').inputValue(), the.contact);
  assert.equal(await card.getByLabel('Waitlist notes').inputValue(), `Waitlist open again (${run})`);
});
