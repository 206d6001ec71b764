// The e2e's own TOTP must be right before it can judge the server's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, hotp, totp } from './lib/totp.mjs';

test('RFC 6238 SHA-1 test vectors (8 digits) and their 6-digit forms', () => {
  const secret = Buffer.from('12345678901234567890');
  const vectors = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  for (const [t, want] of vectors) {
    assert.equal(hotp(secret, Math.floor(t / 30), 8), want, `T=${t}`);
    assert.equal(hotp(secret, Math.floor(t / 30), 6), want.slice(2), `T=${t} (6 digits)`);
  }
});

test('base32 setup keys decode with spaces and padding', () => {
  // "12345678901234567890" in base32
  const b32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(base32Decode(b32).toString(), '12345678901234567890');
  assert.equal(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString(), '12345678901234567890');
  assert.equal(totp(b32, 59_000).code, '287082');
});
