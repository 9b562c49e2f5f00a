#!/usr/bin/env python3
"""Scale and speed (issue 12): one database's run of the benchmark, against the release `kaohe` binary.

    http_bench.py run --db sqlite|postgres --kaohe BIN [--bench BIN] --out FILE
    http_bench.py scoring --bench BIN --out FILE

`run` fills the configured empty database with `kaohe generate` (SQLite in KAOHE_DATA_DIR, or the PostgreSQL
that DATABASE_URL names), serves it, and measures: reads through wrk (each as a ratio of the same server's
/healthz, the ceiling), 32 secretaries writing at once, single workflow requests, the server's memory, and the
insert floor of `kaohe-bench`. `scoring` runs `kaohe-bench scoring` once. Each writes a JSON result that
Benchmarks/report.py turns into docs/performance.md; scripts/bench runs them all.

Sizes come from BENCH_BRANCHES, BENCH_GROUPS, BENCH_MEMBERS and BENCH_SECONDS. A failed target is a row that
does not hold, not a failure of this program: it exits non-zero only when it could not measure (generate
failed, the server did not start, a URL did not answer 200).

Standard library only: it runs wherever the release binary does.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "kaohe-demo"  # every generated (and demo) user's
# The first admin's; the password rules refuse one that contains the username, so not "bench-admin-pass".
ADMIN_PASSWORD = os.environ.get("BENCH_ADMIN_PASSWORD", "bench-root-pass-2026")
ENTRY = {"rule": "2.1.a", "count": 1, "note": "基准测试"}
SINGLE_REQUESTS = 20
WRITERS = 32
WORKFLOW_REQUESTS = 200
WARMUP_SECONDS = 2


class BenchError(Exception):
    """The benchmark could not measure (as opposed to a target that does not hold)."""


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# ---------------------------------------------------------------------------------------------- results

@dataclass
class Row:
    """One line of the report. `target` None: a figure for information only, not counted as a target.
    `holds` None with a target: it could not be measured, which counts as not holding."""
    section: str
    figure: str
    value: str
    ratio: str = ""
    target: str | None = None
    holds: bool | None = None


@dataclass
class Result:
    db: str
    sizes: dict
    rows: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # the raw numbers, for anyone who wants more than the table
    error: str | None = None

    def add(self, row):
        self.rows.append(row)
        mark = "" if row.target is None else {True: "✓", False: "✗", None: "✗ (not measured)"}[row.holds]
        print(f"  {row.figure:<48} {row.value:<64} {row.ratio:<18} {row.target or '':<32} {mark}", flush=True)

    def save(self, path):
        data = {"db": self.db, "sizes": self.sizes, "error": self.error, "figures": self.figures,
                "rows": [row.__dict__ for row in self.rows]}
        with open(path, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------------------------- HTTP

class Client:
    """One keep-alive connection to the server; after a failure the next call opens a new one."""

    def __init__(self, port, timeout=60):
        self.port, self.timeout, self.conn = port, timeout, None

    def call(self, method, path, body=None, token=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        sent = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else body
            sent.setdefault("Content-Type", "application/json")
        if token:
            sent["Authorization"] = "Bearer " + token
        try:
            self.conn.request(method, path, body=data, headers=sent)
            response = self.conn.getresponse()
            return response.status, response.read(), response
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def json(self, method, path, body=None, token=None):
        status, data, _ = self.call(method, path, body, token)
        try:
            return status, json.loads(data or b"null")
        except ValueError:
            return status, data.decode(errors="replace")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def api_token(port, username):
    status, body = Client(port).json("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    if status != 200:
        raise BenchError(f"token for {username}: {status} {str(body)[:200]} "
                         f"(kaohe generate creates {username} with the password {PASSWORD}: did it?)")
    return body["token"]


def api_tokens(port, usernames):
    """Bcrypt makes each sign-in costly; a few at once keep the server's gate busy without queueing."""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return dict(zip(usernames, pool.map(lambda name: api_token(port, name), usernames)))


def session_cookie(port, username):
    """Signs in through the login form as a browser does: the page's CSRF token and cookie, then the POST."""
    client = Client(port)
    status, page, response = client.call("GET", "/login")
    found = re.search(rb'name="_csrf" value="([^"]+)"', page)
    cookie = session_from(response)
    if status != 200 or not found or not cookie:
        raise BenchError(f"GET /login: {status}, CSRF field {'found' if found else 'missing'}, "
                         f"cookie {'set' if cookie else 'missing'}")
    form = urllib.parse.urlencode({"_csrf": found.group(1).decode(), "next": "/",
                                   "username": username, "password": PASSWORD})
    status, page, response = client.call("POST", "/login", form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    if status not in (302, 303):
        raise BenchError(f"sign-in of {username} through /login: {status} {page[:200]!r}")
    return session_from(response) or cookie  # sign-in starts a fresh session id


def session_from(response):
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("kaohe_session="):
            return value.split(";", 1)[0]
    return None


# ---------------------------------------------------------------------------------------------- server

class Server:
    """`kaohe serve` in the background, stopped on leaving the `with` block whatever happened."""

    def __init__(self, kaohe, env, port, extra_args, log_path):
        self.kaohe, self.env, self.port, self.extra, self.log_path = kaohe, env, port, extra_args, log_path
        self.process = None

    def __enter__(self):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.kaohe, "serve", "--port", str(self.port), *self.extra],
                                        env=self.env, stdout=log, stderr=log)
        log.close()
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"kaohe serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if Client(self.port, timeout=2).call("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        raise BenchError(f"kaohe serve did not answer /healthz within 120 s:\n{self.log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def pid(self):
        return self.process.pid

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return "(no log)"


def proc_status_kb(pid, key):
    """VmRSS / VmHWM of a process, in kB (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class MemorySampler(threading.Thread):
    """The server's resident memory every 0.2 s while the load runs: its peak."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stopped = pid, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak_kb = max(self.peak_kb, proc_status_kb(self.pid, "VmRSS") or 0)
            self.stopped.wait(0.2)

    def stop(self):
        self.stopped.set()
        self.join()


def mb(kb):
    return f"{kb / 1024:.0f} MB" if kb is not None else "—"


# ---------------------------------------------------------------------------------------------- wrk

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output):
    """Requests/sec, the 50 % and 99 % latency lines, non-2xx/3xx answers and socket errors of one wrk run."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        raise BenchError(f"could not read wrk's output:\n{output}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return {"rps": float(rps.group(1)), "p50": to_ms(p50.group(1)), "p99": to_ms(p99.group(1)),
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socketErrors": sum(map(int, sockets.groups())) if sockets else 0,
            "requests": int(requests.group(1)) if requests else 0}


# The load's connections: the deadline-day reads of issue 29 are targets at 16, as the issue measured them.
CONNECTIONS, DEADLINE_DAY_CONNECTIONS = 32, 16


def wrk(url, header, seconds, connections=CONNECTIONS):
    # A generous timeout: a slow answer should show in p99, not vanish into wrk's timeout count.
    # Every browser and HTTP library says it takes gzip; so does the load, on every URL, /healthz included.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-H", "Accept-Encoding: gzip", url]
    if header:
        command[1:1] = ["-H", header]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise BenchError(f"wrk {url}: exit {done.returncode}\n{done.stderr}")
    return parse_wrk(done.stdout)


# ---------------------------------------------------------------------------------------------- the bureau

@dataclass
class Bureau:
    """Who and what the load uses: the generated bureau, or the demo's (`--demo`, for testing this driver)."""
    branches: int
    read_period: str  # published: results, sheets, dashboard
    write_period: str  # open, its sheets draft
    secretary_format: str

    def secretary(self, k):
        return self.secretary_format.format(k)

    @staticmethod
    def branch(k):
        return f"branch-{k}"


def read_urls(bureau, organizer_token, cookie, secretary=None):
    """The reads measured: figure, path, header, and the target as (share of /healthz, p99 ms[, connections]) or
    None. `secretary` (token, cookie) of branch-1's secretary adds what deadline day loads (issue 29): their draft
    sheet in the open quarter, its page, their inbox, and the organizer's dashboard and 台账对照 of that quarter, each
    under 16 connections, as that issue set its targets."""
    period, open_period = bureau.read_period, bureau.write_period
    bearer, session = f"Authorization: Bearer {organizer_token}", f"Cookie: {cookie}"
    api_target, page_target = (0.30, 100), (0.05, 200)
    urls = [
        ("/healthz (ceiling)", "/healthz", None, None),
        ("GET /api/v1/periods", "/api/v1/periods", bearer, None),
        (f"GET /api/v1/periods/{period}/results", f"/api/v1/periods/{period}/results", bearer, api_target),
        (f"GET /api/v1/periods/{period}/assessments/branch-1", f"/api/v1/periods/{period}/assessments/branch-1",
         bearer, (0.20, 100)),
        ("page: sheet", f"/periods/{period}/sheets/branch-1", session, page_target),
        ("page: results board", f"/periods/{period}/results", session, page_target),
        ("page: dashboard", f"/periods/{period}", session, page_target),
        ("page: start page /", "/", session, page_target),
    ]
    if secretary:
        token, own_cookie = secretary
        own_bearer, own_session = f"Authorization: Bearer {token}", f"Cookie: {own_cookie}"
        c = DEADLINE_DAY_CONNECTIONS
        page = (*page_target, c)
        urls += [
            (f"GET draft sheet {open_period}/branch-1 (its secretary)",
             f"/api/v1/periods/{open_period}/assessments/branch-1", own_bearer, (0.20, 100, c)),
            ("page: draft sheet (its secretary)", f"/periods/{open_period}/sheets/branch-1", own_session, page),
            ("page: the secretary's inbox /", "/", own_session, (0.15, 200, c)),
            (f"page: dashboard of the open quarter {open_period}", f"/periods/{open_period}", session, page),
            ("page: 台账对照, first page", f"/compliance?period={open_period}", session, page),
            ("GET /api/v1/compliance, 50 units", f"/api/v1/compliance?period={open_period}&limit=50", bearer,
             (0.05, 200, c)),
        ]
    return urls


def warm(port, bureau, organizer_token, cookie, secretary=None):
    """Each read once, one at a time: what a server holds once it has served each page (a rubric parsed, templates,
    a quarter's kept results) is its working size, the baseline that memory after the load is compared with."""
    for _, path, header, _ in read_urls(bureau, organizer_token, cookie, secretary):
        Client(port).call("GET", path, headers=dict([header.split(": ", 1)]) if header else {})


def measure_reads(result, port, bureau, organizer_token, cookie, seconds, strict=True, secretary=None):
    """Every read through wrk, each against the same server's /healthz measured just before it: the ratio is what
    the code costs. The ceiling is taken again beside each read, not once for all: on these shared machines the
    speed drifts over the minutes a run takes, and a ceiling measured minutes earlier measured another machine."""
    first = True
    for figure, path, header, target in read_urls(bureau, organizer_token, cookie, secretary):
        if not answers_200(result, port, path, header, figure, strict):
            continue
        connections = target[2] if target and len(target) > 2 else CONNECTIONS
        wrk(f"http://127.0.0.1:{port}{path}", header, WARMUP_SECONDS, connections)
        if first:
            run = wrk(f"http://127.0.0.1:{port}{path}", header, seconds)
            ceiling, ratio, first = run["rps"], "1 (ceiling)", False
        else:
            ceiling = wrk(f"http://127.0.0.1:{port}/healthz", None, seconds, connections)["rps"]
            run = wrk(f"http://127.0.0.1:{port}{path}", header, seconds, connections)
            run["ceiling"] = ceiling
            ratio = f"{100 * run['rps'] / ceiling:.0f} % of /healthz beside it ({ceiling:,.0f})"
        result.figures[path] = run
        add_read_row(result, figure, run, ratio, ceiling, target)


def answers_200(result, port, path, header, figure, strict):
    """A URL that does not answer 200 would measure an error page: stop, unless testing the driver on the demo."""
    headers = dict([header.split(": ", 1)]) if header else {}
    status, body, _ = Client(port).call("GET", path, headers=headers)
    if status == 200:
        return True
    message = f"GET {path} answered {status}, not 200: {body[:200]!r}"
    if not strict:
        print(f"  skipped: {message}")
        result.add(Row("HTTP", figure, f"skipped: {status}", target="answers 200", holds=None))
        return False
    raise BenchError(message)


def add_read_row(result, figure, run, ratio, ceiling, target):
    # wrk prints zero latencies when nothing completed; that is a failure, not a fast answer.
    errors = run["non2xx"] + run["socketErrors"] + (0 if run["requests"] else 1)
    value = f"{run['rps']:,.0f} req/s · p50 {run['p50']:.1f} ms · p99 {run['p99']:.1f} ms · errors {errors}"
    if not run["requests"]:
        value = "no request completed · " + value
    if target is None:
        result.add(Row("HTTP", figure, value, ratio, "0 errors", errors == 0))
        return
    share, p99 = target[:2]
    holds = run["rps"] >= share * ceiling and run["p99"] < p99 and errors == 0
    under = f" · {target[2]} connections" if len(target) > 2 else ""
    result.add(Row("HTTP", figure, value, ratio, f"≥ {share:.0%} · p99 < {p99} ms · 0 errors{under}", holds))


# ---------------------------------------------------------------------------------------------- writes

def measure_writes(result, port, bureau, tokens, seconds):
    """Deadline day: 32 secretaries save entries to their own draft sheets at once, each on its own connection."""
    counts, errors, samples, lock = [0] * WRITERS, [], [], threading.Lock()
    start, stop_at = threading.Barrier(WRITERS + 1), [0.0]

    def writer(i):
        k = i % bureau.branches + 1
        client, token = Client(port), tokens[bureau.secretary(k)]
        path = f"/api/v1/periods/{bureau.write_period}/assessments/{bureau.branch(k)}/entries"
        start.wait()
        while time.perf_counter() < stop_at[0]:
            try:
                status, body, _ = client.call("POST", path, ENTRY, token)
            except (OSError, http.client.HTTPException) as error:
                status, body = 0, repr(error).encode()
            if status == 201:
                counts[i] += 1
                continue
            with lock:
                errors.append(status)
                if len(samples) < 5:
                    samples.append(f"{status} {body[:300].decode(errors='replace')}")

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    for sample in samples:
        print(f"  write error: {sample}")
    per_second = sum(counts) / elapsed
    result.figures["writes"] = {"writes": sum(counts), "seconds": elapsed, "perSecond": per_second,
                                "errors": len(errors), "errorSamples": samples}
    result.add(Row("writes", f"{WRITERS} secretaries adding entries", f"{per_second:,.0f} writes/s · errors {len(errors)}",
                   "", "0 errors", not errors))
    return per_second


def measure_floor(result, bench, env, seconds, writes_per_second):
    """What the database itself takes in inserts per second, without HTTP or the sheet's rules."""
    if not bench:
        result.add(Row("writes", "insert floor (kaohe-bench insert-floor)", "not measured: no kaohe-bench binary"))
        return
    try:
        floor = run_json_tool([bench, "insert-floor", "--seconds", str(seconds)], env, timeout=seconds + 300)
    except BenchError as error:
        print(f"  {error}")
        result.add(Row("writes", "insert floor (kaohe-bench insert-floor)", f"not measured: {str(error)[:80]}"))
        return
    result.figures["floor"] = floor
    per_second = float(floor["perSecond"])
    result.add(Row("writes", "insert floor (kaohe-bench insert-floor)", f"{per_second:,.0f} rows/s"))
    result.add(Row("writes", "writes/s : floor", f"{writes_per_second:,.0f} : {per_second:,.0f}",
                   f"{100 * writes_per_second / per_second:.0f} % of the floor" if per_second else "—"))


# ---------------------------------------------------------------------------------------------- workflow

def timed(client, count, method, path, body=None, token=None, expect=200):
    """Mean milliseconds of `count` requests one after another on one connection."""
    total = 0.0
    for _ in range(count):
        began = time.perf_counter()
        status, data, _ = client.call(method, path, body, token)
        total += time.perf_counter() - began
        if status != expect:
            raise BenchError(f"{method} {path}: {status}, expected {expect}: {data[:300]!r}")
    return 1000 * total / count


def measure_workflow(result, port, bureau, tokens, organizer_token, count):
    """Single requests with no load beside them: each step of the workflow against a plain list read."""
    client = Client(port)
    periods = timed(client, count, "GET", "/api/v1/periods", token=organizer_token)
    # Entries and submits go to sheets the writers left alone, so thousands of rows do not weigh on them.
    entry_k = WRITERS + 1 if bureau.branches > WRITERS else 1
    entry_path = f"/api/v1/periods/{bureau.write_period}/assessments/{bureau.branch(entry_k)}/entries"
    entry = timed(client, count, "POST", entry_path, ENTRY, tokens[bureau.secretary(entry_k)], expect=201)
    submit = time_submits(client, bureau, tokens, submit_branches(bureau, count))
    me = timed(client, count, "GET", "/api/v1/me", token=tokens[bureau.secretary(1)])
    result.figures["workflow"] = {"periodsMs": periods, "entryMs": entry, "submitMs": submit, "meMs": me}
    result.add(Row("workflow", "GET /api/v1/periods (single, mean)", f"{periods:.2f} ms", "1 (reference)"))
    for figure, mean in [("POST …/entries (single, mean)", entry), ("POST …/actions/submit (single, mean)", submit)]:
        result.add(Row("workflow", figure, f"{mean:.2f} ms", f"{mean / periods:.1f} × GET periods",
                       "≤ 3 × GET periods", mean <= 3 * periods))
    result.add(Row("workflow", "GET /api/v1/me as zhibu-1 (single, mean)", f"{me:.2f} ms", f"{me / periods:.1f} × GET periods"))


def measure_singles(result, port, bureau, organizer_token, cookie, secretary, count=SINGLE_REQUESTS):
    """Each read alone, one request after another on a quiet server: the time one person waits, which is what must
    not grow with the bureau (compared across sizes in docs/performance.md)."""
    singles = {}
    for figure, path, header, _ in read_urls(bureau, organizer_token, cookie, secretary):
        if path == "/healthz":
            continue
        headers = dict([header.split(": ", 1)]) if header else {}
        client, total = Client(port, timeout=120), 0.0
        for _ in range(count):
            began = time.perf_counter()
            status, _, _ = client.call("GET", path, headers=headers)
            total += time.perf_counter() - began
            if status != 200:
                break
        else:
            singles[figure] = 1000 * total / count
        client.close()
    result.figures["single"] = singles


def measure_whole_compliance(result, port, bureau, organizer_token, count=3):
    """台账对照 of the whole bureau in one request (the API without ?limit=, as the contract has it): one at a time."""
    path = f"/api/v1/compliance?period={bureau.write_period}"
    mean = timed(Client(port, timeout=120), count, "GET", path, token=organizer_token)
    result.figures["wholeCompliance"] = {"ms": mean}
    result.add(Row("HTTP", f"GET {path} (whole bureau, single, mean)", f"{mean:,.0f} ms", "", "< 1 s", mean < 1000))


def submit_branches(bureau, count):
    """Branches for the submit step: after the writers' and the entry step's, as many as there are up to `count`."""
    first = WRITERS + 2 if bureau.branches > WRITERS + 1 else 1
    return list(range(first, min(bureau.branches, first + count - 1) + 1))


def time_submits(client, bureau, tokens, branches):
    """报送 of each sheet by its secretary; the GET that reads its version is not timed."""
    total = 0.0
    for k in branches:
        token = tokens[bureau.secretary(k)]
        path = f"/api/v1/periods/{bureau.write_period}/assessments/{bureau.branch(k)}"
        status, sheet = client.json("GET", path, token=token)
        if status != 200:
            raise BenchError(f"GET {path}: {status} {str(sheet)[:300]}")
        began = time.perf_counter()
        status, data, _ = client.call("POST", path + "/actions/submit", {"version": sheet["version"]}, token)
        total += time.perf_counter() - began
        if status != 200:
            raise BenchError(f"submit {path}: {status} {data[:300]!r}")
    return 1000 * total / len(branches)


# ---------------------------------------------------------------------------------------------- tools

def run_json_tool(command, env, timeout):
    """A `kaohe-bench` command that prints one JSON line: that line, or why there is none."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise BenchError(f"{command[0]} not found: build it with `swift build -c release --product kaohe-bench`")
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(command)} took longer than {timeout} s")
    lines = [line for line in done.stdout.splitlines() if line.strip().startswith("{")]
    if done.returncode != 0 or not lines:
        raise BenchError(f"{' '.join(command)}: exit {done.returncode}, no JSON line\n{done.stdout[-500:]}{done.stderr[-1500:]}")
    return json.loads(lines[-1])


def generate(result, kaohe, env, sizes):
    command = [kaohe, "generate", "--branches", str(sizes["branches"]),
               "--groups-per-branch", str(sizes["groups"]), "--members-per-group", str(sizes["members"])]
    print(f"  {' '.join(command)}", flush=True)
    began = time.perf_counter()
    try:
        done = subprocess.run(command, env=env, timeout=env_int("BENCH_GENERATE_TIMEOUT", 3600))
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"kaohe generate took longer than {error.timeout} s")
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise BenchError(f"kaohe generate failed (exit {done.returncode}, its message is above); nothing to measure")
    result.figures["generateSeconds"] = seconds
    size = f"{sizes['branches']}×{sizes['groups']}×{sizes['members']}"
    result.add(Row("scale", f"kaohe generate {size}", f"{seconds:.1f} s", "", "< 300 s (at 1000×5×10)", seconds < 300))


def server_env(db, data_dir):
    env = dict(os.environ, KAOHE_DATA_DIR=data_dir, KAOHE_ADMIN_PASSWORD=ADMIN_PASSWORD,
               KAOHE_RUBRICS_DIR=os.path.join(ROOT, "rubrics"), KAOHE_ENV="production", LOG_LEVEL="warning")
    if db == "postgres" and not env.get("DATABASE_URL"):
        raise BenchError("--db postgres needs DATABASE_URL (run it through scripts/with-postgres)")
    if db == "sqlite":
        env.pop("DATABASE_URL", None)
    return env


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------- commands

def sizes_from_env():
    return {"branches": env_int("BENCH_BRANCHES", 1000), "groups": env_int("BENCH_GROUPS", 5),
            "members": env_int("BENCH_MEMBERS", 10), "seconds": env_int("BENCH_SECONDS", 10)}


def measure(result, args, env, data_dir):
    sizes = result.sizes
    if args.demo:
        bureau = Bureau(4, "2026Q3", "2026Q3", "zhibu{}")
    else:
        if not args.existing:
            generate(result, args.kaohe, env, sizes)
        bureau = Bureau(sizes["branches"], "2026Q3", "2026Q4", "zhibu-{}")
    port = args.port or free_port()
    extra = ["--demo"] if args.demo else []
    with Server(args.kaohe, env, port, extra, os.path.join(data_dir, "server.log")) as server:
        start_kb = proc_status_kb(server.pid, "VmRSS")
        sampler = MemorySampler(server.pid)
        sampler.start()
        try:
            organizer = api_token(port, "zuzhi")
            secretaries = sorted({bureau.secretary(k) for k in
                                  [*range(1, min(WRITERS, bureau.branches) + 1), WRITERS + 1,
                                   *submit_branches(bureau, args.workflow_n)] if k <= bureau.branches})
            print(f"  signing in: zuzhi (page session) and {len(secretaries)} secretaries (tokens)", flush=True)
            cookie = session_cookie(port, "zuzhi")
            tokens = api_tokens(port, secretaries)
            secretary = (tokens[bureau.secretary(1)], session_cookie(port, bureau.secretary(1)))
            warm(port, bureau, organizer, cookie, secretary)
            warm_kb = proc_status_kb(server.pid, "VmRSS")
            measure_singles(result, port, bureau, organizer, cookie, secretary)
            measure_whole_compliance(result, port, bureau, organizer)
            if not args.reads_only:
                measure_reads(result, port, bureau, organizer, cookie, sizes["seconds"], strict=not args.demo,
                              secretary=secretary)
                writes = measure_writes(result, port, bureau, tokens, sizes["seconds"])
                measure_workflow(result, port, bureau, tokens, organizer, args.workflow_n)
        finally:
            sampler.stop()
        hwm_kb = proc_status_kb(server.pid, "VmHWM")
        time.sleep(5)
        after_kb = proc_status_kb(server.pid, "VmRSS")
    add_memory_rows(result, start_kb, warm_kb, sampler.peak_kb, hwm_kb, after_kb)
    if not args.reads_only:
        measure_floor(result, args.bench, env, sizes["seconds"], writes)


def add_memory_rows(result, start_kb, warm_kb, peak_kb, hwm_kb, after_kb):
    result.figures["memoryKB"] = {"start": start_kb, "warm": warm_kb, "peak": peak_kb, "hwm": hwm_kb, "after": after_kb}
    result.add(Row("memory", "server RSS at start", mb(start_kb)))
    result.add(Row("memory", "server RSS warmed (each read once, one at a time)", mb(warm_kb),
                   f"{warm_kb / start_kb:.2f} × start" if warm_kb and start_kb else ""))
    result.add(Row("memory", "server RSS peak under load (VmHWM)", f"{mb(peak_kb)} ({mb(hwm_kb)})", "",
                   "< 300 MB", peak_kb < 300 * 1024))
    near = after_kb is not None and warm_kb is not None and after_kb <= 1.5 * warm_kb
    ratios = ([f"{after_kb / warm_kb:.2f} × warmed"] if after_kb and warm_kb else []) + \
        ([f"{after_kb / start_kb:.2f} × start"] if after_kb and start_kb else [])
    result.add(Row("memory", "server RSS 5 s after the load", mb(after_kb), " · ".join(ratios),
                   "back near the warmed server (≤ 1.5 × warmed)", near))


def command_run(args):
    result = Result(args.db + (" (demo)" if args.demo else ""), sizes_from_env())
    owned = None
    if not os.environ.get("KAOHE_DATA_DIR") or args.db == "postgres":
        owned = tempfile.mkdtemp(prefix=f"kaohe-bench-{args.db}.")  # evidence files and the log, even on PostgreSQL
    data_dir = owned or os.environ["KAOHE_DATA_DIR"]
    print(f"\n== {result.db}: {result.sizes['branches']} branches × {result.sizes['groups']} groups × "
          f"{result.sizes['members']} members, {result.sizes['seconds']} s per run (data: {data_dir})", flush=True)
    try:
        measure(result, args, server_env(args.db, data_dir), data_dir)
    except (BenchError, OSError, http.client.HTTPException) as error:  # a dropped connection too: say it, keep the file
        result.error = str(error) or repr(error)
        print(f"\nbenchmark on {result.db} stopped: {result.error}", file=sys.stderr)
    finally:
        result.save(args.out)
        if owned and not args.keep:
            shutil.rmtree(owned, ignore_errors=True)
    return 1 if result.error else 0


def command_scoring(args):
    """The scoring row is the whole of this run, so a failure is that row, not measured (not also an error)."""
    branches = env_int("BENCH_BRANCHES", 1000)
    result = Result("scoring", {"branches": branches, "quarters": 4})
    print(f"\n== scoring engine: {branches} branches × 4 quarters", flush=True)
    row = "score : decode (kaohe-bench scoring)"
    failed = False
    try:
        if not args.bench:
            raise BenchError("no kaohe-bench binary (did `swift build -c release --product kaohe-bench` fail?)")
        figures = run_json_tool([args.bench, "scoring", "--branches", str(branches), "--quarters", "4"],
                                dict(os.environ), timeout=env_int("BENCH_SCORING_TIMEOUT", 1800))
        result.figures = figures
        ratio = float(figures["ratio"])
        value = (f"{figures['sheets']:,} sheets · {figures['entries']:,} entries · "
                 f"decode {float(figures['decodeSeconds']):.2f} s · score {float(figures['scoreSeconds']):.2f} s")
        result.add(Row("scoring", row, value, f"{ratio:.2f}", "≤ 3", ratio <= 3))
    except (BenchError, KeyError, ValueError) as error:
        failed = bool(args.bench)  # no binary at all was already said by scripts/bench
        print(f"  {error}", file=sys.stderr)
        result.add(Row("scoring", row, f"not measured: {str(error).splitlines()[0][:100]}", "", "≤ 3", None))
    result.save(args.out)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="one database's run")
    run.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    run.add_argument("--kaohe", default=os.path.join(ROOT, ".build/release/kaohe"))
    run.add_argument("--bench", default="", help="kaohe-bench binary; empty: the floor is not measured")
    run.add_argument("--out", required=True)
    run.add_argument("--workflow-n", type=int, default=WORKFLOW_REQUESTS, help=argparse.SUPPRESS)
    # For testing this driver without the generator: serve the demo bureau instead (2026Q3 open, zhibu1…4).
    run.add_argument("--demo", action="store_true", help=argparse.SUPPRESS)
    run.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    run.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    # For finding where the time goes: measure the generated bureau already in KAOHE_DATA_DIR, without generating.
    run.add_argument("--existing", action="store_true", help=argparse.SUPPRESS)
    run.add_argument("--reads-only", action="store_true",
                     help="only each read's single-request time, the whole compliance and memory (another size)")
    scoring = commands.add_parser("scoring", help="the scoring engine against decoding, once")
    scoring.add_argument("--bench", default="")
    scoring.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "run" and not os.access(args.kaohe, os.X_OK):
        sys.exit(f"{args.kaohe} is not an executable: build it with `swift build -c release --product kaohe`")
    if args.command == "run" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (scripts/bench installs it: apt-get install wrk)")
    # A TERM (from with-postgres or a CI timeout) unwinds through the `with Server` block, which stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(command_run(args) if args.command == "run" else command_scoring(args))


if __name__ == "__main__":
    main()
