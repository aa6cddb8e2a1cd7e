"""`thidua backup` / `thidua restore` as an operator runs them, each in its own process
and database: a restore into an empty database backs up identical to the source; a
damaged archive or a database that already holds data is refused, nothing written."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest

from thidua.testing import migrated_data_dir

SOURCE = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from thidua.accounts.choices import Role
from thidua.accounts.models import UserRole
from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import load_dataset
from thidua.interchange.tests.test_dataset_load import sample
from thidua.org.models import Unit
from django.contrib.auth import get_user_model
call_command("migrate", verbosity=0)
load_dataset(sample(), actor=SYSTEM)
user = get_user_model().objects.create_user("lan", password="Hoa-sen-no-2026")
UserRole.objects.create(user=user, unit=Unit.objects.get(code="KB"), role=Role.OFFICER)
folder = settings.MEDIA_ROOT / "attachments" / "2020"
folder.mkdir(parents=True)
(folder / "quyet-dinh.pdf").write_bytes(b"%PDF-1.4 quyet dinh")
# Times with fewer than 1,000 microseconds, and with more: every one must come back as it was.
import datetime
from thidua.audit.models import AuditEntry
entry = AuditEntry.objects.order_by("pk").first()
at = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
AuditEntry.objects.filter(pk=entry.pk).update(at=at.replace(microsecond=500))
AuditEntry.objects.exclude(pk=entry.pk).update(at=at.replace(microsecond=123456))
"""


def thidua(data_dir, *args, fresh=False):
    """Run `thidua` on the data directory; unless `fresh`, a new one starts migrated."""
    if not fresh and not (data_dir / "thidua.sqlite3").exists():
        migrated_data_dir(data_dir)  # as `migrate` leaves it, without migrating from nothing
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env.update(THIDUA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="thidua.settings")
    if args[0] == "-c":
        command = [sys.executable, *args]
    else:
        command = [os.path.join(os.path.dirname(sys.executable), "thidua"), *args]
    return subprocess.run(
        command, env=env, cwd=data_dir.parent, capture_output=True, text=True, timeout=300
    )


def members(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


@pytest.fixture(scope="module")
def source_backup(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    source = root / "source"
    result = thidua(source, "-c", SOURCE)
    assert result.returncode == 0, result.stderr
    result = thidua(source, "backup", str(root / "source.tar.gz"))
    assert result.returncode == 0, result.stderr
    assert "46" in result.stdout  # the rows written and checked, in the operator's language
    return root / "source.tar.gz"


def test_a_restore_into_an_empty_database_backs_up_identical(source_backup, tmp_path):
    target = tmp_path / "target"
    result = thidua(target, "restore", str(source_backup))
    assert result.returncode == 0, result.stderr
    assert (target / "media" / "attachments" / "2020" / "quyet-dinh.pdf").read_bytes() == (
        b"%PDF-1.4 quyet dinh"
    )
    result = thidua(target, "backup", str(tmp_path / "again.tar.gz"))
    assert result.returncode == 0, result.stderr

    before, after = members(source_backup), members(tmp_path / "again.tar.gz")
    assert after["data.json"] == before["data.json"]
    assert set(after) == set(before)
    counts = json.loads(before["manifest.json"])["counts"]
    assert counts["org.unit"] == 5 and counts["auth.user"] == 1
    assert json.loads(after["manifest.json"])["counts"] == counts
    # The restored user logs in with the same password, and holds the same role.
    check = thidua(
        target,
        "-c",
        "import django; django.setup(); from django.contrib.auth import authenticate;"
        "from django.test import RequestFactory;"
        "u = authenticate(RequestFactory().post('/'), username='lan', password='Hoa-sen-no-2026');"
        "print(u.unit_roles.get().unit.code)",
    )
    assert check.stdout.strip() == "KB", check.stderr


def test_a_restore_into_a_database_with_data_is_refused(source_backup, tmp_path):
    target = tmp_path / "target"
    assert thidua(target, "restore", str(source_backup)).returncode == 0
    again = thidua(target, "restore", str(source_backup))
    assert again.returncode != 0
    assert "CommandError" in again.stderr and "Traceback" not in again.stderr


def test_a_damaged_archive_is_refused_and_nothing_is_written(source_backup, tmp_path):
    content = members(source_backup)
    content["data.json"] = content["data.json"].replace(b'"Huy', b'"Hax', 1)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as archive:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    target = tmp_path / "target"
    result = thidua(target, "restore", str(damaged), fresh=True)
    assert result.returncode != 0
    assert "data.json" in result.stderr and "Traceback" not in result.stderr
    assert not (target / "thidua.sqlite3").exists()
