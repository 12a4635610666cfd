"""Pledge counters: moved one by one as pledges are counted, reconciled against the table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from campaign.extensions import db
from campaign.pledges.models import NO_COUNTRY, Pledge, PledgeCounter
from campaign.states.models import State

SHOULD_COUNT = and_(
    Pledge.confirmed_at.is_not(None),
    Pledge.is_suspect.is_(False),
    Pledge.withdrawn_at.is_(None),
    or_(Pledge.kind == "individual", Pledge.moderation == "approved"),
)


@dataclass(frozen=True)
class Drift:
    """A counter that did not match the pledges, and what it was set to."""

    scope: str
    kind: str
    was: int
    now: int


def _not_below_zero(value: ColumnElement[int]) -> ColumnElement[int]:
    return case((value < 0, 0), else_=value)


def _upsert(scope: str, kind: str, values: dict[str, int], changes: dict[str, Any]) -> None:
    """Insert the counter row with *values*, or apply *changes* to the existing one, atomically."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # PostgreSQL checks the proposed row before it finds the conflict, so *values* must
    # satisfy the table's checks even when the row exists and only *changes* apply.
    statement = insert(PledgeCounter).values(scope=scope, kind=kind, **values)
    statement = statement.on_conflict_do_update(
        index_elements=["scope", "kind"], set_={**changes, "updated_at": func.now()}
    )
    db.session.execute(statement)
    cached = db.session.identity_map.get(db.session.identity_key(PledgeCounter, (scope, kind)))
    if cached is not None:
        db.session.expire(cached)  # the row changed under it


def _add(scope: str, kind: str, *, online: int = 0, offline: int = 0) -> None:
    """Atomically add to a counter row, creating it if missing; it never goes below zero."""
    _upsert(
        scope,
        kind,
        {"online": max(online, 0), "offline": max(offline, 0)},
        {
            "online": _not_below_zero(PledgeCounter.online + online),
            "offline": _not_below_zero(PledgeCounter.offline + offline),
        },
    )


def sync_count(pledge: Pledge) -> None:
    """Bring the pledge's counter in line with whether it should count now (race-safe)."""
    should = pledge.should_count()
    flipped = db.session.execute(
        update(Pledge)
        .where(Pledge.id == pledge.id, Pledge.is_counted.is_(not should))
        .values(is_counted=should)
    )
    if flipped.rowcount == 1:  # type: ignore[attr-defined]
        _add(pledge.scope, pledge.kind, online=1 if should else -1)
    db.session.refresh(pledge, ["is_counted"])


def set_offline_count(*, state: State, count: int) -> int:
    """Set the paper pledges for *state* (a figure, not an increment); returns the previous one."""
    counter = db.session.get(
        PledgeCounter, (state.iso3, "individual"), populate_existing=True, with_for_update=True
    )
    previous = counter.offline if counter is not None else 0
    _upsert(state.iso3, "individual", {"offline": count}, {"offline": count})
    return previous


def reconcile() -> list[Drift]:
    """Recount every counter from the pledges table; the drift fixed, if any."""
    db.session.execute(
        update(Pledge)
        .where(Pledge.is_counted.is_distinct_from(SHOULD_COUNT))
        .values(is_counted=case((SHOULD_COUNT, True), else_=False))
        .execution_options(synchronize_session=False)
    )
    # Locked before counting: a confirmation that commits meanwhile waits, then adds its one.
    counters = {
        (c.scope, c.kind): c
        for c in db.session.scalars(
            select(PledgeCounter).with_for_update().execution_options(populate_existing=True)
        )
    }
    scope = func.coalesce(State.iso3, NO_COUNTRY)
    truth = {
        (row.scope, row.kind): row.n
        for row in db.session.execute(
            select(scope.label("scope"), Pledge.kind, func.count().label("n"))
            .select_from(Pledge)
            .outerjoin(State, Pledge.country_id == State.id)
            .where(Pledge.is_counted.is_(True))
            .group_by(scope, Pledge.kind)
        )
    }
    drift: list[Drift] = []
    for key in sorted(set(truth) | set(counters)):
        counter = counters.get(key)
        was, now = (counter.online if counter else 0), truth.get(key, 0)
        if was != now:
            drift.append(Drift(key[0], key[1], was, now))
            if counter is None:
                _upsert(key[0], key[1], {"online": now}, {"online": now})
            else:
                counter.online = now
    db.session.flush()
    return drift


def totals() -> dict[str, int]:
    """Pledges by kind, online and on paper: one small query on the counters."""
    rows = db.session.execute(
        select(
            PledgeCounter.kind, func.sum(PledgeCounter.online), func.sum(PledgeCounter.offline)
        ).group_by(PledgeCounter.kind)
    ).all()
    result = {"individual": 0, "organisation": 0, "offline": 0}
    for kind, online, offline in rows:
        result[kind] = int(online or 0)
        result["offline"] += int(offline or 0)
    result["total"] = result["individual"] + result["organisation"] + result["offline"]
    return result


def by_scope() -> dict[str, PledgeCounter]:
    """Individual counters keyed by country (ISO alpha-3, or NO_COUNTRY)."""
    return {
        c.scope: c for c in db.session.scalars(select(PledgeCounter).filter_by(kind="individual"))
    }


def for_state(iso3: str) -> tuple[int, int, int]:
    """(individuals online, organisations, paper pledges) from residents of *iso3*."""
    rows = {c.kind: c for c in db.session.scalars(select(PledgeCounter).filter_by(scope=iso3))}
    individual, organisation = rows.get("individual"), rows.get("organisation")
    return (
        individual.online if individual else 0,
        organisation.online if organisation else 0,
        individual.offline if individual else 0,
    )
