"""The mails an account gets (invitation, password reset): rendered, queued through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import render_template
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.accounts import tokens
from campaign.accounts.models import User
from campaign.db import utcnow
from campaign.extensions import db
from campaign.i18n import known, site_url
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
    subject: LazyString
    valid_for: LazyString


MAILS = {
    tokens.INVITE: AccountMail(
        "invite",
        "invite",
        "/account/invitation/",
        _l("Your invitation to the Migrant Workers Convention campaign"),
        _l("seven days"),
    ),
    tokens.RESET: AccountMail(
        "password_reset",
        "password-reset",
        "/account/reset/",
        _l("Reset your password for the Migrant Workers Convention campaign"),
        _l("one hour"),
    ),
}


# A role as the invitation names it ("as partner").
ROLE_NAMES = {
    "admin": _l("admin"),
    "coordinator": _l("coordinator"),
    "partner": _l("partner"),
}


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
    locale = user.locale
    with force_locale(known(locale)):
        role = ROLE_NAMES.get(user.role)
        values = {
            "user": user,
            "inviter": inviter,
            "role": str(role) if role is not None else user.role,
            "link": site_url(kind.path + token, locale),
            "valid_for": str(kind.valid_for),
            "login_url": site_url("/account/login", locale),
        }
        subject = str(kind.subject)
        text = render_template(f"mail/{kind.template}.txt", **values)
        html = render_template(f"mail/{kind.template}.html", **values)
    queued = queue_email(
        key=f"{kind.key}:{user.id}:{count + 1}",
        to=user.email,
        subject=subject,
        text=text,
        html=html,
    )
    return queued is not None
