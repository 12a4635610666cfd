"""The mails a pledge gets: composed by campaign.mail.compose, queued through the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, or_, select, update

from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import caps, compose, deferred
from campaign.mail.held import released
from campaign.mail.models import OutboundEmail
from campaign.mail.services import Draft, queue, queue_email
from campaign.mail.statements import queue_params
from campaign.pledges import counters, tokens
from campaign.pledges.models import Pledge

MAX_MAILS_PER_PLEDGE = 5
CONFIRM_KEY = "pledge-confirm:"  # a confirmation's key: pledge-confirm:<pledge id>:<number>


def links(pledge: Pledge) -> dict[str, str]:
    """The pledge's confirm and manage links, on the pages of the pledge's language."""
    confirm = tokens.make_token(tokens.CONFIRM, pledge.id)
    manage = tokens.make_token(tokens.MANAGE, pledge.id)
    return {
        "confirm_url": compose.link(f"/pledge/confirm/{confirm}", pledge.locale),
        "manage_url": compose.link(f"/pledge/manage/{manage}", pledge.locale),
    }


def queue_pledge_mail(pledge: Pledge, template: str, key: str, **context: Any) -> None:
    """Render *template* (.txt and .html) for *pledge* in its language and queue it under *key*."""
    mail = compose.compose(template, pledge.locale, pledge=pledge, **links(pledge), **context)
    queue_email(key=key, to=pledge.email, subject=mail.subject, text=mail.text, html=mail.html)


CONFIRMATIONS = ("pledge_confirm", "pledge_already")


def queue_confirmation(
    *, pledge_id: int, email: str, locale: str, template: str, number: int
) -> None:
    """Queue the confirmation (or the note that it is confirmed already) for the worker to
    write: the signing request renders nothing (campaign/mail/deferred.py)."""
    queue(
        key=f"{CONFIRM_KEY}{pledge_id}:{number}",
        to=email,
        subject=compose.subject(template, locale),
        text="",
        template=template,
        template_ref=pledge_id,
    )


def first_confirmation(
    *, email: str, locale: str, created_at: dt.datetime, held: str | None
) -> dict[str, Any]:
    """The parameters of a new pledge's first confirmation for its one statement
    (pledges/statements.py), but its key and reference, made there from the new pledge's id;
    held under *held*, if a group."""
    row = Draft("", email, compose.subject("pledge_confirm", locale), "").row()
    row["created_at"] = created_at  # the pledge's: one parameter serves both rows
    params = queue_params(row, template="pledge_confirm", template_ref=None, held=held)
    del params["idempotency_key"], params["template_ref"]
    return params


def _write_confirmation(template: str) -> deferred.Writer:
    def write(pledge_id: int) -> deferred.Bodies | None:
        pledge = db.session.get(Pledge, pledge_id)
        if pledge is None or pledge.erased_at is not None:
            return None
        return compose.render(template, pledge.locale, pledge=pledge, **links(pledge))

    return write


for _template in CONFIRMATIONS:
    deferred.writer(_template)(_write_confirmation(_template))


def claim_mail_slot(pledge: Pledge, *, now: dt.datetime | None = None) -> int | None:
    """Reserve one more mail for *pledge* under the cap and the cooldown (compose.RESEND_COOLDOWN);
    its number, or None."""
    return caps.claim_mail_slot(
        pledge,
        sent=Pledge.mails_sent,
        mailed_at=Pledge.last_mailed_at,
        cap=MAX_MAILS_PER_PLEDGE,
        now=now or utcnow(),
    )


def blank_pledge_mails(pledge_id: int) -> None:
    """For an erasure: the outbox keeps no address or text of this pledge's mails.

    Mails not sent yet are settled as failed, so the worker never sends them.
    """
    key = OutboundEmail.idempotency_key
    db.session.execute(
        update(OutboundEmail)
        .where(
            or_(
                key.like(f"{CONFIRM_KEY}{pledge_id}:%"),
                key.like(f"pledge-moderation:{pledge_id}:%"),
                key == f"pledge-reminder:{pledge_id}",
            )
        )
        .values(
            to_address=f"erased-{pledge_id}@erased.invalid",
            body_text="",
            body_html=None,
            status=case((OutboundEmail.status == "queued", "failed"), else_=OutboundEmail.status),
            last_error=case(
                (OutboundEmail.status == "queued", "erased before sending"),
                else_=OutboundEmail.last_error,
            ),
        )
        .execution_options(synchronize_session=False)
    )


@released.connect
def vouch_for_released(group: str, *, keys: list[str]) -> None:
    """A coordinator released held mail: its suspect pledges are genuine, and count once
    confirmed (signatures at one venue's Wi-Fi are not lost to the limits)."""
    ids = {int(key.split(":")[1]) for key in keys if key.startswith(CONFIRM_KEY)}
    if not ids:
        return
    suspects = select(Pledge).where(Pledge.id.in_(ids), Pledge.is_suspect.is_(True))
    for pledge in db.session.scalars(suspects).all():
        pledge.is_suspect = False
        db.session.flush()
        counters.sync_count(pledge)
