// The provider portal and the weekly "still taking clients?" mail, end to end, in Debian's
// chromium against the real server binary (SC_BIN). The directory is the binary's fictitious one
// (`soundcheck demo generate --providers 20 --seed 7 --today 2026-01-05`: old dates, so every
// listing's openings are stale and a check-in is due), loaded with `soundcheck import hsds`; the
// provider account is added with `soundcheck user add`. The server runs its reminder job every
// second (SOUNDCHECK_DIRECTORY_REMINDER_INTERVAL_SECONDS=1) and mails a little SMTP sink
// (lib/smtp.mjs). Every page state goes through checkPage (screenshots provider-*.png).
//
// The admin finds an organization in the directory and links the provider to it on the user's
// page (an unknown id is refused at the field). The provider signs in, enrols TOTP and lands on
// "Your listings"; "Still taking clients" in one click, then with a new count; edits the listing;
// saves a waitlist note private to the Soundcheck team (seen again after a reload); pauses it and
// lists it again; sees what "Remove" would mean (and cancels); is refused the staff pages. The
// check-in mail has arrived meanwhile: its link, opened in a fresh browser, confirms
// the openings (the token leaves the address, and travels only in a POST body); opened again, it
// says the link was used.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { checkPage, launchBrowser } from './lib/browser.mjs';
import { expectHeading, expectPath, signInAndEnrol } from './lib/console.mjs';
import { generateDemo, scratchDir } from './lib/directory.mjs';
import { startServer } from './lib/server.mjs';
import { startSmtpSink } from './lib/smtp.mjs';
import { makeSteps } from './lib/steps.mjs';
import { openPage, sleep, tearDown } from './lib/walk.mjs';

const run = randomBytes(4).toString('hex');
const user = (key, name, role) => ({ email: `${key}-${run}@soundcheck.test`, name, role, password: `${key}-copper-${run}-lantern-meadow` });
const ADMIN = user('ada', 'Ada Admin', 'admin');
const PROVIDER = user('pat', 'Pat Provider', 'provider');
const PORTAL = { path: '/provider', heading: 'Your listings' };

let server = null;
let smtp = null;
let browser = null;
let scratch = null;
const contexts = [];
let page = null;
const the = {};
const { step, broken } = makeSteps('provider', () => page);

before(async () => {
  smtp = await startSmtpSink();
  scratch = scratchDir();
  const demo = await generateDemo(scratch.dir, { providers: 20 });
  server = await startServer({
    env: {
      SOUNDCHECK_MAIL_SMTP_URL: smtp.url,
      SOUNDCHECK_MAIL_FROM: 'Soundcheck <noreply@soundcheck.test>',
      SOUNDCHECK_MAIL_STARTTLS: 'false',
      SOUNDCHECK_DIRECTORY_REMINDER_INTERVAL_SECONDS: '1',
    },
  });
  await server.importHsds(demo);
  await server.addUser(ADMIN);
  await server.addUser(PROVIDER);
  browser = await launchBrowser();
});
after(() => tearDown({ contexts, browser, server, smtp, scratch }, broken()));

async function open(options = {}) {
  page = await openPage(browser, contexts, options);
  return page;
}

/** The newest check-in link mailed to `to`, as a path ("/provider/checkin#t=…"). */
async function mailedCheckin(to) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const links = smtp.mails.filter((m) => m.to.includes(to)).map((m) => /\/provider\/checkin#t=[A-Za-z0-9._~-]+/.exec(m.text)?.[0]).filter(Boolean);
    if (links.length) return links[links.length - 1];
    if (Date.now() > deadline) throw new Error(`no check-in link mailed to ${to} within 30 s (${smtp.mails.length} mails in the sink)`);
    await sleep(200);
  }
}

step('the admin finds an organization in the directory', async () => {
  await open();
  await signInAndEnrol(page, server.url, ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  const first = page.locator('[data-testid="directory-table"] tbody tr').first();
  await first.waitFor();
  the.serviceId = await first.getAttribute('data-service-id');
  await first.locator('th a').click();
  await page.getByTestId('service-organization-id').waitFor();
  the.serviceName = (await page.getByTestId('service-name').innerText()).trim();
  the.organizationId = (await page.getByTestId('service-organization-id').innerText()).trim();
  the.organizationName = (await page.locator('main .lede').first().innerText()).trim();
  assert.match(the.organizationId, /^[0-9a-f-]{36}$/);
});

step('the admin links the provider account to it on the user page (an unknown id is refused at the field)', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: PROVIDER.name }).click();
  await expectHeading(page, 'Edit user');
  const section = page.getByTestId('provider-link');
  await section.getByTestId('provider-link-current').filter({ hasText: 'Not linked to an organization yet.' }).waitFor();
  await section.getByLabel('Organization id').fill('4f9f3c2e-7a51-4c1e-9a44-2b7d0f0e5a11');
  await section.getByTestId('provider-link-save').click();
  await page.locator('#provider-link-organization_id-error').waitFor();
  assert.match(await page.locator('#provider-link-organization_id-error').innerText(), /no organization with this id/i);
  await checkPage(page, 'provider-link-error');
  await section.getByLabel('Organization id').fill(the.organizationId);
  await section.getByTestId('provider-link-save').click();
  await section.getByTestId('provider-link-saved').waitFor();
  assert.match(await section.getByTestId('provider-link-current').innerText(), new RegExp(`Linked to ${the.organizationName.replace(/[()]/g, '\\$&')}`));
  await checkPage(page, 'provider-linked');
  await page.getByTestId('sign-out').click();
  await expectPath(page, '/login');
});

step('the provider signs in, enrols TOTP and lands on "Your listings"', async () => {
  await open();
  await signInAndEnrol(page, server.url, PROVIDER, PORTAL);
  const nav = page.getByRole('navigation', { name: 'Main' });
  assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['Your listings', 'My account']);
  const listing = page.locator(`[data-testid="listing"][data-service-id="${the.serviceId}"]`);
  await listing.waitFor();
  assert.equal(await listing.getByTestId('listing-state').innerText(), 'Listed');
  assert.match(await listing.getByTestId('listing-openings').innerText(), /not counted|No openings|opening/);
  await checkPage(page, 'provider-listings');
});

step('"Still taking clients": one click confirms the openings shown, as of today', async () => {
  const listing = page.locator(`[data-testid="listing"][data-service-id="${the.serviceId}"]`);
  const count = Number(await listing.getByLabel('Openings for new clients').inputValue());
  assert.ok(Number.isInteger(count) && count >= 0, `the last count given is filled in (${count})`);
  const posting = page.waitForResponse((r) => r.url().endsWith(`/api/v1/provider/services/${the.serviceId}/openings`));
  await listing.getByTestId('still-taking').click();
  const res = await posting;
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(res.request().postData()), { available: count });
  await page.getByTestId('openings-confirmed').waitFor();
  assert.match(await page.getByTestId('openings-confirmed').innerText(), new RegExp(`^Thank you: ${count} openings? for .+ confirmed as of today\\.$`));
  assert.match(await listing.getByTestId('listing-openings').innerText(), count > 0 ? /^\d+ openings?, confirmed today$/ : /^No openings, confirmed today$/);
  await checkPage(page, 'provider-confirmed');
  // A different number: changed first, then confirmed.
  await listing.getByLabel('Openings for new clients').fill('3');
  await listing.getByTestId('still-taking').click();
  await page.getByTestId('openings-confirmed').filter({ hasText: 'Thank you: 3 openings' }).waitFor();
  assert.equal(await listing.getByTestId('listing-openings').innerText(), '3 openings, confirmed today');
});

step('the provider edits the listing (PATCH with If-Match)', async () => {
  const listing = page.locator(`[data-testid="listing"][data-service-id="${the.serviceId}"]`);
  await listing.getByTestId('listing-edit').click();
  await expectPath(page, `/provider/services/${the.serviceId}`);
  await expectHeading(page, the.serviceName);
  await page.getByTestId('service-facts').waitFor();
  assert.equal(await page.getByLabel('Status', { exact: true }).count(), 0, 'providers do not set the HSDS status directly');
  await page.getByLabel('Wait time', { exact: true }).fill('About two weeks');
  await page.getByLabel('Alert', { exact: true }).fill('No new clients 24–26 December.');
  const saving = page.waitForResponse((r) => r.url().endsWith(`/api/v1/provider/services/${the.serviceId}`) && r.request().method() === 'PATCH');
  await page.getByTestId('service-save').click();
  const res = await saving;
  assert.equal(res.status(), 200);
  assert.match(res.request().headers()['if-match'], /^"\d+"$/);
  assert.deepEqual(JSON.parse(res.request().postData()), { alert: 'No new clients 24–26 December.', wait_time: 'About two weeks' });
  await page.getByTestId('service-message').filter({ hasText: 'Changes saved.' }).waitFor();
  assert.equal(await page.getByLabel('Wait time', { exact: true }).inputValue(), 'About two weeks');
  await checkPage(page, 'provider-service');
});

step('the provider saves a waitlist note, private to the Soundcheck team, and sees it after a reload', async () => {
  the.waitlist = `About six weeks; evenings first (${run})`;
  const card = page.getByTestId('private-notes');
  await card.getByRole('heading', { name: 'Private to the Soundcheck team' }).waitFor();
  assert.match(await card.innerText(), /Never shown in the public directory or in exports\./);
  await card.getByLabel('How the team reaches you').waitFor();
  await card.getByLabel('Waitlist notes').fill(the.waitlist);
  const url = `/api/v1/provider/services/${the.serviceId}/private`;
  const saving = page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT');
  await card.getByTestId('private-notes-save').click();
  const res = await saving;
  assert.equal(res.status(), 200);
  assert.equal(res.request().headers()['if-match'], '"0"');
  assert.deepEqual(JSON.parse(res.request().postData()), { staff_contact: null, waitlist_note: the.waitlist });
  await card.getByTestId('private-notes-message').filter({ hasText: 'Private notes saved.' }).waitFor();
  await page.reload();
  await expectHeading(page, the.serviceName);
  await card.getByTestId('private-notes-changed').waitFor();
  assert.match(await card.getByTestId('private-notes-changed').innerText(), /^Last changed .+ by the provider\.$/);
  assert.equal(await card.getByLabel('Waitlist notes').inputValue(), the.waitlist);
  assert.equal(await card.getByLabel('How the team reaches you').inputValue(), '');
  await checkPage(page, 'provider-service-private');
});

step('pause the listing, then list it again; "Remove" asks first and says it is final', async () => {
  await page.getByTestId('listing-pause').click();
  await page.getByTestId('service-message').filter({ hasText: 'paused' }).waitFor();
  assert.equal(await page.getByTestId('listing-state').innerText(), 'Paused');
  await checkPage(page, 'provider-paused');
  await page.getByTestId('listing-list').click();
  await page.getByTestId('service-message').filter({ hasText: 'shown again' }).waitFor();
  assert.equal(await page.getByTestId('listing-state').innerText(), 'Listed');
  await page.getByTestId('listing-remove').click();
  const confirm = page.getByTestId('remove-confirm');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /This is final/);
  await checkPage(page, 'provider-remove-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByTestId('remove-confirm').count(), 0);
  assert.equal(await page.getByTestId('listing-state').innerText(), 'Listed');
});

step('staff pages are not for providers', async () => {
  for (const p of ['/directory', '/directory/freshness', '/users', '/cases/x', '/support']) {
    await page.goto(server.url + p);
    await expectHeading(page, 'You do not have access to this page');
  }
  await checkPage(page, 'provider-forbidden');
  await page.getByRole('link', { name: 'Go to your listings' }).click();
  await expectPath(page, '/provider');
  await page.goto(server.url + '/');
  await expectPath(page, '/provider');
  await expectHeading(page, 'Your listings');
});

step('the check-in mail has come: its link confirms the openings in a fresh browser, once', async () => {
  const link = await mailedCheckin(PROVIDER.email);
  const token = link.split('#t=')[1];
  const mail = smtp.mails.find((m) => m.to.includes(PROVIDER.email) && m.text.includes(token));
  assert.match(mail.raw, /^Subject: .*still taking clients/im);
  await open();
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  const posting = page.waitForResponse((r) => r.url().endsWith('/api/v1/provider/checkins'));
  await page.goto(server.url + link);
  const res = await posting;
  assert.equal(res.status(), 200);
  assert.deepEqual(JSON.parse(res.request().postData()), { token });
  const thanks = page.getByTestId('checkin-thanks');
  await thanks.waitFor();
  assert.equal(await thanks.innerText(), `Thanks — your 3 openings for ${the.serviceName} are confirmed as of today`);
  assert.equal(new URL(page.url()).hash, '', 'the token left the address');
  assert.equal(new URL(page.url()).pathname, '/provider/checkin');
  for (const u of urls) assert.ok(!u.includes(token), `no request URL carries the token: ${u}`);
  await checkPage(page, 'provider-checkin');
  // "Sign in" goes to the portal's sign-in.
  await page.getByTestId('checkin-sign-in').click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/provider');
});

step('the same link again: used', async () => {
  const link = await mailedCheckin(PROVIDER.email);
  await open();
  const posting = page.waitForResponse((r) => r.url().endsWith('/api/v1/provider/checkins'));
  await page.goto(server.url + link);
  assert.equal((await posting).status(), 410);
  const used = page.getByTestId('checkin-used');
  await used.waitFor();
  assert.match(await used.innerText(), /This link has already been used or has expired\. Sign in to confirm your openings\./);
  assert.equal(new URL(page.url()).hash, '');
  await checkPage(page, 'provider-checkin-used');
});
