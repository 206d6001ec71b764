"""Pieces every benchmark script shares: free ports, waiting for a server, and writing a
section of docs/benchmarks.md in place."""
import os
import re
import socket
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
