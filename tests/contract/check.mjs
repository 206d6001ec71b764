// The API contract check: lint the OpenAPI document with Redocly, then validate every
// response recorded by the API tests (SC_API_RECORD) against the schema of its operation
// and status. Fails on any lint error, any response that does not match, any recorded
// status the document does not declare, and when fewer than 2 operations were exercised.
//
// Usage: node check.mjs OPENAPI.json RECORDED.jsonl
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
const [docPath, recordedPath] = process.argv.slice(2);
if (!docPath || !recordedPath) {
  console.error('usage: node check.mjs OPENAPI.json RECORDED.jsonl');
  process.exit(2);
}

// 1. Lint.
try {
  execFileSync(join(here, 'node_modules/.bin/redocly'),
    ['lint', '--config', join(here, 'redocly.yaml'), docPath], { stdio: 'inherit' });
} catch {
  console.error('contract: the OpenAPI document has lint errors');
  process.exit(1);
}

// 2. Responses against schemas.
const doc = JSON.parse(readFileSync(docPath, 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: doc.components });

const templates = Object.keys(doc.paths).map((p) => ({
  path: p,
  re: new RegExp('^' + p.replace(/\{[a-z_]+\}/g, '[^/]+') + '$'),
}));

function findOperation(method, path) {
  const t = templates.find((x) => x.re.test(path));
  if (!t) return null;
  return { template: t.path, op: doc.paths[t.path][method.toLowerCase()] };
}

function rewriteRefs(schema) {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
}

const lines = readFileSync(recordedPath, 'utf8').split('\n').filter(Boolean);
const failures = [];
const exercised = new Set();
let checked = 0;
for (const line of lines) {
  const rec = JSON.parse(line);
  const found = findOperation(rec.method, rec.path);
  if (!found || !found.op) continue; // unknown paths are the 404/405 tests
  const key = `${rec.method} ${found.template}`;
  const declared = found.op.responses[String(rec.status)];
  if (!declared) {
    failures.push(`${key} answered ${rec.status}, which the document does not declare`);
    continue;
  }
  exercised.add(key);
  const content = declared.content;
  if (!content) continue; // 204 and friends
  const mediaType = (rec.content_type || '').split(';')[0];
  const media = content[mediaType];
  if (!media) {
    failures.push(`${key} ${rec.status}: content type ${mediaType} not declared`);
    continue;
  }
  // Text bodies (metrics, event streams) are checked for their declared type only.
  if (!media.schema || !mediaType.endsWith('json')) continue;
  const validate = ajv.compile(rewriteRefs(media.schema));
  let body;
  try {
    body = JSON.parse(rec.body);
  } catch {
    failures.push(`${key} ${rec.status}: body is not JSON`);
    continue;
  }
  checked++;
  if (!validate(body)) {
    failures.push(`${key} ${rec.status}: ${ajv.errorsText(validate.errors)}`);
  }
}

const unique = [...new Set(failures)];
for (const f of unique.slice(0, 50)) console.error('contract: ' + f);
const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`contract: ${checked} responses validated; ${exercised.size} of ${operations} operations exercised; ${unique.length} problems`);
if (unique.length > 0 || exercised.size < 2) process.exit(1);
