from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    """Forms of emulation (Law 06/2022 Điều 16(1))."""

    REGULAR = "regular", _("Regular (yearly)")
    THEMATIC = "thematic", _("Thematic")


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Interim review")
    FINAL = "final", _("Final review")


class BlockKind(models.TextChoices):
    BLOCK = "block", _("Emulation block (khối)")
    CLUSTER = "cluster", _("Emulation cluster (cụm)")


class BlockRoleKind(models.TextChoices):
    LEADER = "leader", _("Block leader")
    DEPUTY = "deputy", _("Deputy block leader")


class ScoringMethod(models.TextChoices):
    """How a member's final score is made (see docs/adr/0003-block-scoring.md)."""

    CROSS = "cross", _("Cross-scoring: the mean of the other members' scores")
    LEADER = "leader", _("Review by the block leader")
    CROSS_AND_LEADER = "cross_leader", _("Mean of cross-scoring and the leader's review")


class CovenantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for signing and scoring")
    LOCKED = "locked", _("Scoring locked")
    PUBLISHED = "published", _("Results published")


# Declared transitions of a covenant; the verbs refuse any other move.
COVENANT_TRANSITIONS = {
    CovenantStatus.DRAFT: {CovenantStatus.OPEN},
    CovenantStatus.OPEN: {CovenantStatus.LOCKED},
    CovenantStatus.LOCKED: {CovenantStatus.OPEN, CovenantStatus.PUBLISHED},
    CovenantStatus.PUBLISHED: set(),
}


class GroupKind(models.TextChoices):
    """A criteria group scores points (0…max), adds a capped bonus (0…max), or deducts a
    capped penalty (−max…0)."""

    BASE = "base", _("Criteria")
    BONUS = "bonus", _("Bonus")
    PENALTY = "penalty", _("Penalty")


class ScoreKind(models.TextChoices):
    SELF = "self", _("Self-score")
    PEER = "peer", _("Cross-score")
    REVIEW = "review", _("Leader's review")


class TieBreak(models.TextChoices):
    """Rules that order members with the same final score, applied in the covenant's
    declared order; `group:<code>` (more points in that criteria group) is also allowed."""

    BASE = "base", _("More points on the criteria (bonus and penalty left out)")
    PENALTY = "penalty", _("Fewer points deducted")
    BONUS = "bonus", _("More bonus points")
    SELF = "self", _("Higher self-score")


DEFAULT_TIE_BREAKS = [TieBreak.BASE.value, TieBreak.PENALTY.value]


# Files that may be attached to a movement (its launching decision, plans, reports, photos),
# by extension: the content type stored and sent back, and the first bytes the file must
# start with (a file renamed to .pdf is refused). .docx and .xlsx are ZIP packages, told
# apart by the part they must contain; .doc and .xls are OLE2 compound files.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class AttachmentType:
    content_type: str
    magic: bytes
    zip_part: str = ""  # a part a ZIP package of this type always holds


ATTACHMENT_TYPES = {
    "pdf": AttachmentType("application/pdf", b"%PDF-"),
    "doc": AttachmentType("application/msword", OLE2),
    "docx": AttachmentType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "word/document.xml",
    ),
    "xls": AttachmentType("application/vnd.ms-excel", OLE2),
    "xlsx": AttachmentType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        "xl/workbook.xml",
    ),
    "jpg": AttachmentType("image/jpeg", b"\xff\xd8\xff"),
    "png": AttachmentType("image/png", b"\x89PNG\r\n\x1a\n"),
}
ATTACHMENT_ALIASES = {"jpeg": "jpg"}

# The largest attachment accepted, in bytes; a deployment may lower or raise it with the
# setting THIDUA_ATTACHMENT_MAX_BYTES.
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
