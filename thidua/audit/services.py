"""The one way to write an audit entry."""

import datetime
import decimal

from django.db import models

from thidua.audit import context
from thidua.audit.models import AuditEntry


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-ready copy of a model row's concrete fields (foreign keys as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        data[field.name] = value
    return data


def log(
    action: str,
    target: models.Model,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
) -> AuditEntry:
    """Record that `actor` did `action` (a namespaced code such as `records.rating.update`)
    to `target`. Call it inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        before=before,
        after=after,
        request_id=context.request_id.get(),
        message=message[:500],
    )
