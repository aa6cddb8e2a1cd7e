"""The id of the request (or CLI run) in progress and the client's address, for audit
entries."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

request_id: ContextVar[str] = ContextVar("thidua_request_id", default="")
client_address: ContextVar[str | None] = ContextVar("thidua_client_address", default=None)


def address_of(request) -> str | None:
    """The client's IP address: the proxy's `X-Forwarded-For` (its last entry, the one the
    proxy added) when THIDUA_BEHIND_PROXY is on, else the connection's peer; None if that is
    not an IP address. Also what login throttling counts by (AXES_CLIENT_IP_CALLABLE)."""
    value = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            value = forwarded.split(",")[-1]
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
