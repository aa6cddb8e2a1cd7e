"""How far back the criteria read (the facts are loaded for these windows only)."""

from thidua.rules.definitions import IND
from thidua.rules.facts import (
    HISTORY_KINDS,
)

# Every kind of history read for the evaluated year only, and read without bound.
ONLY_THIS_YEAR = dict.fromkeys(HISTORY_KINDS, 0)
UNBOUNDED = dict.fromkeys(HISTORY_KINDS)


def widest(*reaches: dict) -> dict:
    """The union of reaches: the longest per kind of history, None (unbounded) winning."""
    found: dict = {}
    for reach_ in reaches:
        for kind, years in reach_.items():
            if years is None or found.get(kind, 0) is None:
                found[kind] = None
            else:
                found[kind] = max(found.get(kind, 0), years)
    return found


def reach(criteria, params: dict, referred) -> dict:
    """How many years before the evaluated one the criteria read, per kind of history
    (`facts.HISTORY_KINDS`: ratings — with the employments that say whether a year was
    worked —, awards, initiatives); None when unbounded (an earlier award of any age,
    tenure over a career). `referred(code)` gives the reach of another award's criteria
    for the same rule set and subject (`meets_award`, a title of the evaluated year not
    decided yet), `referred(code, IND)` that of an individual award (a collective's
    members). The facts are loaded for these windows only."""
    found = dict(ONLY_THIS_YEAR)
    for c in criteria:
        p = c.params
        check = c.check
        if check in ("any_of", "all_of"):
            years = reach(c.options, params, referred)
        elif check == "rating_at_least":
            years = {"ratings": p["year_offset"]}
        elif check == "rating_streak":
            years = {"ratings": p["years"] - 1}
        elif check == "title_streak":
            shift = 0 if params["current_year_is_streak_end"] else 1
            years = widest({"awards": p["years"] - 1 + shift}, referred(p["award"]))
        elif check == "meets_award":
            years = referred(p["award"])
        elif check == "initiative":
            # (the awards that relied on them come with them, whatever their age)
            years = {"initiatives": p["window_years"] - 1}
        elif check == "share_of_members" and p["condition"] == "ldtt":
            years = referred("LDTT", IND)
        elif check in ("consecutive_awards", "since_award", "post_tenure"):
            years = UNBOUNDED
        else:  # the evaluated year only
            years = {}
        found = widest(found, years)
    return found
