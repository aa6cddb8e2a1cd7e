"""Collectives: shares of members, members' discipline and awards, block leaders, the unit's existence."""

from thidua.rules.definitions import IND
from thidua.rules.facts import (
    LEVEL_RANK,
    MEASURE_RANK,
)
from thidua.rules.primitives.base import (
    MET,
    NOT_ELIGIBLE,
    NOT_MET,
    UNKNOWN,
    Outcome,
    _in_year,
    _value,
)
from thidua.rules.primitives.context import Ctx, counted_cover


def _members(ctx: Ctx, uid):
    return ctx.facts.members(uid, ctx.year, ctx.params["member_min_months"])


def _no_members(ctx: Ctx, explain) -> Outcome | str:
    if not explain:
        return UNKNOWN
    return Outcome(
        UNKNOWN, "no_members", {"months": ctx.params["member_min_months"], "year": ctx.year}
    )


def share_of_members(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    """Share of the unit's members (people employed in it at least `member_min_months`
    months of the year) for whom a condition holds; members whose status is not decided
    yet make the outcome `unknown` unless the share is reached, or missed, without them."""
    members = _members(ctx, uid)
    if not members:
        return _no_members(ctx, explain)
    yes = no = 0
    year = ctx.year
    if p["condition"] == "ldtt":
        person_awards, excluded, verdict = ctx._person_awards, ctx.excluded, ctx.verdict
        for pid in members:
            by_code = person_awards.get(pid)  # ctx.holds() of LĐTT or CSTĐCS, inlined
            if by_code and (
                counted_cover(by_code.get("LDTT"), year, excluded)
                or counted_cover(by_code.get("CSTDCS"), year, excluded)
            ):
                yes += 1
            elif verdict("LDTT", IND, pid)[0] == NOT_ELIGIBLE:
                no += 1
        key = "share_ldtt"
    else:
        need = LEVEL_RANK[p["level"]]
        for pid in members:
            rank = ctx.rating(IND, pid, year)
            if rank is None:
                if ctx.not_rated(IND, pid, year) is not None:
                    no += 1
            elif rank >= need:
                yes += 1
            else:
                no += 1
        key = "share_rating"
    total = len(members)
    required = float(_value(ctx, p["min_share"]))
    open_ = total - yes - no

    def enough(count):
        share = count / total
        return share > required if p["strict"] else share >= required - 1e-9

    if enough(yes):
        status = MET
    elif not enough(yes + open_):
        status = NOT_MET
    else:
        status = UNKNOWN
    if not explain:
        return status
    args = {
        "yes": yes,
        "total": total,
        "share": yes / total,
        "op": ">" if p["strict"] else "≥",
        "required": required,
        "open": open_,
        "year": year,
        "level": p["level"] or "",
    }
    return Outcome(status, key, args)


def _names(ctx: Ctx, pids, limit=5):
    names = [ctx.facts.people[p].name if p in ctx.facts.people else str(p) for p in pids[:limit]]
    if len(pids) > limit:
        names.append(f"+{len(pids) - limit}")
    return tuple(names)


def no_member_discipline(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    members = _members(ctx, uid)
    if not members:
        return _no_members(ctx, explain)
    need = MEASURE_RANK[p["min_measure"]]
    disciplines = ctx.facts.disciplines
    hit = [
        pid
        for pid in members
        if pid in disciplines
        and any(d.rank >= need and _in_year(d, ctx.year) for d in disciplines[pid])
    ]
    if hit:
        if not explain:
            return NOT_MET
        args = {"names": _names(ctx, hit), "measure": p["min_measure"], "year": ctx.year}
        return Outcome(NOT_MET, "member_discipline_found", args)
    if not explain:
        return MET
    args = {"total": len(members), "measure": p["min_measure"], "year": ctx.year}
    return Outcome(MET, "member_discipline_none", args)


def member_holds_award(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    members = _members(ctx, uid)
    if not members:
        return _no_members(ctx, explain)
    target, year = p["award"], ctx.year
    if not explain:
        return MET if any(ctx.holds(IND, pid, target, year) for pid in members) else NOT_MET
    holders = [pid for pid in members if ctx.holds(IND, pid, target, year)]
    args = {"award": target, "year": year}
    if holders:
        return Outcome(MET, "member_holds", {**args, "names": _names(ctx, holders)})
    return Outcome(NOT_MET, "member_holds_none", args)


def leads_block(p, ctx: Ctx, kind, uid, code, explain) -> Outcome | str:
    fact = ctx.block_leaders.get(uid)
    if fact is None:
        return Outcome(UNKNOWN, "leads_block_unknown", {"year": ctx.year}) if explain else UNKNOWN
    if not explain:
        return MET if fact.value else NOT_MET
    args = {"year": ctx.year, "evidence": fact.evidence or "—"}
    return Outcome(
        MET if fact.value else NOT_MET, "leads_block_yes" if fact.value else "leads_block_no", args
    )


# Rule sets under which Circular 15/2025/TT-BNV is in force (from 1/7/2025).
CIRCULAR_15_RULE_SETS = frozenset({"152_2025", "2026_amendment"})


def unit_active(ctx: Ctx, kind, uid, code, explain=True) -> Outcome | str:
    """The unit still exists on the evaluation day. A unit dissolved through a
    reorganisation (absorbed by a merge, divided by a split) is refused under Circular
    15/2025/TT-BNV ("no award to a unit dissolved through reorganisation") where that
    circular is in force; any other dissolution, or a reorganisation under an earlier
    regime, leaves no recipient for the award (no text is encoded for it)."""
    unit = ctx.facts.units.get(uid)
    if unit and unit.dissolved_on and unit.dissolved_on <= ctx.day:
        if not explain:
            return NOT_MET
        args = {"dissolved": unit.dissolved_on}
        if unit.reorganised and ctx.rule_set.id in CIRCULAR_15_RULE_SETS:
            return Outcome(NOT_MET, "unit_dissolved_reorganised", args)
        key = "unit_reorganised_earlier" if unit.reorganised else "unit_dissolved"
        return Outcome(NOT_MET, key, args)
    return Outcome(MET, "unit_active", {"day": ctx.day}) if explain else MET
