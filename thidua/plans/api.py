"""Read API of tasks and indicators.

Thin: assignments start from `selectors.visible_assignments` (which starts from
`thidua.accounts.scope`), figures from the units in the user's scope; lists are paged
with `thidua.accounts.api.Pagination` and read a fixed number of queries per page. A
unit outside the scope answers 404 like one that does not exist.
"""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from thidua.accounts import scope
from thidua.accounts.api import FIRST_YEAR, LAST_YEAR, Pagination, year_in_path
from thidua.plans import selectors
from thidua.plans.choices import TaskStatus
from thidua.plans.models import Indicator

router = Router(tags=["plans"])


class AssignmentOut(Schema):
    task_id: int
    title: str = Field(..., alias="task.title")
    year: int = Field(..., alias="task.year")
    assigned_by: str = Field(..., alias="task.assigned_by.code")
    source_number: str = Field(..., alias="task.source_number")
    source_date: datetime.date = Field(..., alias="task.source_date")
    source_issuer: str = Field(..., alias="task.source_issuer")
    deadline: datetime.date = Field(..., alias="task.deadline")
    evidence_required: str = Field(..., alias="task.evidence_required")
    unit: str = Field(..., alias="unit.code")
    cascaded_from: str | None = None
    status: TaskStatus
    completed_on: datetime.date | None
    evidence: str
    overdue: bool = Field(False, description="Open after its deadline, or completed late.")

    @staticmethod
    def resolve_cascaded_from(obj):
        return obj.parent.unit.code if obj.parent_id else None

    @staticmethod
    def resolve_overdue(obj):
        return selectors.is_overdue(obj, timezone.localdate())


class IndicatorOut(Schema):
    code: str
    name: str
    measure: str
    direction: str
    target_kind: str
    aggregation: str
    decimals: int


class ReferenceOut(Schema):
    kind: str
    value: Decimal
    achievement: Decimal | None
    met: bool | None


class FigureOut(Schema):
    indicator: str
    name: str
    value: Decimal | None
    version: str | None
    aggregated_from: int
    last_year: Decimal | None
    growth: Decimal | None
    references: list[ReferenceOut]


@router.get("/assignments", response=list[AssignmentOut], summary="Assigned tasks")
@paginate(Pagination)
def list_assignments(
    request,
    unit: str | None = Query(None, description="Assigned to this unit (code)."),
    assigned_by: str | None = Query(None, description="Assigned by this unit (code)."),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    status: TaskStatus | None = None,
):
    rows = selectors.visible_assignments(request.auth).select_related(
        "task__assigned_by", "unit", "parent__unit"
    )
    if unit:
        rows = rows.filter(unit__code=unit)
    if assigned_by:
        rows = rows.filter(task__assigned_by__code=assigned_by)
    if year:
        rows = rows.filter(task__year=year)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("task__deadline", "task_id", "unit__code")


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalog")
@paginate(Pagination)
def list_indicators(request):
    return Indicator.objects.all()


@router.get(
    "/units/{code}/figures/{year}",
    response=list[FigureOut],
    summary="A unit's indicator figures for a year, against its reference values",
)
def unit_figures(request, code: str, year: int = year_in_path()):
    unit = get_object_or_404(scope.units(request.auth), code=code)
    return [
        {
            "indicator": row.indicator.code,
            "name": row.indicator.name,
            "value": row.actual.value if row.actual else None,
            "version": row.actual.version if row.actual else None,
            "aggregated_from": row.actual.parts if row.actual else 0,
            "last_year": row.last_year,
            "growth": row.growth,
            "references": [
                {"kind": r.kind, "value": r.value, "achievement": r.achievement, "met": r.met}
                for r in row.references
            ],
        }
        for row in selectors.indicator_table(unit, year)
    ]
