"""Outreach tasks that coordinators assign to partner organisations, and their updates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation
    from campaign.states.models import State

TASK_KINDS = ("letter", "meeting", "briefing", "media", "migrants_day", "other")
TASK_STATUSES = ("open", "in_progress", "done", "blocked", "cancelled")


class OutreachTask(Base):
    """A piece of outreach on a state, assigned to a partner organisation."""

    __tablename__ = "outreach_tasks"
    __table_args__ = (
        CheckConstraint(in_list("kind", TASK_KINDS), name="kind"),
        CheckConstraint(in_list("status", TASK_STATUSES), name="status"),
        Index("ix_outreach_tasks_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(12), default="open")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[dt.datetime | None]

    state: Mapped[State] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    updates: Mapped[list[TaskUpdate]] = relationship(
        back_populates="task", order_by="TaskUpdate.created_at, TaskUpdate.id"
    )


class TaskUpdate(Base):
    """One entry in a task's thread: text, and the status it moved to if any."""

    __tablename__ = "task_updates"
    __table_args__ = (
        CheckConstraint(
            f"new_status IS NULL OR {in_list('new_status', TASK_STATUSES)}", name="new_status"
        ),
        CheckConstraint("text <> '' OR new_status IS NOT NULL", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("outreach_tasks.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    new_status: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    task: Mapped[OutreachTask] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
