"""An event's time and place as a reader sees them: in the event's own time zone, named, in
the reader's language; and the lines a reminder mail lists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel.dates import format_date, format_time
from flask_babel import gettext as _

from campaign.events.models import Event
from campaign.i18n import site_url
from campaign.i18n.localised import babel_locale, language, state_name


def when(event: Event, code: str | None = None) -> str:
    """18 December 2026, 18:00–20:00 (Africa/Dakar); both dates when it spans days."""
    locale = babel_locale(code or language())
    start, end = event.local_start, event.local_end
    values = {
        "start_date": format_date(start.date(), format="long", locale=locale),
        "start_time": format_time(start.time(), format="short", locale=locale),
        "end_date": format_date(end.date(), format="long", locale=locale),
        "end_time": format_time(end.time(), format="short", locale=locale),
        "zone": event.timezone,
    }
    if start.date() == end.date():
        return _("%(start_date)s, %(start_time)s–%(end_time)s (%(zone)s)", **values)
    return _("%(start_date)s, %(start_time)s – %(end_date)s, %(end_time)s (%(zone)s)", **values)


def where(event: Event, code: str | None = None) -> str:
    """Dakar, Senegal; or Online; or Dakar, Senegal, and online."""
    place = ", ".join(
        part for part in (event.city, state_name(event.state, code) if event.state else "") if part
    )
    if event.kind == "online":
        return _("Online") if not place else _("Online, for %(place)s", place=place)
    if event.kind == "hybrid":
        return _("%(place)s, and online", place=place)
    return place


def reminder_items(events: Iterable[Event], code: str) -> list[dict[str, Any]]:
    """What a reminder mail lists of each event, in language *code*, with a link on SITE_URL."""
    return [
        {
            "title": event.title,
            "when": when(event, code),
            "where": where(event, code),
            "url": site_url(f"/events/{event.id}", code),  # no request in the worker
        }
        for event in events
    ]
