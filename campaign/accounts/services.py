"""Creating users and checking passwords (argon2), without telling who exists."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from campaign.accounts.models import ROLES, User
from campaign.db import utcnow
from campaign.errors import DomainError
from campaign.extensions import db

hasher = PasswordHasher()
# Verified against when the email is unknown, so both paths cost one argon2 verification.
_DUMMY_HASH = hasher.hash("not a real password")
MIN_PASSWORD_LENGTH = 10


class InvalidAccount(DomainError):
    """The account data is not acceptable."""


def normalise_email(email: str) -> str:
    """The address as stored: validated, domain lower-cased, then lower-cased whole."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidAccount(f"Not a valid email address: {error}") from error
    return checked.normalized.lower()


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
        raise InvalidAccount(f"Unknown role {role!r}.")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAccount(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalars(select(User.id).filter_by(email=address)).first() is not None:
        raise InvalidAccount(f"A user with the email {address} already exists.")
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
