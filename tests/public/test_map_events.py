"""The world map's dots of International Migrants Day events: approved events of the season of
the next 18 December, at each state's mainland, with a legend and a table of their own."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.public.worldmap import anchor_of
from tests.factories import EventFactory, state

SEASON = dt.datetime(2026, 12, 18, 15, 0, tzinfo=dt.UTC)


def _dots(page: str) -> list[str]:
    layer = re.search(r'<g class="map-events"[^>]*>(.*?)</g>', page, re.S)
    assert layer, "no events layer"
    return re.findall(r"<circle [^>]*/>", layer.group(1))


def test_approved_events_of_the_season_are_dots(client: FlaskClient) -> None:
    EventFactory(starts_at=SEASON)
    EventFactory(starts_at=SEASON + dt.timedelta(days=1))
    EventFactory(starts_at=SEASON, state=state("FRA"), city="Paris", timezone="Europe/Paris")
    EventFactory(starts_at=SEASON, state=state("MEX"), review="pending", published_at=None)
    EventFactory(starts_at=SEASON - dt.timedelta(days=200), state=state("BRA"))  # off season
    db.session.commit()
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False):
        page = client.get("/map").get_data(as_text=True)
    dots = _dots(page)
    assert len(dots) == 2  # Senegal (two events) and France
    x, y = anchor_of("SEN") or (0, 0)
    assert f'cx="{x}" cy="{y}"' in page
    assert "International Migrants Day events in 2026, by state" in page
    table = page.split("International Migrants Day events in 2026, by state", 1)[1]
    assert re.search(r"Senegal</a></th><td>2</td>", table)
    assert "France" in table and "Mexico</a></th><td>" not in table.split("</table>")[0]


def test_no_events_no_dots(client: FlaskClient) -> None:
    page = client.get("/map").get_data(as_text=True)
    assert _dots(page) == []
    assert "No event is listed for this season yet." in page


def test_the_map_as_at_a_date_shows_that_season(client: FlaskClient) -> None:
    EventFactory(starts_at=dt.datetime(2010, 12, 18, 15, tzinfo=dt.UTC))
    db.session.commit()
    assert len(_dots(client.get("/map?as_at=2010-12-01").get_data(as_text=True))) == 1
    assert _dots(client.get("/map?as_at=2012-12-01").get_data(as_text=True)) == []


def test_every_state_outline_has_an_anchor_inside_the_map() -> None:
    from campaign.public.worldmap import _shapes

    shapes = _shapes()
    for iso3 in shapes["shapes"]:
        anchor = anchor_of(iso3)
        assert anchor is not None, iso3
        assert 0 <= anchor[0] <= shapes["width"] and 0 <= anchor[1] <= shapes["height"], iso3
