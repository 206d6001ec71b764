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

Then update-to-visible (--updates times, 0 for none): with the server up and its index in
service, a staff user (a bearer token, as bench/h0.py) pauses the first listing the finder
shows (PATCH /api/v1/directory/services/{id} {"status":"inactive"} with If-Match), and the
finder is asked again and again until that listing is gone; then resumes it ("active") and
asks until it is back. Each is timed from the PATCH's answer to the first finder answer that
shows the change. Rewrites the R1-update section of docs/benchmarks.md.

Usage: bench/r1.py [--providers 100000] [--runs 3] [--updates 5] [--only-updates] [--keep DIR]
  --keep DIR: generate and import into DIR once and keep it (the import of 100,000 providers
  takes minutes); later runs with the same DIR reuse it.
  --only-updates: measure update-to-visible only (no start measurements).
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time, urllib.error, \
    urllib.request

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
    proc.port = port
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


def call(method, url, token=None, body=None, headers=None):
    """One request; returns (status, headers, parsed JSON body or None)."""
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, None


def staff_token(work, env):
    """A bearer token of a staff user (an admin) of the data directory, added if missing."""
    email = "bench-staff@example.test"
    subprocess.run([BIN, "user", "add", "--data-dir", work, "--email", email, "--role", "admin",
                    "--name", "Bench Staff", "--totp-secret", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"],
                   input="a long enough benchmark passphrase\n", text=True, capture_output=True,
                   env=env)  # fails harmlessly when the user is there from an earlier run
    return run([BIN, "token", "create", "--data-dir", work, "--email", email, "--name",
                "bench-r1"], env=env).stdout.strip()


def finder_ids(base):
    """The service ids the finder shows, and how long the answer took."""
    t = time.monotonic()
    code, _, answer = call("GET", base + FINDER)
    if code != 200:
        die(f"the finder answered {code}")
    return [p["service_id"] for p in answer["providers"]["items"]], time.monotonic() - t


def set_status(base, token, service, status):
    """Sets the listing's status as staff; returns when the write is acknowledged."""
    path = f"{base}/api/v1/directory/services/{service}"
    code, headers, _ = call("GET", path, token)
    if code != 200:
        die(f"GET {path} answered {code}")
    code, _, _ = call("PATCH", path, token, {"status": status}, {"If-Match": headers["ETag"]})
    if code != 200:
        die(f"PATCH {path} answered {code}")
    return time.monotonic()


def update_to_visible(work, env, updates):
    """Pauses and resumes one listing `updates` times; returns the seconds from each write's
    acknowledgement to the finder showing it, by kind, and the finder's answer times."""
    token = staff_token(work, env)
    proc, _ = start(work, env)
    base = f"http://127.0.0.1:{proc.port}"
    times = {"pause (listing leaves the answer)": [], "resume (listing is back)": []}
    polls = []
    try:
        ids, _ = finder_ids(base)
        if not ids:
            die("the finder shows nobody")
        service = ids[0]
        for _ in range(updates):
            for kind, status, shown in (("pause (listing leaves the answer)", "inactive", False),
                                        ("resume (listing is back)", "active", True)):
                acked = set_status(base, token, service, status)
                while True:
                    ids, took = finder_ids(base)
                    polls.append(took)
                    if (service in ids) == shown:
                        times[kind].append(time.monotonic() - acked)
                        break
                    if time.monotonic() - acked > 120:
                        die(f"{status}: not visible after 120 s")
    finally:
        stop_server(proc)
    return times, polls


def summary(values):
    v = sorted(values)
    return v[len(v) // 2], v[0], v[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--providers", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--updates", type=int, default=5,
                    help="pauses and resumes timed to visible (0: none)")
    ap.add_argument("--only-updates", action="store_true",
                    help="time update-to-visible only, not the starts")
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
    if not args.only_updates:
        measure_starts(args, work, env)
    if args.updates > 0:
        measure_updates(args, work, env)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def measure_starts(args, work, env):
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


def measure_updates(args, work, env):
    times, polls = update_to_visible(work, env, args.updates)
    rows = []
    for kind, values in times.items():
        med, lo, hi = summary(values)
        rows.append(f"| {kind} | {med * 1000:.0f} ms | {lo * 1000:.0f} ms | {hi * 1000:.0f} ms |")
    table = "\n".join(["| change (staff API) | median | min | max |",
                       "| --- | --- | --- | --- |"] + rows)
    print(table)
    poll, _, poll_max = summary(polls)
    section = (f"## R1-update: update-to-visible over HTTP with {args.providers:,} providers\n\n"
               f"`bench/r1.py --only-updates` (or after the starts), "
               f"{time.strftime('%Y-%m-%d', time.gmtime())}, SQLite, {os.cpu_count()} cores "
               "shared with the load of the day; one `serve` with its index in service. A staff "
               "user (bearer token) pauses the first listing the finder shows (`PATCH "
               "/api/v1/directory/services/{id}` `{\"status\":\"inactive\"}` with `If-Match`), "
               "then resumes it (`\"active\"`); after each, `GET /api/v1/finder` is asked back "
               "to back until the listing is gone (or back). Time from the PATCH's answer to the "
               f"first finder answer showing the change, {args.updates} of each; one finder "
               f"answer took {poll * 1000:.0f} ms (median; max {poll_max * 1000:.0f} ms), which "
               "bounds the resolution.\n\n" + table + "\n")
    write_section("R1-update", section)


if __name__ == "__main__":
    main()
