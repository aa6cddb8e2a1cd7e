"""The proposals part of the Kim Bảng demo world, loaded last by
`thidua.interchange.demo.load_demo`:

- 2020: the province of Hà Nam opens its annual round; Kim Bảng's dossier proposes
  exactly the provincial awards the demo history holds for Kim Bảng and its units and
  people that year — the provincial emulation flag, the excellent labour collectives
  (TTLĐXS) and the certificates of merit of the provincial People's Committee — and is
  carried, through the verbs, from submitted to ready for the council (the decisions of
  January 2021 in the history follow it). The officer `canbo` submits; `admin` acts for
  the province.
- 2026: Ninh Bình's annual round is open; Phường Kim Bảng's dossier is a draft with a few
  of its people and one of its households proposed for the certificate of merit.

Everything goes through `thidua.nominations.services`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q

from thidua.accounts.scope import subtree_ids
from thidua.documents.state import Header, StateDocument
from thidua.nominations import services
from thidua.nominations.choices import RoundKind, Source
from thidua.org.models import Employment, Household, Unit
from thidua.records.models import Award, PersonRating

D = datetime.date
AWARDS_2020 = ("CO_TD_TINH", "TTLDXS", "BK_TINH")
# The household of Phường Kim Bảng proposed in the 2026 draft (interchange's demo households)
HOUSEHOLD_2026 = "HGD-KB-001"
SUMMARIES = {
    "CO_TD_TINH": "Dẫn đầu Khối thi đua các huyện, thành phố năm 2020; hoàn thành 157/157 "
    "nhiệm vụ tỉnh giao; thu ngân sách 1.386 tỷ đồng, đạt 235% dự toán tỉnh giao.",
    "TTLDXS": "Hoàn thành xuất sắc nhiệm vụ năm 2020; 100% thành viên hoàn thành nhiệm vụ, "
    "có chiến sĩ thi đua cơ sở.",
    "BK_TINH": "Có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2019 - 2020.",
}


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def load_nominations_demo() -> dict[str, int]:
    """Load both rounds; returns the number of nominees per round year."""
    counts = {2020: _round_2020(), 2026: _round_2026()}
    return counts


def _round_2020() -> int:
    province, kb = Unit.objects.get(code="HNA"), Unit.objects.get(code="KB")
    officer, admin = _user("canbo"), _user("admin")
    round_ = services.open_round(
        province,
        year=2020,
        kind=RoundKind.ANNUAL,
        name="Khen thưởng thành tích năm 2020",
        deadline=D(2020, 12, 10),
        actor=admin,
        today=D(2020, 11, 2),
    )
    dossier = services.start_dossier(round_, kb, actor=officer, today=D(2020, 11, 16))
    inside = subtree_ids([kb.pk])
    employed = Employment.objects.filter(unit_id__in=inside).values("person_id")
    awards = (
        Award.objects.filter(authority=province, award_code__in=AWARDS_2020, period_end__year=2020)
        .filter(Q(unit_id__in=inside) | Q(person_id__in=employed))
        .select_related("person", "unit")
        .order_by("award_code", "pk")
    )
    specs = [
        services.NomineeSpec(
            award_code=a.award_code,
            person=a.person,
            unit=a.unit,
            summary=SUMMARIES[a.award_code],
            source=Source.SUGGESTION if a.award_code == "CO_TD_TINH" else Source.REGISTER,
        )
        for a in awards
    ]
    # Only what the round may take (a unit kind the title is not for would be refused).
    refused = {p.index for p in services.check_nominees(dossier, specs)}
    specs = [s for i, s in enumerate(specs) if i not in refused]
    services.add_nominees(dossier, specs, actor=officer)
    services.attach_document(dossier, _minutes(kb, len(specs)), kind="minutes", actor=officer)
    services.submit_dossier(dossier, actor=officer, today=D(2020, 12, 7))
    for verb, day in (
        ("receive", D(2020, 12, 8)),
        ("appraise", D(2020, 12, 9)),
        ("publish", D(2020, 12, 21)),
        ("to_council", D(2020, 12, 29)),
    ):
        services.move(dossier, verb, actor=admin, today=day)
    return len(specs)


def _minutes(unit, count: int):
    """The minutes of Kim Bảng's review of 4/12/2020 as a .docx (Decree 30/2020 layout)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = StateDocument(
        Header(issuer=f"Hội đồng Thi đua - Khen thưởng {unit.name}", date=D(2020, 12, 4))
    )
    doc.title("Biên bản", "Họp xét thi đua, khen thưởng năm 2020")
    doc.paragraph(
        f"Hội đồng đã xem xét và bỏ phiếu đề nghị Ủy ban nhân dân tỉnh khen thưởng {count} tập "
        "thể, cá nhân; 100% thành viên Hội đồng có mặt nhất trí."
    )
    doc.signature_block("Chủ tịch Hội đồng", "", "Nguyễn Văn Hải")
    return SimpleUploadedFile("bien-ban-hop-xet-2020.docx", doc.to_bytes())


def _round_2026() -> int:
    province = Unit.objects.filter(code="NBI").first()
    ward = Unit.objects.filter(code="NBI-KIMBANG").first()
    if province is None or ward is None:
        return 0
    admin = _user("admin")
    round_ = services.open_round(
        province,
        year=2026,
        kind=RoundKind.ANNUAL,
        name="Khen thưởng thành tích năm 2026",
        deadline=D(2026, 12, 10),
        actor=admin,
        today=D(2026, 11, 2),
    )
    dossier = services.start_dossier(round_, ward, actor=admin, today=D(2026, 11, 9))
    best = (
        PersonRating.objects.filter(
            year=2025,
            level="HTXS",
            person__employments__unit=ward,
            person__employments__end__isnull=True,
        )
        .select_related("person")
        .order_by("person__sort_key")[:5]
    )
    specs = [services.NomineeSpec(award_code="BK_TINH", person=r.person, summary="") for r in best]
    household = Household.objects.filter(code=HOUSEHOLD_2026, commune=ward).first()
    if household is not None:
        specs.append(
            services.NomineeSpec(
                award_code="BK_TINH",
                household=household,
                summary="Gia đình văn hóa ba năm liền (2023–2025); hiến 120 m² đất mở rộng "
                "đường thôn năm 2025.",
            )
        )
    refused = {p.index for p in services.check_nominees(dossier, specs)}
    specs = [s for i, s in enumerate(specs) if i not in refused]
    if specs:
        services.add_nominees(dossier, specs, actor=admin)
    return len(specs)
