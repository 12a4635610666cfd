"""The outbox: queue a message once per idempotency key; claim, send and settle it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from flask import current_app
from sqlalchemy import (
    Select,
    Table,
    func,
    or_,
    select,
    update,
)

from campaign.core.jobs import SEND_EMAIL, SEND_PENDING, enqueue, enqueue_coalesced
from campaign.core.many import among, listed, update_each
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import guard
from campaign.mail.models import OUTBOX_STATUSES, OutboundEmail
from campaign.mail.statements import claim_statement, queue_params, queue_statement

OUTBOX = cast(Table, OutboundEmail.__table__)
_SENDING = OUTBOX.c.status == "sending"  # one clause object: update_each keeps its statement


@dataclass(frozen=True)
class Draft:
    """One message, ready for the outbox."""

    key: str
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, Any] = field(default_factory=dict)

    def claimed(self, message_id: int, attempts: int) -> Claimed:
        """This draft as the claim of its row *message_id* would read it back."""
        return Claimed(
            message_id,
            self.key,
            self.to,
            self.subject,
            self.text,
            self.html,
            self.headers,
            attempts,
        )

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
    queued before. With *template*, the worker writes the bodies (campaign/mail/deferred.py).

    One statement (mail/statements.py), the suppression list looked up inside it: a suppressed
    address's row is kept failed, so the outbox shows why it got nothing; a client over its
    limit of new addresses (mail/guard) has its row held for a coordinator to decide."""
    row = Draft(key, to, subject, text, html, headers or {}).row()
    params = queue_params(row, template=template, template_ref=template_ref, held=guard.held_for())
    connection = db.session.connection()
    found = connection.execute(queue_statement(connection.dialect.name), params).first()
    if found is None:  # the key was queued before (a concurrent unit of work won)
        return None
    message_id, status = found
    if status == "queued":
        send_after_commit(int(message_id))
    return int(message_id)


def send_after_commit(message_id: int, *, committed: bool = False) -> None:
    """One sending job for this message, or with MAIL_NUDGE_SECONDS one per process and
    window for every message queued meanwhile (worker/tasks.py, send_pending); queued at once
    when the message is *committed* already (written by a statement in autocommit)."""
    window = float(current_app.config["MAIL_NUDGE_SECONDS"])
    if window > 0:
        enqueue_coalesced(SEND_PENDING, window, committed=committed)
    else:
        enqueue(SEND_EMAIL, message_id, committed=committed)


def queue_email(**message: Any) -> OutboundEmail | None:
    """As queue(), with the row read back (for callers that show or keep it)."""
    message_id = queue(**message)
    return None if message_id is None else db.session.get(OutboundEmail, message_id)


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


CLAIMED_COLUMNS = tuple(Claimed.__dataclass_fields__)
# What a claim reads back when the caller wrote the rows itself and holds their drafts.
ATTEMPTS_COLUMNS = ("id", "attempts")


def claim_many(
    message_ids: Sequence[int], known: Mapping[int, Draft] | None = None
) -> list[Claimed]:
    """Claim the due messages among *message_ids* in one UPDATE ... RETURNING, in their order.

    Rows another worker holds locked are skipped (it is claiming or settling them), so two
    workers on the same ids neither wait for nor deadlock on each other. *known* are drafts
    the caller queued itself in this job (a digest chunk), by row id: when every id is among
    them, their bodies are not read back from the database.
    """
    if not message_ids:
        return []
    if known and all(message_id in known for message_id in message_ids):
        rows = _claim(message_ids, ATTEMPTS_COLUMNS)
        claimed = {row.id: known[row.id].claimed(row.id, row.attempts) for row in rows}
    else:
        claimed = {row.id: Claimed(*row) for row in _claim(message_ids, CLAIMED_COLUMNS)}
    return [claimed[message_id] for message_id in message_ids if message_id in claimed]


def _claim(message_ids: Sequence[int], columns: tuple[str, ...]) -> Any:
    now = utcnow()
    stale = now - dt.timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    ids = listed(OutboundEmail.id, message_ids)
    db.session.flush()  # as Session.execute would: a change not yet written counts
    connection = db.session.connection()
    statement = claim_statement(columns, connection.dialect.name)
    return connection.execute(statement, {"ids": ids, "stale": stale, "now": now})


def settle(message_ids: Sequence[int], *, status: str, error: str | None = None) -> int:
    """Settle claimed messages in one UPDATE: "sent" (with its time), or back to "queued" for
    a retry, or "failed" or "bounced", with *error*."""
    values: dict[str, Any] = {"status": status, "last_error": error and error[:2000]}
    if status == "sent":
        values["sent_at"] = utcnow()
    return _update_claimed(message_ids, values)


def settle_sent(sent: Mapping[int, str]) -> int:
    """Settle claimed messages as sent, each with the header block it went out with, in one
    statement (campaign/core/many.py)."""
    return update_each(
        OUTBOX, "sent_headers", sent, _SENDING, status="sent", last_error=None, sent_at=utcnow()
    )


def release(message_ids: Sequence[int]) -> int:
    """Give back claims never tried (a digest pausing mid-batch): queued, attempt uncounted."""
    values = {"status": "queued", "claimed_at": None, "attempts": OutboundEmail.attempts - 1}
    return _update_claimed(message_ids, values)


def _update_claimed(message_ids: Sequence[int], values: dict[str, Any]) -> int:
    if not message_ids:
        return 0
    result = db.session.execute(
        update(OutboundEmail)
        .where(among(OutboundEmail.id, message_ids), OutboundEmail.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


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
