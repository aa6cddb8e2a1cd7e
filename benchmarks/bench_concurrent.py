"""Concurrent users against the production server (issue 12, "Numbers").

    python -m benchmarks.bench_concurrent [--users 50] [--seconds 120] [--writes 0.2]

Starts `thidua serve --demo` (gunicorn and the job worker) on 127.0.0.1 and a free port
with a fresh database — an embedded SQLite file, or, when THIDUA_DATABASE_URL points at
PostgreSQL, a database of its own beside that one (`<name>_bench`, dropped and created
again; the database named there is not touched). Each simulated user gets a session made
beforehand (logins are measured on their own: a password hash costs about a second of CPU
by design, which 50 users logging in on the same second would measure instead of the pages)
and loops for the given time (loopback only) over the main pages, with a share of requests
(`--writes`) saving one criterion of a block's scoring sheet (the demo's 2021 covenant,
its deadline moved past today in the benchmark's own database). Prints p50/p95/p99 of
reads and writes, the errors, the load average and the server's CPU time. Target: p95 ≤
300 ms, 0 errors.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PAGES = ["/", "/to-chuc/don-vi/", "/to-chuc/can-bo/", "/thi-dua/", "/nhiem-vu/", "/tin-tuc/"]
TARGET_P95_MS = 300
USERNAME, PASSWORD = "canbo", "thidua2020"

# Run in the benchmark's own database once the demo is loaded: sessions for the users,
# and the scoring sheets the demo officer may write (the covenant's deadline moved on).
PREPARE = """
import datetime, json, sys
import django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.test import Client
from django.urls import reverse
from thidua.emulation.models import Block, Covenant
count = int(sys.argv[1])
user = get_user_model().objects.get(username=sys.argv[2])
store = import_module(settings.SESSION_ENGINE).SessionStore
sessions = []
for _ in range(count):
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
block = Block.objects.filter(covenant__isnull=False).order_by("-year").first()
Covenant.objects.filter(block=block).update(
    scoring_deadline=datetime.date.today() + datetime.timedelta(days=365)
)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
sheets = []
for kind in ("self", "peer"):
    members = block.memberships.order_by("unit__code").values_list("unit__code", flat=True)
    for target in members.distinct():
        args = [block.year, block.code, kind, "KB", target]
        page = client.get(reverse("emulation:sheet", args=args))
        if page.status_code == 200 and b"hx-post" in page.content:
            sheets.append({
                "page": reverse("emulation:sheet", args=args),
                "cell": reverse("emulation:sheet_cell", args=args),
            })
criteria = [
    {"code": c.code, "pk": c.pk, "max": int(c.max_points), "penalty": c.group.kind == "penalty"}
    for c in block.covenant.criteria.select_related("group")
]
print(json.dumps({"sessions": sessions, "sheets": sheets, "criteria": criteria}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base: str):
    """A real login through the form (the hasher's cost included)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/dang-nhap/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/dang-nhap/", data=data, headers={"Referer": base})
    with opener.open(request, timeout=60) as response:
        response.read()
        if "/dang-nhap/" in response.url:
            raise RuntimeError("login refused")
    return opener


class Session:
    """A user's session made beforehand (PREPARE): its cookies sent by hand, the CSRF
    token read from the first form it fetches."""

    def __init__(self, base: str, session_key: str):
        self.base, self.cookies, self.token = base, {"sessionid": session_key}, None
        self.opener = urllib.request.build_opener()

    def open(self, path: str, data: bytes | None = None, headers: dict | None = None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Cookie": cookie, **(headers or {})}
        )
        response = self.opener.open(request, timeout=60)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def csrf(self, path: str) -> str:
        if self.token is None:
            with self.open(path) as response:
                page = response.read().decode()
            self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.token


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and its live descendants (Linux)."""
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, frontier = {pid}, {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - tree
        tree |= frontier
    return sum(cpu.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


class Load:
    """What the users measured: (kind, milliseconds) and the errors."""

    def __init__(self):
        self.timings, self.errors, self.lock = [], [], threading.Lock()

    def record(self, kind, elapsed, error=None):
        with self.lock:
            self.timings.append((kind, elapsed))
            if error:
                self.errors.append(error)


def user_loop(base, session_key, world, write_share, think, until, load, seed):
    rng = random.Random(seed)
    session = Session(base, session_key)
    sheet = world["sheets"][seed % len(world["sheets"])] if world["sheets"] else None
    i = 0
    while time.monotonic() < until:
        writing = sheet is not None and rng.random() < write_share
        error = None
        try:
            if writing:
                token = session.csrf(sheet["page"])
                criterion = rng.choice(world["criteria"])
                points = 0 if criterion["penalty"] else rng.randint(0, criterion["max"])
                data = urllib.parse.urlencode(
                    {"criterion": criterion["code"], f"points-{criterion['pk']}": str(points)}
                ).encode()
                headers = {"X-CSRFToken": token, "HX-Request": "true", "Referer": base + "/"}
                start = time.perf_counter()
                with session.open(sheet["cell"], data, headers) as r:
                    body = r.read()
                    if r.status != 200 or b'aria-invalid="true"' in body:
                        error = f"save {sheet['cell']}: refused"
            else:
                path = PAGES[i % len(PAGES)]
                i += 1
                start = time.perf_counter()
                with session.open(path) as r:
                    r.read()
                    if r.status != 200:
                        error = f"{path}: {r.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            error = f"{'save' if writing else 'read'}: {exc}"
        kind = "write" if writing else PAGES[(i - 1) % len(PAGES)]
        load.record(kind, (time.perf_counter() - start) * 1000, error)
        if think:  # a person reads the page before the next click (exponential, mean `think`)
            time.sleep(min(rng.expovariate(1 / think), 4 * think))


def bench_database(env: dict) -> tuple[dict, str]:
    """The server's environment for a fresh database, and its label."""
    url = os.environ.get("THIDUA_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return env, "SQLite"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = env | {
        "THIDUA_DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
        "THIDUA_SECRET_KEY": os.urandom(32).hex(),
        # Plain HTTP on the loopback, no TLS proxy in front: cookies without the secure flag.
        "THIDUA_SECURE_COOKIES": "0",
    }
    return env, "PostgreSQL"


def quantiles(values):
    if len(values) < 2:
        return (values or [0]) * 3
    q = statistics.quantiles(values, n=100)
    return q[49], q[94], q[98]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--writes", type=float, default=0.2, help="share of scoring saves")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a user waits between two requests (0: none, each user a client "
        "looping as fast as the server answers)",
    )
    args = parser.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
    env.update(THIDUA_DATA_DIR=str(data), THIDUA_LOGIN_FAILURE_LIMIT="1000")
    env, engine = bench_database(env)
    exe = os.path.join(os.path.dirname(sys.executable), "thidua")
    server = subprocess.Popen(
        [exe, "serve", "--demo", "--addr", f"127.0.0.1:{port}"],
        env=env,
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    load = Load()
    try:
        deadline = time.monotonic() + 900
        while True:
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    print("the server did not start")
                    return 2
                time.sleep(0.5)
        prepared = subprocess.run(
            [sys.executable, "-c", PREPARE, str(args.users), USERNAME],
            env=env | {"DJANGO_SETTINGS_MODULE": "thidua.settings"},
            cwd=data,
            capture_output=True,
            text=True,
            check=True,
        )
        world = json.loads(prepared.stdout.strip().splitlines()[-1])
        logins = []
        for _ in range(3):
            started = time.perf_counter()
            login(base)
            logins.append((time.perf_counter() - started) * 1000)
        cpu_before = tree_cpu(server.pid)
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=user_loop,
                args=(base, key, world, args.writes, args.think, until, load, n),
            )
            for n, key in enumerate(world["sessions"])
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load_average = os.getloadavg()
        server_cpu = tree_cpu(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not load.timings:
        print(f"no request completed; errors: {load.errors[:5]}")
        return 1
    everything = [ms for _kind, ms in load.timings]
    reads = [ms for kind, ms in load.timings if kind != "write"]
    writes = [ms for kind, ms in load.timings if kind == "write"]
    p50, p95, p99 = quantiles(everything)
    print(
        f"concurrent users: {args.users} for {args.seconds:.0f} s, {len(everything)} requests "
        f"({engine}, demo world; reads of {len(PAGES)} pages, {len(writes)} scoring saves "
        f"on {len(world['sheets'])} sheets; think time {args.think:g} s)"
    )
    print(f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (target ≤ {TARGET_P95_MS}), p99 {p99:.0f} ms")
    for label, values in (("reads", reads), ("scoring saves", writes)):
        q50, q95, q99 = quantiles(values)
        print(f"  {label}: {len(values)}, p50 {q50:.0f} ms, p95 {q95:.0f} ms, p99 {q99:.0f} ms")
    by_page = {
        path: quantiles([ms for kind, ms in load.timings if kind == path])[1] for path in PAGES
    }
    print("  p95 by page: " + ", ".join(f"{path} {ms:.0f} ms" for path, ms in by_page.items()))
    print(
        f"errors: {len(load.errors)} (target 0){': ' + '; '.join(load.errors[:5]) if load.errors else ''}"
    )
    print(
        f"throughput {len(everything) / args.seconds:.1f} requests/s; server CPU "
        f"{server_cpu:.1f} s over {args.seconds:.0f} s wall (gunicorn, its workers and the job "
        f"worker: {server_cpu * 1000 / len(everything):.0f} ms a request); "
        f"load average {load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f} "
        f"on {os.cpu_count()} cores"
    )
    print(f"one login (the password hasher, measured alone): {statistics.mean(logins):.0f} ms")
    return 0 if p95 <= TARGET_P95_MS and not load.errors else 1


if __name__ == "__main__":
    sys.exit(main())
