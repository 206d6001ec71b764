// Directory data for the e2e walks, made by the server binary itself: `soundcheck demo generate`
// writes a fictitious directory as a CSV data package; the console's import page takes JSON or
// NDJSON, so it is imported into a scratch data directory and exported as HSDS JSON from there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, serverBinary } from './server.mjs';

/** The scratch folder these files live in; remove it with `cleanup()`. */
export function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'soundcheck-e2e-directory-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `demo generate` into `<dir>/demo-<providers>` (a CSV data package); returns its path. */
export async function generateDemo(dir, { providers, seed = 7, today = '2026-01-05' }) {
  const out = join(dir, `demo-${providers}`);
  await runCli(serverBinary(), ['demo', 'generate', '--providers', String(providers), '--seed', String(seed), '--out', out, '--today', today]);
  return out;
}

/** The same directory as one HSDS JSON document (the tabular form: every record, by type). */
export async function demoJson(dir, opts) {
  const csv = await generateDemo(dir, opts);
  const data = join(dir, `data-${opts.providers}`);
  await runCli(serverBinary(), ['import', 'hsds', csv, '--data-dir', data]);
  const file = join(dir, `soundcheck-demo-${opts.providers}.json`);
  await runCli(serverBinary(), ['export', 'hsds', '--data-dir', data, '--format', 'json', '--out', file]);
  return file;
}

/**
 * A file no import accepts: one service with an id that is not a UUID and a status HSDS does not
 * have, one pointing at an organization that exists nowhere (an error with "Strict references").
 */
export function brokenFile(dir) {
  const file = join(dir, 'broken-directory.json');
  writeFileSync(
    file,
    JSON.stringify([
      { id: 'not-a-uuid', name: 'Broken service (fictional)', status: 'open-ish' },
      {
        id: '4f9f3c2e-7a51-4c1e-9a44-2b7d0f0e5a10',
        name: 'Orphan service (fictional)',
        status: 'active',
        organization_id: '4f9f3c2e-7a51-4c1e-9a44-2b7d0f0e5a11',
      },
    ]),
  );
  return file;
}
