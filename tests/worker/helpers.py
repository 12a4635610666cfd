"""Helpers for the worker tests: queue a message and commit, read its row back, drain."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail
from tests.support.servers import SmtpSink, wait_until


def queue_message(key: str, to: str = "supporter@example.org") -> int:
    """Queue a message and commit: its send job goes to the broker."""
    message = outbox.queue_email(
        key=key, to=to, subject=f"Subject {key}", text=f"Text {key}", html=f"<p>{key}</p>"
    )
    assert message is not None
    db.session.commit()
    return message.id


def outbox_row(message_id: int) -> OutboundEmail:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).filter_by(id=message_id)).one()


def reaches(message_id: int, status: str, timeout: float = 30.0) -> OutboundEmail:
    """The row once it has *status* (a bounded wait for the worker, not a timing assertion)."""
    return wait_until(
        lambda: outbox_row(message_id).status == status,
        timeout,
        result=lambda: outbox_row(message_id),
    )


def rows_to(address: str) -> list[OutboundEmail]:
    """Every outbox row addressed to *address*, oldest first."""
    db.session.expire_all()
    query = select(OutboundEmail).filter_by(to_address=address).order_by(OutboundEmail.id)
    return list(db.session.scalars(query))


def drain(sink: SmtpSink, expected: int) -> None:
    """Queue a sentinel behind everything else; once it arrives the queue before it is done."""
    queue_message("sentinel", to="sentinel@example.org")
    sink.wait_for(expected + 1)
    assert sink.messages[-1]["X-Campaign-Key"] == "sentinel"
