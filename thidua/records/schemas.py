"""Typed shapes of the records API's answers (they become the OpenAPI document).

People and units appear by code and name; each schema reads only what the endpoint
selected with `select_related`/`prefetch_related`, so serialising a page runs no query.
"""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from thidua.awards.catalog import get_catalog
from thidua.records.choices import (
    AbsenceKind,
    AwardStatus,
    CommendationType,
    DisciplineMeasure,
    RatingLevel,
    ReviewKind,
    Scope,
    WorkKind,
)


class _PersonRecord(Schema):
    person_code: str = Field(alias="person.code")
    person_name: str = Field(alias="person.full_name")


class PersonRatingOut(_PersonRecord):
    year: int
    level: RatingLevel
    level_label: str
    score: Decimal | None = Field(description="The 100-point score, where the regime has one.")
    regime: str

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class UnitRatingOut(Schema):
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    year: int
    level: RatingLevel
    level_label: str
    score: Decimal | None
    regime: str

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class _PersonOrUnitRecord(Schema):
    """Resolvers for records whose subject is a person or a unit."""

    @staticmethod
    def resolve_person_code(obj) -> str | None:
        return obj.person.code if obj.person_id else None

    @staticmethod
    def resolve_person_name(obj) -> str | None:
        return obj.person.full_name if obj.person_id else None

    @staticmethod
    def resolve_unit_code(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None


class AwardOut(_PersonOrUnitRecord):
    id: int
    award_code: str
    award_name: str = Field(description="The catalog's name in the request's language.")
    commendation_type: CommendationType
    recipient_type: str = Field(description="person or unit")
    person_code: str | None
    person_name: str | None
    unit_code: str | None
    unit_name: str | None
    period_start: datetime.date = Field(description="Achievement period (năm thành tích).")
    period_end: datetime.date
    decision_number: str
    decision_date: datetime.date
    authority_code: str = Field(alias="authority.code")
    authority_name: str = Field(alias="authority.name")
    signer: str
    status: AwardStatus
    annulled_reason: str
    amount: int | None = Field(description="Bonus amount in VND.")

    @staticmethod
    def resolve_award_name(obj) -> str:
        entry = get_catalog().get(obj.award_code)
        return entry.name if entry else obj.award_code

    @staticmethod
    def resolve_recipient_type(obj) -> str:
        return "person" if obj.person_id else "unit"


class DisciplineOut(_PersonRecord):
    id: int
    measure: DisciplineMeasure
    measure_label: str
    duty_related: bool
    decision_number: str
    decision_date: datetime.date | None
    effective_from: datetime.date
    effective_to: datetime.date | None = Field(description="First day no longer in force.")
    reason: str

    @staticmethod
    def resolve_measure_label(obj) -> str:
        return obj.get_measure_display()


class AuthorOut(Schema):
    code: str
    full_name: str


class InitiativeOut(Schema):
    code: str
    kind: WorkKind
    title: str
    scope: Scope
    decision_number: str
    recognised_on: datetime.date
    applied: bool
    replicable: bool
    authors: list[AuthorOut] = Field(
        description="In Vietnamese order of names; only the authors whose record the caller "
        "may see on the day it was recognised (privacy of history)."
    )

    @staticmethod
    def resolve_authors(obj) -> list:
        return [link.person for link in obj.author_links]


class PendingReviewOut(_PersonOrUnitRecord):
    id: int
    kind: ReviewKind
    kind_label: str
    person_code: str | None
    person_name: str | None
    unit_code: str | None
    unit_name: str | None
    started_on: datetime.date
    ended_on: datetime.date | None = Field(description="None while the review is open.")
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class AbsenceOut(_PersonRecord):
    id: int
    kind: AbsenceKind
    start: datetime.date
    end: datetime.date
