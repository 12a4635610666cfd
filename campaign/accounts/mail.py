"""The mails an account gets (invitation, password reset): rendered, queued through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import func, select

from campaign.accounts import tokens
from campaign.accounts.models import User
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.mail.services import queue_email

# Another link within this interval sends nothing: a double click is one mail.
RESEND_COOLDOWN = dt.timedelta(minutes=2)


@dataclass(frozen=True)
class AccountMail:
    """How one kind of account mail is keyed, linked and worded."""

    template: str
    key: str
    path: str
    subject: str
    valid_for: str


MAILS = {
    tokens.INVITE: AccountMail(
        "invite",
        "invite",
        "/account/invitation/",
        "Your invitation to the Migrant Workers Convention campaign",
        "seven days",
    ),
    tokens.RESET: AccountMail(
        "password_reset",
        "password-reset",
        "/account/reset/",
        "Reset your password for the Migrant Workers Convention campaign",
        "one hour",
    ),
}


def site_url(path: str) -> str:
    """An absolute link on the configured site, never on the Host header a request sent."""
    return str(current_app.config["SITE_URL"]).rstrip("/") + path


def _sent_before(key: str, user_id: int) -> tuple[int, dt.datetime | None]:
    """How many mails of this kind the user was sent, and when the last was queued."""
    count, last = db.session.execute(
        select(func.count(), func.max(OutboundEmail.created_at)).where(
            OutboundEmail.idempotency_key.like(f"{key}:{user_id}:%")
        )
    ).one()
    return int(count), last


def queue_account_mail(user: User, purpose: str, *, inviter: User | None = None) -> bool:
    """Queue a fresh link for *purpose* to *user*; False if one went out moments ago."""
    kind = MAILS[purpose]
    count, last = _sent_before(kind.key, user.id)
    if last is not None and last > utcnow() - RESEND_COOLDOWN:
        return False
    token = tokens.make_token(purpose, user.id, user.credential_fingerprint())
    values = {
        "user": user,
        "inviter": inviter,
        "link": site_url(kind.path + token),
        "valid_for": kind.valid_for,
        "login_url": site_url("/account/login"),
    }
    queued = queue_email(
        key=f"{kind.key}:{user.id}:{count + 1}",
        to=user.email,
        subject=kind.subject,
        text=render_template(f"mail/{kind.template}.txt", **values),
        html=render_template(f"mail/{kind.template}.html", **values),
    )
    return queued is not None
