"""audit_log: the one way to write the audit trail (core.models.AuditEvent)."""

from __future__ import annotations

from typing import Any

from django.db import models

from core.actors import person
from core.models import AuditEvent


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``obj`` (or to object_type/object_id).

    Call it inside the transaction of the change, so that the change and its record land
    together or not at all. Detail values are stored as text.
    """
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = obj.pk
    if object_type is None or object_id is None:
        raise ValueError("audit_log needs obj, or object_type and object_id")
    user = person(actor)
    return AuditEvent.objects.create(
        actor=user,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        details={key: _text(value) for key, value in details.items()},
    )


def _text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items()}
    return str(value)
