"""Form 0603.N, "Số lượng khen thưởng cấp bộ, ban, ngành, đoàn thể Trung ương và tỉnh,
thành phố trực thuộc Trung ương": the awards a minister or a province's chairman confers,
decided in the period for the units counted and their people.

Columns (as the form annexed to Circular 02/2023/TT-BNV): the total, then certificates of
merit, ministry/province emulation soldiers, ministry/province emulation flags, and badges
(kỷ niệm chương). Which catalog entries fall in each comes from the catalog: an entry the
minister or the province's chairman confers (and not the President or the Prime Minister),
by the start of its name. Rows: by recipient (collectives, of which enterprises;
households; individuals by the class of their post) and by commendation method.

The class of an individual's post is read from the position of their employment on the
decision date and the kind of its unit — an approximation docs/statistics.md explains.
"""

import datetime
import re

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from thidua.awards.catalog import get_catalog
from thidua.org.choices import UnitKind
from thidua.org.models import Employment, Unit
from thidua.records.choices import CommendationType
from thidua.reports.statistics.common import Row, Statistics, code, valid_awards
from thidua.vietnamese import fold

MINISTRY_TIERS = {"minister", "province_chairman"}
STATE_TIERS = {"president", "prime_minister"}
# (column, the start of the catalog names it takes)
COLUMNS = (
    ("merit", ("Bằng khen",)),
    ("soldier", ("Chiến sĩ thi đua",)),
    ("flag", ("Cờ thi đua",)),
    ("badge", ("Kỷ niệm chương", "Huy hiệu")),
)
LEADER = re.compile(r"\b(truong|pho|giam doc|chu tich|bi thu|chanh|thu truong|tong giam doc)\b")
OFFICER_CLASSES = ("top_leader", "department_leader", "business", "other_leader", "direct")


def column_of_codes() -> dict[str, str]:
    """Catalog code → the form's column, for the entries on this form."""
    out = {}
    for entry in get_catalog().values():
        tiers = {t for rule in entry.extra.get("authority", ()) for t in rule.get("tiers", ())}
        if not tiers & MINISTRY_TIERS or tiers & STATE_TIERS:
            continue
        for column, prefixes in COLUMNS:
            if entry.name_vi.startswith(prefixes):
                out[entry.code] = column
    return out


def officer_class(position: str, unit_kind: str | None) -> str:
    """The form's class of an individual from their post: a leader (head or deputy) of a
    province or central body; of a department or district; a business person (a leader of
    an enterprise); another leader (head or deputy of a division and up); else one who
    works directly (công nhân, nông dân, người lao động trực tiếp)."""
    if not LEADER.search(fold(position or "")):
        return "direct"
    if unit_kind in (UnitKind.CENTRAL, UnitKind.PROVINCE):
        return "top_leader"
    if unit_kind in (UnitKind.DEPARTMENT, UnitKind.DISTRICT):
        return "department_leader"
    if unit_kind == UnitKind.ENTERPRISE:
        return "business"
    return "other_leader"


def columns() -> list[tuple[str, str]]:
    return [
        ("total", _("Total")),
        ("merit", _("Certificates of merit")),
        ("soldier", _("Emulation soldiers of a ministry or province")),
        ("flag", _("Emulation flags of a ministry, central body or province")),
        ("badge", _("Badges (kỷ niệm chương) of a ministry, central body or province")),
    ]


def recipient_rows(ids, start, end, codes, keys, column_of) -> list[Row]:
    """The rows of 0602.N and 0603.N: the valid awards of `codes` decided from `start` to
    `end` for the units `ids` (their people, their households), counted by recipient
    (collectives, of which enterprises; households; individuals by the class of their
    post) and by commendation method, each in the column `column_of(award code, given to a
    person)` and in "total"."""
    post = Employment.objects.filter(
        person_id=OuterRef("person_id"), start__lte=OuterRef("decision_date")
    ).filter(Q(end__isnull=True) | Q(end__gt=OuterRef("decision_date")))
    awards = (
        valid_awards(ids, start, end, households=True)
        .filter(award_code__in=list(codes))
        .annotate(
            position=Subquery(post.order_by("-start").values("position")[:1]),
            post_kind=Subquery(post.order_by("-start").values("unit__kind")[:1]),
        )
        .values_list("award_code", "person_id", "unit_id", "unit__kind",
                     "commendation_type", "position", "post_kind")
    )  # fmt: skip
    tally: dict[str, dict[str, int]] = {}

    def count(line: str, column: str) -> None:
        counts = tally.setdefault(line, dict.fromkeys(keys, 0))
        counts["total"] += 1
        counts[column] += 1

    for award_code, person_id, unit_id, unit_kind, kind, position, post_kind in awards:
        column = column_of(award_code, person_id is not None)
        count("all", column)
        count(kind, column)
        if person_id is None and unit_id is None:
            count("household", column)
        elif person_id is None:
            count("collective", column)
            if unit_kind == UnitKind.ENTERPRISE:
                count("enterprise", column)
        else:
            count("individual", column)
            count(officer_class(position, post_kind), column)

    def line(n, key, label, measure, level=1) -> Row:
        return Row(code(n), label, tally.get(key, dict.fromkeys(keys, 0)), level, measure)

    collective, enterprise = _("Collective"), _("Enterprise")
    household, person = _("Household"), _("Person")
    rows = [
        line(1, "all", _("Total"), "", level=0),
        Row("", _("1. By recipient"), None),
        line(2, "collective", _("Collectives"), collective),
        line(3, "enterprise", _("of which: enterprises"), enterprise, level=2),
        line(4, "household", _("Households"), household),
        line(5, "individual", _("Individuals"), person),
        line(6, "top_leader", _("Leaders of a ministry or province and equivalent, and above"), person, 2),
        line(7, "department_leader", _("Leaders of a department, office or sector and equivalent"), person, 2),
        line(8, "business", _("Business people"), person, 2),
        line(9, "other_leader", _("Other leaders, from deputy head of division up"), person, 2),
        line(10, "direct", _("People working, producing, studying or fighting directly (workers, farmers, …)"), person, 2),
        Row("", _("2. By commendation method"), None),
        line(11, CommendationType.CONG_TRANG, _("Regular"), ""),
        line(12, CommendationType.CHUYEN_DE, _("Thematic"), ""),
        line(13, CommendationType.DOT_XUAT, _("Sudden achievement"), ""),
        line(14, CommendationType.DOI_NGOAI, _("Foreign relations"), ""),
        line(15, CommendationType.CONG_HIEN, _("Dedication"), ""),
        line(16, CommendationType.NIEN_HAN, _("Length of service"), ""),
        line(17, "resistance", _("Resistance"), ""),
    ]  # fmt: skip
    return rows


def build_0603(ids: list[int], unit: Unit, start: datetime.date, end: datetime.date) -> Statistics:
    """Form 0603.N for the units `ids`, for awards decided from `start` to `end`."""
    by_code = column_of_codes()
    keys = [key for key, _label in columns()]
    rows = recipient_rows(
        ids, start, end, by_code, keys, lambda award_code, _person: by_code[award_code]
    )
    return Statistics(
        form="0603",
        title=_("Number of commendations of ministries, central bodies and provinces"),
        code_label="Biểu số 0603.N/BNV-TĐKT",
        unit=unit,
        start=start,
        end=end,
        columns=columns(),
        rows=rows,
        groups=[(_("Of which"), "merit", "badge")],
        number_heading=_("Code"),
    )
