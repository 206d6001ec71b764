#!/usr/bin/env python3
"""W1: durable intake submissions (POST /api/v1/intakes, each acknowledged only after its
COMMIT) against SQLite synchronous=FULL single-row commits, in the same run, on the same disk.

The real `soundcheck serve` runs on SQLite in a temporary data dir, pinned to core 1, with
enough server threads for every connection to have a request in flight (handlers run on the
server's threads and block them while they wait for the commit). The load generator — this
process, an asyncio client over raw keep-alive sockets — is pinned to core 0 and runs closed
loops at several concurrency levels, bounded in time; each request carries a unique
Idempotency-Key, so each is a new intake. The peer is a python3 sqlite3 process on core 1
inserting rows of about the same size (the database bytes per intake) in WAL mode with
synchronous=FULL, one COMMIT per row; it runs after each round of levels, while the server
idles, and each level's ratio is taken within its round (the disk is shared and drifts). The client's own ceiling is measured against nginx
answering the same POST with a canned 201 on core 1. Prints a table and rewrites the W1
section of docs/benchmarks.md.

Usage: bench/w1.py [--seconds 5] [--runs 3] [--levels 1,8,32,64] [--bin build/bin/soundcheck]
                   [--no-doc]
"""
import argparse, asyncio, json, os, re, shutil, socket, sqlite3, subprocess, sys
import tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, free_port, stop_server, wait_http, write_section  # noqa: E402

SERVER_CORE, CLIENT_CORE = 1, 0

# A complete, valid intake (tests/api/intake_api_test.cpp): a PHQ-2 with no risk answer.
BODY = json.dumps({
    "for": "self", "preferred_name": "Bench Person", "language": "en",
    "contact": {"phone": "+1 615 555 0100", "preferred": "text", "text_ok": True,
                "voicemail_ok": False},
    "industry_role": "touring_crew",
    "location": {"country": "US", "region": "US-TN", "city": "Nashville",
                 "time_zone": "America/Chicago"},
    "on_tour": {"now": True, "until": "2026-12-20"},
    "requests": ["therapy", "financial_help"],
    "insurance": {"type": "union", "carrier": "Example Health Fund", "member_id": "XZ-00042"},
    "household": {"size": 2, "income_band": "25k_50k"},
    "preferences": {"format": "telehealth", "specialties": ["music_industry"]},
    "screenings": [{"instrument": "phq2", "answers": [1, 0]}],
    "consents": {"privacy_notice_version": "2026-11", "contact": True},
    "src": "venue:ryman",
}, separators=(",", ":")).encode()

# The peer: one process, one connection, one row per COMMIT. Prints JSON.
PEER = r"""
import json, os, sqlite3, sys, time
path, seconds, row_bytes = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(path, isolation_level=None)
assert c.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
c.execute("PRAGMA synchronous=FULL")
c.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, b BLOB)")
payload = os.urandom(row_bytes)
def run(secs, tag):
    lat, n = [], 0
    end = time.perf_counter() + secs
    while True:
        t0 = time.perf_counter()
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO t (k, b) VALUES (?, ?)", (f"{tag}-{n}", payload))
        c.execute("COMMIT")
        t1 = time.perf_counter()
        lat.append(t1 - t0)
        n += 1
        if t1 >= end:
            return n, lat
run(1, "warm")
t0 = time.perf_counter()
n, lat = run(seconds, "run")
wall = time.perf_counter() - t0
lat.sort()
print(json.dumps({"rps": n / wall, "p50_ms": lat[len(lat) // 2] * 1e3,
                  "p99_ms": lat[int(len(lat) * 0.99)] * 1e3, "n": n}))
"""


def cpu_seconds(pid):
    """User + system CPU time of a process and its threads, in seconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Client(asyncio.Protocol):
    """One keep-alive connection in a closed loop: send, wait for the whole answer, repeat."""

    def __init__(self, run, cid):
        self.run, self.cid, self.seq, self.buf = run, cid, 0, bytearray()

    def connection_made(self, transport):
        self.transport = transport
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send()

    def send(self):
        self.seq += 1
        key = f"w1-{self.run.tag}-{self.cid}-{self.seq:08d}".encode()
        self.start = time.perf_counter()
        self.transport.write(self.run.head + key + b"\r\n\r\n" + self.run.body)

    def data_received(self, data):
        self.buf += data
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return
        m = re.search(rb"\r\ncontent-length:\s*(\d+)", self.buf[:end], re.I)
        total = end + 4 + (int(m.group(1)) if m else 0)
        if len(self.buf) < total:
            return
        now = time.perf_counter()
        status = int(self.buf[9:12])
        del self.buf[:total]
        run = self.run
        if now >= run.start:  # requests finishing during warm-up are not counted
            run.latencies.append(now - self.start)
            if status != run.expect:
                run.errors.append(status)
        if now < run.deadline:
            self.send()
        else:
            self.transport.close()

    def connection_lost(self, exc):
        self.run.open -= 1
        if self.run.open == 0 and not self.run.done.done():
            self.run.done.set_result(None)


class Run:
    def __init__(self, port, path, body, expect, tag):
        self.head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                     "Idempotency-Key: ").encode()
        self.body, self.expect, self.tag = body, expect, tag
        self.latencies, self.errors = [], []


async def drive(port, path, body, expect, connections, seconds, warmup, tag):
    loop = asyncio.get_running_loop()
    run = Run(port, path, body, expect, tag)
    run.start = time.perf_counter() + warmup
    run.deadline = run.start + seconds
    run.open, run.done = connections, loop.create_future()
    for i in range(connections):
        await loop.create_connection(lambda i=i: Client(run, i), "127.0.0.1", port)
    await asyncio.wait_for(run.done, seconds + warmup + 60)
    lat = sorted(run.latencies)
    if run.errors:
        raise SystemExit(f"bench: {len(run.errors)} answers were not {expect}: "
                         f"{sorted(set(run.errors))}")
    return {"rps": len(lat) / seconds, "p50_ms": lat[len(lat) // 2] * 1e3,
            "p99_ms": lat[int(len(lat) * 0.99)] * 1e3, "n": len(lat)}


def load(port, path, body, expect, connections, seconds, warmup, tag):
    return asyncio.run(drive(port, path, body, expect, connections, seconds, warmup, tag))


def median_of(runs):
    runs = sorted(runs, key=lambda r: r["rps"])
    mid = dict(runs[len(runs) // 2])
    mid["min_rps"], mid["max_rps"] = runs[0]["rps"], runs[-1]["rps"]
    return mid


def start_nginx(work, answer):
    """nginx on the server core answering every POST with a canned 201 of `answer`'s size."""
    port = free_port()
    os.chmod(work, 0o755)
    conf = os.path.join(work, "nginx.conf")
    body = "x" * len(answer)
    open(conf, "w").write(f"""
worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/nginx.err warn;
events {{ worker_connections 4096; }}
http {{ access_log off; default_type application/json; keepalive_requests 1000000;
  client_body_temp_path {work}/cb; proxy_temp_path {work}/px; fastcgi_temp_path {work}/fc;
  uwsgi_temp_path {work}/uw; scgi_temp_path {work}/sc;
  server {{ listen 127.0.0.1:{port}; location / {{ return 201 '{body}'; }} }} }}
""")
    proc = subprocess.Popen(["taskset", "-c", str(SERVER_CORE), "/usr/sbin/nginx", "-c", conf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--levels", default="1,8,32,64")
    ap.add_argument("--bin", default=os.environ.get("SC_BIN", BIN))
    ap.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    os.sched_setaffinity(0, {CLIENT_CORE})
    work = tempfile.mkdtemp(prefix="sc-bench-w1-")
    procs = []
    try:
        env = dict(os.environ, SOUNDCHECK_LOG_LEVEL="warn",
                   SOUNDCHECK_THREADS=str(max(levels)),
                   SOUNDCHECK_LIMITS_PUBLIC_REQUESTS_PER_MINUTE="1000000")
        port = free_port()
        data = os.path.join(work, "data")
        server = subprocess.Popen(
            ["taskset", "-c", str(SERVER_CORE), args.bin, "serve", "--data-dir", data,
             "--listen", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        procs.append(server)
        wait_http(f"http://127.0.0.1:{port}/healthz")
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/intakes", data=BODY,
                                     headers={"Content-Type": "application/json",
                                              "Idempotency-Key": "w1-probe-00000001"})
        answer = urllib.request.urlopen(req).read()
        if b'"received"' not in answer:
            raise SystemExit(f"bench: the intake was not accepted: {answer[:300]!r}")

        load(port, "/api/v1/intakes", BODY, 201, max(levels), 2, 0, "warm")
        # The peer's row: the database bytes per intake so far (a reader beside the server).
        db = sqlite3.connect(f"file:{os.path.join(data, 'soundcheck.db')}?mode=ro", uri=True)
        intakes = db.execute("SELECT COUNT(*) FROM intakes").fetchone()[0]
        db_bytes = db.execute("PRAGMA page_count").fetchone()[0] * \
            db.execute("PRAGMA page_size").fetchone()[0]
        db.close()
        row_bytes = max(100, db_bytes // max(1, intakes))

        # Rounds of every level, each round followed by a run of the peer on the same core
        # (the server idle meanwhile), so both see the disk as it is at that moment.
        runs = {c: [] for c in levels}
        peer_runs = []
        for r in range(args.runs):
            for c in levels:
                c0, t0 = cpu_seconds(server.pid), time.perf_counter()
                res = load(port, "/api/v1/intakes", BODY, 201, c, args.seconds, 0.5, f"c{c}r{r}")
                res["cpu"] = (cpu_seconds(server.pid) - c0) / (time.perf_counter() - t0)
                runs[c].append(res)
                print(f"run {r + 1}, c={c}: {res['rps']:,.0f} intakes/s, p50 {res['p50_ms']:.2f} ms, "
                      f"p99 {res['p99_ms']:.2f} ms, server CPU {res['cpu']:.0%}", flush=True)
            out = subprocess.run(
                ["taskset", "-c", str(SERVER_CORE), sys.executable, "-c", PEER,
                 os.path.join(work, f"peer{r}.db"), str(args.seconds), str(row_bytes)],
                capture_output=True, text=True, check=True).stdout
            peer_runs.append(json.loads(out))
            p = peer_runs[-1]
            print(f"run {r + 1}, peer: {p['rps']:,.0f} commits/s, p50 {p['p50_ms']:.2f} ms, "
                  f"p99 {p['p99_ms']:.2f} ms ({row_bytes} B rows)", flush=True)
        results = {c: median_of(runs[c]) for c in levels}
        peer = median_of(peer_runs)
        for c in levels:  # the ratio within each round, where server and peer shared a disk
            ratios = sorted(o["rps"] / p["rps"] for o, p in zip(runs[c], peer_runs))
            results[c]["ratio"] = ratios[len(ratios) // 2]
            results[c]["min_ratio"], results[c]["max_ratio"] = ratios[0], ratios[-1]
        stop_server(server)
        procs.remove(server)

        # The client's own ceiling at the highest level.
        nginx, nport = start_nginx(work, answer)
        procs.append(nginx)
        wait_http(f"http://127.0.0.1:{nport}/")
        ceiling = median_of([load(nport, "/api/v1/intakes", BODY, 201, max(levels), args.seconds,
                                  0.5, f"n{r}") for r in range(args.runs)])
        print(f"client ceiling (nginx canned 201, c={max(levels)}): {ceiling['rps']:,.0f} req/s",
              flush=True)
    finally:
        for p in procs:
            stop_server(p)
        shutil.rmtree(work, ignore_errors=True)

    cpu_model = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    best = [c for c in levels if results[c]["p99_ms"] <= 10]
    best_ratio = max((results[c]["ratio"] for c in best), default=0)
    met = best_ratio >= 10
    lines = [
        "## W1: durable intake submissions vs SQLite FULL single-row commits",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d')}, {cpu_model.group(1) if cpu_model else 'unknown CPU'}; "
        f"`soundcheck serve` on SQLite (WAL, synchronous=FULL, group commit) pinned to core "
        f"{SERVER_CORE} with {max(levels)} server threads; an asyncio client on core {CLIENT_CORE} "
        f"POSTs a valid {len(BODY)}-byte intake with a unique Idempotency-Key per request over "
        f"keep-alive connections (closed loop, N connections = N requests in flight); each 201 "
        f"comes after its COMMIT. {args.runs} rounds; in each, every level runs {args.seconds:g} s, "
        f"then the peer runs {args.seconds:g} s on core {SERVER_CORE} (server idle), on the same "
        f"disk: python3 sqlite3, WAL, synchronous=FULL, one {row_bytes}-byte row per COMMIT (the "
        f"database bytes per intake). Medians of the rounds, min–max in brackets; × peer is the "
        f"ratio within each round. Client ceiling (nginx answering the same POST with a canned 201 on core "
        f"{SERVER_CORE}, {max(levels)} connections): {ceiling['rps']:,.0f} req/s.",
        "",
        "| connections | intakes/s | p50 / p99 ms | server CPU | × peer | p99 ≤ 10 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for c in levels:
        o = results[c]
        lines.append(
            f"| {c} | {o['rps']:,.0f} ({o['min_rps']:,.0f}–{o['max_rps']:,.0f}) | "
            f"{o['p50_ms']:.2f} / {o['p99_ms']:.2f} | {o['cpu']:.0%} | "
            f"{o['ratio']:.2f}× ({o['min_ratio']:.2f}–{o['max_ratio']:.2f}) | "
            f"{'yes' if o['p99_ms'] <= 10 else 'no'} |")
    lines += [
        f"| peer: single-row FULL commits | {peer['rps']:,.0f} ({peer['min_rps']:,.0f}–"
        f"{peer['max_rps']:,.0f}) commits/s | {peer['p50_ms']:.2f} / {peer['p99_ms']:.2f} | — | 1× | "
        f"{'yes' if peer['p99_ms'] <= 10 else 'no'} |",
        "",
        f"Goal (≥ 10× the peer with p99 ≤ 10 ms): **{'met' if met else 'NOT met'}** "
        f"(best ratio with p99 ≤ 10 ms: {best_ratio:.2f}×).",
    ]
    section = "\n".join(lines) + "\n"
    print()
    print(section)
    if args.no_doc:
        return
    write_section("W1", section)


if __name__ == "__main__":
    main()
