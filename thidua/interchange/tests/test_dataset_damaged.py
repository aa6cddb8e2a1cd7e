"""A workbook with a missing or damaged sheet part is refused, naming the sheet: its rows
are never dropped silently while the rest loads."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from thidua.accounts.system import SYSTEM
from thidua.interchange.dataset import DatasetError, load_dataset
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db


def workbook_bytes() -> tuple[bytes, dict[str, str]]:
    """A valid two-sheet dataset (a unit and its version) and each sheet's part name."""
    workbook = Workbook()
    units = workbook.active
    units.title = "units"
    units.append(["code", "kind", "name"])
    units.append(["X1", "commune", "Xã Một"])
    versions = workbook.create_sheet("unit_versions")
    versions.append(["unit", "name", "valid_from"])
    versions.append(["X1", "Xã Một", "01/01/2020"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), {
        "units": "xl/worksheets/sheet1.xml",
        "unit_versions": "xl/worksheets/sheet2.xml",
    }


def rewritten(data: bytes, part: str, content: bytes | None) -> io.BytesIO:
    """The archive with `part` replaced by `content` (None: left out)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item))
            elif content is not None:
                target.writestr(item, content)
    out.seek(0)
    out.name = "damaged.xlsx"
    return out


def messages(exc) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_the_intact_workbook_loads():
    data, _parts = workbook_bytes()

    load_dataset(io.BytesIO(data), fmt="xlsx", actor=SYSTEM)

    assert Unit.objects.filter(code="X1").exists()


def test_a_missing_sheet_part_is_refused_naming_the_sheet(english):
    data, parts = workbook_bytes()

    with pytest.raises(DatasetError) as exc:
        load_dataset(rewritten(data, parts["unit_versions"], None), fmt="xlsx", actor=SYSTEM)

    assert any("unit_versions" in m and "missing" in m for m in messages(exc))
    assert not Unit.objects.exists()


def test_an_unreadable_sheet_part_is_refused_naming_the_sheet(english):
    data, parts = workbook_bytes()
    cut = zipfile.ZipFile(io.BytesIO(data)).read(parts["unit_versions"])[:-40]

    with pytest.raises(DatasetError) as exc:
        load_dataset(rewritten(data, parts["unit_versions"], cut), fmt="xlsx", actor=SYSTEM)

    assert any("unit_versions" in m and "cannot be read" in m for m in messages(exc))
    assert not Unit.objects.exists()
