from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.TextChoices):
    """Level of task completion (xếp loại mức độ hoàn thành nhiệm vụ), Decree 90/2020 and
    its successors 335/2025 and 233/2026."""

    HTXS = "HTXS", _("Completed tasks excellently")
    HTT = "HTT", _("Completed tasks well")
    HT = "HT", _("Completed tasks")
    KHT = "KHT", _("Did not complete tasks")


# Higher is better; used to compare levels ("rating ≥ HTT").
RATING_RANK = {RatingLevel.KHT: 0, RatingLevel.HT: 1, RatingLevel.HTT: 2, RatingLevel.HTXS: 3}


def band_for_score(score) -> str:
    """The level a 100-point score falls in (Decree 335/2025, 233/2026): HTXS ≥ 90,
    HTT 70–<90, HT 50–<70, KHT < 50."""
    if score >= 90:
        return RatingLevel.HTXS
    if score >= 70:
        return RatingLevel.HTT
    if score >= 50:
        return RatingLevel.HT
    return RatingLevel.KHT


class DisciplineMeasure(models.TextChoices):
    """The legal ladder of disciplinary measures, mildest first."""

    KHIEN_TRACH = "khien_trach", _("Reprimand (khiển trách)")
    CANH_CAO = "canh_cao", _("Warning (cảnh cáo)")
    HA_BAC_LUONG = "ha_bac_luong", _("Salary grade reduction (hạ bậc lương)")
    GIANG_CHUC = "giang_chuc", _("Demotion (giáng chức)")
    CACH_CHUC = "cach_chuc", _("Removal from office (cách chức)")
    BUOC_THOI_VIEC = "buoc_thoi_viec", _("Dismissal (buộc thôi việc)")


DISCIPLINE_RANK = {m: i for i, m in enumerate(DisciplineMeasure)}


class ReviewKind(models.TextChoices):
    """Why awards are deferred (Decree 152/2025 Điều 4(4))."""

    DISCIPLINARY = "disciplinary", _("Disciplinary review")
    INSPECTION = "inspection", _("Inspection with signs of violation")
    COMPLAINT = "complaint", _("Complaint or denunciation being verified")
    INVESTIGATION = "investigation", _("Investigation")


class WorkKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    RESEARCH = "research", _("Research work")


class Scope(models.TextChoices):
    """Recognised scope of effect of an initiative or research, lowest first."""

    CO_SO = "co_so", _("Grassroots (cơ sở)")
    BO_TINH = "bo_tinh", _("Ministry / province")
    TOAN_QUOC = "toan_quoc", _("Nationwide")


class CommendationType(models.TextChoices):
    """Loại hình khen thưởng (Law 06/2022 Điều 8); sudden and thematic awards do not count
    toward later merit criteria (Decree 152/2025 Điều 4(3))."""

    CONG_TRANG = "cong_trang", _("Merit")
    DOT_XUAT = "dot_xuat", _("Sudden achievement")
    CHUYEN_DE = "chuyen_de", _("Thematic / movement")
    CONG_HIEN = "cong_hien", _("Dedication")
    NIEN_HAN = "nien_han", _("Length of service")
    DOI_NGOAI = "doi_ngoai", _("Foreign")


class AwardStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    ANNULLED = "annulled", _("Annulled")


class AbsenceKind(models.TextChoices):
    MATERNITY = "maternity", _("Maternity leave")
    LONG_ABSENCE = "long_absence", _("Long absence")


class AttestationOutcome(models.TextChoices):
    ATTESTED = "attested", _("Attested")
    REFUSED = "refused", _("Refused")


class AttestingBody(models.TextChoices):
    COUNCIL = "council", _("Emulation and commendation council")
    LEADER = "leader", _("Head of the agency or unit")
