"""What the proposal verbs share: today's date (which tests and the demo pin), and the
refusal that leaves an audit entry of the attempt after nothing was written."""

import datetime

from django.db import transaction
from django.utils import timezone

from thidua.audit.services import log


def today(day: datetime.date | None = None) -> datetime.date:
    return day or timezone.localdate()


def refuse(exc: Exception, target, *, actor, action: str, attempt: dict) -> None:
    """Audit a refused attempt (`action`, e.g. `nominations.dossier.refused`) in a
    transaction of its own — the refused one wrote nothing — and raise `exc`."""
    if isinstance(exc, Exception) and hasattr(exc, "messages"):
        message = " ".join(str(m) for m in exc.messages)
    else:
        message = str(exc)
    with transaction.atomic():
        log(action, target, actor=actor, after=attempt, message=message)
    raise exc
