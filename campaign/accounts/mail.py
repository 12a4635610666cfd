"""The mails an account gets (invitation, password reset): composed by campaign.mail.compose,
queued through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from campaign.accounts import tokens
from campaign.accounts.models import User
from campaign.db import utcnow
from campaign.extensions import db
from campaign.i18n import known
from campaign.i18n.codes import code
from campaign.mail import compose
from campaign.mail.models import OutboundEmail
from campaign.mail.services import queue_email


@dataclass(frozen=True)
class AccountMail:
    """How one kind of account mail is keyed, linked and worded."""

    template: str
    key: str
    path: str
    valid_for: LazyString


MAILS = {
    tokens.INVITE: AccountMail(
        "invite",
        "invite",
        "/account/invitation/",
        _l("seven days"),
    ),
    tokens.RESET: AccountMail(
        "password_reset",
        "password-reset",
        "/account/reset/",
        _l("one hour"),
    ),
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
    if not compose.cooled_down(last, utcnow()):
        return False
    token = tokens.make_token(purpose, user.id, user.credential_fingerprint())
    locale = user.locale
    with force_locale(known(locale)):
        words = {"role": code(user.role, "role")}  # "as partner", as the back office says it
        words["valid_for"] = str(kind.valid_for)
    mail = compose.compose(
        kind.template,
        locale,
        user=user,
        inviter=inviter,
        link=compose.link(kind.path + token, locale),
        login_url=compose.link("/account/login", locale),
        **words,
    )
    queued = queue_email(
        key=f"{kind.key}:{user.id}:{count + 1}",
        to=user.email,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
    )
    return queued is not None
