"""The organisation tree with its history, people, and their employment.

Nothing here is deleted or rewritten when the organisation changes: a rename or a move
closes one `UnitVersion` and opens the next, a merge dissolves the predecessors and records
`LineageEvent` edges to the successor. Every question can be asked "as of" a date.
Date intervals are half-open: `valid_from` is the first day, `valid_to` the first day no
longer valid (None: still valid).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.org.choices import Gender, LineageKind, UnitKind
from thidua.vietnamese import fold, person_sort_key, sort_key


class UnitQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(Q(established_on__isnull=True) | Q(established_on__lte=day)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )

    def active_during(self, start, end):
        """Units that existed on some day of [start, end)."""
        return self.filter(Q(established_on__isnull=True) | Q(established_on__lt=end)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start)
        )


class Unit(models.Model):
    """An agency, locality or collective, identified by a code that never changes.

    Its name and place in the tree live in `UnitVersion` rows; `name` here is a copy of
    the latest version's name for lists and search.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("current name"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gt=models.F("established_on")),
                name="unit_dissolved_after_established",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self):
        """Search and ordering columns (also called before bulk_create)."""
        self.search_name = fold(self.name)
        self.sort_key = sort_key(self.name)[:600]


class UnitVersionQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class UnitVersion(models.Model):
    """A unit's name and parent during one period."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="versions"
    )
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        Unit,
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_versions",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = UnitVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitversion_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_valid_to_after_from",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–)"


class UnitOfficialCodeQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class UnitOfficialCode(models.Model):
    """The official administrative code (mã đơn vị hành chính) a unit carries during a
    period, apart from its internal `Unit.code` (ADR 0009): the statistics office reuses
    a predecessor's code for a new unit, which is not the same unit. On any day a unit
    carries at most one official code and a code names at most one unit (an exclusion
    constraint on PostgreSQL, triggers on SQLite: migration 0003)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="official_codes"
    )
    code = models.CharField(_("official code"), max_length=10, db_index=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = UnitOfficialCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("official code")
        verbose_name_plural = _("official codes")
        ordering = ["unit_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "valid_from"], name="unitofficialcode_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitofficialcode_valid_to_after_from",
            ),
        ]

    def __str__(self):
        return self.code


class LineageEvent(models.Model):
    """A change to the organisation on a date: merge, split, rename, re-parent, dissolve."""

    kind = models.CharField(_("kind"), max_length=20, choices=LineageKind.choices)
    date = models.DateField(_("date"))
    decision = models.CharField(_("decision"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("lineage event")
        verbose_name_plural = _("lineage events")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class LineageEdge(models.Model):
    """Predecessor → successor within a lineage event (the same unit for rename/re-parent;
    no successor for a dissolution)."""

    event = models.ForeignKey(LineageEvent, on_delete=models.CASCADE, related_name="edges")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_edges")
    successor = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="predecessor_edges"
    )

    class Meta:
        verbose_name = _("lineage edge")
        verbose_name_plural = _("lineage edges")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "predecessor", "successor"], name="lineageedge_unique"
            )
        ]

    def __str__(self):
        return f"{self.predecessor_id} → {self.successor_id}"


class Person(models.Model):
    """A person whose work is rated and awarded. `code` is the stable dataset identifier."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    family_name = models.CharField(_("family name"), max_length=60)
    middle_name = models.CharField(_("middle name"), max_length=80, blank=True)
    given_name = models.CharField(_("given name"), max_length=60)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    # NULL (not "") when absent, so that the uniqueness constraint skips it.
    citizen_id = models.CharField(  # noqa: DJ001
        _("citizen id"), max_length=20, null=True, blank=True
    )
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(citizen_id__isnull=False),
                name="person_citizen_id_unique",
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    def fill_derived(self):
        """Search and ordering columns (also called before bulk_create).

        `search_name` starts with a space so that a word-prefix search is `contains(" an")`.
        """
        self.search_name = " " + fold(self.full_name)
        self.sort_key = person_sort_key(self.family_name, self.middle_name, self.given_name)


class EmploymentQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        """Employments that overlap the half-open interval [start, end)."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gt=start))
        return qs.filter(start__lt=end) if end is not None else qs


class Employment(models.Model):
    """A person working in a unit in a position, from `start` to `end` (exclusive).

    A person's employments never overlap; a transfer ends one and starts the next.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="employments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employments"
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["person_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="employment_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["unit", "start"])]

    def __str__(self):
        return f"{self.person} @ {self.unit}"


class Household(models.Model):
    """A household (hộ gia đình) that may be awarded (Law 06/2022: the household as a
    recipient of Giấy khen and Bằng khen): its name (as the head of household is known),
    address, the commune it lives in, and its members."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=500, blank=True)
    commune = models.ForeignKey(
        Unit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="households"
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), through="HouseholdMember", related_name="households"
    )
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["sort_key", "code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self):
        self.search_name = fold(self.name)
        self.sort_key = sort_key(self.name)[:600]


class HouseholdMember(models.Model):
    """A person of a household; `is_head` marks the head of household (chủ hộ)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    is_head = models.BooleanField(_("head of household"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="householdmember_unique")
        ]

    def __str__(self):
        return f"{self.person_id} @ {self.household_id}"
