"""Verbs of award proposals. Every verb takes the `actor` explicitly, checks it through
`thidua.accounts.scope`, writes in one transaction and audits (`thidua.audit`).
`actor` is required: the user, or `SYSTEM` (`thidua.accounts.system`) for the demo and the
operator's CLI; `today` pins the date.

- `rounds`: opening a round, starting a unit's dossier;
- `nominees`: adding (all or nothing), changing and removing nominees;
- `workflow`: the moves of a dossier (`move` and one named verb per move);
- `documents`: what a dossier needs, uploads;
- `publicity`: public comment on a published list (publication, comments, objections);
- `eligibility`: freezing eligibility at submission and comparing it with the records.
"""

from thidua.nominations.services.documents import (
    attach_document,
    missing_documents,
    remove_document,
)
from thidua.nominations.services.eligibility import compare, freeze
from thidua.nominations.services.nominees import (
    NomineeProblems,
    NomineeSpec,
    Problem,
    add_nominee,
    add_nominees,
    award_problem,
    check_nominees,
    remove_nominee,
    update_nominee,
)
from thidua.nominations.services.publicity import (
    comment_form_token,
    council_blockers,
    current_publication,
    moderate_comment,
    post_comment,
    record_objection_outcome,
)
from thidua.nominations.services.rounds import open_round, start_dossier
from thidua.nominations.services.workflow import (
    may_move,
    move,
    publish_dossier,
    receive_dossier,
    resubmit_dossier,
    return_dossier,
    send_to_council,
    start_appraisal,
    submit_dossier,
)

__all__ = [
    "NomineeProblems",
    "NomineeSpec",
    "Problem",
    "add_nominee",
    "add_nominees",
    "attach_document",
    "award_problem",
    "check_nominees",
    "comment_form_token",
    "compare",
    "council_blockers",
    "current_publication",
    "freeze",
    "may_move",
    "missing_documents",
    "moderate_comment",
    "move",
    "open_round",
    "post_comment",
    "publish_dossier",
    "receive_dossier",
    "record_objection_outcome",
    "remove_document",
    "remove_nominee",
    "resubmit_dossier",
    "return_dossier",
    "send_to_council",
    "start_appraisal",
    "start_dossier",
    "submit_dossier",
    "update_nominee",
]
