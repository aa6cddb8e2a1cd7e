"""The emulation part of the Kim Bảng demo world (seed-world.md), loaded after the
organisation demo (`thidua.interchange.demo.load_demo`).

- 2020: Hà Nam's regular movement, its block of the six district-level units
  ("Khối thi đua các huyện, thành phố") organised by the province, the covenant with
  its criteria, bonus and penalty items, signed by every member; self-scores with
  evidence and cross-scores from every other member; the results published, Kim Bảng
  recorded as leading. Kim Bảng's first place is computed from the scores by the
  ranking, never entered: the scores are drawn from a fixed seed around a "quality" per
  district, and Kim Bảng earns the bonus of its Hero of Labour title (13/11/2020).
- 2021: the acts of the conference of 12/01/2021: the province's and the district's 2021
  movements, the 2021 block with its leader and deputy named by decision (as the
  rotation suggests from 2020), and the 2021 covenant signed by every member.

Decision numbers are plausible, not quoted; the names of signers are invented.
Everything goes through the verbs of `thidua.emulation.services`, as the system.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.system import SYSTEM
from thidua.emulation import selectors, services
from thidua.emulation.choices import GroupKind, MovementKind, ReviewKind, ScoreKind
from thidua.emulation.models import Block, Registration, Score, Signature
from thidua.emulation.services import CriterionSpec, GroupSpec, ScoreEntry
from thidua.org.models import Unit

D = datetime.date
BLOCK_CODE = "HNA-KHOI-HUYEN"
BLOCK_NAME = "Khối thi đua các huyện, thành phố"
MEMBERS = ["PL", "DT", "KB", "TL", "BL", "LN"]
SEED = 2020

# How well each district did in 2020 (share of the points its peers give it, before a
# small per-scorer and per-criterion spread); Kim Bảng did best.
QUALITY = {"KB": 0.95, "PL": 0.92, "DT": 0.91, "TL": 0.88, "LN": 0.86, "BL": 0.85}

SIGNERS = {
    "PL": ("Trần Văn Bình", "Chủ tịch UBND thành phố"),
    "DT": ("Lê Đức Thắng", "Chủ tịch UBND thị xã"),
    "KB": ("Nguyễn Văn Hải", "Chủ tịch UBND huyện"),
    "TL": ("Phạm Minh Tuấn", "Chủ tịch UBND huyện"),
    "BL": ("Đỗ Quang Trung", "Chủ tịch UBND huyện"),
    "LN": ("Vũ Thị Hồng", "Chủ tịch UBND huyện"),
}

# Evidence Kim Bảng gave with its self-score: the figures of the seed.
KB_EVIDENCE = {
    "1.1": "Giá trị sản xuất công nghiệp - tiểu thủ công nghiệp tăng 22% so với cùng kỳ.",
    "1.2": "Tổng thu ngân sách trên địa bàn 1.386 tỷ đồng, đạt 235% dự toán tỉnh giao, "
    "202% dự toán địa phương.",
    "1.3": "Tổng vốn đầu tư phát triển toàn xã hội tăng so với năm 2019.",
    "1.5": "Hoàn thành 157/157 nhiệm vụ tỉnh giao.",
    "3.1": "100% cơ quan, đơn vị trực thuộc xếp loại hoàn thành tốt nhiệm vụ trở lên.",
    "5.1": "Danh hiệu Anh hùng Lao động thời kỳ đổi mới (Quyết định số 2015/QĐ-CTN ngày "
    "13/11/2020 của Chủ tịch nước).",
}


def covenant_criteria() -> list[GroupSpec]:
    """The 2020 and 2021 covenants' criteria: 100 points, a bonus of at most 5 and
    deductions of at most 10."""
    return [
        GroupSpec(
            "I",
            "Thực hiện nhiệm vụ chính trị, phát triển kinh tế - xã hội",
            criteria=[
                CriterionSpec(
                    "1.1",
                    "Tốc độ tăng giá trị sản xuất công nghiệp - tiểu thủ công nghiệp",
                    10,
                    "Đạt kế hoạch: 8 điểm; vượt kế hoạch: cộng đến 10 điểm.",
                ),
                CriterionSpec(
                    "1.2",
                    "Thu ngân sách nhà nước so với dự toán tỉnh giao",
                    10,
                    "Đạt dự toán: 8 điểm; vượt từ 20% trở lên: 10 điểm.",
                ),
                CriterionSpec("1.3", "Tổng vốn đầu tư phát triển toàn xã hội", 5),
                CriterionSpec(
                    "1.4", "Xây dựng nông thôn mới, nông thôn mới nâng cao, kiểu mẫu", 10
                ),
                CriterionSpec(
                    "1.5",
                    "Hoàn thành các nhiệm vụ UBND tỉnh giao",
                    5,
                    "Trừ 1 điểm cho mỗi nhiệm vụ chậm tiến độ.",
                ),
            ],
        ),
        GroupSpec(
            "II",
            "Văn hóa - xã hội, quốc phòng - an ninh",
            criteria=[
                CriterionSpec("2.1", "Giáo dục, y tế, giảm nghèo, bảo đảm an sinh xã hội", 10),
                CriterionSpec("2.2", "Quốc phòng, an ninh, trật tự an toàn xã hội", 10),
            ],
        ),
        GroupSpec(
            "III",
            "Xây dựng Đảng, chính quyền",
            criteria=[
                CriterionSpec(
                    "3.1",
                    "Cải cách hành chính; kết quả xếp loại các cơ quan, đơn vị trực thuộc",
                    10,
                ),
                CriterionSpec("3.2", "Xây dựng Đảng; phòng, chống tham nhũng, lãng phí", 10),
            ],
        ),
        GroupSpec(
            "IV",
            "Phong trào thi đua, công tác khen thưởng",
            criteria=[
                CriterionSpec("4.1", "Phát động, tổ chức các phong trào thi đua", 10),
                CriterionSpec("4.2", "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 5),
                CriterionSpec("4.3", "Khen thưởng kịp thời, đúng quy định", 5),
            ],
        ),
        GroupSpec(
            "V",
            "Điểm thưởng",
            kind=GroupKind.BONUS,
            cap=5,
            criteria=[
                CriterionSpec(
                    "5.1", "Được Chủ tịch nước, Thủ tướng Chính phủ khen thưởng trong năm", 3
                ),
                CriterionSpec("5.2", "Mô hình mới, cách làm hay được tỉnh nhân rộng", 2),
            ],
        ),
        GroupSpec(
            "VI",
            "Điểm trừ",
            kind=GroupKind.PENALTY,
            cap=10,
            criteria=[
                CriterionSpec("6.1", "Chậm gửi báo cáo, hồ sơ thi đua, khen thưởng", 2),
                CriterionSpec("6.2", "Tập thể, cá nhân vi phạm pháp luật, bị xử lý kỷ luật", 5),
                CriterionSpec("6.3", "Để xảy ra điểm nóng về an ninh, trật tự", 3),
            ],
        ),
    ]


# Bonus and penalty items the members agreed on (everyone gives them alike).
BONUS = {"KB": {"5.1": 3, "5.2": 1}, "PL": {"5.2": 2}, "DT": {"5.2": 1}}
PENALTIES = {"BL": {"6.1": -1}, "LN": {"6.2": -2}, "TL": {"6.1": -0.5}}


def _half_points(value: float) -> Decimal:
    """Points in half-point steps, as a scorer writes them."""
    return (Decimal(repr(value)) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def sheet_points(rng: random.Random, covenant, target: str, *, own: bool) -> dict[str, Decimal]:
    """The points one scorer gives `target` on each criterion."""
    points = {}
    lean = 0.02 if own else rng.uniform(-0.02, 0.02)  # units are a little kind to themselves
    for criterion in covenant.criteria.select_related("group").order_by("code"):
        kind = criterion.group.kind
        if kind == GroupKind.BASE:
            share = min(1.0, max(0.5, QUALITY[target] + lean + rng.uniform(-0.04, 0.04)))
            points[criterion.code] = _half_points(float(criterion.max_points) * share)
        elif kind == GroupKind.BONUS:
            points[criterion.code] = Decimal(repr(BONUS.get(target, {}).get(criterion.code, 0)))
        else:
            points[criterion.code] = Decimal(repr(PENALTIES.get(target, {}).get(criterion.code, 0)))
    return points


@transaction.atomic
def load_emulation_demo() -> dict[str, int]:
    """Create the 2020 and 2021 emulation work of the demo (see the module docstring).
    Needs the organisation demo's units (HNA and its six district-level units); a second
    call finds the 2020 block and changes nothing. Returns row counts."""
    if Block.objects.filter(code=BLOCK_CODE, year=2020).exists():
        return demo_counts()
    units = Unit.objects.in_bulk(["HNA", *MEMBERS], field_name="code")
    missing = sorted({"HNA", *MEMBERS} - set(units))
    if missing:
        raise LookupError(
            _("The emulation demo needs the organisation demo first; missing units: %(codes)s")
            % {"codes": ", ".join(missing)}
        )
    province = units["HNA"]
    members = [units[code] for code in MEMBERS]
    _year_2020(province, members, units)
    _year_2021(province, members, units)
    return demo_counts()


def _year_2020(province, members, units):
    movement = services.launch_movement(
        code="HNA-TD-2020",
        name="Phong trào thi đua yêu nước năm 2020",
        kind=MovementKind.REGULAR,
        year=2020,
        launched_by=province,
        decision_number="126/QĐ-UBND",
        decision_date=D(2020, 1, 20),
        signer="Chủ tịch UBND tỉnh",
        scope="Các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thị xã, thành phố.",
        subjects="Tập thể, cá nhân thuộc các cơ quan, đơn vị, địa phương trên địa bàn tỉnh.",
        goals="Thi đua hoàn thành thắng lợi các mục tiêu, nhiệm vụ phát triển kinh tế - xã "
        "hội năm 2020, lập thành tích chào mừng Đại hội Đảng bộ các cấp.",
        criteria="Hoàn thành vượt mức các chỉ tiêu kinh tế - xã hội; cải cách hành chính; "
        "xây dựng nông thôn mới; bảo đảm quốc phòng, an ninh.",
        period_start=D(2020, 1, 1),
        period_end=D(2020, 12, 31),
        registration_deadline=D(2020, 3, 31),
        actor=SYSTEM,
    )
    for i, unit in enumerate(members):
        services.register_title(
            movement, unit=unit, award_code="CO_TD_TINH", today=D(2020, 2, 24 + i % 5), actor=SYSTEM
        )
    services.register_title(
        movement, unit=units["KB"], award_code="CO_TD_CP", today=D(2020, 2, 26), actor=SYSTEM
    )
    services.record_movement_review(
        movement,
        kind=ReviewKind.INTERIM,
        held_on=D(2020, 7, 10),
        summary="Sơ kết 6 tháng đầu năm phong trào thi đua.",
        actor=SYSTEM,
    )
    block = services.create_block(
        code=BLOCK_CODE,
        year=2020,
        name=BLOCK_NAME,
        organiser=province,
        members=members,
        movement=movement,
        decision_number="85/QĐ-HĐTĐKT",
        decision_date=D(2020, 1, 15),
        actor=SYSTEM,
    )
    services.name_block_roles(
        block,
        leader=units["TL"],
        deputies=[units["KB"]],
        decision_number="86/QĐ-HĐTĐKT",
        decision_date=D(2020, 1, 15),
        actor=SYSTEM,
    )
    covenant = services.create_covenant(
        block,
        title="Giao ước thi đua năm 2020 của Khối thi đua các huyện, thành phố",
        number="01/GƯTĐ-KHTP",
        place="Hà Nam",
        signing_date=D(2020, 2, 20),
        groups=covenant_criteria(),
        trim_extremes=True,
        tie_breaks=["group:I", "penalty"],
        scoring_deadline=D(2020, 12, 10),
        actor=SYSTEM,
    )
    services.open_covenant(covenant, actor=SYSTEM)
    _sign(covenant, members, D(2020, 2, 20))
    rng = random.Random(SEED)
    day = D(2020, 12, 5)
    for target in members:
        for scorer in members:
            own = scorer.pk == target.pk
            points = sheet_points(rng, covenant, target.code, own=own)
            evidence = KB_EVIDENCE if own and target.code == "KB" else {}
            services.save_scores(
                covenant,
                scorer=scorer,
                target=target,
                kind=ScoreKind.SELF if own else ScoreKind.PEER,
                entries=[ScoreEntry(c, p, evidence.get(c, "")) for c, p in points.items()],
                today=day,
                actor=SYSTEM,
            )
    services.lock_scoring(covenant, actor=SYSTEM)
    services.publish_results(covenant, today=D(2020, 12, 18), actor=SYSTEM)
    services.record_movement_review(
        movement,
        kind=ReviewKind.FINAL,
        held_on=D(2021, 1, 12),
        summary="Tổng kết công tác thi đua, khen thưởng năm 2020.",
        actor=SYSTEM,
    )


def _sign(covenant, members, day):
    for unit in members:
        name, position = SIGNERS[unit.code]
        services.sign_covenant(
            covenant, unit, signer_name=name, signer_position=position, signed_on=day, actor=SYSTEM
        )


def _year_2021(province, members, units):
    movement = services.launch_movement(
        code="HNA-TD-2021",
        name="Phong trào thi đua yêu nước năm 2021",
        kind=MovementKind.REGULAR,
        year=2021,
        launched_by=province,
        decision_number="98/QĐ-UBND",
        decision_date=D(2021, 1, 8),
        signer="Chủ tịch UBND tỉnh",
        scope="Các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thị xã, thành phố.",
        subjects="Tập thể, cá nhân thuộc các cơ quan, đơn vị, địa phương trên địa bàn tỉnh.",
        goals="Thi đua thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XX và kế "
        "hoạch phát triển kinh tế - xã hội 5 năm 2021-2025.",
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
        registration_deadline=D(2021, 3, 31),
        actor=SYSTEM,
    )
    services.launch_movement(
        code="KB-TD-2021",
        name="Phong trào thi đua năm 2021 của huyện Kim Bảng",
        kind=MovementKind.REGULAR,
        year=2021,
        launched_by=units["KB"],
        decision_number="45/QĐ-UBND",
        decision_date=D(2021, 1, 12),
        signer="Chủ tịch UBND huyện",
        scope="Các cơ quan, đơn vị, xã, thị trấn thuộc huyện.",
        subjects="Tập thể, cá nhân trên địa bàn huyện.",
        goals="Xây dựng nông thôn mới kiểu mẫu; hoàn thành quy hoạch phân khu Khu du lịch Tam "
        "Chúc; đạt tiêu chí đô thị loại IV trước năm 2023, trở thành thị xã trước năm 2025.",
        period_start=D(2021, 1, 1),
        period_end=D(2021, 12, 31),
        registration_deadline=D(2021, 3, 15),
        actor=SYSTEM,
    )
    block = services.create_block(
        code=BLOCK_CODE,
        year=2021,
        name=BLOCK_NAME,
        organiser=province,
        members=members,
        movement=movement,
        decision_number="12/QĐ-HĐTĐKT",
        decision_date=D(2021, 1, 8),
        actor=SYSTEM,
    )
    suggestion = selectors.suggest_rotation(block)
    services.name_block_roles(
        block,
        leader=suggestion.leader,
        deputies=[suggestion.deputy],
        decision_number="13/QĐ-HĐTĐKT",
        decision_date=D(2021, 1, 8),
        actor=SYSTEM,
    )
    covenant = services.create_covenant(
        block,
        title="Giao ước thi đua năm 2021 của Khối thi đua các huyện, thành phố",
        number="01/GƯTĐ-KHTP",
        place="Hà Nam",
        signing_date=D(2021, 1, 12),
        groups=covenant_criteria(),
        trim_extremes=True,
        tie_breaks=["group:I", "penalty"],
        scoring_deadline=D(2021, 12, 10),
        actor=SYSTEM,
    )
    services.open_covenant(covenant, actor=SYSTEM)
    _sign(covenant, members, D(2021, 1, 12))
    for unit in members:
        services.register_title(
            movement, unit=unit, award_code="CO_TD_TINH", today=D(2021, 1, 12), actor=SYSTEM
        )


def demo_counts() -> dict[str, int]:
    return {
        "blocks": Block.objects.count(),
        "signatures": Signature.objects.count(),
        "scores": Score.objects.count(),
        "registrations": Registration.objects.count(),
    }
