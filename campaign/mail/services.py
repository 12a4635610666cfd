"""The outbox: queue a message once per idempotency key; claim, send and settle it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, Select, Table, bindparam, func, or_, select, update

from campaign.core.inserts import dialect_insert
from campaign.core.jobs import SEND_EMAIL, enqueue
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import guard, suppression
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


def queue(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, Any] | None = None,
    template: str | None = None,
    template_ref: int | None = None,
) -> int | None:
    """Add the message to the outbox and send it after commit; its id, or None if *key* was
    queued before. With *template*, the worker writes the bodies (campaign/mail/deferred.py)."""
    row = Draft(key, to, subject, text, html, headers or {}).row()
    row.update(template=template, template_ref=template_ref)
    group = guard.held_for()
    if suppression.is_suppressed(to):  # kept, so the outbox shows why this address got nothing
        row.update(status="failed", last_error=suppression.SUPPRESSED)
    elif group is not None:  # a client over its limit of new addresses: a coordinator decides
        row.update(status="held", held_for=group, last_error=guard.HELD_REASON)
    # INSERT ... ON CONFLICT DO NOTHING rather than a savepoint: a concurrent unit of work that
    # queued the same key first simply wins, and no savepoint is released in the middle of a
    # fan-out (the session's after_commit event also fires for a released savepoint).
    message_id: int | None = db.session.scalar(
        dialect_insert(OutboundEmail)
        .values(**row)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboundEmail.id)
    )
    if message_id is not None and row["status"] == "queued":
        enqueue(SEND_EMAIL, message_id)
    return message_id


def queue_email(**message: Any) -> OutboundEmail | None:
    """As queue(), with the row read back (for callers that show or keep it)."""
    message_id = queue(**message)
    return None if message_id is None else db.session.get(OutboundEmail, message_id)


def queue_batch(drafts: Sequence[Draft]) -> dict[str, int]:
    """Add many messages in one statement, skipping keys queued before; every key's row id.

    No send job is queued: the caller sends them (a digest chunk, over one connection); the
    outbox flush is the safety net.
    """
    if not drafts:
        return {}
    statement = dialect_insert(OutboundEmail).on_conflict_do_nothing(
        index_elements=["idempotency_key"]
    )
    refused = suppression.suppressed(draft.to for draft in drafts)
    values = [draft.row() for draft in drafts]
    for row in values:
        if row["to_address"] in refused:
            row.update(status="failed", last_error=suppression.SUPPRESSED)
    db.session.execute(statement, values)
    keys = [draft.key for draft in drafts]
    rows = db.session.execute(
        select(OutboundEmail.idempotency_key, OutboundEmail.id).where(
            OutboundEmail.idempotency_key.in_(keys)
        )
    )
    return {key: message_id for key, message_id in rows}


def _claimable() -> ColumnElement[bool]:
    """Due to be sent: queued, or claimed by a worker that has not settled it in time."""
    stale = utcnow() - dt.timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    return or_(
        OutboundEmail.status == "queued",
        (OutboundEmail.status == "sending") & (OutboundEmail.claimed_at < stale),
    )


def _claim_values() -> dict[str, Any]:
    return {"status": "sending", "claimed_at": utcnow(), "attempts": OutboundEmail.attempts + 1}


def claim(message_id: int) -> OutboundEmail | None:
    """Mark the message as being sent by this worker; None if it is not due (sent, or claimed)."""
    claimed = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == message_id, _claimable())
        .values(**_claim_values())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.session.get(OutboundEmail, message_id, populate_existing=True)


@dataclass(frozen=True)
class Claimed:
    """A message claimed for sending: what the relay needs, read in the claiming statement."""

    id: int
    idempotency_key: str
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    headers: dict[str, Any]
    attempts: int
    template: str | None = None  # a deferred message, not written yet (campaign/mail/deferred)
    template_ref: int | None = None


CLAIMED_COLUMNS = tuple(getattr(OutboundEmail, name) for name in Claimed.__dataclass_fields__)


def claim_many(message_ids: Sequence[int]) -> list[Claimed]:
    """Claim the due messages among *message_ids* in one UPDATE ... RETURNING, in their order.

    Rows another worker holds locked are skipped (it is claiming or settling them), so two
    workers on the same ids neither wait for nor deadlock on each other.
    """
    if not message_ids:
        return []
    due = (
        select(OutboundEmail.id)
        .where(OutboundEmail.id.in_(message_ids), _claimable())
        .with_for_update(skip_locked=True)
    )
    rows = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id.in_(due.scalar_subquery()), _claimable())
        .values(**_claim_values())
        .returning(*CLAIMED_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    claimed = {row.id: Claimed(*row) for row in rows}
    return [claimed[message_id] for message_id in message_ids if message_id in claimed]


def settle(message_ids: Sequence[int], *, status: str, error: str | None = None) -> int:
    """Settle claimed messages in one UPDATE: "sent" (with its time), or back to "queued" for
    a retry, or "failed" or "bounced", with *error*."""
    values: dict[str, Any] = {"status": status, "last_error": error and error[:2000]}
    if status == "sent":
        values["sent_at"] = utcnow()
    return _update_claimed(message_ids, values)


def settle_sent(sent: Mapping[int, str]) -> int:
    """Settle claimed messages as sent, each with the header block it went out with, in one
    executemany UPDATE."""
    if not sent:
        return 0
    table = cast(Table, OutboundEmail.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("message_id"), table.c.status == "sending")
        .values(status="sent", last_error=None, sent_at=utcnow(), sent_headers=bindparam("block"))
    )
    params = [{"message_id": key, "block": block} for key, block in sent.items()]
    result = db.session.execute(statement, params)
    return int(result.rowcount)  # type: ignore[attr-defined]


def release(message_ids: Sequence[int]) -> int:
    """Give back claims never tried (a digest pausing mid-batch): queued, attempt uncounted."""
    values = {"status": "queued", "claimed_at": None, "attempts": OutboundEmail.attempts - 1}
    return _update_claimed(message_ids, values)


def _update_claimed(message_ids: Sequence[int], values: dict[str, Any]) -> int:
    if not message_ids:
        return 0
    result = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id.in_(message_ids), OutboundEmail.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


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
