"""Reading what the SMTP sink received."""

from __future__ import annotations

from email.message import Message


def text_part(message: Message) -> str:
    """The decoded text/plain part of *message*."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")
