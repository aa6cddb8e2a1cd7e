"""The eligibility engine: who may be proposed for which title or form, and why.

`run()` evaluates every subject × award of a population for one achievement year, under
the rule set in force on the dossier date (docs/legal/regimes.md), and adds the set-level
checks (quotas per unit, one achievement → one award). `evaluate()` returns its results;
`suggestions()` lists who has just become eligible for a higher form. Pages, the API and
the CLI call these and only format what they return.

Guarantees:
- a constant number of queries whatever the population (facts are loaded per kind, see
  `loading.load_facts`, for the years the criteria read), then pure Python;
- every criterion is `met`, `not_met` or `unknown`, never `met` on missing data; the
  verdict is `deferred` while a review is pending, `not_eligible` if a criterion is not met,
  `needs_attestation` if one is unknown (a judgement of the council or a fact not
  recorded), else `eligible`;
- an evaluation under a rule set that is not encoded (the 2026 amendment) uses the
  criteria of the rule set it falls back to and says so in every result.

How it stays fast at province scale: a run decides verdicts in the checks' status-only
mode (no arguments, no sentences, no per-criterion objects; a criterion not met ends the
verdict), memoised per award and subject, and keeps one small `Result` per subject × award.
A result's criteria are explained — by the very same check functions, in their explaining
mode — only when they are read (`Result.criteria`, `as_dict()`), from the facts the run
kept. Both modes share each check's logic, so the verdict shown beside an explanation is
the verdict the explanation gives.
"""

import dataclasses
import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress, filterfalse
from typing import NamedTuple

from django.utils.translation import gettext as _

from thidua.accounts.scope import subtree_ids, unit_ids_for
from thidua.collector import cycle_collector_paused
from thidua.org.models import Person, Unit
from thidua.routers import replica_reads
from thidua.rules import parameters, primitives
from thidua.rules.definitions import COLL, HH, IND, Definitions, RuleSet, get_definitions
from thidua.rules.facts import Facts, year_bounds
from thidua.rules.loading import load_facts
from thidua.rules.primitives import (
    ATTEST,
    DEFERRED,
    ELIGIBLE,
    MET,
    NEEDS_ATTESTATION,
    NOT_ELIGIBLE,
    NOT_MET,
    UNKNOWN,
    Compiled,
    Outcome,
)
from thidua.rules.quotas import QUOTA_CODES, duplicate_awards, quota_report
from thidua.rules.results import CriterionResult, Result, Results  # noqa: F401 (re-exported)
from thidua.vietnamese import sort_key

VERDICTS = (ELIGIBLE, NOT_ELIGIBLE, NEEDS_ATTESTATION, DEFERRED)

# Checks every evaluation makes, whatever the award file says.
_REVIEW = Compiled(
    primitives.Criterion(
        id="no_pending_review",
        check="review",
        params={},
        article={
            "2017": "Nghị định 91/2017",
            "98_2023": "Nghị định 98/2023",
            "default": "Nghị định 152/2025, Điều 4(4)",
        },
        confidence="V2",
    ),
    primitives.under_review,
    (),
)
_UNIT_EXISTS = primitives.Criterion(
    id="unit_exists", check="unit_active", params={}, article={}, confidence="V1"
)
# The basis of the "unit still exists" criterion, by what its outcome found: Circular
# 15/2025 for a unit dissolved through reorganisation where the circular is in force;
# otherwise no text is encoded (the award would have no recipient) [UNVERIFIED].
_UNIT_ACTIVE = {
    "unit_dissolved_reorganised": Compiled(
        dataclasses.replace(_UNIT_EXISTS, article={"default": "Thông tư 15/2025/TT-BNV"}),
        primitives.unit_active,
        (),
    ),
    "unit_active": Compiled(
        dataclasses.replace(
            _UNIT_EXISTS,
            article=dict.fromkeys(primitives.CIRCULAR_15_RULE_SETS, "Thông tư 15/2025/TT-BNV"),
        ),
        primitives.unit_active,
        (),
    ),
}
_UNIT_GONE = Compiled(
    dataclasses.replace(_UNIT_EXISTS, confidence="UNVERIFIED"), primitives.unit_active, ()
)
_REGISTERED = Compiled(
    primitives.Criterion(
        id="registered",
        check="registered",
        params={},
        article={"default": "—"},
        confidence="UNVERIFIED",
    ),
    primitives.registered,
    (("parameter", {"name": "registration_required", "value": True}),),
)
_NO_CRITERIA = primitives.Criterion(
    id="criteria", check="none", params={}, article={}, confidence="V2"
)

# Status-only verdicts, shared by every subject: (verdict, attest_only). attest_only is
# None for not_eligible (the run stops at the first criterion not met and does not need
# it; `Result.attest_only` explains the result to answer it).
_V_ELIGIBLE = (ELIGIBLE, True)
_V_NOT_ELIGIBLE = (NOT_ELIGIBLE, None)
_V_ATTEST = (NEEDS_ATTESTATION, True)
_V_UNKNOWN = (NEEDS_ATTESTATION, False)
# The verdict of a subject no criterion failed, by its attest_only so far (None: nothing
# open), and the statuses that leave nothing open.
_V_OPEN = {None: _V_ELIGIBLE, True: _V_ATTEST, False: _V_UNKNOWN}
_DECIDED = frozenset({MET, NOT_MET})


class UnknownCode(LookupError):
    """Codes given to `run()` that name no unit, person or award."""

    def __init__(self, kind: str, codes: list[str]):
        super().__init__(kind, codes)
        self.kind, self.codes = kind, codes


class DossierDateTooEarly(ValueError):
    """A dossier date before the achievement year is over (before its year-end dossier
    date): no dossier for the year can exist yet, and an earlier date would silently pick
    an older rule set."""

    def __init__(self, year: int, day: datetime.date, earliest: datetime.date):
        super().__init__(year, day, earliest)
        self.year, self.day, self.earliest = year, day, earliest

    @property
    def message(self) -> str:
        return _(
            "The dossier date %(day)s is before the end of achievement year %(year)s: a "
            "dossier for %(year)s is received from %(earliest)s (the year-end review). "
            "Choose that date or a later one."
        ) % {
            "day": f"{self.day:%d/%m/%Y}",
            "year": self.year,
            "earliest": f"{self.earliest:%d/%m/%Y}",
        }


def check_dossier_date(year: int, as_of: datetime.date | None, params: dict | None = None):
    """Refuse (`DossierDateTooEarly`) a dossier date before the year's own dossier date."""
    if as_of is None:
        return
    earliest = dossier_date(year, params or parameters.resolve(None))
    if as_of < earliest:
        raise DossierDateTooEarly(year, as_of, earliest)


class Evaluated(NamedTuple):
    verdict: str
    outcomes: tuple  # ((Compiled, Outcome), ...)
    attest_only: bool  # every unknown is a judgement of the council, no fact is missing


class Engine(primitives.Ctx):
    """Evaluates awards over one `Facts` for one year.

    `verdict()` decides in the checks' status-only mode; `evaluate()` explains, with every
    criterion's outcome. Both are memoised per award × subject, so that an award referring
    to another (CSTĐCS → LĐTT, TTLĐTT → its members' LĐTT) evaluates it once."""

    def __init__(self, facts: Facts, year: int, day: datetime.date, params: dict, definitions):
        rule_set = definitions.rule_set_on(day)
        super().__init__(
            facts, year, day, params, definitions, rule_set, definitions.effective(rule_set)
        )
        self.definitions: Definitions = definitions
        self._compiled: dict = {}
        self._memo: dict = {}
        self._plans: dict = {}

    @property
    def ctx(self):
        return self

    def compiled(self, code: str, kind: str):
        key = (code, kind)
        if key not in self._compiled:
            criteria = self.definitions.awards[code].criteria(self.effective.id, kind)
            self._compiled[key] = (
                None
                if criteria is None
                else tuple(primitives.compile_criterion(c, self.params) for c in criteria)
            )
        return self._compiled[key]

    # --- explaining mode ---------------------------------------------------------------------

    def evaluate(self, code: str, kind: str, sid: int, *, keep: bool = True) -> Evaluated:
        """Every criterion's outcome for the subject, and the verdict they give. `keep`
        memoises it (sub-evaluations are read again by other awards)."""
        key = (code, kind, sid)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        outcomes = [(_REVIEW, primitives.under_review(self, kind, sid, code, True))]
        if kind == COLL:
            outcome = primitives.unit_active(self, kind, sid, code, True)
            outcomes.append((_UNIT_ACTIVE.get(outcome.key, _UNIT_GONE), outcome))
        award = self.definitions.awards[code]
        # Registration is recorded for people and units only (households register with
        # their village, outside the system).
        if self.params["registration_required"] and award.entry.kind == "title" and kind != HH:
            outcomes.append((_REGISTERED, primitives.registered(self, kind, sid, code, True)))
        compiled = self.compiled(code, kind)
        if compiled is None:
            args = {"award": code, "rule_set": self.effective.id}
            no_criteria = Compiled(_NO_CRITERIA, None, ())
            outcomes.append((no_criteria, Outcome(UNKNOWN, "no_criteria", args)))
        else:
            for item in compiled:
                outcomes.append((item, item.fn(self, kind, sid, code, True)))
        statuses = {o.status for _c, o in outcomes}
        if outcomes[0][1].status == NOT_MET:
            verdict = DEFERRED
        elif NOT_MET in statuses:
            verdict = NOT_ELIGIBLE
        elif UNKNOWN in statuses:
            verdict = NEEDS_ATTESTATION
        else:
            verdict = ELIGIBLE
        attest_only = all(o.attest for _c, o in outcomes if o.status == UNKNOWN)
        result = Evaluated(verdict, tuple(outcomes), attest_only)
        if keep:
            self._memo[key] = result
        return result

    sub = evaluate

    def explain(self, code: str, kind: str, sid: int) -> Evaluated:
        """The explained evaluation of one result, not kept (an export explains every
        result once; only what other awards read again is memoised)."""
        return self.evaluate(code, kind, sid, keep=False)

    # --- status-only mode --------------------------------------------------------------------

    def verdict(self, code: str, kind: str, sid: int) -> tuple[str, bool | None]:
        """(verdict, attest_only) of `code` for the subject, memoised; attest_only is None
        for not_eligible (the verdict stops at the first criterion not met)."""
        plan = self._plans.get((code, kind)) or self._plan(code, kind)
        found = plan[0].get(sid)
        return found if found is not None else self._decide(plan, code, kind, sid)

    def verdicts(self, code: str, kind: str, sids) -> list[tuple[str, bool | None]]:
        """(verdict, attest_only) of `code` for each of the subjects `sids` of one kind,
        decided column by column (see `_decide_many`)."""
        plan = self._plan(code, kind)
        memo = plan[0]
        todo = list(filterfalse(memo.__contains__, sids))
        if todo:
            self._decide_many(plan, code, kind, todo)
        return list(map(memo.__getitem__, sids))

    def _plan(self, code: str, kind: str) -> tuple:
        """What deciding `code` for subjects of `kind` needs, built once: (memo, the
        status-only functions in order, whether criteria exist, subjects with reviews, the
        functions' column-wise forms or None). Plain data, no closure over the engine: a
        finished run holds no reference cycle."""
        key = (code, kind)
        plan = self._plans.get(key)
        if plan is None:
            compiled = self.compiled(code, kind)
            fns = ()
            if kind == COLL:
                fns += (primitives.unit_active,)
            if (
                self.params["registration_required"]
                and self.definitions.awards[code].entry.kind == "title"
                and kind != HH
            ):
                fns += (primitives.registered,)
            fns += tuple(c.fn for c in compiled or ())
            reviewed = {
                IND: self.facts.person_reviews,
                COLL: self.facts.unit_reviews,
            }.get(kind, {})
            many = tuple(getattr(fn, "many", None) for fn in fns)
            plan = self._plans[key] = ({}, fns, compiled is not None, reviewed, many)
        return plan

    def _decide(self, plan: tuple, code: str, kind: str, sid: int) -> tuple[str, bool | None]:
        """The criteria's status-only functions in order, stopping at the first one not met.
        A subject under review is deferred, and every criterion is asked whether only
        judgements would remain (`Evaluated.attest_only`); an award without criteria for
        the rule set is rare and decided by the explaining path (the same answer)."""
        memo, fns, has_criteria, reviewed, _many = plan
        if not has_criteria:
            explained = self.evaluate(code, kind, sid)
            verdict = explained.verdict
            found = (verdict, None if verdict == NOT_ELIGIBLE else explained.attest_only)
        elif sid in reviewed and self.pending_review(kind, sid) is not None:
            statuses = [fn(self, kind, sid, code, False) for fn in fns]
            found = (DEFERRED, UNKNOWN not in statuses)
        else:
            unknown, attest_only = False, True
            for fn in fns:
                status = fn(self, kind, sid, code, False)
                if status == MET:
                    continue
                if status == NOT_MET:
                    found = _V_NOT_ELIGIBLE
                    break
                unknown = True
                if status != ATTEST:
                    attest_only = False
            else:  # no criterion is not met
                found = (_V_ATTEST if attest_only else _V_UNKNOWN) if unknown else _V_ELIGIBLE
        memo[sid] = found
        return found

    def _decide_many(self, plan: tuple, code: str, kind: str, sids: list[int]) -> None:
        """`_decide` for many subjects, criterion by criterion: each status-only function
        (or its column-wise form, `fn.many`) is asked of the subjects that no earlier
        criterion failed — the same calls, in the same order per subject, as `_decide`
        makes, without a Python frame per subject and criterion."""
        memo, fns, has_criteria, reviewed, many = plan
        if not has_criteria:
            for sid in sids:
                self._decide(plan, code, kind, sid)
            return
        alive = sids
        if reviewed:  # few subjects: those with a review pending are decided one by one
            pending = {sid for sid in list(reviewed) if self.pending_review(kind, sid) is not None}
            if pending:
                for sid in filter(pending.__contains__, sids):
                    self._decide(plan, code, kind, sid)
                alive = list(filterfalse(pending.__contains__, sids))
        unknown: dict[int, bool] = {}  # subject → attest_only so far, once a status is open
        for fn, fn_many in zip(fns, many, strict=True):
            if not alive:
                return
            if fn_many is not None:
                statuses = fn_many(self, kind, alive, code)
            else:
                statuses = [fn(self, kind, sid, code, False) for sid in alive]
            found = set(statuses)
            if len(found) == 1:  # one status for all (e.g. no judgement recorded)
                if MET in found:
                    continue
                if NOT_MET in found:
                    memo.update(dict.fromkeys(alive, _V_NOT_ELIGIBLE))
                    return
                if ATTEST in found:
                    unknown = {**dict.fromkeys(alive, True), **unknown}
                else:
                    unknown.update(dict.fromkeys(alive, False))
                continue
            # Several statuses: the same bookkeeping as `_decide`'s, a status at a time
            # over the column (comprehensions and C iterators, no branch per subject).
            if NOT_MET in found:
                failed = list(map(NOT_MET.__eq__, statuses))
                memo.update(dict.fromkeys(compress(alive, failed), _V_NOT_ELIGIBLE))
                kept = list(map(operator.not_, failed))
                alive = list(compress(alive, kept))
                statuses = list(compress(statuses, kept))
            for status in found - _DECIDED:
                chosen = compress(alive, map(status.__eq__, statuses))
                if status == ATTEST:  # attest_only stays as it was, True if first open
                    unknown = {**dict.fromkeys(chosen, True), **unknown}
                else:
                    unknown.update(dict.fromkeys(chosen, False))
        if not unknown:
            memo.update(dict.fromkeys(alive, _V_ELIGIBLE))
            return
        memo.update(zip(alive, map(_V_OPEN.__getitem__, map(unknown.get, alive)), strict=True))


@dataclass
class Evaluation:
    """Everything one run produced: results, set-level checks and the context."""

    year: int
    dossier_date: datetime.date
    rule_set: RuleSet
    evaluated_under: RuleSet
    parameters: dict
    results: Results
    quotas: list[dict]
    duplicates: list[dict]
    queries: int
    facts: Facts = field(repr=False)
    engine: Engine | None = field(default=None, repr=False)
    # subject kind → ids of the subjects evaluated (people in `facts.people` of the
    # population; units that existed in the year, whatever their kind; households)
    evaluated: dict = field(default_factory=dict, repr=False)

    @property
    def notes(self) -> list[str]:
        return [] if self.rule_set.encoded else [self.rule_set.note]


def dossier_date(year: int, params: dict) -> datetime.date:
    """The date an annual dossier for `year` is presumed received (deployment parameter
    dossier_month_day, default 10/12 of the achievement year)."""
    month, day = params["dossier_month_day"]
    return datetime.date(year, month, day)


def _ids(items, model) -> set[int]:
    ids, codes = set(), []
    for item in items:
        if isinstance(item, model):
            ids.add(item.pk)
        elif isinstance(item, int):
            ids.add(item)
        else:
            codes.append(item)
    if codes:
        found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
        missing = sorted(set(codes) - found.keys())
        if missing:
            raise UnknownCode(model.__name__.lower(), missing)
        ids.update(found.values())
    return ids


def _default_codes(definitions: Definitions, subjects) -> list[str]:
    return [
        code
        for code, award in definitions.awards.items()
        if award.annual and award.entry.subjects & set(subjects)
    ]


def history_years(definitions: Definitions, rule_set_id: str, codes, subjects, params) -> dict:
    """Years of history before the evaluated one that evaluating `codes` for `subjects`
    reads, per kind of history (see `primitives.reach`), each at most the deployment's
    history_horizon_years."""
    horizon = params["history_horizon_years"]
    seen: dict = {}

    def referred(code, subject):
        key = (code, subject)
        if key not in seen:
            seen[key] = {}  # `meets_award` cannot loop (checked at start)
            criteria = definitions.awards[code].criteria(rule_set_id, subject) or ()
            seen[key] = primitives.reach(criteria, params, lambda c, s=subject: referred(c, s))
        return seen[key]

    found = dict(primitives.ONLY_THIS_YEAR)
    for code in codes:
        for subject in set(subjects) & definitions.awards[code].entry.subjects - {HH}:
            found = primitives.widest(found, referred(code, subject))
    return {
        kind: horizon if years is None else min(years, horizon) for kind, years in found.items()
    }


def run(
    year: int,
    *,
    units: Iterable | None = None,
    award_codes: Iterable[str] | None = None,
    as_of: datetime.date | None = None,
    subjects: Iterable[str] = (IND, COLL),
    people: Iterable | None = None,
    user=None,
    parameters_override: dict | None = None,
    subtree: bool = True,
    received_on: datetime.date | None = None,
    households: Iterable | None = None,
) -> Evaluation:
    """Evaluate `award_codes` (default: every annual title) for achievement `year`.

    - `units`: units (objects, ids or codes) whose subtrees are evaluated — the units
      themselves as collectives and everyone employed in them during the year as
      individuals; None: the whole database. `subtree=False`: these units only.
    - `people`: evaluate exactly these people as individuals (with `units=None`, no
      collective is evaluated): the path for re-evaluating one person after a change.
    - `as_of`: the dossier date, which picks the rule set; default `dossier_date(year)`.
      A date before the year's own dossier date is refused (`DossierDateTooEarly`).
    - `received_on`: instead of `as_of`, the day a real dossier was received (a proposal
      submitted on that day): it picks the rule set whatever day of the year it is,
      since the text in force on receipt governs (docs/legal/regimes.md).
    - `user`: limit everything to the user's scope (`accounts.scope`); None is the system.
    - households (with "household" in `subjects`): `households` (objects or ids) if
      given, else those of the communes among the units evaluated.
    """
    with cycle_collector_paused(), replica_reads():
        return _run(
            year,
            units,
            award_codes,
            as_of,
            subjects,
            people,
            user,
            parameters_override,
            subtree=subtree,
            received_on=received_on,
            households=households,
        )


# Units making at least this share of all units are a "wide" population (a partition of
# the country, `partition.run`): its rows are chosen in Python (`loading.load_facts`).
WIDE_SHARE = 0.25


def _population(units, people, user, subtree) -> tuple[set | None, set | None, bool]:
    """(unit ids, person ids, wide) to evaluate; None: every one. The user's scope limits
    both. `wide`: the units are a large share of all units (see `WIDE_SHARE`)."""
    scope = unit_ids_for(user) if user is not None else None
    unit_ids: set[int] | None = None
    if units is not None:
        unit_ids = _ids(units, Unit)
        if subtree:
            unit_ids = subtree_ids(unit_ids)
    if scope is not None:
        unit_ids = set(scope) if unit_ids is None else unit_ids & scope
    wide = False
    if unit_ids is not None and len(unit_ids) > 1:
        total = Unit.objects.count()
        if len(unit_ids) >= total:
            # Every unit (the province's root, a province-wide role): no filter to apply.
            unit_ids = None
        else:
            wide = len(unit_ids) >= WIDE_SHARE * total
    person_ids = None
    if people is not None:
        person_ids = _ids(people, Person)
        if scope is not None:
            from thidua.accounts.scope import people as people_in_scope

            person_ids &= set(
                people_in_scope(user).filter(pk__in=person_ids).values_list("pk", flat=True)
            )
        if units is None:
            # Only these people: the user's scope limited them above; no unit is evaluated
            # and nothing is wide, however many units that scope holds.
            unit_ids, wide = set(), False
    return unit_ids, person_ids, wide


def _units_of_year(facts: Facts, unit_ids, year: int) -> list[int]:
    """The units (of `unit_ids`, None: all loaded) that existed during `year`."""
    lo, hi = year_bounds(year)
    return [
        uid
        for uid, unit in facts.units.items()
        if (unit_ids is None or uid in unit_ids)
        and (unit.established_on is None or unit.established_on < hi)
        and (unit.dissolved_on is None or unit.dissolved_on > lo)
    ]


def _run(
    year,
    units,
    award_codes,
    as_of,
    subjects,
    people,
    user,
    parameters_override,
    *,
    subtree=True,
    full_history=False,
    decide=True,
    records_only=False,
    received_on=None,
    households=None,
):
    """`run()`; `full_history`: load the whole horizon whatever the criteria read;
    `decide=False`: load and prepare only (no results, no set-level checks), for a caller
    asking `Evaluation.engine.verdict()` of a few subjects; `records_only`: alternatives
    open only through a judgement of the council are closed (suggestions)."""
    definitions = get_definitions()
    params = parameters.resolve(parameters_override)
    subjects = tuple(subjects)
    if received_on is not None:
        as_of = received_on
    else:
        check_dossier_date(year, as_of, params)
    day = as_of or dossier_date(year, params)
    codes = list(award_codes) if award_codes else _default_codes(definitions, subjects)
    unknown = [c for c in codes if c not in definitions.awards]
    if unknown:
        raise UnknownCode("award", unknown)

    unit_ids, person_ids, wide = _population(units, people, user, subtree)
    effective = definitions.effective(definitions.rule_set_on(day))
    horizon = params["history_horizon_years"]
    history = None  # the whole horizon, for every kind of history
    if not full_history:
        # and what the quotas read (LĐTT and CSTĐCS candidates), whatever was asked
        quota_codes = [c for c in QUOTA_CODES if c in definitions.awards and c not in codes]
        read = codes + quota_codes if decide and IND in subjects else codes
        history = history_years(definitions, effective.id, read, subjects, params)
    chosen = None
    if HH in subjects and any(HH in definitions.awards[c].entry.subjects for c in codes):
        if households is None:
            chosen = (unit_ids, None)
        else:
            chosen = (set(), {getattr(h, "pk", h) for h in households})
    facts = load_facts(
        year,
        unit_ids=unit_ids,
        person_ids=person_ids,
        horizon=horizon,
        history=history,
        households=chosen,
        wide=wide,
    )
    engine = Engine(facts, year, day, params, definitions)
    engine.records_only = records_only
    evaluated_units = _units_of_year(facts, unit_ids, year)
    primitives.ask_sources(engine, evaluated_units, facts.population)
    people_evaluated = facts.people.among(facts.population)
    results = Results(engine)
    for code in codes if decide else ():
        award = definitions.awards[code]
        if IND in subjects and IND in award.entry.subjects:
            results.add(code, IND, people_evaluated)
        if COLL in subjects and COLL in award.entry.subjects:
            kinds = award.unit_kinds
            results.add(code, COLL, [u for u in evaluated_units if facts.units[u].kind in kinds])
        if chosen is not None and HH in award.entry.subjects:
            results.add(code, HH, list(facts.households))
    return Evaluation(
        year=year,
        dossier_date=day,
        rule_set=engine.rule_set,
        evaluated_under=engine.effective,
        parameters=params,
        results=results,
        quotas=quota_report(engine, results) if decide else [],
        duplicates=duplicate_awards(engine, evaluated_units) if decide else [],
        queries=facts.queries,
        facts=facts,
        engine=engine,
        evaluated={IND: people_evaluated, COLL: evaluated_units, HH: list(facts.households)},
    )


def evaluate(year: int, **kwargs) -> Results:
    """The results of `run()` (same arguments)."""
    return run(year, **kwargs).results


# --- proactive suggestions -----------------------------------------------------------------


def suggestions(
    unit, year: int, *, as_of=None, user=None, parameters_override=None
) -> list[Result]:
    """Who in `unit`'s subtree has just become eligible for a higher form: every award
    marked `suggest` whose criteria are met on the records for `year`, ranking above every
    award the subject holds, and not already within reach the year before. Highest forms
    first.

    "Met on the records": every criterion is met, or is a judgement every proposal needs
    (conduct, "selected by the council"); an alternative open only through a judgement
    (a sudden or exceptional achievement the council would attest) does not count, else
    every newcomer would be suggested for every order. The results' explanations are
    those of this reading."""
    definitions = get_definitions()
    codes = [c for c, a in definitions.awards.items() if a.suggest]
    args = ([unit], codes)
    rest = ((IND, COLL), None, user, parameters_override)
    with cycle_collector_paused(), replica_reads():
        # The whole history: the rank of every award the subject ever held counts.
        now = _run(year, *args, as_of, *rest, full_history=True, records_only=True)
        # The year before, asked only of this year's candidates.
        before = _run(year - 1, *args, None, *rest, decide=False, records_only=True)
    awards = definitions.awards
    earlier = {kind: set(ids) for kind, ids in before.evaluated.items()}

    def data_met(verdict, attest_only):
        return verdict == ELIGIBLE or (verdict == NEEDS_ATTESTATION and attest_only)

    def reachable_before(code, kind, sid):
        if sid not in earlier[kind]:
            return False
        if kind == COLL and before.facts.units[sid].kind not in awards[code].unit_kinds:
            return False
        return data_met(*before.engine.verdict(code, kind, sid))

    found = []
    for code, kind, sid, verdict, attest_only in now.results.verdicts():
        if (
            not data_met(verdict, attest_only)
            or held_rank(now.facts, kind, sid, year) >= awards[code].rank
            or reachable_before(code, kind, sid)
        ):
            continue
        found.append(Result(now.engine, kind, sid, code, verdict, attest_only))
    found.sort(key=lambda r: (-awards[r.award_code].rank, r.subject_kind, sort_key(r.subject_name)))
    return found


def held_rank(facts: Facts, kind: str, sid: int, year: int) -> int:
    """The highest catalog rank among the valid awards the subject holds up to `year`."""
    awards = (facts.person_awards if kind == IND else facts.unit_awards).get(sid, {})
    ranks = get_definitions().awards
    return max(
        (
            ranks[code].rank
            for code, items in awards.items()
            if code in ranks and any(a.first_year <= year for a in items)
        ),
        default=0,
    )
