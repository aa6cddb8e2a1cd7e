"""`thidua backup` / `thidua restore`: the whole database and the uploaded files in one
archive, checked when written and before and after it is restored.

An archive is a `.tar.gz` holding:

- `data.json`: every row of every model (Django's serialisation, natural keys for users,
  content types and permissions; models in dependency order), except what the database recreates or forgets anyway
  (content types and permissions themselves, sessions);
- `media/…`: the files under MEDIA_ROOT (movement attachments);
- `manifest.json`: the format, the migration state, the row count of every model and the
  SHA-256 of every other member.

`backup()` writes the archive, then reads it back and checks it against the manifest and
the database. `restore()` refuses an archive whose members do not match their checksums
or whose migrations the code does not have, and a database that already holds data; it
loads everything in one transaction and checks every model's row count against the
manifest before committing. A restore into an empty database backs up byte for byte the
same `data.json` as the source.
"""

import datetime
import hashlib
import io
import json
import shutil
import tarfile
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "thidua-backup"
VERSION = 1
DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media"
# Recreated by `migrate` (content types, permissions) or short-lived (sessions).
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """The archive or the target is not fit; nothing was written."""


def _models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy and model._meta.managed
    ]


def _in_dependency_order():
    """The models, those with natural keys before the models that refer to them (as
    dumpdata orders them), otherwise by label: the same order every time."""
    by_app: dict = {}
    for model in sorted(_models(), key=lambda m: m._meta.label_lower):
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in _models()}


def _migrations() -> list[list[str]]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted([app, name] for app, name in applied)


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only: a time of day with fewer than 1,000
    microseconds would come back without them, and its next backup would differ. The
    backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def _serialise() -> bytes:
    """Every row of every backed-up model, in model then primary-key order."""
    out = io.StringIO()
    objects = (
        obj
        for model in _in_dependency_order()
        for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000)
    )
    serializers.serialize(
        "json",
        objects,
        stream=out,
        indent=0,
        cls=_ExactEncoder,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        sort_keys=True,  # JSON values as PostgreSQL's jsonb returns them: the same bytes
    )
    return out.getvalue().encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup(path) -> dict:
    """Write the archive at `path` and check it; returns the manifest."""
    with transaction.atomic():  # one consistent reading of the database
        data = _serialise()
        counts = _counts()
        migrations = _migrations()
    root = Path(settings.MEDIA_ROOT)
    members = {DATA: _sha256(data)}
    media = {}
    for file in _media_files():
        content = file.read_bytes()
        name = f"{MEDIA}/{file.relative_to(root).as_posix()}"
        members[name] = _sha256(content)
        media[name] = content
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "migrations": migrations,
        "counts": counts,
        "members": members,
    }
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        _add(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        _add(archive, DATA, data)
        for name, content in media.items():
            _add(archive, name, content)
    read_back, _data = read_archive(partial)  # the consistency check
    if read_back["counts"] != counts:
        partial.unlink()
        raise BackupError(_("The archive does not read back as written."))
    partial.replace(path)  # never a half-written archive under the final name
    return manifest


def read_archive(path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the members of an archive, every checksum checked."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            files = {}
            for member in archive.getmembers():
                if not member.isfile():
                    continue
                handle = archive.extractfile(member)
                files[member.name] = handle.read() if handle else b""
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(
            _("%(path)s is not a readable backup: %(error)s") % {"path": path, "error": exc}
        ) from exc
    try:
        manifest = json.loads(files.pop(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("%(path)s has no manifest.") % {"path": path}) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(_("%(path)s is not a Thidua backup of this version.") % {"path": path})
    expected = manifest.get("members", {})
    for name in sorted(set(expected) | set(files)):
        if name not in files:
            raise BackupError(_("The archive lacks %(name)s.") % {"name": name})
        if name not in expected:
            raise BackupError(_("The archive holds an unlisted %(name)s.") % {"name": name})
        if _sha256(files[name]) != expected[name]:
            raise BackupError(_("%(name)s is damaged (checksum mismatch).") % {"name": name})
        if name != DATA and (not name.startswith(f"{MEDIA}/") or ".." in name.split("/")):
            raise BackupError(_("The archive holds an unexpected %(name)s.") % {"name": name})
    return manifest, files


# A database that has been used holds at least one of these; one that only `migrate` has
# touched holds none (it may hold rows migrations seed, e.g. the news categories, which the
# backup's rows replace).
IN_USE = ("auth.user", "org.unit", "audit.auditentry")


def _is_empty() -> bool:
    return not any(apps.get_model(label)._base_manager.exists() for label in IN_USE)


def _clear_seeded() -> None:
    """Delete the rows migrations seeded; the backup holds their current state."""
    for model in _models():
        if model._base_manager.exists():
            model._base_manager.all().delete()


def restore(path) -> dict:
    """Restore the archive at `path` into this (migrated, empty) database and MEDIA_ROOT.
    Returns the manifest."""
    manifest, files = read_archive(path)
    call_command("migrate", interactive=False, verbosity=0)
    missing = {tuple(m) for m in manifest["migrations"]} - {tuple(m) for m in _migrations()}
    if missing:
        names = ", ".join(f"{app}.{name}" for app, name in sorted(missing))
        raise BackupError(
            _("The backup needs migrations this version does not have: %(names)s")
            % {"names": names}
        )
    if not _is_empty():
        raise BackupError(_("The database already holds data; restore into an empty one."))
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            _("%(path)s already holds files; restore into an empty one.") % {"path": media_root}
        )
    with transaction.atomic():
        _clear_seeded()
        deferred = []
        # Saved as read: a natural key refers to a row saved before it.
        for obj in serializers.deserialize("json", files.pop(DATA), handle_forward_references=True):
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
        _reset_sequences()
        counts = Counter(_counts())
        expected = Counter(manifest["counts"])
        if +counts != +expected:
            raise BackupError(_("The restored row counts differ from the backup's."))
        # The files last, still inside the transaction: a failure here rolls the rows back.
        try:
            for name, content in files.items():
                target = media_root / name[len(MEDIA) + 1 :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        except OSError:
            shutil.rmtree(media_root, ignore_errors=True)
            raise
    return manifest


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
