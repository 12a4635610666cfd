"""The registry as at any date: derived from the recorded history, corrections included, and
the same in the API, the map and the list of states.

The oracle is the reference data itself (campaign/data/mwc_status.csv), read here without the
application: for every date on which a count changed, and the day before it, the API must
agree with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.states.as_at import corrected_acts, standings, stats_of
from campaign.states.models import State, StatusChange
from campaign.states.queries import registry_stats
from campaign.states.seed import DATA_DIR
from campaign.states.services import Act, correct_status_change, record_status_change

STATES = "/api/v1/states"
STATS = "/api/v1/stats"


def _reference() -> list[dict[str, str]]:
    with (DATA_DIR / "mwc_status.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _expected(on: dt.date) -> dict[str, str]:
    """Each state's status on *on* according to the reference data (states not listed: none)."""
    day = on.isoformat()
    status = {}
    for row in _reference():
        if row["status"] == "party" and row["deposit_date"] <= day:
            status[row["iso3"]] = "party"
        elif row["signature_date"] and row["signature_date"] <= day:
            status[row["iso3"]] = "signatory"
    return status


def _change_dates() -> list[dt.date]:
    days = {
        dt.date.fromisoformat(row[column])
        for row in _reference()
        for column in ("signature_date", "deposit_date")
        if row[column]
    }
    return sorted(days)


def _api_statuses(client: FlaskClient, on: dt.date) -> dict[str, str]:
    response = client.get(STATES, query_string={"as_at": on.isoformat()})
    assert response.status_code == 200
    return {row["iso3"]: row["status"] for row in response.get_json() if row["status"] != "none"}


@pytest.mark.parametrize(
    ("on", "parties"),
    [
        (dt.date(1990, 12, 18), 0),  # the day of adoption
        (dt.date(1999, 12, 31), 12),
        (dt.date(2003, 3, 13), 19),
        # Guatemala's instrument, the 20th (article 87), and El Salvador's were both deposited
        # on 14 March 2003: by the end of that day there were 21 parties.
        (dt.date(2003, 3, 14), 21),
        # "As at 10 June 2003, the Convention had been ratified by 22 States" (A/58/...).
        (dt.date(2003, 6, 10), 22),
    ],
)
def test_parties_as_at_known_dates(client: FlaskClient, on: dt.date, parties: int) -> None:
    stats = client.get(STATS, query_string={"as_at": on.isoformat()}).get_json()
    assert stats["parties"] == parties
    assert stats["total"] == 193
    assert stats["parties"] + stats["signatories"] + stats["no_action"] == 193


def test_as_at_today_is_the_registry_of_today(client: FlaskClient) -> None:
    today = dt.date.today().isoformat()
    assert client.get(STATS, query_string={"as_at": today}).get_json()["parties"] == 60
    assert client.get(STATS, query_string={"as_at": today}).get_json() == (
        registry_stats().as_dict()
    )
    now = {row["iso3"]: row for row in client.get(STATES).get_json()}
    then = {row["iso3"]: row for row in client.get(STATES, query_string={"as_at": today}).json}
    assert then == now


def test_every_date_a_count_changed_agrees_with_the_reference(client: FlaskClient) -> None:
    dates = _change_dates()
    assert len(dates) > 50
    for day in dates:
        for on in (day - dt.timedelta(days=1), day):
            expected = _expected(on)
            assert _api_statuses(client, on) == expected, on
            stats = client.get(STATS, query_string={"as_at": on.isoformat()}).get_json()
            assert stats["parties"] == sum(s == "party" for s in expected.values()), on
            assert stats["signatories"] == sum(s == "signatory" for s in expected.values()), on


def _state(iso3: str) -> State:
    return db.session.scalars(select(State).filter_by(iso3=iso3)).one()


def _act(iso3: str, act: str) -> StatusChange:
    return db.session.scalars(
        select(StatusChange).filter_by(state_id=_state(iso3).id, act=act)
    ).one()


def test_a_retraction_removes_the_act_from_every_date(client: FlaskClient) -> None:
    before = client.get(STATS, query_string={"as_at": "1999-12-31"}).get_json()
    correct_status_change(
        change=_act("MEX", "ratification"),
        source="Test: entered in error",
        recorded_by=None,
        retract=True,
        via="seed",
    )
    db.session.commit()
    after = client.get(STATS, query_string={"as_at": "1999-12-31"}).get_json()
    assert after["parties"] == before["parties"] - 1
    assert after["signatories"] == before["signatories"] + 1  # Mexico signed in 1991
    assert _api_statuses(client, dt.date(1999, 12, 31))["MEX"] == "signatory"


def test_a_corrected_date_moves_the_act(client: FlaskClient) -> None:
    correct_status_change(
        change=_act("EGY", "accession"),
        source="Test: the depositary's corrigendum",
        recorded_by=None,
        effective_on=dt.date(2001, 1, 1),
        via="seed",
    )
    db.session.commit()
    assert "EGY" not in _api_statuses(client, dt.date(1999, 12, 31))
    assert _api_statuses(client, dt.date(2001, 1, 1))["EGY"] == "party"
    stats = client.get(STATS, query_string={"as_at": "1999-12-31"}).get_json()
    assert stats["parties"] == 11


def test_a_new_act_shows_from_its_date_only(client: FlaskClient) -> None:
    today = dt.date.today()
    act = Act("signature", today, "Depositary notification (test)")
    record_status_change(state=_state("BRA"), act=act, recorded_by=None, via="seed", alert=False)
    db.session.commit()
    assert _api_statuses(client, today)["BRA"] == "signatory"
    assert "BRA" not in _api_statuses(client, today - dt.timedelta(days=1))


def test_standings_count_like_the_registry(app: Flask) -> None:
    acts = corrected_acts()
    assert stats_of(standings(dt.date.today(), acts)) == registry_stats()


def test_the_map_as_at_a_date(client: FlaskClient) -> None:
    page = client.get("/map", query_string={"as_at": "1999-12-31"}).get_data(as_text=True)
    assert "31 December 1999" in page
    assert page.count('class="map-state status-party"') == 12
    assert 'value="1999-12-31"' in page
    today = client.get("/map").get_data(as_text=True)
    assert today.count('class="map-state status-party"') == 60


def test_the_list_of_states_as_at_a_date(client: FlaskClient) -> None:
    page = client.get("/states", query_string={"as_at": "1999-12-31", "status": "party"}).get_data(
        as_text=True
    )
    assert "12 states." in page
    assert "Mexico" in page and "Argentina" not in page  # Argentina ratified in 2007
    assert "31 December 1999" in page
    signatories = client.get(
        "/states", query_string={"as_at": "1999-12-31", "status": "signatory", "region": "America"}
    ).get_data(as_text=True)
    assert "Chile" in signatories  # signed 1993, ratified 2005


def _tomorrow() -> str:
    """Worked out when the test runs, not when it is collected: a run may cross midnight."""
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


BAD_DATES: list[Any] = [
    "yesterday",
    "1990-12-17",  # the day before the Convention was adopted
    "1900-01-01",
    "2003-02-30",
    "2003-3-14",
    "14/03/2003",
    "2003-03-14T00:00:00",
    " 2003-03-14",
    "2003-03-14\r\nX-Injected: 1",
    "２００３-03-14",  # full-width digits
    "٢٠٠٣-٠٣-١٤",  # Arabic-Indic digits
    "2003-03-14\U0001f600",
    "<script>alert(1)</script>",
    "=1+1",
    "-1",
    "9" * 5000,
    "2003-03-14\x00",
]


@pytest.mark.parametrize("value", [*BAD_DATES, "tomorrow"])
@pytest.mark.parametrize("path", [STATES, STATS])
def test_bad_dates_are_a_clear_json_400(client: FlaskClient, path: str, value: str) -> None:
    value = _tomorrow() if value == "tomorrow" else value
    response = client.get(path, query_string={"as_at": value})
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "YYYY-MM-DD" in message and "1990-12-18" in message
    assert "<script>" not in message


@pytest.mark.parametrize("value", [*BAD_DATES[:4], "tomorrow", BAD_DATES[12]])
@pytest.mark.parametrize("path", ["/map", "/states", "/fr/map", "/ar/states"])
def test_bad_dates_on_pages_are_a_400_page(client: FlaskClient, path: str, value: str) -> None:
    value = _tomorrow() if value == "tomorrow" else value
    response = client.get(path, query_string={"as_at": value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "1990-12-18" in page
    assert "<script>alert" not in page


def test_an_empty_as_at_is_today(client: FlaskClient) -> None:
    assert client.get(STATS, query_string={"as_at": ""}).get_json()["parties"] == 60
    assert client.get("/map", query_string={"as_at": ""}).status_code == 200


def test_the_answer_as_at_a_date_is_cacheable(client: FlaskClient) -> None:
    first = client.get(STATES, query_string={"as_at": "2003-06-10"})
    assert first.headers["ETag"]
    again = client.get(
        STATES,
        query_string={"as_at": "2003-06-10"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    other = client.get(STATES, query_string={"as_at": "2003-03-13"})
    assert re.sub(r"\W", "", other.headers["ETag"]) != re.sub(r"\W", "", first.headers["ETag"])
