"""Pledge imports: an uploaded CSV file, its column mapping and progress, what each row came to,
the addresses a dry run has seen, and which pledges an import created."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.db import Base, in_list, utcnow

if TYPE_CHECKING:
    from campaign.accounts.models import User

# uploaded -> checking -> checked -> running -> done; discarded from any but running and done;
# failed when a job met an error it could not get past (it can be started again).
IMPORT_STATES = ("uploaded", "checking", "checked", "running", "done", "failed", "discarded")
# A job works in one of these: the dry run writes nothing to pledges, the run creates them.
PHASES = ("dry_run", "run")
OUTCOMES = ("created", "merged", "refused")
REASON_MAX = 500


class PledgeImport(Base):
    """One uploaded file and everything done with it; the file itself is on disk until the
    import is done or discarded (`stored_name` under instance/imports/, never the upload's name).
    """

    __tablename__ = "pledge_imports"
    __table_args__ = (
        CheckConstraint(in_list("state", IMPORT_STATES), name="state"),
        CheckConstraint(f"phase IS NULL OR {in_list('phase', PHASES)}", name="phase"),
        CheckConstraint(
            "processed >= 0 AND created >= 0 AND merged >= 0 AND refused >= 0", name="counts"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default="uploaded")
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    delimiter: Mapped[str] = mapped_column(String(1), default=",")
    header: Mapped[list[str]] = mapped_column(JSON, default=list)
    total_rows: Mapped[int] = mapped_column(default=0)
    # Where the rows start: the byte after the header, and the header's row number.
    data_offset: Mapped[int] = mapped_column(BigInteger, default=0)
    header_row: Mapped[int] = mapped_column(default=1)
    # {"name": [3], "name_2": ..., "email": [5], "kind": "individual" | column, ...}
    mapping: Mapped[dict[str, Any] | None]
    # The language of the coordinator's page: the rows' reasons, and the mails, are in it.
    locale: Mapped[str] = mapped_column(String(5), default="en")
    send_mail: Mapped[bool] = mapped_column(default=False)
    # The job at work (or last at work), how far it got in rows and bytes, and what it found.
    phase: Mapped[str | None] = mapped_column(String(10))
    processed: Mapped[int] = mapped_column(default=0)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    last_row: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    merged: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    mailed: Mapped[int] = mapped_column(default=0)
    # The dry run's counts, kept beside the run's for comparison.
    dry_created: Mapped[int | None]
    dry_merged: Mapped[int | None]
    dry_refused: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[dt.datetime | None]

    created_by: Mapped[User | None] = relationship()

    @property
    def is_working(self) -> bool:
        return self.state in ("checking", "running")

    @property
    def can_discard(self) -> bool:
        return self.state in ("uploaded", "checked", "failed")


class PledgeImportNote(Base):
    """What one row came to and why, for the first rows of each outcome (the rest counted)."""

    __tablename__ = "pledge_import_notes"
    __table_args__ = (
        CheckConstraint(in_list("phase", PHASES), name="phase"),
        CheckConstraint(in_list("outcome", OUTCOMES), name="outcome"),
        Index("ix_pledge_import_notes_listing", "import_id", "phase", "outcome", "line"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("pledge_imports.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(10))
    line: Mapped[int]
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")


class PledgeImportAddress(Base):
    """An address a dry run has met in the file: how it finds a row that repeats an earlier one
    without holding the file's addresses in memory. Deleted when the dry run is over."""

    __tablename__ = "pledge_import_addresses"

    import_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_imports.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    email_canonical: Mapped[str] = mapped_column(String(254), primary_key=True)
    line: Mapped[int]


class ImportedPledge(Base):
    """A pledge an import created, and the line of the file it came from (kept here rather than
    on the pledge, so the pledges table carries no import's columns)."""

    __tablename__ = "imported_pledges"

    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("pledges.id", ondelete="CASCADE"), primary_key=True
    )
    import_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_imports.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int]
