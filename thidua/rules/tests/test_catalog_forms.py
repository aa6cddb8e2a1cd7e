"""The whole catalog: every title and form of the Law is there, loads, can be recorded, has
the bonus coefficient docs/legal/money.md gives on each date (and none it does not give),
is judged by the council where no criteria were read, and the catalog page lists it by its
Vietnamese name."""

import datetime
import html
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from thidua.accounts.system import SYSTEM
from thidua.org.models import Household
from thidua.records import services as records
from thidua.records.choices import CommendationType
from thidua.records.models import Award
from thidua.rules.catalog import DATA_DIR, get_catalog
from thidua.rules.definitions import get_definitions
from thidua.rules.engine import run
from thidua.rules.money import bonus
from thidua.rules.tests.factories import make_person, make_unit

LEGAL = Path(__file__).resolve().parents[3] / "docs" / "legal"

# The Law's titles (Điều 19, 20) and forms (Điều 9 and the chapters that list the orders,
# medals and honour titles), as docs/legal/titles.md and forms.md list them.
TITLES = {
    "LDTT", "CSTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ",
    "TTLDTT", "DV_TIEN_TIEN", "TTLDXS", "DV_QUYET_THANG", "CO_TD_TINH", "CO_TD_QK", "CO_TD_CP",
    "XA_TIEU_BIEU", "THON_VAN_HOA", "GD_VAN_HOA", "CSTD_BO", "CO_TD_BO",
}  # fmt: skip
ORDERS = {
    "HC_SAO_VANG", "HC_HCM", "HCDL_1", "HCDL_2", "HCDL_3", "HCQC_1", "HCQC_2", "HCQC_3",
    "HCLD_1", "HCLD_2", "HCLD_3", "HCBVTQ_1", "HCBVTQ_2", "HCBVTQ_3", "HCCC_1", "HCCC_2",
    "HCCC_3", "HC_DDKDT", "HC_DUNG_CAM", "HC_HUU_NGHI",
}  # fmt: skip
MEDALS = {"HUYC_QKQT", "HUYC_VANTQ", "HUYC_CSVV_1", "HUYC_CSVV_2", "HUYC_CSVV_3", "HUYC_HUU_NGHI"}
HONOURS = {
    "BA_ME_VNAH", "TINH_ANH_HUNG", "THANH_PHO_ANH_HUNG", "AH_LLVTND", "AHLD",
    "NGND", "NGUT", "TTND", "TTUT", "NSND", "NSUT", "NNND", "NNUT",
}  # fmt: skip
# Bằng khen, Giấy khen and commemorative medals: one code per conferring authority.
OTHER_FORMS = {
    "GT_HCM", "GT_NHA_NUOC", "KNC", "KNC_QH", "BK_TTG", "BK_BO", "BK_BAN_NGANH", "BK_TINH",
    "BK_QK", "GK", "GK_THU_TRUONG", "GK_HUYEN", "GK_XA", "GK_DN",
}  # fmt: skip
EVERY = TITLES | ORDERS | MEDALS | HONOURS | OTHER_FORMS

# docs/legal/money.md, as (code, subject) → coefficient before and from 1/7/2025 (Decree
# 152/2025). None: no amount is computed on that date.
PAY = {
    ("LDTT", "individual"): (0.3, 0.3),
    ("CSTT", "individual"): (0.3, 0.3),
    **{(gk, "individual"): (0.3, 0.3) for gk in ("GK", "GK_THU_TRUONG", "GK_HUYEN", "GK_XA")},
    **{(gk, "collective"): (0.6, 0.6) for gk in ("GK", "GK_THU_TRUONG", "GK_HUYEN", "GK_XA")},
    ("GK_DN", "individual"): (0.3, 0.3),
    ("GK_DN", "collective"): (0.6, 0.6),
    ("TTLDTT", "collective"): (0.8, 0.8),
    ("DV_TIEN_TIEN", "collective"): (0.8, 0.8),
    ("CSTDCS", "individual"): (1.0, 1.0),
    **{(bk, "individual"): (None, 1.5) for bk in ("BK_TINH", "BK_BO", "BK_BAN_NGANH")},
    ("TTLDXS", "collective"): (1.5, 1.5),
    ("DV_QUYET_THANG", "collective"): (1.5, 1.5),
    ("THON_VAN_HOA", "collective"): (None, 1.5),
    ("XA_TIEU_BIEU", "collective"): (None, 2.0),
    ("CSTD_TINH", "individual"): (3.0, 3.0),
    **{(bk, "collective"): (None, 3.0) for bk in ("BK_TINH", "BK_BO", "BK_BAN_NGANH")},
    ("BK_QK", "collective"): (None, 2.0),
    ("CSTD_BO", "individual"): (None, 3.0),
    ("CO_TD_BO", "collective"): (None, 8.0),
    ("BK_TTG", "individual"): (None, 3.5),
    ("CSTD_TQ", "individual"): (4.5, 4.5),
    ("CO_TD_QK", "collective"): (None, 6.0),
    ("BK_TTG", "collective"): (None, 7.0),
    ("CO_TD_TINH", "collective"): (8.0, 8.0),
    ("HCLD_3", "individual"): (4.5, 4.5),
    ("HCLD_3", "collective"): (None, 9.0),
    ("HCLD_2", "individual"): (7.5, 7.5),
    ("HCLD_2", "collective"): (None, 15.0),
    ("HCLD_1", "individual"): (9.0, 9.0),
    ("HCLD_1", "collective"): (None, 18.0),
    ("CO_TD_CP", "collective"): (12.0, 12.0),
    ("AHLD", "individual"): (15.5, 15.5),
    ("AHLD", "collective"): (None, 31.0),
    ("AH_LLVTND", "individual"): (15.5, 15.5),
    ("AH_LLVTND", "collective"): (None, 31.0),
    ("HCDL_3", "individual"): (10.5, 10.5),
    ("HCDL_2", "individual"): (12.5, 12.5),
    ("HCDL_2", "collective"): (None, 25.0),
    ("HCDL_1", "individual"): (15.0, 15.0),
    ("HCDL_1", "collective"): (None, 30.0),
    ("HCQC_2", "collective"): (None, 25.0),
    ("HCQC_1", "collective"): (None, 30.0),
    ("HC_HCM", "individual"): (30.5, 30.5),
    ("HC_HCM", "collective"): (None, 61.0),
    ("HC_SAO_VANG", "individual"): (46.0, 46.0),
    ("HC_SAO_VANG", "collective"): (None, 92.0),
    ("BA_ME_VNAH", "individual"): (15.5, 15.5),
    **{(code, "individual"): (12.5, 12.5) for code in ("NGND", "TTND", "NSND", "NNND")},
    **{(code, "individual"): (9.0, 9.0) for code in ("NGUT", "TTUT", "NSUT", "NNUT")},
}
DAYS = {
    0: [datetime.date(2020, 6, 1), datetime.date(2024, 3, 1), datetime.date(2025, 6, 30)],
    1: [datetime.date(2025, 7, 1), datetime.date(2026, 7, 1), datetime.date(2027, 1, 1)],
}


def test_every_title_and_form_of_the_law_is_in_the_catalog():
    catalog = get_catalog()

    assert set(catalog) == EVERY
    assert {c for c, e in catalog.items() if e.kind == "title"} == TITLES
    for entry in catalog.values():
        assert entry.name_vi.strip() and entry.name_en.strip() and entry.subjects
        assert re.search(r"[ạ-ỹđĐà-ú]", entry.name_vi, re.IGNORECASE), entry.code


def test_the_legal_notes_name_every_catalog_code():
    notes = (LEGAL / "titles.md").read_text(encoding="utf-8")
    notes += (LEGAL / "forms.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", notes))

    assert not EVERY - named


def test_recipient_kinds():
    catalog = get_catalog()

    assert catalog["GD_VAN_HOA"].subjects == {"household"}
    assert {"individual", "collective", "household"} == catalog["GK"].subjects
    assert catalog["KNC"].subjects == {"individual"}
    assert catalog["TINH_ANH_HUNG"].subjects == {"collective"}
    assert catalog["THANH_PHO_ANH_HUNG"].subjects == {"collective"}
    assert catalog["HC_DUNG_CAM"].default_type == "dot_xuat"
    assert catalog["HUYC_CSVV_3"].default_type == "nien_han"
    assert catalog["HC_HUU_NGHI"].default_type == "doi_ngoai"


def test_the_catalog_loads_every_file():
    get_catalog.cache_clear()
    get_definitions.cache_clear()
    definitions = get_definitions()
    assert len(definitions.awards) == len(list(DATA_DIR.glob("*.toml")))


@pytest.mark.parametrize("after", [0, 1], ids=["before 1/7/2025", "from 1/7/2025"])
def test_every_coefficient_matches_the_legal_notes_by_date(after):
    awards = get_definitions().awards
    wrong = []
    for code, award in awards.items():
        for subject in award.entry.subjects:
            expected = PAY.get((code, subject), (None, None))[after]
            for day in DAYS[after]:
                found = award.coefficient_on(day, subject)
                value = found.value if found else None
                if value != expected:
                    wrong.append(f"{code}/{subject} on {day:%d/%m/%Y}: {value} ≠ {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("code", "subject", "day", "amount"),
    [
        ("HC_SAO_VANG", "collective", datetime.date(2026, 7, 1), 232_760_000),
        ("HC_HCM", "individual", datetime.date(2025, 8, 1), 71_370_000),
        ("HCQC_2", "collective", datetime.date(2026, 7, 1), 63_250_000),
        ("NGUT", "individual", datetime.date(2026, 7, 1), 22_770_000),
        ("CSTT", "individual", datetime.date(2026, 7, 1), 760_000),
        ("CO_TD_QK", "collective", datetime.date(2025, 8, 1), 14_040_000),
    ],
)
def test_new_forms_are_paid_as_the_notes_say(code, subject, day, amount):
    assert bonus(code, subject, day).amount == amount


def test_no_amount_is_computed_for_a_ceiling_or_an_unread_coefficient():
    day = datetime.date(2026, 7, 1)
    assert bonus("KNC", "individual", day) is None
    assert bonus("KNC_QH", "individual", day) is None
    assert bonus("BK_QK", "individual", day) is None
    assert bonus("HCQC_3", "individual", day) is None
    assert bonus("HUYC_CSVV_1", "individual", day) is None


@pytest.mark.django_db
def test_every_form_can_be_recorded_for_its_recipients():
    authority = make_unit({"kind": "province"})
    unit = make_unit(parent=authority)
    person = make_person(unit)
    household = Household.objects.create(code="HO-1", name="Hộ ông Nguyễn Văn A", commune=unit)
    recipients = {"individual": person, "collective": unit, "household": household}
    field = {"individual": "person", "collective": "unit", "household": "household"}
    recorded = {}
    for code, entry in sorted(get_catalog().items()):
        for subject in sorted(entry.subjects):
            records.record_award(
                **{field[subject]: recipients[subject]},
                award_code=code,
                commendation_type=entry.default_type,
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 12, 31),
                decision_number=f"{sum(map(len, recorded.values())) + 1}/QĐ-CTN",
                decision_date=datetime.date(2026, 2, 1),
                authority=authority,
                actor=SYSTEM,
            )
            recorded.setdefault(code, set()).add(subject)

    assert set(recorded) == EVERY
    assert all(recorded[c] == get_catalog()[c].subjects for c in EVERY)
    assert set(Award.objects.filter(household=household).values_list("award_code", flat=True)) == {
        c for c, e in get_catalog().items() if "household" in e.subjects
    }
    assert CommendationType.NIEN_HAN in {get_catalog()[c].default_type for c in recorded}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code", ["HC_SAO_VANG", "NGUT", "KNC", "KNC_QH", "BK_QK", "HUYC_CSVV_1", "GT_HCM"]
)
def test_a_form_without_read_criteria_is_left_to_the_council(code):
    unit = make_unit()
    person = make_person(unit, {"ratings": {2025: "HTXS"}})

    with translation.override("vi"):
        (result,) = run(2025, people=[person], award_codes=[code], subjects=("individual",)).results
        criteria = result.criteria
        explained = " ".join(c.explanation for c in criteria)

    assert result.verdict == "needs_attestation" and result.attest_only
    assert "chưa được mã hóa" in explained and "Hội đồng" in explained
    assert all(c.confidence == "UNVERIFIED" for c in criteria if c.id == "standard")


@pytest.mark.django_db
def test_chien_si_tien_tien_has_the_criteria_of_lao_dong_tien_tien():
    unit = make_unit()
    good = make_person(unit, {"ratings": {2025: "HTT"}})
    weak = make_person(unit, {"ratings": {2025: "HT"}})

    results = {
        r.subject_id: r.verdict
        for r in run(
            2025, people=[good, weak], award_codes=["CSTT"], subjects=("individual",)
        ).results
    }

    assert results == {good.pk: "needs_attestation", weak.pk: "not_eligible"}


@pytest.mark.django_db
def test_don_vi_quyet_thang_checks_the_unit_rating():
    excellent = make_unit({"ratings": {2025: "HTXS"}})
    good = make_unit({"ratings": {2025: "HTT"}})

    results = {
        r.subject_id: r.verdict
        for r in run(
            2025, units=[excellent, good], award_codes=["DV_QUYET_THANG"], subjects=("collective",)
        ).results
    }

    assert results == {excellent.pk: "needs_attestation", good.pk: "not_eligible"}


@pytest.mark.django_db
def test_the_catalog_page_lists_every_title_and_form_by_its_vietnamese_name(client, users):
    client.force_login(users["no_role"])

    with translation.override("vi"):
        page = html.unescape(
            client.get(reverse("rules:catalog"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        )

    missing = [e.name_vi for e in get_catalog().values() if e.name_vi not in page]
    assert not missing
