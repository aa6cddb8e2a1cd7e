"""Spreadsheet import through the data page: preview and confirmation of a 5,000-row XLSX
(targets: preview ≤ 10 s, confirmed import ≤ 15 s).

    python -m benchmarks.bench_import_page [--people 5000]

Builds a fresh SQLite database in a temporary directory: a district of 50 communes with the
people spread over them, and an officer of the district. The officer downloads the
template prefilled for the district and the year, every person's level is filled in, and
the workbook goes through the pages as in the browser: upload, preview (every row checked,
nothing written), confirm (every row written in one transaction). Prints the seconds of
each step; the suite runs it at a small size (`thidua/interchange/tests`).
"""

import argparse
import io
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import configure, migrate

PREVIEW_TARGET_S = 10.0
CONFIRM_TARGET_S = 15.0
YEAR = 2025
LEVELS = ("HTXS", "HTT", "HTT", "HTT", "HT")


def build(people: int, communes: int = 50):
    """The district, its communes and people (bulk); returns the officer."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.org.choices import Gender, UnitKind
    from thidua.org.models import Employment, Person, Unit, UnitVersion

    epoch = datetime.date(2000, 1, 1)
    with transaction.atomic():
        district = Unit(code="BH", kind=UnitKind.DISTRICT, name="Huyện Thử", established_on=epoch)
        units = [district] + [
            Unit(code=f"BH-X{c:02d}", kind=UnitKind.COMMUNE, name=f"Xã {c}", established_on=epoch)
            for c in range(communes)
        ]
        for unit in units:
            unit.fill_derived()
        Unit.objects.bulk_create(units)
        UnitVersion.objects.bulk_create(
            UnitVersion(
                unit=u, name=u.name, parent=None if u is district else district, valid_from=epoch
            )
            for u in units
        )
        batch = []
        for n in range(people):
            person = Person(
                code=f"BH-P{n:06d}",
                family_name="Nguyễn",
                middle_name="Văn" if n % 2 else "Thị",
                given_name=f"Người {n}",
                gender=Gender.MALE if n % 2 else Gender.FEMALE,
                birth_date=datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
            )
            person.fill_derived()
            batch.append(person)
        Person.objects.bulk_create(batch, batch_size=2000)
        ids = (
            Person.objects.filter(code__startswith="BH-P")
            .order_by("id")
            .values_list("id", flat=True)
        )
        Employment.objects.bulk_create(
            (
                Employment(person_id=pk, unit=units[1 + i % communes], start=epoch)
                for i, pk in enumerate(ids)
            ),
            batch_size=2000,
        )
        officer = get_user_model().objects.create(username="bench-officer")
        UserRole.objects.create(user=officer, unit=district, role=Role.OFFICER)
    return officer


def filled_workbook(client) -> bytes:
    """The prefilled template with every person's and unit's level typed in."""
    from django.urls import reverse
    from openpyxl import load_workbook

    response = client.get(reverse("interchange:template"), {"unit": "BH", "year": YEAR})
    assert response.status_code == 200, response.status_code
    workbook = load_workbook(io.BytesIO(response.content))
    for name in ("person_ratings", "unit_ratings"):
        for i, row in enumerate(workbook[name].iter_rows(min_row=2)):
            row[2].value = LEVELS[i % len(LEVELS)]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass
class Figures:
    rows: int
    upload_s: float
    preview_s: float
    confirm_s: float
    written: int


def run(officer) -> Figures:
    """Upload, preview and confirm the filled template as `officer`, timed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from thidua.records.models import PersonRating, UnitRating

    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    content = filled_workbook(client)
    began = time.perf_counter()
    response = client.post(
        reverse("interchange:upload"), {"file": SimpleUploadedFile("xep-loai.xlsx", content)}
    )
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    uploaded = time.perf_counter()
    page = client.get(location)
    previewed = time.perf_counter()
    assert page.status_code == 200 and "xac-nhan" in page.content.decode(), "preview refused"
    done = client.post(location + "xac-nhan/")
    confirmed = time.perf_counter()
    assert done.status_code == 302, done.status_code
    written = (
        PersonRating.objects.filter(year=YEAR).count()
        + UnitRating.objects.filter(year=YEAR).count()
    )
    return Figures(
        rows=written,
        upload_s=uploaded - began,
        preview_s=previewed - uploaded,
        confirm_s=confirmed - previewed,
        written=written,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        configure(Path(tmp))

        migrate()
        officer = build(args.people)
        f = run(officer)
        print(f"XLSX of {f.rows:,} rating rows ({args.people:,} people and 51 units)")
        print(f"upload   {f.upload_s:6.2f} s")
        print(f"preview  {f.preview_s:6.2f} s  (target ≤ {PREVIEW_TARGET_S:.0f} s)")
        print(f"confirm  {f.confirm_s:6.2f} s  (target ≤ {CONFIRM_TARGET_S:.0f} s)")
        ok = f.preview_s <= PREVIEW_TARGET_S and f.confirm_s <= CONFIRM_TARGET_S
        print("OK" if ok else "MISSED")
        from django.db import connections

        connections.close_all()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
