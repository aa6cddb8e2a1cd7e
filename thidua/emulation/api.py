"""Read API of emulation work: blocks, their ranking and their covenant.

Thin and scoped like the pages: blocks come from `selectors.visible_blocks` for
`request.auth`; a block the user may not see answers 404 like one that does not exist;
the ranking of an unpublished block answers 403 to a member that may not see all sheets.
"""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from thidua.accounts.api import Pagination, year_in_path
from thidua.emulation import selectors
from thidua.emulation.models import Block, Signature
from thidua.emulation.ranking import rank_covenant
from thidua.emulation.services import scoring_members

router = Router(tags=["emulation"])


class LeadOut(Schema):
    unit: str
    rank: int
    score: Decimal
    recorded_on: datetime.date


class BlockOut(Schema):
    code: str
    year: int
    name: str
    kind: str
    organiser: str
    movement: str | None
    covenant_status: str | None
    leads: list[LeadOut]

    @staticmethod
    def resolve_organiser(block):
        return block.organiser.code

    @staticmethod
    def resolve_movement(block):
        return block.movement.code if block.movement_id else None

    @staticmethod
    def resolve_covenant_status(block):
        return block.covenant.status if selectors.has_covenant(block) else None

    @staticmethod
    def resolve_leads(block):
        return [
            {
                "unit": lead.unit.code,
                "rank": lead.rank,
                "score": lead.score,
                "recorded_on": lead.recorded_on,
            }
            for lead in block.leads.all()
        ]


class MemberOut(Schema):
    unit: str
    name: str
    joined_on: datetime.date
    left_on: datetime.date | None
    note: str


class RoleOut(Schema):
    unit: str
    role: str
    decision_number: str
    decision_date: datetime.date


class BlockDetailOut(BlockOut):
    decision_number: str
    decision_date: datetime.date | None
    members: list[MemberOut]
    roles: list[RoleOut]

    @staticmethod
    def resolve_members(block):
        memberships = block.memberships.select_related("unit")
        return [
            {
                "unit": m.unit.code,
                "name": m.unit.name,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
                "note": m.note,
            }
            for m in memberships.order_by("unit__sort_key", "joined_on")
        ]

    @staticmethod
    def resolve_roles(block):
        return [
            {
                "unit": r.unit.code,
                "role": r.role,
                "decision_number": r.decision_number,
                "decision_date": r.decision_date,
            }
            for r in block.roles.select_related("unit")
        ]


class StandingOut(Schema):
    unit: str
    name: str
    rank: int
    final: Decimal
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    percent: Decimal | None
    self_score: Decimal | None
    scorers: int
    missing_criteria: int
    tie_note: str


class RankingOut(Schema):
    block: str
    year: int
    method: str
    tie_breaks: list[str]
    published_on: datetime.date | None
    standings: list[StandingOut]


class CriterionOut(Schema):
    code: str
    title: str
    max_points: Decimal
    guidance: str


class GroupOut(Schema):
    code: str
    title: str
    kind: str
    cap: Decimal | None
    criteria: list[CriterionOut]


class SignatureOut(Schema):
    unit: str
    signer_name: str
    signer_position: str
    signed_on: datetime.date


class CovenantOut(Schema):
    block: str
    year: int
    title: str
    number: str
    status: str
    method: str
    trim_extremes: bool
    tie_breaks: list[str]
    scoring_deadline: datetime.date
    signing_date: datetime.date | None
    groups: list[GroupOut]
    signatures: list[SignatureOut]


def _blocks(user):
    return (
        selectors.visible_blocks(user)
        .select_related("organiser", "movement", "covenant")
        .prefetch_related("leads__unit")
    )


def _block(request, year: int, code: str) -> Block:
    return get_object_or_404(_blocks(request.auth), year=year, code=code)


@router.get("/blocks", response=list[BlockOut], summary="Emulation blocks and clusters")
@paginate(Pagination)
def list_blocks(request, year: int | None = Query(None, ge=1945, le=2100)):
    blocks = _blocks(request.auth).order_by("-year", "code")
    if year is not None:
        blocks = blocks.filter(year=year)
    return blocks


@router.get("/blocks/{year}/{code}", response=BlockDetailOut, summary="A block")
def get_block(request, code: str, year: int = year_in_path()):
    return _block(request, year, code)


def _covenant(block):
    if not selectors.has_covenant(block):
        raise HttpError(404, _("This block has no covenant yet."))
    return block.covenant


@router.get(
    "/blocks/{year}/{code}/ranking",
    response=RankingOut,
    summary="The ranking, computed from the scores",
)
def get_ranking(request, code: str, year: int = year_in_path()):
    block = _block(request, year, code)
    covenant = _covenant(block)
    members = [m.unit_id for m in scoring_members(block)]
    access = selectors.block_access(request.auth, block, members, selectors.roles_of(block))
    if not access.results:
        raise HttpError(403, _("The results of this block are not published yet."))
    ranking = rank_covenant(covenant)
    return {
        "block": block.code,
        "year": block.year,
        "method": covenant.method,
        "tie_breaks": covenant.tie_breaks,
        "published_on": covenant.published_on,
        "standings": [
            {
                "unit": s.unit.code,
                "name": s.unit.name,
                "rank": s.rank,
                "final": s.final,
                "base": s.totals.base,
                "bonus": s.totals.bonus,
                "penalty": s.totals.penalty,
                "percent": s.percent,
                "self_score": s.self_total,
                "scorers": s.scorers,
                "missing_criteria": s.missing,
                "tie_note": s.tie_note,
            }
            for s in ranking.standings
        ],
    }


@router.get("/blocks/{year}/{code}/covenant", response=CovenantOut, summary="A block's covenant")
def get_covenant(request, code: str, year: int = year_in_path()):
    block = _block(request, year, code)
    covenant = _covenant(block)
    groups = {g.pk: {**_group(g), "criteria": []} for g in covenant.groups.all()}
    for c in covenant.criteria.all():
        groups[c.group_id]["criteria"].append(
            {"code": c.code, "title": c.title, "max_points": c.max_points, "guidance": c.guidance}
        )
    return {
        "block": block.code,
        "year": block.year,
        "title": covenant.title,
        "number": covenant.number,
        "status": covenant.status,
        "method": covenant.method,
        "trim_extremes": covenant.trim_extremes,
        "tie_breaks": covenant.tie_breaks,
        "scoring_deadline": covenant.scoring_deadline,
        "signing_date": covenant.signing_date,
        "groups": list(groups.values()),
        "signatures": [
            {
                "unit": s.unit.code,
                "signer_name": s.signer_name,
                "signer_position": s.signer_position,
                "signed_on": s.signed_on,
            }
            for s in Signature.objects.filter(covenant=covenant).select_related("unit")
        ],
    }


def _group(g) -> dict:
    return {"code": g.code, "title": g.title, "kind": g.kind, "cap": g.cap}
