"""Pledges of support, individual or organisational, and the public counters they feed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow
from campaign.organisations.models import ORGANISATION_KINDS

if TYPE_CHECKING:
    from campaign.states.models import State

PLEDGE_KINDS = ("individual", "organisation")
MODERATION_STATES = ("pending", "approved", "rejected")
# Where a pledge came in: the site's forms, a partner's embed, a partner's OSDI client, an import.
PLEDGE_SOURCES = ("form", "embed", "osdi", "import")


class Pledge(Base):
    """A signature of support; counted only once confirmed (double opt-in) and not suspect."""

    __tablename__ = "pledges"
    __table_args__ = (
        UniqueConstraint("email_canonical", "kind"),
        CheckConstraint(in_list("kind", PLEDGE_KINDS), name="kind"),
        CheckConstraint(
            f"organisation_kind IS NULL OR {in_list('organisation_kind', ORGANISATION_KINDS)}",
            name="organisation_kind",
        ),
        CheckConstraint(
            f"moderation IS NULL OR {in_list('moderation', MODERATION_STATES)}", name="moderation"
        ),
        CheckConstraint(
            "kind = 'individual' OR (organisation_name IS NOT NULL AND moderation IS NOT NULL)",
            name="organisation_fields",
        ),
        CheckConstraint("mails_sent >= 0", name="mails_sent"),
        CheckConstraint(in_list("source", PLEDGE_SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_canonical: Mapped[str] = mapped_column(String(254))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(default=False)
    wants_updates: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(5), default="en")
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    organisation_kind: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    moderation: Mapped[str | None] = mapped_column(String(10))
    moderation_reason: Mapped[str] = mapped_column(Text, default="")
    is_suspect: Mapped[bool] = mapped_column(default=False)
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    mails_sent: Mapped[int] = mapped_column(default=0)
    last_mailed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    reminded_at: Mapped[dt.datetime | None]
    # Whether the pledge is in its counter now: kept here so withdrawal and reconciliation agree.
    is_counted: Mapped[bool] = mapped_column(default=False)
    moderated_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]
    erased_at: Mapped[dt.datetime | None]
    source: Mapped[str] = mapped_column(String(10), default="form", server_default="form")
    # The organisation whose embed or API key brought the pledge in: what its key may read.
    source_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )

    country: Mapped[State | None] = relationship()

    @property
    def scope(self) -> str:
        return self.country.iso3 if self.country is not None else NO_COUNTRY

    def should_count(self) -> bool:
        """Counted: confirmed, not suspect, not withdrawn; an organisation once approved."""
        if self.confirmed_at is None or self.is_suspect or self.withdrawn_at is not None:
            return False
        return self.kind == "individual" or self.moderation == "approved"


# The counter scope for pledges with no country ("other / prefer not to say", international).
NO_COUNTRY = "---"


class PledgeCounter(Base):
    """Counted pledges per country and kind, kept on confirmation: public pages read only this."""

    __tablename__ = "pledge_counters"
    __table_args__ = (
        CheckConstraint(in_list("kind", PLEDGE_KINDS), name="kind"),
        CheckConstraint("online >= 0 AND offline >= 0", name="not_negative"),
    )

    scope: Mapped[str] = mapped_column(String(3), primary_key=True)  # ISO alpha-3 or NO_COUNTRY
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    online: Mapped[int] = mapped_column(default=0)
    # Paper pledges a coordinator entered; shown beside the online count, never mixed into it.
    offline: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
