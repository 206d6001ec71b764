// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s steps) with node:crypto, as an authenticator app does.
import { createHmac } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const PERIOD_MS = 30_000;

export function base32Decode(s) {
  const clean = String(s).toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of clean) {
    const i = B32.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(c)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 10 ** digits).padStart(digits, '0');
}

export function stepAt(ms) {
  return Math.floor(ms / PERIOD_MS);
}

export function totp(secretB32, ms = Date.now(), digits = 6) {
  const step = stepAt(ms);
  return { code: hotp(base32Decode(secretB32), step, digits), step };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A code from a step after `afterStep` (a server accepts each code once), with at least
 * `minRemainingMs` left in its step so it is not stale by the time it is submitted.
 */
export async function freshCode(secretB32, afterStep = -1, minRemainingMs = 4000) {
  for (;;) {
    const now = Date.now();
    const step = stepAt(now);
    const remaining = (step + 1) * PERIOD_MS - now;
    if (step > afterStep && remaining >= minRemainingMs) return totp(secretB32, now);
    const until = step > afterStep ? remaining : (afterStep + 1) * PERIOD_MS - now;
    await sleep(until + 100);
  }
}
