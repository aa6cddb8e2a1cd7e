"""Verbs that change emulation work: movements, blocks, covenants, signatures, scores,
registrations and the recorded leading units.

Every verb checks the actor's scope (`thidua.accounts.scope`) before writing, validates,
writes in one `transaction.atomic()` and leaves an audit entry (`thidua.audit.services.log`).
A refused change writes nothing, with one deliberate exception: a score edit refused
because scoring is locked leaves an audit entry of the attempt
(`emulation.score.refused`), written after the refused transaction has been rolled back.

Who may do what (each a `Action.CHANGE` right through the scope, so it holds for the unit
and for officers of the units above it):

- the organising unit manages its blocks: members, leader and deputies, the covenant and
  its criteria, locking, reopening and publishing;
- a member unit signs the covenant and scores for itself: its self-score and the
  cross-scores it gives the other members;
- the block leader's unit writes the leader's reviews (a deputy reviews the leader's own
  unit);
- a unit registers its own titles and those of its people;
- the launching unit records its movement's reviews and attaches and removes its files.

`actor` is required: the user, or `SYSTEM` (the operator's CLI, the demo loader). `today` defaults
to the local date (`common.today`); tests and the demo pass it to act on a given day.

The verbs live in modules by topic and are all importable from here
(`from thidua.emulation.services import save_scores`):

- `movements`: launching, reviews, attachments, registrations;
- `blocks`: blocks, members, leader and deputies;
- `covenants`: the criteria tree, drafting, opening, signing;
- `scoring`: the sheets and the tallies;
- `results`: locking, reopening, publishing the ranking and the leading units.
"""

from thidua.emulation.services.blocks import (
    add_member,
    create_block,
    end_membership,
    follow_reorganisation,
    name_block_roles,
    scoring_members,
    set_up_block,
)
from thidua.emulation.services.common import (
    TWO_PLACES,
    year_bounds,
)
from thidua.emulation.services.copying import copy_block
from thidua.emulation.services.covenants import (
    CriterionSpec,
    GroupSpec,
    check_tie_breaks,
    create_covenant,
    criteria_state,
    define_criteria,
    open_covenant,
    revise_covenant,
    sign_covenant,
)
from thidua.emulation.services.movements import (
    attach_to_movement,
    attachment_max_bytes,
    launch_movement,
    record_movement_review,
    register_title,
    remove_attachment,
    withdraw_registration,
)
from thidua.emulation.services.results import (
    lock_scoring,
    publish_results,
    reopen_scoring,
)
from thidua.emulation.services.scoring import (
    ScoreEntry,
    ScoringLocked,
    block_roles,
    check_sheet,
    clean_points,
    hundredths,
    rebuild_tallies,
    save_scores,
)

__all__ = [
    "copy_block",
    "CriterionSpec",
    "GroupSpec",
    "ScoreEntry",
    "ScoringLocked",
    "TWO_PLACES",
    "add_member",
    "attach_to_movement",
    "attachment_max_bytes",
    "block_roles",
    "check_sheet",
    "check_tie_breaks",
    "clean_points",
    "create_block",
    "create_covenant",
    "criteria_state",
    "define_criteria",
    "end_membership",
    "follow_reorganisation",
    "hundredths",
    "launch_movement",
    "lock_scoring",
    "name_block_roles",
    "open_covenant",
    "publish_results",
    "rebuild_tallies",
    "record_movement_review",
    "register_title",
    "remove_attachment",
    "reopen_scoring",
    "revise_covenant",
    "save_scores",
    "scoring_members",
    "set_up_block",
    "sign_covenant",
    "withdraw_registration",
    "year_bounds",
]
