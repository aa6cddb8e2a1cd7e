"""The dossier workflow as data: every state, every allowed move, who makes it and how
long the next step may take — in one table. The verbs of `services.workflow` read it and
refuse any move it does not list.

    draft ──submit──▶ submitted ──receive──▶ received ──appraise──▶ under appraisal
                          │                     │                       │
                          └──────return─────────┴──────return───────────┤
                                                                        ▼
    returned ──resubmit──▶ submitted            under appraisal ──publish──▶ public comment
                                                public comment ──to_council──▶ ready for council

`side` says whose officer moves: the proposing unit's (`proposer`) or the receiving
level's (`receiver`, the unit that organises the round). Deadlines are working days
(Monday to Friday) from the move; a dossier still in the state after its deadline is
overdue. Appraisal takes 20 working days from a complete dossier and an ineligible one is
returned within 5 (docs/legal/procedure.md).
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from thidua.nominations.choices import State

PROPOSER, RECEIVER = "proposer", "receiver"


@dataclass(frozen=True)
class Transition:
    verb: str
    sources: frozenset
    target: str
    side: str
    label: str
    needs_reason: bool = False
    freezes: bool = False  # eligibility is frozen into the dossier by this move

    @property
    def audit_action(self) -> str:
        return f"nominations.dossier.{self.verb}"


TRANSITIONS: dict[str, Transition] = {
    t.verb: t
    for t in (
        Transition("submit", frozenset({State.DRAFT}), State.SUBMITTED, PROPOSER,
                   _("Submit to the level above"), freezes=True),
        Transition("resubmit", frozenset({State.RETURNED}), State.SUBMITTED, PROPOSER,
                   _("Resubmit the corrected dossier"), freezes=True),
        Transition("receive", frozenset({State.SUBMITTED}), State.RECEIVED, RECEIVER,
                   _("Receive")),
        Transition("appraise", frozenset({State.RECEIVED}), State.UNDER_APPRAISAL, RECEIVER,
                   _("Start appraisal")),
        Transition("return", frozenset({State.SUBMITTED, State.RECEIVED, State.UNDER_APPRAISAL}),
                   State.RETURNED, RECEIVER, _("Return for correction"), needs_reason=True),
        Transition("publish", frozenset({State.UNDER_APPRAISAL}), State.PUBLIC_COMMENT, RECEIVER,
                   _("Publish for public comment")),
        Transition("to_council", frozenset({State.PUBLIC_COMMENT}), State.READY_FOR_COUNCIL,
                   RECEIVER, _("Send to the council")),
    )
}  # fmt: skip

# Working days the dossier may stay in a state before it is overdue (None: no deadline;
# a draft's deadline is its round's submission deadline).
STEP_DAYS: dict[str, int | None] = {
    State.DRAFT: None,
    State.SUBMITTED: 5,
    State.RECEIVED: 5,
    State.UNDER_APPRAISAL: 20,
    State.RETURNED: 10,
    State.PUBLIC_COMMENT: 5,  # publish sets it: the period (a setting) + 1 day
    State.READY_FOR_COUNCIL: None,
}

# The fields a returned dossier may be asked to fix (the reason form offers them).
FIX_FIELDS = {
    "nominees": _("Nominees"),
    "awards": _("Proposed awards"),
    "achievements": _("Achievements (period, summary)"),
    "initiatives": _("Initiatives relied on"),
    "documents": _("Documents"),
}


def moves_from(state: str, side: str | None = None) -> list[Transition]:
    """The moves allowed from `state` (for `side` only, when given), in table order."""
    return [
        t for t in TRANSITIONS.values() if state in t.sources and (side is None or t.side == side)
    ]


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday) after `day`."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def deadline_for(state: str, since: datetime.date, round_deadline=None) -> datetime.date | None:
    """The deadline of the step a dossier entering `state` on `since` must finish."""
    if state == State.DRAFT:
        return round_deadline
    days = STEP_DAYS.get(state)
    return None if days is None else add_working_days(since, days)
