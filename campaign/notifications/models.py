"""Subscriptions, digests with their send ledger, and the record of alert fan-outs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.pledges.models import Pledge
    from campaign.states.models import State

FREQUENCIES = ("weekly", "monthly", "none")
ALERT_SCOPES = ("all", "followed", "none")
DIGEST_KINDS = ("weekly", "monthly")

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
        UniqueConstraint("user_id"),
        CheckConstraint(in_list("frequency", FREQUENCIES), name="frequency"),
        CheckConstraint(in_list("alerts", ALERT_SCOPES), name="alerts"),
        CheckConstraint("confirm_mails_sent >= 0", name="confirm_mails_sent"),
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
    # Confirmation mails sent to this address: capped, with a cooldown, like pledges.
    confirm_mails_sent: Mapped[int] = mapped_column(default=0)
    confirm_mailed_at: Mapped[dt.datetime | None]
    # Alerts when a followed state moves along its road to ratification (campaign/road).
    is_alerted_on_stages: Mapped[bool] = mapped_column(default=False)

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

    def __repr__(self) -> str:
        return f"<Subscription {self.id} {self.frequency}/{self.alerts}>"


class Digest(Base):
    """One progress summary per kind and period, built once and fanned out in chunks."""

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("kind", "starts_on"),
        CheckConstraint(in_list("kind", DIGEST_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    # The period the digest opens (a Monday, or the first of a month); it covers since_on to it.
    starts_on: Mapped[dt.date]
    since_on: Mapped[dt.date]
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    # Set when too many sends failed; a coordinator resumes it from the outbox page.
    paused_at: Mapped[dt.datetime | None]
    pause_reason: Mapped[str] = mapped_column(Text, default="")

    deliveries: Mapped[list[DigestDelivery]] = relationship(
        back_populates="digest", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Digest {self.kind} {self.starts_on}>"


class DigestDelivery(Base):
    """The send ledger: one row per digest and subscriber, written with its outbox row."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("digest_id", "subscription_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    digest: Mapped[Digest] = relationship(back_populates="deliveries")


class AlertRun(Base):
    """A status change whose alerts were fanned out: inserted before the mails are queued."""

    __tablename__ = "alert_runs"

    change_id: Mapped[int] = mapped_column(
        ForeignKey("status_changes.id", ondelete="CASCADE"), primary_key=True
    )
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
