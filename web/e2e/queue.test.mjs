// The case queue and the case page end to end, in Debian's chromium against the real server
// binary (SC_BIN, default ../build/bin/soundcheck). A supervisor and two case managers are
// seeded with `soundcheck user add` and enrol TOTP on first sign-in; two cases (one normal,
// one urgent) come in through the public intake API. Every page state goes through checkPage
// (axe 0 violations, no sideways scroll at 360 px, no CSP/script errors, screenshots at
// 1280/360/360-dark into test-results/screenshots/queue-*.png and case-*.png).
//
// One chain: if a step fails, every later step fails naming it (nothing is skipped).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { checkPage, launchBrowser } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { makeSteps } from './lib/steps.mjs';
import { expectHeading, expectPath, signInAndEnrol } from './lib/console.mjs';
import { postIntake } from './lib/seed.mjs';
import { openPage, tearDown } from './lib/walk.mjs';

const run = randomBytes(4).toString('hex');
const user = (key, name, role) => ({
  email: `${key}-${run}@soundcheck.test`,
  name,
  role,
  password: `${key}-copper-${run}-lantern-meadow`,
});
const SUP = user('sol', 'Sol Supervisor', 'supervisor');
const CM1 = user('casey', 'Casey Manager', 'case_manager');
const CM2 = user('morgan', 'Morgan Manager', 'case_manager');

// Obviously fictitious people. The urgent one comes in second, so "urgent first" is not just "oldest first".
const INTAKE = {
  for: 'self',
  preferred_name: 'Jordan Test',
  language: 'en',
  contact: { phone: '+1 615 555 0100', preferred: 'text', text_ok: true, voicemail_ok: false },
  industry_role: 'touring_crew',
  location: { country: 'US', region: 'US-TN', time_zone: 'America/Chicago' },
  on_tour: { now: false },
  requests: ['therapy'],
  screenings: [{ instrument: 'phq2', answers: [1, 0] }],
  consents: { privacy_notice_version: '2026-11', contact: true },
};
const URGENT = {
  ...INTAKE,
  preferred_name: 'Riley Example',
  contact: { phone: '+1 615 555 0199', preferred: 'phone', text_ok: false, voicemail_ok: true },
  industry_role: 'artist',
  on_tour: { now: true, until: '2027-01-15' },
  requests: ['therapy', 'psychiatry'],
  insurance: { type: 'employer', carrier: 'Example Health' },
  screenings: [
    { instrument: 'phq2', answers: [3, 3] },
    { instrument: 'phq9', answers: [3, 3, 2, 2, 1, 1, 2, 1, 1] },
  ],
};

let server = null;
let browser = null;
const contexts = [];
const cases = {}; // normal / urgent -> { reference, id }
let cm1 = null; // page
let sup = null; // page
let current = null; // the page a failure screenshot is taken of
const { step, broken } = makeSteps('queue', () => current);


after(() => tearDown({ contexts, browser, server }, broken()));

async function open() {
  current = await openPage(browser, contexts);
  return current;
}

/** The queue's rows, top to bottom, once the table is there. */
async function queueRows(page) {
  await page.getByTestId('queue-table').waitFor();
  return page.getByTestId('queue-table').locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => ({
      reference: r.getAttribute('data-reference'),
      id: r.getAttribute('data-case-id'),
      status: r.querySelector('[data-testid="case-status"]')?.textContent,
      assigned: r.querySelector('[data-testid="case-assigned"]')?.textContent,
      urgent: !!r.querySelector('[data-testid="urgent-badge"]'),
      sla: r.querySelector('[data-testid="sla"]')?.textContent,
    })),
  );
}

const submitIntake = (body) => postIntake(server.url, body);

step('the server starts; a supervisor and two case managers are seeded; two cases come in through the intake', async () => {
  server = await startServer();
  for (const u of [SUP, CM1, CM2]) await server.addUser(u);
  const normal = await submitIntake(INTAKE);
  assert.equal(normal.urgent, false);
  const urgent = await submitIntake(URGENT);
  assert.equal(urgent.urgent, true, 'a PHQ-9 item 9 answer makes the intake urgent');
  cases.normal = { reference: normal.reference };
  cases.urgent = { reference: urgent.reference };
  browser = await launchBrowser();
});

step('case manager 1 enrols and sees both cases on the queue, the urgent one first', async () => {
  cm1 = await open();
  await signInAndEnrol(cm1, server.url, CM1);
  const rows = await queueRows(cm1);
  assert.deepEqual(
    rows.map((r) => r.reference),
    [cases.urgent.reference, cases.normal.reference],
  );
  assert.equal(rows[0].urgent, true, 'the urgent case wears the badge');
  assert.equal(rows[1].urgent, false);
  for (const r of rows) {
    assert.equal(r.status, 'New');
    assert.equal(r.assigned, 'Unassigned');
    assert.match(r.sla, /\d+ (min|h)( \d+ min)? left$/, `an SLA timer in words: ${r.sla}`);
  }
  cases.urgent.id = rows[0].id;
  cases.normal.id = rows[1].id;
  assert.equal((await cm1.getByTestId('queue-counts').innerText()).trim(), 'Showing 2 cases, 1 urgent.');
  // Live when the server streams events (GET /api/v1/stream), else the 30-second poll.
  assert.match(await cm1.getByTestId('live-status').innerText(), /^(Live: new and changed cases appear as they happen\.|The queue updates every 30 seconds\.)$/);
  await cm1.getByTestId('queue-keys').waitFor();
  await checkPage(cm1, 'queue-cm1');
});

step('the filters narrow the queue (urgent only, a status) and are kept in the address', async () => {
  await cm1.getByLabel('Urgent only').check();
  await cm1.waitForURL((u) => u.search === '?urgent=true');
  await cm1.getByTestId('queue-counts').filter({ hasText: 'Showing 1 case, 1 urgent.' }).waitFor();
  assert.deepEqual(
    (await queueRows(cm1)).map((r) => r.reference),
    [cases.urgent.reference],
  );
  await checkPage(cm1, 'queue-urgent-only');
  await cm1.getByLabel('Urgent only').uncheck();
  await cm1.getByLabel('Status').selectOption('closed');
  await cm1.getByTestId('queue-empty').waitFor();
  await cm1.getByLabel('Status').selectOption('');
  await cm1.getByTestId('queue-counts').filter({ hasText: 'Showing 2 cases' }).waitFor();
  assert.equal(new URL(cm1.url()).search, '');
});

step('j and k move through the queue, Enter opens the selected case', async () => {
  await cm1.locator('main h1').focus();
  await cm1.keyboard.press('j');
  assert.equal(await cm1.evaluate(() => document.activeElement?.id), `case-link-${cases.urgent.id}`);
  await cm1.keyboard.press('j');
  assert.equal(await cm1.evaluate(() => document.activeElement?.id), `case-link-${cases.normal.id}`);
  await cm1.keyboard.press('k');
  assert.equal(await cm1.evaluate(() => document.activeElement?.id), `case-link-${cases.urgent.id}`);
  // Not while typing: j in the status filter stays there.
  await cm1.getByLabel('Status').focus();
  await cm1.keyboard.press('j');
  assert.equal(await cm1.evaluate(() => document.activeElement?.id), 'queue-status');
  await cm1.locator(`#case-link-${cases.urgent.id}`).focus();
  await cm1.keyboard.press('Enter');
  await expectPath(cm1, `/cases/${cases.urgent.id}`);
});

step('the urgent case: who they are, what is safe, and the safety flags at the top', async () => {
  await expectHeading(cm1, 'Riley Example');
  const flags = cm1.getByTestId('case-flags');
  await flags.waitFor();
  assert.match(await flags.innerText(), /Safety flags/);
  assert.match(await flags.innerText(), /Risk: low/);
  await flags.locator('[data-flag="safety_item9"]').waitFor();
  assert.match(await cm1.getByTestId('case-reference').innerText(), new RegExp(cases.urgent.reference));
  assert.equal((await cm1.getByTestId('contact-preferred').innerText()).trim(), 'Phone call');
  assert.match(await cm1.getByTestId('safe-voicemail').innerText(), /OK to leave a voicemail/);
  assert.match(await cm1.getByTestId('safe-text').innerText(), /Do not text/);
  assert.match(await cm1.getByTestId('case-tour').innerText(), /Yes, until Jan 15, 2027/);
  assert.match(await cm1.getByTestId('case-requests').innerText(), /Therapy\s+Psychiatry/);
  assert.match(await cm1.getByTestId('case-screens').innerText(), /PHQ-9/);
  await cm1.getByTestId('case-insurance-list').getByText('Example Health').waitFor();
  await checkPage(cm1, 'case-urgent');
});

step('case manager 1 takes the case ("Assign to me") and moves it to contacted', async () => {
  await cm1.getByRole('button', { name: 'Assign to me' }).click();
  await cm1.getByTestId('case-done').filter({ hasText: 'assigned to you' }).waitFor();
  await cm1.getByTestId('case-assigned').filter({ hasText: 'You' }).waitFor();
  assert.equal(await cm1.getByRole('button', { name: 'Assign to me' }).count(), 0);
  await checkPage(cm1, 'case-assigned');

  await cm1.getByRole('button', { name: 'Mark as contacted' }).click();
  await cm1.getByTestId('case-done').filter({ hasText: 'Status changed to Contacted.' }).waitFor();
  await cm1.getByTestId('case-status').filter({ hasText: 'Contacted' }).waitFor();
  await cm1.getByTestId('sla').filter({ hasText: 'Contacted' }).waitFor();
  await cm1.getByTestId('case-timeline').getByText('You changed the status to Contacted').waitFor();
  await cm1.getByRole('button', { name: 'Start assessment' }).waitFor();
});

step('a note: the unsent draft survives a reload, then it is added and edited', async () => {
  const box = cm1.getByLabel('Add a note');
  await box.fill('Called Riley; left a voicemail as they allow.');
  await cm1.reload();
  await expectHeading(cm1, 'Riley Example');
  assert.equal(await cm1.getByLabel('Add a note').inputValue(), 'Called Riley; left a voicemail as they allow.');
  await cm1.getByTestId('note-draft-restored').waitFor();
  await cm1.getByRole('button', { name: 'Add note' }).click();
  await cm1.getByTestId('note-saved').filter({ hasText: 'Note added.' }).waitFor();
  assert.equal(await cm1.getByLabel('Add a note').inputValue(), '');
  assert.equal(await cm1.evaluate((id) => sessionStorage.getItem(`soundcheck.case.${id}.note-draft`), cases.urgent.id), null);
  await checkPage(cm1, 'case-note-added');

  await cm1.getByTestId('note-edit').click();
  await cm1.getByLabel('Edit your note').fill('Called Riley; left a voicemail. Will call again at 4 pm their time.');
  await checkPage(cm1, 'case-note-editing');
  await cm1.getByRole('button', { name: 'Save note' }).click();
  await cm1.getByTestId('note-saved').filter({ hasText: 'Note saved.' }).waitFor();
  await cm1.getByTestId('note-body').filter({ hasText: 'Will call again at 4 pm' }).waitFor();
  await cm1.getByTestId('notes').getByText('(edited)').waitFor();
});

step('editing a note someone changed meanwhile (412): the newer text is shown, nothing is overwritten', async () => {
  await cm1.getByTestId('note-edit').click();
  // The same author saves from another tab while this edit is open.
  const other = await cm1.evaluate(async (caseId) => {
    const me = await (await fetch('/api/v1/me')).json();
    const { items } = await (await fetch(`/api/v1/cases/${caseId}/notes`)).json();
    const n = items[0];
    const r = await fetch(`/api/v1/cases/${caseId}/notes/${n.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${n.version}"` },
      body: JSON.stringify({ body: 'Edited in another tab: Riley called back.' }),
    });
    return r.status;
  }, cases.urgent.id);
  assert.equal(other, 200);
  await cm1.getByLabel('Edit your note').fill('My stale edit.');
  await cm1.getByRole('button', { name: 'Save note' }).click();
  const conflict = cm1.getByTestId('note-conflict');
  await conflict.waitFor();
  assert.equal((await cm1.getByTestId('note-conflict-newer').innerText()).trim(), 'Edited in another tab: Riley called back.');
  assert.equal(await cm1.getByLabel('Edit your note').inputValue(), 'My stale edit.', 'our text is kept, unsaved');
  await checkPage(cm1, 'case-note-conflict');
  await cm1.getByRole('button', { name: 'Cancel' }).click();
  await cm1.getByTestId('note-body').filter({ hasText: 'Riley called back.' }).waitFor();
});

step('back on the queue the case shows as assigned to me, contacted', async () => {
  await cm1.getByRole('link', { name: 'Back to the queue' }).click();
  await expectPath(cm1, '/');
  const rows = await queueRows(cm1);
  const urgent = rows.find((r) => r.reference === cases.urgent.reference);
  assert.deepEqual(
    { status: urgent.status, assigned: urgent.assigned, sla: urgent.sla },
    { status: 'Contacted', assigned: 'You', sla: 'Contacted' },
  );
  assert.equal(rows[0].reference, cases.urgent.reference);
  await checkPage(cm1, 'queue-assigned-to-me');
});

step('case manager 2 no longer sees that case, and its deep link is a not-found page', async () => {
  const cm2 = await open();
  await signInAndEnrol(cm2, server.url, CM2);
  const rows = await queueRows(cm2);
  assert.deepEqual(
    rows.map((r) => r.reference),
    [cases.normal.reference],
  );
  assert.equal((await cm2.getByTestId('queue-counts').innerText()).trim(), 'Showing 1 case, 0 urgent.');
  await checkPage(cm2, 'queue-cm2');
  await cm2.goto(`${server.url}/cases/${cases.urgent.id}`);
  await expectHeading(cm2, 'Case not found');
  assert.equal(await cm2.getByText('Riley Example').count(), 0);
  await checkPage(cm2, 'case-not-found');
  current = cm1;
});

step('the supervisor, in a second browser context, sees both cases and the first one contacted', async () => {
  sup = await open();
  await signInAndEnrol(sup, server.url, SUP);
  const rows = await queueRows(sup);
  assert.deepEqual(
    rows.map((r) => r.reference),
    [cases.urgent.reference, cases.normal.reference],
  );
  assert.deepEqual(
    { status: rows[0].status, assigned: rows[0].assigned },
    { status: 'Contacted', assigned: 'Someone else' },
  );
  assert.equal(rows[1].status, 'New');
  await checkPage(sup, 'queue-supervisor');
  await sup.locator(`#case-link-${cases.urgent.id}`).click();
  await expectHeading(sup, 'Riley Example');
  await sup.getByRole('button', { name: 'Unassign' }).waitFor();
  await sup.getByRole('button', { name: 'Assign to me' }).waitFor();
  await checkPage(sup, 'case-supervisor');
});

step('a status change on an old version (412): the case reloads and says what changed', async () => {
  current = cm1;
  await cm1.goto(`${server.url}/cases/${cases.urgent.id}`);
  await expectHeading(cm1, 'Riley Example');
  await cm1.getByRole('button', { name: 'Start assessment' }).waitFor();
  // The supervisor unassigns the case while case manager 1 has it open.
  await sup.getByRole('button', { name: 'Unassign' }).click();
  await sup.getByTestId('case-done').filter({ hasText: 'unassigned' }).waitFor();

  await cm1.getByRole('button', { name: 'Start assessment' }).click();
  const conflict = cm1.getByTestId('case-conflict');
  await conflict.waitFor();
  const text = await conflict.innerText();
  assert.match(text, /“Start assessment” was not done/);
  assert.match(text, /Assigned to: You → Unassigned/);
  await cm1.getByTestId('case-assigned').filter({ hasText: 'Unassigned' }).waitFor();
  await cm1.getByTestId('case-status').filter({ hasText: 'Contacted' }).waitFor();
  await cm1.getByRole('button', { name: 'Assign to me' }).waitFor();
  await checkPage(cm1, 'case-conflict');
});

step('closing needs a reason', async () => {
  current = sup;
  await sup.getByRole('button', { name: 'Close case…' }).click();
  await sup.getByRole('button', { name: 'Close case', exact: true }).click();
  await sup.locator('#close-reason-error').waitFor();
  await checkPage(sup, 'case-close-reason');
  await sup.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(server.exited, false, 'the server is still running');
});
