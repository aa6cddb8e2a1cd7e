"""A per-client limit for the public pages anyone may call without logging in (the
certificate verification page behind every QR code), so that nobody can walk through
serial numbers or load the server from one address.

django-ratelimit was considered: it refuses every cache Thidua runs with (the per-process
memory cache of the embedded mode, the database cache) and wants memcached or Redis, which
a small deployment does not have. This is a fixed-window counter in Django's cache instead:
`cache.add` then `cache.incr`, atomic within one process. With several server processes
(THIDUA_WORKERS) each keeps its own count, so a client gets at most that many times the
limit — still a limit; docs/deployment/README.md says so.

The first refusal of a client in a window writes one audit row (not one per request: an
attacker must not be able to fill the audit table either).
"""

import time

from django.core.cache import cache

from thidua.audit import context
from thidua.audit.context import address_of
from thidua.audit.models import AuditEntry


def allow(request, scope: str, *, limit: int, window: int = 60) -> bool:
    """Count this request of the client against `limit` requests per `window` seconds for
    `scope`; False (and audited, once per window) when the client is over it. A limit of 0
    switches the check off."""
    if limit <= 0:
        return True
    client = address_of(request) or "unknown"
    slot = int(time.time() // window)
    key = f"throttle:{scope}:{client}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return True
    if count == limit + 1:
        AuditEntry.objects.create(
            actor_label="anonymous" if not request.user.is_authenticated else str(request.user),
            actor=request.user if request.user.is_authenticated else None,
            action=f"{scope}.rate_limited",
            target_type="client",
            target_id=client[:64],
            target_label=client[:255],
            client_address=address_of(request),
            request_id=context.request_id.get(),
            message=f"> {limit}/{window}s: {request.path}"[:500],
        )
    return False
