#!/usr/bin/env python3
"""M2: matching over HTTP. GET /api/v1/finder (two engine queries — the care asked for and the
community resources nearby — and their JSON) against nginx serving a static file of the same
size, in the same run. wrk on core 0, each server pinned to core 1 (soundcheck with one worker
thread on SQLite), loopback only, bounded in time. A generated directory (`soundcheck demo
generate`, seed 1, today) is imported first. wrk rotates over a fixed list of finder queries
(bench/m2_queries.lua) so the answer is not one cached query; nginx serves one file of the
answers' mean size. Prints a table and rewrites the M2 section of docs/benchmarks.md.

Usage: bench/m2.py [--providers 1500] [--seconds 10] [--runs 3] [--connections 32]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, free_port, median_run, start_nginx, stop_all, wait_http, wrk, write_section  # noqa: E402,E501

# Busy places and common needs, as a member would search (the demo's cities come first).
CITIES = [("US-CA", 34.05, -118.24), ("US-NY", 40.71, -74.01), ("US-IL", 41.88, -87.63),
          ("US-TX", 29.76, -95.37), ("US-TN", 36.16, -86.78), ("US-WA", 47.61, -122.33)]
CARE = ["individual-therapy", "psychiatry", "substance-use-outpatient", "couples-therapy"]
MODES = ["either", "telehealth", "in_person"]


def queries():
    out = []
    for i, (j, lat, lon) in enumerate(CITIES):
        for k, care in enumerate(CARE):
            mode = MODES[(i + k) % len(MODES)]
            q = f"/api/v1/finder?jurisdiction={j}&care_type={care}&mode={mode}&limit=20"
            if mode != "telehealth":
                q += f"&latitude={lat}&longitude={lon}&max_km=40"
            out.append(q)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--providers", type=int, default=1500)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sc-bench-m2-")
    procs = []
    try:
        env = dict(os.environ, SOUNDCHECK_LOG_LEVEL="warn", SOUNDCHECK_THREADS="1",
                   SOUNDCHECK_LIMITS_PUBLIC_REQUESTS_PER_MINUTE="1000000")
        today = time.strftime("%Y-%m-%d", time.gmtime())
        subprocess.run([BIN, "demo", "generate", "--providers", str(args.providers), "--seed", "1",
                        "--out", f"{work}/directory", "--today", today], check=True,
                       capture_output=True, env=env)
        subprocess.run([BIN, "import", "hsds", f"{work}/directory", "--data-dir", work],
                       check=True, capture_output=True, env=env)
        port = free_port()
        procs.append(subprocess.Popen(
            ["taskset", "-c", "1", BIN, "serve", "--data-dir", work, "--listen",
             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/readyz", timeout=300)
        paths = queries()
        sizes, results = [], []
        for p in paths:
            body = urllib.request.urlopen(base + p).read()
            answer = json.loads(body)
            sizes.append(len(body))
            results.append(len(answer["providers"]["items"]) + len(answer["resources"]["items"]))
        mean = sum(sizes) // len(sizes)
        script = os.path.join(work, "queries.lua")
        open(script, "w").write(
            "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
            "local i = 0\n"
            "request = function()\n  i = i % #paths + 1\n"
            "  return wrk.format('GET', paths[i])\nend\n")

        nginx, nbase = start_nginx(work, {"finder.json": mean})
        procs.append(nginx)

        wrk(base + "/", 2, args.connections, script=script)
        wrk(nbase + "/finder.json", 2, args.connections)
        ours = median_run(base + "/", args.seconds, args.connections, args.runs, script=script)
        peer = median_run(nbase + "/finder.json", args.seconds, args.connections, args.runs)
    finally:
        stop_all(procs, work)

    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    ratio = ours["rps"] / peer["rps"]
    lines = [
        "## M2: matching over HTTP vs nginx",
        "",
        f"`bench/m2.py` on {time.strftime('%Y-%m-%d')}, {cpu.group(1) if cpu else 'unknown CPU'}; "
        f"a generated directory of {args.providers:,} providers on SQLite; wrk -t1 "
        f"-c{args.connections} on core 0 rotating over {len(paths)} finder queries (6 cities × 4 "
        "care types; telehealth, in person within 40 km or either), each server pinned to core 1 "
        f"(soundcheck with 1 worker thread); median of {args.runs} runs of {args.seconds} s "
        "(min–max in brackets). Each finder answer is two engine queries (the care asked for, "
        f"and community resources) with reasons and costs: {min(sizes):,}–{max(sizes):,} bytes, "
        f"mean {mean:,}, {min(results)}–{max(results)} results; nginx 1.22 serves a static file "
        "of the mean size in the same run.",
        "",
        "| request | soundcheck req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | ratio | goal |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| GET /api/v1/finder | {ours['rps']:,.0f} ({ours['min_rps']:,.0f}–{ours['max_rps']:,.0f}) | "
        f"{ours['p50_ms']:.2f} / {ours['p99_ms']:.2f} | {peer['rps']:,.0f} "
        f"({peer['min_rps']:,.0f}–{peer['max_rps']:,.0f}) | {peer['p50_ms']:.2f} / {peer['p99_ms']:.2f} | "
        f"{ratio:.0%} | ≥ 40% {'met' if ratio >= 0.40 else 'NOT met'} |",
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    write_section("M2", section)


if __name__ == "__main__":
    main()
