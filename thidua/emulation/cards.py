"""The emulation card on the home page: blocks open for scoring and their deadlines."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts import home, scope
from thidua.emulation.choices import CovenantStatus
from thidua.emulation.models import Block, BlockMembership
from thidua.org.ids import InIds

SHOWN = 5  # blocks listed on the card; the count covers them all


def scoring_card(user, unit, year, today):
    """Blocks of `year` whose covenant is open for scoring and whose organiser or one of
    whose members is in the unit's subtree, soonest deadline first (two queries)."""
    ids = scope.subtree_in_scope(user, unit)
    if ids is not None and not ids:
        return None
    blocks = Block.objects.filter(year=year, covenant__status=CovenantStatus.OPEN)
    if ids is not None:
        member = BlockMembership.objects.filter(InIds("unit_id", ids), block=OuterRef("pk"))
        blocks = blocks.filter(Q(InIds("organiser_id", ids)) | Exists(member))
    count = blocks.count()
    if not count:
        return None
    shown = blocks.select_related("covenant").order_by("covenant__scoring_deadline", "code")
    lines = []
    for block in shown[:SHOWN]:
        deadline = block.covenant.scoring_deadline
        late = _(" (passed)") if deadline < today else ""
        lines.append(
            (
                block.name,
                _("score by %(day)s%(late)s") % {"day": f"{deadline:%d/%m/%Y}", "late": late},
                reverse("emulation:block", args=[block.year, block.code]),
            )
        )
    return home.HomeCard(
        title=_("Blocks to score in %(year)s") % {"year": year},
        count=count,
        url=reverse("emulation:index"),
        link_text=_("All emulation blocks"),
        lines=lines,
    )


def latest_block_year(up_to: int) -> int | None:
    years = Block.objects.filter(year__lte=up_to).order_by("-year").values_list("year", flat=True)
    return years.first()


def register() -> None:
    home.register_card("emulation.scoring", scoring_card, order=20)
    home.register_year_source("emulation", latest_block_year)
