"""The Atom feed of status changes and the iCalendar feed of the campaign's public dates."""

from __future__ import annotations

import datetime as dt

import defusedxml.ElementTree as ElementTree
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from campaign.extensions import db
from campaign.public.feeds import FEED_SIZE
from campaign.states import services
from tests.factories import OrganisationFactory, OutreachTaskFactory, state

ATOM = "{http://www.w3.org/2005/Atom}"
SOURCE = "UN Treaty Collection, depositary notification C.N.1.2026.TREATIES-IV.13"


def _entries(client: FlaskClient) -> list[tuple[str, str]]:
    response = client.get("/feeds/status-changes.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    return [
        (entry.findtext(f"{ATOM}title") or "", entry.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr]
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_the_newest_changes_first_with_their_state(
    app: Flask, client: FlaskClient
) -> None:
    change = services.record_status_change(
        state=state("BRA"),
        act=services.Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
        alert=False,
    )
    db.session.commit()
    assert change is not None
    entries = _entries(client)
    assert len(entries) == FEED_SIZE  # the seed recorded more than that
    site = app.config["SITE_URL"]
    assert entries[0] == ("Brazil signed the Convention on 1 September 2026", f"{site}/states/BRA")


def test_a_correction_is_an_entry_of_its_own(app: Flask, client: FlaskClient) -> None:
    brazil = state("BRA")
    change = services.record_status_change(
        state=brazil,
        act=services.Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
        alert=False,
    )
    assert change is not None
    services.correct_status_change(
        change=change, source=SOURCE, recorded_by=None, retract=True, via="sync"
    )
    db.session.commit()
    titles = [title for title, _ in _entries(client)]
    assert titles[0] == "Brazil: the record of 1 September 2026 was corrected (retracted)"
    assert titles[1] == "Brazil signed the Convention on 1 September 2026"


def test_the_calendar_has_the_public_dates_and_no_task(app: Flask, client: FlaskClient) -> None:
    OutreachTaskFactory(
        organisation=OrganisationFactory(name="Alpha"),
        state=state("MEX"),
        title="Private meeting with the Senate",
        due_on=dt.date(2026, 12, 10),
    )
    db.session.commit()
    response = client.get("/feeds/campaign-dates.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert b"Private meeting" not in response.data and b"Senate" not in response.data
    calendar = Calendar.from_ical(response.data)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        "International Migrants Day",
        "Anniversary of the Convention's entry into force",
    }
    migrants_day = events["International Migrants Day"]
    assert migrants_day.decoded("dtstart") == dt.date(2000, 12, 18)
    assert migrants_day["rrule"]["FREQ"] == ["YEARLY"]


def test_every_page_links_the_feeds(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'type="application/atom+xml"' in page
    assert 'href="/feeds/campaign-dates.ics"' in page


def test_the_feeds_speak_the_language_of_their_address(client: FlaskClient) -> None:
    feed = client.get("/fr/feeds/status-changes.atom").get_data(as_text=True)
    assert "<language>fr</language>" in feed or 'xml:lang="fr"' in feed
    assert "Zimbabwe" in feed and "5 novembre 2024" in feed
    assert "signed the Convention" not in feed and "Source:" not in feed
    calendar = client.get("/es/feeds/campaign-dates.ics").get_data(as_text=True)
    assert "International Migrants Day" not in calendar and "SUMMARY:" in calendar
