"""Treaty sync: each run against the UN Treaty Collection and the changes it proposes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow
from campaign.states.models import METHODS

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.states.models import State, StatusChange

# unchanged: 304 or the same document as the last good run; no_changes: read, nothing new.
OUTCOMES = ("unchanged", "proposed", "no_changes", "failed")
KINDS = ("new_signature", "new_party", "method", "date_correction", "conflict")
# Kinds the TREATY_SYNC_AUTO_APPROVE setting may apply without a coordinator.
AUTO_KINDS = ("new_signature", "new_party")
REVIEW_STATUSES = ("pending", "approved", "rejected", "auto_approved")
PROPOSED_ACTS = ("signature", *METHODS)


class SyncRun(Base):
    """One look at the status document: where from, what came back, and what it led to."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        CheckConstraint(in_list("outcome", OUTCOMES), name="outcome"),
        # A failed run always says why, in words a coordinator can act on.
        CheckConstraint("(outcome = 'failed') = (error <> '')", name="failure_explained"),
        CheckConstraint("row_count IS NULL OR row_count >= 0", name="row_count"),
        CheckConstraint("proposal_count >= 0", name="proposal_count"),
        Index("ix_sync_runs_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(500))  # the URL fetched, or the file read
    http_status: Mapped[int | None]
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(12))
    error: Mapped[str] = mapped_column(Text, default="")
    row_count: Mapped[int | None]
    proposal_count: Mapped[int] = mapped_column(default=0)
    unknown_names: Mapped[list[str]] = mapped_column(JSON, default=list)

    proposals: Mapped[list[ProposedChange]] = relationship(
        back_populates="run", order_by="ProposedChange.id"
    )

    @property
    def is_url(self) -> bool:
        return self.source.startswith(("http://", "https://"))

    def __repr__(self) -> str:
        return f"<SyncRun {self.id} {self.outcome}>"


class ProposedChange(Base):
    """A difference between the document and the registry, waiting for (or past) review."""

    __tablename__ = "proposed_changes"
    __table_args__ = (
        CheckConstraint(in_list("kind", KINDS), name="kind"),
        CheckConstraint(in_list("status", REVIEW_STATUSES), name="status"),
        CheckConstraint(f"act IS NULL OR {in_list('act', PROPOSED_ACTS)}", name="act"),
        CheckConstraint(f"method IS NULL OR {in_list('method', METHODS)}", name="method"),
        CheckConstraint(
            "kind = 'conflict' OR (act IS NOT NULL AND effective_on IS NOT NULL)", name="act_given"
        ),
        CheckConstraint(
            f"status <> 'auto_approved' OR {in_list('kind', AUTO_KINDS)}", name="auto_only_new"
        ),
        CheckConstraint("status <> 'rejected' OR review_note <> ''", name="rejection_explained"),
        CheckConstraint("(status = 'pending') = (reviewed_at IS NULL)", name="reviewed_when"),
        # The same difference is proposed once per document ...
        UniqueConstraint(
            "document_sha256", "fingerprint", name="uq_proposed_changes_same_document"
        ),
        # ... and waits for review once, whichever document raised it again.
        Index(
            "uq_proposed_changes_pending_fingerprint",
            "fingerprint",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id"), index=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("states.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    # What makes two proposals the same: state, kind and the proposed act and date.
    fingerprint: Mapped[str] = mapped_column(String(120))
    act: Mapped[str | None] = mapped_column(String(12))
    method: Mapped[str | None] = mapped_column(String(12))
    effective_on: Mapped[dt.date | None]
    detail: Mapped[str] = mapped_column(Text)
    document_name: Mapped[str] = mapped_column(String(200), default="")
    # The registry's values when the proposal was made: approval refuses if they moved since.
    current_status: Mapped[str] = mapped_column(String(12))
    current_signed_on: Mapped[dt.date | None]
    current_consented_on: Mapped[dt.date | None]
    current_method: Mapped[str | None] = mapped_column(String(12))
    document_sha256: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime]
    source: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(14), default="pending", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[dt.datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))

    run: Mapped[SyncRun] = relationship(back_populates="proposals")
    # One-sided, like Pledge.country: the registry's models do not know about the sync.
    state: Mapped[State] = relationship()
    reviewed_by: Mapped[User | None] = relationship()
    status_change: Mapped[StatusChange | None] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    def __repr__(self) -> str:
        return f"<ProposedChange {self.id} {self.kind} {self.status}>"
