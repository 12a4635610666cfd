"""Read-side queries of the registry: counts, filtered lists, one state with its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from campaign.extensions import db
from campaign.states.models import REGIONS, STATUSES, State


@dataclass(frozen=True)
class RegistryStats:
    """Where the Convention stands, in numbers."""

    total: int
    parties: int
    by_ratification: int
    by_accession: int
    signatories: int
    no_action: int
    ever_signed: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def registry_stats() -> RegistryStats:
    """Counts by status and method, and how many states ever signed, in one statement."""
    row = db.session.execute(
        select(
            func.count(),
            func.count().filter(State.status == "party"),
            func.count().filter(State.consent_method == "ratification"),
            func.count().filter(State.consent_method == "accession"),
            func.count().filter(State.status == "signatory"),
            func.count().filter(State.status == "none"),
            func.count(State.signed_on),
        )
    ).one()
    return RegistryStats(*row)


def list_states(*, status: str | None = None, region: str | None = None) -> list[State]:
    """States by name, narrowed to a known status and region when given."""
    query = select(State).order_by(State.name)
    if status in STATUSES:
        query = query.filter_by(status=status)
    if region in REGIONS:
        query = query.filter_by(region=region)
    return list(db.session.scalars(query))


def get_state(iso3: str) -> State | None:
    """The state with *iso3* (any case) and its history loaded, or None.

    One statement (a join, not a second SELECT): the public state page has a budget of two.
    """
    return (
        db.session.scalars(
            select(State).filter_by(iso3=iso3.upper()).options(joinedload(State.changes))
        )
        .unique()
        .one_or_none()
    )


def last_registry_change() -> dt.datetime | None:
    """When any state last changed: the validator for cached read-side answers."""
    return db.session.scalar(select(func.max(State.updated_at)))


def next_migrants_day(today: dt.date) -> dt.date:
    """The next 18 December on or after *today*."""
    this_year = dt.date(today.year, 12, 18)
    return this_year if today <= this_year else dt.date(today.year + 1, 12, 18)


def state_choices() -> list[tuple[str, str]]:
    """(ISO alpha-3, name) of every state by name, for select fields."""
    rows = db.session.execute(select(State.iso3, State.name).order_by(State.name))
    return [(iso3, name) for iso3, name in rows]


def state_by_iso3(iso3: str) -> State | None:
    return db.session.scalars(select(State).filter_by(iso3=iso3.upper())).first()
