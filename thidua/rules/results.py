"""What a run returns, read on demand: `Results` (one compact entry per subject × award),
`Result` (one of them, its criteria explained when read) and `CriterionResult` (one
criterion's outcome, rendered in the active language). Split from `engine.py`, which
re-exports these names."""

import datetime
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from thidua.rules import messages
from thidua.rules.definitions import HH, IND, get_definitions
from thidua.rules.money import Bonus, bonus
from thidua.rules.primitives import (
    ELIGIBLE,
    MET,
    NEEDS_ATTESTATION,
    UNKNOWN,
    Compiled,
    Outcome,
)


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
    judgement: bool = False  # unknown only because the council's judgement is awaited

    @property
    def explanation(self) -> str:
        args = dict(self.args)
        if self.alternatives and "detail" not in args:
            # Name the facts that decided: the option that met, or what is missing.
            shown = [a for a in self.alternatives if a.outcome != MET] or list(self.alternatives)
            if self.key == "any_met":
                shown = [a for a in self.alternatives if a.id == args.get("option")]
            args["detail"] = messages.join_sentences(a.explanation for a in shown)
        elif "detail" not in args and self.key in _DETAIL_KEYS:
            args["detail"] = "—"
        text = messages.render(self.key, args).rstrip().rstrip(".")
        extra = [messages.render(k, a) for k, a in self.notes]
        if self.confidence == "UNVERIFIED":
            extra.append(messages.render("unverified", {}))
        if self.article:
            text = f"{text} ({self.article})"
        return " ".join([messages.full_stop(text), *extra])

    @property
    def outcome_label(self) -> str:
        return str(messages.OUTCOME_LABELS[self.outcome])

    @property
    def waiting_for(self) -> str | None:
        """For an unknown criterion: "council" when only the judgement of the council (or
        leader) remains, "facts" when a fact is missing from the records."""
        if self.outcome != UNKNOWN:
            return None
        return "council" if self.judgement else "facts"

    @property
    def sentence(self) -> str:
        """The plain sentence, without the article and the technical notes."""
        args = dict(self.args)
        if self.alternatives and "detail" not in args:
            shown = [a for a in self.alternatives if a.outcome != MET] or list(self.alternatives)
            if self.key == "any_met":
                shown = [a for a in self.alternatives if a.id == args.get("option")]
            args["detail"] = messages.join_sentences(a.sentence for a in shown)
        elif "detail" not in args and self.key in _DETAIL_KEYS:
            args["detail"] = "—"
        return messages.full_stop(messages.render(self.key, args))

    @property
    def technical(self) -> list[str]:
        """Deployment parameters, confidence and merger notes: for administrators."""
        extra = [messages.render(k, a) for k, a in self.notes]
        if self.confidence:
            extra.append(messages.render("confidence", {"confidence": self.confidence}))
        return extra

    @property
    def actions(self) -> list[str]:
        """What would resolve this criterion, as actions ("Enter the rating for 2026"):
        its own, or those of its open alternatives; none when it is met or not met."""
        if self.outcome != UNKNOWN:
            return []
        found = [a for alt in self.alternatives if alt.outcome == UNKNOWN for a in alt.actions]
        own = messages.action(self.key, self.args)
        return list(dict.fromkeys(([own] if own else []) + found))

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "check": self.check,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "explanation": self.explanation,
            "article": self.article,
            "confidence": self.confidence,
            "waiting_for": self.waiting_for,
            "actions": self.actions,
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


class Result:
    """The verdict for one subject × award × year, with each criterion explained.

    A run keeps only the verdict; everything else is read from the run's engine when asked
    (the subject's code and name from its facts, the criteria by explaining the evaluation
    again in the checks' explaining mode)."""

    __slots__ = ("_engine", "subject_kind", "subject_id", "award_code", "verdict", "_attest_only")

    def __init__(self, engine, subject_kind, subject_id, award_code, verdict, attest_only):
        self._engine = engine
        self.subject_kind = subject_kind
        self.subject_id = subject_id
        self.award_code = award_code
        self.verdict = verdict
        self._attest_only = attest_only

    def __repr__(self):
        return (
            f"<Result {self.subject_kind} {self.subject_id} {self.award_code} {self.year}: "
            f"{self.verdict}>"
        )

    @property
    def _subject(self):
        facts = self._engine.facts
        if self.subject_kind == HH:
            return facts.households[self.subject_id]
        return (facts.people if self.subject_kind == IND else facts.units)[self.subject_id]

    @property
    def subject_code(self) -> str:
        return self._subject.code

    @property
    def subject_name(self) -> str:
        return self._subject.name

    @property
    def year(self) -> int:
        return self._engine.year

    @property
    def rule_set(self) -> str:
        """The rule set in force on the dossier date."""
        return self._engine.rule_set.id

    @property
    def evaluated_under(self) -> str:
        """The rule set whose criteria were used (differs when that in force is not encoded)."""
        return self._engine.effective.id

    @property
    def dossier_date(self) -> datetime.date:
        return self._engine.day

    @property
    def attest_only(self) -> bool:
        """Every unknown criterion is a judgement of the council; no fact is missing."""
        if self._attest_only is None:
            return self.evaluated.attest_only
        return self._attest_only

    @property
    def evaluated(self):
        """The explained evaluation (computed on demand, not kept)."""
        return self._engine.explain(self.award_code, self.subject_kind, self.subject_id)

    @property
    def _outcomes(self) -> tuple:
        return self.evaluated.outcomes

    @property
    def notes(self) -> list[str]:
        """Said with every result of a rule set that is not encoded (the 2026 amendment)."""
        rule_set = get_definitions().rule_sets[self.rule_set]
        return [] if rule_set.encoded else [rule_set.note]

    @property
    def criteria(self) -> list[CriterionResult]:
        return [_criterion_result(c, o, self.evaluated_under) for c, o in self._outcomes]

    @property
    def open_criteria(self) -> list[CriterionResult]:
        """The criteria not met or unknown: what is missing."""
        return [c for c in self.criteria if c.outcome != MET]

    @property
    def award(self):
        return get_definitions().awards[self.award_code]

    @property
    def verdict_label(self) -> str:
        return str(messages.VERDICT_LABELS[self.verdict])

    @property
    def waiting_for(self) -> str | None:
        """needs_attestation: "council" when only the council's judgement remains, "facts"
        when a fact is missing from the records; None for the other verdicts."""
        if self.verdict != NEEDS_ATTESTATION:
            return None
        return "council" if self.attest_only else "facts"

    @property
    def status(self) -> str:
        """The verdict in one sentence, telling the two kinds of "needs attestation" apart."""
        key = {"council": "status_council", "facts": "status_facts"}.get(
            self.waiting_for or "", f"status_{self.verdict}"
        )
        return messages.render(key, {})

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
            "verdict_label": self.verdict_label,
            "waiting_for": self.waiting_for,
            "status": self.status,
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
        judgement=outcome.attest,
    )


class Results(Sequence):
    """The results of a run, one per subject × award, in the run's order (award by award;
    people by id, units in display order). They are kept as lists of verdicts and made into
    `Result` objects as they are read: a province's run decides hundreds of thousands."""

    def __init__(self, engine):
        self._engine = engine
        self._blocks: list[tuple] = []  # (award code, subject kind, ids, verdicts)
        self._starts: list[int] = []
        self._length = 0

    def add(self, code: str, kind: str, sids: list[int]) -> None:
        """Decide `code` for the subjects `sids` of one kind and keep the verdicts."""
        self._append(code, kind, sids, self._engine.verdicts(code, kind, sids))

    def _append(self, code, kind, sids, verdicts) -> None:
        if sids:
            self._blocks.append((code, kind, sids, verdicts))
            self._starts.append(self._length)
            self._length += len(sids)

    def where(self, verdict: str | None = None) -> "Results":
        """The results with `verdict` (all when None), in the same order."""
        if verdict is None:
            return self
        found = Results(self._engine)
        for code, kind, sids, verdicts in self._blocks:
            keep = [i for i, v in enumerate(verdicts) if v[0] == verdict]
            found._append(code, kind, [sids[i] for i in keep], [verdicts[i] for i in keep])
        return found

    def __len__(self) -> int:
        return self._length

    def __iter__(self):
        engine = self._engine
        for code, kind, sids, verdicts in self._blocks:
            for sid, (verdict, attest_only) in zip(sids, verdicts, strict=True):
                yield Result(engine, kind, sid, code, verdict, attest_only)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("result index out of range")
        block = bisect_right(self._starts, index) - 1
        code, kind, sids, verdicts = self._blocks[block]
        at = index - self._starts[block]
        verdict, attest_only = verdicts[at]
        return Result(self._engine, kind, sids[at], code, verdict, attest_only)

    def __repr__(self):
        return f"<Results: {self._length}>"

    def verdicts(self, code: str | None = None, kind: str | None = None):
        """(award code, subject kind, subject id, verdict, attest_only) for every result
        (of `code` and `kind` when given), without making `Result` objects."""
        for block_code, block_kind, sids, verdicts in self._blocks:
            if code not in (None, block_code) or kind not in (None, block_kind):
                continue
            for sid, (verdict, attest_only) in zip(sids, verdicts, strict=True):
                yield block_code, block_kind, sid, verdict, attest_only
