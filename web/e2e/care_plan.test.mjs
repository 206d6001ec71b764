// The care plan end to end (docs/matching.md, "Care plans"), in Debian's chromium against the
// real server binary (SC_BIN, default ../build/bin/soundcheck).
//
// The directory is the binary's own fictitious one (`soundcheck demo generate --providers 400
// --seed 1 --today <today, UTC>`, imported with `soundcheck import hsds` while the server runs;
// the test waits for the matching index to follow). An URGENT intake (a PHQ-9 with item 9 ≥ 1)
// comes in through POST /api/v1/intakes for a member in US-NY asking for therapy, with a demo
// plan and an email address, so the member gets status links through a little SMTP sink
// (lib/smtp.mjs) the server is pointed at.
//
// The walk: a case manager (TOTP) opens the case, sees the matches with their reasons and costs,
// "Add to plan" on the first one (PUT with If-Match "0"): version 1 with the provider item and
// its cost, and the sign-off notice (no button for a case manager); the same listing is not
// offered again. An edit adds a goal, a second item naming a listing that does not exist (the
// server's 422 at that field, the edit kept), then, without it, meets a save made meanwhile in
// another tab (412: theirs shown beside ours, ours kept) and is saved over it: version 3; version 1 opens
// read-only; the print stylesheet leaves only the plan. The member opens the link mailed with
// the intake: their status page says the plan is not there yet (not before the sign-off). A
// supervisor (TOTP) opens the case and signs off version 3 (If-Match "3"). The member asks for a
// new link, opens it from the sink's mail, and sees the plan — the provider item, the text for
// them, the cost — and never the staff notes; "Print my plan". Every page state goes through
// checkPage (axe 0 violations, no sideways scroll at 360 px, no CSP/script errors, screenshots
// care-plan-*.png).
//
// One chain: if a step fails, every later step fails naming it (nothing is skipped).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, checkPage, launchBrowser } from './lib/browser.mjs';
import { expectHeading, expectPath, signInAndEnrol } from './lib/console.mjs';
import { generateDemo, scratchDir } from './lib/directory.mjs';
import { fictionalIntake, finder, importAndFollow, postIntake } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';
import { startSmtpSink } from './lib/smtp.mjs';
import { makeSteps } from './lib/steps.mjs';
import { openPage, sleep, tearDown } from './lib/walk.mjs';

const run = randomBytes(4).toString('hex');
const CM = { email: `casey-${run}@soundcheck.test`, name: 'Casey Manager', role: 'case_manager', password: `casey-copper-${run}-lantern-meadow` };
const SUP = { email: `sam-${run}@soundcheck.test`, name: 'Sam Supervisor', role: 'supervisor', password: `sam-silver-${run}-harbour-willow` };
const EMAIL = `plan.member.${run}@example.org`;
const MOBILE = { width: 360, height: 740 };
const TODAY = new Date().toISOString().slice(0, 10);

// An obviously fictitious person. PHQ-9 item 9 ≥ 1 makes the case urgent; the plan is one of
// the demo directory's fictional ones.
const INTAKE = fictionalIntake({
  preferred_name: 'Jordan Example',
  contact: { email: EMAIL, phone: '+1 212 555 0102', preferred: 'email', email_ok: true, text_ok: false, voicemail_ok: false },
  screenings: [{ instrument: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] }],
});

const GOAL = 'Sleep through the night on tour';
const FOR_MEMBER = 'A therapist who sees people online. Your case manager will call you to set up the first session.';
const STAFF_NOTE = `Staff only: ask the practice about evening slots (${run})`;
const MISSING_LISTING = '0195b000-0000-7000-8000-0000000000aa';

let server = null;
let smtp = null;
let browser = null;
let scratch = null;
const contexts = [];
let page = null;
const the = {};
const { step, broken } = makeSteps('care-plan', () => page);

async function open(options) {
  page = await openPage(browser, contexts, options);
  return page;
}

/** The newest status link mailed to `to` ("/status#t=…"), once at least `min` have arrived. */
async function mailedLink(to, min) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const links = smtp.mails.filter((m) => m.to.includes(to)).map((m) => /\/status#t=([A-Za-z0-9._~-]+)/.exec(m.text)?.[0] ?? '');
    if (links.length >= min) {
      assert.ok(links[links.length - 1], 'the mail has a status link');
      return links[links.length - 1];
    }
    if (Date.now() > deadline) throw new Error(`${links.length} of ${min} status links mailed to ${to} within 30 s`);
    await sleep(200);
  }
}

// Amounts as the console and the member page write them.
const money = (cents) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: cents % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);

/** Opens the case from the queue (the row of our reference). */
async function openCase() {
  const row = page.locator(`tr[data-reference="${the.reference}"]`);
  await row.waitFor();
  the.caseId = await row.getAttribute('data-case-id');
  await row.getByRole('link').first().click();
  await expectPath(page, `/cases/${the.caseId}`);
  await expectHeading(page, 'Jordan Example');
  await page.getByTestId('care-plan').waitFor();
}

before(async () => {
  scratch = scratchDir();
  the.demo = await generateDemo(scratch.dir, { providers: 400, seed: 1, today: TODAY });
  smtp = await startSmtpSink();
  server = await startServer({
    env: { SOUNDCHECK_MAIL_SMTP_URL: smtp.url, SOUNDCHECK_MAIL_FROM: 'Soundcheck <noreply@soundcheck.test>', SOUNDCHECK_MAIL_STARTTLS: 'false' },
  });
  await server.addUser(CM);
  await server.addUser(SUP);
  browser = await launchBrowser();
});

after(() => tearDown({ contexts, browser, server, smtp, scratch }, broken()));

step('the demo directory is imported and the index follows; an urgent intake comes in for a member in US-NY asking for therapy', async () => {
  const empty = await finder(server.url, 'jurisdiction=US-NY&care_type=individual-therapy');
  await importAndFollow(server, the.demo, empty, 'jurisdiction=US-NY&care_type=individual-therapy');

  const receipt = await postIntake(server.url, INTAKE);
  the.reference = receipt.reference;
  assert.equal(receipt.status_link_sent, true, 'a status link is mailed with the intake');
});

step('the case manager opens the urgent case: matches with reasons and costs; no plan yet', async () => {
  await open();
  await signInAndEnrol(page, server.url, CM);
  await openCase();
  await page.getByTestId('case-flags').waitFor();
  const plan = page.getByTestId('care-plan');
  await plan.getByRole('heading', { level: 2, name: 'Care plan' }).waitFor();
  await plan.getByTestId('plan-empty').waitFor();
  assert.match(await plan.getByTestId('plan-urgent-hint').innerText(), /urgent case: its plan reaches the member only after a supervisor signs it off/);

  await page.getByTestId('matches-count').waitFor();
  const card = page.getByTestId('match').first();
  const met = await card.getByTestId('match-met').innerText();
  assert.match(met, /Offers individual therapy/);
  assert.match(met, /Licensed in US-NY until \d{1,2} [A-Z][a-z]{2} \d{4}/);
  assert.match(met, /In network for Sustain Health \(DEMO\) · Silver PPO/);
  the.cardCost = (await card.getByTestId('match-cost').locator('strong').innerText()).trim();
  assert.match(the.cardCost, /^(\$\d[\d,]*(\.\d\d)?(–\$\d[\d,]*(\.\d\d)?)? per session|from \$\d+ per session|Cost unknown)$/);
  the.serviceId = await card.getAttribute('data-service-id');
  the.name = (await card.locator('.match__name').innerText()).trim();
  await card.getByTestId('plan-add').waitFor();
  await checkPage(page, 'care-plan-case-empty');
});

step('"Add to plan" on the first match: version 1 with the provider item and its cost, and the sign-off notice', async () => {
  const card = page.getByTestId('match').first();
  const put = page.waitForRequest((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/plan`) && r.method() === 'PUT');
  await card.getByTestId('plan-add').click();
  const req = await put;
  assert.equal(req.headers()['if-match'], '"0"');
  const body = JSON.parse(req.postData());
  assert.equal(body.items.length, 1);
  const item = body.items[0];
  assert.equal(item.kind, 'provider');
  assert.equal(item.status, 'proposed');
  assert.equal(item.service_id, the.serviceId);
  assert.equal(item.title, the.name);
  assert.ok(Number.isInteger(item.sessions) && item.sessions >= 1, 'the sessions of the series the match was made for');
  assert.match(item.starts_on, /^\d{4}-\d{2}-\d{2}$/);
  the.item = item;
  if (the.cardCost === 'Cost unknown') assert.equal(item.cost, null, 'no estimate without a fee');
  else if (the.cardCost.startsWith('from ')) {
    // No upper bound: the low end, and no upper limit known, sent as a null high end.
    assert.ok('high_cents' in item.cost, 'the high end is sent');
    assert.equal(item.cost.high_cents, null);
    assert.equal(`from ${money(item.cost.low_cents)} per session`, the.cardCost);
  } else {
    assert.equal(item.cost.basis, 'in_network');
    assert.equal(item.cost.per, 'session');
    const amount = item.cost.low_cents === item.cost.high_cents ? money(item.cost.low_cents) : `${money(item.cost.low_cents)}–${money(item.cost.high_cents)}`;
    assert.equal(`${amount} per session`, the.cardCost, 'the cost the match worked out, in cents');
  }

  const added = card.getByTestId('plan-added');
  await added.waitFor();
  assert.match(await added.innerText(), /Added to the care plan as a proposed item \(version 1\)\. A supervisor must sign it off before the member sees it\./);
  assert.equal(await card.getByTestId('plan-add').count(), 0, 'the same listing is not offered twice');

  const plan = page.getByTestId('care-plan');
  await plan.getByTestId('plan-meta').filter({ hasText: 'Version 1, saved by You' }).waitFor();
  const shown = plan.locator(`[data-testid="plan-item"][data-service-id="${the.serviceId}"]`);
  await shown.waitFor();
  assert.equal((await shown.locator('.plan-item__title').innerText()).trim(), the.name);
  assert.equal(await shown.getByTestId('plan-item-kind').innerText(), 'Provider');
  assert.equal(await shown.getByTestId('plan-item-status').innerText(), 'Proposed');
  const cost = await shown.getByTestId('plan-item-cost').innerText();
  const recorded = !item.cost ? 'No estimate' : item.cost.high_cents === null ? `${the.cardCost} (no upper limit known) (In network)` : `${the.cardCost} (In network)`;
  assert.equal(cost, recorded);
  assert.equal(await shown.getByTestId('plan-item-listing').getAttribute('href'), `/directory/services/${the.serviceId}`);
  const notice = plan.getByTestId('plan-sign-off-notice');
  assert.match(await notice.innerText(), /This urgent case’s plan reaches the member only after a supervisor signs it off\./);
  assert.match(await notice.innerText(), /Version 1 is not signed off yet\. The member sees no plan until then\./);
  assert.equal(await plan.getByTestId('plan-sign-off').count(), 0, 'a case manager cannot sign off');
  assert.match(await plan.getByTestId('plan-versions').innerText(), /Version 1, You, .* Not signed off/);

  // "Open it in the plan" goes to the item.
  await card.getByTestId('plan-open-item').click();
  await page.waitForFunction((id) => document.activeElement?.getAttribute('data-service-id') === id, the.serviceId);
  await checkPage(page, 'care-plan-case-added');
});

step('editing in place: a 422 at its field; a 412 shows the other save beside ours; then version 3 with a goal and the member’s text', async () => {
  const plan = page.getByTestId('care-plan');
  await plan.getByTestId('plan-edit').click();
  const form = plan.getByTestId('plan-form');
  await form.getByRole('heading', { name: 'Edit the plan (from version 1)' }).waitFor();
  await form.getByTestId('plan-goal-add').click();
  await form.getByLabel('Goal 1', { exact: true }).fill(GOAL);
  const first = form.getByTestId('plan-item-form').nth(0);
  await first.getByLabel('Goal', { exact: true }).selectOption({ label: `Goal 1: ${GOAL}` });
  await first.getByLabel('Staff notes (optional)').fill(STAFF_NOTE);
  await first.getByLabel('For the member (optional)').fill(FOR_MEMBER);
  await form.getByTestId('plan-item-add').click();
  const second = form.getByTestId('plan-item-form').nth(1);
  await second.getByLabel('Kind').selectOption('resource');
  await second.getByLabel('Title').fill('Peer support group for touring crew');
  await second.getByLabel('Directory listing (optional)').fill(MISSING_LISTING);
  await second.getByLabel('From ($)').fill('0');
  await second.getByLabel('Based on').selectOption('free');

  let answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/plan`) && r.request().method() === 'PUT');
  await form.getByTestId('plan-save').click();
  let res = await answered;
  assert.equal(res.status(), 422);
  assert.equal(res.request().headers()['if-match'], '"1"');
  await page.locator('#plan-items-1-service_id-error').waitFor();
  assert.match(await page.locator('#plan-items-1-service_id-error').innerText(), /No directory listing has this id\./);
  assert.match(await form.getByTestId('error-summary').innerText(), /No directory listing has this id\./);
  assert.equal(await first.getByLabel('For the member (optional)').inputValue(), FOR_MEMBER, 'the edit is kept');
  await checkPage(page, 'care-plan-422');

  await second.getByLabel('Directory listing (optional)').fill('');
  // Meanwhile the plan is saved in another tab (the item agreed): our save is a 412, theirs is
  // shown beside our edit, which is kept; saving again puts ours on top of theirs.
  const other = await page.evaluate(async (caseId) => {
    const me = await (await fetch('/api/v1/me')).json();
    const cur = await (await fetch(`/api/v1/cases/${caseId}/plan`)).json();
    const res = await fetch(`/api/v1/cases/${caseId}/plan`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': `"${cur.version}"`, 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({ goals: cur.goals, items: cur.items.map((i) => ({ ...i, status: 'agreed' })) }),
    });
    return res.status;
  }, the.caseId);
  assert.equal(other, 200);
  answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/plan`) && r.request().method() === 'PUT');
  await form.getByTestId('plan-save').click();
  res = await answered;
  assert.equal(res.status(), 412);
  const conflict = form.getByTestId('plan-conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /You saved version 2 in another tab or window while editing here/);
  assert.match(await conflict.getByTestId('plan-conflict-changes').innerText(), /status \(Proposed → Agreed\)/);
  assert.equal(await form.getByTestId('plan-theirs').getByTestId('plan-item-status').innerText(), 'Agreed');
  assert.equal(await first.getByLabel('For the member (optional)').inputValue(), FOR_MEMBER, 'our edit is kept');
  assert.equal(await form.getByTestId('plan-item-form').count(), 2);
  await checkPage(page, 'care-plan-412');

  answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/plan`) && r.request().method() === 'PUT');
  await form.getByTestId('plan-save').click();
  res = await answered;
  assert.equal(res.status(), 200);
  assert.equal(res.request().headers()['if-match'], '"2"', 'saved over the version we were shown');
  const saved = JSON.parse(res.request().postData());
  assert.equal(saved.items[0].cost?.low_cents ?? null, the.item.cost?.low_cents ?? null, 'the estimate kept, in cents');
  assert.equal(saved.items[1].cost.high_cents, 0, 'a fixed amount: the high end is the low end');
  await plan.getByTestId('plan-message').filter({ hasText: 'saved as version 3' }).waitFor();
  assert.match(await plan.getByTestId('plan-message').innerText(), /A supervisor must sign it off before the member sees it\./);
  await plan.getByRole('heading', { level: 3, name: `Goal 1: ${GOAL}` }).waitFor();
  const shown = plan.locator(`[data-testid="plan-item"][data-service-id="${the.serviceId}"]`);
  assert.equal(await shown.getByTestId('plan-item-for-member').innerText(), FOR_MEMBER);
  assert.equal(await shown.getByTestId('plan-item-notes').innerText(), STAFF_NOTE);
  assert.equal(await plan.getByTestId('plan-item').count(), 2);
  assert.match(await plan.getByTestId('plan-sign-off-notice').innerText(), /Version 3 is not signed off yet/);
  await checkPage(page, 'care-plan-case-v3');
});

step('the versions: version 1 opens read-only; the plan prints on its own', async () => {
  const plan = page.getByTestId('care-plan');
  const rows = plan.getByTestId('plan-versions').locator('li');
  assert.deepEqual(await rows.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-version'))), ['3', '2', '1']);
  await rows.nth(2).getByRole('button', { name: 'Open version 1' }).click();
  const old = plan.getByTestId('plan-old-version');
  await old.waitFor();
  assert.match(await old.innerText(), /Version 1 \(read-only\)/);
  assert.equal(await old.getByTestId('plan-item').count(), 1, 'as it was saved: one item, no goal');
  assert.equal(await plan.getByTestId('plan-edit').count(), 0);
  await checkPage(page, 'care-plan-version-1');
  await plan.getByTestId('plan-back-to-newest').click();
  await plan.getByTestId('plan-meta').filter({ hasText: 'Version 3' }).waitFor();

  // "Print plan" prints with body.print-care-plan: on paper, only the plan.
  await page.evaluate(() => {
    window.__printed = null;
    window.print = () => {
      window.__printed = document.body.classList.contains('print-care-plan');
    };
  });
  await plan.getByTestId('plan-print').click();
  assert.equal(await page.evaluate(() => window.__printed), true, 'the print stylesheet is on while printing');
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('header.header').isVisible(), false, 'no navigation on paper');
    assert.equal(await page.getByTestId('matches').isVisible(), false, 'no other section of the case');
    assert.equal(await page.getByTestId('next-step').isVisible(), false);
    assert.equal(await plan.getByTestId('plan-versions').isVisible(), false);
    assert.equal(await plan.getByTestId('plan-print').isVisible(), false);
    assert.ok(await plan.getByTestId('plan-item').first().isVisible(), 'the plan is printed');
    assert.match(await plan.locator('.care-plan__print-head').innerText(), new RegExp(`Jordan Example · Case ${the.reference} · Version 3`));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'care-plan-print.png'), fullPage: true });
  } finally {
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  }
  assert.equal(await page.evaluate(() => document.body.classList.contains('print-care-plan')), false, 'after printing the page is as it was');
});

step('the member, before the sign-off: their status page says the plan is not there yet', async () => {
  await open({ locale: 'en-US', timezoneId: 'America/New_York' });
  await page.setViewportSize(MOBILE);
  const link = await mailedLink(EMAIL, 1);
  const exchanged = page.waitForResponse((r) => r.url().endsWith('/api/v1/member/sessions'));
  await page.goto(server.url + link);
  assert.equal((await exchanged).status(), 200);
  await expectHeading(page, 'Your request');
  assert.equal((await page.getByTestId('status-reference').innerText()).trim(), the.reference);
  const plan = page.getByTestId('member-plan');
  await plan.waitFor();
  assert.equal(await plan.getAttribute('data-plan'), 'none');
  assert.equal(await plan.getByTestId('member-plan-none').innerText(), 'Your plan will appear here once your case manager has made it with you.');
  assert.equal(await page.getByTestId('member-plan-item').count(), 0);
  await checkPage(page, 'care-plan-member-before');
});

step('the supervisor opens the case and signs off version 3', async () => {
  await open();
  await signInAndEnrol(page, server.url, SUP);
  await openCase();
  const plan = page.getByTestId('care-plan');
  await plan.getByTestId('plan-meta').filter({ hasText: 'Version 3, saved by Casey Manager' }).waitFor();
  const button = plan.getByTestId('plan-sign-off');
  assert.equal(await button.innerText(), 'Sign off version 3');
  await checkPage(page, 'care-plan-supervisor');
  const post = page.waitForRequest((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/plan/sign-off`) && r.method() === 'POST');
  await button.click();
  assert.equal((await post).headers()['if-match'], '"3"');
  await plan.getByTestId('plan-message').filter({ hasText: 'Version 3 is signed off' }).waitFor();
  assert.match(await plan.getByTestId('plan-signed').innerText(), /Version 3 signed off by You on /);
  assert.equal(await plan.getByTestId('plan-sign-off-notice').count(), 0);
  assert.match(await plan.getByTestId('plan-versions').locator('li[data-version="3"]').innerText(), /Signed off/);
  await checkPage(page, 'care-plan-signed');
});

step('the member asks for a new link, opens it from the mail, and sees the plan — never the staff notes', async () => {
  await open({ locale: 'en-US', timezoneId: 'America/New_York' });
  await page.setViewportSize(MOBILE);
  await page.goto(server.url + '/status');
  await expectHeading(page, 'Check where your request is');
  await page.getByLabel('Email address').fill(EMAIL);
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/member/links'));
  await page.getByTestId('status-send').click();
  assert.equal((await asked).status(), 202);
  await page.getByTestId('status-sent').waitFor();
  const link = await mailedLink(EMAIL, 2);
  await page.goto(server.url + link);
  await expectHeading(page, 'Your request');
  const plan = page.getByTestId('member-plan');
  await plan.getByTestId('member-plan-item').first().waitFor();
  assert.equal(await plan.getAttribute('data-plan'), '3', 'the version signed off');
  await plan.getByRole('heading', { level: 3, name: `Goal 1: ${GOAL}` }).waitFor();
  const item = plan.getByTestId('member-plan-item').filter({ has: page.getByRole('heading', { level: 4, name: the.name }) });
  assert.equal(await item.count(), 1, 'the provider item');
  assert.equal(await item.getByTestId('member-plan-for-member').innerText(), FOR_MEMBER);
  assert.equal(await item.getByTestId('member-plan-kind').innerText(), 'Care from a provider');
  assert.equal(await item.getByTestId('member-plan-status').innerText(), 'Suggested');
  if (the.item.cost) {
    const c = the.item.cost;
    const amount = c.low_cents === c.high_cents ? money(c.low_cents) : `${money(c.low_cents)} to ${money(c.high_cents)}`;
    assert.equal(
      await item.getByTestId('member-plan-cost').innerText(),
      c.high_cents === null ? `from ${money(c.low_cents)} per session (the highest it could cost is not known yet)` : `${amount} per session`,
    );
    assert.equal(await item.getByTestId('member-plan-basis').innerText(), 'In your insurance’s network');
  }
  assert.match(await item.innerText(), new RegExp(`\\b${the.item.sessions} sessions?\\b`));
  const other = plan.getByTestId('member-plan-item').filter({ hasText: 'Peer support group for touring crew' });
  assert.equal(await other.getByTestId('member-plan-cost').innerText(), 'Free');
  assert.ok(!(await page.locator('body').innerText()).includes(STAFF_NOTE), 'staff notes never reach the member');
  await checkPage(page, 'care-plan-member');

  // "Print my plan": the browser's print, with the page's print stylesheet.
  await page.evaluate(() => {
    window.__printed = false;
    window.print = () => {
      window.__printed = true;
    };
  });
  await plan.getByTestId('member-plan-print').click();
  assert.equal(await page.evaluate(() => window.__printed), true);
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('header.header').isVisible(), false, 'no header or language switch on paper');
    assert.equal(await page.getByTestId('status-sign-out').isVisible(), false);
    assert.equal(await plan.getByTestId('member-plan-print').isVisible(), false);
    assert.ok(await item.isVisible());
    assert.match(await plan.locator('.print-only').innerText(), new RegExp(`Plan for request ${the.reference}`));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'care-plan-member-print.png'), fullPage: true });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

step('in Spanish: /es/status shows the same plan with its labels translated', async () => {
  await page.goto(server.url + '/es/status');
  await expectHeading(page, 'Tu solicitud');
  const plan = page.getByTestId('member-plan');
  await plan.getByRole('heading', { level: 2, name: 'Tu plan' }).waitFor();
  await plan.getByRole('heading', { level: 3, name: `Meta 1: ${GOAL}` }).waitFor();
  const item = plan.getByTestId('member-plan-item').first();
  assert.equal(await item.getByTestId('member-plan-kind').innerText(), 'Atención de un profesional');
  assert.equal(await item.getByTestId('member-plan-status').innerText(), 'Sugerido');
  if (the.item.cost) assert.match(await item.getByTestId('member-plan-cost').innerText(), /por sesión$/);
  assert.equal(await plan.getByTestId('member-plan-print').innerText(), 'Imprimir mi plan');
  await checkPage(page, 'care-plan-member-es');
});
