// Matching end to end (docs/matching.md), in Debian's chromium against the real server binary
// (SC_BIN, default ../build/bin/soundcheck): "Find care" on a case page and the public finder.
//
// The directory is the binary's own fictitious one, `soundcheck demo generate --providers 400
// --seed 1 --today <today, UTC>` (the server judges openings and licences against its real
// clock, so the demo's dates are made relative to the real today), imported with `soundcheck
// import hsds` while the server runs; the test waits for the matching index to follow (its
// snapshot_version rises). A member in US-NY asking for therapy, with a plan the demo carriers
// know, comes in through POST /api/v1/intakes.
//
// A case manager (TOTP enrolled on first sign-in) opens the case: the matches come with their
// reasons and costs (the first request's body is {}); a tour stop in US-CA over weeks 2–3 of a
// 4-session series flags the dates a provider cannot cover; "In person only" without a point is
// the server's 422 at the latitude field, the form kept; asking for Korean only leaves too few,
// and "Any language — N results" runs it again with languages []; the search's facts are saved as
// the case's care profile, and starting again from the case keeps them. Then /finder, signed out: the
// providers and community resources for US-NY individual therapy, in English and in Spanish,
// and "How to reach them" on the first provider (read from its HSDS record when opened).
// Every page state goes through checkPage (axe 0 violations, no sideways scroll at 360 px, no
// CSP/script errors, screenshots matching-*.png and finder-*.png).
//
// One chain: if a step fails, every later step fails naming it (nothing is skipped).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { checkPage, launchBrowser } from './lib/browser.mjs';
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
// A weekly series of 4 from a week ahead; the tour stop covers sessions 2 and 3.
const FIRST = iso(Date.now() + 7 * DAY);
const STOP_FROM = iso(Date.now() + 12 * DAY);
const STOP_TO = iso(Date.now() + 25 * DAY);

// An obviously fictitious person. The plan is one of the demo directory's fictional ones.
const INTAKE = fictionalIntake();

let server = null;
let browser = null;
let scratch = null;
const contexts = [];
let page = null;
const the = {};
const { step, broken } = makeSteps('matching', () => page);

async function open(options) {
  page = await openPage(browser, contexts, options);
  return page;
}

before(async () => {
  scratch = scratchDir();
  the.demo = await generateDemo(scratch.dir, { providers: 400, seed: 1, today: TODAY });
  server = await startServer();
  await server.addUser(CM);
  browser = await launchBrowser();
});

after(() => tearDown({ contexts, browser, server, scratch }, broken()));

step('the demo directory is imported and the matching index follows; a member in US-NY asks for therapy', async () => {
  const empty = await finder(server.url, 'jurisdiction=US-NY&care_type=individual-therapy');
  assert.equal(empty.providers.eligible, 0, 'nothing matches before the import');
  await importAndFollow(server, the.demo, empty, 'jurisdiction=US-NY&care_type=individual-therapy');

  the.reference = (await postIntake(server.url, INTAKE)).reference;
});

step('the case manager opens the case: matches with their reasons and costs, asked with {}', async () => {
  await open();
  await signInAndEnrol(page, server.url, CM);
  const row = page.locator(`[data-reference="${the.reference}"]`);
  await row.waitFor();
  the.caseId = await row.getAttribute('data-case-id');
  const first = page.waitForRequest((r) => r.url().endsWith(`/api/v1/cases/${the.caseId}/matches`) && r.method() === 'POST');
  await row.getByRole('link').first().click();
  await expectPath(page, `/cases/${the.caseId}`);
  await expectHeading(page, 'Avery Example');
  assert.deepEqual(JSON.parse((await first).postData() ?? 'null'), {});

  const section = page.getByTestId('matches');
  await section.getByRole('heading', { level: 2, name: 'Find care' }).waitFor();
  await page.getByTestId('matches-count').waitFor();
  assert.match(await page.getByTestId('matches-count').innerText(), /^\d+ providers? fits?(; showing the \d+ best)?\.$/);
  // The query the server ran, in a line: from the intake.
  const summary = await page.getByTestId('match-query').innerText();
  assert.match(summary, /Individual therapy/);
  assert.match(summary, /US-NY/);
  assert.match(summary, /English/);

  const card = page.getByTestId('match').first();
  const met = await card.getByTestId('match-met').innerText();
  assert.match(met, /Offers individual therapy/);
  assert.match(met, /Licensed in US-NY until \d{1,2} [A-Z][a-z]{2} \d{4}/);
  assert.match(met, /\d+ openings?, confirmed \d{1,2} [A-Z][a-z]{2}/);
  assert.match(met, /In network for Sustain Health \(DEMO\) · Silver PPO/, 'the plan named as the intake gave it');
  assert.match(await card.getByTestId('match-cost').innerText(), /^(\$\d[\d,]*(\.\d\d)?(–\$\d[\d,]*(\.\d\d)?)? per session|from \$\d+ per session|Cost unknown)\s+In network$/);
  assert.match(await card.getByTestId('match-reach').innerText(), /^(Telehealth|In person · [\d.]+ km)$/);
  assert.match(await card.getByTestId('match-score').innerText(), /^Score \d+$/);
  // The estimate's workings: an in-network plan with facts nobody gave is a range, and says why.
  await card.getByText('How the cost was worked out').click();
  await card.getByTestId('cost-unknown').waitFor();
  assert.match(await card.getByTestId('cost-unknown').innerText(), /Contracted rate|Deductible remaining/);
  await checkPage(page, 'matching-case');
});

step('a tour stop in US-CA over a 4-session series: the dates a provider cannot cover are flagged', async () => {
  await page.getByText('Change the search').click();
  const form = page.getByTestId('match-form');
  await form.getByLabel('First session').fill(FIRST);
  await form.getByLabel('Weekly sessions').fill('4');
  await form.getByRole('button', { name: 'Add a tour stop' }).click();
  const stop = form.getByTestId('match-stop');
  await form.getByRole('group', { name: 'Stop 1' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'mf-itinerary-0-from', 'focus goes to the new stop');
  await stop.getByLabel('From').fill(STOP_FROM);
  await stop.getByLabel('To').fill(STOP_TO);
  await stop.getByLabel('City (optional)').selectOption({ label: 'Los Angeles (US-CA)' });
  assert.equal(await stop.getByLabel('Where').inputValue(), 'US-CA', 'choosing the city fills in where');

  const sent = page.waitForRequest((r) => r.url().endsWith('/matches') && r.method() === 'POST');
  await form.getByRole('button', { name: 'Find care' }).click();
  const body = JSON.parse((await sent).postData());
  assert.equal(body.sessions, 4);
  assert.equal(body.first_session, FIRST);
  assert.deepEqual(body.itinerary, [{ from: STOP_FROM, to: STOP_TO, jurisdiction: 'US-CA', latitude: 34.0522, longitude: -118.2437 }]);
  assert.equal(body.insurance.carrier, 'Sustain Health (DEMO)');
  assert.ok(!('weights' in body) && !('limit' in body), 'only what the form holds');
  await page.waitForFunction(() => document.activeElement?.id === 'matches-results');

  const dates = page.getByTestId('match-dates');
  await dates.first().waitFor();
  const gaps = page.locator('[data-testid="match-dates"] li[data-covered="false"]');
  assert.ok((await gaps.count()) > 0, 'some provider cannot see the member in US-CA');
  assert.match(await gaps.first().innerText(), /Not covered: \d{1,2} [A-Z][a-z]{2}( \d{4})? in US-CA/);
  const days = await page.getByTestId('match-dates').first().locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-date')));
  assert.equal(days.length, 4, 'the four dates of the series');
  assert.equal(days[0], FIRST);
  await checkPage(page, 'matching-tour');
});

step('"In person only" with no point anywhere is a 422 at the latitude field; the form is kept', async () => {
  const form = page.getByTestId('match-form');
  // No point anywhere: neither where the member is nor the tour stop (its city taken away).
  await form.getByTestId('match-stop').getByLabel('City (optional)').selectOption('');
  await form.getByLabel('How', { exact: true }).selectOption('in_person');
  const answered = page.waitForResponse((r) => r.url().endsWith('/matches') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Find care' }).click();
  assert.equal((await answered).status(), 422);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /In person needs a place to measure from\./);
  assert.match(await page.locator('#mf-location-latitude-error').innerText(), /In person needs a place to measure from\./);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'error-summary');
  // Nothing lost: the mode, the series and the stop are as typed.
  assert.equal(await form.getByLabel('How', { exact: true }).inputValue(), 'in_person');
  assert.equal(await form.getByLabel('Weekly sessions').inputValue(), '4');
  assert.equal(await form.getByTestId('match-stop').getByLabel('Where').inputValue(), 'US-CA');
  await checkPage(page, 'matching-422');
  await form.getByLabel('How', { exact: true }).selectOption('either');
});

step('Korean only leaves too few; "Any language — N results" runs it again with languages []', async () => {
  const form = page.getByTestId('match-form');
  const languages = form.getByRole('group', { name: 'Languages' });
  await languages.getByLabel('English').uncheck();
  await languages.getByLabel('Korean').check();
  const sent = page.waitForRequest((r) => r.url().endsWith('/matches') && r.method() === 'POST');
  const answered = page.waitForResponse((r) => r.url().endsWith('/matches') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Find care' }).click();
  assert.deepEqual(JSON.parse((await sent).postData()).languages, ['ko']);
  // Counting stops (docs/matching.md): the answer says whether it did, and so does each relaxation.
  const answer = await (await answered).json();
  assert.equal(answer.eligible_at_least, false, 'Korean only: too few to stop counting');
  const language = answer.relaxations.find((r) => r.constraint === 'language');
  assert.ok(language, 'the language can be relaxed');
  assert.equal(typeof language.at_least, 'boolean');
  await page.waitForFunction(() => document.activeElement?.id === 'matches-results');
  const before = await page.getByTestId('matches-count').innerText();
  const relax = page.getByTestId('relaxations').locator('button[data-relax="language"]');
  await relax.waitFor();
  const label = await relax.innerText();
  // "Any language — 14 results", or "— 100 or more results" when the server stopped counting.
  const m = /^Any language — ([\d,]+)( or more)? results?$/.exec(label);
  assert.ok(m, `the relaxation says what it would find: ${label}`);
  const n = Number(m[1].replace(/,/g, ''));
  assert.equal(n, language.results);
  assert.equal(m[2] !== undefined, language.at_least, `"or more" exactly when counting stopped: ${label}`);
  await checkPage(page, 'matching-korean');

  const again = page.waitForRequest((r) => r.url().endsWith('/matches') && r.method() === 'POST');
  await relax.click();
  const body = JSON.parse((await again).postData());
  assert.deepEqual(body.languages, []);
  assert.equal(body.sessions, 4, 'only the language changed');
  assert.deepEqual(body.care_types, ['care_type:individual-therapy']);
  await page.waitForFunction((b) => document.querySelector('[data-testid="matches-count"]')?.textContent !== b, before);
  const count = await page.getByTestId('matches-count').innerText();
  if (language.at_least) {
    // The relaxation was counted up to its cap only: the search itself finds that many or more.
    const c = /^([\d,]+) providers fit(; showing the \d+ best)?\.$/.exec(count);
    assert.ok(c, `the count: ${count}`);
    assert.ok(Number(c[1].replace(/,/g, '')) >= n, `${count} is at least ${n}`);
  } else assert.match(count, new RegExp(`^${n} providers? fits?(; showing the \\d+ best)?\\.$`));
  assert.equal(await languages.getByLabel('Korean').isChecked(), false, 'the form shows the query that ran');
  assert.ok((await page.getByTestId('match').count()) > 0);
  await checkPage(page, 'matching-relaxed');
});

step("the search's facts kept as the case's care profile: starting again from the case keeps the tour", async () => {
  const box = page.getByTestId('match-form-box');
  if (!(await box.evaluate((d) => d.open))) await page.getByText('Change the search').click();
  const form = page.getByTestId('match-form');
  assert.equal(await page.getByTestId('care-profile-status').innerText(), 'No care profile is saved for this case: each search starts from the intake.');
  const put = page.waitForRequest((r) => r.url().endsWith('/care-profile') && r.method() === 'PUT');
  const saved = page.waitForResponse((r) => r.url().endsWith('/care-profile') && r.request().method() === 'PUT');
  await form.getByRole('button', { name: "Save as the case's care profile" }).click();
  const request = await put;
  assert.equal(request.headers()['if-match'], '"0"', 'the first profile');
  const { profile } = JSON.parse(request.postData());
  assert.equal(profile.itinerary[0].jurisdiction, 'US-CA', 'the tour stop is kept');
  assert.ok(!('sessions' in profile) && !('first_session' in profile), 'what each search chooses is not');
  assert.equal((await saved).status(), 200);
  await page.getByTestId('care-profile-saved').waitFor();
  assert.equal(await page.getByTestId('care-profile-saved').innerText(), "Saved as the case's care profile (version 1).");

  // Starting again from the case: the intake, then the profile (the stop is there again).
  const answered = page.waitForResponse((r) => r.url().endsWith('/matches') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Start again from the case' }).click();
  const answer = await (await answered).json();
  assert.equal(answer.profile_version, 1);
  assert.equal(answer.query.itinerary[0].jurisdiction, 'US-CA');
  await page.waitForFunction(() => document.querySelector('[data-testid="care-profile-status"]')?.textContent?.includes('(version 1)'));
  assert.equal(await form.getByTestId('match-stop').getByLabel('Where').inputValue(), 'US-CA');
  await checkPage(page, 'matching-profile');
});

step('the public finder, signed out: providers and community resources for US-NY individual therapy', async () => {
  await open();
  const call = page.waitForRequest((r) => r.url().includes('/api/v1/finder?'));
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/finder?'));
  await page.goto(`${server.url}/finder?jurisdiction=US-NY&care_type=individual-therapy`);
  await expectHeading(page, 'Find care');
  assert.equal(new URL((await call).url()).search, '?jurisdiction=US-NY&care_type=individual-therapy');
  // 400 providers: below the cap, so both counts are exact (docs/matching.md "Counting stops at 1,000").
  const found = await (await answered).json();
  assert.equal(found.providers.eligible_at_least, false);
  assert.equal(found.resources.eligible_at_least, false);
  const providers = page.getByTestId('finder-providers');
  await providers.getByTestId('match').first().waitFor();
  assert.match(await page.getByTestId('finder-providers-count').innerText(), /^\d+ providers? fits?(; showing the \d+ best)?\.$/);
  const met = await providers.getByTestId('match-met').first().innerText();
  assert.match(met, /Licensed in US-NY until \d{1,2} [A-Z][a-z]{2} \d{4}/);
  assert.match(await providers.getByTestId('match-cost').first().innerText(), /per session|Cost unknown|Free/);
  const resources = page.getByTestId('finder-resources');
  await resources.getByTestId('match').first().waitFor();
  assert.match(await page.getByTestId('finder-resources-count').innerText(), /community resources?/);
  assert.equal(await page.getByLabel('State, province or region').inputValue(), 'US-NY');
  assert.equal(await page.getByLabel('What kind of care?').inputValue(), 'care_type:individual-therapy');
  await page.locator('#crisis-help, #crisis-footer').first().waitFor({ state: 'attached' });
  await checkPage(page, 'finder');

  // How to reach the first provider: read from its open HSDS record when opened, not before.
  const first = providers.getByTestId('match').first();
  const serviceId = await first.getAttribute('data-service-id');
  const record = page.waitForResponse((r) => r.url().endsWith(`/hsds/services/${serviceId}`));
  await first.getByText('How to reach them').click();
  assert.equal((await record).status(), 200);
  const contact = first.getByTestId('match-contact-list');
  await contact.waitFor();
  assert.match(await contact.innerText(), /Run by\s+\S/);
  assert.match(await contact.getByTestId('contact-phone').first().getByRole('link').getAttribute('href'), /^tel:\+?\d{7,15}$/);
  await checkPage(page, 'finder-contact');

  // A change is a new address (shareable), and the results follow it.
  await page.getByLabel('Language (optional)').selectOption('es');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL((u) => u.searchParams.get('language') === 'es');
  assert.equal(new URL(page.url()).search, '?jurisdiction=US-NY&care_type=individual-therapy&language=es');
  await page.waitForFunction(() => document.activeElement?.id === 'finder-providers');
  await page.goBack();
  await page.waitForURL((u) => !u.searchParams.has('language'));
  // Back is the search before: the form follows the address.
  await page.waitForFunction(() => document.querySelector('#finder-language')?.value === '');
});

step('the finder in Spanish, and the intake links to it', async () => {
  await page.goto(`${server.url}/es/finder?jurisdiction=US-NY&care_type=individual-therapy`);
  await expectHeading(page, 'Buscar atención');
  await page.getByTestId('finder-providers').getByTestId('match').first().waitFor();
  assert.match(await page.getByTestId('finder-providers').innerText(), /Proveedores/);
  assert.match(await page.getByTestId('finder-providers').getByTestId('match-met').first().innerText(), /Con licencia en US-NY hasta el/);
  await checkPage(page, 'finder-es');

  await page.goto(`${server.url}/intake`);
  const link = page.getByTestId('finder-link').getByRole('link', { name: 'Search for care near you' });
  assert.equal(await link.getAttribute('href'), '/finder');
  await link.click();
  await expectPath(page, '/finder');
  await expectHeading(page, 'Find care');
  await page.getByTestId('finder-start').waitFor();
});
