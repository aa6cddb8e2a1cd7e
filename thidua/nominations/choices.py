"""Vocabularies of award proposals: rounds, the states of a dossier, the levels of the
organisation a dossier travels between, and where a nominee came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.org.choices import UnitKind
from thidua.records.choices import CommendationType


class RoundKind(models.TextChoices):
    """The kind of a proposal round (loại hình khen thưởng, Law 06/2022 Điều 8)."""

    ANNUAL = "annual", _("Annual (merit)")
    THEMATIC = "thematic", _("Thematic / movement")
    SUDDEN = "sudden", _("Sudden achievement")
    DEDICATION = "dedication", _("Dedication")
    FOREIGN = "foreign", _("Foreign")


# The commendation type the awards of a round will carry in history.
COMMENDATION_TYPE = {
    RoundKind.ANNUAL: CommendationType.CONG_TRANG,
    RoundKind.THEMATIC: CommendationType.CHUYEN_DE,
    RoundKind.SUDDEN: CommendationType.DOT_XUAT,
    RoundKind.DEDICATION: CommendationType.CONG_HIEN,
    RoundKind.FOREIGN: CommendationType.DOI_NGOAI,
}


class State(models.TextChoices):
    """Where a dossier stands; the moves between states are declared in `workflow.py`."""

    DRAFT = "draft", pgettext_lazy("dossier state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("dossier state", "Submitted")
    RECEIVED = "received", pgettext_lazy("dossier state", "Received")
    UNDER_APPRAISAL = "appraisal", pgettext_lazy("dossier state", "Under appraisal")
    RETURNED = "returned", pgettext_lazy("dossier state", "Returned for correction")
    PUBLIC_COMMENT = "public_comment", pgettext_lazy("dossier state", "Public comment")
    READY_FOR_COUNCIL = "ready", pgettext_lazy("dossier state", "Ready for council")


class Level(models.TextChoices):
    """The tiers of government a round is organised at, lowest first."""

    COMMUNE = "commune", _("Commune level")
    DISTRICT = "district", _("District level")
    PROVINCE = "province", _("Province level")
    CENTRAL = "central", _("Central level")


# The level of the unit that organises a round, by the unit's kind (the unit tree decides
# where a dossier goes: to the organising unit, an ancestor of the proposing unit).
LEVEL_OF_KIND = {
    UnitKind.CENTRAL: Level.CENTRAL,
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.DEPARTMENT: Level.PROVINCE,
    UnitKind.DISTRICT: Level.DISTRICT,
    UnitKind.DISTRICT_OFFICE: Level.DISTRICT,
    UnitKind.COMMUNE: Level.COMMUNE,
}

# Which deciding authorities (the award catalog's `[[authority]] tiers`) each level's
# round may propose to: an award is proposed in a round only if, on the round's date, it
# is decided by one of these (Law 06/2022 Điều 80; Decree 129/2025 Điều 59 for communes).
LEVEL_TIERS = {
    Level.COMMUNE: {"commune_chairman", "unit_head"},
    Level.DISTRICT: {"district_chairman", "unit_head"},
    Level.PROVINCE: {"province_chairman", "minister"},
    Level.CENTRAL: {"prime_minister", "president", "minister"},
}


class SubjectKind(models.TextChoices):
    PERSON = "individual", _("Individual")
    UNIT = "collective", _("Collective")
    HOUSEHOLD = "household", _("Household")


class Source(models.TextChoices):
    """How a nominee entered the dossier."""

    SUGGESTION = "suggestion", _("Engine suggestion")
    REGISTER = "register", _("Register")
    IMPORT = "import", _("XLSX import")


class DocumentKind(models.TextChoices):
    """Documents of a dossier (Law 06/2022 Điều 84; docs/legal/procedure.md). The
    proposal letter and the achievement reports are generated from the dossier's data;
    the others are uploaded."""

    REVIEW_MINUTES = "minutes", _("Minutes of the unit's review, with the vote")
    INITIATIVE_PROOF = "initiative_proof", _("Proof of the initiatives relied on")
    ACHIEVEMENT_REPORT = "achievement_report", _("Signed achievement report")
    OTHER = "other", _("Other document")


class CouncilOutcome(models.TextChoices):
    """What the council's vote decided for a nominee (set by the council's tally; empty
    until then). Only a nominee the council passed may be decided."""

    PASSED = "passed", pgettext_lazy("council outcome", "Passed by the council")
    NOT_PASSED = "not_passed", pgettext_lazy("council outcome", "Not passed by the council")
