"""Reading sync runs and proposals for the services, the review screen and the command."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from campaign.extensions import db
from campaign.states.models import State
from campaign.sync.models import ProposedChange, SyncRun


def last_good_run(source: str | None = None) -> SyncRun | None:
    """The latest run that read (or confirmed) a document, from *source* when given."""
    query = select(SyncRun).where(SyncRun.outcome != "failed")
    if source is not None:
        query = query.where(SyncRun.source == source)
    return db.session.scalars(query.order_by(SyncRun.started_at.desc(), SyncRun.id.desc())).first()


def recent_runs(limit: int = 20) -> list[SyncRun]:
    query = select(SyncRun).order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def pending_proposals() -> list[ProposedChange]:
    """Waiting for review: conflicts first, then in the order they were found."""
    query = (
        select(ProposedChange)
        .where(ProposedChange.status == "pending")
        .options(selectinload(ProposedChange.state), selectinload(ProposedChange.run))
        .order_by((ProposedChange.kind != "conflict"), ProposedChange.id)
    )
    return list(db.session.scalars(query))


def is_already_proposed(fingerprint: str, document_sha256: str) -> bool:
    """Whether the same difference waits for review, or was raised from this document before."""
    query = select(ProposedChange.id).where(
        ProposedChange.fingerprint == fingerprint,
        or_(
            ProposedChange.status == "pending",
            ProposedChange.document_sha256 == document_sha256,
        ),
    )
    return db.session.scalars(query.limit(1)).first() is not None


def registry_states() -> list[State]:
    return list(db.session.scalars(select(State).order_by(State.name)))


def acting_states_count() -> int:
    """How many states have signed or consented: the first run's measure of a full table."""
    query = select(func.count()).select_from(State).where(State.status != "none")
    return db.session.scalar(query) or 0
