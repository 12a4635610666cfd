"""Feeds: an Atom feed of status changes, and an iCalendar feed of the campaign's public dates.

Outreach tasks and their due dates are private to coordinators and partners: never in a feed.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Response, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event, vRecur
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.extensions import db
from campaign.i18n import site_url
from campaign.i18n.localised import language, long_date, state_name
from campaign.public import bp
from campaign.states.models import StatusChange
from campaign.states.treaty import ADOPTED_ON, FIRST_MIGRANTS_DAY, IN_FORCE_ON

FEED_SIZE = 50
DATES_DEFINED = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)  # DTSTAMP: when these events were set
ACT_TITLES = {
    "signature": _l("%(state)s signed the Convention on %(date)s"),
    "ratification": _l("%(state)s ratified the Convention on %(date)s"),
    "accession": _l("%(state)s acceded to the Convention on %(date)s"),
}


def _entry_title(change: StatusChange) -> str:
    values = {"state": state_name(change.state), "date": long_date(change.effective_on)}
    if change.act == "correction":
        if change.is_retraction:
            return _("%(state)s: the record of %(date)s was corrected (retracted)", **values)
        return _("%(state)s: the record of %(date)s was corrected", **values)
    act = change.method if change.act != "signature" else "signature"
    title = ACT_TITLES.get(act or "", _l("%(state)s is a party to the Convention since %(date)s"))
    return str(title) % values


@bp.get("/feeds/status-changes.atom")
def status_changes_feed() -> Response:
    changes = db.session.scalars(
        select(StatusChange)
        .options(joinedload(StatusChange.state))
        .order_by(StatusChange.recorded_at.desc(), StatusChange.id.desc())
        .limit(FEED_SIZE)
    ).all()
    feed = FeedGenerator()
    feed.id(site_url("/feeds/status-changes.atom"))
    feed.title(_("Migrant Workers Convention: status changes"))
    feed.subtitle(_("Signatures, ratifications, accessions and corrections, as recorded."))
    feed.link(href=f"{site_url('')}{url_for('public.states')}", rel="alternate")
    feed.link(href=site_url("/feeds/status-changes.atom"), rel="self")
    feed.language(language())
    feed.updated(changes[0].recorded_at.replace(tzinfo=dt.UTC) if changes else _epoch())
    for change in reversed(changes):  # feedgen lists the last added first
        entry = feed.add_entry()
        entry.id(site_url(f"/feeds/status-changes/{change.id}"))
        entry.title(_entry_title(change))
        entry.link(href=f"{site_url('')}{url_for('public.state', iso3=change.state.iso3)}")
        entry.updated(change.recorded_at.replace(tzinfo=dt.UTC))
        source = change.source_url or change.source
        summary = _("Source: %(source)s", source=source)
        entry.summary(summary + (f". {change.note}" if change.note else ""))
    body = feed.atom_str(pretty=True)
    return Response(body, mimetype="application/atom+xml")


def _epoch() -> dt.datetime:
    return dt.datetime.combine(ADOPTED_ON, dt.time(), dt.UTC)


def _yearly(summary: str, first: dt.date, description: str, uid: str) -> Event:
    event = Event()
    host = site_url("").split("//")[-1].split("/")[0].split(":")[0]
    event.add("uid", f"{uid}@{host}")
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", first)
    event.add("dtend", first + dt.timedelta(days=1))
    event.add("dtstamp", DATES_DEFINED)
    event.add("rrule", vRecur(freq="yearly"))
    event.add("transp", "TRANSPARENT")
    return event


@bp.get("/feeds/campaign-dates.ics")
def campaign_dates() -> Response:
    calendar = Calendar()
    calendar.add("prodid", "-//Migrant Workers Convention campaign//campaign dates//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Migrant Workers Convention: campaign dates"))
    calendar.add_component(
        _yearly(
            _("International Migrants Day"),
            FIRST_MIGRANTS_DAY,
            _(
                "The anniversary of the Convention's adoption on 18 December 1990: "
                "the campaign's day of action."
            ),
            "migrants-day",
        )
    )
    calendar.add_component(
        _yearly(
            _("Anniversary of the Convention's entry into force"),
            IN_FORCE_ON,
            _("The Convention entered into force on 1 July 2003."),
            "entry-into-force",
        )
    )
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="campaign-dates.ics"'
    return response
