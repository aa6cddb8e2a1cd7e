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


def migrate() -> None:
    """`migrate`, for a benchmark's setup (never timed). Migrating an empty SQLite file
    costs several seconds of CPU; every benchmark does it, several at once in the test
    suite. So the first run keeps a migrated copy under benchmarks/out/ (named by the
    migrations it holds) and later runs start from a copy of it; `migrate` then finds
    nothing, or only what is new, to apply."""
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
    template = OUT / f"migrated-{_migrations_key()}.sqlite3"
    if fresh and template.exists():
        shutil.copyfile(template, path)
    call_command("migrate", verbosity=0)
    if fresh and not template.exists():
        connection.close()  # the last connection out folds the WAL into the file
        OUT.mkdir(exist_ok=True)
        partial = template.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(path, partial)
        os.replace(partial, template)  # whole or not at all, also with benchmarks in parallel
