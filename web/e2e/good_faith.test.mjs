// The Good Faith Estimate end to end (docs/matching.md), in Debian's chromium against the real
// server binary (SC_BIN, default ../build/bin/soundcheck).
//
// The directory is the binary's own fictitious one (`soundcheck demo generate --providers 400
// --seed 1 --today <today, UTC>`, imported with `soundcheck import hsds` while the server runs;
// the test waits for the matching index to follow). An intake comes in through POST
// /api/v1/intakes for an uninsured member in US-NY asking for therapy.
//
// The walk: a case manager (TOTP) opens the case, adds the first self-pay match to the plan
// ("Add to plan"), and opens the provider item's "Good Faith Estimate": the form says who is owed
// one (this member: uninsured), with the server's defaults (12 sessions of 45 minutes from today,
// an intake visit, the listing's fee). Made as it is, the document shows the case reference (never
// the name), the provider, the dates, the services with their CPT codes, and a total equal to
// 13 × the listing's fee (the intake priced at the session fee, "assumed"); made again with 10
// sessions of 60 minutes at $150 and a $200 intake, in Spanish, the total is 10 × $150 + $200 on
// the page; the print stylesheet leaves only the document. Then a provider item the case manager
// adds by hand, naming a listing that gives no fee (one therapist's cost option is taken out of the
// demo before the import): the estimate is the server's 422 at the session fee field; with a fee
// typed, it is made. Every page state goes through checkPage (axe 0
// violations, no sideways scroll at 360 px, no CSP/script errors, screenshots good-faith-*.png).
//
// One chain: if a step fails, every later step fails naming it (nothing is skipped).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { SCREENSHOT_DIR, checkPage, launchBrowser } from './lib/browser.mjs';
import { expectHeading, expectPath, signInAndEnrol } from './lib/console.mjs';
import { generateDemo, scratchDir } from './lib/directory.mjs';
import { fictionalIntake, finder, importAndFollow, postIntake } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';
import { makeSteps } from './lib/steps.mjs';
import { openPage, tearDown } from './lib/walk.mjs';

const run = randomBytes(4).toString('hex');
const CM = { email: `casey-${run}@soundcheck.test`, name: 'Casey Manager', role: 'case_manager', password: `casey-copper-${run}-lantern-meadow` };
const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const TODAY = iso(Date.now());
const NEXT_WEEK = iso(Date.now() + 7 * DAY);

// An obviously fictitious person with no insurance: owed a Good Faith Estimate.
const INTAKE = fictionalIntake({
  preferred_name: 'Rowan Example',
  contact: { phone: '+1 212 555 0104', preferred: 'text', text_ok: true, voicemail_ok: false },
  insurance: { type: 'none' },
});

let server = null;
let browser = null;
let scratch = null;
const contexts = [];
let page = null;
const the = {};
const { step, broken } = makeSteps('good-faith', () => page);

// Amounts and days as the document writes them in English.
const money = (cents) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: cents % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 }).format(cents / 100);
const cents = (text) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);
const dayText = (day) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** The fields of one CSV line (quoted fields may hold commas and doubled quotes; no line breaks in these files). */
function csvFields(line) {
  return [...line.matchAll(/(?:"((?:[^"]|"")*)"|([^,]*))(?:,|$)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]));
}

/**
 * Takes the fee out of one therapist's listing in the demo folder before it is imported (its
 * cost option rows; the demo gives every therapist one): a listing that gives no fee. Returns its
 * id and name.
 */
function takeOutAFee(demo) {
  const read = (file) => readFileSync(join(demo, file), 'utf8').split('\n');
  const service = read('services.csv')
    .slice(1)
    .filter(Boolean)
    .map(csvFields)
    .filter((r) => r[3].startsWith('Individual therapy'))
    .at(-1);
  assert.ok(service, 'the demo directory has therapists');
  const [header, ...rows] = read('cost_options.csv');
  const kept = rows.filter((l) => csvFields(l)[1] !== service[0]);
  assert.ok(kept.length < rows.length, 'the therapist had a fee');
  writeFileSync(join(demo, 'cost_options.csv'), [header, ...kept].join('\n'));
  return { id: service[0], name: service[3] };
}

/** The document's lines as the page shows them, and the total. */
async function documentOnPage(doc) {
  const lines = await doc.getByTestId('gfe-line').evaluateAll((rows) =>
    rows.map((tr) => ({
      cpt: tr.getAttribute('data-cpt'),
      unit: tr.querySelector('[data-testid="gfe-line-unit"]').textContent,
      quantity: Number(tr.querySelector('[data-testid="gfe-line-quantity"]').textContent),
      amount: tr.querySelector('[data-testid="gfe-line-amount"]').textContent,
    })),
  );
  return { lines, total: await doc.getByTestId('gfe-total').innerText() };
}

/** Submits the estimate's form; returns the request's body and the answer's status. */
async function makeEstimate() {
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/good-faith-estimate`) && r.request().method() === 'POST');
  await page.getByTestId('gfe-submit').click();
  const res = await answered;
  return { body: JSON.parse(res.request().postData()), status: res.status() };
}

before(async () => {
  scratch = scratchDir();
  the.demo = await generateDemo(scratch.dir, { providers: 400, seed: 1, today: TODAY });
  the.noFee = takeOutAFee(the.demo);
  server = await startServer();
  await server.addUser(CM);
  browser = await launchBrowser();
});

after(() => tearDown({ contexts, browser, server, scratch }, broken()));

step('the demo directory is imported and the index follows; an uninsured member in US-NY asks for therapy', async () => {
  const empty = await finder(server.url, 'jurisdiction=US-NY&care_type=individual-therapy');
  await importAndFollow(server, the.demo, empty, 'jurisdiction=US-NY&care_type=individual-therapy');
  const receipt = await postIntake(server.url, INTAKE);
  the.reference = receipt.reference;
});

step('the case manager adds a self-pay match to the plan: its provider item offers a Good Faith Estimate', async () => {
  page = await openPage(browser, contexts);
  await signInAndEnrol(page, server.url, CM);
  const row = page.locator(`tr[data-reference="${the.reference}"]`);
  await row.waitFor();
  the.caseId = await row.getAttribute('data-case-id');
  await row.getByRole('link').first().click();
  await expectPath(page, `/cases/${the.caseId}`);
  await expectHeading(page, 'Rowan Example');
  await page.getByTestId('matches-count').waitFor();

  // The first match with one fee per session (self-pay: the listing's own fee).
  const card = page.getByTestId('match').filter({ has: page.locator('[data-testid="match-cost"] strong', { hasText: /^\$[\d,]+(\.\d\d)? per session$/ }) }).first();
  const cost = (await card.getByTestId('match-cost').locator('strong').innerText()).trim();
  the.feeCents = cents(cost.replace(' per session', ''));
  assert.ok(the.feeCents > 0, `a fee: ${cost}`);
  assert.match(await card.getByTestId('match-cost').innerText(), /Self-pay/);
  the.serviceId = await card.getAttribute('data-service-id');
  the.name = (await card.locator('.match__name').innerText()).trim();
  await card.getByTestId('plan-add').click();
  await card.getByTestId('plan-added').waitFor();

  const plan = page.getByTestId('care-plan');
  await plan.getByTestId('plan-meta').filter({ hasText: 'Version 1' }).waitFor();
  const item = plan.locator(`[data-testid="plan-item"][data-service-id="${the.serviceId}"]`);
  const escaped = the.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const open = item.getByRole('button', { name: new RegExp(`^Good Faith Estimate\\s*: ${escaped}$`) });
  assert.equal(await open.getAttribute('aria-expanded'), 'false', 'the button names the item it is for');
  await checkPage(page, 'good-faith-plan');
});

step('the estimate’s form: who is owed one (this member: uninsured) and the defaults; keyboard only', async () => {
  const item = page.locator(`[data-testid="plan-item"][data-service-id="${the.serviceId}"]`);
  await item.getByTestId('gfe-open').focus();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('gfe');
  await panel.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'gfe-title');
  assert.equal(await item.getByTestId('gfe-open').getAttribute('aria-expanded'), 'true');
  assert.equal(await panel.getByRole('heading', { level: 3 }).innerText(), `Good Faith Estimate: ${the.name}`);
  const who = panel.getByTestId('gfe-who');
  assert.equal(await who.getAttribute('data-entitlement'), 'uninsured');
  assert.match(await who.innerText(), /owed to members who are uninsured or pay for their care themselves \(self-pay\)/);
  assert.match(await who.innerText(), /This member said they have no insurance, so they are owed one\./);
  assert.equal(await panel.getByLabel('Sessions').inputValue(), '12');
  assert.equal(await panel.getByLabel('Session length').inputValue(), '45');
  assert.deepEqual(await panel.getByLabel('Session length').locator('option').allInnerTexts(), ['30 minutes (CPT 90832)', '45 minutes (CPT 90834)', '60 minutes (CPT 90837)']);
  assert.equal(await panel.getByLabel('First session').inputValue(), TODAY);
  assert.equal(await panel.getByLabel('Starts with an intake visit (CPT 90791)').isChecked(), true);
  assert.equal(await panel.getByLabel('Session fee ($, optional)').inputValue(), '');
  assert.equal(await panel.getByLabel('Language of the estimate').inputValue(), 'en');
  await checkPage(page, 'good-faith-form');
});

step('made with the defaults: the listing’s fee for 12 sessions and the intake; the total is on the page', async () => {
  const { body, status } = await makeEstimate();
  assert.equal(status, 200);
  assert.deepEqual(body, { service_id: the.serviceId, sessions: 12, session_minutes: 45, first_session_on: TODAY, intake_visit: true });
  const doc = page.getByTestId('gfe-doc');
  await doc.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'gfe-doc-title');
  assert.equal(await doc.getAttribute('lang'), 'en');
  assert.equal(await doc.getByTestId('gfe-member').innerText(), the.reference);
  assert.ok(!(await doc.innerText()).includes('Rowan'), 'the member is named by case reference only');
  assert.equal(await doc.getByTestId('gfe-provider').innerText(), the.name);
  assert.equal(await doc.getByTestId('gfe-issued').innerText(), dayText(TODAY));
  assert.equal(await doc.getByTestId('gfe-first').innerText(), dayText(TODAY));
  const shown = await documentOnPage(doc);
  const fee = money(the.feeCents);
  assert.deepEqual(shown.lines, [
    { cpt: '90791', unit: fee, quantity: 1, amount: fee },
    { cpt: '90834', unit: fee, quantity: 12, amount: money(12 * the.feeCents) },
  ]);
  assert.equal(shown.total, money(13 * the.feeCents), '12 sessions and the intake, at the listing’s fee');
  assert.equal(cents(shown.total), shown.lines.reduce((sum, l) => sum + cents(l.unit) * l.quantity, 0), 'the total is the lines’ sum as shown');
  assert.equal(await doc.getByTestId('gfe-notices').locator('li').count(), 4);
  assert.match(await doc.getByTestId('gfe-notices').innerText(), /at least \$400 more than this estimate/);
  assert.match(await doc.getByTestId('gfe-missing').innerText(), /National Provider Identifier \(NPI\)[\s\S]*Taxpayer Identification Number \(TIN\)[\s\S]*Diagnosis codes/);
  assert.match(await doc.getByTestId('gfe-assumed').innerText(), /The first visit is priced at the session fee/);
  await checkPage(page, 'good-faith-estimate');
});

step('made again: 10 sessions of 60 minutes at $150 and a $200 intake, in Spanish; printed on its own', async () => {
  const panel = page.getByTestId('gfe');
  await panel.getByLabel('Sessions').fill('10');
  await panel.getByLabel('Session length').selectOption('60');
  await panel.getByLabel('First session').fill(NEXT_WEEK);
  await panel.getByLabel('Session fee ($, optional)').fill('150');
  await panel.getByLabel('Intake visit fee ($, optional)').fill('200');
  await panel.getByLabel('Language of the estimate').selectOption('es');
  const { body, status } = await makeEstimate();
  assert.equal(status, 200);
  assert.deepEqual(body, {
    service_id: the.serviceId,
    sessions: 10,
    session_minutes: 60,
    first_session_on: NEXT_WEEK,
    intake_visit: true,
    session_fee_cents: 15000,
    intake_fee_cents: 20000,
  });
  const doc = page.getByTestId('gfe-doc');
  await doc.locator('[data-cpt="90837"]').waitFor();
  assert.equal(await doc.getAttribute('lang'), 'es');
  assert.equal(await doc.getByRole('heading', { level: 4 }).innerText(), 'Estimado de buena fe');
  const shown = await documentOnPage(doc);
  assert.deepEqual(
    shown.lines.map((l) => [l.cpt, cents(l.unit), l.quantity, cents(l.amount)]),
    [
      ['90791', 20000, 1, 20000],
      ['90837', 15000, 10, 150000],
    ],
  );
  assert.equal(cents(shown.total), 10 * 15000 + 20000, 'sessions × fee + the intake');
  assert.equal(await doc.getByTestId('gfe-assumed').count(), 0, 'nothing assumed: the intake has its own fee');
  assert.match(await doc.getByTestId('gfe-notices').innerText(), /Tienes derecho a recibir un Estimado de buena fe/);
  await checkPage(page, 'good-faith-estimate-es');

  // "Print the estimate" prints with body.print-gfe: on paper, only the document.
  await page.evaluate(() => {
    window.__printed = null;
    window.print = () => {
      window.__printed = document.body.classList.contains('print-gfe');
    };
  });
  await page.getByTestId('gfe-print').click();
  assert.equal(await page.evaluate(() => window.__printed), true, 'the print stylesheet is on while printing');
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('header.header').isVisible(), false, 'no navigation on paper');
    assert.equal(await page.getByTestId('matches').isVisible(), false, 'no other section of the case');
    assert.equal(await page.getByTestId('plan-item').first().isVisible(), false, 'not the plan itself');
    assert.equal(await page.getByTestId('gfe-form').isVisible(), false, 'not the form');
    assert.equal(await page.getByTestId('gfe-who').isVisible(), false);
    assert.equal(await page.getByTestId('gfe-print').isVisible(), false);
    assert.ok(await doc.isVisible(), 'the estimate is printed');
    assert.ok(await doc.getByTestId('gfe-total').isVisible());
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'good-faith-print.png'), fullPage: true });
  } finally {
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  }
  assert.equal(await page.evaluate(() => document.body.classList.contains('print-gfe')), false, 'after printing the page is as it was');

  // Closing gives focus back to the item's button.
  await page.getByTestId('gfe-close').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'gfe-open');
  assert.equal(await page.getByTestId('gfe').count(), 0);
});

step('a provider item naming a listing that gives no fee: the server’s 422 at the session fee; with a fee, the estimate', async () => {
  const plan = page.getByTestId('care-plan');
  await plan.getByTestId('plan-edit').click();
  const form = plan.getByTestId('plan-form');
  await form.getByTestId('plan-item-add').click();
  const added = form.getByTestId('plan-item-form').nth(1);
  assert.equal(await added.getByLabel('Kind').inputValue(), 'provider');
  await added.getByLabel('Title').fill('Therapist the member found');
  await added.getByLabel('Directory listing (optional)').fill(the.noFee.id);
  await form.getByTestId('plan-save').click();
  await plan.getByTestId('plan-message').filter({ hasText: 'saved as version 2' }).waitFor();

  const item = plan.locator(`[data-testid="plan-item"][data-service-id="${the.noFee.id}"]`);
  await item.getByTestId('gfe-open').click();
  const panel = page.getByTestId('gfe');
  await panel.getByRole('heading', { level: 3, name: 'Good Faith Estimate: Therapist the member found' }).waitFor();
  let made = await makeEstimate();
  assert.equal(made.status, 422);
  assert.equal('session_fee_cents' in made.body, false, 'no fee typed: the listing’s was asked for');
  const error = page.locator('#gfe-session_fee_cents-error');
  await error.waitFor();
  assert.match(await error.innerText(), /The listing gives no fee: ask the provider, then enter it\./);
  assert.equal(await page.locator('#gfe-session_fee_cents').getAttribute('aria-invalid'), 'true');
  assert.match(await panel.getByTestId('error-summary').innerText(), /The listing gives no fee/);
  assert.equal(await panel.getByTestId('gfe-doc').count(), 0);
  await checkPage(page, 'good-faith-422');

  await panel.getByLabel('Sessions').fill('6');
  await panel.getByLabel('Starts with an intake visit (CPT 90791)').uncheck();
  await panel.getByLabel('Session fee ($, optional)').fill('80');
  made = await makeEstimate();
  assert.equal(made.status, 200);
  assert.deepEqual(made.body, { service_id: the.noFee.id, sessions: 6, session_minutes: 45, first_session_on: TODAY, intake_visit: false, session_fee_cents: 8000 });
  const doc = panel.getByTestId('gfe-doc');
  await doc.waitFor();
  assert.equal(await page.locator('#gfe-session_fee_cents-error').count(), 0, 'the error is gone');
  assert.equal(await doc.getByTestId('gfe-provider').innerText(), the.noFee.name);
  const shown = await documentOnPage(doc);
  assert.deepEqual(shown.lines, [{ cpt: '90834', unit: '$80', quantity: 6, amount: '$480' }]);
  assert.equal(shown.total, '$480', '6 sessions × $80, no intake');
  await checkPage(page, 'good-faith-typed-fee');
});
