"""The public side: a state's page shows its confirmed stage and history (nothing proposed,
nothing reader-specific), and /road-to-ratification lists states by stage."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.public import figures
from campaign.road import services
from tests.factories import state
from tests.road.helpers import move, partner_of
from tests.support.auth import make_user


def test_a_proposal_shows_nowhere_public_until_confirmed(client: FlaskClient) -> None:
    change, _ = services.propose_stage_change(
        state=state("BRA"), move=move("before_parliament"), partner=partner_of("BRA")
    )
    db.session.commit()
    assert "Before parliament" not in client.get("/states/BRA").get_data(as_text=True)
    road = client.get("/road-to-ratification").get_data(as_text=True)
    assert "/states/BRA" not in road
    services.confirm_stage_change(change=change, actor=make_user("coordinator"))
    db.session.commit()
    page = client.get("/states/BRA").get_data(as_text=True)
    assert "Before parliament" in page and "Council of Ministers" in page
    assert "/states/BRA" in client.get("/road-to-ratification").get_data(as_text=True)


def test_the_road_page_lists_the_closest_first_in_every_language(client: FlaskClient) -> None:
    coordinator = make_user("coordinator")
    services.record_stage_change(
        state=state("ARG"), move=move("government_considering"), actor=coordinator
    )
    services.record_stage_change(
        state=state("IND"), move=move("parliament_approved", dt.date(2025, 2, 3)), actor=coordinator
    )
    db.session.commit()
    page = client.get("/road-to-ratification")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.index("/states/IND") < text.index("/states/ARG")
    assert "191 states have no confirmed stage yet." in text
    for prefix in ("/fr", "/ar", "/zh", "/ru", "/es"):
        assert client.get(f"{prefix}/road-to-ratification").status_code == 200


def test_the_road_page_takes_any_query(client: FlaskClient) -> None:
    for query in ("?stage=99999999999999999999", "?x=%00", "?stage=<script>"):
        assert client.get(f"/road-to-ratification{query}").status_code == 200


def test_a_confirmation_in_this_process_shows_at_once_on_the_kept_state_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 60)
    figures._STATES.clear()
    figures._RENDERED.clear()
    client.get("/pledge/individual")  # a cookie: the page is rendered, not the page cache's
    change, _ = services.propose_stage_change(
        state=state("BRA"), move=move("before_parliament"), partner=partner_of("BRA")
    )
    db.session.commit()
    assert "Before parliament" not in client.get("/states/BRA").get_data(as_text=True)
    services.confirm_stage_change(change=change, actor=make_user("coordinator"))
    db.session.commit()
    page = client.get("/states/BRA").get_data(as_text=True)
    figures._STATES.clear()
    figures._RENDERED.clear()
    assert "Before parliament" in page
