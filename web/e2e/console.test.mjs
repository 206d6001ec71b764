// The staff console end to end, in Debian's chromium against the real server binary
// (SC_BIN, default ../build/bin/soundcheck). Each step depends on the ones before it; if
// one fails, every later step fails too, naming it (nothing is ever skipped).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { rmSync } from 'node:fs';
import { SCREENSHOT_DIR, checkPage, launchBrowser, newPage } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { makeSteps } from './lib/steps.mjs';
import { freshCode, totp } from './lib/totp.mjs';

const run = randomBytes(4).toString('hex');
const ADMIN = {
  email: `admin-${run}@soundcheck.test`,
  name: 'Ada Admin',
  role: 'admin',
  password: `quiet-lantern-${run}-harbour-gravel`,
  newPassword: `amber-violin-${run}-meadow-stairs`,
};
const CM = {
  email: `casey-${run}@soundcheck.test`,
  name: 'Casey Manager',
  role: 'case_manager',
  password: `silver-orchard-${run}-pebble-kite`,
};

let server = null;
let browser = null;
let page = null;
const { step, broken } = makeSteps('console', () => page);
let context = null;
const secrets = {}; // email -> { secret, lastStep }


after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop({ keepData: !!broken() });
  if (broken() && server) console.error(`e2e: data dir kept at ${server.dataDir}; server log in test-results/server.log`);
});

const h1 = () => page.getByRole('heading', { level: 1 });
const path = () => new URL(page.url()).pathname;

async function expectPath(p) {
  await page.waitForURL((u) => u.pathname === p);
  assert.equal(path(), p);
}

async function expectHeading(text) {
  await h1().filter({ hasText: text }).first().waitFor();
}

async function signIn(user, password) {
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut() {
  await page.getByTestId('sign-out').click();
  await expectPath('/login');
  await page.getByText('You have signed out.').waitFor();
}

/** On the enrolment page: read the setup key, confirm with a computed code, land on the queue. */
async function enrol(user, name) {
  await expectPath('/enrol');
  await expectHeading('Set up two-step verification');
  const field = page.getByTestId('totp-secret');
  await field.waitFor();
  const secret = (await field.inputValue()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]+=*$/, 'the setup key is base32');
  // The setup key is labelled "Setup key" for assistive technology.
  assert.equal(await page.getByLabel('Setup key').getAttribute('data-testid'), 'totp-secret');
  const qr = page.getByRole('img', { name: /QR code/ });
  await qr.waitFor();
  assert.match(String(await qr.getAttribute('src')), /^data:image\/svg\+xml,/);
  await checkPage(page, name);

  // A wrong code (from an hour away) is refused, with the message next to the field.
  const wrong = totp(secret, Date.now() + 3600_000).code;
  await page.getByLabel('Code', { exact: true }).fill(wrong);
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await page.getByTestId('error-summary').waitFor();
  await page.locator('#enrol-code-error').waitFor();
  await checkPage(page, `${name}-wrong-code`);

  const { code, step: used } = await freshCode(secret);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expectPath('/');
  await expectHeading('Queue');
  secrets[user.email] = { secret, lastStep: used };
}

step('the server starts from a fresh data directory and an admin is seeded', async () => {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  server = await startServer();
  await server.addUser(ADMIN);
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser));
  const res = await page.goto(server.url + '/');
  assert.equal(res?.status(), 200);
  const csp = res?.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/, 'the server sends the CSP');
});

step('anyone signed out is sent to sign in; empty fields show errors next to them and in a summary', async () => {
  await expectPath('/login');
  await expectHeading('Sign in');
  await checkPage(page, 'login');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.getByTestId('error-summary');
  await summary.waitFor();
  assert.equal(await summary.getByRole('link').count(), 2);
  await page.locator('#login-email-error').waitFor();
  // The summary link moves focus to its field.
  await summary.getByRole('link', { name: 'Enter your email address' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-email');
  await checkPage(page, 'login-errors');

  // A wrong password: the server's `detail` is shown in the summary, and we stay here.
  await signIn(ADMIN, 'not-the-password-at-all');
  await page.getByTestId('error-summary').locator('.error-summary__detail').waitFor();
  assert.ok((await page.getByTestId('error-summary').innerText()).length > 20);
  assert.equal(path(), '/login');
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is cleared');
  await checkPage(page, 'login-wrong-password');
});

step('admin signs in with a password and must enrol TOTP before anything else', async () => {
  await signIn(ADMIN, ADMIN.password);
  await expectPath('/enrol');
  await page.getByTestId('totp-secret').waitFor();
  // The rest of the console is closed until enrolment.
  assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
  await page.goto(server.url + '/users');
  await expectPath('/enrol');
  await enrol(ADMIN, 'enrol-admin');
});

step('the queue is the home page', async () => {
  await page.getByText('Two-step verification is set up').waitFor();
  await page.getByTestId('queue-placeholder').waitFor();
  await checkPage(page, 'queue');
});

step('admin opens Users and creates a case manager, who then shows in the list', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expectPath('/users');
  await expectHeading('Users');
  await page.getByTestId('users-table').getByText(ADMIN.email).waitFor();
  await checkPage(page, 'users');

  await page.getByTestId('create-user-link').click();
  await expectPath('/users/new');
  await expectHeading('Create user');
  await checkPage(page, 'user-new');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.getByTestId('error-summary').waitFor();
  await checkPage(page, 'user-new-errors');

  await page.getByLabel('Email address').fill(CM.email);
  await page.getByLabel('Name', { exact: true }).fill(CM.name);
  await page.getByLabel('Role').selectOption('case_manager');
  await page.getByLabel('Initial password').fill(CM.password);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expectPath('/users');
  await page.getByTestId('flash').waitFor();
  const row = page.getByTestId('users-table').locator('tr', { hasText: CM.email });
  await row.waitFor();
  assert.match(await row.innerText(), /Case manager/);
  await checkPage(page, 'users-created');

  // Creating the same email again is refused, with the message at the email field.
  await page.getByTestId('create-user-link').click();
  await page.getByLabel('Email address').fill(CM.email);
  await page.getByLabel('Name', { exact: true }).fill('Someone Else');
  await page.getByLabel('Role').selectOption('supervisor');
  await page.getByLabel('Initial password').fill(CM.password + '-2');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.locator('#new-user-email-error').waitFor();
  await checkPage(page, 'user-new-conflict');
});

step('deep links reload into the app: /users', async () => {
  await page.goto(server.url + '/users');
  await expectHeading('Users');
  await page.reload();
  await expectPath('/users');
  await page.getByTestId('users-table').getByText(CM.email).waitFor();
});

step('editing a user sends If-Match; a change by someone else in between is shown, not overwritten', async () => {
  await page.getByTestId('users-table').getByRole('link', { name: new RegExp(CM.name) }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/users/') && u.pathname !== '/users/new');
  await expectHeading('Edit user');
  await page.getByTestId('edit-email').filter({ hasText: CM.email }).waitFor();
  await checkPage(page, 'user-edit');
  const id = decodeURIComponent(path().split('/').pop());

  // "Someone else" renames the user through the API while this form is open.
  const other = await page.evaluate(async (userId) => {
    const me = await (await fetch('/api/v1/me')).json();
    const u = await (await fetch(`/api/v1/users/${userId}`)).json();
    const r = await fetch(`/api/v1/users/${userId}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${u.version}"` },
      body: JSON.stringify({ name: 'Casey Renamed' }),
    });
    return { status: r.status };
  }, id);
  assert.equal(other.status, 200, 'the concurrent PATCH succeeds');

  await page.getByLabel('Role').selectOption('supervisor');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const conflict = page.getByTestId('conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Casey Renamed/);
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Casey Renamed');
  assert.equal(await page.getByLabel('Role').inputValue(), 'case_manager');
  await checkPage(page, 'user-edit-conflict');

  // Saving again, on the fresh version, works.
  await page.getByLabel('Name', { exact: true }).fill(CM.name);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('saved').waitFor();
  await checkPage(page, 'user-edit-saved');
});

step('API tokens: create one, see it once with a copy button, revoke it', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await expectPath('/tokens');
  await expectHeading('API tokens');
  await page.getByText('You have no API tokens.').waitFor();
  await checkPage(page, 'tokens');

  await page.getByLabel('Token name').fill('nightly export script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const value = page.getByTestId('new-token');
  await value.waitFor();
  const token = await value.inputValue();
  assert.ok(token.length >= 16, 'a token is shown');
  await page.getByTestId('copy-token').waitFor();
  await page.getByTestId('tokens-table').getByRole('rowheader', { name: 'nightly export script' }).waitFor();
  await checkPage(page, 'tokens-created');

  // Shown once: after a reload it is nowhere on the page.
  await page.reload();
  await page.getByTestId('tokens-table').getByRole('rowheader', { name: 'nightly export script' }).waitFor();
  assert.equal((await page.content()).includes(token), false, 'the token is not shown again');

  await page.getByTestId('revoke').first().click();
  await page.getByTestId('confirm-revoke').click();
  await page.getByTestId('tokens-table').getByText(/Revoked/).waitFor();
  await checkPage(page, 'tokens-revoked');
});

step('My account shows who you are and changes the password, with field errors from the server', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click();
  await expectPath('/account');
  await expectHeading('My account');
  const details = page.getByTestId('account-details');
  await details.getByText(ADMIN.email).waitFor();
  await details.getByText('Admin', { exact: true }).waitFor();
  await checkPage(page, 'account');

  await page.getByLabel('Current password').fill('wrong-current-password-here');
  await page.getByLabel('New password').fill(ADMIN.newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('#password-current_password-error').waitFor();
  await checkPage(page, 'account-password-error');

  await page.getByLabel('Current password').fill(ADMIN.password);
  await page.getByLabel('New password').fill(ADMIN.newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password has been changed.').waitFor();
  ADMIN.password = ADMIN.newPassword;
});

step('signing out ends the session; a deep link then asks to sign in first', async () => {
  await signOut();
  await checkPage(page, 'signed-out');
  await page.goto(server.url + '/users');
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/users');
});

step('the new case manager signs in, must enrol too, and sees no admin pages', async () => {
  await page.goto(server.url + '/login');
  await signIn(CM, CM.password);
  await enrol(CM, 'enrol-case-manager');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Queue' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0, 'no Users item for a case manager');
  assert.equal(await nav.getByRole('link', { name: 'API tokens' }).count(), 0);
  await checkPage(page, 'queue-case-manager');
  await page.goto(server.url + '/users');
  await expectHeading('You do not have access to this page');
  await checkPage(page, 'forbidden');
  await signOut();
});

step('admin signs in again with a code from a new TOTP step and lands on the deep-linked /users', async () => {
  await page.goto(server.url + '/users');
  await page.waitForURL((u) => u.pathname === '/login');
  await signIn(ADMIN, ADMIN.password);
  await expectHeading('Enter your code');
  const code = page.getByLabel('Code', { exact: true });
  assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await code.getAttribute('inputmode'), 'numeric');
  await checkPage(page, 'login-code');

  const { secret, lastStep } = secrets[ADMIN.email];
  await code.fill(totp(secret, Date.now() - 3600_000).code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('#login-totp_code-error').waitFor();
  await checkPage(page, 'login-code-wrong');

  // A code is accepted once: wait for a step after the one used at enrolment.
  const fresh = await freshCode(secret, lastStep);
  await code.fill(fresh.code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectPath('/users');
  await page.getByTestId('users-table').getByText(CM.email).waitFor();
  await page.reload();
  await expectPath('/users');
  await page.getByTestId('users-table').getByText(CM.email).waitFor();
  await checkPage(page, 'users-deep-link');
});

step('unknown paths show a not-found page inside the app', async () => {
  await page.goto(server.url + '/no/such/page');
  await expectHeading('Page not found');
  await checkPage(page, 'not-found');
  assert.equal(server.exited, false, 'the server is still running');
});

step('a 401 anywhere (the session is gone) sends you to sign in', async () => {
  await page.goto(server.url + '/');
  await expectHeading('Queue');
  await context.clearCookies();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/tokens');
  await page.getByText('Your session has ended').waitFor();
  await checkPage(page, 'session-expired');
});
