"""Loading a dataset: what lands in the database, from each kind of source, and the one
audit entry. `sample()` is the small dataset the other dataset tests start from."""

import copy
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.interchange.dataset import DatasetError, LoadReport, load_dataset
from thidua.org.models import (
    Employment,
    LineageEdge,
    LineageEvent,
    Person,
    Unit,
    UnitOfficialCode,
    UnitVersion,
)
from thidua.org.tests.factories import UserFactory
from thidua.records.models import (
    Absence,
    Award,
    Discipline,
    Initiative,
    PendingReview,
    PersonRating,
    UnitRating,
)
from thidua.vietnamese import fold, person_sort_key

_SAMPLE = {
    "format": "thidua-dataset",
    "version": 1,
    "units": [
        {"code": "VN", "kind": "central", "name": "Chủ tịch nước", "established_on": "1945-09-02"},
        {"code": "HN", "kind": "province", "name": "Tỉnh Hà Nam", "established_on": "1997-01-01"},
        {
            "code": "KB",
            "kind": "district",
            "name": "Huyện Kim Bảng",
            "established_on": "1997-01-01",
            "dissolved_on": "2025-07-01",
        },
        {"code": "KB-TS", "kind": "commune", "name": "Xã Thanh Sơn"},
        {"code": "KB-NT", "kind": "commune", "name": "Phường Nhật Tân"},
    ],
    "unit_versions": [
        {"unit": "VN", "name": "Chủ tịch nước", "valid_from": "1945-09-02"},
        {"unit": "HN", "name": "Tỉnh Hà Nam", "valid_from": "1997-01-01"},
        {
            "unit": "KB",
            "name": "Huyện Kim Bảng",
            "parent": "HN",
            "valid_from": "1997-01-01",
            "valid_to": "2025-07-01",
        },
        {
            "unit": "KB-TS",
            "name": "Xã Thanh Sơn",
            "parent": "KB",
            "valid_from": "1997-01-01",
            "valid_to": "2025-07-01",
        },
        {"unit": "KB-TS", "name": "Xã Thanh Sơn", "parent": "HN", "valid_from": "2025-07-01"},
        {
            "unit": "KB-NT",
            "name": "Xã Nhật Tân",
            "parent": "KB",
            "valid_from": "1997-01-01",
            "valid_to": "2020-01-01",
        },
        {"unit": "KB-NT", "name": "Phường Nhật Tân", "parent": "KB", "valid_from": "2020-01-01"},
    ],
    "lineage": [
        {"event": "R", "kind": "rename", "date": "2020-01-01", "predecessor": "KB-NT",
         "successor": "KB-NT", "decision": "Nghị quyết 12/NQ-UBTVQH14"},
        {"event": "D", "kind": "dissolve", "date": "2025-07-01", "predecessor": "KB",
         "decision": "Nghị quyết 1674/NQ-UBTVQH15"},
        {"event": "P", "kind": "reparent", "date": "2025-07-01", "predecessor": "KB-TS",
         "successor": "KB-TS", "note": "Bỏ cấp huyện"},
    ],
    "people": [
        {"code": "P1", "family_name": "Nguyễn", "middle_name": "Văn", "given_name": "An",
         "birth_date": "1980-05-01", "gender": "M", "citizen_id": "035080000001"},
        {"code": "P2", "family_name": "Trần", "middle_name": "Thị", "given_name": "Bình",
         "gender": "F", "citizen_id": "035180000002"},
        {"code": "P3", "family_name": "Lê", "given_name": "Cường", "gender": "M"},
    ],
    "employments": [
        {"person": "P1", "unit": "KB", "position": "Chuyên viên", "start": "2015-01-01",
         "end": "2025-07-01"},
        {"person": "P1", "unit": "KB-TS", "position": "Chuyên viên", "start": "2025-07-01"},
        {"person": "P2", "unit": "KB-TS", "start": "2018-03-01"},
        {"person": "P3", "unit": "KB-NT", "start": "2019-01-01", "end": "2022-01-01"},
    ],
    "person_ratings": [
        {"person": "P1", "year": 2019, "level": "HTT", "regime": "ND56/2015"},
        {"person": "P1", "year": 2020, "level": "HTXS", "score": 95.5, "regime": "ND90/2020"},
        {"person": "P2", "year": 2020, "level": "HTT"},
        {"person": "P3", "year": 2020, "level": "HT", "score": 50},
    ],
    "unit_ratings": [{"unit": "KB", "year": 2020, "level": "HTXS"}],
    "disciplines": [
        {"person": "P3", "measure": "khien_trach", "duty_related": False,
         "decision_number": "5/QĐ-KL", "decision_date": "2021-02-20",
         "effective_from": "2021-03-01", "effective_to": "2022-03-01", "reason": "Đi muộn"},
    ],
    "pending_reviews": [
        {"unit": "KB-NT", "kind": "inspection", "started_on": "2024-05-01"},
        {"person": "P3", "kind": "complaint", "started_on": "2021-01-01",
         "ended_on": "2021-06-01", "note": "Đã giải quyết"},
    ],
    "initiatives": [
        {"code": "SK1", "kind": "initiative", "title": "Số hóa hồ sơ thi đua", "scope": "co_so",
         "recognised_on": "2020-11-01", "applied": True, "authors": ["P1", "P2"]},
    ],
    "awards": [
        {"person": "P1", "award_code": "LDTT", "commendation_type": "cong_trang",
         "period_start": "2020-01-01", "period_end": "2020-12-31",
         "decision_number": "15/QĐ-UBND", "decision_date": "2021-01-10", "authority": "KB",
         "amount": 1170000},
        {"unit": "KB", "award_code": "AHLD", "commendation_type": "cong_trang",
         "period_start": "2016-01-01", "period_end": "2020-12-31",
         "decision_number": "2015/QĐ-CTN", "decision_date": "2020-11-13", "authority": "VN",
         "signer": "Nguyễn Xuân Phúc"},
        {"person": "P2", "award_code": "BK_TINH", "commendation_type": "cong_trang",
         "period_start": "2020-01-01", "period_end": "2020-12-31",
         "decision_number": "20/QĐ-UBND", "decision_date": "2021-01-12", "authority": "HN",
         "status": "annulled", "annulled_reason": "Hồ sơ không trung thực"},
    ],
    "absences": [
        {"person": "P2", "kind": "maternity", "start": "2021-02-01", "end": "2021-08-01"},
    ],
}  # fmt: skip


def sample(**changes) -> dict:
    """A fresh copy of the sample dataset; `changes` replace whole sections."""
    data = copy.deepcopy(_SAMPLE)
    data.update(changes)
    return data


def table_counts() -> dict[str, int]:
    models = [Unit, UnitVersion, UnitOfficialCode, LineageEvent, LineageEdge, Person]
    models += [
        Employment,
        PersonRating,
        UnitRating,
        Discipline,
        PendingReview,
        Initiative,
        Award,
        Absence,
        AuditEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


def load_problems(data, **kwargs) -> list[str]:
    """The problems of a dataset that must be refused, as lines (English)."""
    with translation.override("en"):
        with pytest.raises(DatasetError) as caught:
            load_dataset(data, **{"actor": SYSTEM, **kwargs})
        return caught.value.lines()


@pytest.mark.django_db
def test_a_dict_loads_every_section():
    report = load_dataset(sample(), actor=SYSTEM)

    assert isinstance(report, LoadReport)
    assert report.counts == {
        "units": 5,
        "unit_versions": 7,
        "official_codes": 0,
        "lineage": 3,
        "people": 3,
        "employments": 4,
        "households": 0,
        "person_ratings": 4,
        "unit_ratings": 1,
        "disciplines": 1,
        "pending_reviews": 2,
        "initiatives": 1,
        "awards": 3,
        "absences": 1,
    }
    assert report.total == 35
    kb = Unit.objects.get(code="KB")
    assert kb.dissolved_on == datetime.date(2025, 7, 1)
    ts = Unit.objects.get(code="KB-TS")
    assert list(ts.versions.order_by("valid_from").values_list("parent__code", flat=True)) == [
        "KB",
        "HN",
    ]
    assert LineageEvent.objects.count() == 3
    rename = LineageEvent.objects.get(kind="rename")
    assert rename.decision == "Nghị quyết 12/NQ-UBTVQH14"
    assert rename.edges.get().successor == Unit.objects.get(code="KB-NT")
    assert LineageEdge.objects.get(event__kind="dissolve").successor is None
    p1 = Person.objects.get(code="P1")
    assert p1.employments.count() == 2
    rating = p1.ratings.get(year=2020)
    assert (rating.level, str(rating.score), rating.regime) == ("HTXS", "95.50", "ND90/2020")
    assert Person.objects.get(code="P3").middle_name == ""
    discipline = Discipline.objects.get()
    assert discipline.duty_related is False
    assert discipline.effective_to == datetime.date(2022, 3, 1)
    review = PendingReview.objects.get(unit=Unit.objects.get(code="KB-NT"))
    assert review.person is None and review.ended_on is None
    initiative = Initiative.objects.get(code="SK1")
    assert initiative.applied is True and initiative.replicable is False
    assert set(initiative.authors.values_list("code", flat=True)) == {"P1", "P2"}
    hero = Award.objects.get(award_code="AHLD")
    assert (hero.unit, hero.person, hero.authority.code) == (kb, None, "VN")
    annulled = Award.objects.get(award_code="BK_TINH")
    assert annulled.status == "annulled" and annulled.annulled_reason
    assert Award.objects.get(award_code="LDTT").amount == 1170000


@pytest.mark.django_db
def test_search_and_sort_columns_are_filled():
    load_dataset(sample(), actor=SYSTEM)

    p1 = Person.objects.get(code="P1")
    assert p1.search_name == " " + fold("Nguyễn Văn An")
    assert p1.sort_key == person_sort_key("Nguyễn", "Văn", "An")
    assert Unit.objects.get(code="KB").search_name == "huyen kim bang"
    assert Unit.objects.filter(search_name__contains="nhat tan").count() == 1


@pytest.mark.django_db
def test_one_audit_entry_records_the_counts():
    report = load_dataset(sample(), actor=SYSTEM)

    entry = AuditEntry.objects.get()
    assert entry.action == "interchange.dataset.load"
    assert entry.target_type == "interchange.dataset"
    assert entry.actor_label == "hệ thống"
    assert entry.after["counts"] == report.counts


@pytest.mark.django_db
def test_a_superuser_is_the_recorded_actor():
    admin = UserFactory(is_superuser=True, username="admin")

    load_dataset(sample(), actor=admin)

    assert AuditEntry.objects.get().actor == admin


@pytest.mark.django_db
def test_only_the_system_or_a_superuser_may_load():
    officer = UserFactory(username="officer")
    before = table_counts()

    with pytest.raises(PermissionDenied):
        load_dataset(sample(), actor=officer)

    assert table_counts() == before


@pytest.mark.django_db
def test_a_json_file_loads_by_path_and_as_a_file_object(tmp_path):
    path = tmp_path / "kim-bang.json"
    path.write_text(json.dumps(sample(), ensure_ascii=False), encoding="utf-8")

    report = load_dataset(path, actor=SYSTEM)

    assert report.counts["people"] == 3
    assert len(report.sha256) == 64
    assert AuditEntry.objects.get().target_id == report.sha256

    data = sample()
    for section in ("units", "people"):
        for row in data[section]:
            row["code"] += "-2"
    for row in data["unit_versions"]:
        row["unit"] += "-2"
        if "parent" in row:
            row["parent"] += "-2"
    for row in data["people"]:
        row.pop("citizen_id", None)
    stream = io.BytesIO(json.dumps({k: data[k] for k in ("format", "version", "units",
                                    "unit_versions", "people")}).encode())  # fmt: skip
    assert load_dataset(stream, fmt="json", actor=SYSTEM).counts["units"] == 5
    assert Unit.objects.filter(code__endswith="-2").count() == 5


@pytest.mark.django_db
def test_sections_may_come_in_any_order_and_a_bom_is_ignored(tmp_path):
    data = sample()
    reordered = {"people": data["people"], **{k: v for k, v in data.items() if k != "people"}}
    reordered = dict(reversed(list(reordered.items())))
    path = tmp_path / "d.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(reordered).encode())

    assert load_dataset(path, actor=SYSTEM).total == 35


@pytest.mark.django_db
def test_date_objects_in_a_dict_are_accepted():
    data = sample()
    data["people"][0]["birth_date"] = datetime.date(1980, 5, 1)

    load_dataset(data, actor=SYSTEM)

    assert Person.objects.get(code="P1").birth_date == datetime.date(1980, 5, 1)


@pytest.mark.django_db
def test_a_refused_dataset_writes_nothing():
    data = sample()
    data["awards"][0]["award_code"] = "XYZ"
    before = table_counts()

    problems = load_problems(data)

    assert problems == [
        "awards row 1, award_code: Unknown award code XYZ.",
    ]
    assert table_counts() == before


@pytest.mark.django_db
def test_progress_is_reported_by_phase():
    seen = []

    load_dataset(sample(), progress=lambda phase, rows: seen.append((phase, rows)), actor=SYSTEM)

    assert seen == [("read", 35), ("check", 35), ("write", 35)]


@pytest.mark.django_db
def test_broken_json_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "thidua-dataset", "version": 1, "units": [{"code": ')

    (problem,) = load_problems(path)

    assert problem.startswith("not valid JSON")


@pytest.mark.django_db
def test_a_missing_file_is_reported(tmp_path):
    (problem,) = load_problems(tmp_path / "nothing.json")

    assert "nothing.json" in problem


def _people(n: int) -> dict:
    data = sample()
    for i in range(n):
        data["people"].append(
            {"code": f"X{i}", "family_name": "Phạm", "given_name": f"Hà{i}", "gender": "F"}
        )
        data["employments"].append({"person": f"X{i}", "unit": "KB-TS", "start": "2019-01-01"})
        data["person_ratings"].append({"person": f"X{i}", "year": 2020, "level": "HTT"})
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("extra_people", [5, 50])
def test_the_query_count_does_not_grow_with_the_rows(django_assert_max_num_queries, extra_people):
    # Raw bulk inserts are not counted; PostgreSQL adds its constraint and COPY setup. The
    # ratings that cannot stand are looked for after writing: the people (1) and, per year
    # of ratings, their employments and absences (2 × 2 years here). The households' codes
    # (2 on PostgreSQL) and the open employments a transfer may end (1) are read once. The
    # staged sections (person ratings, awards: dataset/staging.py) each add a table made,
    # copied from and dropped; the ratings are also read back once for their warnings.
    with django_assert_max_num_queries(30):
        load_dataset(_people(extra_people), actor=SYSTEM)
    assert Person.objects.count() == 3 + extra_people


@pytest.mark.django_db
def test_a_rating_that_cannot_stand_is_loaded_with_a_warning():
    """docs/eligibility.md, "Ratings that cannot stand": absent 4 months and rated HTT."""
    data = sample()
    data["absences"] = data["absences"] + [
        {"person": "P2", "kind": "long_absence", "start": "2020-03-01", "end": "2020-07-01"}
    ]
    report = load_dataset(data, actor=SYSTEM)
    assert report.counts["person_ratings"] == 4
    (warning,) = report.warnings
    assert (warning.section, warning.field) == ("person_ratings", "level")
    assert "4" in warning.message


@pytest.mark.django_db
def test_a_rating_of_a_person_already_recorded_is_judged_with_the_database_history():
    """The rating's person comes from an earlier load: their employment is read back."""
    load_dataset(sample(), actor=SYSTEM)
    later = {
        "format": "thidua-dataset",
        "version": 1,
        "absences": [
            {"person": "P2", "kind": "long_absence", "start": "2022-03-01", "end": "2022-07-01"}
        ],
        "person_ratings": [
            {"person": "P2", "year": 2022, "level": "HTT"},
            {"person": "P1", "year": 2022, "level": "HTT"},
        ],
    }
    report = load_dataset(later, actor=SYSTEM)
    (warning,) = report.warnings
    assert (warning.section, warning.row, warning.field) == ("person_ratings", 1, "level")
