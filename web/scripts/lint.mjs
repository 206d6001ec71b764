// A cheap, dependency-free lint for what the CSP and the house rules forbid:
//  - in src/: inline styles (style= / style: props), raw HTML sinks, eval, third-party URLs;
//  - in dist/ (when built): inline scripts or styles, event-handler attributes, unhashed or
//    non-local assets, and third-party URLs in the bundle.
// Exit 1 with a list of findings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const findings = [];
const ALLOWED_URL = /^https?:\/\/(www\.w3\.org\/|soundcheck\.invalid\/)/;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function report(file, line, msg) {
  findings.push(`${relative(root, file)}${line ? ':' + line : ''}: ${msg}`);
}

function urls(text) {
  return [...text.matchAll(/https?:\/\/[^\s'"`)<>\\]+/g)].map((m) => m[0]).filter((u) => !ALLOWED_URL.test(u));
}

const SRC_RULES = [
  [/\bstyle\s*=\s*[{"']/, 'inline style attribute (the CSP has no unsafe-inline): use a class'],
  [/\bstyle\s*:\s*\{/, 'inline style object: use a class'],
  [/\.style\.(?!display\b)[a-zA-Z]+\s*=|\.style\.cssText|setAttribute\(\s*['"]style['"]/, 'setting inline styles from script: use a class'],
  [/dangerouslySetInnerHTML/, 'dangerouslySetInnerHTML: build DOM with JSX'],
  [/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, 'raw HTML sink: build DOM with JSX'],
  [/\beval\s*\(|new\s+Function\s*\(/, 'eval / new Function (blocked by the CSP)'],
];

for (const file of walk(join(root, 'src'))) {
  if (!/\.(ts|tsx|css)$/.test(file)) continue;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (/\.test\.tsx?$/.test(file)) return; // tests may poke at the DOM
    if (!file.endsWith('.css')) for (const [re, msg] of SRC_RULES) if (re.test(line)) report(file, i + 1, msg);
    for (const u of urls(line)) report(file, i + 1, `third-party URL ${u}: bundle it instead`);
    if (file.endsWith('.css') && /@import|url\(\s*['"]?https?:/.test(line)) report(file, i + 1, 'remote CSS import or url()');
  });
}

const dist = join(root, 'dist');
if (existsSync(join(dist, 'index.html'))) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/.test(m[1])) report(join(dist, 'index.html'), 0, 'inline <script>');
    else if (m[2].trim() !== '') report(join(dist, 'index.html'), 0, '<script src> with inline content');
  }
  if (/<style\b/i.test(html)) report(join(dist, 'index.html'), 0, 'inline <style>');
  if (/\sstyle\s*=/i.test(html)) report(join(dist, 'index.html'), 0, 'style= attribute');
  if (/\son[a-z]+\s*=/i.test(html)) report(join(dist, 'index.html'), 0, 'event-handler attribute');
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)) {
    const ref = m[1];
    if (!ref.startsWith('/assets/')) report(join(dist, 'index.html'), 0, `asset not under /assets/: ${ref}`);
    else if (!/-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/.test(ref)) report(join(dist, 'index.html'), 0, `asset name not hashed: ${ref}`);
    else if (!existsSync(join(dist, ref))) report(join(dist, 'index.html'), 0, `asset missing: ${ref}`);
  }
  for (const file of walk(join(dist, 'assets'))) {
    if (!/\.(js|css)$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const u of new Set(urls(text))) report(file, 0, `third-party URL in the bundle: ${u}`);
    if (/sourceMappingURL=data:/.test(text)) report(file, 0, 'inline source map');
  }
}

if (findings.length) {
  console.error(`lint: ${findings.length} problem(s)\n` + findings.map((f) => '  ' + f).join('\n'));
  process.exit(1);
}
console.log(`lint: ok (src${existsSync(join(dist, 'index.html')) ? ' and dist' : ''})`);
