#!/usr/bin/env python3
"""S1: the real-time queue. An event raised on node A reaches Server-Sent Events dashboards
on nodes A and B (PostgreSQL LISTEN/NOTIFY between them). Measures, over many events, the
time from sending the request that raises the event to its arrival at every subscriber
(p50/p99/max), and the memory of each node holding the streams and of a node holding many
idle streams. Loopback only, bounded in count and time. Prints a table and rewrites the S1
section of docs/benchmarks.md.

Usage: bench/s1.py [--subscribers 1000] [--events 50] [--idle 10000]
Needs PostgreSQL: SC_BENCH_PG_URL, or it starts one with scripts/start-postgres.
"""
import argparse, asyncio, json, os, re, resource, shutil, signal, statistics, subprocess
import selectors, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, free_port, wait_http, write_section  # noqa: E402
ENV = {"SOUNDCHECK_PASSWORDS_ARGON2_OPS": "1", "SOUNDCHECK_PASSWORDS_ARGON2_MEM_MIB": "8",
       "SOUNDCHECK_LOG_LEVEL": "warn",
       "SOUNDCHECK_LIMITS_PUBLIC_REQUESTS_PER_MINUTE": "1000000",
       "SOUNDCHECK_LIMITS_MAX_CONNECTIONS": "40000"}

INTAKE = json.dumps({
    "for": "self", "preferred_name": "Bench Tester", "language": "en",
    "contact": {"phone": "+1 615 555 0100", "preferred": "text", "text_ok": True},
    "industry_role": "driver", "location": {"country": "US", "time_zone": "America/Chicago"},
    "requests": ["therapy"], "screenings": [{"instrument": "phq2", "answers": [0, 1]}],
    "consents": {"privacy_notice_version": "2026-11", "contact": True}})


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(cmd, env, stdin=""):
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


class Subscribers:
    """Many SSE connections read by one epoll loop on its own thread (far cheaper per read
    than asyncio, so the client adds little to the figures); records when each case
    reference first arrives on each connection."""

    def __init__(self, n):
        self.n = n
        self.arrivals = [dict() for _ in range(n)]
        self.stop = threading.Event()

    def connect(self, ports, token):
        import socket
        self.socks = []
        for i in range(self.n):
            s = socket.create_connection(("127.0.0.1", ports[i % len(ports)]))
            s.sendall((f"GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
                       ).encode())
            self.socks.append(s)
        for s in self.socks:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = s.recv(4096)
                if not chunk:
                    raise SystemExit("bench: stream closed before its headers")
                head += chunk
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"bench: stream refused: {head[:80]!r}")
            s.setblocking(False)

    def run(self):
        sel = selectors.EpollSelector()
        tails = [b""] * self.n
        for i, s in enumerate(self.socks):
            sel.register(s, selectors.EVENT_READ, i)
        pat = re.compile(rb'"reference":"(SC-[A-Z0-9-]+)"')
        while not self.stop.is_set():
            for key, _ in sel.select(0.2):
                i = key.data
                try:
                    chunk = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                now = time.perf_counter()
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buf = tails[i] + chunk
                for m in pat.finditer(buf):
                    self.arrivals[i].setdefault(m.group(1).decode(), now)
                tails[i] = buf[-200:]
        for s in self.socks:
            s.close()


async def idle_streams(port, token, n):
    """Opens n streams that nobody reads from beyond the headers (memory per connection)."""
    conns = []
    for i in range(n):
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
        except OSError as e:
            print(f"bench: stopped opening idle streams at {i}: {e}", file=sys.stderr)
            break
        w.write((f"GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}"
                 f"\r\n\r\n").encode())
        conns.append((r, w))
        if i % 200 == 199:
            await asyncio.gather(*(w.drain() for _, w in conns[-200:]))
    ok = 0
    for r, _ in conns:
        try:
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 30)
            ok += head.startswith(b"HTTP/1.1 200")
        except Exception:
            pass
    return conns, ok


async def post_intake(port, key):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = INTAKE.encode()
    writer.write((f"POST /api/v1/intakes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Idempotency-Key: {key}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                  ).encode() + body)
    await writer.drain()
    resp = await reader.read()
    writer.close()
    m = re.search(rb'"reference":"(SC-[A-Z0-9-]+)"', resp)
    if not m:
        raise SystemExit(f"bench: intake failed: {resp[:200]!r}")
    return m.group(1).decode()


async def measure(args, ports, token, pids):
    subs = Subscribers(args.subscribers)
    subs.connect(ports, token)
    reader = threading.Thread(target=subs.run)
    reader.start()
    sent = {}
    try:
        for i in range(args.events + 5):
            port = ports[i % 2]  # alternate the node that raises the event
            t0 = time.perf_counter()
            ref = await post_intake(port, f"s1-{os.getpid()}-{i}")
            if i >= 5:  # the first few warm up connections and caches
                sent[ref] = t0
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline and not all(ref in a for a in subs.arrivals):
                await asyncio.sleep(0.005)
        rss_streams = [rss_mib(p) for p in pids]
    finally:
        subs.stop.set()
        reader.join()
    lat, missing, spread = [], 0, []
    for ref, t0 in sent.items():
        got = [a[ref] for a in subs.arrivals if ref in a]
        missing += len(subs.arrivals) - len(got)
        lat += [(t - t0) * 1000 for t in got]
        if got:
            spread.append((max(got) - min(got)) * 1000)
    return lat, missing, rss_streams, spread


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=1000)
    ap.add_argument("--events", type=int, default=50)
    ap.add_argument("--idle", type=int, default=10000)
    args = ap.parse_args()
    # The client and each server hold one descriptor per stream (each process has its own
    # limit); raise ours, which the servers inherit, and say so if it caps the idle test.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, args.idle + args.subscribers + 4096)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    asked_idle = args.idle
    args.idle = max(0, min(args.idle, limit - args.subscribers - 1024))

    tmp = tempfile.mkdtemp(prefix="sc-s1-")
    procs, pg_dir = [], None
    try:
        url = os.environ.get("SC_BENCH_PG_URL")
        if not url:
            pg_dir = f"/tmp/sc-s1-pg-{os.getpid()}"  # postgres must reach it
            out = run([os.path.join(ROOT, "scripts", "start-postgres"), pg_dir], os.environ.copy())
            url = re.search(r"SC_TEST_PG_URL=(\S+)", out).group(1)
        env = dict(os.environ, **ENV, SOUNDCHECK_DB=url)
        key = os.path.join(tmp, "master.key")
        common = ["--master-key-file", key]
        email = f"s1-{os.getpid()}@example.test"
        run([BIN, "user", "add", "--data-dir", tmp + "/a", *common, "--email", email, "--role",
             "supervisor", "--name", "Bench Supervisor"], env, "a long enough bench passphrase\n")
        token = run([BIN, "token", "create", "--data-dir", tmp + "/a", *common, "--email", email,
                     "--name", "s1"], env).strip().splitlines()[-1]
        ports = [free_port(), free_port()]
        for i, port in enumerate(ports):
            procs.append(subprocess.Popen(
                ["taskset", "-c", str(i % os.cpu_count()), BIN, "serve", "--data-dir",
                 f"{tmp}/{'ab'[i]}", *common, "--listen", f"127.0.0.1:{port}"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            wait_http(f"http://127.0.0.1:{port}/healthz")
        pids = [p.pid for p in procs]
        rss_idle_start = [rss_mib(p) for p in pids]

        lat, missing, rss_streams, spread = asyncio.run(measure(args, ports, token, pids))
        spread.sort()
        lat.sort()
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]

        async def idle():
            conns, ok = await idle_streams(ports[0], token, args.idle)
            await asyncio.sleep(1)
            mem = rss_mib(pids[0])
            for _, w in conns:
                w.close()
            return ok, mem
        idle_ok, idle_rss = asyncio.run(idle()) if args.idle else (0, 0.0)
    finally:
        for pr in procs:
            pr.send_signal(signal.SIGTERM)
        for pr in procs:
            try:
                pr.wait(30)
            except subprocess.TimeoutExpired:
                pr.kill()
        if pg_dir:
            subprocess.run([os.path.join(ROOT, "scripts", "stop-postgres"), pg_dir],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)

    deliveries = args.subscribers * args.events
    ok50, ok99 = p(0.5) <= 50, p(0.99) <= 50
    idle_ok_goal = args.idle >= 10000 and idle_ok >= args.idle and idle_rss <= 200
    lines = [
        "## S1: live events to SSE dashboards on two nodes",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/s1.py` on this machine "
        f"({os.cpu_count()} cores): two `soundcheck serve` nodes on one PostgreSQL 15, "
        f"node A pinned to core 0 and node B to core 1, the Python asyncio client unpinned. "
        f"{args.subscribers} supervisors' streams, half on each node; {args.events} events "
        "(a new case each), raised alternately on A and B; latency from sending the intake "
        "to the event's arrival at each subscriber (so it includes the intake's own durable "
        "commit).",
        "",
        "| figure | value | goal |",
        "|---|---|---|",
        f"| deliveries measured | {len(lat)} of {deliveries} ({missing} missing) | all |",
        f"| p50 | {p(0.5):.1f} ms | |",
        f"| p99 | {p(0.99):.1f} ms | ≤ 50 ms ({'met' if ok99 else 'not met'}) |",
        f"| max | {lat[-1]:.1f} ms | |",
        f"| first-to-last arrival of one event, median | {statistics.median(spread):.1f} ms | "
        "(the client reading the sockets in turn, and the two servers writing them) |",
        f"| RSS per node with the streams open | {', '.join(f'{r:.0f}' for r in rss_streams)} MiB "
        f"(idle at start: {', '.join(f'{r:.0f}' for r in rss_idle_start)} MiB) | |",
        f"| {args.idle} open streams on one node | {idle_ok} answered, RSS {idle_rss:.0f} MiB | "
        f"10,000 under 200 MiB ({'met' if idle_ok_goal else 'not met'}"
        f"{'' if args.idle >= asked_idle else f'; open-file limit {limit} capped the test'}) |",
        "",
        "The client is one Python process reading every stream with one epoll loop; its own "
        "scheduling is part of every figure, so the servers' share is smaller than shown. "
        "No peer: S1 has none in performance.md.",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    write_section("S1", section)
    if missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
