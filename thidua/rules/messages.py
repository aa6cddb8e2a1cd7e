"""The sentences that explain outcomes, keyed by a stable message id.

Sources are English with named placeholders; the Vietnamese catalog translates them.
Evaluation stores only (message id, arguments); the sentence is rendered, in the active
language, when a result is shown, so a whole-province run builds no text it does not show.
"""

import datetime
from typing import NamedTuple

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thidua.records.choices import DisciplineMeasure, RatingLevel, ReviewKind, Scope
from thidua.records.rating_rules import RatingProblem

MESSAGES = {
    # ratings
    "rating_met": _("Rated %(rating)s for %(year)s, at least %(level)s."),
    "rating_below": _("Rated %(rating)s for %(year)s, below %(level)s."),
    "rating_missing": _("No rating is recorded for %(year)s."),
    "not_rated": _("%(problem)s"),
    "rating_cannot_stand": _(
        "Recorded as %(rating)s for %(year)s, but that rating cannot stand: %(problem)s"
    ),
    "rating_capped_met": _(
        "Recorded as %(rating)s for %(year)s, which counts as at most “Completed tasks” "
        "(%(problem)s); at least %(level)s."
    ),
    "unit_not_existing": _("The unit did not exist in %(year)s."),
    "streak_met": _("Rated %(level)s or better for each of %(years)s."),
    "streak_broken": _("Rated %(rating)s for %(year)s, below %(level)s: %(years)s is broken."),
    "streak_missing": _("No rating is recorded for %(missing)s within %(years)s."),
    "streak_capped": _(
        "%(problem)s The rating of %(year)s counts as %(rating)s, below %(level)s: "
        "%(years)s is broken."
    ),
    "streak_not_rated": _(
        "Not rated for %(year)s (worked %(months)s months): %(years)s is broken."
    ),
    "streak_discipline": _(
        "Disciplined (%(measure)s, decision %(decision)s) until %(end)s: achievements count "
        "only from %(from_year)s, so %(years)s cannot be counted."
    ),
    # titles held
    "title_streak_met": _("Holds %(award)s for each of %(years)s (decisions %(decisions)s)."),
    "title_streak_missing": _("No %(award)s is recorded for %(missing)s within %(years)s."),
    "title_streak_pending": _(
        "Holds %(award)s for %(held)s; %(award)s for %(year)s is not decided yet and its "
        "criteria cannot all be confirmed: %(detail)s"
    ),
    "title_streak_pending_met": _(
        "Holds %(award)s for %(held)s; %(award)s for %(year)s is not decided yet, though "
        "its criteria are met on the records."
    ),
    "title_streak_current_not_met": _(
        "Holds %(award)s for %(held)s; for %(year)s the criteria of %(award)s are not met: "
        "%(detail)s"
    ),
    "consecutive_met": _("Holds %(count)s consecutive %(award)s (decisions %(decisions)s)."),
    "consecutive_missing": _(
        "Holds %(found)s consecutive %(award)s ending in %(year)s; %(count)s are required."
    ),
    "holds_award": _("Holds %(award)s for %(year)s (decision %(decision)s)."),
    "standard_met": _("Meets the criteria of %(award)s for %(year)s."),
    "standard_not_met": _("Does not meet the criteria of %(award)s for %(year)s: %(detail)s"),
    "standard_unknown": _(
        "The criteria of %(award)s for %(year)s cannot all be confirmed: %(detail)s"
    ),
    "excluded_awards": _(
        "Sudden and thematic awards do not count toward merit criteria: %(decisions)s not counted."
    ),
    # windows after an earlier award
    "since_no_prior": _("No %(award)s is recorded before %(year)s."),
    "since_too_short": _(
        "%(award)s for %(award_year)s (decision %(decision)s): the window %(window)s has "
        "%(length)s years, %(years)s are required."
    ),
    "since_met": _(
        "%(award)s for %(award_year)s (decision %(decision)s), then %(window)s: %(detail)s."
    ),
    "since_not_met": _(
        "%(award)s for %(award_year)s (decision %(decision)s), then %(window)s: %(detail)s."
    ),
    "since_target_held": _(
        "%(target)s was already conferred for %(target_year)s (decision %(decision)s): the "
        "window starts after it."
    ),
    "frag_rating_all": _("rated %(level)s or better every year"),
    "frag_rating_below": _("rated %(rating)s for %(year)s, below %(level)s"),
    "frag_rating_missing": _("no rating recorded for %(years)s"),
    "frag_level_count": _("rated %(level)s in %(found)s years (%(required)s required)"),
    "frag_title_count": _("%(award)s in %(found)s years (%(required)s required)"),
    "frag_initiatives": _(
        "%(found)s initiatives at %(scope)s scope or wider (%(required)s required)"
    ),
    "frag_any": _("one of: %(items)s"),
    "frag_discipline": _("disciplined until %(end)s, counting from %(from_year)s"),
    # initiatives and research
    "initiative_met": _(
        "%(found)s recognised %(kind)s at %(scope)s scope or wider in %(window)s "
        "(%(count)s required): %(codes)s."
    ),
    "initiative_missing": _(
        "%(found)s recognised %(kind)s at %(scope)s scope or wider in %(window)s%(conditions)s; "
        "%(count)s required."
    ),
    "initiative_used": _(
        "%(free)s usable %(kind)s in %(window)s (%(count)s required): %(codes)s already "
        "relied on by %(awards)s (an initiative counts for one category of award only)."
    ),
    "award_decision": _("%(award)s (decision %(decision)s)"),
    "cond_applied": _(", applied effectively"),
    "cond_replicable": _(", replicable"),
    # discipline
    "discipline_none": _("No disciplinary measure of %(measure)s or above in force in %(year)s."),
    "discipline_found": _(
        "Disciplined with %(measure)s (decision %(decision)s, from %(start)s) in %(year)s."
    ),
    "member_discipline_none": _(
        "None of the %(total)s members is disciplined with %(measure)s or above in %(year)s."
    ),
    "member_discipline_found": _("%(names)s disciplined with %(measure)s or above in %(year)s."),
    # members
    "share_ldtt": _(
        "%(yes)s of %(total)s members hold Lao động tiên tiến for %(year)s (%(share)s; "
        "%(op)s %(required)s required); %(open)s more not decided yet."
    ),
    "share_rating": _(
        "%(yes)s of %(total)s members rated %(level)s or better for %(year)s (%(share)s; "
        "%(op)s %(required)s required); %(open)s not rated yet."
    ),
    "no_members": _(
        "No members (people employed in the unit at least %(months)s months of %(year)s) "
        "are recorded."
    ),
    "member_holds": _("%(names)s hold %(award)s for %(year)s."),
    "member_holds_none": _("No member holds %(award)s for %(year)s."),
    # external sources
    "leads_block_yes": _("Leads its emulation block for %(year)s (%(evidence)s)."),
    "leads_block_no": _("Does not lead its emulation block for %(year)s (%(evidence)s)."),
    "leads_block_unknown": _(
        "Block rankings for %(year)s are not recorded yet: the council must confirm that the "
        "unit leads its block."
    ),
    "registered_yes": _("Registered for %(award)s for %(year)s (%(evidence)s)."),
    "registered_no": _("Not registered for %(award)s for %(year)s (%(evidence)s)."),
    "registered_unknown": _(
        "Registration for %(award)s for %(year)s is not recorded; this deployment requires "
        "registration (deployment parameter registration_required)."
    ),
    # dedication
    "tenure_met": _("Held the post %(post)s for %(years)s years (%(needed)s required)."),
    "tenure_met_reduced": _(
        "Held the post %(post)s for %(years)s years (%(needed)s required: one third less for "
        "women leaders)."
    ),
    "tenure_short": _(
        "The records show the post %(post)s for %(years)s years, %(needed)s required; "
        "earlier posts may be missing from the records."
    ),
    "tenure_none": _(
        "The records show no tenure in the posts of the dedication table (%(posts)s): the "
        "council must attest the tenure."
    ),
    # attestations
    "attested": _(
        "%(text)s: attested by %(body)s on %(day)s (minutes %(minutes)s of %(minutes_date)s)."
    ),
    "attest_refused": _(
        "%(text)s: not attested by %(body)s on %(day)s (minutes %(minutes)s of %(minutes_date)s)."
    ),
    "attest_required": _("%(text)s: only the council's judgement remains."),
    # composites
    "any_met": _("Met through %(option)s: %(detail)s"),
    "any_not_met": _("None of the alternatives is met: %(detail)s"),
    "any_unknown": _("No alternative is confirmed yet: %(detail)s"),
    "all_met": _("All met: %(detail)s"),
    "all_not_met": _("Not met: %(detail)s"),
    "all_unknown": _("Not confirmed yet: %(detail)s"),
    # checks every evaluation makes
    "review_none": _("No review, inspection or complaint is pending on %(day)s."),
    "review_pending": _("Under %(kind)s since %(start)s: awards are deferred until it is closed."),
    "unit_active": _("The unit exists on %(day)s."),
    "unit_dissolved_reorganised": _(
        "The unit was dissolved through a reorganisation on %(dissolved)s: no award to a "
        "unit dissolved through reorganisation."
    ),
    "unit_reorganised_earlier": _(
        "The unit was dissolved through a reorganisation on %(dissolved)s and no longer "
        "exists to receive an award; its successor may be proposed for its own achievements."
    ),
    "unit_dissolved": _(
        "The unit was dissolved on %(dissolved)s and no longer exists to receive an award."
    ),
    "no_criteria": _(
        "No criteria are encoded for %(award)s under rule set %(rule_set)s for this subject."
    ),
    # notes
    "merger_not_carried": _(
        "The unit absorbed %(units)s on %(day)s; their history is not carried (deployment "
        "parameter collective_history_across_merger = not_carried)."
    ),
    "merger_carried": _(
        "The unit absorbed %(units)s on %(day)s; a year before the merger counts where every "
        "one of them meets it (deployment parameter collective_history_across_merger = "
        "carried)."
    ),
    "parameter": _("Deployment parameter %(name)s = %(value)s."),
    "confidence": _("Confidence of the rule: %(confidence)s."),
    # verdicts in one sentence
    "status_eligible": _("Every criterion is met."),
    "status_not_eligible": _("Some criterion is not met."),
    "status_council": _("Only the council's judgement remains."),
    "status_facts": _("A fact is missing from the records."),
    "status_deferred": _("Deferred while a review is pending."),
    "unverified": _("This rule is not verified against the official text [UNVERIFIED]."),
}

# What would resolve an unknown criterion, as an action (by the criterion's message id).
ACTIONS = {
    "rating_missing": _("Enter the rating for %(year)s."),
    "streak_missing": _("Enter the ratings for %(missing)s."),
    "frag_rating_missing": _("Enter the ratings for %(years)s."),
    "attest_required": _("Record the council's judgement, with the minutes it rests on."),
    "leads_block_unknown": _("Record the emulation block ranking for %(year)s."),
    "no_members": _("Record the unit's staff for %(year)s."),
    "registered_unknown": _("Record the registrations for %(year)s."),
    "tenure_short": _("Record the earlier posts held, or have the council attest the tenure."),
    "tenure_none": _("Record the posts held, or have the council attest the tenure."),
    "share_ldtt": _("Decide the members' Lao động tiên tiến for %(year)s."),
    "share_rating": _("Enter the members' ratings for %(year)s."),
    "title_streak_pending": _("Complete the criteria of %(award)s for %(year)s."),
    "title_streak_pending_met": _("Decide %(award)s for %(year)s."),
    "standard_unknown": _("Complete the criteria of %(award)s for %(year)s."),
    "since_not_met": _("Enter the missing records of %(window)s."),
}


def action(key: str, args: dict) -> str:
    """The action that would resolve an unknown criterion, or ""."""
    text = ACTIONS.get(key)
    if text is None:
        return ""
    values = {name: _format(name, value) for name, value in args.items()}
    return str(text) % values


WORK_KINDS = {
    "initiative": _("initiatives"),
    "research": _("research works"),
    "any": _("initiatives or research works"),
}
OUTCOME_LABELS = {"met": _("met"), "not_met": _("not met"), "unknown": _("unknown")}
SUBJECT_LABELS = {
    "individual": _("individuals"),
    "collective": _("collectives"),
    "household": _("households"),
}
VERDICT_LABELS = {
    "eligible": _("eligible"),
    "not_eligible": _("not eligible"),
    "needs_attestation": _("needs attestation"),
    "deferred": _("deferred"),
}
_LABELS = {
    **{m.value: m.label for m in DisciplineMeasure},
    **{s.value: s.label for s in Scope},
    **{k.value: k.label for k in ReviewKind},
}
LIST_SEPARATOR = ", "
FRAGMENT_SEPARATOR = "; "


class Fragment(NamedTuple):
    """A message rendered inside another message's argument."""

    key: str
    args: dict


def _format(name: str, value) -> str:
    if isinstance(value, Fragment):
        return render(value.key, value.args)
    if isinstance(value, RatingProblem):
        return value.message()
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, tuple | list):
        if value and isinstance(value[0], Fragment):
            separator = "" if name == "conditions" else FRAGMENT_SEPARATOR
            return separator.join(_format(name, v) for v in value)
        return LIST_SEPARATOR.join(_format(name, v) for v in value)
    if name in {"measure", "scope", "kind"} and value in _LABELS:
        return str(_LABELS[value])
    if name == "kind" and value in WORK_KINDS:
        return str(WORK_KINDS[value])
    if name in {"award", "target"}:
        from thidua.rules.catalog import get_catalog, get_groups

        entry = get_catalog().get(value) or get_groups().get(value)
        return entry.name if entry else str(value)
    if name in {"share", "required"} and isinstance(value, float):
        return f"{value * 100:.0f} %"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if name in {"rating", "level"} and value in RatingLevel.values:
        return str(value)
    return str(value)


def join_sentences(parts) -> str:
    """Sentences joined as the parts of one ("A; B"), without the ".;" of their stops."""
    return FRAGMENT_SEPARATOR.join(p.strip().rstrip(".") for p in parts if p.strip())


def full_stop(text: str) -> str:
    """The text ending with a full stop (a composite's list ends without one)."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def render(key: str, args: dict) -> str:
    """The sentence for message `key` with `args`, in the active language. Texts written
    in the data files in both languages come as `text_vi` / `text_en`."""
    values = {name: _format(name, value) for name, value in args.items()}
    if "text_vi" in args:
        english = (get_language() or "vi").startswith("en")
        values["text"] = args["text_en"] if english else args["text_vi"]
    return str(MESSAGES[key]) % values
