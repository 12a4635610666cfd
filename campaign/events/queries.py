"""Reading events: the public lists and their filters, and what reminders, digests and the map
ask of events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from campaign.core.params import as_page
from campaign.events.models import EVENT_KINDS, Event
from campaign.extensions import db
from campaign.states.models import REGIONS, State

PER_PAGE = 30
# The calendar feed keeps events that ended this recently, besides the upcoming ones.
RECENT = dt.timedelta(days=90)
# International Migrants Day's season on the map: from the first reminder (30 days before)
# to a week after the day.
SEASON_BEFORE, SEASON_AFTER = dt.timedelta(days=30), dt.timedelta(days=8)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def _month(value: object) -> dt.date | None:
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


@dataclasses.dataclass(frozen=True)
class EventFilters:
    """The public list's filters, read strictly from the query string (anything else: no
    filter)."""

    state: str = ""
    region: str = ""
    kind: str = ""
    month: dt.date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> EventFilters:
        state = str(args.get("state", "")).upper()
        return cls(
            state=state if re.fullmatch(r"[A-Z]{3}", state) else "",
            region=args.get("region", "") if args.get("region") in REGIONS else "",
            kind=args.get("kind", "") if args.get("kind") in EVENT_KINDS else "",
            month=_month(args.get("month")),
            page=as_page(args.get("page")),
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        values = {
            "state": self.state,
            "region": self.region,
            "kind": self.kind,
            "month": self.month.strftime("%Y-%m") if self.month else "",
            "page": self.page,
            **changes,
        }
        return {key: value for key, value in values.items() if value not in ("", None, 1)}


def published() -> Select[Event]:
    """Approved events, with what their pages show loaded."""
    return (
        select(Event)
        .where(Event.review == "approved")
        .options(selectinload(Event.state), selectinload(Event.organisations))
    )


def _filtered(query: Select[Event], filters: EventFilters) -> Select[Event]:
    if filters.state or filters.region:
        query = query.join(State, Event.state_id == State.id)
    if filters.state:
        query = query.where(State.iso3 == filters.state)
    if filters.region:
        query = query.where(State.region == filters.region)
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    if filters.month:
        first = dt.datetime.combine(filters.month, dt.time(), dt.UTC)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        query = query.where(Event.starts_at >= first, Event.starts_at < following)
    return query


def _upcoming(filters: EventFilters, now: dt.datetime) -> Select[Event]:
    query = _filtered(published(), filters).where(Event.ends_at >= now)
    return query.order_by(Event.starts_at, Event.id)


def _past(filters: EventFilters, now: dt.datetime) -> Select[Event]:
    query = _filtered(published(), filters).where(Event.ends_at < now)
    return query.order_by(Event.starts_at.desc(), Event.id.desc())


def upcoming(filters: EventFilters, now: dt.datetime) -> Pagination:
    """Events not yet over, soonest first."""
    return db.paginate(
        _upcoming(filters, now), page=filters.page, per_page=PER_PAGE, error_out=False
    )


def archive(filters: EventFilters, now: dt.datetime) -> Pagination:
    """Events that are over, the latest first."""
    return db.paginate(_past(filters, now), page=filters.page, per_page=PER_PAGE, error_out=False)


def all_upcoming(filters: EventFilters, now: dt.datetime) -> Sequence[Event]:
    return db.session.scalars(_upcoming(filters, now)).all()


def all_past(filters: EventFilters, now: dt.datetime) -> Sequence[Event]:
    return db.session.scalars(_past(filters, now)).all()


def published_event(event_id: int) -> Event | None:
    return db.session.scalars(published().where(Event.id == event_id)).first()


def calendar_events(now: dt.datetime) -> Sequence[Event]:
    """What the calendar feed lists: upcoming events and those that ended recently."""
    query = published().where(Event.ends_at >= now - RECENT).order_by(Event.starts_at, Event.id)
    return db.session.scalars(query).all()


def events_near(state_ids: Iterable[int], start: dt.datetime, end: dt.datetime) -> Sequence[Event]:
    """Approved events in *state_ids* that start from *start* until before *end*, soonest
    first (the Migrants Day reminders to the followers of those states)."""
    ids = sorted(set(state_ids))
    if not ids:
        return []
    query = published().where(
        Event.state_id.in_(ids), Event.starts_at >= start, Event.starts_at < end
    )
    return db.session.scalars(query.order_by(Event.starts_at, Event.id)).all()


def season_window(season: int) -> tuple[dt.datetime, dt.datetime]:
    """The Migrants Day season of year *season*, in UTC."""
    day = dt.datetime(season, 12, 18, tzinfo=dt.UTC)
    return day - SEASON_BEFORE, day + SEASON_AFTER


def event_dots(season: int) -> dict[str, int]:
    """{ISO alpha-3: approved events in that state} in the Migrants Day season of *season*,
    for the dots of the world map (online events with no state are left out)."""
    start, end = season_window(season)
    query = (
        select(State.iso3, func.count(Event.id))
        .join(Event, Event.state_id == State.id)
        .where(Event.review == "approved", Event.starts_at >= start, Event.starts_at < end)
        .group_by(State.iso3)
    )
    return {iso3: int(count) for iso3, count in db.session.execute(query)}


def new_event_counts(since: dt.datetime, until: dt.datetime) -> dict[int, int]:
    """{state id: events published in [since, until)}: counted once for a digest; each
    subscriber's figure is `followed_count(counts, their states)`."""
    query = (
        select(Event.state_id, func.count(Event.id))
        .where(
            Event.review == "approved",
            Event.state_id.is_not(None),
            Event.published_at >= since,
            Event.published_at < until,
        )
        .group_by(Event.state_id)
    )
    rows = db.session.execute(query)
    return {int(state_id): int(count) for state_id, count in rows if state_id is not None}


def followed_count(counts: Mapping[int, int], state_ids: Iterable[int]) -> int:
    """How many of *counts* (new_event_counts) are in the followed *state_ids*."""
    return sum(counts.get(state_id, 0) for state_id in set(state_ids))


def task_choices(organisation_id: int | None = None) -> list[tuple[str, str]]:
    """(id, label) of the Migrants Day event tasks not cancelled (of one organisation, or
    all), that no event carries out yet, for the event form."""
    from campaign.outreach.models import OutreachTask

    taken = select(Event.task_id).where(Event.task_id.is_not(None))
    query = (
        select(OutreachTask.id, OutreachTask.title, State.iso3)
        .join(State, OutreachTask.state_id == State.id)
        .where(
            OutreachTask.kind == "migrants_day",
            OutreachTask.status != "cancelled",
            OutreachTask.id.not_in(taken),
        )
        .order_by(State.iso3, OutreachTask.title)
    )
    if organisation_id is not None:
        query = query.where(OutreachTask.organisation_id == organisation_id)
    return [
        (str(task_id), f"{iso3}: {title}") for task_id, title, iso3 in db.session.execute(query)
    ]


def event_for_task(task_id: int) -> Event | None:
    """The event that carries out outreach task *task_id*, if any (for the task's pages)."""
    return db.session.scalars(select(Event).where(Event.task_id == task_id)).first()


def pending() -> Sequence[Event]:
    """Partners' events waiting for a coordinator, oldest first."""
    query = select(Event).where(Event.review == "pending").order_by(Event.created_at, Event.id)
    return db.session.scalars(query.options(selectinload(Event.state))).all()


def recent_for_admin(limit: int = 100) -> Sequence[Event]:
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)
    return db.session.scalars(query.options(selectinload(Event.state))).all()


def of_organisation(organisation_id: int) -> Sequence[Event]:
    """Events an organisation organises (or one of its users submitted), latest first."""
    from campaign.accounts.models import User
    from campaign.events.models import event_organisations

    organised = select(event_organisations.c.event_id).where(
        event_organisations.c.organisation_id == organisation_id
    )
    submitted = select(Event.id).join(User, Event.created_by_id == User.id)
    submitted = submitted.where(User.organisation_id == organisation_id)
    query = select(Event).where(Event.id.in_(organised) | Event.id.in_(submitted))
    query = query.options(selectinload(Event.state))
    return db.session.scalars(query.order_by(Event.starts_at.desc(), Event.id.desc())).all()
