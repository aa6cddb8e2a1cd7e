"""What every benchmark does first: point Django at a fresh embedded database."""

import os
from pathlib import Path


def configure(data_dir: Path) -> None:
    """Point Django at a fresh SQLite file before it starts (embedded mode, DEBUG off)."""
    data_dir = data_dir.resolve()
    os.environ["THIDUA_DATA_DIR"] = str(data_dir)
    os.environ["THIDUA_DATABASE_URL"] = f"sqlite:///{data_dir / 'thidua.sqlite3'}"
    os.environ["THIDUA_DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    import django

    django.setup()


def child_env(url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a benchmark's child process on database `url`: debug off as in
    production, so a database other than the embedded one needs a secret key — a throwaway
    one, since nothing a benchmark signs outlives it."""
    return {
        **os.environ,
        "THIDUA_DATABASE_URL": url,
        "THIDUA_DATA_DIR": str(data_dir),
        "THIDUA_SECRET_KEY": os.environ.get("THIDUA_SECRET_KEY") or "benchmark-only-secret-key",
        "DJANGO_SETTINGS_MODULE": "thidua.settings",
    }


OUT = Path(__file__).resolve().parent / "out"


def _migrations_key() -> str:
    """Names the set of migrations (the project's files and Django's version)."""
    import hashlib

    import django

    digest = hashlib.sha256(django.get_version().encode())
    root = Path(__file__).resolve().parent.parent / "thidua"
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_template() -> Path:
    """A migrated, empty SQLite database file under benchmarks/out/, named by the migrations
    it holds, to copy instead of migrating: migrating an empty file costs about 15 s of CPU
    (Django renders every model's state again for each migration), copying it nothing. The
    first caller builds it with `thidua migrate` in a child process; callers that come
    meanwhile (benchmarks and test workers start together) wait for that one build."""
    import fcntl
    import sqlite3
    import subprocess
    import sys
    import tempfile

    template = OUT / f"migrated-{_migrations_key()}.sqlite3"
    if template.exists():
        return template
    OUT.mkdir(exist_ok=True)
    with open(OUT / "migrated.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if template.exists():  # built while this process waited
            return template
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
            env |= {"THIDUA_DATA_DIR": folder, "DJANGO_SETTINGS_MODULE": "thidua.settings"}
            subprocess.run(
                [sys.executable, "-m", "thidua.cli", "migrate", "--noinput", "-v", "0"],
                env=env,
                cwd=Path(__file__).resolve().parent.parent,
                check=True,
                capture_output=True,
            )
            built = Path(folder) / "thidua.sqlite3"
            db = sqlite3.connect(built)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole database in one file
            db.close()
            os.replace(built, template)  # whole or not at all
    return template


def migrate() -> None:
    """`migrate`, for a benchmark's setup (never timed): a fresh SQLite file starts as a
    copy of `migrated_template()`, so `migrate` finds nothing, or only what is new, to
    apply."""
    import shutil

    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    path = Path(str(name))
    fresh = (
        connection.vendor == "sqlite"
        and connection.connection is None
        and str(name) != ":memory:"
        and (not path.exists() or path.stat().st_size == 0)
    )
    if fresh:
        shutil.copyfile(migrated_template(), path)
    call_command("migrate", verbosity=0)
