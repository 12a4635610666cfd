"""The partners' portal: a national partner proposes changes for its own states only."""

from __future__ import annotations

from flask.testing import FlaskClient

from campaign.extensions import db
from campaign.road import services
from tests.factories import state
from tests.road.helpers import changes, form, move, partner_of
from tests.support.auth import csrf_from, log_in, make_user


def _partner(client: FlaskClient, iso3: str = "BRA") -> None:
    log_in(client, partner_of(iso3))


def test_a_partner_proposes_once_and_sees_the_decision(client: FlaskClient) -> None:
    _partner(client)
    assert "/partner/road/BRA" in client.get("/partner/").get_data(as_text=True)
    token = csrf_from(client, "/partner/road/BRA")
    for _ in range(2):
        response = client.post("/partner/road/BRA", data={"csrf_token": token, **form()})
        assert response.status_code == 302
    [change] = changes("BRA")
    assert change.status == "proposed" and change.recorded_via == "portal"
    services.reject_stage_change(
        change=change, actor=make_user("coordinator"), reason="The decision was withdrawn"
    )
    db.session.commit()
    page = client.get("/partner/road/BRA").get_data(as_text=True)
    assert "Rejected" in page and "The decision was withdrawn" in page
    services.record_stage_change(
        state=state("BRA"), move=move("before_parliament"), actor=make_user("admin")
    )
    db.session.commit()
    assert "Road to ratification</a>: Before parliament" in client.get("/partner/").get_data(
        as_text=True
    )


def test_a_partner_cannot_propose_for_another_state(client: FlaskClient) -> None:
    _partner(client)
    partner_of("ARG", email="other@example.org")
    token = csrf_from(client, "/partner/road/BRA")
    assert client.get("/partner/road/ARG").status_code == 403
    response = client.post("/partner/road/ARG", data={"csrf_token": token, **form()})
    assert response.status_code == 403
    assert client.post("/partner/road/XYZ", data={"csrf_token": token, **form()}).status_code == 404
    assert changes("ARG") == []


def test_bad_input_in_the_portal_is_a_400(client: FlaskClient) -> None:
    _partner(client)
    token = csrf_from(client, "/partner/road/BRA")
    for values in (
        {"stage": "99999999999999999999999"},
        {"effective_on": "1990-12-17"},
        {"effective_on": "31/12/2025"},
        {"source": "a\r\nb"},
        {"source": "@SUM(A1)"},
    ):
        response = client.post("/partner/road/BRA", data={"csrf_token": token, **form(**values)})
        assert response.status_code == 400, values
    assert client.post("/partner/road/BRA", data=form()).status_code == 400  # no CSRF token
    assert changes("BRA") == []


def test_coordinators_and_strangers_do_not_use_the_portal(client: FlaskClient) -> None:
    assert client.get("/partner/road/BRA").status_code == 302  # to the login page
    log_in(client, make_user("coordinator"))
    assert client.get("/partner/road/BRA").status_code == 403
    assert state("BRA").status == "none"


def test_proposing_a_change_already_confirmed_adds_nothing(client: FlaskClient) -> None:
    _partner(client)
    token = csrf_from(client, "/partner/road/BRA")
    assert client.post("/partner/road/BRA", data={"csrf_token": token, **form()}).status_code == 302
    [change] = changes("BRA")
    services.confirm_stage_change(change=change, actor=make_user("coordinator"))
    db.session.commit()
    again = client.post(
        "/partner/road/BRA", data={"csrf_token": token, **form()}, follow_redirects=True
    )
    assert "already confirmed: nothing was added" in again.get_data(as_text=True)
    assert [c.status for c in changes("BRA")] == ["confirmed"]
