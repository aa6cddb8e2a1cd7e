"""Households of the demo: four households of Phường Kim Bảng (formerly Thị trấn Quế and
Xã Đồng Hóa), each with its members, and their household award history — the ward's
"Gia đình văn hóa" titles for 2023–2025 and a Giấy khen of the ward's chairman for a
household that gave land to widen a village road. The 2026 draft dossier of the ward
proposes one of them for the provincial certificate of merit (`nominations.demo`).

Written through the verbs (`org.services.add_household`, `records.services.record_award`)
as the system actor, after the dataset and before the proposals."""

import datetime

from thidua.accounts.system import SYSTEM
from thidua.org import services as org
from thidua.org.models import Unit
from thidua.records import services as records

D = datetime.date
WARD = "NBI-KIMBANG"
# code, name, address, members (family, middle, given, gender; the head first)
HOUSEHOLDS = [
    (
        "HGD-KB-001",
        "Hộ ông Trần Văn Bình",
        "Tổ dân phố Quế Sơn, phường Kim Bảng",
        [("Trần", "Văn", "Bình", "M"), ("Lê", "Thị", "Hoa", "F")],
    ),
    (
        "HGD-KB-002",
        "Hộ bà Nguyễn Thị Lan",
        "Thôn Đồng Hóa, phường Kim Bảng",
        [("Nguyễn", "Thị", "Lan", "F"), ("Phạm", "Văn", "Tùng", "M")],
    ),
    (
        "HGD-KB-003",
        "Hộ ông Đỗ Văn Minh",
        "Tổ dân phố Quế Lâm, phường Kim Bảng",
        [("Đỗ", "Văn", "Minh", "M"), ("Vũ", "Thị", "Mai", "F")],
    ),
    (
        "HGD-KB-004",
        "Hộ ông Hoàng Văn Sơn",
        "Thôn Thịnh Đại, phường Kim Bảng",
        [("Hoàng", "Văn", "Sơn", "M")],
    ),
]
# household code → (award code, achievement year, decision number, decision date)
AWARDS = [
    *(
        (code, "GD_VAN_HOA", year, f"{number}/QĐ-UBND", D(year, 12, 20))
        for year, number in ((2023, 512), (2024, 498), (2025, 530))
        for code in ("HGD-KB-001", "HGD-KB-002", "HGD-KB-003")
    ),
    ("HGD-KB-004", "GD_VAN_HOA", 2025, "530/QĐ-UBND", D(2025, 12, 20)),
    ("HGD-KB-001", "GK", 2025, "541/QĐ-UBND", D(2025, 12, 26)),
]


def load_households_demo() -> dict[str, int]:
    """Create the households and their awards; returns the counts."""
    ward = Unit.objects.filter(code=WARD).first()
    if ward is None:
        return {"households": 0, "awards": 0}
    found = {}
    for code, name, address, members in HOUSEHOLDS:
        people = [
            org.add_person(
                actor=SYSTEM,
                unit=ward,
                code=f"{code}-{n}",
                family_name=family,
                middle_name=middle,
                given_name=given,
                gender=gender,
            )
            for n, (family, middle, given, gender) in enumerate(members, start=1)
        ]
        found[code] = org.add_household(
            code=code,
            name=name,
            address=address,
            commune=ward,
            members=people,
            head=people[0],
            actor=SYSTEM,
        )
    for code, award, year, number, day in AWARDS:
        records.record_award(
            household=found[code],
            actor=SYSTEM,
            award_code=award,
            commendation_type="cong_trang",
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
            decision_number=number,
            decision_date=day,
            authority=ward,
            signer="Nguyễn Văn Quang",
        )
    return {"households": len(found), "awards": len(AWARDS)}
