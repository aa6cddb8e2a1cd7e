"""Concurrent users against the production server (issue 12, "Numbers").

    python -m benchmarks.bench_concurrent [--users 50] [--seconds 120]

Starts `thidua serve --demo` (gunicorn and the job worker) on 127.0.0.1 and a free port
with a fresh embedded database, logs each simulated user in as the demo officer and
makes them read the main pages in a loop (a bounded loop, loopback only) for the given
time; prints p50/p95/p99 and the errors. Target: p95 ≤ 300 ms, 0 errors.

Not yet: the scoring writes on an emulation sheet (reads only for now).
"""

import argparse
import http.cookiejar
import os
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

PAGES = ["/", "/to-chuc/don-vi/", "/to-chuc/can-bo/", "/thi-dua/", "/nhiem-vu/", "/tin-tuc/"]
TARGET_P95_MS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/dang-nhap/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": "canbo", "password": "thidua2020", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(base + "/dang-nhap/", data=data, headers={"Referer": base})
    opener.open(request, timeout=30).read()
    return opener


def user_loop(base, until, timings, errors, lock):
    try:
        opener = login(base)
    except Exception as exc:
        with lock:
            errors.append(f"login: {exc}")
        return
    i = 0
    while time.monotonic() < until:
        path = PAGES[i % len(PAGES)]
        i += 1
        start = time.perf_counter()
        try:
            with opener.open(base + path, timeout=30) as r:
                r.read()
                ok = r.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            ok, path = False, f"{path}: {exc}"
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            timings.append(elapsed)
            if not ok:
                errors.append(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
    env.update(THIDUA_DATA_DIR=str(data), THIDUA_LOGIN_FAILURE_LIMIT="1000")
    exe = os.path.join(os.path.dirname(sys.executable), "thidua")
    server = subprocess.Popen(
        [exe, "serve", "--demo", "--addr", f"127.0.0.1:{port}"],
        env=env,
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    print("the server did not start")
                    return 2
                time.sleep(0.5)
        timings, errors, lock = [], [], threading.Lock()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=user_loop, args=(base, until, timings, errors, lock))
            for _ in range(args.users)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not timings:
        print(f"no request completed; errors: {errors[:5]}")
        return 1
    q = statistics.quantiles(timings, n=100)
    p50, p95, p99 = q[49], q[94], q[98]
    print(
        f"concurrent users: {args.users} for {args.seconds:.0f} s, {len(timings)} requests "
        f"(SQLite, demo world, reads of {len(PAGES)} pages)"
    )
    print(f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (target ≤ {TARGET_P95_MS}), p99 {p99:.0f} ms")
    print(f"errors: {len(errors)} (target 0){': ' + '; '.join(errors[:5]) if errors else ''}")
    return 0 if p95 <= TARGET_P95_MS and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
