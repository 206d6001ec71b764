// A tiny SMTP sink for the e2e tests: accepts every message on 127.0.0.1 (no TLS, no auth) and
// keeps it, decoded enough to find links in it (quoted-printable and base64 parts). Start it,
// point the server at it (SOUNDCHECK_MAIL_SMTP_URL, SOUNDCHECK_MAIL_STARTTLS=false), read .mails.
import { createServer } from 'node:net';

function decodeQuotedPrintable(s) {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

/** The message's text: the raw source, quoted-printable decoded, plus every base64 part decoded. */
export function readableText(raw) {
  const parts = [decodeQuotedPrintable(raw)];
  for (const m of raw.matchAll(/Content-Transfer-Encoding:\s*base64\s*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)) {
    parts.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8'));
  }
  return parts.join('\n');
}

export async function startSmtpSink() {
  const mails = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buf = '';
    let data = null; // the DATA being received
    let env = { from: '', to: [] };
    const reply = (line) => socket.write(line + '\r\n');
    reply('220 soundcheck-e2e-sink ESMTP');
    socket.on('data', (chunk) => {
      buf += chunk;
      for (;;) {
        if (data !== null) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buf.slice(0, end);
          buf = buf.slice(end + 5);
          const raw = data.replace(/\r\n\.\./g, '\r\n.');
          mails.push({ from: env.from, to: env.to, raw, text: readableText(raw) });
          data = null;
          env = { from: '', to: [] };
          reply('250 OK queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') socket.write('250-soundcheck-e2e-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
        else if (cmd === 'HELO') reply('250 soundcheck-e2e-sink');
        else if (cmd === 'MAIL') {
          env.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 OK');
        } else if (cmd === 'RCPT') {
          env.to.push((/<([^>]*)>/.exec(line)?.[1] ?? '').toLowerCase());
          reply('250 OK');
        } else if (cmd === 'DATA') {
          data = '';
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (cmd === 'RSET') {
          env = { from: '', to: [] };
          reply('250 OK');
        } else if (cmd === 'NOOP') reply('250 OK');
        else if (cmd === 'QUIT') {
          reply('221 Bye');
          socket.end();
          return;
        } else reply('502 Command not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
