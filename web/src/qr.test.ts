import { describe, expect, it } from 'vitest';
import { groupSecret } from './format';
import { qrDataUri, qrMatrix, qrSvg } from './qr';

describe('QR', () => {
  const uri = 'otpauth://totp/Soundcheck:ana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Soundcheck';

  it('encodes an otpauth URI into a square matrix with finder patterns', () => {
    const m = qrMatrix(uri);
    expect(m.size).toBeGreaterThanOrEqual(21);
    expect((m.size - 17) % 4).toBe(0);
    // Top-left finder pattern: dark ring, light gap, dark centre.
    expect(m.isDark(0, 0)).toBe(true);
    expect(m.isDark(1, 1)).toBe(false);
    expect(m.isDark(3, 3)).toBe(true);
  });

  it('renders an SVG made only of geometry, never the input text', () => {
    const svg = qrSvg('<script>alert(1)</script>');
    expect(svg).not.toContain('script');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(qrDataUri(uri).startsWith('data:image/svg+xml,')).toBe(true);
  });

  it('handles non-ASCII text', () => {
    expect(() => qrMatrix('otpauth://totp/José Ñ')).not.toThrow();
  });

  it('groups setup keys in fours', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('JBS WY3')).toBe('JBSW Y3');
    expect(groupSecret('ABCD')).toBe('ABCD');
  });
});
