"""Test helpers for emulation: a province with six districts, a block of them, a covenant
with criteria, bonus and penalty groups, and quick ways to score."""

import datetime

from thidua.accounts.system import SYSTEM
from thidua.emulation import services
from thidua.emulation.choices import GroupKind, MovementKind, ScoreKind
from thidua.emulation.services import CriterionSpec, GroupSpec, ScoreEntry

D = datetime.date
YEAR = 2020
DEADLINE = D(2020, 12, 15)
DURING = D(2020, 6, 1)  # a day on which scoring is open
AFTER = D(2020, 12, 20)  # a day after the deadline

DISTRICTS = [
    ("PL", "Thành phố Phủ Lý"),
    ("DT", "Thị xã Duy Tiên"),
    ("KB", "Huyện Kim Bảng"),
    ("TL", "Huyện Thanh Liêm"),
    ("BL", "Huyện Bình Lục"),
    ("LN", "Huyện Lý Nhân"),
]


def criteria() -> list[GroupSpec]:
    """A: 10 + 20, B: 30 (60 points of criteria); C: bonus items of 3 each, capped at 5;
    D: penalty items of 3 and 4, capped at 5."""
    return [
        GroupSpec(
            "A",
            "Thực hiện nhiệm vụ chính trị",
            criteria=[
                CriterionSpec("A1", "Thu ngân sách", 10, "10 điểm khi đạt dự toán"),
                CriterionSpec("A2", "Giá trị sản xuất công nghiệp", 20),
            ],
        ),
        GroupSpec(
            "B",
            "Xây dựng Đảng, chính quyền",
            criteria=[CriterionSpec("B1", "Cải cách hành chính", 30)],
        ),
        GroupSpec(
            "C",
            "Điểm thưởng",
            kind=GroupKind.BONUS,
            cap=5,
            criteria=[
                CriterionSpec("C1", "Mô hình mới", 3),
                CriterionSpec("C2", "Khen thưởng cấp trên", 3),
            ],
        ),
        GroupSpec(
            "D",
            "Điểm trừ",
            kind=GroupKind.PENALTY,
            cap=5,
            criteria=[
                CriterionSpec("D1", "Chậm báo cáo", 3),
                CriterionSpec("D2", "Vi phạm kỷ luật", 4),
            ],
        ),
    ]


def make_movement(province, *, year=YEAR, actor=SYSTEM, **kwargs):
    """The province's regular movement of `year`, registrations open until 31/03."""
    fields = {
        "code": f"HNA-{year}",
        "name": f"Phong trào thi đua yêu nước năm {year}",
        "kind": MovementKind.REGULAR,
        "year": year,
        "decision_number": "15/QĐ-UBND",
        "decision_date": D(year, 1, 10),
        "period_start": D(year, 1, 1),
        "period_end": D(year, 12, 31),
        "registration_deadline": D(year, 3, 31),
    }
    return services.launch_movement(launched_by=province, actor=actor, **{**fields, **kwargs})


def make_block(province, members, *, year=YEAR, code="KHOI-HUYEN", actor=SYSTEM, **kwargs):
    return services.create_block(
        code=code,
        year=year,
        name="Khối thi đua các huyện, thành phố",
        organiser=province,
        members=members,
        actor=actor,
        **kwargs,
    )


def make_covenant(block, *, open_it=True, actor=SYSTEM, groups=None, **kwargs):
    kwargs.setdefault("scoring_deadline", DEADLINE.replace(year=block.year))
    covenant = services.create_covenant(
        block,
        title=f"Giao ước thi đua năm {block.year}",
        groups=groups or criteria(),
        actor=actor,
        **kwargs,
    )
    if open_it:
        covenant = services.open_covenant(covenant, actor=actor)
    return covenant


def score(covenant, scorer, target, points: dict, *, kind=None, actor=SYSTEM, today=DURING):
    """Write a sheet: `points` maps criterion code → points (or (points, evidence))."""
    if kind is None:
        kind = ScoreKind.SELF if scorer.pk == target.pk else ScoreKind.PEER
    entries = [
        ScoreEntry(code, *(value if isinstance(value, tuple) else (value,)))
        for code, value in points.items()
    ]
    return services.save_scores(
        covenant, scorer=scorer, target=target, kind=kind, entries=entries, actor=actor, today=today
    )


def full(a1, a2, b1, c1=0, c2=0, d1=0, d2=0) -> dict:
    return {"A1": a1, "A2": a2, "B1": b1, "C1": c1, "C2": c2, "D1": d1, "D2": d2}


def cross_score_all(covenant, units, quality: dict, *, today=DURING):
    """Every member scores every other member: `quality[code]` is the sheet every
    scorer gives that unit."""
    for scorer in units:
        for target in units:
            if scorer.pk != target.pk:
                score(covenant, scorer, target, quality[target.code], today=today)
