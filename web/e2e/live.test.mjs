// Live support end to end (issue 3), in Debian's chromium against the server binary (SC_BIN,
// default ../build/bin/soundcheck; `npm run e2e:mock` for the throwaway mock). Written against
// the API contract, not the mock: two staff in two browser contexts, a member in a third.
//
//  - the supervisor and the case manager sign in (and enrol TOTP); both queues are live;
//  - duty: the case manager goes on duty, the supervisor's header count follows live;
//  - a member sends an intake with a risk answer: the case appears in the case manager's queue
//    without a reload (announced politely), and the urgent-case alert banner shows in both;
//    the supervisor acknowledges and the case manager's banner clears;
//  - the supervisor sees suggested case managers on the case and assigns one; links a family case;
//  - "talk to someone now": the member asks for a call; it appears live on both support pages;
//    the supervisor claims it; the case manager's (stale) claim gets "someone else took this
//    one"; the supervisor closes it with an outcome;
//  - the rota: a shift for the case manager; off duty, the member books a slot shown in their
//    own time zone and downloads the invite (soundcheck-call.ics).
// Every page state goes through checkPage (axe 0 violations, no sideways scroll at 360 px, no
// CSP/script errors, screenshots live-*.png). Waits for conditions; never sleeps.
//
// One chain: if a step fails, every later step fails naming it.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import { checkPage, launchBrowser, newPage } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { makeSteps } from './lib/steps.mjs';
import { expectHeading, expectPath, signInAndEnrol } from './lib/console.mjs';

const run = randomBytes(4).toString('hex');
const user = (key, name, role) => ({ email: `${key}-${run}@soundcheck.test`, name, role, password: `${key}-copper-${run}-lantern-meadow` });
const SUP = user('sup', 'Test Supervisor', 'supervisor');
const CM = user('cm', 'Test Case Manager', 'case_manager');
const MOBILE = { width: 360, height: 740 };

// Obviously fictitious people, 555-01xx numbers, example.org addresses.
const RISK_INTAKE = {
  for: 'self',
  preferred_name: 'Test Member',
  language: 'en',
  contact: { phone: '+1 615 555 0142', email: 'test.member@example.org', preferred: 'phone', voicemail_ok: false, text_ok: false, email_ok: true },
  industry_role: 'touring_crew',
  location: { country: 'US', region: 'US-TN', time_zone: 'America/Chicago' },
  on_tour: { now: false },
  requests: ['therapy'],
  screenings: [
    { instrument: 'phq2', answers: [2, 2] },
    { instrument: 'phq9', answers: [2, 2, 1, 1, 1, 1, 1, 1, 1] },
    { instrument: 'cssrs', answers: { q1: true, q2: false, q6: false } },
  ],
  consents: { privacy_notice_version: '2026-11', contact: true },
};
const FAMILY_INTAKE = {
  ...RISK_INTAKE,
  for: 'family',
  relationship: 'partner',
  preferred_name: 'Test Partner',
  contact: { phone: '+1 615 555 0143', preferred: 'phone', voicemail_ok: true, text_ok: false, email_ok: false },
  screenings: [{ instrument: 'phq2', answers: [0, 1] }],
};

let server = null;
let browser = null;
const contexts = [];
let sup = null; // the supervisor's page
let cm = null; // the case manager's page
let member = null; // the member's page
let current = null;
const { step, broken } = makeSteps('live', () => current);
const the = {}; // what later steps need


after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop({ keepData: !!broken() });
  if (broken() && server) console.error(`e2e: data dir kept at ${server.dataDir}; server log in test-results/server.log`);
});

async function open(options = {}) {
  const { context, page } = await newPage(browser, options);
  contexts.push(context);
  current = page;
  return page;
}

/** checkPage leaves the page at 1280 px; member pages are walked at 360 px. */
async function checkMobile(page, name) {
  await checkPage(page, name);
  await page.setViewportSize(MOBILE);
}

/** The page's stream is open (so nothing sent from now on is missed). */
async function liveOn(page) {
  await page.locator('[data-testid="live-status"][data-state="open"]').waitFor();
}

/** A marker that a full page load would wipe out. */
async function markNoReload(page) {
  await page.evaluate(() => {
    window.__noReload = true;
  });
}
async function assertNoReload(page) {
  assert.equal(await page.evaluate(() => window.__noReload === true), true, 'the page was not reloaded');
}

/** The member sends an intake from their own browser (the intake's pages are walked in intake.test.mjs). */
async function memberSends(page, body) {
  const r = await page.evaluate(
    async ({ body, key }) => {
      const res = await fetch('/api/v1/intakes', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    { body, key: randomUUID() },
  );
  assert.equal(r.status, 201, `POST /api/v1/intakes: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const banner = (page) => page.getByTestId('alert-banner');

step('the server starts; a supervisor and a case manager sign in, each in their own browser; both queues are live', async () => {
  server = await startServer();
  for (const u of [SUP, CM]) await server.addUser(u);
  browser = await launchBrowser();
  sup = await open({ timezoneId: 'America/Chicago' });
  await signInAndEnrol(sup, server.url, SUP);
  cm = await open({ timezoneId: 'America/New_York' });
  await signInAndEnrol(cm, server.url, CM);
  await liveOn(sup);
  await liveOn(cm);
  await cm.getByTestId('queue-empty').waitFor();
  assert.equal(await banner(cm).count(), 0, 'no alerts yet');
  await checkPage(cm, 'live-queue-empty');
});

step('duty: the case manager goes on duty (urgent alerts go to those on duty) and the supervisor’s count follows live', async () => {
  current = cm;
  const toggle = cm.getByTestId('duty-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await sup.getByTestId('duty-count').filter({ hasText: '0 on duty' }).waitFor();
  await toggle.click();
  await cm.locator('[data-testid="duty-toggle"][aria-pressed="true"]').waitFor();
  await cm.getByTestId('duty-count').filter({ hasText: '1 on duty' }).waitFor();
  current = sup;
  await sup.getByTestId('duty-count').filter({ hasText: '1 on duty' }).waitFor();
  await checkPage(cm, 'live-on-duty');
});

step('a member sends an intake with a risk answer: the case appears in the queue without a reload, announced politely', async () => {
  member = await open({ locale: 'en-US', timezoneId: 'America/Chicago' });
  await member.setViewportSize(MOBILE);
  await member.goto(server.url + '/intake');
  await expectHeading(member, 'Get support from Soundcheck');
  await markNoReload(cm);
  await markNoReload(sup);
  const receipt = await memberSends(member, RISK_INTAKE);
  assert.equal(receipt.urgent, true, 'a C-SSRS yes makes the case urgent');
  the.reference = receipt.reference;
  current = cm;
  const row = cm.locator(`tr[data-reference="${the.reference}"]`);
  await row.waitFor();
  await row.getByTestId('urgent-badge').waitFor();
  the.caseId = await row.getAttribute('data-case-id');
  await cm.locator('p[role="status"]').filter({ hasText: `New urgent case ${the.reference} in the queue.` }).waitFor();
  await assertNoReload(cm);
});

step('the urgent-case alert banner shows in both consoles, with Acknowledge and a link to the case', async () => {
  for (const page of [cm, sup]) {
    current = page;
    const item = banner(page).locator(`li[data-reference="${the.reference}"]`);
    await item.waitFor();
    assert.equal(await banner(page).getAttribute('role'), 'alert');
    assert.match(await item.innerText(), /acknowledge by|overdue by/);
    await item.getByRole('button', { name: new RegExp(`Acknowledge the alert for case ${the.reference}`) }).waitFor();
    assert.equal(await item.getByRole('link', { name: `Open case ${the.reference}` }).getAttribute('href'), `/cases/${the.caseId}`);
    await assertNoReload(page);
  }
  await checkPage(cm, 'live-queue-alert');
  await checkPage(sup, 'live-queue-alert-supervisor');
});

step('the supervisor acknowledges; the case manager’s banner clears', async () => {
  current = sup;
  await banner(sup).locator(`li[data-reference="${the.reference}"]`).getByTestId('alert-ack').click();
  await sup.getByTestId('alerts-status').filter({ hasText: `You acknowledged the alert for case ${the.reference}` }).waitFor();
  await banner(sup).waitFor({ state: 'detached' });
  current = cm;
  await banner(cm).waitFor({ state: 'detached' });
  await assertNoReload(cm);
  // Acknowledging twice is fine: the first acknowledgement stays.
  const again = await sup.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const { items } = await (await fetch('/api/v1/alerts?state=all')).json();
    const a = items[0];
    const r = await fetch(`/api/v1/alerts/${a.id}/ack`, { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } });
    return { status: r.status, by: (await r.json()).acknowledged_by, me: me.id };
  });
  assert.equal(again.status, 200);
  assert.equal(again.by, again.me);
});

step('the case: the supervisor sees suggested case managers and assigns one; a family case is linked by reference', async () => {
  const family = await memberSends(member, FAMILY_INTAKE);
  current = sup;
  await sup.goto(`${server.url}/cases/${the.caseId}`);
  await expectHeading(sup, 'Test Member');
  const suggestions = sup.getByTestId('suggestions');
  const pick = suggestions.locator('li', { hasText: 'Test Case Manager' });
  await pick.waitFor();
  await checkPage(sup, 'live-case-suggestions');
  await pick.getByRole('button', { name: 'Assign to Test Case Manager' }).click();
  await sup.getByTestId('suggestion-done').filter({ hasText: 'assigned to Test Case Manager' }).waitFor();
  await sup.getByTestId('case-assigned').filter({ hasText: 'Someone else' }).waitFor();

  await sup.getByLabel('Their case reference').fill(family.reference.toLowerCase());
  await sup.getByLabel('They are this person’s').selectOption('partner');
  await sup.getByTestId('link-add').click();
  await sup.getByTestId('link-done').filter({ hasText: family.reference }).waitFor();
  await sup.getByTestId('case-links').getByRole('link', { name: `Case ${family.reference}` }).waitFor();
  await checkPage(sup, 'live-case-linked');
});

step('talk to someone now: the member asks for a call while someone is on duty', async () => {
  current = sup;
  await sup.getByRole('link', { name: 'Support', exact: true }).click();
  await expectHeading(sup, 'Support queue');
  await sup.getByTestId('waiting-empty').waitFor();
  current = cm;
  await cm.getByRole('link', { name: 'Support', exact: true }).click();
  await expectHeading(cm, 'Support queue');
  await cm.getByTestId('waiting-empty').waitFor();
  await markNoReload(cm);
  await markNoReload(sup);

  current = member;
  await member.goto(server.url + '/talk');
  await expectHeading(member, 'Talk to someone now');
  await member.locator('[data-testid="talk-availability"][data-open="true"]').waitFor();
  await member.getByTestId('crisis-footer').getByRole('link', { name: 'Call 988' }).waitFor();
  await checkMobile(member, 'live-talk');
  await member.getByTestId('talk-submit').click();
  await member.getByTestId('error-summary').getByText('Enter a phone number so we can call you').waitFor();
  await checkMobile(member, 'live-talk-errors');
  await member.getByLabel('What should we call you?').fill('Test Member');
  await member.getByLabel('Phone number').fill('+1 615 555 0142');
  await member.getByLabel('No', { exact: true }).check();
  assert.equal(await member.getByLabel('Your time zone').inputValue(), 'America/Chicago', 'the time zone comes from the device');
  await member.getByLabel('Your reference number (optional)').fill(the.reference);
  const reqP = member.waitForRequest((r) => r.url().endsWith('/api/v1/support-requests') && r.method() === 'POST');
  await member.getByTestId('talk-submit').click();
  const req = await reqP;
  const sent = req.postDataJSON();
  assert.match(req.headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(sent, {
    preferred_name: 'Test Member',
    phone: '+1 615 555 0142',
    voicemail_ok: false,
    language: 'en',
    country: 'US',
    time_zone: 'America/Chicago',
    case_reference: the.reference,
    privacy_notice_version: '2026-11',
  });
  await expectHeading(member, 'We will call you shortly');
  assert.match(await member.getByTestId('talk-next').innerText(), /call you on \+1 615 555 0142/);
  assert.match(await member.getByTestId('talk-next').innerText(), /will not leave a voicemail/);
  await checkMobile(member, 'live-talk-waiting');
});

step('the request appears live on both support pages; the supervisor claims it; the case manager’s stale claim is told someone else took it', async () => {
  current = sup;
  const supItem = sup.getByTestId('waiting').locator('li').first();
  await supItem.waitFor();
  current = cm;
  const cmItem = cm.getByTestId('waiting').locator('li').first();
  await cmItem.waitFor();
  await assertNoReload(cm);
  await assertNoReload(sup);
  assert.equal(await supItem.getAttribute('data-request-id'), await cmItem.getAttribute('data-request-id'));
  assert.doesNotMatch(await cmItem.innerText(), /Test Member|555/, 'the list shows no name or phone number');
  await checkPage(cm, 'live-support-waiting');

  // The case manager's list is held back (a slow network), so its Claim button is stale.
  let release;
  const gate = new Promise((r) => (release = r));
  const lists = (url) => url.pathname === '/api/v1/support-requests' && url.searchParams.has('status');
  const hold = async (route) => {
    await gate;
    // Once unrouted, Playwright may have let the request through already.
    await route.continue().catch(() => {});
  };
  await cm.route(lists, hold);
  current = sup;
  await supItem.getByTestId('claim').click();
  await sup.getByTestId('support-done').waitFor();
  const call = sup.getByTestId('my-call');
  await call.getByTestId('call-name').filter({ hasText: 'Test Member' }).waitFor();
  assert.equal(await call.getByTestId('call-phone').getAttribute('href'), 'tel:+16155550142');
  assert.match(await call.getByTestId('call-voicemail').innerText(), /Do not leave a voicemail/);
  await checkPage(sup, 'live-support-claimed');

  current = cm;
  const claimed = cm.waitForResponse((r) => /\/api\/v1\/support-requests\/[^/]+\/claim$/.test(r.url()));
  await cmItem.getByTestId('claim').click();
  assert.equal((await claimed).status(), 409);
  const msg = cm.getByTestId('claim-message');
  await msg.filter({ hasText: 'Someone else took this one' }).waitFor();
  assert.equal(await msg.getAttribute('role'), 'alert');
  await cm.unroute(lists, hold);
  release();
  await cm.getByTestId('waiting-empty').waitFor();
  await checkPage(cm, 'live-support-taken');
});

step('the supervisor closes the call with an outcome', async () => {
  current = sup;
  const call = sup.getByTestId('my-call');
  await call.getByTestId('close-request').click();
  await sup.locator('[id$="-outcome-error"]').waitFor();
  await call.getByLabel('What happened?').selectOption('talked');
  await call.getByLabel('Note (optional)').fill('Talked for 20 minutes; follow-up with the case manager.');
  const closed = sup.waitForResponse((r) => /\/close$/.test(r.url()));
  await call.getByTestId('close-request').click();
  assert.equal((await closed).status(), 200);
  await sup.getByTestId('support-done').filter({ hasText: 'Closed: We talked.' }).waitFor();
  await sup.getByTestId('mine-empty').waitFor();
  await checkPage(sup, 'live-support-closed');
});

step('the rota: the supervisor adds a shift for the case manager tomorrow, shown in the viewer’s zone with its own zone noted', async () => {
  current = sup;
  await sup.getByRole('link', { name: 'Rota', exact: true }).click();
  await expectHeading(sup, 'Rota');
  const tomorrow = await sup.evaluate(() => {
    const d = new Date(Date.now() + 86400_000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  });
  await sup.getByLabel('Who').selectOption({ label: 'Test Case Manager' });
  await sup.getByLabel('Date').fill(tomorrow);
  await sup.getByLabel('Starts').fill('09:00');
  await sup.getByLabel('Ends').fill('17:00');
  await sup.getByLabel('Time zone of these times').selectOption('America/New_York');
  const created = sup.waitForResponse((r) => r.url().endsWith('/api/v1/shifts') && r.request().method() === 'POST');
  await sup.getByTestId('shift-add').click();
  const res = await created;
  assert.equal(res.status(), 201);
  assert.deepEqual(
    (({ starts_at, ends_at, time_zone }) => ({ starts_at, ends_at, time_zone }))(res.request().postDataJSON()),
    { starts_at: `${tomorrow}T09:00`, ends_at: `${tomorrow}T17:00`, time_zone: 'America/New_York' },
  );
  const shift = await res.json();
  the.shift = shift;
  const li = sup.locator(`li[data-shift-id="${shift.id}"]`);
  await li.waitFor();
  const text = await li.innerText();
  // The supervisor's browser is in Chicago: 9–5 New York time is 8–4 there.
  assert.match(text, /8:00\s?AM – 4:00\s?PM/);
  assert.match(text, /Test Case Manager/);
  assert.match(text, /Set in America \/ New York: 9:00\s?AM – 5:00\s?PM/);
  await sup.getByTestId('rota-done').waitFor();
  await checkPage(sup, 'live-rota');

  // The case manager sees it too, as theirs, and cannot pick anyone else.
  current = cm;
  await cm.getByRole('link', { name: 'Rota', exact: true }).click();
  await cm.locator(`li[data-shift-id="${shift.id}"]`).filter({ hasText: 'Test Case Manager (you)' }).waitFor();
  assert.equal(await cm.getByLabel('Who').count(), 0);
  await checkPage(cm, 'live-rota-case-manager');
});

step('off duty, the member books a call in their own time zone and downloads the invite', async () => {
  current = cm;
  await cm.getByTestId('duty-toggle').click();
  await cm.locator('[data-testid="duty-toggle"][aria-pressed="false"]').waitFor();
  await sup.getByTestId('duty-count').filter({ hasText: '0 on duty' }).waitFor();

  // A member in London books a call.
  current = member = await open({ locale: 'en-GB', timezoneId: 'Europe/London' });
  await member.setViewportSize(MOBILE);
  await member.goto(server.url + '/talk');
  await member.locator('[data-testid="talk-availability"][data-open="false"]').waitFor();
  assert.equal(await member.getByLabel('Your time zone').inputValue(), 'Europe/London');
  const days = await member.getByLabel('Which day should we call you?').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(days.length >= 1, 'at least one day with free times');
  // The shift is 9:00–17:00 New York time: 14:00–22:00 in London (13:00–21:00 in the weeks the clocks differ by 4 h).
  await member.getByLabel('Which day should we call you?').selectOption(days[days.length - 1]);
  const slots = member.getByTestId('talk-slots');
  await slots.waitFor();
  const labels = await slots.locator('label').allInnerTexts();
  assert.ok(labels.length > 0);
  assert.match(labels[0], /^(13|14):00 – (13|14):30$/, `the first slot in London time: ${labels[0]}`);
  await checkMobile(member, 'live-talk-book');
  await slots.locator('input').first().check();
  await member.getByLabel('What should we call you?').fill('Test Member');
  await member.getByLabel('Phone number').fill('+44 20 7946 0142');
  await member.getByLabel('Yes', { exact: true }).check();
  await member.getByLabel('Email address (optional)').fill('test.member@example.org');
  const reqP = member.waitForRequest((r) => r.url().endsWith('/api/v1/support-requests') && r.method() === 'POST');
  await member.getByTestId('talk-submit').click();
  const body = (await reqP).postDataJSON();
  assert.equal(body.time_zone, 'Europe/London');
  assert.equal(body.country, 'GB');
  assert.equal(body.email, 'test.member@example.org');
  assert.match(body.slot_start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/);
  the.slot = body.slot_start;
  await expectHeading(member, 'Your call is booked');
  assert.match(await member.getByTestId('talk-next').innerText(), /emailed a calendar invite to test\.member@example\.org/);
  const link = member.getByTestId('talk-ics');
  assert.equal(await link.getAttribute('download'), 'soundcheck-call.ics');
  const [download] = await Promise.all([member.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'soundcheck-call.ics');
  const ics = readFileSync(await download.path(), 'utf8');
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.match(ics, /BEGIN:VEVENT/);
  await checkMobile(member, 'live-talk-booked');
});

step('the booked call is listed by its time on the support page', async () => {
  current = sup;
  await sup.getByRole('link', { name: 'Support', exact: true }).click();
  const booked = sup.getByTestId('booked').locator('li').first();
  await booked.waitFor();
  assert.match(await booked.innerText(), /Their time: .*(GMT|BST|UTC)/);
  await checkPage(sup, 'live-support-booked');
  assert.equal(server.exited, false, 'the server is still running');
});
