"""Reading what the SMTP sink received, and the outbox as the worker would send it."""

from __future__ import annotations

from email.message import Message

from sqlalchemy import select

from campaign.extensions import db
from campaign.mail import deferred
from campaign.mail.models import OutboundEmail


def write_deferred() -> None:
    """Write the bodies of deferred messages (a pledge's confirmation) as the send job would
    just before sending, so a test reads the outbox row the relay would get."""
    pending = select(OutboundEmail.id).where(OutboundEmail.template.is_not(None))
    deferred.write_stored(list(db.session.scalars(pending)))


def text_part(message: Message) -> str:
    """The decoded text/plain part of *message*."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")
