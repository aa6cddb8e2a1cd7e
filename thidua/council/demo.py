"""The council part of the Kim Bảng demo world, loaded after the proposals
(`thidua.interchange.demo.load.build_demo`):

- 2020: the emulation and commendation council of Hà Nam province (term 2020–2025; nine
  members: the chairman of the People's Committee chairs it, the Department of Home
  Affairs is the standing body, the head of its emulation division the secretary) meets
  on 5/1/2021 over Kim Bảng's dossier, ready for the council. Every member is present;
  `hoidong`, who sits on it for Kim Bảng, is recused from Kim Bảng's nominees (a conflict
  of interest the system finds); the eight others vote in secret and the poll is closed,
  so each nominee carries the council's outcome that the decisions read.
- 2026: the council of Ninh Bình province (term 2026–2030), `hoidong` among its members,
  has a meeting in preparation for the 2026 round, not yet open.

The members who have no demo login get one (the demo password); everything else goes
through `thidua.council.services`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thidua.council import services
from thidua.council.choices import Function
from thidua.org.models import Unit

D = datetime.date
HA_NAM = [
    ("hd_chutich", "Nguyễn Xuân Đông", Function.CHAIR, "Chủ tịch UBND tỉnh"),
    ("hd_phochutich", "Trương Quốc Huy", Function.DEPUTY, "Phó Chủ tịch UBND tỉnh"),
    ("hd_giamdoc", "Trần Thị Hoa", Function.DEPUTY, "Giám đốc Sở Nội vụ"),
    ("hd_thuongtruc", "Lê Văn Thành", Function.STANDING, "Phó Giám đốc Sở Nội vụ"),
    ("hd_thuky", "Phạm Thị Lan", Function.SECRETARY, "Trưởng Ban Thi đua - Khen thưởng"),
    ("hd_ldld", "Đỗ Văn Minh", Function.MEMBER, "Chủ tịch Liên đoàn Lao động tỉnh"),
    ("hd_mttq", "Vũ Thị Hằng", Function.MEMBER, "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
    ("hd_tuyengiao", "Hoàng Văn Nam", Function.MEMBER, "Trưởng Ban Tuyên giáo Tỉnh ủy"),
]


def _user(username: str, password: str):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username)
        user.password = password
        user.save()
    return user


def load_council_demo(demo_password: str) -> dict[str, int]:
    """Both councils and their meetings; returns the number of agenda items per year.
    New logins get `demo_password` (the demo's, passed in by the loader above)."""
    admin = get_user_model().objects.filter(username="admin").first()
    password = make_password(demo_password)
    counts = {2020: _ha_nam_2020(admin, password)}
    counts[2026] = _ninh_binh_2026(admin, password)
    return counts


def _ha_nam_2020(admin, password) -> int:
    province, kb = Unit.objects.get(code="HNA"), Unit.objects.get(code="KB")
    council = services.create_council(
        province, name="Hội đồng Thi đua - Khen thưởng tỉnh Hà Nam", term_start=2020,
        term_end=2025, actor=admin,
    )  # fmt: skip
    for username, name, function, position in HA_NAM:
        services.add_member(
            council, user=_user(username, password), full_name=name, function=function,
            position=position, actor=admin,
        )  # fmt: skip
    hoidong = get_user_model().objects.get(username="hoidong")
    services.add_member(
        council, user=hoidong, full_name="Nguyễn Văn Hải", function=Function.MEMBER,
        position="Chủ tịch UBND huyện Kim Bảng", unit=kb, actor=admin,
    )  # fmt: skip
    meeting = services.create_meeting(
        council, title="Phiên họp xét khen thưởng thành tích năm 2020", year=2020,
        held_on=D(2021, 1, 5), place="Hà Nam, trụ sở UBND tỉnh", actor=admin,
    )  # fmt: skip
    members = list(council.members.order_by("id"))
    services.set_attendance(meeting, members, actor=admin)
    services.open_voting(meeting, actor=admin)
    items = list(meeting.items.values_list("pk", flat=True))
    for member in members:
        entitled = set(services.entitled_items(meeting, member).values_list("pk", flat=True))
        ballot = {pk: "yes" for pk in items if pk in entitled}
        if ballot:
            services.cast_votes(meeting, ballot, actor=member.user)
    closed_at = timezone.make_aware(datetime.datetime(2021, 1, 5, 16, 30))
    services.close_voting(meeting, actor=admin, now=closed_at)
    return len(items)


def _ninh_binh_2026(admin, password) -> int:
    province = Unit.objects.filter(code="NBI").first()
    if province is None:
        return 0
    council = services.create_council(
        province, name="Hội đồng Thi đua - Khen thưởng tỉnh Ninh Bình", term_start=2026,
        term_end=2030, actor=admin,
    )  # fmt: skip
    for username, name, function, position in HA_NAM[:4]:
        services.add_member(
            council, user=_user(username, password), full_name=name, function=function,
            position=position, actor=admin,
        )  # fmt: skip
    services.add_member(
        council, user=get_user_model().objects.get(username="hoidong"),
        full_name="Nguyễn Văn Hải", function=Function.SECRETARY,
        position="Trưởng Ban Thi đua - Khen thưởng", actor=admin,
    )  # fmt: skip
    meeting = services.create_meeting(
        council, title="Phiên họp xét khen thưởng thành tích năm 2026", year=2026,
        held_on=D(2027, 1, 8), place="Ninh Bình", actor=admin,
    )  # fmt: skip
    return meeting.items.count()
