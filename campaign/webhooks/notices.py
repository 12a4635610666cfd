"""The notice that an endpoint was disabled: to its organisation's contact and its users,
through the outbox, once per disabling."""

from __future__ import annotations

from sqlalchemy import select

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.mail import compose
from campaign.mail.services import queue
from campaign.webhooks.models import WebhookEndpoint


def recipients(endpoint: WebhookEndpoint) -> dict[str, str]:
    """Address: language, for the organisation's contact and its active users."""
    found: dict[str, str] = {}
    users = db.session.scalars(
        select(User).where(
            User.organisation_id == endpoint.organisation_id,
            User.is_active.is_(True),
            User.password_hash.is_not(None),
        )
    )
    for user in users:
        found[user.email.lower()] = user.locale
    contact = endpoint.organisation.contact_email
    if contact:
        found.setdefault(contact.lower(), compose.DEFAULT)
    return found


def queue_disabled_notice(*, endpoint_id: int, failures: int) -> int:
    """Queue the notice (sent after commit); how many messages were new."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id, populate_existing=True)
    if endpoint is None or endpoint.disabled_at is None:
        return 0
    stamp = endpoint.disabled_at.strftime("%Y%m%dT%H%M%S%f")
    queued = 0
    for address, locale in sorted(recipients(endpoint).items()):
        mail = compose.compose_webhook_disabled(
            locale,
            organisation=endpoint.organisation.name,
            url=endpoint.url,
            failures=failures,
        )
        message_id = queue(
            key=f"webhook-disabled:{endpoint.id}:{stamp}:{address}",
            to=address,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
        )
        queued += message_id is not None
    return queued
