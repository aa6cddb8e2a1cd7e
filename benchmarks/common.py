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
