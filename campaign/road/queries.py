"""Reading the road to ratification: each state's current confirmed stage, its history, the
proposals that wait."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.extensions import db
from campaign.road.models import StageChange

# A state's current stage is its latest confirmed change by the date it happened; on the same
# day, the one confirmed last.
HISTORY_ORDER = (StageChange.effective_on, StageChange.decided_at, StageChange.id)


def current_changes() -> dict[int, StageChange]:
    """Each state's current confirmed change, by state id (states with none are left out)."""
    changes = db.session.scalars(
        select(StageChange)
        .options(joinedload(StageChange.stage))
        .filter_by(status="confirmed")
        .order_by(*HISTORY_ORDER)
    )
    return {change.state_id: change for change in changes}


def history(state_id: int) -> list[StageChange]:
    """The state's confirmed changes, oldest first."""
    return list(
        db.session.scalars(
            select(StageChange)
            .options(joinedload(StageChange.stage))
            .filter_by(state_id=state_id, status="confirmed")
            .order_by(*HISTORY_ORDER)
        )
    )


def all_of_state(state_id: int) -> list[StageChange]:
    """Every change of the state, proposed and rejected ones too, newest first (back office)."""
    return list(
        db.session.scalars(
            select(StageChange)
            .filter_by(state_id=state_id)
            .order_by(StageChange.proposed_at.desc(), StageChange.id.desc())
        )
    )


def waiting() -> list[StageChange]:
    """Proposals waiting for a coordinator, oldest first."""
    return list(
        db.session.scalars(
            select(StageChange).filter_by(status="proposed").order_by(StageChange.id)
        )
    )


def of_organisation(organisation_id: int, limit: int = 100) -> list[StageChange]:
    """What an organisation proposed, newest first (the portal)."""
    return list(
        db.session.scalars(
            select(StageChange)
            .filter_by(organisation_id=organisation_id)
            .order_by(StageChange.id.desc())
            .limit(limit)
        )
    )
