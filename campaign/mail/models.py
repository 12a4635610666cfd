"""The outbox: one row per message meant to go out, unique by idempotency key."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign.db import Base, in_list, utcnow

# "held": queued by a digest that paused itself; neither the worker nor the flush sends it.
OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "bounced", "held")


class OutboundEmail(Base):
    """A message: queued in the unit of work that wanted it, sent once by the worker."""

    __tablename__ = "outbound_emails"
    __table_args__ = (
        CheckConstraint(in_list("status", OUTBOX_STATUSES), name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_outbound_emails_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    # The header block as the relay received it (after DKIM signing), for the outbox view.
    sent_headers: Mapped[str | None] = mapped_column(Text)
    # Held because the visitor's client mailed too many new addresses: its group (a digest).
    held_for: Mapped[str | None] = mapped_column(String(40), index=True)
    # Written by the worker just before sending (campaign/mail/deferred.py): the template, and
    # the id of what the mail is about; both cleared once the body is written.
    template: Mapped[str | None] = mapped_column(String(40))
    template_ref: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<OutboundEmail {self.idempotency_key} {self.status}>"


BOUNCE_KINDS = ("hard", "soft")
BOUNCE_SOURCES = ("smtp", "dsn", "webhook")


class BounceReport(Base):
    """One report that an address could not be reached: a refusal during the SMTP exchange,
    a delivery status notification that came back later, or a provider's event. Unique by
    report key, so reading the same mailbox twice counts each report once."""

    __tablename__ = "bounce_reports"
    __table_args__ = (
        CheckConstraint(in_list("kind", BOUNCE_KINDS), name="kind"),
        CheckConstraint(in_list("source", BOUNCE_SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_key: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(String(254))
    address_key: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(7))
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL")
    )
    detail: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Suppression(Base):
    """The one list of addresses no mail goes to: after a hard bounce, or after
    MAIL_SOFT_BOUNCE_LIMIT soft ones. Checked when a mail is queued and again when it is sent."""

    __tablename__ = "suppressions"

    address_key: Mapped[str] = mapped_column(String(254), primary_key=True)
    address: Mapped[str] = mapped_column(String(254))
    soft_bounces: Mapped[int] = mapped_column(default=0)
    suppressed_at: Mapped[dt.datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
