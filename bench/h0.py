#!/usr/bin/env python3
"""H0: GET /healthz and an authenticated GET /api/v1/me against nginx serving a static file of
the same size, in the same run. wrk on core 0, each server pinned to core 1, loopback only,
bounded in time. Prints a table and rewrites the H0 section of docs/benchmarks.md.

Usage: bench/h0.py [--seconds 10] [--runs 3] [--connections 32]
"""
import argparse, os, re, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, free_port, median_run as median, start_nginx, stop_all, wait_http, wrk, write_section  # noqa: E402,E501


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sc-bench-")
    procs = []
    try:
        env = dict(os.environ, SOUNDCHECK_LOG_LEVEL="warn", SOUNDCHECK_THREADS="1")
        secret_out = subprocess.run(
            [BIN, "user", "add", "--data-dir", work, "--email", "bench@example.test", "--role",
             "admin", "--name", "Bench Admin", "--totp-secret", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"],
            input="a long enough benchmark passphrase\n", text=True, capture_output=True, env=env)
        if secret_out.returncode:
            raise SystemExit(secret_out.stdout + secret_out.stderr)
        token = subprocess.run([BIN, "token", "create", "--data-dir", work, "--email",
                                "bench@example.test", "--name", "bench"], capture_output=True,
                               text=True, check=True, env=env).stdout.strip()
        port = free_port()
        procs.append(subprocess.Popen(
            ["taskset", "-c", "1", BIN, "serve", "--data-dir", work, "--listen", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        health_body = urllib.request.urlopen(base + "/healthz").read()
        req = urllib.request.Request(base + "/api/v1/me", headers={"Authorization": "Bearer " + token})
        me_body = urllib.request.urlopen(req).read()

        # nginx with the same-size static files, one worker on the same core.
        nginx, nbase = start_nginx(work, {"healthz.json": len(health_body), "me.json": len(me_body)})
        procs.append(nginx)

        # Warm up, then measure.
        wrk(base + "/healthz", 2, args.connections)
        wrk(nbase + "/healthz.json", 2, args.connections)
        rows = []
        for name, url, nurl, hdrs, goal in [
            ("GET /healthz", base + "/healthz", nbase + "/healthz.json", (), 0.80),
            ("GET /api/v1/me (bearer)", base + "/api/v1/me", nbase + "/me.json",
             ("Authorization: Bearer " + token,), 0.40),
        ]:
            ours = median(url, args.seconds, args.connections, args.runs, hdrs)
            peer = median(nurl, args.seconds, args.connections, args.runs)
            rows.append((name, len(health_body if "healthz" in url else me_body), ours, peer, goal))
    finally:
        stop_all(procs, work)

    cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    lines = [
        "## H0: health and an authenticated read vs nginx",
        "",
        f"`make bench` on {time.strftime('%Y-%m-%d')}, {cpu.group(1) if cpu else 'unknown CPU'}; "
        f"wrk -t1 -c{args.connections} on core 0, each server pinned to core 1 "
        f"(soundcheck with 1 worker thread on SQLite); median of {args.runs} runs of {args.seconds} s "
        "(min–max in brackets); nginx 1.22 serves a static file of the same size in the same run.",
        "",
        "| request | bytes | soundcheck req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | ratio | goal |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, size, o, p, goal in rows:
        ratio = o["rps"] / p["rps"]
        lines.append(
            f"| {name} | {size} | {o['rps']:,.0f} ({o['min_rps']:,.0f}–{o['max_rps']:,.0f}) | "
            f"{o['p50_ms']:.2f} / {o['p99_ms']:.2f} | {p['rps']:,.0f} ({p['min_rps']:,.0f}–{p['max_rps']:,.0f}) | "
            f"{p['p50_ms']:.2f} / {p['p99_ms']:.2f} | {ratio:.0%} | ≥ {goal:.0%} {'met' if ratio >= goal else 'NOT met'} |")
    section = "\n".join(lines) + "\n"
    print(section)
    write_section("H0", section)


if __name__ == "__main__":
    main()
