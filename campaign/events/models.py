"""The events' tables: an event, and the organisations that organise it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation
    from campaign.outreach.models import OutreachTask
    from campaign.states.models import State

EVENT_KINDS = ("panel", "briefing", "vigil", "march", "online", "hybrid")
ONLINE = "online"
HYBRID = "hybrid"
REVIEWS = ("pending", "approved", "rejected")
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Who created it: a coordinator in the back office (published at once), or a partner in the
# portal (waits for a coordinator).
CREATED_VIA = ("admin", "portal")

KIND_LABELS: dict[str, LazyString] = {
    "panel": _l("Panel"),
    "briefing": _l("Briefing"),
    "vigil": _l("Vigil"),
    "march": _l("March"),
    "online": _l("Online"),
    "hybrid": _l("In person and online"),
}
LANGUAGE_LABELS: dict[str, LazyString] = {
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "en": _l("English"),
    "fr": _l("French"),
    "ru": _l("Russian"),
    "es": _l("Spanish"),
}
REVIEW_LABELS: dict[str, LazyString] = {
    "pending": _l("Pending"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}

event_organisations = Table(
    "event_organisations",
    Base.metadata,
    Column(
        "event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, nullable=False
    ),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
        index=True,
    ),
)


class Event(Base):
    """A Migrants Day event: when (in its own time zone), where, by whom, and its review."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(in_list("kind", EVENT_KINDS), name="kind"),
        CheckConstraint(in_list("review", REVIEWS), name="review"),
        CheckConstraint(in_list("language", LANGUAGES), name="language"),
        CheckConstraint(in_list("created_via", CREATED_VIA), name="created_via"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # In a place (a city of a state) unless online; a link when online or hybrid.
        CheckConstraint(
            "kind = 'online' OR (state_id IS NOT NULL AND city <> '')", name="has_place"
        ),
        CheckConstraint(
            "kind NOT IN ('online', 'hybrid') OR online_url IS NOT NULL", name="has_link"
        ),
        CheckConstraint("review <> 'rejected' OR review_reason <> ''", name="rejection_reason"),
        CheckConstraint("review <> 'approved' OR published_at IS NOT NULL", name="published"),
        Index("ix_events_review_starts_at", "review", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    city: Mapped[str] = mapped_column(String(120), default="")
    state_id: Mapped[int | None] = mapped_column(ForeignKey("states.id"), index=True)
    online_url: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(500))
    review: Mapped[str] = mapped_column(String(10), default="pending")
    review_reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[dt.datetime | None]
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    created_via: Mapped[str] = mapped_column(String(6))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The outreach task (kind "Migrants Day event") this event carries out, if any.
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_tasks.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    state: Mapped[State | None] = relationship()
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=event_organisations, order_by="Organisation.name"
    )
    task: Mapped[OutreachTask | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.kind} {self.review}>"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def language_label(self) -> str:
        return str(LANGUAGE_LABELS.get(self.language, self.language))

    @property
    def review_label(self) -> str:
        return str(REVIEW_LABELS.get(self.review, self.review))

    @property
    def is_online(self) -> bool:
        return self.kind == ONLINE
