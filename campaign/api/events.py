"""GET /api/v1/events (approved events: upcoming, or past with `?past=1`; filtered by state,
region, kind and month) and /api/v1/events/{id}, cacheable with an ETag. Public facts only."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from werkzeug.wrappers import Response

from campaign.api import bp
from campaign.api.paging import page_from_request
from campaign.api.spec import (
    BAD_REQUEST,
    NOT_FOUND,
    NOT_MODIFIED,
    PAGE,
    PER_PAGE,
    described,
    json_answer,
    path,
    query,
)
from campaign.api.spec import schema as named
from campaign.api.views import cached_json
from campaign.db import utcnow
from campaign.events import queries
from campaign.events.models import EVENT_KINDS, LANGUAGES, Event
from campaign.events.queries import EventFilters
from campaign.i18n import site_url
from campaign.states.models import REGIONS
from campaign.states.queries import state_by_iso3

NULLABLE_TEXT = {"oneOf": [{"type": "string"}, {"type": "null"}]}
MOMENT = {"type": "string", "format": "date-time"}
EVENT = named(
    "Event",
    {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "timezone",
            "local_start",
            "local_end",
            "state",
            "city",
            "online_url",
            "language",
            "description",
            "contact",
            "organisations",
            "url",
            "ics",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": list(EVENT_KINDS)},
            "starts_at": {**MOMENT, "description": "UTC"},
            "ends_at": {**MOMENT, "description": "UTC"},
            "timezone": {"type": "string", "description": "IANA time zone, e.g. Africa/Dakar"},
            "local_start": {**MOMENT, "description": "In the event's own time zone"},
            "local_end": MOMENT,
            "state": {
                "oneOf": [{"type": "string", "pattern": "^[A-Z]{3}$"}, {"type": "null"}],
                "description": "ISO 3166 alpha-3; null for an online event for everyone",
            },
            "city": {"type": "string"},
            "online_url": NULLABLE_TEXT,
            "language": {"type": "string", "enum": list(LANGUAGES)},
            "description": {"type": "string"},
            "contact": {"type": "string", "description": "An email address or a web address"},
            "organisations": {"type": "array", "items": {"type": "string"}},
            "url": {"type": "string", "format": "uri"},
            "ics": {"type": "string", "format": "uri"},
        },
    },
)
PARAMETERS = (
    query(
        "state",
        "ISO 3166 alpha-3 of a UN member state; anything else is a 400.",
        {"type": "string"},
    ),
    query("region", "One of the five regions.", {"type": "string", "enum": list(REGIONS)}),
    query("kind", "The kind of event.", {"type": "string", "enum": list(EVENT_KINDS)}),
    query(
        "month",
        "Events starting in this month (UTC), YYYY-MM.",
        {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
    ),
    query(
        "past", "1: events that are over, the latest first.", {"type": "string", "enum": ["0", "1"]}
    ),
    PAGE,
    PER_PAGE,
)


def event_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "timezone": event.timezone,
        "local_start": event.local_start.isoformat(),
        "local_end": event.local_end.isoformat(),
        "state": event.state.iso3 if event.state else None,
        "city": event.city,
        "online_url": event.online_url,
        "language": event.language,
        "description": event.description,
        "contact": event.contact,
        "organisations": [organisation.name for organisation in event.organisations],
        "url": site_url(f"/events/{event.id}"),
        "ics": site_url(f"/events/{event.id}.ics"),
    }


def _filters() -> tuple[EventFilters, bool]:
    """The query's filters, strictly: a value that is not one of the accepted ones is a 400."""
    args = request.args
    state = args.get("state")
    if state is not None and (
        len(state) != 3 or not state.isascii() or state_by_iso3(state) is None
    ):
        abort(400, "state must be the ISO 3166 alpha-3 code of a UN member state, such as SEN")
    for name, accepted in (("region", REGIONS), ("kind", EVENT_KINDS), ("past", ("0", "1"))):
        if args.get(name) is not None and args.get(name) not in accepted:
            abort(400, f"{name} must be one of: {', '.join(accepted)}")
    month = args.get("month")
    filters = EventFilters.from_args({**args.to_dict(), "page": "1"})
    if month is not None and filters.month is None:
        abort(400, "month must be written YYYY-MM, between 2000 and 2100")
    return filters, args.get("past") == "1"


@bp.get("/events")
@described(
    summary="Approved campaign events (panels, briefings, vigils, marches, online)",
    description="Upcoming events, soonest first; with past=1, those that are over, latest first.",
    tags=("events",),
    parameters=PARAMETERS,
    responses={
        200: json_answer("The events", {"type": "array", "items": EVENT}, paged=True),
        304: NOT_MODIFIED,
        400: BAD_REQUEST,
    },
)
def events() -> Response:
    filters, past = _filters()
    page = page_from_request()
    now = utcnow()
    rows = queries.all_past(filters, now) if past else queries.all_upcoming(filters, now)
    return cached_json([event_json(event) for event in page.of(rows)], page.headers(len(rows)))


@bp.get("/events/<int:event_id>")
@described(
    summary="One approved event",
    tags=("events",),
    parameters=(path("event_id", "The event's id.", {"type": "integer", "minimum": 0}),),
    responses={200: json_answer("The event", EVENT), 304: NOT_MODIFIED, 404: NOT_FOUND},
)
def event(event_id: int) -> Response:
    item = queries.published_event(event_id)
    if item is None:
        abort(404)
    return cached_json(event_json(item))
