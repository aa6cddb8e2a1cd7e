from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Central state body")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (historic)")
    COMMUNE = "commune", _("Commune / ward / special zone")
    DEPARTMENT = "department", _("Provincial department")
    DISTRICT_OFFICE = "district_office", _("District office")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    ENTERPRISE = "enterprise", _("Enterprise")
    DIVISION = "division", _("Division")
    VILLAGE = "village", _("Village / street group")
    PARTY_MASS = "party_mass", _("Party or mass organisation")


class LineageKind(models.TextChoices):
    ESTABLISH = "establish", _("Establish")
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    REPARENT = "reparent", _("Re-parent")
    DISSOLVE = "dissolve", _("Dissolve")
    # One legal act (a resolution) with many predecessors and many successors (ADR 0009).
    ACT = "act", _("Reorganisation act")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
