"""Concurrent users against the production server (issue 12, "Numbers").

    python -m benchmarks.bench_concurrent [--users 50] [--seconds 120] [--writes 0.2]
        [--think 1] [--people 100000] [--reload] [--requests N] [--logins 3] [--workers W]

Starts `thidua serve` (gunicorn and the job worker) on 127.0.0.1 and a free port on a
database of its own holding the demo world and, beside it, the synthetic province of
`benchmarks.synthetic` (`--people`, 100,000 by default, 3,000 units and ten years of
records; 0: the demo alone), loaded with `thidua.interchange.dataset.load_dataset`. That
world is prepared once into a template (a SQLite file under benchmarks/out/, or a
PostgreSQL database `<name>_bench_tpl…`) and every run starts from a copy of it, so
repeated runs do not load it again (`--reload` does). The database is an embedded SQLite
file, or, when THIDUA_DATABASE_URL points at PostgreSQL, databases of their own beside
that one (`<name>_bench`, dropped and copied again from the template; the database named
there is not touched).

Half the simulated users are the demo's district officer (`canbo`), who reads the main
pages and saves scoring sheets; the other half an officer of the synthetic province, who
reads the same pages over the province's 3,000 units and 100,000 people, the province's
page and a person's page. Each user gets a session made beforehand (logins are measured
on their own: a password hash costs about a second of CPU by design, which 50 users
logging in on the same second would measure instead of the pages) and loops for the
given time (loopback only; `--requests N`: at most N requests each, what the test
suite's small run uses so that it measures every page without depending on the machine's
speed), waiting a think time between two clicks (exponential, mean
`--think` seconds; 0: none). A share of all requests (`--writes`, made by the district's
users) saves one criterion of a block's scoring sheet (the demo's 2021 covenant, its
deadline moved past today in the benchmark's own database). Prints p50/p95/p99 of reads
and writes, p95 per page, the errors, the load average and the server's CPU time, and the
time of one real login (the mean of `--logins`). The server runs with the deployment's
gunicorn workers (THIDUA_WORKERS) unless `--workers` says otherwise.
Target: p95 ≤ 300 ms, 0 errors.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
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

from benchmarks.common import child_env, migrate

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/to-chuc/don-vi/", "/to-chuc/can-bo/", "/thi-dua/", "/nhiem-vu/", "/tin-tuc/"]
TARGET_P95_MS = 300
USERNAME, PASSWORD = "canbo", "thidua2020"
PROVINCE_USER = "tinh"  # an officer of the synthetic province (benchmarks.synthetic.PROVINCE)

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
from thidua.org.models import Employment
count = int(sys.argv[1])
user = get_user_model().objects.get(username=sys.argv[2])
province = get_user_model().objects.filter(username=sys.argv[3]).first()
store = import_module(settings.SESSION_ENGINE).SessionStore
sessions = []
for n in range(count):
    who = province if province is not None and n % 2 else user
    session = store()
    session[SESSION_KEY] = str(who.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = who.get_session_auth_hash()
    session.create()
    sessions.append({"key": session.session_key, "province": who == province})
province_pages = []
if province is not None:
    unit = province.unit_roles.get().unit
    people = (
        Employment.objects.filter(unit__code__startswith="X0", end__isnull=True)
        .order_by("person__code")
        .values_list("person__code", flat=True)[:20]
    )
    province_pages = [f"/to-chuc/don-vi/{unit.code}/"] + [f"/to-chuc/can-bo/{c}/" for c in people]
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
print(json.dumps({
    "sessions": sessions, "sheets": sheets, "criteria": criteria, "province_pages": province_pages
}))
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


def user_loop(base, session, world, write_share, think, until, load, seed, requests=0):
    """One user clicking through their pages until `until` (and at most `requests` times,
    0: no limit): the province's officer reads
    the main pages, the province's page and people's pages; the district's officer the
    main pages, and saves scoring sheets (a share `write_share` of their requests)."""
    rng = random.Random(seed)
    province = session["province"]
    client = Session(base, session["key"])
    pages = PAGES + world["province_pages"][:1] if province else PAGES
    people = world["province_pages"][1:] if province else []
    sheet = (
        None if province or not world["sheets"] else world["sheets"][seed % len(world["sheets"])]
    )
    i = done = 0
    while time.monotonic() < until and not (requests and done >= requests):
        done += 1
        writing = sheet is not None and rng.random() < write_share
        error = None
        if writing:
            kind = "save"
        else:
            path = pages[i % len(pages)]
            if people and i % (len(pages) + 1) == len(pages):  # now and then a person's page
                path = rng.choice(people)
            i += 1
            kind = ("province " if province else "district ") + (
                "/to-chuc/can-bo/<person>/" if path in people else path
            )
        start = time.perf_counter()
        try:
            if writing:
                token = client.csrf(sheet["page"])
                criterion = rng.choice(world["criteria"])
                points = 0 if criterion["penalty"] else rng.randint(0, criterion["max"])
                data = urllib.parse.urlencode(
                    {"criterion": criterion["code"], f"points-{criterion['pk']}": str(points)}
                ).encode()
                headers = {"X-CSRFToken": token, "HX-Request": "true", "Referer": base + "/"}
                start = time.perf_counter()
                with client.open(sheet["cell"], data, headers) as r:
                    body = r.read()
                    if r.status != 200 or b'aria-invalid="true"' in body:
                        error = f"save {sheet['cell']}: refused"
            else:
                with client.open(path) as r:
                    r.read()
                    if r.status != 200:
                        error = f"{path}: {r.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            error = f"{kind}: {exc}"
        load.record(kind, (time.perf_counter() - start) * 1000, error)
        if think:  # a person reads the page before the next click (exponential, mean `think`)
            time.sleep(min(rng.expovariate(1 / think), 4 * think))


# --- the world: prepared once into a template, copied for each run -----------------------


def dataset_path(people: int, units: int) -> Path | None:
    """The synthetic province's file (generated once under benchmarks/out/), or None for
    the demo alone. The 3,000-unit files are the ones bench_eligibility uses too."""
    if not people:
        return None
    from benchmarks.synthetic import synthetic_name

    path = OUT / synthetic_name(people, units)
    if not path.exists():
        from benchmarks.synthetic import generate

        started = time.perf_counter()
        counts = generate(path, people=people, units=units)
        print(
            f"generated {path.name}: {sum(counts.values()):,} rows "
            f"in {time.perf_counter() - started:.0f} s"
        )
    return path


def fingerprint(dataset: Path | None) -> str:
    if dataset is None:
        return json.dumps({"dataset": None})
    stat = dataset.stat()
    return json.dumps({"dataset": dataset.name, "size": stat.st_size, "mtime": stat.st_mtime})


def prepare_child(dataset: str) -> int:
    """In the template's database: migrate, load the demo, then the synthetic province
    (if any) and its officer (`PROVINCE_USER`, a role on the province's root unit)."""
    import django

    django.setup()
    migrate()
    from django.contrib.auth import get_user_model

    from thidua.accounts.choices import Role
    from thidua.accounts.services import grant_role
    from thidua.accounts.system import SYSTEM
    from thidua.interchange.dataset import DatasetError, load_dataset
    from thidua.interchange.demo import load_demo
    from thidua.org.models import Unit

    started = time.perf_counter()
    load_demo()
    rows = 0
    if dataset:
        try:
            rows = load_dataset(Path(dataset), actor=SYSTEM).total
        except DatasetError as exc:
            sys.stderr.write("\n".join(exc.lines()[:50]) + "\n")
            return 1
        from benchmarks.synthetic import PROVINCE

        # The demo officer's password, whose hash the demo computed: the province's officer
        # never logs in through the form (its sessions are made beforehand), and a second
        # hash would cost the production hasher's ~0.4 s of CPU.
        demo_officer = get_user_model().objects.get(username=USERNAME)
        user = get_user_model().objects.create(
            username=PROVINCE_USER, password=demo_officer.password
        )
        grant_role(actor=SYSTEM, user=user, unit=Unit.objects.get(code=PROVINCE), role=Role.OFFICER)
    from django.db import connection

    if connection.vendor == "postgresql":
        # The statistics autovacuum gathers on a server soon after a load; a database
        # copied from a template starts without (its activity counters are new), and the
        # planner then guesses, e.g. a nested loop over 100,000 people for a count.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))
    return 0


def profile_child(repeat: int) -> int:
    """Each page of the run, as each user, `repeat` times in this process (Django's test
    client, no server): CPU and wall milliseconds of the best run, its SQL queries and the
    slowest of them. The guide on a busy machine, where the CPU time of a request varies
    less than its latency."""
    import django

    django.setup()
    migrate()  # what `serve` would apply to the copy
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thidua.org.models import Employment

    users = get_user_model().objects.filter(username__in=[USERNAME, PROVINCE_USER])
    for user in users.order_by("username"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        pages = list(PAGES)
        if user.username == PROVINCE_USER:
            unit = user.unit_roles.get().unit
            person = (
                Employment.objects.filter(unit__code__startswith="X0", end__isnull=True)
                .order_by("person__code")
                .values_list("person__code", flat=True)
                .first()
            )
            pages += [f"/to-chuc/don-vi/{unit.code}/", f"/to-chuc/can-bo/{person}/"]
        for path in pages:
            best = None
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started, cpu = time.perf_counter(), time.process_time()
                    status = client.get(path).status_code
                    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
                if best is None or cpu < best[0]:
                    best = (cpu, wall, status, list(captured))
            cpu, wall, status, queries = best
            sql_ms = sum(float(q["time"]) for q in queries) * 1000
            print(
                f"{user.username:>6} {path:<40} {status} CPU {cpu * 1000:6.0f} ms, wall "
                f"{wall * 1000:6.0f} ms, {len(queries):3} queries ({sql_ms:.0f} ms)"
            )
            for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                if float(q["time"]) >= 0.005:
                    print(f"         {float(q['time']) * 1000:6.0f} ms  {q['sql'][:300]}")
    return 0


def _postgres(url: str, name: str) -> tuple[str, str]:
    """(the admin URL, the URL of database `name`) on the server of `url`."""
    parts = urlsplit(url)
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path=f"/{name}")),
    )


def bench_database(env: dict, dataset: Path | None, reload: bool, data: Path) -> tuple[dict, str]:
    """The server's environment for a fresh copy of the prepared world, and its label.
    The template is (re)built when missing, made from another dataset file, or `reload`."""
    url = os.environ.get("THIDUA_DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://"))
    label = "PostgreSQL" if postgres else "SQLite"
    tag = dataset.stem.removeprefix("synthetic-") if dataset else "demo"
    marker = OUT / f"concurrent-{tag}-{label.lower()}.prepared"
    wanted = fingerprint(dataset)
    fresh = reload or not marker.exists() or marker.read_text() != wanted
    if postgres:
        import psycopg

        base = urlsplit(url).path.lstrip("/") + "_bench"
        template = f"{base}_tpl_{tag}"
        admin, template_url = _postgres(url, template)
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if fresh or exists.fetchone() is None:
                marker.unlink(missing_ok=True)
                conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{template}"')
                fresh = True
    else:
        template_path = OUT / f"concurrent-{tag}.sqlite3"
        template_url = f"sqlite:///{template_path}"
        if fresh or not template_path.exists():
            marker.unlink(missing_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{template_path}{suffix}").unlink(missing_ok=True)
            fresh = True
    if fresh:
        OUT.mkdir(exist_ok=True)
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_concurrent",
                "--child",
                "prepare",
                "--dataset",
                str(dataset or ""),
            ],
            env=child_env(template_url, OUT / "data") | {"THIDUA_SECURE_COOKIES": "0"},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit("preparing the benchmark's world failed")
        rows = json.loads(done.stdout.strip().splitlines()[-1])["rows"]
        marker.write_text(wanted)
        print(
            f"{label}: prepared the demo and {rows:,} rows of {dataset.name if dataset else '—'} "
            f"in {time.perf_counter() - started:.0f} s (kept for the next runs)"
        )
    if not postgres:
        shutil.copyfile(template_path, data / "thidua.sqlite3")
        return env, label
    name = f"{base}"
    admin, run_url = _postgres(url, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    env = env | {
        "THIDUA_DATABASE_URL": run_url,
        "THIDUA_SECRET_KEY": os.urandom(32).hex(),
        # Plain HTTP on the loopback, no TLS proxy in front: cookies without the secure flag.
        "THIDUA_SECURE_COOKIES": "0",
    }
    return env, label


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
        default=1.0,
        help="mean seconds a user waits between two requests (0: none, each user a client "
        "looping as fast as the server answers)",
    )
    parser.add_argument(
        "--people", type=int, default=100_000, help="the synthetic province (0: the demo alone)"
    )
    parser.add_argument("--units", type=int, default=3000, help="the province's units")
    parser.add_argument("--reload", action="store_true", help="prepare the world again")
    parser.add_argument(
        "--requests", type=int, default=0, help="at most this many requests per user (0: no limit)"
    )
    parser.add_argument("--logins", type=int, default=3, help="real logins timed (their mean)")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: the deployment's THIDUA_WORKERS)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="instead of the load: each page N times in-process, its CPU time and queries",
    )
    parser.add_argument("--child", choices=["prepare", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--dataset", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "prepare":
        return prepare_child(args.dataset)
    if args.child == "profile":
        return profile_child(args.profile)
    data = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    try:
        return run(args, data)
    finally:  # the run's copy of the world (a SQLite file of ~140 MB), its secret key
        shutil.rmtree(data, ignore_errors=True)


def run(args, data: Path) -> int:
    """Copy the prepared world into the run's database, then profile or load the server."""
    dataset = dataset_path(args.people, args.units)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
    env.update(THIDUA_DATA_DIR=str(data), THIDUA_LOGIN_FAILURE_LIMIT="1000")
    if args.workers:
        env["THIDUA_WORKERS"] = str(args.workers)
    env, engine = bench_database(env, dataset, args.reload, data)
    if args.profile:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_concurrent",
                "--child",
                "profile",
                "--profile",
                str(args.profile),
            ],
            env=env | {"DJANGO_SETTINGS_MODULE": "thidua.settings", "THIDUA_DEBUG": "false"},
            cwd=ROOT,
        )
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return done.returncode
    exe = os.path.join(os.path.dirname(sys.executable), "thidua")
    server = subprocess.Popen(
        [exe, "serve", "--addr", f"127.0.0.1:{port}"],
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
            [sys.executable, "-c", PREPARE, str(args.users), USERNAME, PROVINCE_USER],
            env=env | {"DJANGO_SETTINGS_MODULE": "thidua.settings"},
            cwd=data,
            capture_output=True,
            text=True,
            check=True,
        )
        world = json.loads(prepared.stdout.strip().splitlines()[-1])
        district = sum(1 for session in world["sessions"] if not session["province"])
        # The district's users make every save: their share so that `writes` is the whole's.
        write_share = min(1.0, args.writes * len(world["sessions"]) / max(district, 1))
        logins = []
        for _ in range(max(args.logins, 1)):
            started = time.perf_counter()
            login(base)
            logins.append((time.perf_counter() - started) * 1000)
        cpu_before = tree_cpu(server.pid)
        began = time.monotonic()
        until = began + args.seconds
        threads = [
            threading.Thread(
                target=user_loop,
                args=(base, session, world, write_share, args.think, until, load, n, args.requests),
            )
            for n, session in enumerate(world["sessions"])
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.monotonic() - began
        load_average = os.getloadavg()
        server_cpu = tree_cpu(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not load.timings:
        print(f"no request completed; errors: {load.errors[:5]}")
        return 1
    everything = [ms for _kind, ms in load.timings]
    reads = [ms for kind, ms in load.timings if kind != "save"]
    writes = [ms for kind, ms in load.timings if kind == "save"]
    p50, p95, p99 = quantiles(everything)
    world_name = f"the demo and {dataset.stem} ({args.people:,} people)" if dataset else "the demo"
    print(
        f"concurrent users: {args.users} for {seconds:.0f} s, {len(everything)} requests "
        f"({engine}, {world_name}; reads of the main pages, {len(writes)} scoring saves "
        f"on {len(world['sheets'])} sheets; think time {args.think:g} s)"
    )
    print(f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (target ≤ {TARGET_P95_MS}), p99 {p99:.0f} ms")
    for label, values in (("reads", reads), ("scoring saves", writes)):
        q50, q95, q99 = quantiles(values)
        print(f"  {label}: {len(values)}, p50 {q50:.0f} ms, p95 {q95:.0f} ms, p99 {q99:.0f} ms")
    kinds = sorted({kind for kind, _ms in load.timings if kind != "save"})
    print("  p50/p95 by page:")
    for kind in kinds:
        values = [ms for k, ms in load.timings if k == kind]
        q50, q95, _q99 = quantiles(values)
        print(f"    {kind}: {len(values)}, p50 {q50:.0f} ms, p95 {q95:.0f} ms")
    print(
        f"errors: {len(load.errors)} (target 0){': ' + '; '.join(load.errors[:5]) if load.errors else ''}"
    )
    print(
        f"throughput {len(everything) / seconds:.1f} requests/s; server CPU "
        f"{server_cpu:.1f} s over {seconds:.0f} s wall (gunicorn, its workers and the job "
        f"worker: {server_cpu * 1000 / len(everything):.0f} ms a request); "
        f"load average {load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f} "
        f"on {os.cpu_count()} cores"
    )
    print(f"one login (the password hasher, measured alone): {statistics.mean(logins):.0f} ms")
    return 0 if p95 <= TARGET_P95_MS and not load.errors else 1


if __name__ == "__main__":
    sys.exit(main())
