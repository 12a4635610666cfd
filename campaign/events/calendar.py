"""The events' iCalendar feed and each event's own .ics: times in UTC (a `Z` suffix), which
every calendar reads without a VTIMEZONE; the event's zone is named in its description."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Response
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from campaign.events.display import where
from campaign.events.models import Event
from campaign.i18n import site_url
from campaign.i18n.localised import language

PRODID = "-//Migrant Workers Convention campaign//events//EN"


def _host() -> str:
    return urlsplit(site_url("")).hostname or "localhost"


def _component(event: Event) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@{_host()}")
    item.add("dtstamp", event.updated_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    place = where(event)
    if place:
        item.add("location", place)
    url = site_url(f"/events/{event.id}", language())
    item.add("url", url)
    zone = _("Local time zone: %(zone)s", zone=event.timezone)
    item.add("description", "\n\n".join(part for part in (event.description, zone, url) if part))
    item.add("contact", event.contact)
    item.add("status", "CONFIRMED")
    return item


def calendar_response(events: Iterable[Event], filename: str, name: str) -> Response:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", " ".join(name.split()))  # an unescaped property: one line
    for event in events:
        calendar.add_component(_component(event))
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
