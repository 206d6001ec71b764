#!/usr/bin/env python3
"""D1: directory import. `soundcheck import hsds` of a generated HSDS 3.1 CSV data package
(`soundcheck demo generate`), into SQLite and into PostgreSQL, against PostgreSQL `COPY` of
the same CSV rows measured in the same run.

Each round runs, one after the other:
- Soundcheck on SQLite: a fresh database file, the import pinned to core 1 under GNU time
  (wall time, CPU, peak RSS), then the same import again into the same database (it must
  change nothing: every record counted unchanged);
- Soundcheck on PostgreSQL: the same against a fresh database (CREATE DATABASE) on a
  throw-away server (scripts/start-postgres) whose processes are pinned to core 1, the
  import on core 0;
- the peer: a fresh database, one plain table per CSV with one `text` column per CSV header
  column (no keys, no indexes, no constraints), and every CSV loaded with psql's `\\copy ...
  (FORMAT csv, HEADER true)` in one transaction (`psql -1`), psql on core 0.
Records/s = the records of the data package / the wall time of the process. Ratios
(Soundcheck ÷ COPY) are taken within each round. Medians of the rounds, min–max.
Then one import of each engine runs under `perf` (when installed) to show where time goes.
Prints a table and rewrites the D1 section of docs/benchmarks.md (another size than the
default writes its own section, D1-<N>k).

Usage: bench/d1.py [--providers 20000] [--pg-providers 1000] [--runs 3] [--no-profile]
                   [--profile-providers 5000] [--bin build/bin/soundcheck] [--no-doc]
A PostgreSQL import is about ten times slower than a SQLite one here, so by default it runs
on a smaller directory (--pg-providers; COPY is then measured at that size as well), which
keeps the whole run near ten minutes on a 2-core machine. Set
--pg-providers 0 to skip PostgreSQL (and COPY at another size), or equal to --providers.
Needs: GNU time (/usr/bin/time), taskset, PostgreSQL 15 (scripts/start-postgres), psql.
"""
import argparse, collections, csv, glob, os, re, shutil, subprocess, sys
import tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import BIN, ROOT, children_of, die, run, write_section  # noqa: E402

SERVER_CORE, CLIENT_CORE = 1, 0
SEED, TODAY = 1, "2026-11-25"  # fixed: the same rows on every run and every machine
DEFAULT_PROVIDERS = 20000
CSV_FIELD_LIMIT = 1 << 30


def check_gnu_time():
    r = subprocess.run(["/usr/bin/time", "--version"], capture_output=True, text=True)
    if r.returncode != 0 or "GNU" not in (r.stdout + r.stderr):
        die("GNU time is not installed at /usr/bin/time (Debian package `time`; "
            "scripts/install-deps installs it)")


def parse_gnu_time(err):
    """Wall seconds, user+system CPU seconds and peak RSS (KiB) from `/usr/bin/time -v`."""
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    cpu = (float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1)) +
           float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    return {"wall": secs, "cpu": cpu, "rss_kib": rss}


# --- the data -------------------------------------------------------------------------------

def generate(binary, providers, out):
    r = run([binary, "demo", "generate", "--providers", str(providers), "--seed", str(SEED),
             "--today", TODAY, "--out", out])
    m = re.search(r"\((\d+) HSDS records", r.stdout + r.stderr)
    tables = []
    csv.field_size_limit(CSV_FIELD_LIMIT)
    for path in sorted(glob.glob(os.path.join(out, "*.csv"))):
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = sum(1 for _ in reader)
        tables.append({"path": path, "name": os.path.basename(path)[:-4], "columns": header,
                       "rows": rows, "bytes": os.path.getsize(path)})
    records = sum(t["rows"] for t in tables)
    if m and int(m.group(1)) != records:
        die(f"the generator reported {m.group(1)} records, the CSVs hold {records} rows")
    return {"providers": providers, "dir": out, "tables": tables, "records": records,
            "csv_bytes": sum(t["bytes"] for t in tables)}


# --- PostgreSQL -----------------------------------------------------------------------------

def proc_times(pid, with_children=False):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    t = int(fields[11]) + int(fields[12])
    if with_children:
        t += int(fields[13]) + int(fields[14])
    return t


class Postgres:
    """A throw-away server from scripts/start-postgres, every process pinned to one core."""

    def __init__(self, core):
        self.dir = f"/tmp/sc-bench-d1-pg-{os.getpid()}"  # the postgres user must reach it
        out = run([os.path.join(ROOT, "scripts", "start-postgres"), self.dir]).stdout
        self.url = re.search(r"SC_TEST_PG_URL=(\S+)", out).group(1)
        self.base = self.url.rsplit("/", 1)[0]
        try:
            self._setup(core)
        except BaseException:
            self.stop()
            raise

    def _setup(self, core):
        self.pid = int(open(os.path.join(self.dir, "pgdata", "postmaster.pid")).readline())
        # Autovacuum would start ANALYZE/VACUUM of the freshly loaded tables during the next
        # timed run; nothing here reads the data, so it is off on this server.
        self.sql("postgres", "ALTER SYSTEM SET autovacuum = off")
        self.sql("postgres", "SELECT pg_reload_conf()")
        for p in [self.pid] + children_of(self.pid):  # new backends inherit the postmaster's
            try:
                os.sched_setaffinity(p, {core})
            except ProcessLookupError:  # a backend that has just exited
                pass
        self.version = self.sql("postgres", "SHOW server_version").strip()

    def psql(self, db, *args, core=None, timed=False):
        cmd = ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
               "-p", self.url.rsplit(":", 1)[1].split("/")[0], "-U", "postgres", "-d", db, *args]
        if timed:
            cmd = ["/usr/bin/time", "-v"] + cmd
        if core is not None:
            cmd = ["taskset", "-c", str(core)] + cmd
        return run(cmd)

    def sql(self, db, statement):
        return self.psql(db, "-At", "-c", statement).stdout

    def cpu_ticks(self):
        """CPU time of the server so far: live processes, plus children it has reaped."""
        t = proc_times(self.pid, with_children=True)
        for c in children_of(self.pid):
            try:
                t += proc_times(c)
            except OSError:
                pass
        return t

    def settle(self):
        """Waits until every client's backend has exited and been reaped (their CPU time
        then sits in the postmaster's children's times)."""
        def backends():  # titled "postgres: USER DB HOST ACTIVITY"; aux processes are not
            n = 0
            for c in children_of(self.pid):
                try:
                    n += open(f"/proc/{c}/cmdline", "rb").read().startswith(b"postgres: postgres ")
                except OSError:
                    pass
            return n
        end = time.time() + 10
        while backends() and time.time() < end:
            time.sleep(0.05)

    def fresh(self, name):
        self.sql("postgres", f"DROP DATABASE IF EXISTS {name}")
        self.sql("postgres", f"CREATE DATABASE {name}")
        self.sql("postgres", "CHECKPOINT")  # earlier runs' dirty buffers are not this run's
        return f"{self.base}/{name}"

    def drop(self, name):
        self.sql("postgres", f"DROP DATABASE IF EXISTS {name}")

    def stop(self):
        subprocess.run([os.path.join(ROOT, "scripts", "stop-postgres"), self.dir],
                       capture_output=True)


# --- one timed run each ---------------------------------------------------------------------

def soundcheck_import(binary, data, db, data_dir, core, expect, pg=None):
    """`soundcheck import hsds` under GNU time. `expect`: "added" for a first import,
    "unchanged" for the same import again."""
    if expect == "added":  # the schema first: the timed process does the import alone
        run([binary, "migrate", "--db", db, "--data-dir", data_dir, "--log-level", "warn"])
    cmd = ["taskset", "-c", str(core), "/usr/bin/time", "-v", binary, "import", "hsds",
           data["dir"], "--db", db, "--data-dir", data_dir, "--log-level", "warn"]
    if pg:
        pg.settle()
    t0 = pg.cpu_ticks() if pg else 0
    r = run(cmd)
    res = parse_gnu_time(r.stderr)
    if pg:
        pg.settle()
        res["server_cpu"] = (pg.cpu_ticks() - t0) / os.sysconf("SC_CLK_TCK")
    m = re.search(r"imported (\d+) records", r.stdout)
    if not m or int(m.group(1)) != data["records"]:
        die(f"the import did not report {data['records']} records:\n{r.stdout[-2000:]}")
    counts = collections.Counter()
    for kind, added, updated, unchanged in re.findall(
            r"^\s+(\w+): (\d+) added, (\d+) updated, (\d+) unchanged", r.stdout, re.M):
        counts["added"] += int(added)
        counts["updated"] += int(updated)
        counts["unchanged"] += int(unchanged)
    if counts[expect] != data["records"]:
        die(f"expected all {data['records']} records {expect}, got {dict(counts)}:\n"
            f"{r.stdout[-2000:]}")
    res["rps"] = data["records"] / res["wall"]
    return res


def copy_script(data, path):
    lines = []
    for t in data["tables"]:
        cols = ", ".join('"' + c.replace('"', '""') + '" text' for c in t["columns"])
        lines.append(f'CREATE TABLE "{t["name"]}" ({cols});')
        lines.append(f"\\copy \"{t['name']}\" FROM '{t['path']}' WITH (FORMAT csv, HEADER true)")
    open(path, "w").write("\n".join(lines) + "\n")


def copy_run(pg, data, db, script):
    pg.settle()
    t0 = pg.cpu_ticks()
    r = pg.psql(db, "-1", "-f", script, core=CLIENT_CORE, timed=True)
    res = parse_gnu_time(r.stderr)
    pg.settle()
    res["server_cpu"] = (pg.cpu_ticks() - t0) / os.sysconf("SC_CLK_TCK")
    copied = sum(int(n) for n in re.findall(r"^COPY (\d+)", r.stdout, re.M))
    if copied != data["records"]:
        die(f"COPY loaded {copied} rows, expected {data['records']}:\n{r.stdout[-1000:]}")
    res["rps"] = data["records"] / res["wall"]
    return res


# --- where the time goes (perf) -------------------------------------------------------------

SYSCALLS = {
    "pread64": "kernel: pread64 (SQLite reading pages back from the OS page cache)",
    "pwrite64": "kernel: pwrite64 (SQLite writing pages: WAL frames)",
    "fdatasync": "kernel: fsync/fdatasync", "fsync": "kernel: fsync/fdatasync",
    "read": "kernel: read (CSV input)",
    "sendto": "kernel: socket send/receive", "recvfrom": "kernel: socket send/receive",
    "write": "kernel: write", "poll": "kernel: poll (waiting for the other side)",
    "epoll_wait": "kernel: epoll_wait (waiting for the other side)",
}


def short(sym):
    sym = sym.split("(")[0] if not sym.startswith("(") else sym
    sym = re.sub(r"^soundcheck::", "", sym)
    return sym[:90]


def label(sym, dso):
    if sym == "[unknown]":
        return f"{dso.split('.so')[0]} (no symbols)"
    if "kernel" in dso:
        return f"kernel {sym}"
    return short(sym)


def perf_samples(path, comms=None):
    """Samples from `perf script`: (comm, [(sym, dso), ...] leaf first). A sample is a line
    naming its command (with its leaf frame when recorded without -g), then one line per
    frame of its call chain."""
    out = subprocess.run(["perf", "script", "-i", path, "-F", "comm,ip,sym,dso"],
                         capture_output=True, text=True).stdout
    frame = re.compile(r"\s*([0-9a-f]+) (.*) \((.*)\)$")
    comm, frames = None, []
    for ln in out.split("\n"):
        if not ln.strip():
            continue
        if ln.startswith("\t"):
            m = frame.match(ln)
            if m:
                frames.append((m.group(2), os.path.basename(m.group(3))))
            continue
        if comm is not None and (comms is None or comm in comms):
            yield comm, frames
        head = ln.strip()
        m = re.match(r"(\S+)\s+([0-9a-f]+ .* \(.*\))$", head)
        comm, frames = (m.group(1), []) if m else (head.split()[0], [])
        if m:
            f = frame.match(m.group(2))
            frames.append((f.group(2), os.path.basename(f.group(3))))
    if comm is not None and (comms is None or comm in comms):
        yield comm, frames


def category(frames):
    if not frames:
        return "unknown"
    sym, dso = frames[0]
    if "kernel" in dso:
        for s, _ in frames:
            m = re.match(r"__x64_sys_(\w+)", s)
            if m:
                return SYSCALLS.get(m.group(1), f"kernel: {m.group(1)}")
        if any("page_fault" in s for s, _ in frames):
            return "kernel: page faults (memory growth)"
        return "kernel: other"
    if dso.startswith("libsqlite3"):
        return "SQLite: B-tree, VDBE, WAL index (user space)"
    if dso == "soundcheck":
        return "Soundcheck code"
    if dso.startswith("libboost_json"):
        return "Boost.JSON (parse and serialise)"
    if dso.startswith("libc.so"):
        if re.match(r"(_int_)?(malloc|free|cfree|realloc|calloc)|malloc_consolidate", sym):
            return "libc: malloc/free"
        return "libc: memcmp, memcpy and the rest"
    if dso.startswith("libstdc++"):
        return "libstdc++ (istream, strings)"
    if dso.startswith("libpq"):
        return "libpq"
    return dso


def profile_sqlite(binary, data, work):
    path = os.path.join(work, "perf-sqlite.data")
    db = os.path.join(work, "profile.db")
    run(["taskset", "-c", str(SERVER_CORE), "perf", "record", "-q", "-F", "499", "-g", "-o",
         path, "--", binary, "import", "hsds", data["dir"], "--db", f"sqlite:{db}",
         "--data-dir", os.path.join(work, "profile-data"), "--log-level", "warn"])
    cats, syms, total = collections.Counter(), collections.Counter(), 0
    for _, frames in perf_samples(path, {"soundcheck"}):
        total += 1
        cats[category(frames)] += 1
        if frames:
            syms[label(*frames[0])] += 1
    for f in glob.glob(db + "*"):
        os.remove(f)
    return total, cats, syms


def profile_pg(binary, data, pg, work):
    """System-wide samples (no call chains) during one PostgreSQL import, the server on core
    1 and the import on core 0: how much of the wall time each side was on a CPU, and each
    side's top functions."""
    path = os.path.join(work, "perf-pg.data")
    url = pg.fresh("d1_profile")
    data_dir = os.path.join(work, "profile-pg-data")
    run([binary, "migrate", "--db", url, "--data-dir", data_dir, "--log-level", "warn"])
    t0 = time.perf_counter()
    run(["perf", "record", "-q", "-a", "-F", "499", "-o", path, "--", "taskset", "-c",
         str(CLIENT_CORE), binary, "import", "hsds", data["dir"], "--db", url, "--data-dir",
         data_dir, "--log-level", "warn"])
    wall = time.perf_counter() - t0
    links = int(pg.sql("d1_profile", "SELECT count(*) FROM hsds_links"))
    pg.drop("d1_profile")
    busy, syms = collections.Counter(), collections.defaultdict(collections.Counter)
    for comm, frames in perf_samples(path, {"postgres", "soundcheck"}):
        side = "server" if comm == "postgres" else "client"
        busy[side] += 1
        if frames:
            syms[side][label(*frames[0])] += 1
    return {"wall": wall, "busy": busy, "syms": syms, "links": links,
            "records": data["records"]}


# --- report ---------------------------------------------------------------------------------

def med(values):
    v = sorted(values)
    return v[len(v) // 2], v[0], v[-1]


def fmt_rate(values):
    m, lo, hi = med(values)
    return f"{m:,.0f}" + (f" ({lo:,.0f}–{hi:,.0f})" if len(values) > 1 else "")


def fmt_pct(values):
    m, lo, hi = med(values)
    return f"{m * 100:.1f}%" + (f" ({lo * 100:.1f}–{hi * 100:.1f})" if len(values) > 1 else "")


def mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--providers", type=int, default=DEFAULT_PROVIDERS)
    ap.add_argument("--pg-providers", type=int, default=1000,
                    help="size of the PostgreSQL import (0: no PostgreSQL import)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile-providers", type=int, default=5000,
                    help="size of the SQLite import run under perf")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--bin", default=os.environ.get("SC_BIN", BIN))
    ap.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md")
    args = ap.parse_args()
    check_gnu_time()
    for tool in ("taskset", "psql"):
        if not shutil.which(tool):
            die(f"{tool} is not installed (scripts/install-deps)")
    if not os.access(args.bin, os.X_OK):
        die(f"{args.bin} not found; build it first (make build)")
    started, load_start = time.time(), os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix="sc-bench-d1-")
    os.chmod(work, 0o755)
    pg = None
    try:
        sizes = sorted({args.providers, args.pg_providers} - {0})
        datas = {}
        for n in sizes:
            t0 = time.perf_counter()
            datas[n] = generate(args.bin, n, os.path.join(work, f"gen{n}"))
            d = datas[n]
            print(f"data: {n:,} providers, {d['records']:,} records, "
                  f"{d['csv_bytes'] / 1e6:,.1f} MB of CSV in {len(d['tables'])} tables "
                  f"(generated in {time.perf_counter() - t0:.1f} s)", flush=True)
        data, pdata = datas[args.providers], datas.get(args.pg_providers)
        pg = Postgres(SERVER_CORE)
        scripts = {}
        for n, d in datas.items():
            scripts[n] = os.path.join(work, f"copy{n}.sql")
            copy_script(d, scripts[n])

        R = collections.defaultdict(list)  # name -> list of per-round results
        for r in range(args.runs):
            # Soundcheck on SQLite, then the same import again into the same file.
            db = os.path.join(work, f"r{r}.db")
            sq = soundcheck_import(args.bin, data, f"sqlite:{db}", os.path.join(work, f"d{r}"),
                                   SERVER_CORE, "added")
            sq["db_bytes"] = sum(os.path.getsize(f) for f in glob.glob(db + "*"))
            again = soundcheck_import(args.bin, data, f"sqlite:{db}",
                                      os.path.join(work, f"d{r}"), SERVER_CORE, "unchanged")
            for f in glob.glob(db + "*"):
                os.remove(f)
            R["sqlite"].append(sq)
            R["sqlite_again"].append(again)
            print(f"round {r + 1}: SQLite {sq['rps']:,.0f} records/s ({sq['wall']:.1f} s, CPU "
                  f"{sq['cpu']:.1f} s, peak RSS {mib(sq['rss_kib'])}); again "
                  f"{again['rps']:,.0f} records/s ({again['wall']:.1f} s)", flush=True)

            if pdata:
                url = pg.fresh(f"d1_sc_{r}")
                p = soundcheck_import(args.bin, pdata, url, os.path.join(work, f"p{r}"),
                                      CLIENT_CORE, "added", pg)
                p["db_bytes"] = int(pg.sql("postgres", f"SELECT pg_database_size('d1_sc_{r}')"))
                pa = soundcheck_import(args.bin, pdata, url, os.path.join(work, f"p{r}"),
                                       CLIENT_CORE, "unchanged", pg)
                pg.drop(f"d1_sc_{r}")
                R["pg"].append(p)
                R["pg_again"].append(pa)
                print(f"round {r + 1}: PostgreSQL {p['rps']:,.0f} records/s ({p['wall']:.1f} s, "
                      f"client CPU {p['cpu']:.1f} s, server CPU {p['server_cpu']:.1f} s, peak "
                      f"RSS {mib(p['rss_kib'])}); again {pa['rps']:,.0f} records/s "
                      f"({pa['wall']:.1f} s)", flush=True)

            for n, d in datas.items():
                url = pg.fresh(f"d1_copy_{r}")
                c = copy_run(pg, d, f"d1_copy_{r}", scripts[n])
                c["db_bytes"] = int(pg.sql("postgres",
                                           f"SELECT pg_database_size('d1_copy_{r}')"))
                pg.drop(f"d1_copy_{r}")
                R[f"copy{n}"].append(c)
                print(f"round {r + 1}: COPY ({n:,} providers) {c['rps']:,.0f} records/s "
                      f"({c['wall']:.1f} s, server CPU {c['server_cpu']:.1f} s)", flush=True)

        prof = prof_pg = None
        if not args.no_profile and shutil.which("perf"):
            n = args.profile_providers
            if n not in datas:
                datas[n] = generate(args.bin, n, os.path.join(work, f"gen{n}"))
            prof = profile_sqlite(args.bin, datas[n], work)
            if pdata:
                prof_pg = profile_pg(args.bin, pdata, pg, work)
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)

    # --- the section -----------------------------------------------------------------------
    ratio = lambda name, peer: [a["rps"] / b["rps"] for a, b in zip(R[name], R[peer])]
    cpu_model = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
    elapsed, load_end = time.time() - started, os.getloadavg()[0]

    def desc(d):
        types = collections.Counter()
        for t in d["tables"]:
            types[t["name"]] += t["rows"]
        top = ", ".join(f"{k} {v:,}" for k, v in types.most_common(3))
        return (f"{d['providers']:,} providers = {d['records']:,} records ({top}, …), "
                f"{d['csv_bytes'] / 1e6:,.0f} MB of CSV in {len(d['tables'])} tables")

    big = args.providers != DEFAULT_PROVIDERS
    tag = f"D1-{args.providers // 1000}k" if big else "D1"
    lines = [
        f"## {tag}: directory import vs PostgreSQL COPY"
        + (f" ({args.providers:,} providers)" if big else ""),
        "",
        f"`bench/d1.py` on {time.strftime('%Y-%m-%d')}, "
        f"{cpu_model.group(1) if cpu_model else 'unknown CPU'} ({os.cpu_count()} cores, shared), "
        f"PostgreSQL "
        f"{pg.version}; " + (f"{args.runs} rounds, medians with min–max in brackets"
                              if args.runs > 1 else "one run of each") + "; the whole run took "
        f"{elapsed / 60:.0f} min, with a 1-minute load average of {load_start:.1f} at its "
        f"start and {load_end:.1f} at its end (other work shares these cores). Data: "
        f"`soundcheck demo generate --seed {SEED} --today {TODAY}`, "
        + "; ".join(desc(d) for d in sorted(datas.values(), key=lambda d: -d["providers"])
                    if d["providers"] in (args.providers, args.pg_providers)) + ". "
        f"records/s = records ÷ wall time of the whole process (GNU time), start-up "
        f"included; each fresh database gets its schema from `soundcheck migrate` first, "
        f"untimed. `soundcheck import hsds` on SQLite pinned to core {SERVER_CORE}; "
        f"on PostgreSQL the import on core {CLIENT_CORE}, every server process on core "
        f"{SERVER_CORE} (fsync on, shared_buffers 64 MB, autovacuum off). The peer is psql "
        f"(core {CLIENT_CORE}) `\\copy`ing every CSV, in one transaction, into plain tables "
        f"of `text` columns without keys, indexes or constraints; Soundcheck stores the same "
        f"rows as JSON in `hsds_records` (primary key and three indexes) plus one "
        f"`hsds_links` row per key (primary key and an index), and validates every record. "
        f"× COPY is Soundcheck's records/s ÷ COPY's of the same rows, within each round."
        + ("" if pdata else " No import into PostgreSQL in this run (`--pg-providers 0`)."),
        "",
        "| import | records | records/s | × COPY | wall s | CPU s (client + server) | "
        "peak RSS | stored | same import again, records/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def row(label, name, d, peer=None, again=None):
        runs = R[name]
        wall, cpu = med([x["wall"] for x in runs])[0], med([x["cpu"] for x in runs])[0]
        scpu = med([x["server_cpu"] for x in runs])[0] if "server_cpu" in runs[0] else None
        cpu_text = f"{cpu:.1f}" + (f" + {scpu:.1f}" if scpu is not None else "")
        rss = mib(med([x["rss_kib"] for x in runs])[0]) if peer else "—"
        stored = f"{med([x['db_bytes'] for x in runs])[0] / 1e6:,.0f} MB"
        again_text = "—"
        if again:
            a = R[again]
            again_text = (f"{fmt_rate([x['rps'] for x in a])} "
                          f"({med([x['wall'] for x in a])[0]:.1f} s; nothing changed)")
        return (f"| {label} | {d['records']:,} | {fmt_rate([x['rps'] for x in runs])} | "
                f"{fmt_pct(ratio(name, peer)) if peer else '1×'} | {wall:.1f} | {cpu_text} | "
                f"{rss} | {stored} | {again_text} |")

    lines.append(row("Soundcheck → SQLite", "sqlite", data, f"copy{args.providers}",
                     "sqlite_again"))
    lines.append(row("PostgreSQL COPY (peer)", f"copy{args.providers}", data))
    if pdata:
        lines.append(row("Soundcheck → PostgreSQL", "pg", pdata, f"copy{args.pg_providers}",
                         "pg_again"))
        if args.pg_providers != args.providers:
            lines.append(row("PostgreSQL COPY (peer)", f"copy{args.pg_providers}", pdata))
    lines += ["", "Peak RSS is the import process's; for PostgreSQL the server's memory is not "
              "in it. Stored: the database file(s) after the import (SQLite: the file and its "
              "WAL) or `pg_database_size`."]

    if prof:
        total, cats, syms = prof
        n = args.profile_providers
        lines += ["", f"Where a SQLite import's time goes (`perf record -F 499 -g`, one import "
                  f"of {n:,} providers, {total:,} samples; shares of the process's CPU "
                  f"samples):", "", "| cost | share |", "| --- | --- |"]
        for k, v in cats.most_common(9):
            lines.append(f"| {k} | {v / total:.0%} |")
        lines += ["", "Top functions (self): " + "; ".join(
            f"{k} {v / total:.1%}" for k, v in syms.most_common(8)) + "."]
    if prof_pg:
        expected = prof_pg["wall"] * 499
        busy, syms = prof_pg["busy"], prof_pg["syms"]
        per = 3 + prof_pg["links"] / prof_pg["records"]
        top = lambda side, k: "; ".join(f"{name} {v / max(1, busy[side]):.0%}"
                                        for name, v in syms[side].most_common(k))
        on_cpu = (busy["client"] + busy["server"]) / expected
        lines += ["", f"Where a PostgreSQL import's time goes (`perf record -a -F 499`, one "
                  f"import of {args.pg_providers:,} providers, {prof_pg['wall']:.0f} s): the "
                  f"import process was on a CPU {busy['client'] / expected:.0%} of the wall "
                  f"time and the server's processes {busy['server'] / expected:.0%}"
                  + ("; for the rest each was waiting for the other" if on_cpu < 0.9 else "")
                  + f". Every record costs {per:.1f} statements (look up, upsert, delete its "
                  f"links, insert each link), each its own round trip. Server's top "
                  f"functions: {top('server', 6)}. Import process: {top('client', 5)}."]
    section = "\n".join(lines) + "\n"
    print()
    print(section)
    if not args.no_doc:
        write_section(tag, section)


if __name__ == "__main__":
    main()
