"""The checks that award criteria are composed of (the vocabulary in `definitions.CHECKS`).

Each check is compiled once per evaluation into a function
`(ctx, subject_kind, subject_id, award_code, explain) -> outcome` over the in-memory facts
of `facts.Facts`; nothing here touches the database. Every check is written once and
answers in two modes from the same logic:

- `explain=True`: an `Outcome` — `met`, `not_met` or `unknown`, with a message id and its
  arguments (rendered later, see `messages.py`) and the outcomes of sub-criteria;
- `explain=False`: only the status, one of `MET`, `NOT_MET`, `UNKNOWN` or `ATTEST`
  (unknown because a judgement of the council is needed). This is what a whole-province
  run computes: no arguments, no sentences, no objects per criterion. The engine asks for
  the explanation of a result only when it is shown.

Missing data is `unknown`, never `met`.

Cross-cutting rules applied here (docs/legal/ratings.md, docs/legal/titles.md):
- sudden and thematic awards never count toward a criterion (Decree 152/2025 Điều 4(3));
- a disciplinary period cuts streaks and windows: years up to the end of the period do not
  count (Điều 4(4));
- maternity leave counts as work (Điều 4(5)): it neither shortens the months worked nor
  breaks a streak;
- fewer than 6 months worked in a year means not rated for that year (Decree 90/2020).

The modules, by topic: `base` (statuses, outcomes), `context` (`Ctx`), `ratings`,
`titles` (streaks of titles, another award's standard), `windows` (after an award),
`initiatives`, `discipline` (and deferral), `collectives`, `tenure`, `attestation`,
`registration` (and external sources), `compose` (compiling criteria), `reach`.
"""

from thidua.rules.definitions import Criterion
from thidua.rules.primitives.attestation import attest
from thidua.rules.primitives.base import (
    ATTEST,
    DEFERRED,
    DISCIPLINE_LADDER,
    ELIGIBLE,
    EMPTY,
    MET,
    MIN_MONTHS_RATED,
    NEEDS_ATTESTATION,
    NOT_ELIGIBLE,
    NOT_MET,
    UNKNOWN,
    Compiled,
    Outcome,
    status_of,
)
from thidua.rules.primitives.collectives import (
    CIRCULAR_15_RULE_SETS,
    leads_block,
    member_holds_award,
    no_member_discipline,
    share_of_members,
    unit_active,
)
from thidua.rules.primitives.compose import (
    CHECK_FUNCTIONS,
    IMPLICIT_PARAMETERS,
    PREPARE,
    compile_criterion,
)
from thidua.rules.primitives.context import Ctx
from thidua.rules.primitives.discipline import no_discipline, under_review
from thidua.rules.primitives.initiatives import initiative
from thidua.rules.primitives.ratings import rating_at_least, rating_streak
from thidua.rules.primitives.reach import ONLY_THIS_YEAR, UNBOUNDED, reach, widest
from thidua.rules.primitives.registration import ask_sources, registered
from thidua.rules.primitives.tenure import post_tenure
from thidua.rules.primitives.titles import consecutive_awards, meets_award, title_streak
from thidua.rules.primitives.windows import since_award

__all__ = [
    "ATTEST",
    "CIRCULAR_15_RULE_SETS",
    "CHECK_FUNCTIONS",
    "DEFERRED",
    "DISCIPLINE_LADDER",
    "ELIGIBLE",
    "EMPTY",
    "IMPLICIT_PARAMETERS",
    "MET",
    "MIN_MONTHS_RATED",
    "NEEDS_ATTESTATION",
    "NOT_ELIGIBLE",
    "NOT_MET",
    "ONLY_THIS_YEAR",
    "PREPARE",
    "UNBOUNDED",
    "UNKNOWN",
    "Compiled",
    "Criterion",
    "Ctx",
    "Outcome",
    "ask_sources",
    "attest",
    "compile_criterion",
    "consecutive_awards",
    "initiative",
    "leads_block",
    "meets_award",
    "member_holds_award",
    "no_discipline",
    "no_member_discipline",
    "post_tenure",
    "rating_at_least",
    "rating_streak",
    "reach",
    "registered",
    "share_of_members",
    "since_award",
    "status_of",
    "title_streak",
    "under_review",
    "unit_active",
    "widest",
]
