"""The eligibility engine: who may be proposed for which title or form, and why.

`run()` evaluates every subject × award of a population for one achievement year, under
the rule set in force on the dossier date (legal-rules.md §0.2), and adds the set-level
checks (quotas per unit, one achievement → one award). `evaluate()` returns its results;
`suggestions()` lists who has just become eligible for a higher form. Pages, the API and
the CLI call these and only format what they return.

Guarantees:
- a constant number of queries whatever the population (facts are loaded per kind, see
  `facts.load_facts`), then pure Python;
- every criterion is `met`, `not_met` or `unknown`, never `met` on missing data; the
  verdict is `deferred` while a review is pending, `not_eligible` if a criterion is not met,
  `needs_attestation` if one is unknown (a judgement of the council or a fact not
  recorded), else `eligible`;
- an evaluation under a rule set that is not encoded (the 2026 amendment) uses the
  criteria of the rule set it falls back to and says so in every result.
"""

import datetime
import gc
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from thidua.accounts.scope import subtree_ids, unit_ids_for
from thidua.org.models import Person, Unit
from thidua.rules import messages, parameters, primitives
from thidua.rules.definitions import COLL, HH, IND, Definitions, RuleSet, get_definitions
from thidua.rules.facts import LEVEL_RANK, Facts, load_facts, year_bounds
from thidua.rules.money import Bonus, bonus
from thidua.rules.primitives import MET, NOT_MET, UNKNOWN, Compiled, Outcome
from thidua.vietnamese import sort_key

ELIGIBLE, NOT_ELIGIBLE, NEEDS_ATTESTATION, DEFERRED = (
    "eligible",
    "not_eligible",
    "needs_attestation",
    "deferred",
)
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
_UNIT_ACTIVE = Compiled(
    primitives.Criterion(
        id="unit_exists",
        check="unit_active",
        params={},
        article={"default": "Thông tư 15/2025/TT-BNV"},
        confidence="V1",
    ),
    primitives.unit_active,
    (),
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


class UnknownCode(LookupError):
    """Codes given to `run()` that name no unit, person or award."""

    def __init__(self, kind: str, codes: list[str]):
        super().__init__(kind, codes)
        self.kind, self.codes = kind, codes


class Evaluated(NamedTuple):
    verdict: str
    outcomes: tuple  # ((Compiled, Outcome), ...)
    attest_only: bool  # every unknown is a judgement of the council, no fact is missing


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's outcome, rendered on demand in the active language."""

    id: str
    check: str
    outcome: str
    article: str
    confidence: str
    key: str
    args: dict
    notes: tuple
    alternatives: tuple  # CriterionResult of options or of a referred award's criteria

    @property
    def explanation(self) -> str:
        args = dict(self.args)
        if self.alternatives and "detail" not in args:
            # Name the facts that decided: the option that met, or what is missing.
            shown = [a for a in self.alternatives if a.outcome != MET] or list(self.alternatives)
            if self.key == "any_met":
                shown = [a for a in self.alternatives if a.id == args.get("option")]
            args["detail"] = messages.FRAGMENT_SEPARATOR.join(a.explanation for a in shown)
        elif "detail" not in args and self.key in _DETAIL_KEYS:
            args["detail"] = "—"
        text = messages.render(self.key, args)
        extra = [messages.render(k, a) for k, a in self.notes]
        if self.confidence == "UNVERIFIED":
            extra.append(messages.render("unverified", {}))
        if self.article:
            text = f"{text} ({self.article})"
        return " ".join([text, *extra])

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "check": self.check,
            "outcome": self.outcome,
            "outcome_label": str(messages.OUTCOME_LABELS[self.outcome]),
            "explanation": self.explanation,
            "article": self.article,
            "confidence": self.confidence,
            "alternatives": [a.as_dict() for a in self.alternatives],
        }


_DETAIL_KEYS = {
    "title_streak_pending",
    "title_streak_current_not_met",
    "any_met",
    "any_not_met",
    "any_unknown",
    "all_met",
    "all_not_met",
    "all_unknown",
    "standard_not_met",
    "standard_unknown",
}


@dataclass(slots=True)
class Result:
    """The verdict for one subject × award × year, with each criterion explained."""

    subject_kind: str
    subject_id: int
    subject_code: str
    subject_name: str
    award_code: str
    year: int
    rule_set: str  # in force on the dossier date
    evaluated_under: str  # whose criteria were used (differs when not encoded)
    verdict: str
    attest_only: bool
    dossier_date: datetime.date
    _outcomes: tuple = field(repr=False)

    @property
    def notes(self) -> list[str]:
        """Said with every result of a rule set that is not encoded (the 2026 amendment)."""
        rule_set = get_definitions().rule_sets[self.rule_set]
        return [] if rule_set.encoded else [rule_set.note]

    @property
    def criteria(self) -> list[CriterionResult]:
        return [_criterion_result(c, o, self.evaluated_under) for c, o in self._outcomes]

    @property
    def award(self):
        return get_definitions().awards[self.award_code]

    @property
    def data_met(self) -> bool:
        """Every criterion the records can decide is met (only judgements remain)."""
        return self.verdict == ELIGIBLE or (self.verdict == NEEDS_ATTESTATION and self.attest_only)

    def bonus(self, decision_date: datetime.date | None = None) -> Bonus | None:
        return bonus(self.award_code, self.subject_kind, decision_date or self.dossier_date)

    def authority(self, day: datetime.date | None = None):
        return self.award.authority_on(day or self.dossier_date)

    def as_dict(self) -> dict:
        authority = self.authority()
        money = self.bonus()
        return {
            "subject": {
                "kind": self.subject_kind,
                "id": self.subject_id,
                "code": self.subject_code,
                "name": self.subject_name,
            },
            "award": self.award_code,
            "award_name": self.award.entry.name,
            "year": self.year,
            "dossier_date": self.dossier_date.isoformat(),
            "rule_set": self.rule_set,
            "evaluated_under": self.evaluated_under,
            "verdict": self.verdict,
            "verdict_label": str(messages.VERDICT_LABELS[self.verdict]),
            "notes": list(self.notes),
            "authority": None
            if authority is None
            else {
                "tiers": list(authority.value),
                "article": authority.article,
                "confidence": authority.confidence,
            },
            "bonus": None
            if money is None
            else {
                "amount": money.amount,
                "coefficient": money.coefficient,
                "base_salary": money.base_salary,
                "on": self.dossier_date.isoformat(),
                "article": money.article,
                "confidence": money.confidence,
            },
            "criteria": [c.as_dict() for c in self.criteria],
        }


def _criterion_result(compiled: Compiled, outcome: Outcome, rule_set_id: str) -> CriterionResult:
    criterion = compiled.criterion
    alternatives = tuple(_criterion_result(c, o, rule_set_id) for c, o in outcome.children)
    return CriterionResult(
        id=criterion.id,
        check=criterion.check,
        outcome=outcome.status,
        article=criterion.article_for(rule_set_id) if criterion.article else "",
        confidence=criterion.confidence,
        key=outcome.key,
        args=outcome.args,
        notes=compiled.notes + outcome.notes,
        alternatives=alternatives,
    )


class Engine:
    """Evaluates awards over one `Facts` for one year; memoises every subject × award so
    that an award referring to another (CSTĐCS → LĐTT) evaluates it once."""

    def __init__(self, facts: Facts, year: int, day: datetime.date, params: dict, definitions):
        self.definitions: Definitions = definitions
        self.rule_set: RuleSet = definitions.rule_set_on(day)
        self.effective: RuleSet = definitions.effective(self.rule_set)
        self.params = params
        self.facts = facts
        self.year = year
        self.day = day
        self.ctx = primitives.Ctx(
            facts, year, day, params, definitions, self.rule_set, self.effective, self.evaluate
        )
        self._compiled: dict = {}
        self._memo: dict = {}

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

    def evaluate(self, code: str, kind: str, sid: int) -> Evaluated:
        key = (code, kind, sid)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        ctx = self.ctx
        outcomes = [(_REVIEW, primitives.under_review(ctx, kind, sid, code))]
        if kind == COLL:
            outcomes.append((_UNIT_ACTIVE, primitives.unit_active(ctx, kind, sid, code)))
        award = self.definitions.awards[code]
        if self.params["registration_required"] and award.entry.kind == "title":
            outcomes.append((_REGISTERED, primitives.registered(ctx, kind, sid, code)))
        compiled = self.compiled(code, kind)
        if compiled is None:
            args = {"award": code, "rule_set": self.effective.id}
            no_criteria = Compiled(_NO_CRITERIA, None, ())
            outcomes.append((no_criteria, Outcome(UNKNOWN, "no_criteria", args)))
        else:
            for item in compiled:
                outcomes.append((item, item.fn(ctx, kind, sid, code)))
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
        self._memo[key] = result
        return result


@dataclass
class Evaluation:
    """Everything one run produced: results, set-level checks and the context."""

    year: int
    dossier_date: datetime.date
    rule_set: RuleSet
    evaluated_under: RuleSet
    parameters: dict
    results: list[Result]
    quotas: list[dict]
    duplicates: list[dict]
    queries: int
    facts: Facts = field(repr=False)
    households_skipped: bool = False

    @property
    def notes(self) -> list[str]:
        notes = [] if self.rule_set.encoded else [self.rule_set.note]
        if self.households_skipped:
            notes.append(messages.render("no_households", {}))
        return notes


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


@contextmanager
def _without_cyclic_gc():
    """A whole-province run creates millions of small acyclic tuples; the cyclic garbage
    collector would rescan every live fact at each of its passes (quadratic time).
    Reference counting still frees everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
) -> Evaluation:
    """Evaluate `award_codes` (default: every annual title) for achievement `year`.

    - `units`: units (objects, ids or codes) whose subtrees are evaluated — the units
      themselves as collectives and everyone employed in them during the year as
      individuals; None: the whole database.
    - `people`: evaluate exactly these people as individuals (with `units=None`, no
      collective is evaluated): the path for re-evaluating one person after a change.
    - `as_of`: the dossier date, which picks the rule set; default `dossier_date(year)`.
    - `user`: limit everything to the user's scope (`accounts.scope`); None is the system.
    """
    with _without_cyclic_gc():
        return _run(year, units, award_codes, as_of, subjects, people, user, parameters_override)


def _run(year, units, award_codes, as_of, subjects, people, user, parameters_override):
    definitions = get_definitions()
    params = parameters.resolve(parameters_override)
    subjects = tuple(subjects)
    day = as_of or dossier_date(year, params)
    codes = list(award_codes) if award_codes else _default_codes(definitions, subjects)
    unknown = [c for c in codes if c not in definitions.awards]
    if unknown:
        raise UnknownCode("award", unknown)

    scope = unit_ids_for(user) if user is not None else None
    unit_ids: set[int] | None = None
    if units is not None:
        unit_ids = subtree_ids(_ids(units, Unit))
    if scope is not None:
        unit_ids = set(scope) if unit_ids is None else unit_ids & scope
    person_ids = None
    if people is not None:
        person_ids = _ids(people, Person)
        if scope is not None:
            from thidua.accounts.scope import people as people_in_scope

            person_ids &= set(
                people_in_scope(user).filter(pk__in=person_ids).values_list("pk", flat=True)
            )
        if units is None:
            unit_ids = set()
    facts = load_facts(
        year, unit_ids=unit_ids, person_ids=person_ids, horizon=params["history_horizon_years"]
    )
    engine = Engine(facts, year, day, params, definitions)
    lo, hi = year_bounds(year)
    evaluated_units = [
        uid
        for uid, unit in facts.units.items()
        if (unit_ids is None or uid in unit_ids)
        and (unit.established_on is None or unit.established_on < hi)
        and (unit.dissolved_on is None or unit.dissolved_on > lo)
    ]
    primitives.ask_sources(engine.ctx, evaluated_units, facts.population)
    results: list[Result] = []
    for code in codes:
        award = definitions.awards[code]
        if IND in subjects and IND in award.entry.subjects:
            for pid in facts.population:
                person = facts.people.get(pid)
                if person is None:
                    continue
                results.append(_result(engine, code, IND, pid, person.code, person.name))
        if COLL in subjects and COLL in award.entry.subjects:
            for uid in evaluated_units:
                unit = facts.units[uid]
                if unit.kind in award.unit_kinds:
                    results.append(_result(engine, code, COLL, uid, unit.code, unit.name))
    households = HH in subjects and any(HH in definitions.awards[c].entry.subjects for c in codes)
    return Evaluation(
        year=year,
        dossier_date=day,
        rule_set=engine.rule_set,
        evaluated_under=engine.effective,
        parameters=params,
        results=results,
        quotas=quota_report(engine, results),
        duplicates=duplicate_awards(engine, evaluated_units),
        queries=facts.queries,
        facts=facts,
        households_skipped=households,
    )


def _result(engine: Engine, code, kind, sid, subject_code, name) -> Result:
    evaluated = engine.evaluate(code, kind, sid)
    return Result(
        subject_kind=kind,
        subject_id=sid,
        subject_code=subject_code,
        subject_name=name,
        award_code=code,
        year=engine.year,
        rule_set=engine.rule_set.id,
        evaluated_under=engine.effective.id,
        verdict=evaluated.verdict,
        attest_only=evaluated.attest_only,
        dossier_date=engine.day,
        _outcomes=evaluated.outcomes,
    )


def evaluate(year: int, **kwargs) -> list[Result]:
    """The results of `run()` (same arguments)."""
    return run(year, **kwargs).results


# --- set-level checks ----------------------------------------------------------------------


def quota_report(engine: Engine, results: list[Result]) -> list[dict]:
    """Per unit (the unit where each person worked longest in the year):
    - CSTĐ cơ sở at most a share of the unit's LĐTT count (2017 regime: 15 %, Decree
      91/2017 Điều 9(3); the 2022 regime has none unless the province sets one);
    - people rated HTXS at most 20 % of those rated HTT (25 % when the unit is rated
      HTXS), from the rating year set by the deployment (legal-rules.md §1.2).
    Counts use the awards recorded and, where none are recorded yet, the candidates
    (verdict eligible or needing only attestation)."""
    facts, year, params = engine.facts, engine.year, engine.params
    share = (
        params["cstdcs_quota_share_2017"]
        if engine.effective.id == "2017"
        else params["cstdcs_quota_share"]
    )
    candidates: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        if r.subject_kind == IND and r.data_met:
            candidates[r.award_code][facts.home_unit(r.subject_id, year)] += 1
    per_unit: dict[int, Counter] = defaultdict(Counter)
    for pid in facts.population:
        unit = facts.home_unit(pid, year)
        if unit is None:
            continue
        counts = per_unit[unit]
        awards = facts.person_awards.get(pid, {})
        for code in ("LDTT", "CSTDCS"):
            if any(a.first_year <= year <= a.last_year for a in awards.get(code, ())):
                counts[code] += 1
        rank = facts.person_ratings.get(pid, {}).get(year)
        if rank == LEVEL_RANK["HTXS"]:
            counts["HTXS"] += 1
        elif rank == LEVEL_RANK["HTT"]:
            counts["HTT"] += 1
    report = []
    htxs_applies = year >= params["htxs_quota_from_year"]
    for uid, counts in sorted(per_unit.items()):
        unit = facts.units.get(uid)
        row = {"unit_id": uid, "unit_code": unit.code if unit else str(uid)}
        if unit is None:
            continue
        ldtt = counts["LDTT"] or candidates["LDTT"][uid]
        cstdcs = counts["CSTDCS"] or candidates["CSTDCS"][uid]
        if share is not None:
            cap = int(ldtt * share + 1e-9)
            row["cstdcs"] = {
                "share": share,
                "ldtt": ldtt,
                "ldtt_basis": "awards" if counts["LDTT"] else "candidates",
                "cstdcs": cstdcs,
                "cstdcs_basis": "awards" if counts["CSTDCS"] else "candidates",
                "cap": cap,
                "exceeded": cstdcs > cap,
            }
        unit_rank = facts.unit_ratings.get(uid, {}).get(year)
        htxs_share = (
            params["htxs_quota_share_unit_htxs"]
            if unit_rank == LEVEL_RANK["HTXS"]
            else params["htxs_quota_share"]
        )
        cap = int(counts["HTT"] * htxs_share + 1e-9)
        row["htxs"] = {
            "share": htxs_share,
            "htt": counts["HTT"],
            "htxs": counts["HTXS"],
            "cap": cap,
            "applies": htxs_applies,
            "exceeded": htxs_applies and counts["HTXS"] > cap,
        }
        report.append(row)
    return report


def duplicate_awards(engine: Engine, unit_ids) -> list[dict]:
    """One achievement → one award (Law Điều 5(2)(c)): a subject with two valid awards of
    the same code for the evaluated year is flagged."""
    year = engine.year
    found = []
    for kind, source, ids in (
        (IND, engine.facts.person_awards, engine.facts.population),
        (COLL, engine.facts.unit_awards, unit_ids),
    ):
        for sid in ids:
            for code, awards in source.get(sid, {}).items():
                covering = [a for a in awards if a.first_year <= year <= a.last_year]
                if len(covering) > 1:
                    found.append(
                        {
                            "subject_kind": kind,
                            "subject_id": sid,
                            "award": code,
                            "year": year,
                            "decisions": [a.decision_number for a in covering],
                        }
                    )
    return found


# --- proactive suggestions -----------------------------------------------------------------


def suggestions(
    unit, year: int, *, as_of=None, user=None, parameters_override=None
) -> list[Result]:
    """Who in `unit`'s subtree has just become eligible for a higher form: every award
    marked `suggest` whose data criteria are all met for `year` (only judgements of the
    council may remain), ranking above every award the subject holds, and not already
    within reach the year before. Highest forms first."""
    definitions = get_definitions()
    codes = [c for c, a in definitions.awards.items() if a.suggest]
    kwargs = {
        "units": [unit],
        "award_codes": codes,
        "user": user,
        "parameters_override": parameters_override,
    }
    now = run(year, as_of=as_of, **kwargs)
    before = run(year - 1, **kwargs)
    reachable_before = {
        (r.subject_kind, r.subject_id, r.award_code) for r in before.results if r.data_met
    }
    found = []
    for r in now.results:
        if not r.data_met or (r.subject_kind, r.subject_id, r.award_code) in reachable_before:
            continue
        if held_rank(now.facts, r.subject_kind, r.subject_id, year) >= r.award.rank:
            continue
        found.append(r)
    found.sort(key=lambda r: (-r.award.rank, r.subject_kind, sort_key(r.subject_name)))
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
