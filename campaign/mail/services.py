"""The outbox: queue a message once per idempotency key; claim, send and settle it once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from campaign.core.jobs import SEND_EMAIL, enqueue
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail


def queue_email(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, Any] | None = None,
) -> OutboundEmail | None:
    """Add the message to the outbox and send it after commit; None if *key* was queued before."""
    if "\r" in to or "\n" in to or "\r" in subject or "\n" in subject:
        raise ValueError("Line breaks are not allowed in an address or a subject.")
    existing = db.session.scalars(select(OutboundEmail.id).filter_by(idempotency_key=key)).first()
    if existing is not None:
        return None
    message = OutboundEmail(
        idempotency_key=key,
        to_address=to,
        subject=subject,
        body_text=text,
        body_html=html,
        headers=headers or {},
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None  # a concurrent unit of work queued the same key first
    enqueue(SEND_EMAIL, message.id)
    return message


def claim(message_id: int) -> OutboundEmail | None:
    """Mark the message as being sent by this worker; None if it is not due (sent, or claimed)."""
    stale = utcnow() - dt.timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    claimed = db.session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.id == message_id,
            or_(
                OutboundEmail.status == "queued",
                (OutboundEmail.status == "sending") & (OutboundEmail.claimed_at < stale),
            ),
        )
        .values(status="sending", claimed_at=utcnow(), attempts=OutboundEmail.attempts + 1)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.session.get(OutboundEmail, message_id, populate_existing=True)


def mark_sent(message: OutboundEmail) -> None:
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = None


def mark_retry(message: OutboundEmail, error: str) -> None:
    """Back to the queue after a temporary failure; the caller schedules the retry."""
    message.status = "queued"
    message.last_error = error[:2000]


def mark_failed(message: OutboundEmail, error: str, *, bounced: bool = False) -> None:
    message.status = "bounced" if bounced else "failed"
    message.last_error = error[:2000]


def due_for_resend(older_than: dt.timedelta, limit: int = 500) -> list[int]:
    """Queued messages whose job may have been lost (for example the broker was down)."""
    cutoff = utcnow() - older_than
    return list(
        db.session.scalars(
            select(OutboundEmail.id)
            .where(
                OutboundEmail.status == "queued",
                OutboundEmail.created_at < cutoff,
                or_(OutboundEmail.claimed_at.is_(None), OutboundEmail.claimed_at < cutoff),
            )
            .order_by(OutboundEmail.id)
            .limit(limit)
        )
    )
