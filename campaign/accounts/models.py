"""User accounts with one role each: admin, coordinator or partner."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.organisations.models import Organisation

ROLES = ("admin", "coordinator", "partner")


class User(UserMixin, Base):
    """A person who logs in; partners belong to exactly one organisation."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(in_list("role", ROLES), name="role"),
        CheckConstraint("role <> 'partner' OR organisation_id IS NOT NULL", name="partner_org"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Raised to end every session of the user at once (logout, deactivation, role change,
    # "log out everywhere"): a session carries the generation it began in.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    @property
    def has_password(self) -> bool:
        """False while an invitation is pending: the user has not chosen a password yet."""
        return self.password_hash is not None

    @property
    def status(self) -> str:
        """One word for lists: deactivated, invited (no password yet) or active."""
        if not self.is_active:
            return "deactivated"
        return "active" if self.has_password else "invited"

    def credential_fingerprint(self) -> str:
        """A short digest of the password hash: it changes whenever the password does.

        Links and sessions carry it, so a new password ends every other session and voids
        every reset link. The hash it digests holds a random salt, so it reveals nothing.
        """
        digest = hashlib.sha256((self.password_hash or "no password").encode())
        return digest.hexdigest()[:16]

    def session_fingerprint(self) -> str:
        """What a session is bound to: the password, the role and organisation, and the
        session generation; a change to any of them ends every session at once."""
        bound = f"{self.password_hash}|{self.role}|{self.organisation_id}|{self.session_generation}"
        return hashlib.sha256(bound.encode()).hexdigest()[:16]

    def end_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1

    def get_id(self) -> str:
        """The session's user id (Flask-Login), bound to what session_fingerprint covers."""
        return f"{self.id}:{self.session_fingerprint()}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
