// Renders a string (the otpauth:// URI) as a QR code in an SVG data URI, built from the
// module matrix only: no markup from the input ever reaches the DOM.
import qrcode from 'qrcode-generator';

/** UTF-8 bytes as a "binary string", which the library's default byte mode expects. */
function utf8Binary(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

export interface QrMatrix {
  size: number;
  isDark(row: number, col: number): boolean;
}

export function qrMatrix(text: string, level: 'L' | 'M' | 'Q' | 'H' = 'M'): QrMatrix {
  const qr = qrcode(0, level);
  qr.addData(utf8Binary(text), 'Byte');
  qr.make();
  return { size: qr.getModuleCount(), isDark: (r, c) => qr.isDark(r, c) };
}

/** An SVG document (black on white, 4-module quiet zone) for the QR code of `text`. */
export function qrSvg(text: string): string {
  const m = qrMatrix(text);
  const quiet = 4;
  const dim = m.size + quiet * 2;
  let d = '';
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (m.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${dim} ${dim}" shape-rendering="crispEdges">` +
    `<rect width="${dim}" height="${dim}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  );
}

export function qrDataUri(text: string): string {
  return 'data:image/svg+xml,' + encodeURIComponent(qrSvg(text));
}
