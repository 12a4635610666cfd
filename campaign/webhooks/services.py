"""Webhooks' rules: endpoints registered, edited, deleted, re-keyed and enabled (audited), and
events emitted into the ledger inside the unit of work of what happened; never a commit."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.audit.services import record_event
from campaign.core.inserts import insert_new
from campaign.core.jobs import DELIVER_WEBHOOK, enqueue
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db
from campaign.webhooks import signing
from campaign.webhooks.addresses import check_url
from campaign.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation

# The payload's `id`: the same for every endpoint told of one fact, and for a retry of it.
EVENT_NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4d59-9a56-0c8e3f1b2d74")


class DuplicateEndpoint(DomainError):
    """The organisation already has an endpoint at this address."""


class CannotRedeliver(DomainError):
    """The endpoint is disabled, or the delivery is under way."""


@dataclass(frozen=True)
class EndpointData:
    url: str
    events: list[str]
    is_active: bool = True


def _checked(data: EndpointData) -> EndpointData:
    check_url(data.url, allow_private=bool(current_app.config["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"]))
    unknown = [event for event in data.events if event not in EVENTS]
    if unknown or not data.events:
        raise DomainError(_("Choose one or more of the listed events."))
    return EndpointData(data.url, [e for e in EVENTS if e in data.events], data.is_active)


def _refuse_duplicate(organisation_id: int, url: str, endpoint_id: int | None = None) -> None:
    query = select(WebhookEndpoint.id).filter_by(organisation_id=organisation_id, url=url)
    if endpoint_id is not None:
        query = query.where(WebhookEndpoint.id != endpoint_id)
    if db.session.scalar(query) is not None:
        raise DuplicateEndpoint(_("This organisation already has an endpoint at this address."))


def _summary(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """What the audit log keeps of an endpoint: never its secret or salt."""
    return {
        "organisation": endpoint.organisation.name,
        "url": endpoint.url,
        "events": " ".join(endpoint.events),
        "is_active": endpoint.is_active,
    }


def _audit(actor: User, action: str, endpoint: WebhookEndpoint, **before: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        before=before or None,
        after=_summary(endpoint),
    )


def register_endpoint(
    *, organisation: Organisation, data: EndpointData, actor: User
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (to show once: it is never stored)."""
    data = _checked(data)
    _refuse_duplicate(organisation.id, data.url)
    endpoint = WebhookEndpoint(
        organisation=organisation,
        url=data.url,
        events=data.events,
        is_active=data.is_active,
        secret_salt=signing.new_salt(),
        secret_rotated_at=utcnow(),
    )
    db.session.add(endpoint)
    db.session.flush()
    _audit(actor, "webhook.created", endpoint)
    return endpoint, signing.endpoint_secret(endpoint.secret_salt)


def update_endpoint(*, endpoint: WebhookEndpoint, data: EndpointData, actor: User) -> None:
    data = _checked(data)
    _refuse_duplicate(endpoint.organisation_id, data.url, endpoint.id)
    before = _summary(endpoint)
    endpoint.url, endpoint.events = data.url, data.events
    if data.is_active and not endpoint.is_active:
        _enable(endpoint)
    endpoint.is_active = data.is_active
    db.session.flush()
    _audit(actor, "webhook.updated", endpoint, **before)


def delete_endpoint(*, endpoint: WebhookEndpoint, actor: User) -> None:
    """The endpoint and its ledger go; the audit log keeps what it was."""
    record_event(
        actor=actor,
        action="webhook.deleted",
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        before=_summary(endpoint),
    )
    db.session.delete(endpoint)
    db.session.flush()


def rotate_secret(*, endpoint: WebhookEndpoint, actor: User) -> str:
    """A new secret at once (the old one stops signing); returned to show once."""
    endpoint.secret_salt = signing.new_salt()
    endpoint.secret_rotated_at = utcnow()
    db.session.flush()
    _audit(actor, "webhook.secret_rotated", endpoint)
    return signing.endpoint_secret(endpoint.secret_salt)


def _enable(endpoint: WebhookEndpoint) -> None:
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.consecutive_failures = 0


def enable_endpoint(*, endpoint: WebhookEndpoint, actor: User) -> None:
    """Active again after a disabling: its pending deliveries go out (the sweep finds them)."""
    if endpoint.is_active:
        return
    _enable(endpoint)
    db.session.flush()
    _audit(actor, "webhook.enabled", endpoint)


def redeliver(*, delivery: WebhookDelivery, actor: User) -> None:
    """One fresh attempt of *delivery*, queued after commit, with the same body and id."""
    if not delivery.endpoint.is_active:
        raise CannotRedeliver(_("Enable the endpoint before redelivering."))
    if delivery.status == "delivering":
        raise CannotRedeliver(_("This delivery is being attempted right now."))
    delivery.status = "pending"
    # One more attempt at least; a delivery still retrying keeps the retries it had.
    delivery.attempt_limit = max(delivery.attempt_limit, delivery.attempts + 1)
    delivery.next_attempt_at = utcnow()
    delivery.claimed_at = None
    db.session.flush()
    record_event(
        actor=actor,
        action="webhook.redelivered",
        entity_type="webhook_delivery",
        entity_id=delivery.id,
        after={"endpoint": delivery.endpoint_id, "event": delivery.event},
    )
    enqueue(DELIVER_WEBHOOK, delivery.id)


def event_id(event: str, key: str) -> str:
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{event}:{key}"))


def body(*, event: str, key: str, data: dict[str, Any], at: dt.datetime) -> str:
    """The JSON sent (the exact bytes are this text in UTF-8)."""
    payload = {
        "id": event_id(event, key),
        "event": event,
        "created_at": at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)


def emit(
    *, event: str, key: str | int, data: dict[str, Any] | Callable[[], dict[str, Any]]
) -> list[int]:
    """Record *event* for every active endpoint subscribed to it; the new deliveries' ids.

    Call it inside the unit of work of what happened: the rows commit (or roll back) with it,
    and each delivery job is queued only after commit. *key* names the fact (a status change's
    id): emitting the same fact again records nothing more. *data* may be a function, called
    only when some endpoint wants the event (a pledge's payload reads the counts).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    endpoints = [
        endpoint
        for endpoint in db.session.scalars(select(WebhookEndpoint).filter_by(is_active=True))
        if endpoint.subscribes_to(event)
    ]
    if not endpoints:
        return []
    if callable(data):
        data = data()
    now, name = utcnow(), str(key)
    text = body(event=event, key=name, data=data, at=now)
    limit = int(current_app.config["WEBHOOK_MAX_ATTEMPTS"])
    created = []
    for endpoint in endpoints:
        values = {
            "endpoint_id": endpoint.id,
            "event": event,
            "event_key": name,
            "event_id": event_id(event, name),
            "body": text,
            "status": "pending",
            "attempts": 0,
            "attempt_limit": max(1, limit),
            "next_attempt_at": now,
            "created_at": now,
        }
        delivery_id = insert_new(WebhookDelivery, values, ["endpoint_id", "event", "event_key"])
        if delivery_id is not None:
            enqueue(DELIVER_WEBHOOK, delivery_id)
            created.append(int(delivery_id))
    return created
