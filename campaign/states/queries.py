"""Read-side queries of the registry: counts, filtered lists, one state with its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import aliased, joinedload

from campaign.extensions import db
from campaign.organisations.models import Partnership
from campaign.states.models import REGIONS, STATUSES, State, StatusChange

RECENT_CHANGES = 5


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


def _counts() -> tuple[Any, ...]:
    return (
        func.count(),
        func.count().filter(State.status == "party"),
        func.count().filter(State.consent_method == "ratification"),
        func.count().filter(State.consent_method == "accession"),
        func.count().filter(State.status == "signatory"),
        func.count().filter(State.status == "none"),
        func.count(State.signed_on),
    )


def registry_stats() -> RegistryStats:
    """Counts by status and method, and how many states ever signed, in one statement."""
    return RegistryStats(*db.session.execute(select(*_counts())).one())


@dataclass(frozen=True)
class RecentAct:
    """A state's act as the public sees it: the latest correction applied."""

    iso3: str
    iso2: str
    name: str
    act: str  # signature, ratification or accession
    effective_on: dt.date


@cache
def _overview_statement() -> Select[Any]:
    """Built once: constructing this statement costs more than running it (column proxies)."""
    fix = aliased(StatusChange)
    latest_fix = (  # the last correction of each corrected entry
        select(func.max(fix.id).label("id"), fix.corrects_id)
        .where(fix.corrects_id.is_not(None))
        .group_by(fix.corrects_id)
        .subquery()
    )
    fixed = aliased(StatusChange)
    acts = (
        select(
            State.iso3,
            State.iso2,
            State.name,
            StatusChange.act,
            func.coalesce(fixed.method, StatusChange.method).label("method"),
            func.coalesce(fixed.effective_on, StatusChange.effective_on).label("effective_on"),
            StatusChange.id.label("change_id"),
        )
        .join(State, State.id == StatusChange.state_id)
        .outerjoin(latest_fix, latest_fix.c.corrects_id == StatusChange.id)
        .outerjoin(fixed, fixed.id == latest_fix.c.id)
        .where(
            StatusChange.act != "correction", func.coalesce(fixed.is_retraction, False).is_(False)
        )
        .order_by(
            func.coalesce(fixed.effective_on, StatusChange.effective_on).desc(),
            StatusChange.id.desc(),
        )
        .limit(RECENT_CHANGES)
        .subquery()
    )
    counts = select(*_counts()).subquery()
    return (
        select(counts, acts)
        .select_from(counts.outerjoin(acts, true()))
        .order_by(acts.c.effective_on.desc(), acts.c.change_id.desc())
    )


def registry_overview() -> tuple[RegistryStats, list[RecentAct]]:
    """The counts and the most recent acts (retracted ones left out), in one statement.

    The home page has a budget of two statements; the counts and the recent acts share one by
    joining a one-row subquery of counts to the acts (an outer join: no acts, still the counts).
    """
    rows = db.session.execute(_overview_statement()).all()
    stats = RegistryStats(*rows[0][:7])
    recent = [
        RecentAct(
            iso3=row.iso3,
            iso2=row.iso2,
            name=row.name,
            act="signature" if row.act == "signature" else row.method or row.act,
            effective_on=row.effective_on,
        )
        for row in rows
        if row.iso3 is not None
    ]
    return stats, recent


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
            select(State)
            .filter_by(iso3=iso3.upper())
            .options(
                joinedload(State.changes),
                joinedload(State.partnerships).joinedload(Partnership.organisation),
            )
        )
        .unique()
        .one_or_none()
    )


def last_registry_change() -> dt.datetime | None:
    """When any state last changed: the validator for cached read-side answers."""
    return db.session.scalar(select(func.max(State.updated_at)))


def state_choices() -> list[tuple[str, str]]:
    """(ISO alpha-3, name) of every state by name, for select fields."""
    rows = db.session.execute(select(State.iso3, State.name).order_by(State.name))
    return [(iso3, name) for iso3, name in rows]


def state_by_iso3(iso3: str) -> State | None:
    return db.session.scalars(select(State).filter_by(iso3=iso3.upper())).first()
