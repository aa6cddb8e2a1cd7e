"""Copying a block to the next year: the same organiser, code, kind and name, the members
still in it at the end of the year (those that still exist), and the covenant's header and
criteria tree as a new draft. Leader and deputies are not copied (they rotate: name them
on the new block), nor the movement (each year's movement is launched anew)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log
from thidua.emulation.models import Block, Covenant
from thidua.emulation.ranking import in_force_at_year_end
from thidua.emulation.services import common
from thidua.emulation.services.blocks import create_block
from thidua.emulation.services.covenants import CriterionSpec, GroupSpec, create_covenant


def _next_year_text(text: str, year: int, new_year: int) -> str:
    """A name or title with its year moved on ("Khối thi đua 2020" → "… 2021")."""
    return text.replace(str(year), str(new_year))


def _same_day(day: datetime.date, year: int) -> datetime.date:
    """`day` in `year` (29 February becomes 28 February)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _tree(covenant: Covenant) -> list[GroupSpec]:
    groups = {g.pk: GroupSpec(g.code, g.title, g.kind, g.cap, []) for g in covenant.groups.all()}
    for c in covenant.criteria.all():
        groups[c.group_id].criteria.append(CriterionSpec(c.code, c.title, c.max_points, c.guidance))
    return list(groups.values())


@transaction.atomic
def copy_block(previous: Block, *, year: int | None = None, actor) -> Block:
    """Set up `previous` again for `year` (the next year by default), with its covenant's
    criteria as a draft to revise and open. All or nothing; audited as
    `emulation.block.copy` on the new block."""
    require(actor, Action.CHANGE, previous.organiser)
    year = year or previous.year + 1
    memberships = previous.memberships.select_related("unit").order_by(
        "unit__sort_key", "unit__code"
    )
    units = [m.unit for m in memberships if in_force_at_year_end(m, previous.year)]
    existing = common.existing_in_year(units, year)
    block = create_block(
        code=previous.code,
        year=year,
        name=_next_year_text(previous.name, previous.year, year),
        organiser=previous.organiser,
        members=[u for u in units if u.pk in existing],
        kind=previous.kind,
        actor=actor,
    )
    covenant = Covenant.objects.filter(block=previous).first()
    if covenant is not None:
        create_covenant(
            block,
            title=_next_year_text(covenant.title, previous.year, year),
            scoring_deadline=_same_day(covenant.scoring_deadline, year),
            groups=_tree(covenant),
            method=covenant.method,
            trim_extremes=covenant.trim_extremes,
            tie_breaks=list(covenant.tie_breaks or []),
            place=covenant.place,
            actor=actor,
        )
    log(
        "emulation.block.copy",
        block,
        actor=actor,
        after={"from": {"code": previous.code, "year": previous.year}},
        message=_("Copied from %(name)s (%(year)s).")
        % {"name": previous.name, "year": previous.year},
    )
    return block
