"""Subscriptions: who gets digests and alerts, in which language, for which states."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.pledges.models import Pledge
    from campaign.states.models import State

FREQUENCIES = ("weekly", "monthly", "none")
ALERT_SCOPES = ("all", "followed", "none")

subscription_states = Table(
    "subscription_states",
    Base.metadata,
    Column("subscription_id", ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True),
    Column("state_id", ForeignKey("states.id", ondelete="CASCADE"), primary_key=True),
)


class Subscription(Base):
    """One address that receives campaign mail, and what it asked for."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("email_canonical"),
        CheckConstraint(in_list("frequency", FREQUENCIES), name="frequency"),
        CheckConstraint(in_list("alerts", ALERT_SCOPES), name="alerts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_canonical: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledges.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    frequency: Mapped[str] = mapped_column(String(8), default="monthly")
    alerts: Mapped[str] = mapped_column(String(8), default="followed")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    unsubscribed_at: Mapped[dt.datetime | None]
    bounced_at: Mapped[dt.datetime | None]

    user: Mapped[User | None] = relationship()
    pledge: Mapped[Pledge | None] = relationship()
    states: Mapped[list[State]] = relationship(secondary=subscription_states)

    @property
    def is_mailable(self) -> bool:
        return (
            self.confirmed_at is not None
            and self.unsubscribed_at is None
            and self.bounced_at is None
        )
