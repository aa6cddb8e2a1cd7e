"""The page a locked-out login gets (django-axes calls `locked_out`)."""

from django.conf import settings
from django.shortcuts import render

LOCKED_OUT_STATUS = 429


def locked_out(request, credentials=None, *args, **kwargs):
    """Too many failed logins for this username from this address: say so, and for how
    long, without telling whether the password was right."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=LOCKED_OUT_STATUS,
    )
