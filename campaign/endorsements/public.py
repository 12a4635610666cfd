"""What the public sees of officials' endorsements, as plain data (no ORM rows): a state
page's count (kept per process by campaign/public/figures.py), the lists of /supporters/<ISO3>
and the API, the counts of the map. Only confirmed, verified, standing endorsements; never an
address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from campaign.endorsements.models import Endorsement
from campaign.extensions import db
from campaign.states.models import State

# The models whose changes clear the state pages kept per process.
ENDORSEMENT_MODELS: tuple[type, ...] = (Endorsement,)

LISTED = and_(
    Endorsement.review == "verified",
    Endorsement.confirmed_at.is_not(None),
    Endorsement.withdrawn_at.is_(None),
    Endorsement.is_suspect.is_(False),
)


@dataclass(frozen=True)
class StateEndorsements:
    """A state page's line: how many officials of the state endorse the Convention."""

    iso3: str
    count: int


@dataclass(frozen=True)
class PublicEndorsement:
    """One listed endorsement: its public fields only."""

    id: int
    state: str  # ISO alpha-3
    name: str
    office: str
    institution: str
    party: str
    statement: str
    proof_url: str
    verified_on: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "name": self.name,
            "office": self.office,
            "institution": self.institution,
            "party": self.party or None,
            "statement": self.statement,
            "proof_url": self.proof_url,
            "verified_on": self.verified_on.isoformat(),
        }


def state_endorsements(state: State | str) -> StateEndorsements | None:
    """The state's verified endorsements, as plain data; None while there are none. One
    statement given the State (the state page has it loaded) or its ISO code."""
    query = select(func.count()).select_from(Endorsement).where(LISTED)
    if isinstance(state, State):
        query = query.where(Endorsement.state_id == state.id)
        iso3 = state.iso3
    else:
        query = query.join(State, Endorsement.state_id == State.id).where(State.iso3 == state)
        iso3 = state
    count = db.session.scalar(query)
    return StateEndorsements(iso3, int(count)) if count else None


def listed(iso3: str | None = None) -> list[PublicEndorsement]:
    """Listed endorsements (of the state *iso3*, if given), by state, then oldest verified."""
    query = (
        select(Endorsement, State.iso3)
        .join(State, Endorsement.state_id == State.id)
        .where(LISTED)
        .order_by(State.iso3, Endorsement.reviewed_at, Endorsement.id)
    )
    if iso3 is not None:
        query = query.where(State.iso3 == iso3)
    return [
        PublicEndorsement(
            id=row.id,
            state=code,
            name=row.name,
            office=row.office,
            institution=row.institution,
            party=row.party,
            statement=row.statement,
            proof_url=row.proof_url,
            verified_on=(row.reviewed_at or row.created_at).date(),
        )
        for row, code in db.session.execute(query)
    ]


def counts(*, verified_by: dt.date | None = None) -> dict[str, int]:
    """Listed endorsements per state (ISO alpha-3), states with none left out; with
    *verified_by*, only those verified on or before that day (UTC)."""
    query = (
        select(State.iso3, func.count())
        .join(Endorsement, Endorsement.state_id == State.id)
        .where(LISTED)
        .group_by(State.iso3)
    )
    if verified_by is not None:
        end = dt.datetime.combine(verified_by + dt.timedelta(days=1), dt.time(), dt.UTC)
        query = query.where(Endorsement.reviewed_at < end)
    rows = db.session.execute(query)
    return {iso3: int(n) for iso3, n in rows}
