"""Build the facts of a legal case from a small declarative description.

A person's facts (all optional):
    {"employments": [("2010-01-01", None, "Chuyên viên")],   # start, end, position
     "gender": "F",
     "ratings": {2023: "HTT", 2024: "HTXS"},
     "awards": [("CSTDCS", 2023), ("BK_TINH", 2019, "dot_xuat"), ("CSTD_TINH", (2021, 2023))],
     "initiatives": [(2024, "co_so")] or [(2024, "bo_tinh", "research", applied, replicable)],
     "relied_on": [("BK_TINH", 2024)],   # awards that relied on all these initiatives
     "disciplines": [("khien_trach", "2023-03-01", "2024-03-01", duty_related)],
     "absences": [("maternity", "2024-02-01", "2024-09-01")],
     "reviews": [("2024-11-01", None)],
     "attestations": [("LDTT", "conduct", 2024), ("LDTT", "conduct", 2023, "refused")]}
A unit's facts: {"kind": "division", "ratings": {...}, "awards": [...], "reviews": [...],
"attestations": [...],
"members": [person facts, ...]}. Award years are achievement years (a tuple for a period).
"""

import datetime
import itertools

from thidua.org.choices import UnitKind
from thidua.org.models import Employment, Unit
from thidua.org.tests.factories import AwardFactory, PersonFactory, UnitFactory
from thidua.records.choices import CommendationType
from thidua.records.models import (
    Absence,
    Attestation,
    AwardInitiative,
    Discipline,
    Initiative,
    InitiativeAuthor,
    PendingReview,
    PersonRating,
    UnitRating,
)

_counter = itertools.count(1)


def _date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _authority():
    found = Unit.objects.filter(code="UBND-TINH").first()
    return found or UnitFactory(code="UBND-TINH", kind=UnitKind.PROVINCE, name="UBND tỉnh")


def add_awards(items, *, person=None, unit=None, authority=None):
    authority = authority or _authority()
    for item in items:
        code, years = item[0], item[1]
        kind = item[2] if len(item) > 2 else CommendationType.CONG_TRANG
        first, last = years if isinstance(years, tuple) else (years, years)
        AwardFactory(
            person=person,
            unit=unit,
            award_code=code,
            commendation_type=kind,
            period_start=datetime.date(first, 1, 1),
            period_end=datetime.date(last, 12, 31),
            decision_number=f"{next(_counter)}/QĐ-{code}",
            decision_date=datetime.date(last + 1, 1, 15),
            authority=authority,
        )


def add_attestations(items, *, person=None, unit=None):
    """(award code, criterion id, year[, "attested" | "refused"]): the council's judgement,
    resting on minutes of 20/12 of the year."""
    for code, criterion, year, *outcome in items:
        Attestation.objects.create(
            person=person,
            unit=unit,
            award_code=code,
            criterion=criterion,
            year=year,
            outcome=outcome[0] if outcome else "attested",
            body="council",
            body_name="Hội đồng Thi đua – Khen thưởng",
            decided_on=datetime.date(year, 12, 20),
            minutes_number=f"{next(_counter)}/BB-HĐTĐKT",
            minutes_date=datetime.date(year, 12, 20),
        )


def make_person(unit, facts: dict | None = None, *, authority=None):
    facts = facts or {}
    person = PersonFactory(gender=facts.get("gender", "M"))
    for start, end, *position in facts.get("employments", [("2005-01-01", None)]):
        Employment.objects.create(
            person=person,
            unit=facts.get("unit", unit),
            start=_date(start),
            end=_date(end),
            position=position[0] if position else "Chuyên viên",
        )
    PersonRating.objects.bulk_create(
        PersonRating(person=person, year=y, level=level)
        for y, level in facts.get("ratings", {}).items()
    )
    add_awards(facts.get("awards", []), person=person, authority=authority)
    add_attestations(facts.get("attestations", []), person=person)
    made = []
    for item in facts.get("initiatives", []):
        year, scope = item[0], item[1]
        kind = item[2] if len(item) > 2 else "initiative"
        applied = item[3] if len(item) > 3 else True
        replicable = item[4] if len(item) > 4 else True
        n = next(_counter)
        initiative = Initiative.objects.create(
            code=f"SK{n}",
            kind=kind,
            title=f"Sáng kiến {n}",
            scope=scope,
            decision_number=f"{n}/QĐ-SK",
            recognised_on=datetime.date(year, 6, 1),
            applied=applied,
            replicable=replicable,
        )
        InitiativeAuthor.objects.create(initiative=initiative, person=person)
        made.append(initiative)
    for code, year in facts.get("relied_on", []):  # awards that relied on the initiatives
        award = person.awards.get(award_code=code, period_end__year=year)
        for initiative in made:
            AwardInitiative.objects.create(award=award, initiative=initiative)
    for measure, start, end, *duty in facts.get("disciplines", []):
        Discipline.objects.create(
            person=person,
            measure=measure,
            duty_related=duty[0] if duty else True,
            decision_number=f"{next(_counter)}/QĐ-KL",
            effective_from=_date(start),
            effective_to=_date(end),
        )
    for kind, start, end in facts.get("absences", []):
        Absence.objects.create(person=person, kind=kind, start=_date(start), end=_date(end))
    for start, end in facts.get("reviews", []):
        PendingReview.objects.create(
            person=person, kind="disciplinary", started_on=_date(start), ended_on=_date(end)
        )
    return person


def make_unit(facts: dict | None = None, *, parent=None, authority=None):
    facts = facts or {}
    unit = UnitFactory(
        kind=facts.get("kind", UnitKind.DIVISION),
        parent=parent,
        established_on=_date(facts.get("established_on", "2000-01-01")),
        dissolved_on=_date(facts.get("dissolved_on")),
    )
    UnitRating.objects.bulk_create(
        UnitRating(unit=unit, year=y, level=level) for y, level in facts.get("ratings", {}).items()
    )
    add_awards(facts.get("awards", []), unit=unit, authority=authority)
    add_attestations(facts.get("attestations", []), unit=unit)
    for start, end in facts.get("reviews", []):
        PendingReview.objects.create(
            unit=unit, kind="inspection", started_on=_date(start), ended_on=_date(end)
        )
    for member in facts.get("members", []):
        make_person(unit, member, authority=authority)
    return unit
