"""The public JSON API: the registry and its numbers, cacheable with ETags, JSON errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.states.models import State
from campaign.states.services import Act, record_status_change

STATES = "/api/v1/states"
STATS = "/api/v1/stats"
SEEDED_STATS = {
    "total": 193,
    "parties": 60,
    "by_ratification": 29,
    "by_accession": 31,
    "signatories": 11,
    "no_action": 122,
    "ever_signed": 40,
}


def _by_iso3(client: FlaskClient) -> dict[str, dict[str, Any]]:
    entries = client.get(STATES).get_json()
    return {entry["iso3"]: entry for entry in entries}


def _sign_brazil() -> None:
    brazil = db.session.scalars(select(State).filter_by(iso3="BRA")).one()
    act = Act("signature", dt.date(2026, 9, 1), "Depositary notification (test)")
    record_status_change(state=brazil, act=act, recorded_by=None, via="seed", alert=False)
    db.session.commit()


def test_states_lists_every_member_state_with_its_status(client: FlaskClient) -> None:
    response = client.get(STATES)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    entries = response.get_json()
    assert len(entries) == 193
    assert len({entry["iso3"] for entry in entries}) == 193
    keys = {"iso3", "name", "region", "status", "signed_on", "consented_on", "method"}
    assert all(set(entry) == keys for entry in entries)
    assert [entry["name"] for entry in entries] == sorted(entry["name"] for entry in entries)


def test_states_entries_carry_dates_and_method(client: FlaskClient) -> None:
    states = _by_iso3(client)
    assert states["ZWE"] == {
        "iso3": "ZWE",
        "name": "Zimbabwe",
        "region": "Africa",
        "status": "party",
        "signed_on": None,
        "consented_on": "2024-11-05",
        "method": "accession",
    }
    assert (states["MEX"]["signed_on"], states["MEX"]["consented_on"]) == (
        "1991-05-22",
        "1999-03-08",
    )
    assert states["MEX"]["method"] == "ratification"
    assert (states["BRA"]["status"], states["BRA"]["signed_on"]) == ("none", None)


def test_states_counts_agree_with_stats(client: FlaskClient) -> None:
    entries = client.get(STATES).get_json()
    statuses = [entry["status"] for entry in entries]
    assert statuses.count("party") == SEEDED_STATS["parties"]
    assert statuses.count("signatory") == SEEDED_STATS["signatories"]
    assert statuses.count("none") == SEEDED_STATS["no_action"]


def test_stats_as_seeded(client: FlaskClient) -> None:
    response = client.get(STATS)
    assert response.status_code == 200
    assert response.get_json() == SEEDED_STATS


@pytest.mark.parametrize("path", [STATES, STATS])
def test_answers_are_cacheable_and_conditional(app: Flask, client: FlaskClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong, not W/"..."
    assert first.cache_control.public
    assert first.cache_control.max_age == app.config["API_CACHE_SECONDS"] > 0

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag

    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.get_data() == first.get_data()


@pytest.mark.parametrize("path", [STATES, STATS])
def test_etag_changes_when_the_registry_does(client: FlaskClient, path: str) -> None:
    before = client.get(path)
    _sign_brazil()
    after = client.get(path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.get_data() != before.get_data()


def test_recorded_change_shows_in_both_answers(client: FlaskClient) -> None:
    _sign_brazil()
    assert _by_iso3(client)["BRA"]["status"] == "signatory"
    assert _by_iso3(client)["BRA"]["signed_on"] == "2026-09-01"
    stats = client.get(STATS).get_json()
    assert (stats["signatories"], stats["no_action"], stats["ever_signed"]) == (12, 121, 41)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nope", 404),
        ("GET", "/api/v1/states/BRA", 404),
        ("GET", "/api/v2/states", 404),
        ("GET", "/api/v1/<script>", 404),
        ("POST", STATES, 405),
        ("DELETE", STATS, 405),
    ],
)
def test_errors_are_json(client: FlaskClient, method: str, path: str, status: int) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body["error"], str) and body["error"]
    assert "<script>" not in response.get_data(as_text=True)
