// Seeding a running server through its public API: the demo directory imported while it runs
// (waiting for the matching index to follow), and an intake as a member would send it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sleep } from './walk.mjs';

/** GET /api/v1/finder?`query` (200 expected). */
export async function finder(baseUrl, query) {
  const res = await fetch(`${baseUrl}/api/v1/finder?${query}`, { headers: { Accept: 'application/json' } });
  assert.equal(res.status, 200, `GET /api/v1/finder?${query}: ${res.status}`);
  return res.json();
}

/**
 * Imports the HSDS folder `demo` into the running server and waits (20 s at most) until the
 * finder's answer for `query` comes from a newer index than `empty` (the answer before the
 * import), with providers in it. Returns that answer.
 */
export async function importAndFollow(server, demo, empty, query) {
  await server.importHsds(demo);
  let answer = empty;
  for (let i = 0; i < 100 && answer.providers.snapshot_version <= empty.providers.snapshot_version; i++) {
    await sleep(200);
    answer = await finder(server.url, query);
  }
  assert.ok(answer.providers.snapshot_version > empty.providers.snapshot_version, 'the index was rebuilt after the import');
  assert.ok(answer.providers.eligible > 0, 'the demo directory has therapists for US-NY');
  return answer;
}

/**
 * An obviously fictitious adult's intake for the matching walks: New York, therapy, on a
 * plan the demo directory's panels carry. `overrides` replaces whole top-level fields.
 */
export function fictionalIntake(overrides = {}) {
  return {
    for: 'self',
    preferred_name: 'Avery Example',
    language: 'en',
    contact: { phone: '+1 212 555 0100', preferred: 'text', text_ok: true, voicemail_ok: false },
    industry_role: 'touring_crew',
    location: { country: 'US', region: 'US-NY', time_zone: 'America/New_York' },
    on_tour: { now: false },
    requests: ['therapy'],
    insurance: { type: 'employer', carrier: 'Sustain Health (DEMO)', plan_name: 'Silver PPO' },
    screenings: [{ instrument: 'phq2', answers: [1, 0] }],
    consents: { privacy_notice_version: '2026-11', contact: true },
    ...overrides,
  };
}

/** POST /api/v1/intakes with a fresh Idempotency-Key (201 expected); returns the receipt. */
export async function postIntake(baseUrl, intake) {
  const res = await fetch(baseUrl + '/api/v1/intakes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(intake),
  });
  const text = await res.text();
  assert.equal(res.status, 201, `POST /api/v1/intakes: ${res.status} ${text}`);
  return JSON.parse(text);
}
