"""The one way to write an audit entry."""

import datetime

from django.db import models

from thidua.audit import context
from thidua.audit.models import AuditEntry

SYSTEM_LABEL = "hệ thống"  # the same as thidua.accounts.system.SYSTEM_LABEL (a layer above)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-ready copy of a model row's concrete fields (foreign keys as ids): dates
    and times in ISO format, decimals as text (no float rounding), anything else that
    JSON cannot hold (a UUID, a file) as its text."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = _json_ready(getattr(instance, field.attname))
    return data


def _json_ready(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return str(value)


def log(
    action: str,
    target: models.Model,
    *,
    actor,
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
) -> AuditEntry:
    """Record that `actor` did `action` (a namespaced code such as `records.rating.update`)
    to `target`. Call it inside the transaction that makes the change.

    `actor` is a user, or the system actor (`thidua.accounts.system.SYSTEM`, recognised
    here by its `is_system` mark, since audit sits below accounts), whose rows carry no
    user and the label "hệ thống"; `None` is recorded the same way for callers not yet
    converted (the scope refuses it for any check)."""
    system = actor is None or getattr(actor, "is_system", False) is True
    return AuditEntry.objects.create(
        actor=None if system or not actor.is_authenticated else actor,
        actor_label=SYSTEM_LABEL if system else str(actor)[:150],
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        before=before,
        after=after,
        request_id=context.request_id.get(),
        client_address=context.client_address.get(),
        message=message[:500],
    )
