"""Pieces every benchmark script shares: free ports, waiting for a server, and writing a
section of docs/benchmarks.md in place."""
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SC_BENCH_BIN", os.path.join(ROOT, "build", "bin", "soundcheck"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_http(url, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"bench: {url} did not come up")


def write_section(tag, section):
    """Replaces the `## <tag>:` section of docs/benchmarks.md in place (appends it the first
    time), so the page keeps its order across runs."""
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    pattern = rf"## {tag}:.*?(?=\n## |\Z)"
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _: section.rstrip() + "\n", text, count=1, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section
    open(path, "w").write(text)


def die(msg):
    raise SystemExit(f"bench: {msg}")


def run(cmd, **kw):
    """Runs a command to completion; a failure stops the benchmark with its output's tail."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        die(f"{' '.join(map(str, cmd[:6]))} failed ({r.returncode}):\n{r.stdout[-3000:]}\n"
            f"{r.stderr[-3000:]}")
    return r


def children_of(pid):
    """The direct child processes of `pid` (from /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                fields = open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(d))
    return out


def wrk(url, seconds, connections, headers=(), script=None):
    """One wrk run from core 0 (one thread): requests/s and the p50/p99 latencies in ms. Any
    non-2xx answer stops the benchmark."""
    cmd = ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"bench: {url} answered {non2xx.group(1)} errors:\n{out}")

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    return {"rps": rps, "p50_ms": pct(50), "p99_ms": pct(99)}


def median_run(url, seconds, connections, runs, headers=(), script=None):
    """The median of `runs` wrk runs, with the min and max requests/s beside it."""
    results = [wrk(url, seconds, connections, headers, script) for _ in range(runs)]
    results.sort(key=lambda r: r["rps"])
    mid = results[len(results) // 2]
    mid["min_rps"], mid["max_rps"] = results[0]["rps"], results[-1]["rps"]
    return mid


def start_nginx(work, files, core=1):
    """nginx serving `files` ({name: size in bytes}) from work/static with one worker pinned to
    `core`; returns (process, base URL)."""
    static = os.path.join(work, "static")
    os.makedirs(static, exist_ok=True)
    # nginx started as root serves from unprivileged workers: let them read the files.
    os.chmod(work, 0o755)
    os.chmod(static, 0o755)
    for name, size in files.items():
        open(os.path.join(static, name), "wb").write(b"x" * size)
    port = free_port()
    conf = os.path.join(work, "nginx.conf")
    open(conf, "w").write(f"""
worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/nginx.err warn;
events {{ worker_connections 4096; }}
http {{ access_log off; default_type application/json;
  client_body_temp_path {work}/cb; proxy_temp_path {work}/px; fastcgi_temp_path {work}/fc;
  uwsgi_temp_path {work}/uw; scgi_temp_path {work}/sc;
  server {{ listen 127.0.0.1:{port}; root {static}; }} }}
""")
    proc = subprocess.Popen(["taskset", "-c", str(core), "/usr/sbin/nginx", "-c", conf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/" + next(iter(files)))
    return proc, base


def stop_server(proc, timeout=20):
    """Stops one server as an operator would: SIGTERM, then kill after `timeout` seconds."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def stop_all(procs, work):
    """Stops the servers a benchmark started (stop_server, 10 s each) and removes its working
    directory."""
    for p in procs:
        stop_server(p, timeout=10)
    shutil.rmtree(work, ignore_errors=True)
