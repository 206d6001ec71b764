// Self-test for hsds-validate.mjs: node --test tests/contract/hsds-validate.test.mjs
// Needs the HSDS copy in <repo>/../shared/hsds (as in CI); the schema-based tests are skipped
// without it. Broken inputs are written to a fresh temp folder.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SCHEMAS_DIR, parseCsv, validateHsds } from './hsds-validate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, 'hsds-validate.mjs');
const HSDS = dirname(DEFAULT_SCHEMAS_DIR);
const EX = join(HSDS, 'examples');
const skip = existsSync(join(HSDS, 'datapackage.json')) ? false : `no HSDS copy at ${HSDS}`;

/** Runs the CLI; returns {status, out} with stdout and stderr together. */
function cli(...args) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

describe('parseCsv (RFC 4180)', () => {
  test('quoted fields with delimiters, doubled quotes and line breaks', () => {
    const { rows, errors } = parseCsv('id,text\r\n1,"a, ""b""\r\nc"\r\n2,plain\r\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(rows, [
      { cells: ['id', 'text'], line: 1 },
      { cells: ['1', 'a, "b"\r\nc'], line: 2 },
      { cells: ['2', 'plain'], line: 4 },
    ]);
  });

  test('LF endings, BOM, empty fields, no final newline, blank lines skipped', () => {
    const { rows } = parseCsv('\uFEFFa,b,c\n,,\n\n"",x,\n1,2,3');
    assert.deepEqual(rows.map((r) => r.cells), [['a', 'b', 'c'], ['', '', ''], ['', 'x', ''], ['1', '2', '3']]);
    assert.deepEqual(rows.map((r) => r.line), [1, 2, 4, 5]);
  });

  test('malformed quoting is reported with row, cell and line', () => {
    const stray = parseCsv('a,b\n1,x"y\n');
    assert.equal(stray.errors.length, 1);
    assert.match(stray.errors[0].message, /quote character inside an unquoted field/);
    assert.deepEqual([stray.errors[0].row, stray.errors[0].cell, stray.errors[0].line], [1, 1, 2]);

    const after = parseCsv('a,b\n"1"x,2\n');
    assert.match(after.errors[0].message, /after a closing quote/);

    const open = parseCsv('a,b\n1,2\n3,"never closed\n4,5\n');
    assert.match(open.errors[0].message, /unterminated quoted field .* line 3/);
    assert.equal(open.rows.length, 3);
  });
});

describe('official HSDS examples validate', { skip }, () => {
  const objects = [
    ['service', 'service_full.json'],
    ['organization', 'organization_full.json'],
    ['service_at_location', 'service_at_location_full.json'],
    ['location', 'location.json'],
    ['taxonomy', 'taxonomy.json'],
    ['taxonomy_term', 'taxonomy_term.json'],
    // API Page wrappers
    ['service', 'service_list.json'],
    ['organization', 'organization_list.json'],
    ['service_at_location', 'service_at_location_list.json'],
    ['taxonomy', 'taxonomy_list.json'],
    ['taxonomy_term', 'taxonomy_term_list.json'],
  ];
  for (const [type, file] of objects) {
    test(`--type ${type} ${file}`, () => {
      const r = cli('--type', type, join(EX, file));
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, new RegExp(`OK .*${type} 1/1 valid`));
    });
  }

  test('an array of objects', async () => {
    const svc = readJson(join(EX, 'service_full.json'));
    const report = await validateHsds({ type: 'service', data: [svc, svc] });
    assert.equal(report.ok, true);
    assert.deepEqual(report.summaryCounts, { service: { valid: 2, total: 2 } });
  });

  test('--csv examples/csv: its only problems are dangling foreign keys and datapackage header gaps', () => {
    const strict = cli('--csv', join(EX, 'csv'), '--quiet');
    const errors = strict.out.split('\n').filter((l) => l.includes('ERROR'));
    for (const line of errors) assert.match(line, /dangling foreign key|is not a field of resource/, line);

    const lenient = cli('--csv', join(EX, 'csv'), '--fk', 'warn', '--header', 'warn');
    assert.equal(lenient.status, 0, lenient.out);
    assert.match(lenient.out, /service 1\/1/);
  });

  test('--tabular examples/tabular.json: every table key maps to a datapackage resource', async () => {
    const report = await validateHsds({ mode: 'tabular', path: join(EX, 'tabular.json'), fk: 'warn' });
    assert.equal(report.problems.filter((p) => /not a table/.test(p.message)).length, 0);
    assert.equal(Object.keys(report.summaryCounts).length, Object.keys(readJson(join(EX, 'tabular.json'))).length);
  });
});

describe('broken inputs fail with the record id and field', { skip }, () => {
  let dir;
  const svc = () => readJson(join(EX, 'service_full.json'));
  const write = (name, data) => {
    const p = join(dir, name);
    writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
    return p;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hsds-validate-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('bad uuid', () => {
    const s = svc();
    s.id = 'not-a-uuid';
    const r = cli('--type', 'service', write('bad-uuid.json', s));
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /service \(document\) id=not-a-uuid: \/id must match format "uuid"/);
  });

  test('missing required name (nested and top level)', () => {
    const s = svc();
    delete s.name;
    delete s.organization.name;
    const r = cli('--type', 'service', write('no-name.json', s));
    assert.equal(r.status, 1);
    assert.match(r.out, /id=ac148810-d857-441c-9679-408f346de14b: \/name is required but missing/);
    assert.match(r.out, /: \/organization\/name is required but missing/);
  });

  test('wrong status enum', () => {
    const s = svc();
    s.status = 'paused';
    const r = cli('--type', 'service', write('bad-status.json', s));
    assert.equal(r.status, 1);
    assert.match(r.out, /\/status must be equal to one of the allowed values: "active".* \(got "paused"\)/);
  });

  test('Page wrapper with a missing field, a wrong type and a bad item', () => {
    const page = readJson(join(EX, 'service_list.json'));
    delete page.empty;
    page.page_number = '1';
    page.contents[0].status = 'open';
    const r = cli('--type', 'service', write('page.json', page));
    assert.equal(r.status, 1);
    assert.match(r.out, /Page wrapper: \/empty is required but missing/);
    assert.match(r.out, /Page wrapper: \/page_number must be integer/);
    assert.match(r.out, /service \/contents\/0 id=\S+: \/status must be equal/);
  });

  test('NDJSON reports line numbers', () => {
    const good = JSON.stringify(svc());
    const bad = svc();
    bad.id = 'nope';
    const r = cli('--ndjson', '--type', 'service', write('s.ndjson', `${good}\n${JSON.stringify(bad)}\n{oops\n`));
    assert.equal(r.status, 1);
    assert.match(r.out, /service 1\/3 valid/);
    assert.match(r.out, /service line 2 id=nope: \/id must match format "uuid"/);
    assert.match(r.out, /service line 3: \(whole record\) is not valid JSON/);
  });

  /**
   * A small CSV package of our own: the official descriptor cut down to organization, program
   * and service (whose foreign keys stay within those three), plus CSV files written here.
   */
  function csvPackage(name, files) {
    const pkg = join(dir, name);
    mkdirSync(pkg);
    const dp = readJson(join(HSDS, 'datapackage.json'));
    dp.resources = dp.resources.filter((r) => ['organization', 'program', 'service'].includes(r.name));
    writeFileSync(join(pkg, 'datapackage.json'), JSON.stringify(dp));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(pkg, file), text);
    return pkg;
  }
  const ORG = '11111111-1111-4111-8111-111111111111';
  const SVC = '22222222-2222-4222-8222-222222222222';
  const organizations = `id,name,description,year_incorporated\r\n${ORG},"Org, Inc.","Says ""hi""\r\non two lines",2011\r\n`;

  test('a well-formed CSV package validates (empty FK cell, missing CSV files are fine)', () => {
    const pkg = csvPackage('good', {
      'organizations.csv': organizations,
      'services.csv': `id,organization_id,program_id,name,status,minimum_age\n${SVC},${ORG},,Help,active,12\n`,
    });
    const r = cli('--csv', pkg);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /organization 1\/1, service 1\/1 valid; no CSV for programs.csv/);
  });

  test('broken CSV quoting', () => {
    const pkg = csvPackage('quoting', {
      'organizations.csv': organizations,
      'services.csv': `id,organization_id,name,status\n${SVC},${ORG},"Help" me,active\n`,
      'programs.csv': `id,organization_id,name,description\n33333333-3333-4333-8333-333333333333,${ORG},P,"never closed\n`,
    });
    const r = cli('--csv', pkg);
    assert.equal(r.status, 1);
    assert.match(r.out, new RegExp(`service services.csv line 2 id=${SVC}: /name CSV syntax error: unexpected character`));
    assert.match(r.out, /program programs.csv line 2 id=3333\S+: \/description CSV syntax error: unterminated quoted field/);
  });

  test('CSV content: types, schema, primary key, foreign key, header', () => {
    const pkg = csvPackage('content', {
      'organizations.csv': organizations,
      'services.csv': [
        'id,organization_id,name,status,minimum_age,colour',
        `${SVC},${ORG},Help,active,12,red`,
        `not-a-uuid,${ORG},,paused,twelve,`,
        `${SVC},44444444-4444-4444-8444-444444444444,Copy,active,,`,
      ].join('\n'),
    });
    const r = cli('--csv', pkg);
    assert.equal(r.status, 1);
    const expect = [
      /service services.csv header \(line 1\): column "colour" is not a field of resource "service"/,
      /services.csv line 3 id=not-a-uuid: \/id must match format "uuid"/,
      /services.csv line 3 id=not-a-uuid: \/name is required but missing/,
      /services.csv line 3 id=not-a-uuid: \/status must be equal to one of the allowed values/,
      /services.csv line 3 id=not-a-uuid: \/minimum_age is not a valid number \(got "twelve"\)/,
      new RegExp(`services.csv line 4 id=${SVC}: /id duplicate primary key`),
      /services.csv line 4 id=\S+: \/organization_id dangling foreign key organization_id="44444444/,
    ];
    for (const re of expect) assert.match(r.out, re);
    assert.match(r.out, /service 1\/3 valid/);

    // With --fk warn the dangling reference no longer fails (the other errors still do).
    const warn = cli('--csv', pkg, '--fk', 'warn');
    assert.match(warn.out, /WARN {2}.*dangling foreign key/);
    assert.doesNotMatch(warn.out, /ERROR .*dangling/);
  });

  test('--tabular accepts resource names, paths and path stems as keys', () => {
    const t = readJson(join(EX, 'tabular.json'));
    const doc = { organization: t['organizations.csv'], 'programs.csv': t['programs.csv'], services: t['services.csv'], nonsense: [] };
    const r = cli('--tabular', write('tab.json', doc));
    assert.match(r.out, /organization 1\/1, program 1\/1, service 1\/1 valid/);
    assert.match(r.out, /nonsense table key: is not a table of the data package/);
    assert.equal(r.status, 1);
  });

  test('bad usage and unreadable input exit 2', () => {
    assert.equal(cli('--type', 'service', join(dir, 'missing.json')).status, 2);
    assert.equal(cli('--type', 'service', write('trunc.json', '{"id":')).status, 2);
    assert.equal(cli('--type', 'no_such_type', join(EX, 'service_full.json')).status, 2);
    assert.equal(cli(join(EX, 'service_full.json')).status, 2); // no --type
    assert.equal(cli('--csv', '--tabular', join(EX, 'csv')).status, 2);
    assert.equal(cli('--csv', join(EX, 'csv'), '--fk', 'maybe').status, 2);
    assert.equal(cli('--type', 'service', '--schemas', join(dir, 'nowhere'), join(EX, 'service_full.json')).status, 2);
  });

  test('--quiet prints nothing for valid input', () => {
    const r = cli('--quiet', '--type', 'taxonomy', join(EX, 'taxonomy.json'));
    assert.equal(r.status, 0);
    assert.equal(r.out, '');
  });

  test('--schemas points at another schema folder', () => {
    const copy = join(dir, 'schema-copy');
    cpSync(DEFAULT_SCHEMAS_DIR, copy, { recursive: true });
    const r = cli('--schemas', copy, '--type', 'service', join(EX, 'service_full.json'));
    assert.equal(r.status, 0, r.out);
  });
});
