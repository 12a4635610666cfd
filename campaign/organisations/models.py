"""Organisations, steering-committee membership and national partnerships."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.states.models import State

ORGANISATION_KINDS = (
    "ngo",
    "trade_union",
    "faith_based",
    "intergovernmental",
    "un_body",
    "academic",
    "other",
)
PARTNER_ROLES = ("lead", "member")


class Organisation(Base):
    """An organisation taking part in the campaign, at home in a state or international."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint(in_list("kind", ORGANISATION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    country: Mapped[State | None] = relationship()
    steering_membership: Mapped[SteeringMembership | None] = relationship(
        back_populates="organisation"
    )
    partnerships: Mapped[list[Partnership]] = relationship(back_populates="organisation")
    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class SteeringMembership(Base):
    """An organisation's seat on the steering committee."""

    __tablename__ = "steering_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    role: Mapped[str] = mapped_column(String(100), default="member")
    since_on: Mapped[dt.date | None]

    organisation: Mapped[Organisation] = relationship(back_populates="steering_membership")


class Partnership(Base):
    """An organisation working on a state as a national partner."""

    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("organisation_id", "state_id"),
        CheckConstraint(in_list("role", PARTNER_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    since_on: Mapped[dt.date | None]

    organisation: Mapped[Organisation] = relationship(back_populates="partnerships")
    state: Mapped[State] = relationship(back_populates="partnerships")
