"""The public pages of events: the list (upcoming and archived), one event, and the calendars."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from campaign.db import utcnow
from campaign.events import bp, queries
from campaign.events.calendar import calendar_response
from campaign.events.display import when, where
from campaign.events.models import KIND_LABELS, Event
from campaign.events.queries import EventFilters
from campaign.states.models import REGIONS
from campaign.states.queries import state_choices


def _listing(archived: bool) -> str:
    filters = EventFilters.from_args(request.args)
    now = utcnow()
    page = queries.archive(filters, now) if archived else queries.upcoming(filters, now)
    return render_template(
        "events/list.html",
        page=page,
        rows=[_row(event) for event in page.items],
        filters=filters,
        archived=archived,
        kinds=KIND_LABELS,
        regions=REGIONS,
        state_options=state_choices(),
        endpoint="events.archive" if archived else "events.events",
    )


def _row(event: Event) -> dict[str, Any]:
    return {"event": event, "when": when(event), "where": where(event)}


@bp.get("/events")
def events() -> str:
    return _listing(archived=False)


@bp.get("/events/archive")
def archive() -> str:
    return _listing(archived=True)


def _published(event_id: int) -> Event:
    event = queries.published_event(event_id)
    if event is None:  # pending and rejected events are not there for the public
        abort(404)
    return event


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> str:
    item = _published(event_id)
    return render_template(
        "events/event.html",
        event=item,
        when=when(item),
        where=where(item),
        utc_start=item.starts_at,
        is_past=item.ends_at < utcnow(),
        paragraphs=[line for line in item.description.splitlines() if line.strip()],
        contact_is_email="@" in item.contact and "://" not in item.contact,
    )


@bp.get("/events.ics")
def calendar() -> Response:
    return calendar_response(
        queries.calendar_events(utcnow()),
        "events.ics",
        _("Migrant Workers Convention: campaign events"),
    )


@bp.get("/events/<int:event_id>.ics")
def event_calendar(event_id: int) -> Response:
    item = _published(event_id)
    return calendar_response([item], f"event-{item.id}.ics", item.title)
