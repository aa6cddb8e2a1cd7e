"""What the emulation verbs share: today's date (which tests pin), a year's bounds, the
units existing in a year, and two-decimal rounding."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from thidua.org.models import Unit, UnitVersion

TWO_PLACES = Decimal("0.01")


def today(day: datetime.date | None = None) -> datetime.date:
    """`day`, or the local date when None (the verbs' `today` argument)."""
    return day or timezone.localdate()


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of `year`."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def existing_in_year(units: Iterable[Unit], year: int) -> set[int]:
    """Ids of the given units that existed at some time during `year` (one query)."""
    first, last = year_bounds(year)
    return set(
        UnitVersion.objects.filter(unit__in=list(units), valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .values_list("unit_id", flat=True)
    )
