"""Compiling criteria: the check table, composites (any_of / all_of), bound parameters."""

from functools import partial

from thidua.rules.definitions import Criterion
from thidua.rules.primitives.attestation import attest, attest_many
from thidua.rules.primitives.base import (
    ATTEST,
    MET,
    NOT_MET,
    UNKNOWN,
    Compiled,
    Outcome,
)
from thidua.rules.primitives.collectives import (
    leads_block,
    member_holds_award,
    no_member_discipline,
    share_of_members,
)
from thidua.rules.primitives.discipline import no_discipline, no_discipline_many
from thidua.rules.primitives.initiatives import initiative, initiative_many
from thidua.rules.primitives.ratings import rating_at_least, rating_at_least_many, rating_streak
from thidua.rules.primitives.tenure import _prepare_post_tenure, post_tenure
from thidua.rules.primitives.titles import (
    consecutive_awards,
    meets_award,
    meets_award_many,
    title_streak,
    title_streak_many,
)
from thidua.rules.primitives.windows import since_award

# Derived parameters computed once when a criterion is compiled.
PREPARE = {"post_tenure": _prepare_post_tenure}

CHECK_FUNCTIONS = {
    "rating_at_least": rating_at_least,
    "rating_streak": rating_streak,
    "title_streak": title_streak,
    "consecutive_awards": consecutive_awards,
    "meets_award": meets_award,
    "since_award": since_award,
    "initiative": initiative,
    "no_discipline": no_discipline,
    "share_of_members": share_of_members,
    "no_member_discipline": no_member_discipline,
    "member_holds_award": member_holds_award,
    "leads_block": leads_block,
    "post_tenure": post_tenure,
    "attest": attest,
}

# Column-wise forms, (params, ctx, kind, subject ids, award code) -> statuses: the same
# status-only answers as the checks', for many subjects at once, where most subjects are
# decided by a dict lookup.
MANY_FUNCTIONS = {
    "rating_at_least": rating_at_least_many,
    "meets_award": meets_award_many,
    "title_streak": title_streak_many,
    "no_discipline": no_discipline_many,
    "attest": attest_many,
    "initiative": initiative_many,
}

# Deployment parameters a check reads besides its own "@" references (named in the
# explanation, since their defaults rest on [UNVERIFIED] readings).
IMPLICIT_PARAMETERS = {
    "title_streak": ("current_year_is_streak_end",),
    "consecutive_awards": ("current_year_is_streak_end",),
    "since_award": ("window_first_year",),
    "initiative": ("initiative_reuse_across_titles",),
}


def _composite(options: tuple, every: bool):
    """any_of / all_of. For `Ctx.records_only` (suggestions), an any_of leaves out its
    alternatives that only a judgement of the council would open (a sudden or exceptional
    achievement): a suggestion must rest on the records."""
    full = _composite_run(options, every)
    judged = [c for c in options if c.criterion.check == "attest"]
    if every or not judged:
        return full
    kept = tuple(c for c in options if c.criterion.check != "attest")
    on_records = _composite_run(kept, every) if kept else _no_route

    def run(ctx, kind, sid, code, explain):
        return (on_records if ctx.records_only else full)(ctx, kind, sid, code, explain)

    def many(ctx, kind, sids, code):
        return (on_records if ctx.records_only else full).many(ctx, kind, sids, code)

    run.many = many
    return run


def _no_route(ctx, kind, sid, code, explain):
    return Outcome(NOT_MET, "any_not_met", {}) if explain else NOT_MET


_no_route.many = lambda ctx, kind, sids, code: [NOT_MET] * len(sids)


def _composite_run(options: tuple, every: bool):
    fns = tuple(compiled.fn for compiled in options)

    def run(ctx, kind, sid, code, explain):
        if not explain:
            unknown = attest_any = False
            attest_all = True
            for fn in fns:
                status = fn(ctx, kind, sid, code, False)
                if status == MET:
                    if not every:
                        return MET
                elif status == NOT_MET:
                    if every:
                        return NOT_MET
                else:
                    unknown = True
                    if status == ATTEST:
                        attest_any = True
                    else:
                        attest_all = False
            if every:
                return (ATTEST if attest_all else UNKNOWN) if unknown else MET
            return (ATTEST if attest_any else UNKNOWN) if unknown else NOT_MET
        children = []
        for compiled in options:
            outcome = compiled.fn(ctx, kind, sid, code, True)
            children.append((compiled, outcome))
            if not every and outcome.status == MET:
                return Outcome(
                    MET, "any_met", {"option": compiled.criterion.id}, children=tuple(children)
                )
        statuses = [o.status for _c, o in children]
        if every:
            if NOT_MET in statuses:
                return Outcome(NOT_MET, "all_not_met", {}, children=tuple(children))
            if UNKNOWN in statuses:
                attest_only = all(o.attest for _c, o in children if o.status == UNKNOWN)
                return Outcome(
                    UNKNOWN, "all_unknown", {}, children=tuple(children), attest=attest_only
                )
            return Outcome(MET, "all_met", {}, children=tuple(children))
        if UNKNOWN in statuses:
            attest_any = any(o.attest for _c, o in children if o.status == UNKNOWN)
            return Outcome(UNKNOWN, "any_unknown", {}, children=tuple(children), attest=attest_any)
        return Outcome(NOT_MET, "any_not_met", {}, children=tuple(children))

    def many(ctx, kind, sids, code):
        """`run` in status-only mode for many subjects, option by option over the subjects
        the options so far leave undecided (the same calls per subject as `run`)."""
        found = [None] * len(sids)
        open_ = range(len(sids))
        unknown: dict[int, list[bool]] = {}  # index → [some attest, every attest]
        for fn in fns:
            if not open_:
                break
            asked = [sids[i] for i in open_]
            fn_many = getattr(fn, "many", None)
            if fn_many is not None:
                statuses = fn_many(ctx, kind, asked, code)
            else:
                statuses = [fn(ctx, kind, sid, code, False) for sid in asked]
            kept = []
            for i, status in zip(open_, statuses, strict=True):
                if status == MET:
                    if not every:
                        found[i] = MET
                        continue
                elif status == NOT_MET:
                    if every:
                        found[i] = NOT_MET
                        continue
                else:
                    flags = unknown.get(i)
                    if flags is None:
                        flags = unknown[i] = [False, True]
                    if status == ATTEST:
                        flags[0] = True
                    else:
                        flags[1] = False
                kept.append(i)
            open_ = kept
        for i in open_:
            flags = unknown.get(i)
            if flags is None:
                found[i] = MET if every else NOT_MET
            else:
                found[i] = ATTEST if flags[1 if every else 0] else UNKNOWN
        return found

    run.many = many
    return run


def compile_criterion(criterion: Criterion, params: dict) -> Compiled:
    """Bind a criterion's parameters (resolving "@name" deployment parameters) into a
    function of (ctx, subject kind, subject id, award code, explain)."""
    notes = []
    for name in IMPLICIT_PARAMETERS.get(criterion.check, ()):
        notes.append(("parameter", {"name": name, "value": params[name]}))
    bound = {}
    for key, value in criterion.params.items():
        if isinstance(value, str) and value.startswith("@"):
            notes.append(("parameter", {"name": value[1:], "value": params[value[1:]]}))
            value = params[value[1:]]
        elif isinstance(value, dict):
            for inner in value.values():
                if isinstance(inner, str) and inner.startswith("@"):
                    notes.append(("parameter", {"name": inner[1:], "value": params[inner[1:]]}))
        bound[key] = value
    if criterion.check in ("any_of", "all_of"):
        options = tuple(compile_criterion(o, params) for o in criterion.options)
        fn = _composite(options, criterion.check == "all_of")
    else:
        prepare = PREPARE.get(criterion.check)
        if criterion.check == "attest":  # attestations are recorded per criterion id
            bound["_id"] = criterion.id
        bound = prepare(bound) if prepare else bound
        fn = partial(CHECK_FUNCTIONS[criterion.check], bound)
        many = MANY_FUNCTIONS.get(criterion.check)
        if many is not None:  # the status-only form for many subjects (`Engine.verdicts`)
            fn.many = partial(many, bound)
    return Compiled(criterion, fn, tuple(notes))
