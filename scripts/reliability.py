#!/usr/bin/env python3
"""Deadline day and an attacker, against the real `kaohe` binary (issue 9).

1. Sixteen secretaries save at once for a few seconds: zero errors. The server is then killed with SIGKILL in
   the middle of the writing, restarted, and every acknowledged entry must be there; `kaohe audit verify` must
   say the chain is intact.
2. Anonymous 20 MB posts to /login are refused at once while /healthz stays fast.
3. Four secretaries upload a 15 MB file each at once: every upload is stored, and the server's peak memory grows
   by far less than the files (they are written to disk as they arrive).

The database is SQLite in a temporary data directory, or the PostgreSQL that DATABASE_URL names (empty).
Usage: scripts/reliability.py path/to/kaohe
"""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

KAOHE = os.path.abspath(sys.argv[1])
WRITERS = 16
SECONDS = 4
SECRETARIES = ["zhibu1", "zhibu2", "zhibu3", "zhibu4"]
SHEETS = {"zhibu1": "branch-1", "zhibu2": "branch-2", "zhibu3": "branch-3", "zhibu4": "branch-4"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data_dir):
        self.port = free_port()
        self.env = dict(os.environ, KAOHE_DATA_DIR=data_dir, KAOHE_ENV="production", LOG_LEVEL="warning")
        self.log = open(os.path.join(os.path.dirname(data_dir), f"server-{self.port}.log"), "ab")
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen([KAOHE, "serve", "--demo", "--port", str(self.port)],
                                        env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(240):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).read()
                return
            except Exception:
                time.sleep(0.25)
        raise SystemExit("the server did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def call(base, method, path, body=None, token=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def token(base, username):
    status, body = call(base, "POST", "/api/v1/auth/token", {"username": username, "password": "kaohe-demo"})
    assert status == 200, (status, body)
    return body["token"]


def deadline_day(data_dir):
    server = Server(data_dir)
    server.start()
    tokens = {name: token(server.base, name) for name in SECRETARIES}
    acknowledged, errors, lock = [], [], threading.Lock()
    stop = threading.Event()

    def writer(number):
        name = SECRETARIES[number % len(SECRETARIES)]
        path = f"/api/v1/periods/2026Q3/assessments/{SHEETS[name]}/entries"
        sequence = 0
        while not stop.is_set():
            sequence += 1
            note = f"writer {number} save {sequence}"
            try:
                status, body = call(server.base, "POST", path, {"rule": "2.1.a", "count": 1, "note": note}, tokens[name])
            except Exception as error:  # the kill below cuts requests in flight: not acknowledged, not an error
                if stop.is_set():
                    return
                status, body = 0, repr(error)
            with lock:
                if status == 201:
                    acknowledged.append((SHEETS[name], body["id"]))
                elif not stop.is_set():
                    errors.append((status, str(body)[:200]))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    # A crash in the middle of the writing: SIGKILL while every writer is mid-request.
    stop.set()
    server.kill()
    for thread in threads:
        thread.join()
    saves = len(acknowledged)
    print(f"  {WRITERS} writers for {SECONDS} s: {saves} saves acknowledged, {len(errors)} errors")
    for error in errors[:5]:
        print("   ", error)
    assert saves > 0, "no save was acknowledged"
    assert not errors, "concurrent writers saw errors"

    server.start()
    admin = token(server.base, "zuzhi")
    missing = 0
    for unit in sorted(set(sheet for sheet, _ in acknowledged)):
        status, sheet = call(server.base, "GET", f"/api/v1/periods/2026Q3/assessments/{unit}", token=admin)
        assert status == 200, (status, sheet)
        present = {entry["id"] for entry in sheet["entries"]}
        missing += sum(1 for s, entry in acknowledged if s == unit and entry not in present)
    server.stop()
    print(f"  after SIGKILL and restart: {saves - missing}/{saves} acknowledged saves present")
    assert missing == 0, f"{missing} acknowledged saves were lost"
    verify = subprocess.run([KAOHE, "audit", "verify"], env=server.env, capture_output=True, text=True)
    print("  " + (verify.stdout or verify.stderr).strip())
    assert verify.returncode == 0, "the audit chain is broken"


def anonymous_floods(data_dir):
    server = Server(data_dir)
    server.start()
    body = b"x" * (20 * 1024 * 1024)
    timings, statuses = [], []

    def flood(content_type):
        started = time.time()
        request = urllib.request.Request(server.base + "/login", data=body, method="POST")
        request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        except (ConnectionError, urllib.error.URLError):
            statuses.append("closed")  # refused and closed before the whole body was sent
        timings.append(time.time() - started)

    drip = {}

    def slow_drip():
        # A client that sends its form a byte a second, never silent long enough for the idle timeout.
        started = time.time()
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as conn:
            conn.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 10000\r\n\r\n")
            conn.settimeout(1)
            answer = b""
            while time.time() - started < 60 and not answer:
                try:
                    conn.sendall(b"a")
                    answer = conn.recv(200)
                    if not answer:
                        answer = b"closed"
                except socket.timeout:
                    continue
                except OSError:
                    answer = b"closed"
        drip["answer"], drip["seconds"] = answer.split(b"\r\n")[0].decode(errors="replace"), time.time() - started

    dripper = threading.Thread(target=slow_drip)
    dripper.start()
    kinds = ["multipart/form-data; boundary=x", "application/x-www-form-urlencoded"] * 2
    threads = [threading.Thread(target=flood, args=(kind,)) for kind in kinds]
    for thread in threads:
        thread.start()
    health = []
    for _ in range(10):
        started = time.time()
        urllib.request.urlopen(server.base + "/healthz", timeout=10).read()
        health.append(time.time() - started)
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    dripper.join()
    server.stop()
    print(f"  a form dripped a byte a second: '{drip['answer']}' after {drip['seconds']:.0f} s")
    assert drip["answer"].startswith("HTTP/1.1 408") or drip["answer"] == "closed", drip
    assert drip["seconds"] < 40, "the slow client was not cut off"
    print(f"  4 anonymous 20 MB posts to /login: {statuses}, slowest {max(timings):.2f} s; "
          f"/healthz meanwhile: slowest {max(health) * 1000:.0f} ms")
    assert all(status in (413, 415, "closed") for status in statuses), statuses
    assert max(timings) < 5, "a refused post took too long"
    assert max(health) < 1, "/healthz slowed down"


def memory_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def signed_in_uploads(data_dir):
    server = Server(data_dir)
    server.start()
    size = 15 * 1024 * 1024
    statuses = []

    def upload(username):
        boundary = "kaohe-reliability"
        content = b"%PDF-1.7\n" + os.urandom(size)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nrecords\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"记录.pdf\"\r\n\r\n").encode()
        body += content + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"{server.base}/api/v1/periods/2026Q3/assessments/{SHEETS[username]}/evidence",
                                         data=body, method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Authorization", f"Bearer {tokens[username]}")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    tokens = {username: token(server.base, username) for username in SECRETARIES}
    before = memory_mb(server.process.pid)
    threads = [threading.Thread(target=upload, args=(username,)) for username in SECRETARIES]
    for thread in threads:
        thread.start()
    peak = before
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, memory_mb(server.process.pid))  # sampled: the peak of the process's life says nothing here
        time.sleep(0.01)
    growth = peak - before
    # What the requests left in the server's own area under incoming/ (its .lock aside).
    leftover = [path for path in glob.glob(os.path.join(data_dir, "incoming", "*", "*")) if not path.endswith(".lock")]
    server.stop()
    print(f"  4 secretaries uploading 15 MB each at once: {statuses}; peak memory grew {growth:.0f} MB "
          f"(the files together are {4 * size / 2**20:.0f} MB); {len(leftover)} partial files left")
    assert statuses == [201] * 4, statuses
    assert growth < 2 * size / 2**20, "uploads are held in memory"
    assert not leftover, leftover


def main():
    root = tempfile.mkdtemp(prefix="kaohe-reliability-")
    try:
        database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        print(f"deadline day on {database}:")
        deadline_day(os.path.join(root, "data"))
        if database == "SQLite":
            print("anonymous floods:")
            anonymous_floods(os.path.join(root, "flood"))
            print("signed-in uploads:")
            signed_in_uploads(os.path.join(root, "uploads"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
