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
