"""Outreach tasks that coordinators assign to partner organisations, and their updates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.organisations.models import Organisation
    from campaign.states.models import State

TASK_KINDS = ("letter", "meeting", "briefing", "media", "migrants_day", "other")
TASK_STATUSES = ("open", "in_progress", "done", "blocked", "cancelled")
CANCELLED = "cancelled"  # a coordinator's decision: partners neither cancel nor reopen
# Statuses of work still to do: a task in one of these is overdue once its due date has passed.
ACTIVE_STATUSES = ("open", "in_progress", "blocked")
# What a task's kind and status read as on a page, in the reader's language.
KIND_LABELS: dict[str, LazyString] = {
    "letter": _l("Letter to a ministry"),
    "meeting": _l("Meeting with a ministry"),
    "briefing": _l("Parliamentary briefing"),
    "media": _l("Media"),
    "migrants_day": _l("Migrants Day event"),
    "other": _l("Other"),
}
STATUS_LABELS: dict[str, LazyString] = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "blocked": _l("Blocked"),
    "cancelled": _l("Cancelled"),
}
# The same task (state, organisation, kind, title, due date) exists once: a repeated bulk create
# or a double submission adds nothing. NULLs are distinct in a unique constraint, so tasks
# without a due date get a partial unique index of their own.
SAME_TASK = ("state_id", "organisation_id", "kind", "title", "due_on")


class OutreachTask(Base):
    """A piece of outreach on a state, assigned to a partner organisation."""

    __tablename__ = "outreach_tasks"
    __table_args__ = (
        CheckConstraint(in_list("kind", TASK_KINDS), name="kind"),
        CheckConstraint(in_list("status", TASK_STATUSES), name="status"),
        Index("ix_outreach_tasks_status_due_on", "status", "due_on"),
        UniqueConstraint(*SAME_TASK, name="uq_outreach_tasks_same_task"),
        Index(
            "ix_outreach_tasks_same_undated_task",
            *SAME_TASK[:-1],
            unique=True,
            postgresql_where=text("due_on IS NULL"),
            sqlite_where=text("due_on IS NULL"),
        ),
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

    def __repr__(self) -> str:
        return f"<OutreachTask {self.id} {self.kind} {self.status}>"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    def is_overdue(self, today: dt.date) -> bool:
        """Still to do and due before *today*."""
        return self.status in ACTIVE_STATUSES and self.due_on is not None and self.due_on < today


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

    def author_label(self, organisation_id: int | None = None) -> str:
        """Who wrote this, as shown to a viewer; a partner of *organisation_id* sees the users
        of other organisations (from before a reassignment or merge) unnamed."""
        author = self.author
        if author is None:
            return _("A former user")
        others = author.role == "partner" and author.organisation_id != organisation_id
        if organisation_id is not None and others:
            return _("A previously assigned partner")
        return author.name or author.email

    @property
    def new_status_label(self) -> str | None:
        if not self.new_status:
            return None
        return str(STATUS_LABELS.get(self.new_status, self.new_status))
