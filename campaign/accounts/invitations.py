"""Inviting users: a user without a password, and a mailed link to choose one."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.accounts import tokens
from campaign.accounts.mail import queue_account_mail
from campaign.accounts.models import User
from campaign.accounts.policy import invitable_roles
from campaign.accounts.services import (
    InvalidAccount,
    create_user,
    normalise_email,
    partner_organisation,
)
from campaign.audit.services import record_event
from campaign.errors import NotPermitted
from campaign.extensions import db


class AlreadyInvited(InvalidAccount):
    """The address belongs to a user who has not accepted their invitation yet."""

    def __init__(self, user: User) -> None:
        super().__init__(
            _(
                "%(email)s is already invited and has not chosen a password yet.",
                email=user.email,
            )
        )
        self.user_id = user.id


def _refuse_existing(address: str) -> None:
    existing = db.session.scalars(select(User).filter_by(email=address)).first()
    if existing is None:
        return
    if not existing.has_password and existing.is_active:
        raise AlreadyInvited(existing)
    raise InvalidAccount(_("A user with the email %(email)s already exists.", email=address))


def invite_user(
    *,
    actor: Any,
    email: str,
    role: str,
    name: str = "",
    organisation_id: int | None = None,
) -> User:
    """Create a user without a password and mail them a link to choose one."""
    if role not in invitable_roles(actor):
        raise NotPermitted(_("You may not invite a user with this role."))
    address = normalise_email(email)  # mailable: ASCII only
    _refuse_existing(address)
    organisation = partner_organisation(role, organisation_id)
    try:
        with db.session.begin_nested():
            user = create_user(
                email=address, password=None, role=role, name=name, organisation_id=organisation
            )
    except IntegrityError:
        # The same address invited a moment ago, in a unit of work that committed first.
        raise InvalidAccount(
            _("A user with the email %(email)s already exists.", email=address)
        ) from None
    record_event(
        actor=actor,
        action="user.invited",
        entity_type="user",
        entity_id=user.id,
        after={
            "email": user.email,
            "name": user.name,
            "role": role,
            "organisation_id": organisation,
        },
    )
    queue_account_mail(user, tokens.INVITE, inviter=actor)
    return user


def resend_invitation(*, actor: Any, user: User) -> bool:
    """Mail *user* a fresh invitation link; False if one went out moments ago."""
    if user.role not in invitable_roles(actor):
        raise NotPermitted(_("You may not invite a user with this role."))
    if user.has_password:
        raise InvalidAccount(
            _(
                "%(email)s has already chosen a password; they can reset it from the login page.",
                email=user.email,
            )
        )
    if not user.is_active:
        raise InvalidAccount(
            _("%(email)s is deactivated: reactivate them first.", email=user.email)
        )
    sent = queue_account_mail(user, tokens.INVITE, inviter=actor)
    if sent:
        record_event(
            actor=actor, action="user.invitation_resent", entity_type="user", entity_id=user.id
        )
    return sent
