"""The webhooks' tables: organisations' endpoints, the ledger of deliveries and their attempts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.organisations.models import Organisation

# What an endpoint can subscribe to; emit() refuses any other name.
EVENTS = ("pledge.confirmed", "status.changed", "stage.changed", "event.approved")
DELIVERY_STATUSES = ("pending", "delivering", "delivered", "failed")
URL_MAX = 500
ERROR_MAX = 300


class WebhookEndpoint(Base):
    """An organisation's HTTPS address told of the events it chose.

    The signing secret is never stored: it is derived from `secret_salt` and the server's
    WEBHOOK_SECRET_KEY (campaign/webhooks/signing.py), so a copy of the database alone cannot
    sign, and rotating the secret is a new salt.
    """

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        UniqueConstraint("organisation_id", "url"),
        CheckConstraint("consecutive_failures >= 0", name="consecutive_failures"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(URL_MAX))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    secret_salt: Mapped[str] = mapped_column(String(64))
    secret_rotated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Deliveries that failed for good, one after another (a success resets it).
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    # Set when the endpoint was disabled for repeated failure (not by a coordinator's edit).
    disabled_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True
    )

    def subscribes_to(self, event: str) -> bool:
        return event in (self.events or [])

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id} {self.url!r}>"


class WebhookDelivery(Base):
    """One event for one endpoint: the exact body, sent until delivered or out of attempts."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The same fact emitted twice is one delivery.
        UniqueConstraint("endpoint_id", "event", "event_key"),
        CheckConstraint(in_list("event", EVENTS), name="event"),
        CheckConstraint(in_list("status", DELIVERY_STATUSES), name="status"),
        CheckConstraint("attempts >= 0 AND attempts <= attempt_limit", name="attempts"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    event_key: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(36))  # the payload's stable `id`
    body: Mapped[str] = mapped_column(Text)  # the JSON sent, byte for byte (UTF-8)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # Automatic retries stop at this attempt number; a redelivery allows one more.
    attempt_limit: Mapped[int] = mapped_column(default=1)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    last_attempt_at: Mapped[dt.datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(ERROR_MAX))
    delivered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        back_populates="delivery",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="WebhookAttempt.number",
    )


class WebhookAttempt(Base):
    """One POST of a delivery: when, what came back (status code or a short error)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(ERROR_MAX))
    is_success: Mapped[bool] = mapped_column(default=False)

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="attempt_log")
