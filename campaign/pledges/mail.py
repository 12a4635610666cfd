"""The mails a pledge gets: rendered from templates/mail/, queued through the outbox."""

from __future__ import annotations

import datetime as dt

from flask import render_template
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, or_, update

from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.mail.services import queue_email
from campaign.notifications import messages
from campaign.pledges import tokens
from campaign.pledges.models import Pledge

MAX_MAILS_PER_PLEDGE = 5
# Re-signing within this interval re-sends nothing: a burst of identical submissions is one mail.
RESEND_COOLDOWN = dt.timedelta(minutes=2)

SUBJECTS: dict[str, LazyString] = {
    "pledge_confirm": _l("Please confirm your pledge of support"),
    "pledge_reminder": _l("Reminder: please confirm your pledge of support"),
    "pledge_already": _l("Your pledge of support is confirmed"),
    "pledge_approved": _l("Your organisation's pledge of support is published"),
    "pledge_rejected": _l("About your organisation's pledge of support"),
}


def links(pledge: Pledge) -> dict[str, str]:
    """The pledge's confirm and manage links, on the pages of the pledge's language."""
    confirm = tokens.make_token(tokens.CONFIRM, pledge.id)
    manage = tokens.make_token(tokens.MANAGE, pledge.id)
    return {
        "confirm_url": messages.site_url(f"/pledge/confirm/{confirm}", pledge.locale),
        "manage_url": messages.site_url(f"/pledge/manage/{manage}", pledge.locale),
    }


def queue_pledge_mail(pledge: Pledge, template: str, key: str, **context: object) -> None:
    """Render *template* (.txt and .html) for *pledge* in its language and queue it under *key*."""
    values = {"pledge": pledge, **links(pledge), **context}
    with force_locale(messages.known_locale(pledge.locale)):
        subject = str(SUBJECTS[template])
        text = render_template(f"mail/{template}.txt", **values)
        html = render_template(f"mail/{template}.html", **values)
    queue_email(key=key, to=pledge.email, subject=subject, text=text, html=html)


def claim_mail_slot(pledge: Pledge, *, now: dt.datetime | None = None) -> int | None:
    """Reserve one more mail for *pledge* under the cap and cooldown; its number, or None."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(Pledge)
        .where(
            Pledge.id == pledge.id,
            Pledge.mails_sent < MAX_MAILS_PER_PLEDGE,
            or_(Pledge.last_mailed_at.is_(None), Pledge.last_mailed_at < now - RESEND_COOLDOWN),
        )
        .values(mails_sent=Pledge.mails_sent + 1, last_mailed_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.session.refresh(pledge, ["mails_sent", "last_mailed_at"])
    return pledge.mails_sent


def blank_pledge_mails(pledge_id: int) -> None:
    """For an erasure: the outbox keeps no address or text of this pledge's mails.

    Mails not sent yet are settled as failed, so the worker never sends them.
    """
    key = OutboundEmail.idempotency_key
    db.session.execute(
        update(OutboundEmail)
        .where(
            or_(
                key.like(f"pledge-confirm:{pledge_id}:%"),
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
