// The member's status page (/status, /es/status) and the Spanish "talk to someone now", in
// Debian's chromium at 360 px against the server binary (SC_BIN; `npm run e2e:mock` for the
// mock). Every page state goes through checkPage (axe, 360 px, CSP; screenshots status-*.png).
//
// The mailed link is read from a little SMTP sink (lib/smtp.mjs) the server is pointed at
// (SOUNDCHECK_MAIL_SMTP_URL, SOUNDCHECK_MAIL_FROM, SOUNDCHECK_MAIL_STARTTLS=false), or, for the
// mock, from <data-dir>/mail-outbox.jsonl. Steps marked [needs the member status API] depend on
// POST /api/v1/member/links, /member/sessions and /member/status.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { checkPage, failureScreenshot, launchBrowser, newPage } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { makeSteps } from './lib/steps.mjs';
import { startSmtpSink } from './lib/smtp.mjs';

const MOBILE = { width: 360, height: 740 };
const EMAIL = `test.member.${randomUUID().slice(0, 8)}@example.org`;
const INTAKE = {
  for: 'self',
  preferred_name: 'Test Member',
  language: 'en',
  contact: { email: EMAIL, preferred: 'email', voicemail_ok: false, text_ok: false, email_ok: true },
  industry_role: 'artist',
  location: { country: 'US', region: 'US-TN', time_zone: 'America/Chicago' },
  on_tour: { now: false },
  requests: ['therapy'],
  screenings: [{ instrument: 'phq2', answers: [0, 1] }],
  consents: { privacy_notice_version: '2026-11', contact: true },
};

let server = null;
let smtp = null;
let browser = null;
let context = null;
let page = null;
const { step } = makeSteps('status', () => page);
const the = {};

before(async () => {
  smtp = await startSmtpSink();
  // The server reads its configuration from SOUNDCHECK_* variables (the mock ignores them).
  process.env.SOUNDCHECK_MAIL_SMTP_URL = smtp.url;
  process.env.SOUNDCHECK_MAIL_FROM = 'Soundcheck <noreply@soundcheck.test>';
  process.env.SOUNDCHECK_MAIL_STARTTLS = 'false';
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, { locale: 'en-US', timezoneId: 'America/Chicago' }));
  await page.setViewportSize(MOBILE);
});
after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
  await smtp?.close();
});

async function check(name) {
  await checkPage(page, name);
  await page.setViewportSize(MOBILE);
}
async function expectHeading(text) {
  await page.getByRole('heading', { level: 1 }).filter({ hasText: text }).first().waitFor();
}

/**
 * The newest status link mailed to `to`, as a path ("/status#t=…"), once at least `min` such
 * mails have arrived (from the SMTP sink, or the mock's outbox file).
 */
async function mailedLink(to, min) {
  const outbox = join(server.dataDir, 'mail-outbox.jsonl');
  const deadline = Date.now() + 30_000;
  for (;;) {
    let links = smtp.mails.filter((m) => m.to.includes(to)).map((m) => /\/status#t=([A-Za-z0-9._~-]+)/.exec(m.text)?.[0] ?? '');
    if (!links.length && existsSync(outbox)) {
      links = readFileSync(outbox, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.to === to).map((m) => m.link);
    }
    if (links.length >= min) {
      assert.ok(links[links.length - 1], 'the mail has a status link');
      return links[links.length - 1];
    }
    if (Date.now() > deadline) throw new Error(`${links.length} of ${min} status links mailed to ${to} within 30 s`);
    // Waiting for delivery: the server's outbox job runs on its own schedule.
    await new Promise((r) => setTimeout(r, 200));
  }
}

step('[needs the member status API] an intake with an email that is safe to use: the receipt says a status link was sent', async () => {
  await page.goto(server.url + '/intake');
  const r = await page.evaluate(
    async ({ body, key }) => {
      const res = await fetch('/api/v1/intakes', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    { body: INTAKE, key: randomUUID() },
  );
  assert.equal(r.status, 201);
  the.reference = r.body.reference;
  assert.equal(r.body.status_link_sent, true);
});

step('[needs the member status API] /status without a session: "email me a link", the same answer whatever the address', async () => {
  await page.goto(server.url + '/status');
  await expectHeading('Check where your request is');
  await page.getByTestId('crisis-footer').getByRole('link', { name: 'Call 988' }).waitFor();
  await check('status-form');
  await page.getByTestId('status-send').click();
  await page.locator('#status-email-error').waitFor();
  await check('status-form-errors');
  await page.getByLabel('Email address').fill('nobody.known@example.org');
  const unknown = page.waitForResponse((r) => r.url().endsWith('/api/v1/member/links'));
  await page.getByTestId('status-send').click();
  assert.equal((await unknown).status(), 202);
  const sentUnknown = await page.getByTestId('status-sent').innerText();
  await page.getByLabel('Email address').fill(EMAIL);
  const known = page.waitForResponse((r) => r.url().endsWith('/api/v1/member/links'));
  await page.getByTestId('status-send').click();
  assert.equal((await known).status(), 202);
  assert.equal(await page.getByTestId('status-sent').innerText(), sentUnknown, 'never reveals whether the address is known');
  await check('status-sent');
});

step('[needs the member status API] the mailed link opens the page: the token leaves the address, the case is shown', async () => {
  // One mailed when the intake came in (status_link_sent), one asked for on the form.
  const link = await mailedLink(EMAIL, 2);
  assert.match(link, /^\/status#t=[A-Za-z0-9._~-]+$/);
  the.link = link;
  const exchanged = page.waitForResponse((r) => r.url().endsWith('/api/v1/member/sessions'));
  await page.goto(server.url + link);
  assert.equal((await exchanged).status(), 200);
  await expectHeading('Your request');
  assert.equal(new URL(page.url()).hash, '', 'the token is removed from the address');
  assert.equal((await page.getByTestId('status-reference').innerText()).trim(), the.reference);
  assert.match(await page.getByTestId('status-now').innerText(), /We have your request/);
  await page.getByTestId('status-contact').waitFor();
  await page.locator('.crisis-inline').getByRole('link', { name: /988/ }).first().waitFor();
  await check('status-page');
  // A reload keeps the member session (the cookie), without the token.
  await page.reload();
  await expectHeading('Your request');
});

step('[needs the member status API] the same link twice: expired; sign out ends the session', async () => {
  await page.getByTestId('status-sign-out').click();
  await page.getByTestId('status-signed-out').waitFor();
  await check('status-signed-out');
  await page.goto(server.url + the.link);
  await page.getByTestId('status-expired').waitFor();
  assert.equal(new URL(page.url()).hash, '');
  await check('status-expired');
});

test('in Spanish: /es/status and /es/talk', async () => {
  const own = await newPage(browser, { locale: 'es-US', timezoneId: 'America/Los_Angeles' });
  const page = own.page;
  await page.setViewportSize(MOBILE);
  const check = async (name) => {
    await checkPage(page, name);
    await page.setViewportSize(MOBILE);
  };
  const expectHeading = (text) => page.getByRole('heading', { level: 1 }).filter({ hasText: text }).first().waitFor();
  try {
  await page.goto(server.url + '/es/status');
  await expectHeading('Consulta cómo va tu solicitud');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  await page.getByTestId('crisis-footer').getByRole('link', { name: 'Llamar al 988' }).waitFor();
  await check('status-es-form');
  await page.goto(server.url + '/es/talk');
  await expectHeading('Habla con alguien ahora');
  // Nobody on duty and no rota here: no times to book, so the crisis lines and the intake instead.
  await page.locator('[data-testid="talk-availability"][data-open="false"]').filter({ hasText: 'No hay horas libres' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Llenar el formulario para recibir apoyo' }).getAttribute('href'), '/es/intake');
  assert.equal(await page.getByTestId('talk-submit').count(), 0);
  await check('status-es-talk-no-times');
  // The language switch keeps the page.
  await page.getByTestId('lang-switch').click();
  await page.waitForURL((u) => u.pathname === '/talk');
  await expectHeading('Talk to someone now');
  } catch (e) {
    await failureScreenshot(page, 'status-es');
    throw e;
  } finally {
    await own.context.close();
  }
});

test("[needs the server's crisis footer] without JavaScript, /talk and /status still show the crisis line", async () => {
  const ctx = await browser.newContext({ viewport: MOBILE, javaScriptEnabled: false, locale: 'en-US' });
  try {
    for (const p of ['/talk', '/es/status']) {
      const pg = await ctx.newPage();
      await pg.goto(server.url + p);
      const footer = pg.locator('footer#crisis-footer.crisis-footer');
      assert.equal(await footer.count(), 1, `${p}: the server put its crisis footer in place of <!--sc:crisis-->`);
      assert.ok((await footer.locator('a[href^="tel:"]').count()) > 0, `${p}: the footer has a phone link`);
      if (p.startsWith('/es/')) assert.equal(await footer.getAttribute('lang'), 'es');
      await pg.close();
    }
  } finally {
    await ctx.close();
  }
});
