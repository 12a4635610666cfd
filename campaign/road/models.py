"""The road to ratification's tables: the domestic stages, and each state's dated changes of
stage, proposed by a partner or recorded by a coordinator, confirmed before they show."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation
    from campaign.states.models import State

# The default stages, in order, by key: their names are translated through the catalogue for
# as long as an admin keeps the default English name (campaign/road/stages.py).
DEFAULT_STAGES = (
    ("no_action", "No known action"),
    ("government_considering", "Under consideration by the government"),
    ("government_approved", "Approved by the government"),
    ("before_parliament", "Before parliament"),
    ("parliament_approved", "Approved by parliament"),
    ("deposited", "Instrument deposited"),
)
CHANGE_STATUSES = ("proposed", "confirmed", "rejected")
# Where a change came from: a partner's proposal in the portal, or the back office.
RECORDED_VIA = ("portal", "back_office")
# A stage's name and a change's source: the forms' limits, kept here for the columns.
NAME_MAX = 120
SOURCE_MAX = 500
REASON_MAX = 500
# A change that is not rejected holds its state, stage and date: the same one twice is one.
LIVE = "status <> 'rejected'"


class RoadStage(Base):
    """One domestic stage; higher positions are closer to ratification. Never deleted."""

    __tablename__ = "road_stages"
    __table_args__ = (
        CheckConstraint("name <> ''", name="name_given"),
        CheckConstraint("position >= 0", name="position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The default stages' keys; None for a stage an admin added.
    key: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    is_retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<RoadStage {self.position} {self.name!r}>"


class StageChange(Base):
    """A state's move to a stage on a date, with its source. Only its decision is ever set,
    once (proposed -> confirmed or rejected), by a coordinator, and audited."""

    __tablename__ = "road_stage_changes"
    __table_args__ = (
        CheckConstraint(in_list("status", CHANGE_STATUSES), name="status"),
        CheckConstraint(in_list("recorded_via", RECORDED_VIA), name="recorded_via"),
        CheckConstraint("source <> ''", name="source_given"),
        CheckConstraint("(status = 'proposed') = (decided_at IS NULL)", name="decided_when"),
        CheckConstraint("status <> 'rejected' OR reject_reason <> ''", name="rejection_explained"),
        CheckConstraint("effective_on >= '1990-12-18'", name="after_adoption"),
        Index(
            "uq_road_stage_changes_live",
            "state_id",
            "stage_id",
            "effective_on",
            unique=True,
            postgresql_where=text(LIVE),
            sqlite_where=text(LIVE),
        ),
        Index("ix_road_stage_changes_decided_at", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id", ondelete="RESTRICT"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("road_stages.id", ondelete="RESTRICT"))
    effective_on: Mapped[dt.date]
    source: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(SOURCE_MAX))
    status: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    recorded_via: Mapped[str] = mapped_column(String(12))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    proposed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None]
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    # Set when the followers' alerts were queued (claimed by UPDATE ... WHERE alerted_at IS NULL).
    alerted_at: Mapped[dt.datetime | None]

    state: Mapped[State] = relationship()
    stage: Mapped[RoadStage] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<StageChange {self.state_id} -> {self.stage_id} {self.effective_on} {self.status}>"
