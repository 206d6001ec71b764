// The member intake end to end, in Debian's chromium at 360 px, against the real server binary
// (SC_BIN, default ../build/bin/soundcheck) or the mock (npm run e2e:mock). Every page state is
// checked by checkPage: axe-core 0 violations, no sideways scroll, no CSP/script errors,
// screenshots at 1280/360/360-dark into test-results/screenshots/intake-*.png.
//
// Each walk is a chain: if a step fails, the later steps of that walk fail naming it. Steps
// marked [needs POST /api/v1/intakes] or [needs the server's crisis footer] depend on server
// work that may not exist yet; everything before them only needs crisis-resources and
// screenings/score.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkPage, failureScreenshot, launchBrowser, newPage } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

const MOBILE = { width: 360, height: 740 };
const DRAFT_KEY = 'soundcheck.intake.draft';

let server = null;
let browser = null;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** A chain of steps sharing one browser context; a failure breaks the rest of the chain. */
function walk(label, contextOptions) {
  const w = { page: null, context: null, broken: null };
  const step = (name, fn) =>
    test(`${label}: ${name}`, async () => {
      if (w.broken) throw new Error(`cannot run: the earlier step "${w.broken}" failed`);
      try {
        if (!w.page) {
          ({ context: w.context, page: w.page } = await newPage(browser, contextOptions));
          await w.page.setViewportSize(MOBILE);
        }
        await fn(w.page);
      } catch (e) {
        w.broken = name;
        if (w.page) await failureScreenshot(w.page, `${label}-${name}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
        throw e;
      }
    });
  after(async () => {
    await w.context?.close().catch(() => {});
  });
  return step;
}

/** checkPage leaves the page at 1280 px; the walk itself happens at 360 px. */
async function check(page, name) {
  await checkPage(page, name);
  await page.setViewportSize(MOBILE);
}

const path = (page) => new URL(page.url()).pathname;
async function expectPath(page, p) {
  await page.waitForURL((u) => u.pathname === p);
  assert.equal(path(page), p);
}
async function expectHeading(page, text) {
  await page.getByRole('heading', { level: 1 }).filter({ hasText: text }).first().waitFor();
}
async function cont(page) {
  await page.getByTestId('continue').click();
}
async function stepCaption(page, text) {
  assert.equal((await page.getByTestId('step').innerText()).trim(), text);
}
async function draft(page) {
  return page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null'), DRAFT_KEY);
}
function inDays(n) {
  const d = new Date(Date.now() + n * 86400_000);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
/** Answers one questionnaire item (1-based) by its published answer label. */
async function answer(page, set, item, label) {
  await page.getByTestId(`item-${set}-${item}`).getByLabel(label, { exact: true }).check();
}

// =============================== English ===============================================

const en = walk('en', { locale: 'en-US', timezoneId: 'America/Chicago' });
const TOUR_UNTIL = inDays(40);
const captured = {};

en('the start page (a green-room QR code, ?src=venue:ryman) says answers stay on this device and shows the crisis line', async (page) => {
  const res = await page.goto(`${server.url}/intake?src=venue:ryman`);
  assert.equal(res?.status(), 200);
  assert.match(res?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await expectHeading(page, 'Get support from Soundcheck');
  await page.waitForURL((u) => u.pathname === '/intake' && !u.searchParams.has('src'));
  assert.match(await page.getByTestId('device-note').innerText(), /kept on this device until you send them/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  const footer = page.getByTestId('crisis-footer');
  await footer.getByRole('link', { name: 'Call 988' }).waitFor();
  assert.match(await footer.innerText(), /988 Suicide & Crisis Lifeline/);
  assert.match(await footer.innerText(), /In an emergency, call 911/);
  assert.equal((await draft(page))?.src, 'venue:ryman', 'the venue code is kept in the draft');
  await check(page, 'intake-start');
  // "Help now" in the header goes straight to the crisis lines.
  await page.getByTestId('help-now').click();
  assert.equal(await page.evaluate(() => document.activeElement?.closest('footer')?.id), 'crisis-help');
});

en('who is it for: an empty Continue shows the error next to the question and in a summary', async (page) => {
  await page.getByTestId('start').click();
  await expectPath(page, '/intake/who');
  await expectHeading(page, 'Who is this support for?');
  await stepCaption(page, 'Step 1 of 13');
  await check(page, 'intake-who');
  await cont(page);
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  await page.locator('#intake-for-error').waitFor();
  assert.match(await page.title(), /^Error: /);
  await summary.getByRole('link', { name: 'Choose who this support is for' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'intake-for');
  await check(page, 'intake-who-errors');
  await page.getByLabel('Me', { exact: true }).check();
  await cont(page);
});

en('preferred name', async (page) => {
  await expectPath(page, '/intake/name');
  await expectHeading(page, 'What should we call you?');
  await page.getByLabel('What should we call you?').fill('Sam');
  await check(page, 'intake-name');
  await cont(page);
});

en('contact: what is safe; choosing text without allowing texts is refused', async (page) => {
  await expectPath(page, '/intake/contact');
  await expectHeading(page, 'How can we contact you safely?');
  await page.getByLabel('Text message', { exact: true }).check();
  await cont(page);
  await page.locator('#intake-contact-phone-error').waitFor();
  await page.locator('#intake-contact-voicemail_ok-error').waitFor();
  await check(page, 'intake-contact-errors');
  await page.locator('#intake-contact-phone').fill('615 555 0123');
  await page.getByLabel('Send text messages').check();
  await page.getByLabel('Leave a voicemail').check();
  await check(page, 'intake-contact');
  await cont(page);
});

en('industry role', async (page) => {
  await expectPath(page, '/intake/role');
  await expectHeading(page, 'What do you do in live music?');
  await page.getByLabel('Touring crew or tech').check();
  await check(page, 'intake-role');
  await cont(page);
});

en('where: country from the browser, state, city, time zone from the device', async (page) => {
  await expectPath(page, '/intake/where');
  await expectHeading(page, 'Where are you now?');
  assert.equal(await page.locator('#intake-location-country').inputValue(), 'US');
  assert.equal(await page.locator('#intake-location-time_zone').inputValue(), 'America/Chicago');
  await page.locator('#intake-location-region').selectOption('US-TN');
  await page.getByLabel('Town or city (optional)').fill('Nashville');
  await check(page, 'intake-where');
  await cont(page);
});

en('on tour: a reload keeps the answers; Back keeps every answer', async (page) => {
  await expectPath(page, '/intake/tour');
  await expectHeading(page, 'Are you on tour right now?');
  await stepCaption(page, 'Step 6 of 13');
  await page.getByLabel('Yes', { exact: true }).check();
  await page.getByLabel('When does the tour end? (optional)').fill(TOUR_UNTIL);
  await check(page, 'intake-tour');

  // A reload (or a closed tab) mid-way: same page, same answers.
  await page.reload();
  await expectPath(page, '/intake/tour');
  assert.equal(await page.getByLabel('Yes', { exact: true }).isChecked(), true);
  assert.equal(await page.getByLabel('When does the tour end? (optional)').inputValue(), TOUR_UNTIL);
  assert.equal((await draft(page)).answers.tour_until, TOUR_UNTIL);

  // Back, and Back again: nothing is lost.
  await page.getByTestId('back').click();
  await expectPath(page, '/intake/where');
  assert.equal(await page.locator('#intake-location-region').inputValue(), 'US-TN');
  assert.equal(await page.getByLabel('Town or city (optional)').inputValue(), 'Nashville');
  await page.getByTestId('back').click();
  await expectPath(page, '/intake/role');
  assert.equal(await page.getByLabel('Touring crew or tech').isChecked(), true);
  await cont(page);
  await expectPath(page, '/intake/where');
  await cont(page);
  await expectPath(page, '/intake/tour');
  assert.equal(await page.getByLabel('When does the tour end? (optional)').inputValue(), TOUR_UNTIL);
  await cont(page);
});

en('what they ask for', async (page) => {
  await expectPath(page, '/intake/requests');
  await expectHeading(page, 'What would you like help with?');
  await page.getByLabel('Therapy or counseling').check();
  await page.getByLabel('Money help').check();
  await check(page, 'intake-requests');
  await cont(page);
});

en('insurance (optional, says why)', async (page) => {
  await expectPath(page, '/intake/insurance');
  await expectHeading(page, 'Do you have health insurance? (optional)');
  await page.getByText('We ask so we can find care your plan pays for').waitFor();
  await page.getByLabel(/through a union or guild/).check();
  await page.getByLabel('Insurance company (optional)').fill('SAG-AFTRA Health Plan');
  await check(page, 'intake-insurance');
  await cont(page);
});

en('household (optional)', async (page) => {
  await expectPath(page, '/intake/household');
  await expectHeading(page, 'About your household (optional)');
  await page.getByLabel(/How many people live in your household/).fill('2');
  await page.getByLabel('$25,000 to $49,999').check();
  await check(page, 'intake-household');
  await cont(page);
});

en('preferences (optional)', async (page) => {
  await expectPath(page, '/intake/preferences');
  await expectHeading(page, 'What matters to you in your care?');
  await page.getByLabel('By video or phone').check();
  await page.getByLabel('Experience with people in the music industry').check();
  await check(page, 'intake-preferences');
  await cont(page);
});

en('PHQ-2 of 3 or more leads to the rest of the PHQ-9 (the server decides)', async (page) => {
  await expectPath(page, '/intake/phq2');
  await expectHeading(page, 'How you have been feeling');
  await stepCaption(page, 'Step 11 of 13');
  await page.getByText('Over the last 2 weeks, how often have you been bothered by any of the following problems?').waitFor();
  await page.getByTestId('item-phq-1').getByText('Little interest or pleasure in doing things').waitFor();
  await answer(page, 'phq', 1, 'More than half the days');
  await answer(page, 'phq', 2, 'Several days');
  await check(page, 'intake-phq2');
  await cont(page);
  await expectPath(page, '/intake/phq9');
});

en('a PHQ-9 item 9 answer shows the full crisis panel on that same screen, then the form goes on', async (page) => {
  await expectHeading(page, 'A few more questions about how you have been feeling');
  await stepCaption(page, 'Step 11 of 13');
  for (const i of [3, 4, 5, 6, 7, 8]) await answer(page, 'phq', i, 'Several days');
  await page.getByTestId('item-phq-9').getByText('Thoughts that you would be better off dead or of hurting yourself in some way').waitFor();
  await answer(page, 'phq', 9, 'Several days');
  // The tenth, "how difficult" item: recorded, not scored, optional.
  await page.getByTestId('item-phq-difficulty').getByText(/how difficult have these problems made it for you/).waitFor();
  await page.getByTestId('item-phq-difficulty').getByLabel('Somewhat difficult', { exact: true }).check();
  await cont(page);
  const panel = page.getByTestId('crisis-panel');
  await panel.waitFor();
  assert.equal(path(page), '/intake/phq9', 'still on the same screen');
  const text = await panel.innerText();
  assert.match(text, /Help is available right now/);
  assert.match(text, /988 Suicide & Crisis Lifeline/);
  assert.match(text, /not watched around the clock/);
  assert.match(await panel.getByTestId('crisis-emergency').innerText(), /911/);
  await panel.getByRole('link', { name: 'Call 988' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'crisis-panel', 'focus moves to the panel');
  await check(page, 'intake-phq9-crisis');
  await panel.getByTestId('crisis-continue').click();
  await expectPath(page, '/intake/cssrs');
});

en('the C-SSRS screener follows item 9: Q1, Q2 and Q6; any yes shows the full crisis panel at once', async (page) => {
  await expectHeading(page, 'Some questions about thoughts of suicide');
  await stepCaption(page, 'Step 11 of 13');
  assert.equal(await page.getByTestId('crisis-panel').count(), 0);
  const asked = () => page.locator('[data-testid^="item-cssrs-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  assert.deepEqual(await asked(), ['item-cssrs-q1', 'item-cssrs-q2', 'item-cssrs-q6']);
  await page.getByTestId('item-cssrs-q1').getByText('Have you wished you were dead or wished you could go to sleep and not wake up?').waitFor();
  await check(page, 'intake-cssrs');
  // An empty Continue names each question.
  await cont(page);
  await page.locator('#intake-cssrs-q1-error').waitFor();
  await page.getByTestId('error-summary').getByText('Choose yes or no for question 6').waitFor();
  await check(page, 'intake-cssrs-errors');
  // Q2 yes reveals Q3–Q5; back to no hides them again.
  await page.getByTestId('item-cssrs-q2').getByLabel('Yes', { exact: true }).check();
  assert.deepEqual(await asked(), ['item-cssrs-q1', 'item-cssrs-q2', 'item-cssrs-q3', 'item-cssrs-q4', 'item-cssrs-q5', 'item-cssrs-q6']);
  await page.getByTestId('item-cssrs-q2').getByLabel('No', { exact: true }).check();
  assert.deepEqual(await asked(), ['item-cssrs-q1', 'item-cssrs-q2', 'item-cssrs-q6']);
  // A yes shows the panel at once, before Continue.
  await page.getByTestId('item-cssrs-q1').getByLabel('Yes', { exact: true }).check();
  const panel = page.getByTestId('crisis-panel');
  await panel.waitFor();
  assert.match(await panel.innerText(), /not watched around the clock/);
  await panel.getByRole('link', { name: 'Call 988' }).waitFor();
  await page.getByTestId('item-cssrs-q6').getByLabel('No', { exact: true }).check();
  await check(page, 'intake-cssrs-crisis');
  // Continue: scored by the server; focus goes to the panel first, then the form goes on.
  const scored = page.waitForResponse((r) => r.url().endsWith('/api/v1/screenings/score') && r.request().method() === 'POST');
  await cont(page);
  const res = await scored;
  assert.deepEqual(res.request().postDataJSON().answers, { q1: true, q2: false, q6: false });
  assert.equal((await res.json()).risk, 'low');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'crisis-panel');
  assert.equal(path(page), '/intake/cssrs');
  await panel.getByTestId('crisis-continue').click();
  await expectPath(page, '/intake/gad2');
});

en('GAD-2 under 3: no GAD-7, straight to check your answers', async (page) => {
  await expectHeading(page, 'Worry and stress');
  await stepCaption(page, 'Step 12 of 13');
  await answer(page, 'gad', 1, 'Not at all');
  await answer(page, 'gad', 2, 'Several days');
  await check(page, 'intake-gad2');
  await cont(page);
  await expectPath(page, '/intake/review');
});

en('check answers: every answer, the privacy notice version, consent required; a change comes back here', async (page) => {
  await expectHeading(page, 'Check your answers before you send them');
  await stepCaption(page, 'Step 13 of 13');
  const answers = page.getByTestId('answers');
  for (const s of ['Sam', '615 555 0123', 'Touring crew or tech', 'Nashville, Tennessee, United States', 'SAG-AFTRA Health Plan', 'Money help'])
    await answers.getByText(s, { exact: false }).first().waitFor();
  assert.match(await page.getByTestId('privacy-version').innerText(), /2026-11/);
  await page.getByTestId('continue').click();
  await page.locator('#intake-consents-contact-error').waitFor();
  await check(page, 'intake-review-errors');

  // Change the name from the summary: Continue returns to the summary.
  await page.locator('[data-row="name"]').getByRole('link', { name: /Change/ }).click();
  await page.waitForURL((u) => u.pathname === '/intake/name' && u.searchParams.get('from') === 'review');
  await page.getByLabel('What should we call you?').fill('Sam R');
  await cont(page);
  await expectPath(page, '/intake/review');
  await page.getByTestId('answers').getByText('Sam R').waitFor();
  await page.getByLabel(/Soundcheck may contact me/).check();
  await check(page, 'intake-review');
});

en('[needs POST /api/v1/intakes] sending posts exactly the documented JSON with an Idempotency-Key', async (page) => {
  const d = await draft(page);
  const reqP = page.waitForRequest((r) => r.url().endsWith('/api/v1/intakes') && r.method() === 'POST');
  const resP = page.waitForResponse((r) => r.url().endsWith('/api/v1/intakes') && r.request().method() === 'POST');
  await page.getByTestId('continue').click();
  const req = await reqP;
  captured.body = req.postDataJSON();
  captured.key = req.headers()['idempotency-key'];
  assert.equal(captured.key, d.key, 'the Idempotency-Key is the one kept in the draft');
  assert.match(captured.key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(captured.body, {
    for: 'self',
    preferred_name: 'Sam R',
    language: 'en',
    contact: { phone: '615 555 0123', preferred: 'text', voicemail_ok: true, text_ok: true, email_ok: false },
    industry_role: 'touring_crew',
    location: { country: 'US', region: 'US-TN', city: 'Nashville', time_zone: 'America/Chicago' },
    on_tour: { now: true, until: TOUR_UNTIL },
    requests: ['therapy', 'financial_help'],
    insurance: { type: 'union', carrier: 'SAG-AFTRA Health Plan' },
    household: { size: 2, income_band: '25k_50k' },
    preferences: { format: 'telehealth', specialties: ['music_industry'] },
    screenings: [
      { instrument: 'phq2', answers: [2, 1] },
      { instrument: 'phq9', answers: [2, 1, 1, 1, 1, 1, 1, 1, 1], phq9_difficulty: 1 },
      { instrument: 'cssrs', answers: { q1: true, q2: false, q6: false } },
      { instrument: 'gad2', answers: [0, 1] },
    ],
    consents: { privacy_notice_version: '2026-11', contact: true },
    src: 'venue:ryman',
  });
  const res = await resP;
  assert.equal(res.status(), 201, `POST /api/v1/intakes answered ${res.status()}: ${await res.text().catch(() => '')}`);
  captured.receipt = await res.json();
});

en('[needs POST /api/v1/intakes] what happens next: who, by when, how; crisis help for a risk answer; the draft is gone', async (page) => {
  await expectPath(page, '/intake/sent');
  await expectHeading(page, 'We have your request');
  const ref = (await page.getByTestId('reference').innerText()).trim();
  assert.match(ref, /^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.equal(ref, captured.receipt.reference);
  await page.getByRole('heading', { name: 'What happens next' }).waitFor();
  const steps = await page.getByTestId('next-steps').innerText();
  assert.match(steps, /case manager will contact you/);
  assert.match(steps, /text you on the number you gave us/);
  assert.equal(await page.getByTestId('next-message').innerText(), captured.receipt.next_steps.message);
  assert.equal(captured.receipt.urgent, true, 'a PHQ-9 item 9 answer makes the case urgent');
  const panel = page.getByTestId('crisis-panel');
  await panel.waitFor();
  assert.match(await panel.innerText(), /not watched around the clock/);
  assert.equal(await draft(page), null, 'the draft is removed from this device');
  await check(page, 'intake-sent');
  // The confirmation survives a reload (kept for this tab only).
  await page.reload();
  await page.getByTestId('reference').waitFor();
});

en('[needs POST /api/v1/intakes] a retry with the same Idempotency-Key returns the first answer, not a second case', async (page) => {
  const again = await page.evaluate(
    async ({ body, key }) => {
      const r = await fetch('/api/v1/intakes', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    },
    { body: captured.body, key: captured.key },
  );
  assert.equal(again.body.reference, captured.receipt.reference);
});

// =============================== Spanish ===============================================

const es = walk('es', { locale: 'es-US', timezoneId: 'America/Los_Angeles' });

es('the language follows the browser: /intake becomes /es/intake, all in Spanish', async (page) => {
  await page.goto(`${server.url}/intake`);
  await expectPath(page, '/es/intake');
  await expectHeading(page, 'Recibe apoyo de Soundcheck');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  assert.match(await page.getByTestId('device-note').innerText(), /se guardan en este dispositivo hasta que las envíes/);
  const footer = page.getByTestId('crisis-footer');
  await footer.getByRole('link', { name: 'Llamar al 988' }).waitFor();
  assert.match(await footer.innerText(), /988 Línea de Prevención del Suicidio y Crisis/);
  await check(page, 'intake-es-start');
  await page.getByTestId('start').click();
});

es('para un familiar, con la relación', async (page) => {
  await expectPath(page, '/es/intake/who');
  await expectHeading(page, '¿Para quién es este apoyo?');
  await stepCaption(page, 'Paso 1 de 13');
  await page.getByLabel('Para un familiar o alguien cercano a mí').check();
  await cont(page);
  await page.locator('#intake-relationship-error').waitFor();
  await check(page, 'intake-es-who-errors');
  await page.getByLabel('Mi hermano o mi hermana').check();
  await check(page, 'intake-es-who');
  await cont(page);
});

es('nombre, contacto por correo', async (page) => {
  await expectPath(page, '/es/intake/name');
  await page.getByLabel('¿Cómo quieres que te llamemos?').fill('Lupe');
  await check(page, 'intake-es-name');
  await cont(page);
  await expectPath(page, '/es/intake/contact');
  await page.locator('#intake-contact-preferred-2').check(); // Correo electrónico
  await page.locator('#intake-contact-email').fill('lupe@example.com');
  await page.getByLabel('Enviarte correos electrónicos').check();
  await check(page, 'intake-es-contact');
  await cont(page);
});

es('the language can be switched, and the choice sticks across a reload', async (page) => {
  await expectPath(page, '/es/intake/role');
  await page.getByTestId('lang-switch').click();
  await expectPath(page, '/intake/role');
  await expectHeading(page, 'What do you do in live music?');
  await page.reload();
  await expectPath(page, '/intake/role');
  await expectHeading(page, 'What do you do in live music?');
  await page.getByTestId('lang-switch').click();
  await expectPath(page, '/es/intake/role');
  await page.goto(`${server.url}/intake/role`);
  await expectPath(page, '/es/intake/role');
  await expectHeading(page, '¿Qué haces en la música en vivo?');
});

es('rol, lugar, gira', async (page) => {
  await page.getByLabel('Familiar de alguien que trabaja en la música').check();
  await check(page, 'intake-es-role');
  await cont(page);
  await expectPath(page, '/es/intake/where');
  await expectHeading(page, '¿Dónde estás ahora?');
  assert.equal(await page.locator('#intake-location-country').inputValue(), 'US');
  assert.equal(await page.locator('#intake-location-time_zone').inputValue(), 'America/Los_Angeles');
  await page.locator('#intake-location-region').selectOption('US-CA');
  await check(page, 'intake-es-where');
  await cont(page);
  await expectPath(page, '/es/intake/tour');
  await page.getByLabel('No', { exact: true }).check();
  await check(page, 'intake-es-tour');
  await cont(page);
});

es('ayuda, seguro (omitido), hogar (omitido), preferencias', async (page) => {
  await expectPath(page, '/es/intake/requests');
  await page.getByLabel('Todavía no estoy seguro o segura').check();
  await check(page, 'intake-es-requests');
  await cont(page);
  await expectPath(page, '/es/intake/insurance');
  await expectHeading(page, '¿Tienes seguro médico? (opcional)');
  await page.getByLabel('No estoy seguro o segura, o prefiero no decirlo').check();
  await check(page, 'intake-es-insurance');
  await cont(page);
  await expectPath(page, '/es/intake/household');
  await check(page, 'intake-es-household');
  await cont(page);
  await expectPath(page, '/es/intake/preferences');
  await page.locator('#intake-preferences-language').selectOption('es');
  await page.getByLabel('Que apoye a personas LGBTQ+').check();
  await check(page, 'intake-es-preferences');
  await cont(page);
});

es('cuestionarios: published English wording with a Spanish note; the C-SSRS by choice; GAD-2 of 3 or more leads to the GAD-7', async (page) => {
  await expectPath(page, '/es/intake/phq2');
  await expectHeading(page, 'Cómo te has sentido');
  await page.getByTestId('instrument-note').waitFor();
  assert.equal(await page.getByTestId('item-phq-1').locator('legend').getAttribute('lang'), 'en');
  await answer(page, 'phq', 1, 'Not at all');
  await answer(page, 'phq', 2, 'Several days');
  // The person may choose the C-SSRS questions (optional).
  await page.getByTestId('cssrs-offer').getByText('(opcional)').waitFor();
  await page.getByLabel('Sí, agregar estas preguntas').check();
  await check(page, 'intake-es-phq2');
  await cont(page);
  await expectPath(page, '/es/intake/cssrs');
});

es('C-SSRS en español: the published English questions marked lang="en", a note; a yes shows the crisis panel in Spanish at once', async (page) => {
  await expectHeading(page, 'Algunas preguntas sobre pensamientos de suicidio');
  await stepCaption(page, 'Paso 11 de 13');
  await page.getByTestId('instrument-note').waitFor();
  const q1 = page.getByTestId('item-cssrs-q1');
  assert.equal(await q1.locator('legend').getAttribute('lang'), 'en');
  assert.deepEqual(await q1.locator('label').evaluateAll((ls) => ls.map((l) => l.getAttribute('lang'))), ['en', 'en']);
  await check(page, 'intake-es-cssrs');
  await q1.getByLabel('No', { exact: true }).check();
  await page.getByTestId('item-cssrs-q2').getByLabel('Yes', { exact: true }).check();
  const panel = page.getByTestId('crisis-panel');
  await panel.waitFor();
  assert.match(await panel.innerText(), /Hay ayuda disponible ahora mismo/);
  assert.match(await panel.innerText(), /Nadie revisa este formulario a todas horas/);
  await panel.getByRole('link', { name: 'Llamar al 988' }).waitFor();
  for (const q of ['q3', 'q4', 'q5', 'q6']) await page.getByTestId(`item-cssrs-${q}`).getByLabel('No', { exact: true }).check();
  await check(page, 'intake-es-cssrs-crisis');
  await cont(page);
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'crisis-panel');
  await panel.getByTestId('crisis-continue').click();
  await expectPath(page, '/es/intake/gad2');
  await answer(page, 'gad', 1, 'Nearly every day');
  await answer(page, 'gad', 2, 'Several days');
  await cont(page);
  await expectPath(page, '/es/intake/gad7');
  await expectHeading(page, 'Unas preguntas más sobre preocupación y estrés');
  await stepCaption(page, 'Paso 12 de 13');
  for (const i of [3, 4, 5, 6, 7]) await answer(page, 'gad', i, 'Several days');
  await check(page, 'intake-es-gad7');
  await cont(page);
  await expectPath(page, '/es/intake/review');
});

es('revisar y enviar: consentimiento', async (page) => {
  await expectHeading(page, 'Revisa tus respuestas antes de enviarlas');
  await page.getByLabel(/Soundcheck puede comunicarse conmigo/).check();
  await check(page, 'intake-es-review');
});

es('[needs POST /api/v1/intakes] enviado: qué pasa ahora, en español', async (page) => {
  const reqP = page.waitForRequest((r) => r.url().endsWith('/api/v1/intakes') && r.method() === 'POST');
  await page.getByTestId('continue').click();
  const body = (await reqP).postDataJSON();
  assert.equal(body.language, 'es');
  assert.equal(body.for, 'family');
  assert.equal(body.relationship, 'sibling');
  assert.deepEqual(body.contact, { email: 'lupe@example.com', preferred: 'email', voicemail_ok: false, text_ok: false, email_ok: true });
  assert.deepEqual(body.on_tour, { now: false });
  assert.equal(body.insurance, undefined);
  assert.equal(body.household, undefined);
  assert.deepEqual(body.preferences, { language: 'es', specialties: ['lgbtq_affirming'] });
  assert.deepEqual(
    body.screenings.map((s) => s.instrument),
    ['phq2', 'cssrs', 'gad2', 'gad7'],
  );
  assert.deepEqual(body.screenings[1].answers, { q1: false, q2: true, q3: false, q4: false, q5: false, q6: false });
  assert.equal(body.src, undefined);
  await expectPath(page, '/es/intake/sent');
  await expectHeading(page, 'Recibimos tu solicitud');
  await page.getByRole('heading', { name: 'Qué pasa ahora' }).waitFor();
  assert.match(await page.getByTestId('next-steps').innerText(), /Te escribirán al correo electrónico que nos diste/);
  // A C-SSRS yes: the case is urgent and the crisis panel is on this page too, in Spanish.
  await page.getByTestId('crisis-panel').getByRole('link', { name: 'Llamar al 988' }).waitFor();
  assert.equal(await draft(page), null);
  await check(page, 'intake-es-sent');
});

// =============================== Without scripts =======================================

test('[needs the server\'s crisis footer] without JavaScript, /intake says the form needs it and still shows the crisis line', async () => {
  const context = await browser.newContext({ viewport: MOBILE, javaScriptEnabled: false, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/intake`);
    await page.getByRole('heading', { name: 'Soundcheck needs JavaScript' }).waitFor();
    const footer = page.locator('footer#crisis-footer.crisis-footer');
    assert.equal(await footer.count(), 1, 'the server put its crisis footer in place of <!--sc:crisis-->');
    assert.ok((await footer.locator('a[href^="tel:"]').count()) > 0, 'the footer has a phone link');
    await page.screenshot({ path: 'test-results/screenshots/intake-noscript-360.png', fullPage: true });
  } finally {
    await context.close();
  }
});
