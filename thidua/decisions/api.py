"""API of award decisions (read only), scoped like the pages (`selectors` for
`request.auth`): the list, and one decision with the lines the user may see."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from thidua.accounts.api import Pagination
from thidua.decisions import selectors

router = Router(tags=["decisions"])


class DecisionOut(Schema):
    id: int
    number: str
    kind: str
    authority: str
    authority_name: str
    decided_on: datetime.date
    title: str
    signer_name: str
    signer_position: str
    refers_to: str | None
    reason: str

    @staticmethod
    def resolve_authority(d):
        return d.authority.code

    @staticmethod
    def resolve_authority_name(d):
        return d.authority.name

    @staticmethod
    def resolve_refers_to(d):
        return d.refers_to.number if d.refers_to_id else None


class LineOut(Schema):
    position: int
    name: str
    subject_kind: str
    award_code: str
    amount: int | None
    to_recover: int | None
    serial: str
    valid: bool

    @staticmethod
    def resolve_valid(r):
        return r.award.status == "valid"


class DecisionDetailOut(DecisionOut):
    recipients: list[LineOut]

    @staticmethod
    def resolve_recipients(d):
        return d.visible_lines


@router.get("/decisions", response=list[DecisionOut])
@paginate(Pagination)
def list_decisions(request, year: int | None = Query(None, ge=1945, le=2100)):
    qs = selectors.visible_decisions(request.auth).order_by("-decided_on", "-sequence", "-pk")
    if year is not None:
        qs = qs.filter(year=year)
    return qs


@router.get("/decisions/{pk}", response=DecisionDetailOut)
def get_decision(request, pk: int):
    decision = get_object_or_404(selectors.visible_decisions(request.auth), pk=pk)
    decision.visible_lines = list(selectors.recipients(request.auth, decision))
    return decision
