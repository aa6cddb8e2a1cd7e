"""`thidua serve [--addr HOST:PORT] [--demo] [--no-worker]`: the production web server.

It migrates, then runs gunicorn and, beside it, the background-job worker (`thidua
worker`), stopped with it (threaded workers, timeouts; THIDUA_WORKERS,
THIDUA_THREADS, THIDUA_TIMEOUT). With `--demo` (what `make run` does) it first loads the
demo world into an empty database and prints the demo logins; without it nothing is
created, so no account with a known password exists. Static files are served by
WhiteNoise (docs/deployment/README.md).
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

from thidua.accounts.choices import Role
from thidua.interchange.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo, migrate_if_needed
from thidua.org.models import Unit

DEFAULT_ADDR = "127.0.0.1:8000"
LANGUAGES = ("vi", "en")  # the banner speaks both


def normalise_addr(addr: str) -> str:
    """'8000' → '127.0.0.1:8000'; 'host:port' as given."""
    return f"127.0.0.1:{addr}" if addr.isdigit() else addr


def site_url(addr: str) -> str:
    """The address a browser on this machine opens for a server bound to `addr`."""
    host, _sep, port = normalise_addr(addr).rpartition(":")
    if host in ("", "0.0.0.0", "0", "[::]", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


def _in_both(render) -> list[str]:
    """`render()` in Vietnamese and in English (once if the two are the same)."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            text = str(render())
        if text not in texts:
            texts.append(text)
    return texts


def banner(url: str) -> str:
    """What `serve` prints before the server starts: the site's address and the demo
    logins that exist (username, password, role, unit), in Vietnamese and English."""
    usernames = [login.username for login in DEMO_LOGINS]
    existing = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    logins = [login for login in DEMO_LOGINS if login.username in existing]
    names = dict(
        Unit.objects.filter(code__in=[login.unit for login in logins]).values_list("code", "name")
    )
    lines = _in_both(lambda: _("Thidua is running at %(url)s") % {"url": url})
    if not logins:
        return "\n".join(lines)
    lines.append("")
    lines += _in_both(
        lambda: _("Demo logins (password %(password)s):") % {"password": DEMO_PASSWORD}
    )
    header = [
        " / ".join(_in_both(lambda: _("Username"))),
        " / ".join(_in_both(lambda: _("Password"))),
        " / ".join(_in_both(lambda: _("Role"))),
        " / ".join(_in_both(lambda: _("Unit"))),
    ]
    rows = [
        [
            login.username,
            DEMO_PASSWORD,
            " / ".join(_in_both(lambda login=login: Role(login.role).label)),
            f"{login.unit} – {names.get(login.unit, '')}",
        ]
        for login in logins
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  " + cells.rstrip())
    return "\n".join(lines)


class ThiduaServer(BaseApplication):
    """Gunicorn run in this process, serving Django's WSGI application."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from thidua.wsgi import application

        return application


def server_options(addr: str) -> dict:
    """The gunicorn settings `serve` runs with."""
    return {
        "bind": normalise_addr(addr),
        "workers": settings.THIDUA_WORKERS,
        "threads": settings.THIDUA_THREADS,
        "worker_class": "gthread",
        "timeout": settings.THIDUA_TIMEOUT,
        "graceful_timeout": 30,
        "keepalive": 5,
        "limit_request_line": 8190,
        "accesslog": "-",
        "errorlog": "-",
    }


class Worker:
    """The background-job worker (`thidua worker`) as a second process beside gunicorn:
    started when the server is ready, stopped when it exits (gunicorn's hooks, which run
    in the master process only)."""

    def __init__(self):
        self.process = None

    def start(self, _arbiter=None) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "thidua.cli", "worker"])

    def stop(self, _arbiter=None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def with_worker(options: dict, worker: Worker) -> dict:
    return options | {"when_ready": worker.start, "on_exit": worker.stop}


def run_server(options: dict) -> None:
    connections.close_all()  # nothing opened here is shared with the forked workers
    # WhiteNoise serves collected files from here (and the apps' through finders).
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    ThiduaServer(options).run()


class Command(BaseCommand):
    help = _(
        "Migrate and run the production web server; with --demo, first load the demo world "
        "into an empty database and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--addr",
            default=DEFAULT_ADDR,
            help=_("Address and port to listen on (default %(default)s)."),
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_(
                "Do not start the background-job worker (when `thidua worker` runs as its "
                "own service)."
            ),
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help=_(
                "Load the demo world and its logins (with a public password) if the database "
                "has no units. Never on a real deployment."
            ),
        )

    def handle(self, *args, addr=DEFAULT_ADDR, demo=False, no_worker=False, **options):
        addr = normalise_addr(addr)
        migrate_if_needed()
        if demo:
            if not Unit.objects.exists():
                self.stdout.write(_("The database is empty: loading the demo world…"))
                load_demo()
            self.stdout.write(banner(site_url(addr)))
        else:
            self.stdout.write(
                "\n".join(
                    _in_both(lambda: _("Thidua is running at %(url)s") % {"url": site_url(addr)})
                )
            )
            if not get_user_model().objects.exists():
                self.stdout.write(
                    _(
                        "There is no account yet: create an administrator with "
                        "`thidua createsuperuser`."
                    )
                )
        self.stdout.write("")
        options = server_options(addr)
        run_server(options if no_worker else with_worker(options, Worker()))
