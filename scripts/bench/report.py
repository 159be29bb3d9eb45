#!/usr/bin/env python3
"""Reads what scripts/bench.sh measured and prints it.

    report.py oha FILE            one line: requests/s, p50, p99, responses (FAILED unless all 2xx)
    report.py mailcode FILE.eml   the six-digit code alone on a line of the mail's text
    report.py redis URL CMD...    sends one command per argument (FLUSHDB, INFO...) to the
                                  URL's database; prints the last reply
    report.py render DIR          the markdown report of everything in DIR

DIR holds: meta (KEY=value lines), s1, s1u, s2 … s6, s5a, s5b (oha JSON), *.cpu (cpu.py
JSON), *.rss (VmRSS kB after the scenario), pgbench-NAME.out and pgbench-NAME.lat.* for
NAME 1-c, 1-pool, 1u-c, 1u-pool (pgbench's output and its transactions' latencies in µs:
scenario 1's or 1u's SQL at the concurrency or at the pool size), argon2 (the argon2_rate
line), capture-1.json and capture-1u.json (pgcapture.py: the cache on, off), hwm and
hwm-1u (VmHWM kB at the end of the default server's run and of the cache-off one's).
"""
import email
import glob
import json
import math
import os
import re
import socket
import sys
import urllib.parse
from email import policy

TARGETS = {
    "s1_fraction": 0.60,   # scenarios 1 and 1u ≥ 60 % of pgbench's rate for their SQL, 32 connections
    "s1_p99_ms": 25.0,     # scenarios 1 and 1u p99 < 25 ms at 32 connections
    "s4_fraction": 0.85,   # scenario 4 ≥ 85 % of the raw Argon2id rate
    "s5_ratio": 2.0,       # scenario 1's p99 under login load ≤ 2 × alone
    "rss_mib": 100.0,      # peak RSS < 100 MiB
}


# --- oha ------------------------------------------------------------------------

def oha(path):
    """The figures of one oha JSON report, and whether every response was 2xx."""
    with open(path) as f:
        data = json.load(f)
    statuses = {int(k): v for k, v in data.get("statusCodeDistribution", {}).items()}
    errors = data.get("errorDistribution", {}) or {}
    responses = sum(statuses.values())
    good = sum(v for k, v in statuses.items() if 200 <= k < 300)
    failed = responses == 0 or good != responses or bool(errors)
    latency = data.get("latencyPercentiles", {})
    summary = data.get("summary", {})
    total = summary.get("total") or 0
    return {
        # requests/s counts 2xx answers only, over the whole run.
        "rps": good / total if total else 0.0,
        "p50": (latency.get("p50") or 0) * 1000,
        "p99": (latency.get("p99") or 0) * 1000,
        "responses": responses,
        "good": good,
        "statuses": ", ".join("%d×%d" % (v, k) for k, v in sorted(statuses.items())),
        "errors": ", ".join("%d× %s" % (v, k) for k, v in errors.items()),
        "failed": failed,
    }


def oha_line(path):
    r = oha(path)
    verdict = "FAILED: not all answers were 2xx" if r["failed"] else "ok"
    extra = ("; errors: " + r["errors"]) if r["errors"] else ""
    return "%8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  %d responses (%s)%s  %s" % (
        r["rps"], r["p50"], r["p99"], r["responses"], r["statuses"] or "none", extra, verdict)


# --- mail and Redis ---------------------------------------------------------------

def mailcode(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=policy.default)
    body = message.get_body(preferencelist=("plain",)) or message
    for line in body.get_content().splitlines():
        if re.fullmatch(r"\d{6}", line.strip()):
            return line.strip()
    sys.exit("no six-digit code alone on a line in " + path)


def redis(url, commands):
    """A minimal RESP client: enough for SELECT, FLUSHDB, INFO, DBSIZE."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "redis":
        sys.exit("report.py: only redis:// URLs")
    db = (parts.path or "/0").strip("/") or "0"
    conn = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 5)
    stream = conn.makefile("rb")

    def call(*args):
        payload = b"*%d\r\n" % len(args) + b"".join(
            b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
        conn.sendall(payload)
        return reply()

    def reply():
        line = stream.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            sys.exit("redis: " + rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = stream.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            return [reply() for _ in range(int(rest))]
        sys.exit("redis: unexpected reply %r" % line)

    if parts.password:
        if parts.username:
            call("AUTH", urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password))
        else:
            call("AUTH", urllib.parse.unquote(parts.password))
    call("SELECT", db)
    last = None
    for command in commands:
        last = call(*command.split())
    conn.close()
    return last


# --- render ------------------------------------------------------------------------

def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def pgbench(dir_, name):
    out = read(os.path.join(dir_, "pgbench-%s.out" % name))
    if out is None:
        return None
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
    clients = re.search(r"number of clients: (\d+)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    processed = re.search(r"number of transactions actually processed: (\d+)", out)
    latencies = []
    for path in glob.glob(os.path.join(dir_, "pgbench-%s.lat.*" % name)):
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3 and fields[2].isdigit():
                    latencies.append(int(fields[2]) / 1000)
    latencies.sort()
    return {
        "rps": float(tps.group(1)) if tps else 0.0,
        "failed": (int(failed.group(1)) if failed else 0) > 0 or not tps,
        "transactions": int(processed.group(1)) if processed else 0,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        # Transactions logged at 0 µs (no round trip is that short: the log understates
        # very short transactions), and the mean latency of the window, clients ÷ rate.
        "zero": sum(1 for v in latencies if v == 0) / len(latencies) if latencies else 0.0,
        "mean": 1000 * int(clients.group(1)) / float(tps.group(1))
        if clients and tps and float(tps.group(1)) else None,
    }


def fmt(value, digits=1):
    if value is None:
        return "—"
    return "{:,.{}f}".format(value, digits).replace(",", " ")


def percent(fraction, target):
    """fraction as a percentage; below the target, never rounded up onto it (two
    decimals, rounded down, when one decimal would show the target)."""
    if fraction < target and round(fraction * 100, 1) >= target * 100:
        return fmt(math.floor(fraction * 10000) / 100, 2)
    return fmt(fraction * 100)


def verdict(ok):
    return "**pass**" if ok else "**miss**"


def capture_lines(w, label, capture, pool, pool_ssl):
    """The statements of one capture, as pgbench replays them, and its notes."""
    statements = capture.get("statements")
    if not statements:
        return
    protocols = capture.get("protocol") or ["extended"] * statements
    simple = sum(1 for p in protocols if p == "simple")
    requests = capture.get("requests", [])
    w("")
    w("%s, captured on the wire from the server and replayed by pgbench (`-M prepared`, the "
      "same values): %d statement%s per request%s%s%s. Statements per captured request, in "
      "order: %s." % (
          label, statements, "" if statements == 1 else "s",
          " (%d of them sent as simple queries, which pgbench sends prepared)" % simple
          if simple else "",
          ", plus %d pool ping round trip%s (a bare Sync, which pgbench cannot send)"
          % (capture["pings"], "" if capture["pings"] == 1 else "s") if capture.get("pings") else "",
          "; over %d connections" % capture["connections"]
          if capture.get("connections", 1) > 1 else "",
          ", ".join(str(x["statements"]) for x in requests) or "—"))
    w("")
    for number, (sql, protocol) in enumerate(zip(capture.get("sql", []), protocols), 1):
        short = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", sql)
        w("%d. `%s`%s" % (number, short.replace('"', ""),
                          " (simple query)" if protocol == "simple" else ""))
    w("")
    w("The server held %s connections to PostgreSQL after the scenario (TLS: %s); pgbench "
      "connects the same way (PGSSLMODE=%s)." % (
          pool, "yes" if pool_ssl == "t" else "no",
          "require" if pool_ssl == "t" else "disable"))
    if capture.get("note"):
        w("**Note:** " + capture["note"])
    if not capture.get("stable", True):
        w("**Note:** the last requests captured did not all issue the same statements "
          "(statements per request, in order: %s)."
          % ", ".join(str(x["statements"]) for x in requests))


def render(dir_):
    meta = {}
    for line in (read(os.path.join(dir_, "meta"), "") or "").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            meta[key] = value
    get = lambda key, default="—": meta.get(key) or default  # noqa: E731

    runs = {}
    for name in ("s1", "s1u", "s2", "s3", "s4", "s5a", "s5b", "s6", "s7", "s8", "s9"):
        path = os.path.join(dir_, name)
        if os.path.exists(path):
            runs[name] = oha(path)
    rss = {name: read(os.path.join(dir_, name + ".rss")) for name in runs}
    # pgbench of each scenario's captured SQL: 32 connections ("c") and the pool size.
    pg = {name: pgbench(dir_, name) for name in ("1-c", "1-pool", "1u-c", "1u-pool")}
    argon = read(os.path.join(dir_, "argon2"), "")
    argon_rate = re.search(r"rate=([0-9.]+)", argon)
    argon_rate = float(argon_rate.group(1)) if argon_rate else None
    argon_params = re.search(r"params=(\S+)", argon)

    def hwm_of(name):
        kb = read(os.path.join(dir_, name))
        return int(kb) / 1024 if kb and kb.isdigit() else None
    hwm_cached, hwm_uncached = hwm_of("hwm"), hwm_of("hwm-1u")
    peaks = [v for v in (hwm_cached, hwm_uncached) if v is not None]
    hwm_mib = max(peaks) if peaks else None
    captures = {}
    for name in ("1", "1u"):
        path = os.path.join(dir_, "capture-%s.json" % name)
        if os.path.exists(path):
            with open(path) as f:
                captures[name] = json.load(f)

    c = get("concurrency")
    lc = get("login_concurrency")
    out = []
    w = out.append
    w("| | |")
    w("|---|---|")
    w("| date | %s |" % get("date"))
    w("| commit | %s |" % get("commit"))
    w("| machine | %s × %s, %s RAM, %s |" % (get("cores"), get("cpu"), get("memory"), get("kernel")))
    w("| PostgreSQL | %s |" % get("postgres"))
    w("| Redis | %s |" % get("redis"))
    w("| data | %s |" % get("data"))
    w("| load | oha %s; each scenario %s s measured after %s s of unmeasured warm-up; "
      "server, PostgreSQL, Redis and the load generator on the same machine; "
      "load average %s when the measurements began |"
      % (get("oha"), get("duration"), get("warmup"), get("load")))
    w("| command | `%s` |" % get("command"))
    w("")

    def mib(kb):
        return fmt(int(kb) / 1024, 1) if kb and kb.isdigit() else "—"

    def row(label, name, conns, note=""):
        r = runs.get(name)
        if r is None:
            w("| %s | %s | — | — | — | not run | — |" % (label, conns))
            return
        answers = r["statuses"] + ("; errors: " + r["errors"] if r["errors"] else "")
        if r["failed"]:
            answers = "**FAILED**: " + answers
        w("| %s | %s | %s | %s | %s | %s%s | %s |" % (
            label, conns, fmt(r["rps"]), fmt(r["p50"], 2), fmt(r["p99"], 2),
            answers, note, mib(rss.get(name))))

    what = {"1": "cached: the revision read", "1u": "uncached: the tree"}
    w("| scenario | connections | requests/s | p50 ms | p99 ms | answers | server RSS after, MiB |")
    w("|---|---:|---:|---:|---:|---|---:|")
    row("1. `GET /api/v1/courses/{id}` (full tree; the cache on, as by default)", "s1", c)
    row("1u. `GET /api/v1/courses/{id}` with the cache off (`BILIM_COURSE_CACHE_SIZE=0`)", "s1u", c)
    row("2. `GET /api/v1/users/me`", "s2", c)
    row("3. `GET /api/v1/lessons/{id}/video` (with access)", "s3", c)
    row("4. `POST /api/v1/auth/login` (step one: Argon2id)", "s4", lc)
    row("5. scenario 1 while logins saturate …", "s5a", c)
    row("5. … and those logins", "s5b", lc)
    row("6. `GET /health/live`", "s6", c)
    row("7. `POST /api/v1/products/{id}/purchase` (%s users, a fresh `Idempotency-Key` each)" % c, "s7", c)
    row("8. a test attempt: `POST /api/v1/tests/{id}/attempts` + `POST /api/v1/attempts/{id}/submit` (%s users; one sample is the pair)" % c, "s8", c)
    row("9. `GET /api/v1/search` (random queries; %s)" % (get("search_data") or "?"), "s9", c)
    for scenario in ("1", "1u"):
        pool = get("pool_" + scenario)
        for label, result, conns in (
                ("pgbench: scenario %s's SQL (%s), %s connections" % (scenario, what[scenario], c),
                 pg[scenario + "-c"], c),
                ("pgbench: scenario %s's SQL (%s) at the server's pool size (%s connections)"
                 % (scenario, what[scenario], pool), pg[scenario + "-pool"], pool)):
            if result is None:
                continue
            w("| %s | %s | %s | %s | %s | %s transactions%s | — |" % (
                label, conns, fmt(result["rps"]), fmt(result["p50"], 2), fmt(result["p99"], 2),
                fmt(result["transactions"], 0), " **FAILED**" if result["failed"] else ""))
    if argon_rate is not None:
        w("| raw Argon2id (%s), %s threads, no server load | — | %s hashes/s | — | — | — | — |"
          % (argon_params.group(1) if argon_params else "?", get("argon2_threads"),
             fmt(argon_rate)))
    w("")
    for scenario in ("1", "1u"):
        for name in (scenario + "-c", scenario + "-pool"):
            result = pg[name]
            if result and result["zero"] >= 0.01:
                w("pgbench logged %s %% of the transactions of scenario %s's SQL at %s connections "
                  "at 0 µs, which no round trip takes: for transactions this short its p50 and "
                  "p99 understate the latency; the mean over the window (connections ÷ rate) "
                  "was %s ms." % (fmt(100 * result["zero"], 0), scenario,
                                  get("pool_" + scenario) if name.endswith("pool") else c,
                                  fmt(result["mean"], 3)))
                w("")
    if hwm_mib is not None:
        w("Peak RSS of the server (VmHWM at the end of each server's run, the larger): %s MiB "
          "(the cache off, after scenario 1u and its pgbench runs: %s MiB; the cache on, "
          "after scenarios 1–6: %s MiB)." % (fmt(hwm_mib), fmt(hwm_uncached), fmt(hwm_cached)))
    capture_lines(w, "Scenario 1's SQL (the cache on: once the tree is cached, the revision "
                  "read that validates it)", captures.get("1", {}), get("pool_1"),
                  get("pool_ssl_1"))
    capture_lines(w, "Scenario 1u's SQL (the cache off: the tree in one read-only "
                  "transaction)", captures.get("1u", {}), get("pool_1u"), get("pool_ssl_1u"))
    if (captures.get("1") and captures.get("1u")
            and captures["1"].get("sql") == captures["1u"].get("sql")):
        w("**Note:** the two captures issued the same statements: `BILIM_COURSE_CACHE_SIZE` "
          "made no difference to this server.")

    # Targets.
    w("")
    w("| target | measured | verdict |")
    w("|---|---|---|")
    s4, s5a, s5b = (runs.get(k) for k in ("s4", "s5a", "s5b"))
    for scenario in ("1", "1u"):
        s = runs.get("s" + scenario)
        pg32, pgpool = pg[scenario + "-c"], pg[scenario + "-pool"]
        if s and pg32:
            fraction = s["rps"] / pg32["rps"] if pg32["rps"] else 0
            w("| %s: ≥ %d %% of pgbench's rate for its SQL (%s; %s connections) | %s %% (%s of %s /s) | %s |" % (
                scenario, TARGETS["s1_fraction"] * 100, what[scenario], c,
                percent(fraction, TARGETS["s1_fraction"]),
                fmt(s["rps"]), fmt(pg32["rps"]),
                verdict(fraction >= TARGETS["s1_fraction"] and not s["failed"])))
            if pgpool:
                fraction = s["rps"] / pgpool["rps"] if pgpool["rps"] else 0
                w("| (the same against pgbench at the pool size, %s connections: not a target) | %s %% (of %s /s) | — |"
                  % (get("pool_" + scenario), fmt(fraction * 100), fmt(pgpool["rps"])))
        if s:
            w("| %s: p99 < %d ms at %s connections | %s ms | %s |" % (
                scenario, TARGETS["s1_p99_ms"], c, fmt(s["p99"], 2),
                verdict(s["p99"] < TARGETS["s1_p99_ms"] and not s["failed"])))
    s1 = runs.get("s1")
    if s4 and argon_rate:
        fraction = s4["rps"] / argon_rate
        w("| 4: ≥ %d %% of the raw Argon2id rate | %s %% (%s of %s /s) | %s |" % (
            TARGETS["s4_fraction"] * 100, percent(fraction, TARGETS["s4_fraction"]), fmt(s4["rps"]),
            fmt(argon_rate), verdict(fraction >= TARGETS["s4_fraction"] and not s4["failed"])))
    if s1 and s5a:
        ratio = s5a["p99"] / s1["p99"] if s1["p99"] else float("inf")
        w("| 5: scenario 1's p99 under login load ≤ %d× alone | %s× (%s ms vs %s ms; logins meanwhile %s /s) | %s |" % (
            TARGETS["s5_ratio"], fmt(ratio, 2), fmt(s5a["p99"], 2), fmt(s1["p99"], 2),
            fmt(s5b["rps"]) if s5b else "—",
            verdict(ratio <= TARGETS["s5_ratio"] and not s5a["failed"]
                    and not (s5b and s5b["failed"]))))
    if hwm_mib is not None:
        w("| peak RSS < %d MiB (both servers) | %s MiB | %s |" % (
            TARGETS["rss_mib"], fmt(hwm_mib), verdict(hwm_mib < TARGETS["rss_mib"])))

    # CPU attribution.
    cpu_rows = []
    thread_rows = []
    # What each window did, to price the CPU per request (transaction, hash).
    counts = {name: runs[name]["good"] for name in ("s1", "s1u", "s2", "s3", "s4", "s6", "s7", "s8", "s9")
              if name in runs}
    for name, result in pg.items():
        if result:
            counts["pgbench-" + name] = result["transactions"]
    hashes = re.search(r"hashes=(\d+)", argon)
    if hashes:
        counts["argon2"] = int(hashes.group(1))
    for name, label in (("s1", "1. course tree (cache on)"), ("s1u", "1u. course tree (cache off)"),
                        ("s2", "2. users/me"), ("s3", "3. video"),
                        ("s4", "4. login"), ("s5", "5. tree + logins"), ("s6", "6. health/live"),
                        ("s7", "7. purchase"),
                        ("s8", "8. test attempt"), ("s9", "9. search"),
                        ("pgbench-1-c", "pgbench 1 (revision read), %s conn." % c),
                        ("pgbench-1-pool", "pgbench 1 (revision read), %s conn." % get("pool_1")),
                        ("pgbench-1u-c", "pgbench 1u (tree), %s conn." % c),
                        ("pgbench-1u-pool", "pgbench 1u (tree), %s conn." % get("pool_1u")),
                        ("argon2", "raw Argon2id")):
        path = os.path.join(dir_, name + ".cpu")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            data = json.load(f)
        wall = data["wall"] or 1
        s = data["seconds"]
        m = data["machine"]
        pct = lambda v: fmt(100 * v / wall, 0)  # noqa: E731
        others = ", ".join("%s %s" % (k, pct(v)) for k, v in data["other_top"] if 100 * v / wall >= 1)
        if data.get("server_threads") and name.startswith("s"):  # the scenarios only
            thread_rows.append((name, label, data["server_threads"], wall))
        count = counts.get(name)
        per = lambda v: fmt(1000 * v / count, 2) if count else "—"  # noqa: E731
        server_per = per(s["server"])
        if name == "argon2":
            server_per = "— (argon2_rate: %s per hash)" % per(s["argon2_rate"])
        cpu_rows.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label, server_per, per(s["postgres"]),
            pct(s["server"]), pct(s["postgres"]), pct(s["redis"]),
            pct(s["oha"] + s["pgbench"] + s["argon2_rate"]),
            pct(s["other"]) + (" (" + others + ")" if others else ""),
            pct(m["busy"]), pct(m["idle"] + m["iowait"]), pct(m["steal"])))
    if thread_rows:
        total = lambda t, g: t.get(g, [0, 0, 0])[0] + t.get(g, [0, 0, 0])[1]  # noqa: E731
        groups = sorted({g for _, _, t, _ in thread_rows for g in t},
                        key=lambda g: -sum(total(t, g) for _, _, t, _ in thread_rows))
        cpu_rows.append("")
        cpu_rows.append("The server's CPU by thread (comm names, digits dropped; `bilim-cpu` is the "
                        "Argon2id/zxcvbn pool at nice 19), % of one core, in brackets the part "
                        "spent in the kernel; and the server's minor page faults per request:")
        cpu_rows.append("")
        cpu_rows.append("| window | " + " | ".join("`%s`" % g for g in groups)
                        + " | page faults/request |")
        cpu_rows.append("|---|" + "---:|" * (len(groups) + 1))
        for name, label, t, wall in thread_rows:
            cells = ["%s (%s)" % (fmt(100 * total(t, g) / wall, 0),
                                  fmt(100 * t.get(g, [0, 0, 0])[1] / wall, 0)) for g in groups]
            faults = sum(v[2] for v in t.values() if len(v) > 2)
            count = counts.get(name)
            cpu_rows.append("| %s | %s | %s |" % (label, " | ".join(cells),
                                                  fmt(faults / count, 0) if count else "—"))
    if cpu_rows:
        w("")
        w("CPU used during each measured window, in %% of one core (%s cores: %s %% is the whole machine), "
          "from /proc/<pid>/stat deltas; the first two columns divide the server's and PostgreSQL's "
          "CPU time by the requests answered (pgbench: transactions; Argon2id: hashes):" % (get("cores"), int(get("cores", "1")) * 100))
        w("")
        w("| window | server ms/request | PostgreSQL ms/request | server | PostgreSQL | Redis | oha, pgbench or argon2_rate | other (busiest) | machine busy | idle | steal |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        out.extend(cpu_rows)
    return "\n".join(out)


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "oha":
        print(oha_line(args[1]))
        sys.exit(1 if oha(args[1])["failed"] else 0)
    elif len(args) == 2 and args[0] == "mailcode":
        print(mailcode(args[1]))
    elif len(args) >= 3 and args[0] == "redis":
        result = redis(args[1], args[2:])
        print(result if not isinstance(result, list) else "\n".join(map(str, result)))
    elif len(args) == 2 and args[0] == "render":
        print(render(args[1]))
    else:
        sys.exit(__doc__)
