// Starts the Soundcheck server binary (SC_BIN, default ../build/bin/soundcheck) in a fresh
// data directory on port 0, and seeds users with `soundcheck user add`. Never skips: if the
// server cannot start, this throws with everything it printed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = join(WEB_ROOT, 'test-results');

export function serverBinary() {
  return resolve(WEB_ROOT, process.env.SC_BIN || '../build/bin/soundcheck');
}

function command(bin, args) {
  // The dev mock is a Node script; the real server is a native binary.
  if (/\.(mjs|cjs|js)$/.test(bin)) return [process.execPath, [bin, ...args]];
  return [bin, args];
}

function tail(s, n = 4000) {
  return s.length > n ? '…' + s.slice(-n) : s;
}

/** Runs the binary with `args` (and `input` on stdin); resolves with its output, throws on a non-zero exit. */
export async function runCli(bin, args, { input = '', env = {} } = {}) {
  const [c, a] = command(bin, args);
  const p = spawn(c, a, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let o = '';
  p.stdout.on('data', (d) => (o += d));
  p.stderr.on('data', (d) => (o += d));
  p.stdin.end(input);
  const code = await new Promise((r, j) => {
    p.on('error', j);
    p.on('exit', (x) => r(x));
  });
  if (code !== 0) throw new Error(`\`soundcheck ${args.slice(0, 2).join(' ')}\` failed (exit ${code}):\n${tail(o)}`);
  return o;
}

/**
 * `env`: extra environment for the server only (e.g. SOUNDCHECK_DIRECTORY_REMINDER_INTERVAL_SECONDS).
 */
export async function startServer({ webDir = join(WEB_ROOT, 'dist'), timeoutMs = 30_000, env = {} } = {}) {
  const bin = serverBinary();
  if (!existsSync(bin)) {
    throw new Error(
      `Soundcheck server binary not found at ${bin}.\n` +
        `Build it first (cmake --preset … && cmake --build …, giving build/bin/soundcheck), or set SC_BIN to its path.\n` +
        `(For UI work only: SC_BIN=dev/mock-soundcheck.mjs runs the throwaway mock.)`,
    );
  }
  if (!/\.(mjs|cjs|js)$/.test(bin)) accessSync(bin, constants.X_OK);
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new Error(`${webDir}/index.html is missing: run \`npm run build\` in web/ first (npm run e2e does).`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'soundcheck-e2e-'));
  const [cmd, args] = command(bin, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--web-dir', webDir]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');

  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not print "listening on http://…" within ${timeoutMs} ms.\nstdout:\n${tail(out)}\nstderr:\n${tail(err)}`));
    }, timeoutMs);
    // The line is promised on stdout; stderr is searched too in case logging goes there.
    const check = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out) ?? /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1].replace(/\/+$/, ''));
      }
    };
    child.stdout.on('data', (c) => {
      out += c;
      check();
    });
    child.stderr.on('data', (c) => {
      err += c;
      check();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${bin}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal}).\nstdout:\n${tail(out)}\nstderr:\n${tail(err)}`));
    });
  });
  // Listening is not yet ready: the matching index may still be building
  // (docs/matching.md, "Starting"). Tests start from a server that answers every route.
  for (const readyBy = Date.now() + timeoutMs; ; ) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not accepting yet
    }
    if (Date.now() > readyBy) {
      child.kill('SIGKILL');
      throw new Error(`server was not ready (/readyz) within ${timeoutMs} ms.\nstdout:\n${tail(out)}\nstderr:\n${tail(err)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.removeAllListeners('exit');
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  return {
    url,
    dataDir,
    bin,
    get logs() {
      return { stdout: out, stderr: err };
    },
    get exited() {
      return exited;
    },
    /** `soundcheck user add` with the password on stdin. */
    async addUser({ email, role, name, password }) {
      const [c, a] = command(bin, ['user', 'add', '--data-dir', dataDir, '--email', email, '--role', role, '--name', name]);
      const p = spawn(c, a, { stdio: ['pipe', 'pipe', 'pipe'] });
      let o = '';
      p.stdout.on('data', (d) => (o += d));
      p.stderr.on('data', (d) => (o += d));
      p.stdin.end(password);
      const code = await new Promise((r, j) => {
        p.on('error', j);
        p.on('exit', (x) => r(x));
      });
      if (code !== 0) throw new Error(`\`soundcheck user add\` failed (exit ${code}):\n${tail(o)}`);
      return o;
    },
    /** `soundcheck import hsds PATH` into this server's data directory (the server keeps running). */
    importHsds(path, extra = []) {
      return runCli(bin, ['import', 'hsds', path, '--data-dir', dataDir, ...extra]);
    },
    /** `soundcheck directory link-provider`: the provider account speaks for that organization. */
    linkProvider(email, organizationId) {
      return runCli(bin, ['directory', 'link-provider', '--data-dir', dataDir, '--email', email, '--organization', organizationId]);
    },
    /** Any other command, e.g. `['demo', 'generate', …]`. */
    cli(args, opts) {
      return runCli(bin, args, opts);
    },
    async stop({ keepData = false } = {}) {
      if (!exited) {
        child.kill('SIGTERM');
        await Promise.race([
          new Promise((r) => child.once('exit', r)),
          new Promise((r) => setTimeout(r, 5000)).then(() => {
            if (!exited) child.kill('SIGKILL');
          }),
        ]);
      }
      try {
        mkdirSync(RESULTS_DIR, { recursive: true });
        writeFileSync(join(RESULTS_DIR, 'server.log'), `# ${bin}\n## stdout\n${out}\n## stderr\n${err}\n`);
      } catch {
        // logs are a courtesy
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
