"""Users and their passwords (argon2): create, authenticate, set, reset; roles and deactivation.

Nothing here tells a caller whether an address exists unless the caller is an admin.
"""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.accounts import tokens
from campaign.accounts.mail import queue_account_mail
from campaign.accounts.models import ROLES, User
from campaign.accounts.policy import has_role
from campaign.audit.services import record_event
from campaign.core import addresses
from campaign.db import utcnow
from campaign.errors import DomainError, NotPermitted
from campaign.extensions import db
from campaign.organisations.models import Organisation

hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = hasher.hash("not a real password")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


class InvalidAccount(DomainError):
    """The account data is not acceptable; *field* names the form field it concerns."""

    def __init__(self, message: str, field: str = "email") -> None:
        super().__init__(message)
        self.field = field


class LinkInvalid(DomainError):
    """The link is forged, tampered with, made for another purpose, or names nobody."""


class LinkExpired(DomainError):
    """The link was genuine but is spent: too old, already used, or its user deactivated."""


def normalise_email(email: str) -> str:
    """The address as stored, looked up and mailed: validated, lower-cased, ASCII (an IDN domain
    as punycode: our relay speaks plain SMTP, and one spelling finds the account)."""
    try:
        addresses.normalise_email(email)
    except addresses.InvalidEmail as error:
        raise InvalidAccount(_("Not a valid email address: %(error)s", error=error)) from error
    try:
        return addresses.mailable_address(email)
    except addresses.InvalidEmail:  # letters beyond ASCII before the @
        message = _("Please give an address written in plain (ASCII) letters.")
        raise InvalidAccount(message) from None


def create_user(
    *,
    email: str,
    password: str | None,
    role: str,
    name: str = "",
    organisation_id: int | None = None,
) -> User:
    """A new active user; raises InvalidAccount for a bad email, role, password or a duplicate."""
    address = normalise_email(email)
    if role not in ROLES:
        raise InvalidAccount(_("Unknown role %(role)s.", role=repr(role)))
    if password is not None:
        check_password(password)
    if db.session.scalars(select(User.id).filter_by(email=address)).first() is not None:
        raise InvalidAccount(_("A user with the email %(email)s already exists.", email=address))
    user = User(
        email=address,
        name=name.strip(),
        role=role,
        organisation_id=organisation_id,
        password_hash=hasher.hash(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(*, email: str, password: str) -> User | None:
    """The active user with these credentials, or None; the same work whether or not one exists."""
    user = None
    try:
        address = normalise_email(email)
    except InvalidAccount:
        pass  # no stored address looks like this (and NUL bytes would upset the database)
    else:
        user = db.session.scalars(select(User).filter_by(email=address)).first()
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAccount(
            _("The password needs at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
            "password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidAccount(
            _("The password can have at most %(max)d characters.", max=MAX_PASSWORD_LENGTH),
            "password",
        )


def user_for_link(*, purpose: str, token: str) -> User:
    """The user a set-password link is for; raises LinkInvalid or LinkExpired."""
    checked = tokens.read_token(purpose, token)
    if checked is None:
        raise LinkInvalid(_("This link is not valid."))
    user = db.session.get(User, checked.user_id)
    if user is None:
        raise LinkInvalid(_("This link is not valid."))
    if checked.expired or not user.is_active:
        raise LinkExpired(_("This link has expired."))
    if checked.fingerprint != user.credential_fingerprint():
        raise LinkExpired(_("This link has already been used."))
    return user


def set_password(*, user: User, password: str, purpose: str) -> None:
    """Give *user* a new password from an invitation or reset link; it spends every such link."""
    check_password(password)
    before = {"has_password": user.has_password}
    user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    action = "user.invitation_accepted" if purpose == tokens.INVITE else "user.password_reset"
    record_event(
        actor=user,
        action=action,
        entity_type="user",
        entity_id=user.id,
        before=before,
        after={"has_password": True},
    )


def request_password_reset(*, email: str) -> None:
    """Mail a reset link if *email* belongs to an active user; otherwise do nothing, silently."""
    try:
        address = normalise_email(email)
    except InvalidAccount:
        return
    user = db.session.scalars(select(User).filter_by(email=address)).first()
    if user is None or not user.is_active:
        return
    queue_account_mail(user, tokens.RESET)


def partner_organisation(role: str, organisation_id: int | None) -> int | None:
    """The organisation a user of *role* belongs to: required for partners, none for others."""
    if role != "partner":
        return None
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise InvalidAccount(_("Choose the partner's organisation."), "organisation")
    if organisation.merged_into_id is not None:
        raise InvalidAccount(
            _(
                "%(organisation)s was merged into another organisation: choose that one.",
                organisation=organisation.name,
            ),
            "organisation",
        )
    return organisation.id


def _require_admin(actor: Any) -> None:
    if not has_role(actor, "admin"):
        raise NotPermitted(_("Only admins manage users."))


def change_role(*, actor: Any, user: User, role: str, organisation_id: int | None) -> bool:
    """Give *user* a role (and, for partners, an organisation); False when nothing changed."""
    _require_admin(actor)
    if role not in ROLES:
        raise InvalidAccount(_("Unknown role %(role)s.", role=repr(role)), "role")
    if user.id == actor.id and role != "admin":
        raise InvalidAccount(
            _("You cannot give up your own admin role: ask another admin."), "role"
        )
    organisation = partner_organisation(role, organisation_id)
    before = {"role": user.role, "organisation_id": user.organisation_id}
    after = {"role": role, "organisation_id": organisation}
    if before == after:
        return False
    user.role, user.organisation_id = role, organisation
    user.end_sessions()
    record_event(
        actor=actor,
        action="user.role_changed",
        entity_type="user",
        entity_id=user.id,
        before=before,
        after=after,
    )
    return True


def set_active(*, actor: Any, user: User, active: bool) -> bool:
    """Deactivate (ending their sessions) or reactivate *user*; False when nothing changed."""
    _require_admin(actor)
    if user.id == actor.id and not active:
        raise InvalidAccount(_("You cannot deactivate yourself: ask another admin."), "active")
    if user.is_active == active:
        return False
    user.is_active = active
    user.end_sessions()  # reactivating does not bring the old sessions back
    record_event(
        actor=actor,
        action="user.reactivated" if active else "user.deactivated",
        entity_type="user",
        entity_id=user.id,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return True
