"""Officials' endorsements on public pages: the state page's count, the list on
/supporters/<ISO3>, the map's layer; only confirmed, verified, standing ones; never an address."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.public import figures
from tests.factories import EndorsementFactory, state


def _hidden() -> None:
    """Endorsements the public must never see: unconfirmed, waiting, rejected, withdrawn."""
    EndorsementFactory(name="Unconfirmed Hidden", email="unconfirmed@example.org")
    EndorsementFactory(confirmed=True, name="Waiting Hidden", email="waiting@example.org")
    EndorsementFactory(
        confirmed=True, review="rejected", name="Rejected Hidden", email="rejected@example.org"
    )
    EndorsementFactory(
        verified=True,
        name="Withdrawn Hidden",
        email="withdrawn@example.org",
        withdrawn_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    EndorsementFactory(verified=True, is_suspect=True, name="Suspect Hidden")


def test_the_state_page_counts_verified_endorsements_only(client: FlaskClient) -> None:
    page = client.get("/states/MEX").get_data(as_text=True)
    assert "No official of Mexico has endorsed the Convention yet." in page
    _hidden()
    EndorsementFactory(verified=True)
    EndorsementFactory(verified=True, office="Mayor")
    db.session.commit()
    page = client.get("/states/MEX").get_data(as_text=True)
    assert "2 elected officials and office-holders of Mexico have endorsed" in page
    assert 'href="/supporters/MEX"' in page and 'href="/pledge/official"' in page
    assert "Hidden" not in page and "@example.org" not in page


def test_the_supporters_page_lists_verified_endorsements(client: FlaskClient) -> None:
    _hidden()
    EndorsementFactory(
        verified=True,
        name="Lucía <b>Hernández</b>",
        office="Member of Parliament",
        institution="Chamber of Deputies",
        party="Partido Ejemplo",
        statement="I will work for it. <script>alert(1)</script>",
        proof_url="https://diputados.example.org/members/1?a=1&b=2",
        email="lucia@example.org",
    )
    EndorsementFactory(verified=True, state=state("GTM"), name="Guatemalan Official")
    db.session.commit()
    response = client.get("/supporters/MEX")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Lucía &lt;b&gt;Hernández&lt;/b&gt;" in page and "<script>alert" not in page
    assert "Member of Parliament" in page and "Chamber of Deputies" in page
    assert "Partido Ejemplo" in page
    assert (
        '<a href="https://diputados.example.org/members/1?a=1&amp;b=2" '
        'rel="nofollow noopener noreferrer">' in page
    )
    assert "Hidden" not in page and "Guatemalan Official" not in page
    assert "@example.org" not in page


def test_no_endorsement_yet(client: FlaskClient) -> None:
    page = client.get("/supporters/MEX").get_data(as_text=True)
    assert "No official endorsement is listed yet." in page


def test_the_map_hatches_states_with_verified_endorsements(client: FlaskClient) -> None:
    _hidden()
    EndorsementFactory(verified=True)
    EndorsementFactory(verified=True, state=state("TUV"))  # a dot on the map
    db.session.commit()
    response = client.get("/map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Mexico: Party; 1 official endorsement</title>" in page
    layer = page[page.index('<g class="map-endorsed"') : page.index("</svg>")]
    assert layer.count('fill="url(#endorsed-hatch)"') == 1 and layer.count("<circle") == 1
    assert "Hatched: states with officials' endorsements verified by the campaign (2)" in page
    table = page[page.index("States with officials' endorsements verified") :]
    assert '<a href="/supporters/MEX">Mexico</a></th><td>1</td>' in table
    assert "/supporters/GTM" not in table


def test_the_map_as_at_a_date_shows_endorsements_verified_by_then(client: FlaskClient) -> None:
    EndorsementFactory(verified=True, reviewed_at=dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC))
    EndorsementFactory(
        verified=True, state=state("GTM"), reviewed_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    db.session.commit()
    page = client.get("/map?as_at=2021-01-01").get_data(as_text=True)
    assert "Mexico: Party; 1 official endorsement" in page
    assert "Guatemala: Signatory;" not in page
    assert client.get("/map?as_at=1980-01-01").status_code == 400
    assert client.get("/map?as_at=nonsense").status_code == 400


def test_a_verification_in_this_process_shows_at_once_on_the_kept_state_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 60)
    figures._STATES.clear()
    figures._RENDERED.clear()
    client.get("/pledge/individual")  # a cookie: the page is rendered, not the page cache's
    endorsement = EndorsementFactory(confirmed=True)
    db.session.commit()
    assert "No official of Mexico" in client.get("/states/MEX").get_data(as_text=True)
    endorsement.review, endorsement.reviewed_at = "verified", endorsement.confirmed_at
    db.session.commit()
    page = client.get("/states/MEX").get_data(as_text=True)
    figures._STATES.clear()
    figures._RENDERED.clear()
    assert "1 elected official or office-holder of Mexico has endorsed" in page


def test_the_supporters_page_counts_officials_by_state(client: FlaskClient) -> None:
    _hidden()
    EndorsementFactory(verified=True)
    EndorsementFactory(verified=True, office="Mayor")
    EndorsementFactory(verified=True, state=state("GTM"))
    db.session.commit()
    page = client.get("/supporters").get_data(as_text=True)
    assert '<a href="/supporters/MEX">Mexico</a></th><td>2</td>' in page
    assert '<a href="/supporters/GTM">Guatemala</a></th><td>1</td>' in page
    assert "Hidden" not in page
