"""Typed shapes of the eligibility API's answers (they become the OpenAPI document). A
result is `Result.as_dict()`, the very object `thidua eligibility --format json` prints."""

import datetime

from ninja import Field, Schema


class EligibilitySubjectOut(Schema):
    kind: str = Field(description="individual or collective")
    id: int
    code: str
    name: str


class CriterionResultOut(Schema):
    id: str
    check: str
    outcome: str = Field(description="met, not_met or unknown")
    outcome_label: str
    explanation: str = Field(description="The facts used and the article, in the language.")
    article: str
    confidence: str = Field(description="V2, V1 or UNVERIFIED (docs/legal/)")
    waiting_for: str | None = Field(
        description="For an unknown criterion: council (only its judgement remains) or "
        "facts (a fact is missing from the records)."
    )
    actions: list[str] = Field(description="What would resolve an unknown criterion.")
    alternatives: list["CriterionResultOut"] = Field(
        description="The options of a composite, or the criteria of an award referred to."
    )


CriterionResultOut.model_rebuild()


class DecidingAuthorityOut(Schema):
    tiers: list[str]
    article: str
    confidence: str


class BonusEstimateOut(Schema):
    amount: int = Field(description="VND, rounded up to the next 10,000")
    coefficient: float
    base_salary: int
    on: datetime.date
    article: str
    confidence: str


class EligibilityResultOut(Schema):
    subject: EligibilitySubjectOut
    award: str
    award_name: str
    year: int
    dossier_date: datetime.date
    rule_set: str = Field(description="The rule set in force on the dossier date.")
    evaluated_under: str = Field(description="The rule set whose criteria were used.")
    verdict: str = Field(description="eligible, not_eligible, needs_attestation or deferred")
    verdict_label: str
    waiting_for: str | None = Field(
        description="needs_attestation: council (only the council's judgement remains) or "
        "facts (a fact is missing)."
    )
    status: str = Field(description="The verdict in one sentence.")
    notes: list[str]
    authority: DecidingAuthorityOut | None
    bonus: BonusEstimateOut | None
    criteria: list[CriterionResultOut]


class RuleSetOut(Schema):
    id: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(description="The first day no longer in force.")
    encoded: bool
    evaluate_as: str = Field(description="Whose criteria apply (itself when encoded).")
    note: str


class CatalogAwardOut(Schema):
    code: str
    kind: str = Field(description="title or form")
    name_vi: str
    name_en: str
    subjects: list[str]
    default_type: str
    article: str
    rank: int = Field(description="Place on the ladder of forms (higher is higher).")
    annual: bool = Field(description="Evaluated every year by default.")
    suggest: bool = Field(description="Part of the proactive suggestions.")
    unit_kinds: list[str]
    rule_sets: list[str] = Field(description="Rule sets with criteria for this award.")


class CatalogOut(Schema):
    rule_sets: list[RuleSetOut]
    awards: list[CatalogAwardOut]


class AttestationIn(Schema):
    subject_kind: str = Field(description="individual or collective")
    subject_code: str = Field(description="The person's or the unit's code.")
    year: int = Field(description="Achievement year.")
    award: str = Field(description="Award code whose criterion is judged.")
    criterion: str = Field(description="Criterion id (a qualitative criterion of the award).")
    decision: str = Field(description="attested or refused")
    body: str = Field("council", description="council or leader")
    body_name: str = Field(description="Name of the council or leader who judged.")
    decided_on: datetime.date
    minutes_number: str
    minutes_date: datetime.date
    minutes_text: str = ""


class AttestationOut(Schema):
    subject_kind: str
    subject_code: str
    year: int
    award: str
    criterion: str
    outcome: str = Field(description="attested or refused")
    body: str
    body_name: str
    decided_on: datetime.date
    minutes_number: str
    minutes_date: datetime.date
    minutes_text: str
    verdict: str = Field(description="The award's verdict for the subject afterwards.")
