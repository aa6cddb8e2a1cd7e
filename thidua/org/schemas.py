"""Typed shapes of the organisation API's answers (they become the OpenAPI document).

Each schema reads attributes the endpoint prepared (annotations, select_related), so that
serialising a page runs no query.
"""

import datetime

from ninja import Field, Schema

from thidua.org.choices import Gender, LineageKind, UnitKind
from thidua.org.selectors import mask_citizen_id


class UnitOut(Schema):
    code: str
    kind: UnitKind
    kind_label: str = Field(description="The kind's label in the request's language.")
    name: str = Field(description="The name on `as_of` (default: the latest name).")
    parent_code: str | None = Field(description="The parent's code on `as_of`.")
    established_on: datetime.date | None
    dissolved_on: datetime.date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_name(obj) -> str:
        return getattr(obj, "name_as_of", None) or obj.name

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return getattr(obj, "parent_code_as_of", None)


class UnitVersionOut(Schema):
    name: str
    parent_code: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None = Field(description="First day no longer valid.")

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class LineageOut(Schema):
    kind: LineageKind
    kind_label: str
    date: datetime.date
    decision: str
    role: str = Field(
        description="This unit's part: predecessor, successor, or self when on both sides "
        "(rename, re-parent, a merge it absorbed)."
    )
    predecessors: list[str] = Field(description="Codes of the units before the event.")
    successors: list[str] = Field(description="Codes of the units after it (none: dissolved).")

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.event.kind

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.event.get_kind_display()

    @staticmethod
    def resolve_date(obj) -> datetime.date:
        return obj.event.date

    @staticmethod
    def resolve_decision(obj) -> str:
        return obj.event.decision

    @staticmethod
    def resolve_predecessors(obj) -> list[str]:
        return [unit.code for unit in obj.predecessors]

    @staticmethod
    def resolve_successors(obj) -> list[str]:
        return [unit.code for unit in obj.successors]


class UnitDetailOut(UnitOut):
    versions: list[UnitVersionOut] = Field(description="Name and parent history, newest first.")
    lineage: list[LineageOut] = Field(description="Merges, splits, renames…, oldest first.")

    @staticmethod
    def resolve_versions(obj) -> list:
        return obj.version_history

    @staticmethod
    def resolve_lineage(obj) -> list:
        return obj.lineage_items


class PersonOut(Schema):
    code: str
    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    gender: Gender
    birth_date: datetime.date | None
    citizen_id: str | None = Field(
        description="In full only for users who may change the person; otherwise masked "
        "(all but the last four characters)."
    )

    @staticmethod
    def resolve_citizen_id(obj) -> str | None:
        if not obj.citizen_id:
            return None
        return obj.citizen_id if obj.can_change else mask_citizen_id(obj.citizen_id)


class PersonEmploymentOut(Schema):
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name", description="The unit's latest name.")
    position: str
    start: datetime.date
    end: datetime.date | None = Field(description="First day no longer employed.")


class PersonDetailOut(PersonOut):
    employments: list[PersonEmploymentOut] = Field(description="Oldest first.")


class EmploymentOut(PersonEmploymentOut):
    person_code: str = Field(alias="person.code")
    person_name: str = Field(alias="person.full_name")
