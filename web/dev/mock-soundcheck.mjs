#!/usr/bin/env node
// THROWAWAY MOCK of the Soundcheck server, for developing the web console before the real
// server exists. It is NOT the server and NOT used by the committed tests' default target
// (`npm run e2e` runs the real binary). It mimics the real CLI so the e2e can point at it:
//
//   SC_BIN=dev/mock-soundcheck.mjs npm run e2e        (or: npm run e2e:mock)
//   node dev/mock-soundcheck.mjs serve --data-dir D --listen 127.0.0.1:0 --web-dir dist
//   printf '%s' "$PW" | node dev/mock-soundcheck.mjs user add --data-dir D --email E --role admin --name N
//
// Only what the web app uses is here: auth with TOTP, /me, users, tokens; and for the member
// intake the public crisis lines, the screening calculator (PHQ-2/9, GAD-2/7 only), POST
// /api/v1/intakes (strict shape, Idempotency-Key) and the no-script crisis footer that the
// server puts in place of <!--sc:crisis--> on /intake pages. No dependencies.
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
  // Member pages get the crisis line in the HTML itself (works without scripts).
  if (target.endsWith('index.html') && /^\/(es\/)?intake(\/|$)/.test(url.pathname)) {
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
const riskAnswer = (inst, answers) => inst === 'phq9' && Array.isArray(answers) && Number(answers[8]) >= 1;
/** Scores like the real server for the four instruments the intake uses: {result} or {errors}. */
function scoreOne(inst, answers) {
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
        unknown(sc, ['instrument', 'answers'], `/screenings/${i}`);
        const r = scoreOne(sc?.instrument, sc?.answers);
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
    const r = bad.length ? { errors: bad } : scoreOne(body.instrument, body.answers);
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
    const out = { reference: ref, status: 'received', urgent: risky, next_steps: { message, contact_within_hours: hours } };
    if (crisis) out.crisis = crisis;
    idempotency.set(key, { hash, status: 201, body: out });
    store.intakes = [...(store.intakes ?? []), { reference: ref, created_at: new Date().toISOString(), urgent: risky, body }];
    saveStore();
    send(res, 201, out, { Location: `/api/v1/intakes/${ref}` });
    return true;
  }
  return false;
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
