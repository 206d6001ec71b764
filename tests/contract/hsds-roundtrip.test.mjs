// The directory's import and export, end to end with the real binary on a real SQLite file,
// checked by the official schemas (ajv, hsds-validate.mjs):
//  - every official HSDS example imports; the export in each format validates; each export
//    imports into an empty directory and exports again to the same bytes (round trip);
//  - importing the same data twice changes nothing;
//  - broken inputs (bad uuid, missing required field, wrong enum, broken CSV quoting,
//    duplicate ids, a file cut off mid-record) exit non-zero, name the record and field, and
//    leave the directory exactly as it was;
//  - a generated 1,500-provider directory (what `make demo` loads) validates in every format.
// Run: SC_BIN=build/bin/soundcheck node --test tests/contract/hsds-roundtrip.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { validateHsds, formatProblem } from './hsds-validate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const EXAMPLES = resolve(ROOT, '../shared/hsds/examples');
const BIN = resolve(ROOT, process.env.SC_BIN ?? 'build/bin/soundcheck');
const WORK = mkdtempSync(join(tmpdir(), 'sc-hsds-'));

process.on('exit', () => rmSync(WORK, { recursive: true, force: true }));

let dbCount = 0;
/** A fresh, empty directory: its own SQLite file and data dir. */
function freshDb() {
  const dir = join(WORK, `db${++dbCount}`);
  mkdirSync(dir);
  return ['--db', `sqlite:${join(dir, 'soundcheck.db')}`, '--data-dir', join(dir, 'data'), '--log-level', 'warn'];
}

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

function mustRun(args) {
  const r = run(args);
  assert.equal(r.status, 0, `soundcheck ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Exports all three formats into a new folder; returns their paths. */
function exportAll(db, name) {
  const out = join(WORK, `${name}-${dbCount}`);
  mkdirSync(out);
  const paths = { json: join(out, 'directory.json'), ndjson: join(out, 'directory.ndjson'), csv: join(out, 'csv') };
  mustRun(['export', 'hsds', '--format', 'json', '--out', paths.json, ...db]);
  mustRun(['export', 'hsds', '--format', 'ndjson', '--out', paths.ndjson, ...db]);
  mustRun(['export', 'hsds', '--format', 'csv', '--out', paths.csv, ...db]);
  return paths;
}

async function assertValid(options) {
  const report = await validateHsds(options);
  assert.ok(report.ok, `${options.mode} ${options.path} does not validate:\n${report.errors.map(formatProblem).join('\n')}`);
  return report;
}

/** All three exports validate with the official schemas, and each re-imports to the same directory. */
async function checkExports(db, name, { fk = 'error' } = {}) {
  const first = exportAll(db, name);
  // tabular_required (e.g. service.organization_id) is relaxed: objects that arrive in nested
  // form may lack those keys and Soundcheck keeps them (docs/directory.md).
  const relaxed = { tabularRequired: 'ignore', fk };
  await assertValid({ mode: 'tabular', path: first.json, ...relaxed });
  await assertValid({ mode: 'csv', path: first.csv, ...relaxed });
  if (readFileSync(first.ndjson, 'utf8').length > 0) {
    await assertValid({ mode: 'ndjson', type: 'service', path: first.ndjson });
  }
  const original = readFileSync(first.json, 'utf8');
  for (const [format, path] of Object.entries({ json: first.json, csv: first.csv })) {
    const again = freshDb();
    mustRun(['import', 'hsds', path, ...again]);
    const second = exportAll(again, `${name}-${format}-again`);
    assert.equal(readFileSync(second.json, 'utf8'), original, `${name}: ${format} export did not round-trip`);
  }
  return original;
}

const OFFICIAL = [
  ['service_full.json'], ['organization_full.json'], ['service_at_location_full.json'],
  ['location.json'], ['taxonomy.json'], ['taxonomy_term.json'], ['service_list.json'],
  ['organization_list.json'], ['service_at_location_list.json'], ['taxonomy_list.json'],
  ['taxonomy_term_list.json'], ['tabular.json'], ['csv'],
];

for (const [example] of OFFICIAL) {
  test(`official example ${example}: imports, exports valid HSDS, round-trips`, async () => {
    const db = freshDb();
    const r = mustRun(['import', 'hsds', join(EXAMPLES, example), ...db]);
    assert.match(r.stdout, /^imported \d+ records/m);
    // The official examples point at records they do not contain (fixed upstream in 3.1.1):
    // an import warns about them, and their exports carry the same dangling keys.
    await checkExports(db, example.replace(/\W/g, '_'), { fk: 'warn' });
  });
}

test('importing the same data twice changes nothing', () => {
  const db = freshDb();
  mustRun(['import', 'hsds', join(EXAMPLES, 'service_full.json'), ...db]);
  const before = exportAll(db, 'twice-1');
  const second = mustRun(['import', 'hsds', join(EXAMPLES, 'service_full.json'), ...db]);
  assert.doesNotMatch(second.stdout, / [1-9]\d* added/);
  assert.doesNotMatch(second.stdout, / [1-9]\d* updated/);
  const after = exportAll(db, 'twice-2');
  assert.equal(readFileSync(after.json, 'utf8'), readFileSync(before.json, 'utf8'));
});

// --- broken input: a clear message naming the record and field, exit 1, nothing changed --

function brokenCase(name, make, expect) {
  test(`broken input is refused and changes nothing: ${name}`, () => {
    const db = freshDb();
    mustRun(['import', 'hsds', join(EXAMPLES, 'organization_full.json'), ...db]);
    const before = exportAll(db, `${name}-before`);
    const path = make(join(WORK, `broken-${name.replace(/\W/g, '_')}`));
    const r = run(['import', 'hsds', path, '--type', 'service', ...db].filter((a) => !(path.endsWith('csvdir') && a === '--type') && !(path.endsWith('csvdir') && a === 'service')));
    assert.equal(r.status, 1, `${name}: expected exit 1\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /nothing was imported/);
    for (const pattern of expect) assert.match(r.stderr, pattern);
    const after = exportAll(db, `${name}-after`);
    assert.equal(readFileSync(after.json, 'utf8'), readFileSync(before.json, 'utf8'));
  });
}

const serviceFull = () => JSON.parse(readFileSync(join(EXAMPLES, 'service_full.json'), 'utf8'));
const SERVICE_ID = 'ac148810-d857-441c-9679-408f346de14b';
const PHONE_ID = '1554f2e2-a373-45db-a3fa-9fc48a61c15e';

brokenCase('bad uuid', (p) => {
  const s = serviceFull();
  s.phones[0].id = '1554f2e2-not-a-uuid';
  writeFileSync(`${p}.json`, JSON.stringify(s));
  return `${p}.json`;
}, [/\/phones\/0: phone \/id must be a valid uuid/]);

brokenCase('missing required field', (p) => {
  const s = serviceFull();
  delete s.name;
  writeFileSync(`${p}.json`, JSON.stringify(s));
  return `${p}.json`;
}, [new RegExp(`service ${SERVICE_ID} /name is required`)]);

brokenCase('wrong enum', (p) => {
  const s = serviceFull();
  s.status = 'open for business';
  writeFileSync(`${p}.json`, JSON.stringify(s));
  return `${p}.json`;
}, [new RegExp(`service ${SERVICE_ID} /status must be one of: active, inactive, defunct, temporarily closed`)]);

brokenCase('same id twice with different content', (p) => {
  const a = serviceFull();
  const b = serviceFull();
  b.phones[0].number = '+1-615-555-0199';
  writeFileSync(`${p}.json`, JSON.stringify([a, b]));
  return `${p}.json`;
}, [new RegExp(`phone ${PHONE_ID} /number the same object appears twice with different values`)]);

brokenCase('NDJSON cut off mid-record', (p) => {
  const line = JSON.stringify(serviceFull());
  writeFileSync(`${p}.ndjson`, `${line}\n${line.slice(0, line.length / 2)}`);
  return `${p}.ndjson`;
}, [/\.ndjson:2: .*not valid JSON/]);

brokenCase('JSON cut off mid-record', (p) => {
  const text = JSON.stringify(serviceFull(), null, 1);
  writeFileSync(`${p}.json`, text.slice(0, text.length / 2));
  return `${p}.json`;
}, [/\.json:\d+: .*not valid JSON/]);

function csvPackage(p, edit) {
  const dir = `${p}.csvdir`;
  cpSync(join(EXAMPLES, 'csv'), dir, { recursive: true });
  edit(dir);
  return dir;
}

brokenCase('broken CSV quoting', (p) => csvPackage(p, (dir) => {
  const file = join(dir, 'services.csv');
  writeFileSync(file, readFileSync(file, 'utf8').replace('Community Counselling,', 'Community "Counselling,'));
}), [/services\.csv.*line 2: a quote inside an unquoted field/]);

brokenCase('duplicate ids in a CSV table', (p) => csvPackage(p, (dir) => {
  const file = join(dir, 'phones.csv');
  const lines = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
  writeFileSync(file, `${[...lines, lines[1]].join('\n')}\n`);
}), [/phones\.csv:3: phone 1554f2e2-a373-45db-a3fa-9fc48a61c15e \/id appears twice in this table/]);

brokenCase('CSV cut off mid-record', (p) => csvPackage(p, (dir) => {
  const file = join(dir, 'services.csv');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, text.indexOf('Suitable for people')));
}), [/services\.csv.*a quoted field is never closed/]);

test('a generated 1,500-provider directory validates in every format and round-trips', async () => {
  const out = join(WORK, 'generated');
  const g = mustRun(['demo', 'generate', '--providers', '1500', '--seed', '7', '--today', '2026-11-25', '--out', out]);
  assert.match(g.stdout, /generated 1500 fictitious providers/);
  await assertValid({ mode: 'csv', path: out });
  const db = freshDb();
  mustRun(['import', 'hsds', out, '--strict', ...db]);
  await checkExports(db, 'generated');
});

test('usage errors exit 2 with a message', () => {
  const db = freshDb();
  let r = run(['import', 'hsds', join(WORK, 'does-not-exist.json'), ...db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read/);
  const folder = join(WORK, 'no-package');
  mkdirSync(folder);
  r = run(['import', 'hsds', folder, ...db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /without datapackage\.json/);
  r = run(['export', 'hsds', '--format', 'xml', ...db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--format must be json, ndjson or csv/);
});
