"""Creating, editing and reviewing events: the rules of time zones, places and partners.

Functions add and flush, never commit, and raise EventError (a field and a message fit to show)
or NotPermitted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.audit.services import record_event
from campaign.db import utcnow
from campaign.errors import DomainError, NotPermitted
from campaign.events.models import HYBRID, ONLINE, Event
from campaign.extensions import db
from campaign.i18n import site_url
from campaign.organisations.models import Organisation, Partnership
from campaign.webhooks import payloads
from campaign.webhooks.services import emit

if TYPE_CHECKING:
    from campaign.accounts.models import User
    from campaign.outreach.models import OutreachTask
    from campaign.states.models import State


class EventError(DomainError):
    """An event that cannot be: *field* names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclasses.dataclass
class EventData:
    """What describes an event, as read from a form (dates and times as the organiser wrote
    them, in the event's own time zone)."""

    title: str
    kind: str
    start_on: dt.date
    start_time: dt.time
    end_on: dt.date
    end_time: dt.time
    timezone: str
    city: str
    state: State | None
    online_url: str | None
    language: str
    description: str
    contact: str
    organisations: list[Organisation]
    task: OutreachTask | None = None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_of(name: str) -> ZoneInfo:
    """The IANA time zone *name* (Africa/Dakar), or EventError."""
    if name not in _zones():
        raise EventError(
            "timezone",
            _("%(zone)s is not a time zone we know: use a name such as Africa/Dakar.", zone=name),
        )
    return ZoneInfo(name)


def _moment(day: dt.date, clock: dt.time, zone: ZoneInfo, field: str) -> dt.datetime:
    """The aware UTC moment of a local date and time; a time skipped by a clock change is
    refused rather than moved."""
    local = dt.datetime.combine(day, clock, tzinfo=zone)
    moment = local.astimezone(dt.UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise EventError(
            field,
            _("This time does not exist in %(zone)s: the clocks change then.", zone=zone.key),
        )
    return moment


def moments(data: EventData) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) in UTC, checked: a real zone, real local times, the end after the start."""
    zone = zone_of(data.timezone)
    starts_at = _moment(data.start_on, data.start_time, zone, "start_time")
    ends_at = _moment(data.end_on, data.end_time, zone, "end_time")
    if ends_at <= starts_at:
        raise EventError("end_on", _("The event must end after it starts."))
    return starts_at, ends_at


def _check_place(data: EventData) -> None:
    if data.kind != ONLINE and data.state is None:
        raise EventError("state", _("Please choose the state where the event takes place."))
    if data.kind != ONLINE and not data.city:
        raise EventError("city", _("Please give the city where the event takes place."))
    if data.kind in (ONLINE, HYBRID) and not data.online_url:
        raise EventError("online_url", _("Please give the https link of the online event."))


def partner_state_ids(user: User) -> set[int]:
    """The states *user*'s organisation is a national partner of (none unless a partner)."""
    if user.role != "partner" or user.organisation_id is None:
        return set()
    rows = select(Partnership.state_id).filter_by(organisation_id=user.organisation_id)
    return set(db.session.scalars(rows))


def _check_task(data: EventData, organisation_id: int | None, event: Event | None = None) -> None:
    """A linked task is a Migrants Day event task of the event's state (of the partner's own
    organisation), carried out by no other event."""
    task = data.task
    if task is None:
        return
    other = db.session.scalar(select(Event.id).where(Event.task_id == task.id))
    if other is not None and (event is None or other != event.id):
        raise EventError("task", _("Another event already carries out this task."))
    if task.kind != "migrants_day" or (data.state is not None and task.state_id != data.state.id):
        raise EventError("task", _("This task is not a Migrants Day event task for this state."))
    if organisation_id is not None and task.organisation_id != organisation_id:
        raise NotPermitted(_("This task is not your organisation's."))


def _same_event(title: str, starts_at: dt.datetime, state: State | None) -> Event | None:
    """The event already submitted with this title, start and state (not rejected)."""
    query = select(Event).where(
        Event.title == title, Event.starts_at == starts_at, Event.review != "rejected"
    )
    query = query.where(Event.state_id.is_(None) if state is None else Event.state_id == state.id)
    return db.session.scalars(query.limit(1)).first()


def _apply(event: Event, data: EventData, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    event.title = data.title
    event.kind = data.kind
    event.starts_at, event.ends_at = starts_at, ends_at
    event.timezone = data.timezone
    event.city = data.city if data.kind != ONLINE else (data.city or "")
    event.state = data.state
    event.online_url = data.online_url or None
    event.language = data.language
    event.description = data.description
    event.contact = data.contact
    event.organisations = list(dict.fromkeys(data.organisations))
    if data.task is not None:
        event.task = data.task


def audit_values(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "timezone": event.timezone,
        "state": event.state.iso3 if event.state else None,
        "city": event.city,
        "review": event.review,
    }


def create_event(*, data: EventData, actor: User, via: str) -> tuple[Event, bool]:
    """A coordinator's event (`via="admin"`, published at once) or a partner's (`via="portal"`,
    pending, only for its organisation's states); (the event, whether it is new). The same
    event sent twice is the one event."""
    organisation_id = None
    if via == "portal":
        organisation_id = actor.organisation_id
        if data.state is None or data.state.id not in partner_state_ids(actor):
            raise NotPermitted(_("Your organisation is not a national partner for this state."))
        own = db.session.get(Organisation, organisation_id) if organisation_id else None
        data.organisations = [own, *data.organisations] if own else data.organisations
    _check_place(data)
    starts_at, ends_at = moments(data)
    _check_task(data, organisation_id)
    existing = _same_event(data.title, starts_at, data.state)
    if existing is not None:
        return existing, False
    event = Event(created_via=via, created_by=actor, review="pending", review_reason="")
    _apply(event, data, starts_at, ends_at)
    if via == "admin":
        _publish(event, actor)
    db.session.add(event)
    db.session.flush()
    record_event(
        actor=actor,
        action="event.created",
        entity_type="event",
        entity_id=event.id,
        after=audit_values(event),
    )
    if event.review == "approved":
        _announce(event)
    return event, True


def update_event(*, event: Event, data: EventData, actor: User) -> Event:
    """A coordinator's correction of an event; its review stays as it was."""
    _check_place(data)
    starts_at, ends_at = moments(data)
    _check_task(data, None, event)
    before = audit_values(event)
    _apply(event, data, starts_at, ends_at)
    db.session.flush()
    record_event(
        actor=actor,
        action="event.updated",
        entity_type="event",
        entity_id=event.id,
        before=before,
        after=audit_values(event),
    )
    return event


def _publish(event: Event, actor: User) -> None:
    now = utcnow()
    event.review, event.reviewed_by, event.reviewed_at = "approved", actor, now
    event.published_at = now


def review_event(*, event: Event, approve: bool, reason: str, actor: User) -> Event:
    """Approve or reject a pending event (a rejection with its reason); audited."""
    if event.review != "pending":
        raise EventError("decision", _("This event was already reviewed."))
    if not approve and not reason.strip():
        raise EventError("reason", _("Please give the reason for rejecting this event."))
    before = audit_values(event)
    if approve:
        _publish(event, actor)
    else:
        event.review, event.reviewed_by, event.reviewed_at = "rejected", actor, utcnow()
        event.review_reason = reason.strip()
    db.session.flush()
    record_event(
        actor=actor,
        action="event.approved" if approve else "event.rejected",
        entity_type="event",
        entity_id=event.id,
        before=before,
        after={**audit_values(event), "reason": event.review_reason},
    )
    if approve:
        _announce(event)
    return event


def webhook_data(event: Event) -> dict[str, Any]:
    """What the `event.approved` webhook tells: the event's public facts."""
    names = [organisation.name for organisation in event.organisations]
    return {
        "title": event.title,
        "starts_at": event.starts_at,
        "country": event.state,
        "organisation_name": ", ".join(names) or None,
        "url": site_url(f"/events/{event.id}"),
        "id": event.id,
        "kind": event.kind,
        "ends_at": event.ends_at.isoformat(),
        "timezone": event.timezone,
        "city": event.city or None,
        "online_url": event.online_url,
        "language": event.language,
    }


def _announce(event: Event) -> None:
    """Record the `event.approved` webhook deliveries in this unit of work (the webhooks'
    service queues them after commit); the event's id is the fact, so it is told once."""
    emit(event="event.approved", key=event.id, data=payloads.event_approved(**webhook_data(event)))
