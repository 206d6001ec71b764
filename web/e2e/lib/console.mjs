// Steps every console walk shares: waiting for a path or a page heading, and a seeded
// user's first sign-in (password, then TOTP enrolment) landing on the queue.
import assert from 'node:assert/strict';
import { freshCode } from './totp.mjs';

export async function expectPath(page, p) {
  await page.waitForURL((u) => u.pathname === p);
  assert.equal(new URL(page.url()).pathname, p);
}

export async function expectHeading(page, text) {
  await page.getByRole('heading', { level: 1 }).filter({ hasText: text }).first().waitFor();
}

/**
 * Signs in with a password, enrols TOTP (first sign-in of a seeded user) and lands on the queue
 * (`landing`: a provider lands on '/provider', "Your listings"). Returns the TOTP secret.
 */
export async function signInAndEnrol(page, baseUrl, u, landing = { path: '/', heading: 'Queue' }) {
  await page.goto(baseUrl + '/login');
  await page.getByLabel('Email address').fill(u.email);
  await page.getByLabel('Password', { exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectPath(page, '/enrol');
  const field = page.getByTestId('totp-secret');
  await field.waitFor();
  const secret = (await field.inputValue()).replace(/\s+/g, '');
  const { code } = await freshCode(secret);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expectPath(page, landing.path);
  await expectHeading(page, landing.heading);
  return secret;
}
