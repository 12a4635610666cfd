"""Recording audit events inside the unit of work that makes the change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from campaign.audit.models import AuditEvent
from campaign.extensions import db

if TYPE_CHECKING:
    from campaign.accounts.models import User


def record_event(
    *,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Add an audit event; *actor_label* names a system actor (seed, treaty sync) when no user."""
    event = AuditEvent(
        actor=actor,
        actor_label=actor.email if actor is not None else (actor_label or "system"),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(event)
    return event


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        key: value if isinstance(value, bool | int | float | str | None) else str(value)
        for key, value in values.items()
    }
