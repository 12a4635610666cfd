"""Mail the worker writes just before sending it: a request that must answer fast (a pledge)
queues the outbox row with its recipient, subject, idempotency key, a template name and the id
of what the mail is about, and renders nothing; the send job renders the bodies from that id,
writes them into the row (so the outbox shows what went out) and sends.

A feature registers how to write each of its templates with `@writer("template")`: a function
of the id that returns the bodies, or None when there is nothing left to write about (the
pledge was erased), in which case the message fails without being sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from sqlalchemy import select, update

from campaign.core.many import among
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Claimed

Bodies = tuple[str, str]  # text, html
Writer = Callable[[int], Bodies | None]

WRITERS: dict[str, Writer] = {}
GONE = "nothing left to write about (erased before sending)"


def writer(template: str) -> Callable[[Writer], Writer]:
    """Register *function* as the way to write *template* from an id."""

    def register(function: Writer) -> Writer:
        WRITERS[template] = function
        return function

    return register


def write(row: Claimed) -> Claimed | None:
    """The claimed *row* with its bodies written (and saved to the outbox), or None if it can
    no longer be written. A row that was written already is returned as it is."""
    if row.template is None:
        return row
    bodies = WRITERS[row.template](int(row.template_ref or 0))
    if bodies is None:
        return None
    text, html = bodies
    _save(row.id, text, html)
    return dataclasses.replace(row, body_text=text, body_html=html, template=None)


def write_stored(message_ids: Sequence[int]) -> None:
    """Write the bodies of deferred messages in place, without sending them (the back office's
    preview of a held message, and the tests that read mail from the outbox)."""
    rows = db.session.execute(
        select(OutboundEmail.id, OutboundEmail.template, OutboundEmail.template_ref).where(
            among(OutboundEmail.id, message_ids), OutboundEmail.template.is_not(None)
        )
    )
    for message_id, template, ref in rows.all():
        bodies = WRITERS[str(template)](int(ref or 0))
        if bodies is not None:
            _save(int(message_id), *bodies)


def _save(message_id: int, text: str, html: str) -> None:
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == message_id)
        .values(body_text=text, body_html=html, template=None, template_ref=None)
    )
