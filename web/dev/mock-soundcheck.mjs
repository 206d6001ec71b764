#!/usr/bin/env node
// THROWAWAY MOCK of the Soundcheck server, for developing the web console before the real
// server exists. It is NOT the server and NOT used by the committed tests' default target
// (`npm run e2e` runs the real binary). It mimics the real CLI so the e2e can point at it:
//
//   SC_BIN=dev/mock-soundcheck.mjs npm run e2e        (or: npm run e2e:mock)
//   node dev/mock-soundcheck.mjs serve --data-dir D --listen 127.0.0.1:0 --web-dir dist
//   printf '%s' "$PW" | node dev/mock-soundcheck.mjs user add --data-dir D --email E --role admin --name N
//
// Only what the web app uses is here: auth with TOTP, /me, users, tokens; for the member
// intake the public crisis lines, the screening calculator (PHQ-2/9, GAD-2/7, the C-SSRS
// screener), POST /api/v1/intakes (strict shape, Idempotency-Key) and the no-script crisis
// footer that the server puts in place of <!--sc:crisis--> on every page; and, in memory, the
// case queue (opened by intakes) and live support of issue 3: GET /api/v1/stream (SSE),
// alerts, duty, staff, shifts, support requests, suggestions, links and the member status
// page (its "mail" is appended to <data-dir>/mail-outbox.jsonl). No dependencies.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const ROLES = ['member', 'case_manager', 'supervisor', 'provider', 'fund_reviewer', 'sponsor', 'partner_app', 'admin'];
const TOTP_ROLES = new Set(['case_manager', 'supervisor', 'provider', 'fund_reviewer', 'admin']);
const COMMON = new Set(['password', 'password123', '123456789', 'qwertyuiop', 'correcthorsebatterystaple', 'letmein', 'iloveyou']);
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const PROBLEM_BASE = 'https://soundcheck.dev/problems/'; // as src/http/problem.h

// ---------- args ----------
const argv = process.argv.slice(2);
function opt(name, def) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
}
function die(msg) {
  process.stderr.write(`mock-soundcheck: ${msg}\n`);
  process.exit(2);
}

// ---------- store ----------
const dataDir = opt('data-dir');
if (!dataDir) die('--data-dir is required');
mkdirSync(dataDir, { recursive: true });
const storePath = join(dataDir, 'mock-store.json');
let store = { users: [], tokens: [] };
let storeMtime = 0;
function loadStore() {
  if (!existsSync(storePath)) return;
  const m = statSync(storePath).mtimeMs;
  if (m === storeMtime) return;
  store = JSON.parse(readFileSync(storePath, 'utf8'));
  storeMtime = m;
}
function saveStore() {
  const tmp = storePath + '.tmp';
  writeFileSync(tmp, JSON.stringify(store, null, 2));
  renameSync(tmp, storePath);
  storeMtime = statSync(storePath).mtimeMs;
}
loadStore();

function hashPassword(pw) {
  const salt = randomBytes(16).toString('hex');
  return salt + ':' + createHash('sha256').update(salt + pw).digest('hex');
}
function checkPassword(pw, stored) {
  const [salt, h] = stored.split(':');
  const a = Buffer.from(createHash('sha256').update(salt + pw).digest('hex'));
  const b = Buffer.from(h);
  return a.length === b.length && timingSafeEqual(a, b);
}
function passwordProblems(pw, pointer) {
  const errs = [];
  if ([...pw].length < 8) errs.push({ field: pointer, code: 'too_short', message: 'Use at least 8 characters (15 or more is better)' });
  else if (COMMON.has(pw.toLowerCase())) errs.push({ field: pointer, code: 'common_password', message: 'This password is too common. Choose another' });
  if ([...pw].length > 256) errs.push({ field: pointer, code: 'too_long', message: 'Use at most 256 characters' });
  return errs;
}
function publicUser(u) {
  const { password_hash: _p, totp_secret: _s, totp_pending: _t, totp_last_step: _l, ...rest } = u;
  return rest;
}
function newId() {
  // time-ordered like UUIDv7
  const t = Date.now().toString(16).padStart(12, '0');
  const r = randomUUID().replace(/-/g, '').slice(12);
  const h = (t + r).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// ---------- TOTP (RFC 6238, SHA-1, 6 digits, 30 s) ----------
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32Encode(buf) {
  let bits = 0,
    value = 0,
    out = '';
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}
function base32Decode(s) {
  const clean = s.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0,
    value = 0;
  const out = [];
  for (const c of clean) {
    const i = B32.indexOf(c);
    if (i < 0) throw new Error('bad base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function hotp(key, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}
/** Returns the accepted step, or null. A step at or before lastStep is refused (a code works once). */
function verifyTotp(secret, code, lastStep) {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secret);
  const now = Math.floor(Date.now() / 1000 / 30);
  for (const s of [now - 1, now, now + 1]) {
    if (s <= (lastStep ?? -1)) continue;
    if (hotp(key, s) === code) return s;
  }
  return null;
}

// ---------- CLI: user add ----------
if (argv[0] === 'user' && argv[1] === 'add') {
  const email = opt('email');
  const role = opt('role', 'member');
  const name = opt('name', '');
  if (!email) die('--email is required');
  if (!ROLES.includes(role)) die(`unknown role ${role}`);
  const pw = readFileSync(0, 'utf8');
  if (!pw) die('password on stdin is required');
  loadStore();
  if (store.users.some((u) => u.email.toLowerCase() === email.toLowerCase())) die('a user with this email exists');
  const u = {
    id: newId(),
    email,
    name,
    role,
    disabled: false,
    totp_enrolled: false,
    totp_required: TOTP_ROLES.has(role),
    version: 1,
    created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    password_hash: hashPassword(pw),
  };
  store.users.push(u);
  saveStore();
  process.stdout.write(`created user ${u.id}\n`);
  process.exit(0);
}

if (argv[0] !== 'serve') die('usage: serve --data-dir D --listen HOST:PORT --web-dir W | user add --data-dir D --email E --role R --name N');

// ---------- HTTP ----------
const webDir = resolve(opt('web-dir', 'dist'));
const listen = opt('listen', '127.0.0.1:0');
const [host, portStr] = [listen.slice(0, listen.lastIndexOf(':')), listen.slice(listen.lastIndexOf(':') + 1)];
const sessions = new Map(); // id -> {userId, csrf, last}
const failures = new Map(); // userId -> [times]

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.txt': 'text/plain' };

function baseHeaders(res) {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}
function send(res, status, body, headers = {}) {
  baseHeaders(res);
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined) {
    res.writeHead(status);
    res.end();
  } else {
    res.setHeader('Content-Type', headers['Content-Type'] ?? 'application/json');
    res.writeHead(status);
    res.end(JSON.stringify(body));
  }
}
function problem(res, req, status, type, title, detail, errors, headers = {}) {
  const body = { type: PROBLEM_BASE + type, title, status, instance: req.reqId };
  if (detail) body.detail = detail;
  if (errors) body.errors = errors;
  send(res, status, body, { 'Content-Type': 'application/problem+json', ...headers });
}
function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  return JSON.parse(text);
}
function unknownFields(body, allowed) {
  return Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ field: '/' + k, code: 'unknown_field', message: `"${k}" is not a field here` }));
}
function page(items, url) {
  const limit = Math.max(1, Math.min(200, parseInt(url.searchParams.get('limit') ?? '50', 10) || 50));
  const cursor = url.searchParams.get('cursor');
  const start = cursor ? parseInt(Buffer.from(cursor, 'base64url').toString(), 10) || 0 : 0;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : null;
  return { items: slice, next_cursor: next };
}

function serveStatic(req, res, url) {
  let p = decodeURIComponent(url.pathname);
  const file = normalize(join(webDir, p));
  const inside = file === webDir || file.startsWith(webDir + sep);
  let target = null;
  if (inside && existsSync(file) && statSync(file).isFile()) target = file;
  else if (!extname(p) || p.endsWith('.html')) target = join(webDir, 'index.html');
  if (!target || !existsSync(target)) {
    send(res, 404, undefined);
    return;
  }
  baseHeaders(res);
  res.setHeader('Content-Type', MIME[extname(target)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.writeHead(200);
  let content = readFileSync(target);
  // Every page gets the crisis line in the HTML itself (works without scripts), as the server does.
  if (target.endsWith('index.html')) {
    const lang = url.pathname.startsWith('/es/') || (req.headers['accept-language'] ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
    content = Buffer.from(content.toString('utf8').replace('<!--sc:crisis-->', crisisFooterHtml(lang)));
  }
  res.end(req.method === 'HEAD' ? undefined : content);
}


// ---------- member intake: crisis lines, screening, intakes (public) ----------
const CRISIS = {
  version: 1,
  last_verified: '2026-11-25',
  source: 'mock of data/crisis-lines.json',
  countries: {
    US: {
      emergency: '911',
      lines: [
        {
          name: { en: '988 Suicide & Crisis Lifeline', es: '988 Línea de Prevención del Suicidio y Crisis' },
          how: {
            en: 'Call or text 988, or chat at 988lifeline.org. Free, confidential, 24/7. Spanish: press 2 or text AYUDA to 988. Veterans: press 1.',
            es: 'Llama o envía un mensaje de texto al 988, o chatea en 988lifeline.org. Gratis, confidencial, las 24 horas. En español: marca 2 o envía AYUDA al 988. Veteranos: marca 1.',
          },
          phone: '988',
          text: '988',
          url: 'https://988lifeline.org',
        },
      ],
    },
    CA: {
      emergency: '911',
      lines: [{ name: { en: '9-8-8 Suicide Crisis Helpline', es: '9-8-8 Línea de Crisis de Suicidio' }, how: { en: 'Call or text 9-8-8, in English or French, 24/7.', es: 'Llama o envía un mensaje de texto al 9-8-8, en inglés o francés, las 24 horas.' }, phone: '988', text: '988', url: 'https://988.ca' }],
    },
    GB: {
      emergency: '999',
      lines: [{ name: { en: 'Samaritans', es: 'Samaritans' }, how: { en: 'Call 116 123, free, any time.', es: 'Llama gratis al 116 123, a cualquier hora.' }, phone: '116123', url: 'https://www.samaritans.org' }],
    },
  },
  fallback: {
    emergency: '112',
    lines: [],
    note: {
      en: 'Call your local emergency number now if you might act on thoughts of harming yourself. 112 works from mobile phones in many countries.',
      es: 'Si crees que podrías hacerte daño, llama ahora al número de emergencias local. El 112 funciona desde teléfonos móviles en muchos países.',
    },
  },
};
function crisisFor(country, lang) {
  const cc = /^[A-Za-z]{2}$/.test(country ?? '') ? country.toUpperCase() : 'US';
  const language = String(lang ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
  const c = CRISIS.countries[cc];
  const src = c ?? CRISIS.fallback;
  const out = {
    country: cc,
    known: !!c,
    language,
    emergency: src.emergency,
    lines: src.lines.map((l) => {
      const o = { name: l.name[language], how: l.how[language] };
      for (const k of ['phone', 'text', 'url']) if (l[k]) o[k] = l[k];
      return o;
    }),
    version: CRISIS.version,
    last_verified: CRISIS.last_verified,
    source: CRISIS.source,
  };
  if (!c) out.note = CRISIS.fallback.note[language];
  return out;
}
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
/** What the real server is to render in place of <!--sc:crisis--> on member pages. */
function crisisFooterHtml(lang) {
  const r = crisisFor('US', lang);
  const es = r.language === 'es';
  const tel = (n) => `tel:${n.replace(/[^\d+]/g, '')}`;
  const parts = [`<h2>${es ? '¿Necesitas hablar con alguien ahora?' : 'Need to talk to someone now?'}</h2>`];
  for (const l of r.lines) {
    parts.push(`<p><strong>${escapeHtml(l.name)}</strong> ${escapeHtml(l.how)}</p>`);
    const links = [];
    if (l.phone) links.push(`<a href="${tel(l.phone)}">${es ? 'Llamar al' : 'Call'} ${escapeHtml(l.phone)}</a>`);
    if (l.text) links.push(`<a href="sms:${escapeHtml(l.text)}">${es ? 'Enviar un mensaje de texto al' : 'Text'} ${escapeHtml(l.text)}</a>`);
    if (links.length) parts.push(`<p>${links.join(' · ')}</p>`);
  }
  parts.push(`<p>${es ? 'En una emergencia, llama al' : 'In an emergency, call'} <a href="${tel(r.emergency)}">${escapeHtml(r.emergency)}</a>.</p>`);
  return `<footer class="crisis-footer" id="crisis-footer" lang="${r.language}">${parts.join('')}</footer>`;
}

const SCREENS = {
  phq2: { items: 2, max: 3, cutoff: 3, next: 'phq9' },
  gad2: { items: 2, max: 3, cutoff: 3, next: 'gad7' },
  phq9: { items: 9, max: 3, cutoff: 10, bands: [[4, 'minimal'], [9, 'mild'], [14, 'moderate'], [19, 'moderately_severe'], [27, 'severe']] },
  gad7: { items: 7, max: 3, cutoff: 10, bands: [[4, 'minimal'], [9, 'mild'], [14, 'moderate'], [21, 'severe']] },
};
const CSSRS_QS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q6_past_3_months'];
const riskAnswer = (inst, answers) =>
  (inst === 'phq9' && Array.isArray(answers) && Number(answers[8]) >= 1) ||
  (inst === 'cssrs' && !!answers && typeof answers === 'object' && CSSRS_QS.some((q) => answers[q] === true));
/** The C-SSRS screener by question, with its skip logic (clinical.md section 1). */
function scoreCssrs(a) {
  if (!a || typeof a !== 'object' || Array.isArray(a)) return { errors: [{ field: '/cssrs', code: 'required', message: 'This screen needs its answers.' }] };
  const errors = [];
  for (const k of Object.keys(a)) if (!CSSRS_QS.includes(k)) errors.push({ field: `/answers/${k}`, code: 'unknown_field', message: `"${k}" is not a field here.` });
  const askedIf = { q3: 'q2', q4: 'q2', q5: 'q2', q6_past_3_months: 'q6' };
  for (const q of CSSRS_QS) {
    const parent = askedIf[q];
    const asked = !parent || a[parent] === true;
    if (parent && a[parent] === undefined) continue; // the parent's own error says it
    if (asked && typeof a[q] !== 'boolean') errors.push({ field: `/cssrs/${q}`, code: 'required', message: 'This question needs an answer.' });
    if (!asked && a[q] !== undefined) errors.push({ field: `/cssrs/${q}`, code: 'not_asked', message: 'This question is not asked after that answer.' });
  }
  if (errors.length) return { errors };
  const yes = (q) => a[q] === true;
  const risk = yes('q4') || yes('q5') || yes('q6_past_3_months') ? 'high' : yes('q3') || yes('q6') ? 'moderate' : yes('q1') || yes('q2') ? 'low' : 'none';
  const flags = CSSRS_QS.filter(yes).map((q) => `cssrs_${q}`);
  return {
    result: {
      instrument: 'cssrs',
      instrument_version: 1,
      score: null,
      band: risk,
      positive: risk !== 'none',
      flags,
      risk,
      suggestions: risk === 'high' ? ['crisis_pathway_now', 'same_day_safety_review'] : risk !== 'none' ? ['same_day_safety_review'] : [],
    },
  };
}
/** Scores like the real server for the instruments the intake uses: {result} or {errors}. */
function scoreOne(inst, answers, difficulty) {
  if (inst === 'cssrs') return scoreCssrs(answers);
  if (difficulty !== undefined) {
    if (inst !== 'phq9') return { errors: [{ field: '/phq9_difficulty', code: 'not_applicable', message: 'This answer belongs to another screen.' }] };
    if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 3) return { errors: [{ field: '/phq9_difficulty', code: 'out_of_range', message: 'The answer is 0 to 3.' }] };
  }
  const spec = SCREENS[inst];
  if (!spec) return { errors: [{ field: '/instrument', code: 'invalid_value', message: 'Choose one of: phq2, phq9, gad2, gad7 (mock).' }] };
  if (!Array.isArray(answers) || answers.length !== spec.items)
    return { errors: [{ field: '/answers', code: 'wrong_count', message: `${inst.toUpperCase()} needs exactly ${spec.items} answers.` }] };
  const bad = answers.findIndex((a) => !Number.isInteger(a) || a < 0 || a > spec.max);
  if (bad >= 0) return { errors: [{ field: `/answers/${bad}`, code: 'out_of_range', message: `Each answer is 0 to ${spec.max}.` }] };
  const score = answers.reduce((a, b) => a + b, 0);
  const positive = score >= spec.cutoff;
  const risk = riskAnswer(inst, answers) ? 'low' : 'none';
  const r = {
    instrument: inst,
    instrument_version: 1,
    score,
    band: spec.bands ? spec.bands.find(([hi]) => score <= hi)[1] : positive ? 'positive' : 'negative',
    positive,
    flags: risk !== 'none' ? ['safety_item9'] : [],
    risk,
    suggestions: risk !== 'none' ? ['same_day_safety_review'] : [],
    cutoff: spec.cutoff,
  };
  if (risk !== 'none') r.next_instrument = 'cssrs';
  else if (spec.next && positive) r.next_instrument = spec.next;
  return { result: r };
}

const INTAKE_ENUMS = {
  for: ['self', 'family'],
  relationship: ['partner', 'parent', 'child', 'sibling', 'friend', 'other'],
  preferred: ['phone', 'text', 'email'],
  industry_role: ['artist', 'touring_crew', 'tour_or_production_manager', 'venue_or_festival_staff', 'label_agency_management', 'photographer_videographer', 'driver', 'other', 'family_member'],
  requests: ['therapy', 'psychiatry', 'substance_use', 'financial_help', 'wellness', 'not_sure'],
  insurance: ['none', 'employer', 'marketplace', 'medicaid', 'medicare', 'union', 'other'],
  income: ['under_25k', '25k_50k', '50k_75k', '75k_100k', '100k_150k', 'over_150k', 'prefer_not_to_say'],
  format: ['telehealth', 'in_person', 'either'],
  specialties: ['trauma_informed', 'music_industry', 'lgbtq_affirming'],
};
/** Validates an intake like the real server (unknown fields are errors at every level). */
function validateIntake(b) {
  const e = [];
  const need = (ok, field, code, message) => {
    if (!ok) e.push({ field, code, message });
  };
  const obj = (v) => v && typeof v === 'object' && !Array.isArray(v);
  const str = (v) => typeof v === 'string';
  const unknown = (o, allowed, base) => {
    if (obj(o)) for (const k of Object.keys(o)) if (!allowed.includes(k)) e.push({ field: `${base}/${k}`, code: 'unknown_field', message: `"${k}" is not a field here.` });
  };
  unknown(b, ['for', 'relationship', 'preferred_name', 'language', 'contact', 'industry_role', 'location', 'on_tour', 'requests', 'insurance', 'household', 'preferences', 'screenings', 'consents', 'src'], '');
  need(INTAKE_ENUMS.for.includes(b.for), '/for', 'invalid_value', 'Choose self or family.');
  if (b.for === 'family') need(INTAKE_ENUMS.relationship.includes(b.relationship), '/relationship', 'invalid_value', 'Choose a relationship.');
  else need(b.relationship === undefined, '/relationship', 'not_applicable', 'Only for someone asking for a family member.');
  need(str(b.preferred_name) && b.preferred_name.trim() !== '' && b.preferred_name.length <= 100, '/preferred_name', 'required', 'Tell us what to call you (up to 100 characters).');
  need(['en', 'es'].includes(b.language), '/language', 'invalid_value', 'Choose en or es.');
  const c = b.contact;
  if (!obj(c)) need(false, '/contact', 'required', 'Contact details are required.');
  else {
    unknown(c, ['email', 'phone', 'preferred', 'voicemail_ok', 'text_ok', 'email_ok'], '/contact');
    if (c.email !== undefined) need(str(c.email) && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email), '/contact/email', 'invalid_format', 'Enter an email address like name@example.org.');
    if (c.phone !== undefined) {
      const digits = str(c.phone) ? c.phone.replace(/\D/g, '').length : 0;
      need(str(c.phone) && /^[\d+ ().-]+$/.test(c.phone) && digits >= 7 && digits <= 15, '/contact/phone', 'invalid_format', 'Enter a phone number with its country code, like +1 615 555 0100.');
    }
    need(INTAKE_ENUMS.preferred.includes(c.preferred), '/contact/preferred', 'invalid_value', 'Choose phone, text or email.');
    for (const k of ['voicemail_ok', 'text_ok', 'email_ok']) need(c[k] === undefined || typeof c[k] === 'boolean', `/contact/${k}`, 'invalid_value', 'Use true or false.');
    need(c.email !== undefined || c.phone !== undefined, '/contact', 'required', 'Give us at least one way to reach you.');
    if (c.preferred === 'email') need(c.email !== undefined && c.email_ok === true, '/contact/email', 'required', 'Add an email address we may use, or choose another way.');
    if (c.preferred === 'phone') need(c.phone !== undefined, '/contact/phone', 'required', 'Add a phone number, or choose another way.');
    if (c.preferred === 'text') need(c.phone !== undefined && c.text_ok === true, '/contact/phone', 'required', 'Add a phone number we may text, or choose another way.');
  }
  need(INTAKE_ENUMS.industry_role.includes(b.industry_role), '/industry_role', 'invalid_value', 'Choose a role.');
  const l = b.location;
  if (!obj(l)) need(false, '/location', 'required', 'Tell us where you are.');
  else {
    unknown(l, ['country', 'region', 'city', 'time_zone'], '/location');
    need(str(l.country) && /^[A-Z]{2}$/.test(l.country), '/location/country', 'invalid_format', 'Use a two-letter country code.');
    if (l.region !== undefined) need(str(l.region) && l.region.startsWith(`${l.country}-`) && /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(l.region), '/location/region', 'invalid_format', 'Use a region code like US-TN.');
    if (l.city !== undefined) need(str(l.city) && l.city.length <= 100, '/location/city', 'too_long', 'Use at most 100 characters.');
    let tzOk = false;
    try {
      tzOk = str(l.time_zone) && !!new Intl.DateTimeFormat('en', { timeZone: l.time_zone });
    } catch {
      tzOk = false;
    }
    need(tzOk, '/location/time_zone', 'invalid_value', 'Choose a time zone, like America/Chicago.');
  }
  const t = b.on_tour;
  if (t !== undefined) {
    unknown(t, ['now', 'until'], '/on_tour');
    need(obj(t) && typeof t.now === 'boolean', '/on_tour/now', 'required', 'Say whether you are on tour.');
    if (obj(t) && t.until !== undefined) need(str(t.until) && /^\d{4}-\d{2}-\d{2}$/.test(t.until), '/on_tour/until', 'invalid_format', 'Use a date like 2026-12-31.');
  }
  need(Array.isArray(b.requests) && b.requests.length > 0, '/requests', 'required', 'Choose at least one kind of help, or "not sure".');
  if (Array.isArray(b.requests)) b.requests.forEach((r, i) => need(INTAKE_ENUMS.requests.includes(r), `/requests/${i}`, 'invalid_value', 'Choose a kind of help.'));
  if (b.insurance !== undefined) {
    unknown(b.insurance, ['type', 'carrier', 'plan_name', 'member_id'], '/insurance');
    need(obj(b.insurance) && INTAKE_ENUMS.insurance.includes(b.insurance.type), '/insurance/type', 'invalid_value', 'Choose an insurance type.');
    for (const k of ['carrier', 'plan_name', 'member_id'])
      if (obj(b.insurance) && b.insurance[k] !== undefined) need(str(b.insurance[k]) && b.insurance[k].length <= 100, `/insurance/${k}`, 'too_long', 'Use at most 100 characters.');
  }
  if (b.household !== undefined) {
    unknown(b.household, ['size', 'income_band'], '/household');
    const h = obj(b.household) ? b.household : {};
    if (h.size !== undefined) need(Number.isInteger(h.size) && h.size >= 1 && h.size <= 20, '/household/size', 'out_of_range', 'Use a number from 1 to 20.');
    if (h.income_band !== undefined) need(INTAKE_ENUMS.income.includes(h.income_band), '/household/income_band', 'invalid_value', 'Choose an income band.');
  }
  if (b.preferences !== undefined) {
    unknown(b.preferences, ['language', 'format', 'provider_identity', 'specialties'], '/preferences');
    const p = obj(b.preferences) ? b.preferences : {};
    if (p.language !== undefined) need(str(p.language) && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(p.language), '/preferences/language', 'invalid_format', 'Use a language code like es.');
    if (p.format !== undefined) need(INTAKE_ENUMS.format.includes(p.format), '/preferences/format', 'invalid_value', 'Choose telehealth, in person or either.');
    if (p.provider_identity !== undefined) need(str(p.provider_identity) && p.provider_identity.length <= 200, '/preferences/provider_identity', 'too_long', 'Use at most 200 characters.');
    if (p.specialties !== undefined) need(Array.isArray(p.specialties) && p.specialties.every((x) => INTAKE_ENUMS.specialties.includes(x)), '/preferences/specialties', 'invalid_value', 'Choose from the list.');
  }
  if (b.screenings !== undefined) {
    if (!Array.isArray(b.screenings)) need(false, '/screenings', 'invalid_value', 'A list of screenings.');
    else
      b.screenings.forEach((sc, i) => {
        unknown(sc, ['instrument', 'answers', 'phq9_difficulty'], `/screenings/${i}`);
        const r = scoreOne(sc?.instrument, sc?.answers, sc?.phq9_difficulty);
        for (const x of r.errors ?? []) e.push({ ...x, field: `/screenings/${i}${x.field}` });
      });
  }
  const cs = b.consents;
  if (!obj(cs)) need(false, '/consents', 'required', 'Consents are required.');
  else {
    unknown(cs, ['privacy_notice_version', 'contact'], '/consents');
    need(str(cs.privacy_notice_version) && cs.privacy_notice_version !== '' && cs.privacy_notice_version.length <= 20, '/consents/privacy_notice_version', 'required', 'Please read the privacy notice.');
    need(cs.contact === true, '/consents/contact', 'required', 'We need your consent to contact you.');
  }
  if (b.src !== undefined) need(str(b.src) && /^[a-z0-9:_.-]{1,64}$/.test(b.src), '/src', 'invalid_format', 'Unknown source code.');
  return e;
}
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function reference() {
  const b = randomBytes(8);
  const c = [...b].map((x) => CROCKFORD[x & 31]).join('');
  return `SC-${c.slice(0, 4)}-${c.slice(4, 8)}`;
}
const idempotency = new Map(); // key -> { hash, status, body }

/** The public member endpoints; returns true when it answered. */
async function handlePublic(req, res, url, method, path, body) {
  const lang = (req.headers['accept-language'] ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
  if (method === 'GET' && path === '/api/v1/crisis-resources') {
    send(res, 200, crisisFor(url.searchParams.get('country'), url.searchParams.get('lang') || lang), { 'Cache-Control': 'public, max-age=3600' });
    return true;
  }
  if (method === 'POST' && path === '/api/v1/screenings/score') {
    const bad = unknownFields(body, ['instrument', 'answers', 'options']);
    const o = body.options && typeof body.options === 'object' ? body.options : {};
    const crisis = riskAnswer(body.instrument, body.answers) ? { resources: crisisFor(o.country, o.language || lang) } : undefined;
    const r = bad.length ? { errors: bad } : scoreOne(body.instrument, body.answers, o.phq9_difficulty);
    if (r.errors) {
      const p = { type: PROBLEM_BASE + 'invalid-request', title: 'Invalid request', status: 400, detail: 'The request is not valid.', instance: req.reqId, errors: r.errors };
      if (crisis) p.crisis = crisis;
      send(res, 400, p, { 'Content-Type': 'application/problem+json' });
      return true;
    }
    if (crisis) r.result.crisis = crisis;
    send(res, 200, r.result);
    return true;
  }
  if (method === 'POST' && path === '/api/v1/intakes') {
    const key = req.headers['idempotency-key'] ?? '';
    const risky = Array.isArray(body.screenings) && body.screenings.some((s) => riskAnswer(s?.instrument, s?.answers));
    const country = body.location?.country;
    const language = body.language === 'es' ? 'es' : 'en';
    const crisis = risky ? { resources: crisisFor(country, language) } : undefined;
    const fail = (status, type, title, detail, errors) => {
      const p = { type: PROBLEM_BASE + type, title, status, detail, instance: req.reqId };
      if (errors) p.errors = errors;
      if (crisis) p.crisis = crisis;
      send(res, status, p, { 'Content-Type': 'application/problem+json' });
      return true;
    };
    if (key.length < 8 || key.length > 128)
      return fail(400, 'idempotency-key-required', 'Idempotency-Key required', 'Send an Idempotency-Key header so a retry never makes a second request.', [{ field: 'Idempotency-Key', code: key ? 'invalid_format' : 'required', message: 'Send an Idempotency-Key header of 8 to 128 characters.' }]);
    const errs = validateIntake(body);
    if (errs.length) return fail(422, 'validation-failed', 'Validation failed', 'Some answers need to be checked.', errs);
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const prior = idempotency.get(key);
    if (prior) {
      if (prior.hash !== hash) return fail(422, 'idempotency-key-reused', 'Idempotency key reused', 'This Idempotency-Key was already used for a different request.');
      send(res, prior.status, prior.body, { 'Idempotent-Replayed': 'true' });
      return true;
    }
    const ref = reference();
    const hours = 24;
    const message = risky
      ? language === 'es'
        ? 'Gracias por contarnos. Una persona de nuestro equipo clínico revisará tus respuestas hoy y te contactará lo antes posible. Este formulario no se vigila las 24 horas: si estás en peligro ahora, usa las líneas de crisis de abajo. La ayuda está disponible y el tratamiento funciona.'
        : 'Thank you for telling us. Someone from our clinical team will review your answers today and contact you as soon as they can. This form is not watched around the clock: if you are in danger now, use the crisis lines below. Help is available and treatment works.'
      : language === 'es'
        ? `Gracias. Recibimos tu solicitud (referencia ${ref}). Una persona de nuestro equipo de gestión de casos te contactará en un plazo de ${hours} horas por el medio que elegiste, y juntos armarán un plan.`
        : `Thank you. We have your request (reference ${ref}). A case manager will contact you within ${hours} hours, the way you chose, and you will build a plan together.`;
    const statusLink = !!(body.contact?.email && body.contact?.email_ok);
    const out = { reference: ref, status: 'received', urgent: risky, next_steps: { message, contact_within_hours: hours }, status_link_sent: statusLink };
    if (crisis) out.crisis = crisis;
    const opened = openCase(body, ref, risky, language);
    if (statusLink) mailStatusLink(opened, body.contact.email);
    idempotency.set(key, { hash, status: 201, body: out });
    store.intakes = [...(store.intakes ?? []), { reference: ref, created_at: new Date().toISOString(), urgent: risky, body }];
    saveStore();
    send(res, 201, out, { Location: `/api/v1/intakes/${ref}` });
    return true;
  }
  return false;
}

// ---------- cases, live events and live support (issue 3; the contract in the lead's spec) ----------
// In memory only (a restart forgets them). Cases are opened by POST /api/v1/intakes.
const CASE_ROLES = new Set(['case_manager', 'supervisor']);
const ALERT_ACK_SECONDS = Number(process.env.MOCK_ALERT_ACK_SECONDS ?? 900);
const mem = { cases: [], alerts: [], duty: new Map(), shifts: [], support: [], supportKeys: new Map(), tokens: new Map(), memberSessions: new Map() };
const isoNow = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const canSeeCase = (u, c) => u.role === 'supervisor' || (u.role === 'case_manager' && (!c.assigned_to || c.assigned_to === u.id));

// The event log and the open streams.
const liveLog = { seq: 0, events: [], clients: new Set() };
function sseWrite(res, ev) {
  res.write(`id: ${ev.seq}\nevent: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
}
function emit(type, subject, data, visible = () => true) {
  const ev = { seq: ++liveLog.seq, type, at: isoNow(), subject, data };
  liveLog.events.push({ ev, visible });
  if (liveLog.events.length > 2000) liveLog.events.shift();
  for (const c of liveLog.clients) {
    const u = store.users.find((x) => x.id === c.userId);
    if (u && visible(u)) sseWrite(c.res, ev);
  }
}
function openStream(req, res, url, user) {
  const last = req.headers['last-event-id'] ?? url.searchParams.get('after');
  const after = last !== undefined && last !== null && /^\d+$/.test(String(last)) ? Number(last) : liveLog.seq;
  baseHeaders(res);
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write('retry: 3000\n: connected\n\n');
  for (const { ev, visible } of liveLog.events) if (ev.seq > after && visible(user)) sseWrite(res, ev);
  const client = { res, userId: user.id };
  liveLog.clients.add(client);
  const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(beat);
    liveLog.clients.delete(client);
  });
}

function caseSummary(c) {
  const { person: _p, intake: _i, screenings: _s, timeline: _t, notes: _n, links: _l, ...sum } = c;
  return sum;
}
function caseDetail(c) {
  const { notes: _n, ...d } = c;
  return d;
}
function openCase(body, ref, risky, crisisLang) {
  const now = Date.now();
  const screenings = (body.screenings ?? []).map((sc) => {
    const r = scoreOne(sc.instrument, sc.answers, sc.phq9_difficulty).result;
    return { instrument: r.instrument, score: r.score, band: r.band, positive: r.positive, risk: r.risk, flags: r.flags };
  });
  const c = {
    id: newId(),
    reference: ref,
    status: 'new',
    urgent: risky,
    assigned_to: null,
    country: body.location?.country ?? '',
    region: body.location?.region ?? '',
    industry_role: body.industry_role,
    requests: body.requests ?? [],
    src: body.src ?? '',
    created_at: isoNow(now),
    first_contact_due_at: isoNow(now + (risky ? 1 : 24) * 3600_000),
    first_contact_at: null,
    updated_at: isoNow(now),
    version: 1,
    person: { preferred_name: body.preferred_name, contact: body.contact },
    intake: body,
    screenings,
    timeline: [{ at: isoNow(now), actor_id: 'anonymous', type: 'case.created', detail: risky ? 'urgent' : '' }],
    links: [],
    notes: [],
    language: crisisLang,
  };
  mem.cases.push(c);
  emit('case.created', { type: 'case', id: c.id }, { urgent: c.urgent, reference: c.reference }, (u) => canSeeCase(u, c));
  if (risky) {
    const a = { id: newId(), case_id: c.id, reference: c.reference, raised_at: isoNow(now), deadline_at: isoNow(now + ALERT_ACK_SECONDS * 1000), acknowledged_at: null, acknowledged_by: null, escalated_at: null };
    mem.alerts.push(a);
    emit('alert.raised', { type: 'alert', id: a.id }, { alert_id: a.id, case_id: c.id, reference: c.reference, deadline_at: a.deadline_at }, (u) => CASE_ROLES.has(u.role));
  }
  return c;
}
function caseChanged(c, actor, type, detail) {
  c.version += 1;
  c.updated_at = isoNow();
  c.timeline.push({ at: isoNow(), actor_id: actor, type, detail });
  emit('case.updated', { type: 'case', id: c.id }, { status: c.status, urgent: c.urgent, assigned_to: c.assigned_to }, (u) => canSeeCase(u, c) || u.id === actor);
}
// Escalation: nobody acknowledged before the deadline → supervisors are told.
setInterval(() => {
  for (const a of mem.alerts) {
    if (!a.acknowledged_at && !a.escalated_at && Date.parse(a.deadline_at) <= Date.now()) {
      a.escalated_at = isoNow();
      emit('alert.escalated', { type: 'alert', id: a.id }, { alert_id: a.id, case_id: a.case_id, reference: a.reference }, (u) => CASE_ROLES.has(u.role));
    }
  }
}, 1000).unref();

// Time zones: a wall-clock time in a zone → UTC milliseconds.
function zoneOffsetMs(ms, zone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const g = (t) => Number(parts.find((p) => p.type === t).value);
  return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - Math.floor(ms / 1000) * 1000;
}
function wallToUtc(local, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local ?? '');
  if (!m) return NaN;
  const naive = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let t = naive;
  for (let i = 0; i < 3; i++) t = naive - zoneOffsetMs(t, zone);
  return t;
}
const validZone = (z) => {
  try {
    return typeof z === 'string' && z !== '' && !!new Intl.DateTimeFormat('en', { timeZone: z });
  } catch {
    return false;
  }
};

function dutyOf(userId) {
  return mem.duty.get(userId) ?? { on_duty: false, since: null };
}
const onDutyCount = () => [...mem.duty.values()].filter((d) => d.on_duty).length;
function dutyBody(user) {
  const d = dutyOf(user.id);
  const now = Date.now();
  const shift = mem.shifts.filter((s) => s.user_id === user.id && Date.parse(s.ends_at) > now).sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))[0] ?? null;
  return { on_duty: d.on_duty, since: d.since, on_duty_count: onDutyCount(), shift: shift && { id: shift.id, starts_at: shift.starts_at, ends_at: shift.ends_at, time_zone: shift.time_zone } };
}

const SLOT_MS = 30 * 60_000;
/** 30-minute slots inside rota shifts in the next 7 days, not yet full (one call per shift per slot). */
function freeSlots(now = Date.now()) {
  const until = now + 7 * 86400_000;
  const counts = new Map();
  for (const s of mem.shifts) {
    const a = Date.parse(s.starts_at);
    const b = Date.parse(s.ends_at);
    for (let t = Math.ceil(Math.max(a, now + SLOT_MS) / SLOT_MS) * SLOT_MS; t + SLOT_MS <= Math.min(b, until); t += SLOT_MS) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  for (const r of mem.support) if (r.slot_start && r.status !== 'closed') {
    const t = Date.parse(r.slot_start);
    if (counts.has(t)) counts.set(t, counts.get(t) - 1);
  }
  return [...counts.entries()].filter(([, n]) => n > 0).map(([t]) => t).sort((x, y) => x - y).map((t) => ({ start: isoNow(t), end: isoNow(t + SLOT_MS) }));
}
function icsFor(r) {
  const f = (iso) => iso.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Soundcheck//mock//EN', 'METHOD:PUBLISH', 'BEGIN:VEVENT', `UID:${r.id}@soundcheck.invalid`, `DTSTAMP:${f(isoNow())}`, `DTSTART:${f(r.slot_start)}`, `DTEND:${f(isoNow(Date.parse(r.slot_start) + SLOT_MS))}`, 'SUMMARY:Soundcheck call', 'DESCRIPTION:A call from the Soundcheck care team.', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}
const supportItem = (r) => ({ id: r.id, status: r.status, created_at: r.created_at, language: r.language, country: r.country, time_zone: r.time_zone, slot_start: r.slot_start, claimed_by: r.claimed_by, claimed_at: r.claimed_at, outcome: r.outcome });
const supportDetail = (r) => ({ ...supportItem(r), preferred_name: r.preferred_name, phone: r.phone, voicemail_ok: r.voicemail_ok, case_reference: r.case_reference });
const crisisShape = (country, lang) => {
  const c = crisisFor(country, lang);
  // As the contract writes it: {"country", "resources": [lines…]} (plus the emergency number).
  return { country: c.country, emergency: c.emergency, resources: c.lines };
};

/** "Mails" a single-use status link (15 min): appended to <data-dir>/mail-outbox.jsonl. */
function mailStatusLink(c, email) {
  const token = randomBytes(24).toString('base64url');
  mem.tokens.set(token, { caseId: c.id, expires: Date.now() + 15 * 60_000, used: false });
  const line = JSON.stringify({ to: email.toLowerCase(), kind: 'status-link', link: `/status#t=${token}`, at: isoNow() });
  writeFileSync(join(dataDir, 'mail-outbox.jsonl'), line + '\n', { flag: 'a' });
}

function memberStatusOf(c) {
  const cm = c.assigned_to ? store.users.find((u) => u.id === c.assigned_to) : null;
  const lang = c.language === 'es' ? 'es' : 'en';
  return {
    reference: c.reference,
    status: c.status,
    updated_at: c.updated_at,
    case_manager: cm ? { name: cm.name } : null,
    language: lang,
    contact: { email: 'care@soundcheck.invalid', phone: '+1 615 555 0100', hours: lang === 'es' ? 'De lunes a viernes, de 9 a. m. a 6 p. m. (hora del centro)' : 'Monday to Friday, 9 am to 6 pm Central' },
    crisis: crisisShape(c.country || 'US', lang),
  };
}

/** The public member endpoints of live support; true when answered. */
function handleLivePublic(req, res, url, method, path, body, lang) {
  const fail = (status, type, title, detail, errors) => {
    problem(res, req, status, type, title, detail, errors);
    return true;
  };
  if (method === 'GET' && path === '/api/v1/support/availability') {
    const tz = url.searchParams.get('time_zone') ?? 'UTC';
    if (!validZone(tz)) return fail(422, 'validation-failed', 'Validation failed', 'Unknown time zone.', [{ field: '/time_zone', code: 'invalid_value', message: 'Choose a time zone, like America/Chicago.' }]);
    const n = onDutyCount();
    send(res, 200, { open_now: n > 0, on_duty_count: n, slots: freeSlots() });
    return true;
  }
  if (method === 'POST' && path === '/api/v1/support-requests') {
    const key = req.headers['idempotency-key'] ?? '';
    if (key.length < 8 || key.length > 128) return fail(400, 'idempotency-key-required', 'Idempotency-Key required', 'Send an Idempotency-Key header so a retry never makes a second request.');
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const prior = mem.supportKeys.get(key);
    if (prior) {
      if (prior.hash !== hash) return fail(422, 'idempotency-key-reused', 'Idempotency key reused', 'This Idempotency-Key was already used for a different request.');
      send(res, 201, prior.body, { 'Idempotent-Replayed': 'true' });
      return true;
    }
    const errs = unknownFields(body, ['preferred_name', 'phone', 'voicemail_ok', 'language', 'country', 'time_zone', 'case_reference', 'slot_start', 'email', 'privacy_notice_version']);
    const need = (ok, field, code, message) => ok || errs.push({ field, code, message });
    need(typeof body.preferred_name === 'string' && body.preferred_name.trim() !== '' && body.preferred_name.length <= 100, '/preferred_name', 'required', 'Tell us what to call you.');
    const digits = typeof body.phone === 'string' ? body.phone.replace(/\D/g, '').length : 0;
    need(typeof body.phone === 'string' && /^[\d+ ().-]+$/.test(body.phone) && digits >= 7 && digits <= 15, '/phone', 'invalid_format', 'Enter a phone number, like +1 615 555 0100.');
    need(typeof body.voicemail_ok === 'boolean', '/voicemail_ok', 'required', 'Say whether we may leave a voicemail.');
    need(['en', 'es'].includes(body.language), '/language', 'invalid_value', 'Choose en or es.');
    need(typeof body.country === 'string' && /^[A-Z]{2}$/.test(body.country), '/country', 'invalid_format', 'Use a two-letter country code.');
    need(validZone(body.time_zone), '/time_zone', 'invalid_value', 'Choose a time zone, like America/Chicago.');
    if (body.case_reference !== undefined) need(typeof body.case_reference === 'string' && /^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(body.case_reference), '/case_reference', 'invalid_format', 'Use a reference like SC-ABCD-EFGH.');
    if (body.email !== undefined) need(typeof body.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email), '/email', 'invalid_format', 'Enter an email address like name@example.org.');
    need(typeof body.privacy_notice_version === 'string' && body.privacy_notice_version !== '', '/privacy_notice_version', 'required', 'Please read the privacy notice.');
    const open = onDutyCount() > 0;
    let slot = null;
    if (body.slot_start !== undefined) {
      slot = freeSlots().find((s) => Date.parse(s.start) === Date.parse(body.slot_start)) ?? null;
      if (!slot && !errs.length) return fail(409, 'slot-taken', 'Slot taken', 'That time is no longer free. Choose another one.');
    } else if (!open) need(false, '/slot_start', 'required', 'Nobody is on duty now: choose a time for the call.');
    if (errs.length) return fail(422, 'validation-failed', 'Validation failed', 'Some answers need to be checked.', errs);
    const language = body.language;
    const r = {
      id: newId(),
      status: slot ? 'booked' : 'waiting',
      created_at: isoNow(),
      language,
      country: body.country,
      time_zone: body.time_zone,
      slot_start: slot ? slot.start : null,
      claimed_by: null,
      claimed_at: null,
      outcome: null,
      preferred_name: body.preferred_name.trim(),
      phone: body.phone,
      voicemail_ok: body.voicemail_ok,
      case_reference: body.case_reference ?? null,
    };
    mem.support.push(r);
    const es = language === 'es';
    const out = {
      id: r.id,
      status: r.status,
      open_now: open,
      slot,
      calendar_ics: slot ? icsFor(r) : null,
      next_step: slot
        ? es
          ? 'Te llamaremos a la hora que elegiste. Si estás en peligro antes, usa las líneas de crisis.'
          : 'We will call you at the time you chose. If you are in danger before then, use the crisis lines.'
        : es
          ? 'Una persona de nuestro equipo te llamará en breve. Si estás en peligro ahora, usa las líneas de crisis.'
          : 'Someone from our team will call you shortly. If you are in danger now, use the crisis lines.',
      crisis: crisisShape(body.country, language),
    };
    mem.supportKeys.set(key, { hash, body: out });
    emit('support.requested', { type: 'support_request', id: r.id }, { request_id: r.id, status: r.status, slot_start: r.slot_start }, (u) => CASE_ROLES.has(u.role));
    send(res, 201, out, { Location: `/api/v1/support-requests/${r.id}` });
    return true;
  }
  if (method === 'POST' && path === '/api/v1/member/links') {
    const bad = unknownFields(body, ['email']);
    if (bad.length || typeof body.email !== 'string') return fail(422, 'validation-failed', 'Validation failed', 'Send an email address.', bad.length ? bad : [{ field: '/email', code: 'required', message: 'Enter your email address.' }]);
    const email = body.email.trim().toLowerCase();
    const c = [...mem.cases].reverse().find((x) => x.person?.contact?.email?.toLowerCase() === email);
    if (c) mailStatusLink(c, email);
    send(res, 202, { message: lang === 'es' ? 'Si tenemos este correo, te enviamos un enlace.' : 'If we have this address, we have sent a link to it.' });
    return true;
  }
  if (method === 'POST' && path === '/api/v1/member/sessions') {
    const t = mem.tokens.get(String(body.token ?? ''));
    if (!t || t.used || t.expires < Date.now()) return fail(410, 'link-expired', 'Link expired', 'This link has expired or was already used.');
    t.used = true;
    const c = mem.cases.find((x) => x.id === t.caseId);
    const sid = randomBytes(32).toString('base64url');
    mem.memberSessions.set(sid, { caseId: c.id, expires: Date.now() + 3600_000 });
    send(res, 200, memberStatusOf(c), { 'Set-Cookie': `sc_member=${sid}; Path=/api/v1/member; HttpOnly; Secure; SameSite=Strict; Max-Age=3600` });
    return true;
  }
  if (path === '/api/v1/member/status' || path === '/api/v1/member/logout') {
    const sid = cookies(req).sc_member;
    const s = sid ? mem.memberSessions.get(sid) : null;
    if (method === 'POST' && path === '/api/v1/member/logout') {
      if (sid) mem.memberSessions.delete(sid);
      send(res, 204, undefined, { 'Set-Cookie': 'sc_member=; Path=/api/v1/member; HttpOnly; Secure; SameSite=Strict; Max-Age=0' });
      return true;
    }
    if (method === 'GET') {
      if (!s || s.expires < Date.now()) return fail(401, 'unauthenticated', 'Not signed in', 'Ask for a new link.');
      send(res, 200, memberStatusOf(mem.cases.find((x) => x.id === s.caseId)));
      return true;
    }
  }
  return false;
}

/** The staff endpoints of cases and live support; true when answered. */
function handleLiveStaff(req, res, url, method, path, body, user) {
  const isCaseWork = /^\/api\/v1\/(stream|cases|alerts|duty|staff|shifts|support-requests)(\/|$)/.test(path);
  if (!isCaseWork) return false;
  const fail = (status, type, title, detail, errors) => {
    problem(res, req, status, type, title, detail, errors);
    return true;
  };
  if (!CASE_ROLES.has(user.role)) return fail(403, 'forbidden', 'Forbidden', 'You do not have permission to do that.');
  const sup = user.role === 'supervisor';
  const seg = path.split('/').slice(3); // e.g. ['cases', id, 'assign']

  if (method === 'GET' && path === '/api/v1/stream') {
    openStream(req, res, url, user);
    return true;
  }

  // --- cases ---
  if (seg[0] === 'cases') {
    if (method === 'GET' && seg.length === 1) {
      const status = url.searchParams.get('status');
      const urgent = url.searchParams.get('urgent') === 'true';
      const items = mem.cases
        .filter((c) => canSeeCase(user, c) && (!status || c.status === status) && (!urgent || c.urgent))
        .sort((a, b) => (a.urgent !== b.urgent ? (a.urgent ? -1 : 1) : Date.parse(a.created_at) - Date.parse(b.created_at)))
        .map(caseSummary);
      send(res, 200, page(items, url));
      return true;
    }
    const c = mem.cases.find((x) => x.id === seg[1]);
    if (!c || !canSeeCase(user, c)) return fail(404, 'not-found', 'Not found', 'We could not find that case.');
    const ifMatch = () => {
      const im = req.headers['if-match'];
      if (!im) return fail(428, 'precondition-required', 'If-Match required', 'Send If-Match with the version you saw.');
      if (im.replace(/^W\//, '').replace(/"/g, '') !== String(c.version)) return fail(412, 'precondition-failed', 'Precondition failed', 'Someone else changed this case.');
      return false;
    };
    if (method === 'GET' && seg.length === 2) {
      send(res, 200, caseDetail(c), { ETag: `"${c.version}"` });
      return true;
    }
    if (method === 'POST' && seg[2] === 'assign') {
      if (ifMatch()) return true;
      const to = body.user_id ?? null;
      if (!sup && (to !== user.id || c.assigned_to)) return fail(403, 'forbidden', 'Forbidden', 'You can only take an unassigned case for yourself.');
      if (to && !store.users.some((u) => u.id === to && CASE_ROLES.has(u.role))) return fail(422, 'validation-failed', 'Validation failed', 'Unknown case manager.', [{ field: '/user_id', code: 'invalid_value', message: 'Choose a case manager.' }]);
      c.assigned_to = to;
      caseChanged(c, user.id, 'case.assigned', to ? `assigned to ${to}` : 'unassigned');
      send(res, 200, caseSummary(c), { ETag: `"${c.version}"` });
      return true;
    }
    if (method === 'POST' && seg[2] === 'status') {
      if (ifMatch()) return true;
      const order = ['new', 'contacted', 'assessing', 'planning', 'active', 'closed'];
      const to = body.status;
      if (!order.includes(to) || (order.indexOf(to) <= order.indexOf(c.status) && !(sup && c.status === 'closed' && to === 'active')))
        return fail(422, 'validation-failed', 'Validation failed', 'The status only moves forward.', [{ field: '/status', code: 'invalid_value', message: 'Choose the next status.' }]);
      if ((to === 'closed' || c.status === 'closed') && !String(body.reason ?? '').trim()) return fail(422, 'validation-failed', 'Validation failed', 'Say why.', [{ field: '/reason', code: 'required', message: 'Say why.' }]);
      c.status = to;
      if (to === 'contacted' && !c.first_contact_at) c.first_contact_at = isoNow();
      caseChanged(c, user.id, 'case.status', to);
      send(res, 200, caseSummary(c), { ETag: `"${c.version}"` });
      return true;
    }
    if (seg[2] === 'notes') {
      if (method === 'GET') {
        send(res, 200, { items: c.notes, next_cursor: null });
        return true;
      }
      if (method === 'POST' && seg.length === 3) {
        if (String(body.body ?? '').trim() === '') return fail(422, 'validation-failed', 'Validation failed', 'Write the note.', [{ field: '/body', code: 'required', message: 'Write the note.' }]);
        const n = { id: newId(), version: 1, body: String(body.body), author_id: user.id, created_at: isoNow() };
        c.notes.push(n);
        c.timeline.push({ at: n.created_at, actor_id: user.id, type: 'case.note', detail: '' });
        send(res, 201, n);
        return true;
      }
      if (method === 'PATCH' && seg.length === 4) {
        const n = c.notes.find((x) => x.id === seg[3]);
        if (!n) return fail(404, 'not-found', 'Not found', 'We could not find that note.');
        if (n.author_id !== user.id) return fail(403, 'forbidden', 'Forbidden', 'Only the author can edit a note.');
        const im = req.headers['if-match'];
        if (!im) return fail(428, 'precondition-required', 'If-Match required', 'Send If-Match with the version you saw.');
        if (im.replace(/^W\//, '').replace(/"/g, '') !== String(n.version)) return fail(412, 'precondition-failed', 'Precondition failed', 'Someone else changed this note.');
        if (String(body.body ?? '').trim() === '') return fail(422, 'validation-failed', 'Validation failed', 'Write the note.', [{ field: '/body', code: 'required', message: 'Write the note.' }]);
        n.body = String(body.body);
        n.version += 1;
        send(res, 200, n, { ETag: `"${n.version}"` });
        return true;
      }
    }
    if (method === 'GET' && seg[2] === 'suggestions') {
      const items = store.users
        .filter((u) => u.role === 'case_manager' && !u.disabled)
        .map((u) => ({ user_id: u.id, name: u.name, open_cases: mem.cases.filter((x) => x.assigned_to === u.id && x.status !== 'closed').length }))
        .sort((a, b) => a.open_cases - b.open_cases || a.name.localeCompare(b.name))
        .map((s, i) => ({ ...s, score: Math.max(0, 100 - i * 10 - s.open_cases * 5), reasons: [...(i === 0 ? ['lightest caseload'] : []), `speaks ${c.intake?.language ?? 'en'}`, ...(c.region ? [`covers ${c.region}`] : [])] }));
      send(res, 200, { items });
      return true;
    }
    if (method === 'POST' && seg[2] === 'links') {
      const errs = unknownFields(body, ['case_reference', 'relationship']);
      if (!['partner', 'parent', 'child', 'sibling', 'other'].includes(body.relationship)) errs.push({ field: '/relationship', code: 'invalid_value', message: 'Choose partner, parent, child, sibling or other.' });
      const other = mem.cases.find((x) => x.reference === body.case_reference);
      if (!other || other.id === c.id) errs.push({ field: '/case_reference', code: 'not_found', message: 'There is no other case with this reference.' });
      if (errs.length) return fail(422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
      const link = { case_id: other.id, reference: other.reference, relationship: body.relationship };
      c.links = [...c.links.filter((l) => l.case_id !== other.id), link];
      send(res, 201, link);
      return true;
    }
    return fail(404, 'not-found', 'Not found', 'There is nothing here.');
  }

  // --- alerts ---
  if (seg[0] === 'alerts') {
    if (method === 'GET' && seg.length === 1) {
      const state = url.searchParams.get('state') ?? 'open';
      const items = mem.alerts.filter((a) => state === 'all' || !a.acknowledged_at).sort((a, b) => Date.parse(a.deadline_at) - Date.parse(b.deadline_at));
      send(res, 200, { items });
      return true;
    }
    const a = mem.alerts.find((x) => x.id === seg[1]);
    if (!a) return fail(404, 'not-found', 'Not found', 'We could not find that alert.');
    if (method === 'POST' && seg[2] === 'ack') {
      if (!a.acknowledged_at) {
        a.acknowledged_at = isoNow();
        a.acknowledged_by = user.id;
        emit('alert.acknowledged', { type: 'alert', id: a.id }, { alert_id: a.id, case_id: a.case_id, by: user.id }, (u) => CASE_ROLES.has(u.role));
      }
      send(res, 200, a);
      return true;
    }
  }

  // --- duty, staff ---
  if (path === '/api/v1/duty') {
    if (method === 'GET') {
      send(res, 200, dutyBody(user));
      return true;
    }
    if (method === 'PUT') {
      if (typeof body.on_duty !== 'boolean' || unknownFields(body, ['on_duty']).length) return fail(422, 'validation-failed', 'Validation failed', 'Send {"on_duty": true|false}.', [{ field: '/on_duty', code: 'required', message: 'Say on or off duty.' }]);
      const was = dutyOf(user.id).on_duty;
      mem.duty.set(user.id, { on_duty: body.on_duty, since: body.on_duty ? (was ? dutyOf(user.id).since : isoNow()) : null });
      if (was !== body.on_duty) emit('duty.changed', { type: 'user', id: user.id }, { user_id: user.id, on_duty: body.on_duty, on_duty_count: onDutyCount() }, (u) => CASE_ROLES.has(u.role));
      send(res, 200, dutyBody(user));
      return true;
    }
  }
  if (method === 'GET' && path === '/api/v1/staff') {
    const items = store.users
      .filter((u) => CASE_ROLES.has(u.role) && !u.disabled)
      .map((u) => ({ id: u.id, name: u.name, role: u.role, on_duty: dutyOf(u.id).on_duty, open_cases: mem.cases.filter((c) => c.assigned_to === u.id && c.status !== 'closed').length, languages: ['en'], regions: [] }));
    send(res, 200, { items });
    return true;
  }

  // --- rota ---
  if (seg[0] === 'shifts') {
    if (method === 'GET' && seg.length === 1) {
      const from = Date.parse(url.searchParams.get('from') ?? '');
      const to = Date.parse(url.searchParams.get('to') ?? '');
      if (Number.isNaN(from) || Number.isNaN(to)) return fail(422, 'validation-failed', 'Validation failed', 'Send from and to (RFC 3339).', [{ field: '/from', code: 'invalid_format', message: 'Use RFC 3339.' }]);
      const items = mem.shifts.filter((s) => Date.parse(s.ends_at) > from && Date.parse(s.starts_at) < to).sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
      send(res, 200, { items });
      return true;
    }
    if (method === 'POST' && seg.length === 1) {
      const errs = unknownFields(body, ['user_id', 'starts_at', 'ends_at', 'time_zone']);
      const who = store.users.find((u) => u.id === body.user_id && CASE_ROLES.has(u.role));
      if (!who) errs.push({ field: '/user_id', code: 'invalid_value', message: 'Choose a case manager or supervisor.' });
      if (!validZone(body.time_zone)) errs.push({ field: '/time_zone', code: 'invalid_value', message: 'Choose a time zone, like America/Chicago.' });
      const a = validZone(body.time_zone) ? wallToUtc(body.starts_at, body.time_zone) : NaN;
      const b = validZone(body.time_zone) ? wallToUtc(body.ends_at, body.time_zone) : NaN;
      if (Number.isNaN(a)) errs.push({ field: '/starts_at', code: 'invalid_format', message: 'Use a local time like 2026-11-26T09:00.' });
      if (Number.isNaN(b)) errs.push({ field: '/ends_at', code: 'invalid_format', message: 'Use a local time like 2026-11-26T17:00.' });
      else if (!Number.isNaN(a) && b <= a) errs.push({ field: '/ends_at', code: 'out_of_range', message: 'The shift must end after it starts.' });
      if (errs.length) return fail(422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
      if (!sup && who.id !== user.id) return fail(403, 'forbidden', 'Forbidden', 'Case managers add shifts for themselves only.');
      const s = { id: newId(), user_id: who.id, user_name: who.name, starts_at: isoNow(a), ends_at: isoNow(b), time_zone: body.time_zone };
      mem.shifts.push(s);
      send(res, 201, s, { Location: `/api/v1/shifts/${s.id}` });
      return true;
    }
    if (method === 'DELETE' && seg.length === 2) {
      const s = mem.shifts.find((x) => x.id === seg[1]);
      if (!s) return fail(404, 'not-found', 'Not found', 'We could not find that shift.');
      if (!sup && s.user_id !== user.id) return fail(403, 'forbidden', 'Forbidden', 'Case managers remove their own shifts only.');
      mem.shifts = mem.shifts.filter((x) => x.id !== s.id);
      send(res, 204, undefined);
      return true;
    }
  }

  // --- the support queue ---
  if (seg[0] === 'support-requests') {
    if (method === 'GET' && seg.length === 1) {
      const status = url.searchParams.get('status');
      const items = mem.support.filter((r) => !status || r.status === status).map(supportItem);
      send(res, 200, { items });
      return true;
    }
    const r = mem.support.find((x) => x.id === seg[1]);
    if (!r) return fail(404, 'not-found', 'Not found', 'We could not find that request.');
    if (method === 'GET' && seg.length === 2) {
      send(res, 200, supportDetail(r));
      return true;
    }
    if (method === 'POST' && seg[2] === 'claim') {
      if (r.claimed_by && r.claimed_by !== user.id) return fail(409, 'already-claimed', 'Already claimed', 'Someone else claimed this request first.');
      if (r.status === 'closed') return fail(409, 'closed', 'Closed', 'This request is closed.');
      if (!r.claimed_by) {
        r.claimed_by = user.id;
        r.claimed_at = isoNow();
        r.status = 'claimed';
        emit('support.claimed', { type: 'support_request', id: r.id }, { request_id: r.id, by: user.id }, (u) => CASE_ROLES.has(u.role));
      }
      send(res, 200, supportItem(r));
      return true;
    }
    if (method === 'POST' && seg[2] === 'close') {
      if (r.claimed_by !== user.id && !sup) return fail(403, 'forbidden', 'Forbidden', 'Only the person who claimed it, or a supervisor, can close it.');
      const errs = unknownFields(body, ['outcome', 'note']);
      if (!['talked', 'no_answer', 'voicemail', 'crisis_referral', 'other'].includes(body.outcome)) errs.push({ field: '/outcome', code: 'invalid_value', message: 'Choose what happened.' });
      if (errs.length) return fail(422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
      r.status = 'closed';
      r.outcome = body.outcome;
      emit('support.closed', { type: 'support_request', id: r.id }, { request_id: r.id, outcome: r.outcome }, (u) => CASE_ROLES.has(u.role));
      send(res, 200, supportItem(r));
      return true;
    }
  }
  return fail(404, 'not-found', 'Not found', 'There is nothing here.');
}

async function handleApi(req, res, url) {
  loadStore();
  const method = req.method;
  const path = url.pathname.replace(/\/+$/, '');
  const sid = cookies(req).sc_session;
  const sess = sid ? sessions.get(sid) : undefined;
  if (sess && Date.now() - sess.last > 30 * 60 * 1000) sessions.delete(sid);
  const user = sess && sessions.has(sid) ? store.users.find((u) => u.id === sess.userId && !u.disabled) : undefined;
  if (user) sess.last = Date.now();

  let body = {};
  if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
    try {
      body = await readJson(req);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return problem(res, req, 400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
    }
  }

  // --- public member endpoints (no session, no CSRF) ---
  if (await handlePublic(req, res, url, method, path, body)) return;
  const memberLang = (req.headers['accept-language'] ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
  if (handleLivePublic(req, res, url, method, path, body, memberLang)) return;

  // --- login (no session, no CSRF) ---
  if (method === 'POST' && path === '/api/v1/auth/login') {
    const bad = unknownFields(body, ['email', 'password', 'totp_code']);
    if (bad.length) return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Some fields are not accepted.', bad);
    const u = store.users.find((x) => x.email.toLowerCase() === String(body.email ?? '').toLowerCase());
    const fails = u ? (failures.get(u.id) ?? []).filter((t) => Date.now() - t < 3600_000) : [];
    if (u && fails.length >= 100) return problem(res, req, 429, 'locked', 'Too many attempts', 'Too many failed sign-in attempts.', undefined, { 'Retry-After': '3600' });
    const fail = () => {
      if (u) failures.set(u.id, [...fails, Date.now()]);
    };
    if (!u || u.disabled || !checkPassword(String(body.password ?? ''), u.password_hash)) {
      fail();
      return problem(res, req, 401, 'invalid-credentials', 'Invalid credentials', 'The email address or password is not right.');
    }
    if (u.totp_enrolled) {
      if (body.totp_code === undefined || body.totp_code === '') return problem(res, req, 401, 'totp-required', 'Code required', 'Enter the code from your authenticator app.');
      const step = verifyTotp(u.totp_secret, String(body.totp_code), u.totp_last_step);
      if (step === null) {
        fail();
        return problem(res, req, 401, 'totp-invalid', 'Invalid code', 'That code is not right or was already used. Wait for a new code and try again.');
      }
      u.totp_last_step = step;
      saveStore();
    }
    u.version += 1; // the real server bumps the version on each sign-in
    saveStore();
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    sessions.set(id, { userId: u.id, csrf, last: Date.now() });
    return send(res, 200, { user: publicUser(u), csrf_token: csrf }, { 'Set-Cookie': `sc_session=${id}; Path=/; HttpOnly; Secure; SameSite=Strict` });
  }

  if (!user) return problem(res, req, 401, 'unauthenticated', 'Not signed in', 'Sign in to continue.');

  if (method !== 'GET' && method !== 'HEAD') {
    if (req.headers['x-csrf-token'] !== sess.csrf) return problem(res, req, 403, 'csrf-token-invalid', 'Forbidden', 'The request could not be verified. Reload the page and try again.');
  }

  // Like the real server: until a staff account has enrolled TOTP, only these routes answer.
  const beforeMfa = ['/api/v1/auth/logout', '/api/v1/me', '/api/v1/me/totp', '/api/v1/me/totp/confirm'];
  if (user.totp_required && !user.totp_enrolled && !beforeMfa.includes(path))
    return problem(res, req, 403, 'mfa-enrolment-required', 'Two-step sign-in required', 'Set up two-step sign-in before using the console.');

  if (method === 'POST' && path === '/api/v1/auth/logout') {
    sessions.delete(sid);
    return send(res, 204, undefined, { 'Set-Cookie': 'sc_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0' });
  }
  if (method === 'GET' && path === '/api/v1/me') return send(res, 200, { ...publicUser(user), csrf_token: sess.csrf });

  if (method === 'POST' && path === '/api/v1/me/totp') {
    if (user.totp_enrolled) return problem(res, req, 409, 'totp-already-enrolled', 'Already set up', 'Two-step verification is already set up.');
    user.totp_pending = base32Encode(randomBytes(20));
    saveStore();
    const label = encodeURIComponent(`Soundcheck:${user.email}`);
    return send(res, 200, { secret: user.totp_pending, otpauth_uri: `otpauth://totp/${label}?secret=${user.totp_pending}&issuer=Soundcheck&algorithm=SHA1&digits=6&period=30` });
  }
  if (method === 'POST' && path === '/api/v1/me/totp/confirm') {
    const bad = unknownFields(body, ['code']);
    if (bad.length) return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Some fields are not accepted.', bad);
    if (!user.totp_pending) return problem(res, req, 409, 'totp-not-started', 'Not started', 'Start setting up two-step verification first.');
    const step = verifyTotp(user.totp_pending, String(body.code ?? ''), user.totp_last_step);
    if (step === null)
      return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Check the code and try again.', [{ field: '/code', code: 'wrong', message: 'That code is not right. Wait for a new code in your app and try again' }]);
    user.totp_secret = user.totp_pending;
    delete user.totp_pending;
    user.totp_enrolled = true;
    user.totp_last_step = step;
    user.version += 1;
    saveStore();
    return send(res, 204, undefined);
  }
  if (method === 'POST' && path === '/api/v1/me/password') {
    const errs = unknownFields(body, ['current_password', 'new_password']);
    if (!checkPassword(String(body.current_password ?? ''), user.password_hash)) errs.push({ field: '/current_password', code: 'wrong', message: 'Your current password is not right' });
    errs.push(...passwordProblems(String(body.new_password ?? ''), '/new_password'));
    if (errs.length) return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
    user.password_hash = hashPassword(String(body.new_password));
    user.version += 1;
    saveStore();
    return send(res, 204, undefined);
  }

  // --- users (admin) ---
  if (path === '/api/v1/users' || path.startsWith('/api/v1/users/')) {
    if (user.role !== 'admin') return problem(res, req, 403, 'forbidden', 'Forbidden', 'You do not have permission to do that.');
    if (method === 'GET' && path === '/api/v1/users') return send(res, 200, page(store.users.map(publicUser), url));
    if (method === 'POST' && path === '/api/v1/users') {
      const errs = unknownFields(body, ['email', 'name', 'role', 'password']);
      const email = String(body.email ?? '').trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errs.push({ field: '/email', code: 'invalid_format', message: 'Enter an email address like name@example.com' });
      if (String(body.name ?? '').trim() === '') errs.push({ field: '/name', code: 'required', message: 'Enter a name' });
      if (!ROLES.includes(body.role)) errs.push({ field: '/role', code: 'invalid', message: 'Choose one of the roles' });
      errs.push(...passwordProblems(String(body.password ?? ''), '/password'));
      if (errs.length) return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
      if (store.users.some((u) => u.email.toLowerCase() === email.toLowerCase())) return problem(res, req, 409, 'email-taken', 'Conflict', 'A user with this email address already exists.');
      const u = {
        id: newId(),
        email,
        name: String(body.name).trim(),
        role: body.role,
        disabled: false,
        totp_enrolled: false,
        totp_required: TOTP_ROLES.has(body.role),
        version: 1,
        created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        password_hash: hashPassword(String(body.password)),
      };
      store.users.push(u);
      saveStore();
      return send(res, 201, publicUser(u), { Location: `/api/v1/users/${u.id}` });
    }
    const id = decodeURIComponent(path.slice('/api/v1/users/'.length));
    const target = store.users.find((u) => u.id === id);
    if (!target) return problem(res, req, 404, 'not-found', 'Not found', 'We could not find that user.');
    if (method === 'GET') return send(res, 200, publicUser(target), { ETag: `"${target.version}"` });
    if (method === 'PATCH') {
      const im = req.headers['if-match'];
      if (!im) return problem(res, req, 428, 'precondition-required', 'If-Match required', 'Send If-Match with the version you edited.');
      if (im.replace(/^W\//, '').replace(/"/g, '') !== String(target.version))
        return problem(res, req, 412, 'precondition-failed', 'Precondition failed', 'Someone else changed this user. Reload and try again.');
      const errs = unknownFields(body, ['name', 'role', 'disabled']);
      if ('name' in body && (typeof body.name !== 'string' || body.name.trim() === '')) errs.push({ field: '/name', code: 'required', message: 'Enter a name' });
      if ('role' in body && !ROLES.includes(body.role)) errs.push({ field: '/role', code: 'invalid', message: 'Choose one of the roles' });
      if ('disabled' in body && typeof body.disabled !== 'boolean') errs.push({ field: '/disabled', code: 'invalid', message: 'Must be true or false' });
      if (target.id === user.id && (body.disabled === true || ('role' in body && body.role !== 'admin')))
        errs.push({ field: body.disabled === true ? '/disabled' : '/role', code: 'self_lockout', message: 'You cannot disable yourself or remove your own admin role' });
      if (errs.length) return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
      if ('name' in body) target.name = body.name.trim();
      if ('role' in body) {
        target.role = body.role;
        target.totp_required = TOTP_ROLES.has(body.role);
      }
      if ('disabled' in body) target.disabled = body.disabled;
      target.version += 1;
      saveStore();
      return send(res, 200, publicUser(target), { ETag: `"${target.version}"` });
    }
  }

  // --- cases, live events and live support ---
  if (handleLiveStaff(req, res, url, method, path, body, user)) return;

  // --- tokens of the current user ---
  if (method === 'GET' && path === '/api/v1/tokens') {
    const mine = store.tokens.filter((t) => t.user_id === user.id).map(({ user_id: _u, hash: _h, ...t }) => t);
    return send(res, 200, page(mine, url));
  }
  if (method === 'POST' && path === '/api/v1/tokens') {
    const errs = unknownFields(body, ['name']);
    if (String(body.name ?? '').trim() === '') errs.push({ field: '/name', code: 'required', message: 'Enter a name for the token' });
    if (errs.length) return problem(res, req, 422, 'validation-failed', 'Validation failed', 'Check the fields and try again.', errs);
    const token = 'sc_' + randomBytes(24).toString('base64url');
    const t = {
      id: newId(),
      user_id: user.id,
      name: String(body.name).trim(),
      created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      last_used_at: null,
      revoked_at: null,
      hash: createHash('sha256').update(token).digest('hex'),
    };
    store.tokens.push(t);
    saveStore();
    return send(res, 201, { id: t.id, name: t.name, token, created_at: t.created_at }, { Location: `/api/v1/tokens/${t.id}` });
  }
  if (method === 'DELETE' && path.startsWith('/api/v1/tokens/')) {
    const id = decodeURIComponent(path.slice('/api/v1/tokens/'.length));
    const t = store.tokens.find((x) => x.id === id && x.user_id === user.id);
    if (!t) return problem(res, req, 404, 'not-found', 'Not found', 'We could not find that token.');
    t.revoked_at ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    saveStore();
    return send(res, 204, undefined);
  }

  return problem(res, req, 404, 'not-found', 'Not found', 'There is nothing here.');
}

const server = createServer(async (req, res) => {
  req.reqId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname.startsWith('/api/')) await handleApi(req, res, url);
    else if (req.method === 'GET' || req.method === 'HEAD') serveStatic(req, res, url);
    else send(res, 405, undefined);
  } catch (e) {
    process.stderr.write(`mock-soundcheck: ${e?.stack ?? e}\n`);
    if (!res.headersSent) problem(res, req, 500, 'internal', 'Internal error', 'Something went wrong.');
  }
});
server.listen(parseInt(portStr, 10) || 0, host || '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening on http://${a.address}:${a.port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
