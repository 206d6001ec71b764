#!/usr/bin/env python3
"""R1: cold start with a large directory. Generates N providers (`soundcheck demo generate`,
seed 1, today), imports them into a fresh SQLite data directory, then measures `serve` from
process start to:
  - listening (GET /healthz answers): every route but matching serves;
  - ready (GET /readyz is 200): the matching index is in service;
  - the first finder answer (GET /api/v1/finder is 200);
two ways: the first start (no saved index: built from the database in the background) and a
restart (the saved index loaded). A restart after a directory change while the node was down
takes the first start's path (the saved index is refused and rebuilt in the background), so
the first row stands for it too. Each is run --runs times; the median is reported
with min and max. Prints a table and rewrites the R1 section of docs/benchmarks.md.

Usage: bench/r1.py [--providers 100000] [--runs 3] [--keep DIR]
  --keep DIR: generate and import into DIR once and keep it (the import of 100,000 providers
  takes minutes); later runs with the same DIR reuse it.
"""
import argparse, os, shutil, subprocess, sys, tempfile, time, urllib.error, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, die, free_port, run, stop_server, write_section  # noqa: E402

FINDER = "/api/v1/finder?jurisdiction=US-NY&care_type=individual-therapy&mode=telehealth"


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return None


def start(work, env):
    """Starts serve; returns seconds from start to listening, ready and the first answer."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    began = time.monotonic()
    proc = subprocess.Popen([BIN, "serve", "--data-dir", work, "--listen", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    marks = {}
    deadline = began + 600
    while time.monotonic() < deadline and len(marks) < 3:
        if proc.poll() is not None:
            die(f"serve exited with {proc.returncode}")
        now = time.monotonic() - began
        if "listening" not in marks and status(base + "/healthz") == 200:
            marks["listening"] = now
        if "listening" in marks and "ready" not in marks and status(base + "/readyz") == 200:
            marks["ready"] = time.monotonic() - began
        if "listening" in marks and "answer" not in marks:
            code = status(base + FINDER)
            if code == 200:
                marks["answer"] = time.monotonic() - began
            elif code not in (503, None):
                die(f"the finder answered {code} while starting")
        time.sleep(0.01)
    if len(marks) < 3:
        die("serve did not become ready within 600 s")
    return proc, marks


def summary(values):
    v = sorted(values)
    return v[len(v) // 2], v[0], v[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--providers", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="a data directory to import into once and reuse")
    args = ap.parse_args()
    if not os.path.exists(BIN):
        die(f"{BIN} is not built (make build)")
    work = args.keep or tempfile.mkdtemp(prefix="sc-bench-r1-")
    # The finder is polled every few milliseconds while the server starts.
    env = dict(os.environ, SOUNDCHECK_LOG_LEVEL="warn",
               SOUNDCHECK_LIMITS_PUBLIC_REQUESTS_PER_MINUTE="1000000")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    if not os.path.exists(os.path.join(work, "soundcheck.db")):
        t = time.monotonic()
        os.makedirs(work, exist_ok=True)
        run([BIN, "demo", "generate", "--providers", str(args.providers), "--seed", "1",
             "--out", f"{work}/directory", "--today", today], env=env)
        run([BIN, "import", "hsds", f"{work}/directory", "--data-dir", work], env=env)
        print(f"generated and imported {args.providers} providers in "
              f"{time.monotonic() - t:.0f} s", flush=True)
    saved = os.path.join(work, "matching-index.bin")
    kinds = {"first start, or a change while down (build)": [],
             "restart (saved index)": []}
    for _ in range(args.runs):
        if os.path.exists(saved):
            os.remove(saved)
        proc, marks = start(work, env)
        stop_server(proc)
        kinds["first start, or a change while down (build)"].append(marks)
        proc, marks = start(work, env)
        stop_server(proc)
        kinds["restart (saved index)"].append(marks)
    size = os.path.getsize(saved) / (1 << 20) if os.path.exists(saved) else 0
    rows = []
    for kind, runs in kinds.items():
        cells = []
        for mark in ("listening", "ready", "answer"):
            med, lo, hi = summary([m[mark] for m in runs])
            cells.append(f"{med:.2f} s ({lo:.2f}–{hi:.2f})")
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    table = "\n".join(["| start | listening | ready (/readyz) | first finder answer |",
                       "| --- | --- | --- | --- |"] + rows)
    print(table)
    section = (f"## R1: cold start with {args.providers:,} providers\n\n"
               f"`make bench` (bench/r1.py), {time.strftime('%Y-%m-%d', time.gmtime())}, SQLite, "
               f"{os.cpu_count()} cores shared with the load of the day; median of {args.runs} "
               f"starts (min–max), from process start. The saved index is {size:.0f} MiB. "
               "Goal: serving in ≤ 1 s.\n\n" + table + "\n")
    write_section("R1", section)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
