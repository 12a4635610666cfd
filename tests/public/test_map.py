"""The world map: every member state drawn and linked, coloured by its status, with a table."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient

from campaign.public.worldmap import DATA, world_map

LINK = re.compile(r'<a href="/states/([A-Z]{3})" class="map-state status-(\w+)" data-iso3="\1">')


def test_the_shapes_cover_every_member_state_and_stay_small() -> None:
    shapes = json.loads(DATA.read_text())
    drawn = set(shapes["shapes"]) | set(shapes["dots"])
    assert len(drawn) == 193 and not set(shapes["shapes"]) & set(shapes["dots"])
    assert DATA.stat().st_size < 150_000  # a phone downloads this inline, on every visit


def test_the_map_colours_each_state_by_its_status(client: FlaskClient) -> None:
    response = client.get("/map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    linked = dict(LINK.findall(page))
    assert len(linked) == 193
    assert (linked["MEX"], linked["ARM"], linked["BRA"]) == ("party", "signatory", "none")
    assert list(linked.values()).count("party") == 60
    assert list(linked.values()).count("signatory") == 11
    assert "<title>Mexico: Party</title>" in page
    assert 'data-iso3="TUV"><circle' in page  # too small for the outlines: a dot


def test_the_table_alternative_lists_the_same_states(client: FlaskClient) -> None:
    page = client.get("/map").get_data(as_text=True)
    table = page[page.index("<details") :]
    assert table.count('<a href="/states/') == 193
    assert "Party (60)" in page and "Signatory (11)" in page and "No action (122)" in page


def test_an_unknown_status_is_refused() -> None:
    try:
        world_map([("MEX", "Mexico", "ratified")])
    except ValueError as error:
        assert "ratified" in str(error)
    else:
        raise AssertionError("an unknown status was drawn")
