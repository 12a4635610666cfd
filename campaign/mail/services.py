"""The outbox: queue a message once per idempotency key; claim, send and settle it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from campaign.core.jobs import SEND_EMAIL, enqueue
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OUTBOX_STATUSES, OutboundEmail


@dataclass(frozen=True)
class Draft:
    """One message, ready for the outbox."""

    key: str
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        _refuse_line_breaks(self.to, self.subject, *map(str, self.headers.values()))
        return {
            "idempotency_key": self.key,
            "to_address": self.to,
            "subject": self.subject,
            "body_text": self.text,
            "body_html": self.html,
            "headers": self.headers,
            "status": "queued",
            "attempts": 0,
            "created_at": utcnow(),
        }


def _refuse_line_breaks(*values: str) -> None:
    if any("\r" in value or "\n" in value for value in values):
        raise ValueError("Line breaks are not allowed in an address, a subject or a header.")


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
    row = Draft(key, to, subject, text, html, headers or {}).row()
    # INSERT ... ON CONFLICT DO NOTHING rather than a savepoint: a concurrent unit of work that
    # queued the same key first simply wins, and no savepoint is released in the middle of a
    # fan-out (the session's after_commit event also fires for a released savepoint).
    message_id = db.session.scalar(
        _insert()
        .values(**row)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboundEmail.id)
    )
    if message_id is None:
        return None
    enqueue(SEND_EMAIL, message_id)
    return db.session.get(OutboundEmail, message_id)


def _insert() -> Any:
    """INSERT for the outbox in the session's dialect (both know ON CONFLICT DO NOTHING)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(OutboundEmail)


def queue_batch(drafts: Sequence[Draft]) -> dict[str, int]:
    """Add many messages in one statement, skipping keys queued before; every key's row id.

    No send job is queued: the caller sends them (a digest chunk, over one connection); the
    outbox flush is the safety net.
    """
    if not drafts:
        return {}
    statement = _insert().on_conflict_do_nothing(index_elements=["idempotency_key"])
    db.session.execute(statement, [draft.row() for draft in drafts])
    keys = [draft.key for draft in drafts]
    rows = db.session.execute(
        select(OutboundEmail.idempotency_key, OutboundEmail.id).where(
            OutboundEmail.idempotency_key.in_(keys)
        )
    )
    return {key: message_id for key, message_id in rows}


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


def set_status(ids: Select[Any], *, old: str, new: str) -> int:
    """Move the messages among *ids* from status *old* to *new* (holding a paused digest)."""
    result = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id.in_(ids), OutboundEmail.status == old)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


RETRYABLE = ("failed", "bounced", "queued")


def requeue(message: OutboundEmail) -> bool:
    """Send a failed, bounced or stuck message again, with fresh attempts; False if not allowed."""
    if message.status not in RETRYABLE:
        return False
    message.status = "queued"
    message.attempts = 0
    message.claimed_at = None
    enqueue(SEND_EMAIL, message.id)
    return True


def status_counts() -> dict[str, int]:
    """How many messages are in each status (every status listed, zeros included)."""
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    rows = db.session.execute(
        select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)
    )
    counts.update({status: count for status, count in rows})
    return counts
