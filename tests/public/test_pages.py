"""The public pages: the numbers, the next Migrants Day, the filtered list, a page per state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.states.models import State
from campaign.states.services import Act, correct_status_change, record_status_change
from tests.factories import state

ROW = re.compile(r'<th scope="row"><a href="/states/([A-Z]{3})">')
SOURCE = "https://treaties.un.org/doc/Publication/CN/2026/CN.1.2026-Eng.pdf"
TAG = re.compile(r"<[^>]+>")
TIMELINE = re.compile(r'<ol class="timeline">(.*?)</ol>', re.DOTALL)


def _listed(client: FlaskClient, query: dict[str, str] | None = None) -> list[str]:
    """The ISO codes listed on /states, in order; the page must say how many."""
    response = client.get("/states", query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    codes = ROW.findall(page)
    assert f"<p>{len(codes)} state{'' if len(codes) == 1 else 's'}.</p>" in page
    return codes


def _timeline(client: FlaskClient, iso3: str) -> list[str]:
    """The public timeline of *iso3* as plain text, one entry a line."""
    match = TIMELINE.search(client.get(f"/states/{iso3}").get_data(as_text=True))
    if match is None:
        return []
    items = match.group(1).split("</li>")[:-1]
    return [" ".join(TAG.sub("", item).split()) for item in items]


def _codes(**filters: str) -> set[str]:
    return set(db.session.scalars(select(State.iso3).filter_by(**filters)))


def _on(day: dt.date) -> time_machine.travel:
    """Frozen at noon UTC on *day*, so the date is the same in any server time zone."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), dt.UTC), tick=False)


def test_home_shows_where_the_convention_stands(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "<strong>60</strong> parties of 193 UN member states" in page
    assert "(29 by ratification, 31 by accession)" in page
    assert "<strong>11</strong> signatories yet to ratify" in page
    assert "<strong>122</strong> states with no action" in page
    assert "<strong>40</strong> states have signed" in page


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            dt.date(2026, 11, 22),
            '<time datetime="2026-12-18">18 December 2026</time>, in 26 days.',
        ),
        (
            dt.date(2026, 12, 17),
            '<time datetime="2026-12-18">18 December 2026</time>, in 1 day.',
        ),
        (dt.date(2026, 12, 18), '<time datetime="2026-12-18">18 December 2026</time>, today.'),
        (
            dt.date(2026, 12, 19),
            '<time datetime="2027-12-18">18 December 2027</time>, in 364 days.',
        ),
        (
            dt.date(2027, 1, 1),
            '<time datetime="2027-12-18">18 December 2027</time>, in 351 days.',
        ),
        (
            dt.date(2027, 12, 19),
            '<time datetime="2028-12-18">18 December 2028</time>, in 365 days.',
        ),
    ],
)
def test_home_counts_down_to_the_next_migrants_day(
    client: FlaskClient, today: dt.date, expected: str
) -> None:
    with _on(today):
        page = client.get("/").get_data(as_text=True)
    assert expected in page


def test_states_lists_every_member_state_by_name(client: FlaskClient) -> None:
    codes = _listed(client)
    assert len(codes) == 193
    assert set(codes) == _codes()
    assert codes[0] == "AFG" and codes[-1] == "ZWE"


def test_status_filter(client: FlaskClient) -> None:
    parties = _listed(client, {"status": "party"})
    assert len(parties) == 60
    assert set(parties) == _codes(status="party")
    assert set(_listed(client, {"status": "none"})) == _codes(status="none")


def test_status_and_region_filters_combine(client: FlaskClient) -> None:
    expected = _codes(status="signatory", region="Africa")
    assert expected  # the seed has African signatories, so the filter is really tested
    assert set(_listed(client, {"status": "signatory", "region": "Africa"})) == expected
    page = client.get("/states?status=signatory&region=Africa").get_data(as_text=True)
    assert '<option value="signatory" selected>' in page
    assert '<option value="Africa" selected>' in page


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "<script>alert(1)</script>",
        "x" * 5000,
        "\u202eAfrica",
        "𝔘𝔫𝔦",
        "Party",
        " party",
        "party'--",
    ],
)
def test_unknown_filter_values_are_ignored(client: FlaskClient, value: str) -> None:
    response = client.get("/states", query_string={"status": value, "region": value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert " selected>" not in page
    assert len(ROW.findall(page)) == 193


def test_party_and_region_filters_combine(client: FlaskClient) -> None:
    codes = _listed(client, {"status": "party", "region": "Europe"})
    assert set(codes) == _codes(status="party", region="Europe")


def test_mexico_shows_signature_and_ratification(client: FlaskClient) -> None:
    response = client.get("/states/MEX")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Mexico</h1>" in page
    assert "Party (ratification)" in page
    assert '<dt>Signed</dt><dd><time datetime="1991-05-22">' in page
    assert '<dt>Ratification deposited</dt><dd><time datetime="1999-03-08">' in page
    assert _timeline(client, "MEX") == [
        "22 May 1991: Signature. Source",
        "8 March 1999: Ratification. Source",
    ]


def test_zimbabwe_shows_accession_without_signature(client: FlaskClient) -> None:
    page = client.get("/states/ZWE").get_data(as_text=True)
    assert "Party (accession)" in page
    assert '<dt>Accession deposited</dt><dd><time datetime="2024-11-05">' in page
    assert "<dt>Signed</dt>" not in page
    assert _timeline(client, "ZWE") == ["5 November 2024: Accession. Source"]


def test_state_without_action_says_so(client: FlaskClient) -> None:
    page = client.get("/states/BRA").get_data(as_text=True)
    assert "No action" in page
    assert "Brazil has neither signed nor become a party to the Convention." in page
    assert _timeline(client, "BRA") == []


def test_timeline_shows_acts_as_corrected(client: FlaskClient) -> None:
    brazil = state("BRA")
    act = Act("signature", dt.date(2026, 9, 1), "Depositary notification", SOURCE)
    signature = record_status_change(
        state=brazil, act=act, recorded_by=None, via="seed", alert=False
    )
    assert signature is not None
    db.session.commit()
    assert _timeline(client, "BRA") == ["1 September 2026: Signature. Source"]

    correct_status_change(
        change=signature,
        source="Corrigendum",
        recorded_by=None,
        effective_on=dt.date(2026, 8, 31),
        via="sync",
    )
    db.session.commit()
    page = client.get("/states/BRA").get_data(as_text=True)
    assert '<dt>Signed</dt><dd><time datetime="2026-08-31">' in page
    assert _timeline(client, "BRA") == ["31 August 2026: Signature. Source"]
    assert "Corrigendum" not in page and "Correction" not in page


def test_timeline_applies_a_corrected_method(client: FlaskClient) -> None:
    ratification = next(change for change in state("MEX").changes if change.act == "ratification")
    correct_status_change(
        change=ratification, source="Corrigendum", recorded_by=None, method="accession", via="sync"
    )
    db.session.commit()
    assert _timeline(client, "MEX") == [
        "22 May 1991: Signature. Source",
        "8 March 1999: Accession. Source",
    ]
    assert "Party (accession)" in client.get("/states/MEX").get_data(as_text=True)


def test_retracted_act_leaves_the_timeline(client: FlaskClient) -> None:
    brazil = state("BRA")
    act = Act("signature", dt.date(2026, 9, 1), "Depositary notification", SOURCE)
    signature = record_status_change(
        state=brazil, act=act, recorded_by=None, via="seed", alert=False
    )
    assert signature is not None
    correct_status_change(
        change=signature, source="Entered in error", recorded_by=None, retract=True, via="sync"
    )
    db.session.commit()
    page = client.get("/states/BRA").get_data(as_text=True)
    assert "No action" in page and "<dt>Signed</dt>" not in page
    assert _timeline(client, "BRA") == []
    assert "Brazil has neither signed nor become a party to the Convention." in page


@pytest.mark.parametrize("code", ["mex", "Mex", "mEX"])
def test_state_code_is_case_insensitive(client: FlaskClient, code: str) -> None:
    response = client.get(f"/states/{code}")
    assert response.status_code == 200
    assert "<h1>Mexico</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "code",
    ["XXX", "ABCD", "AB", "<script>", "%3Cscript%3E", "M%00X", "ÄÖÜ", "𝔘𝔫𝔦", "M X", "123"],
)
def test_unknown_state_is_not_found(client: FlaskClient, code: str) -> None:
    response = client.get(f"/states/{code}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>404</h1>" in page
    assert "<script>" not in page
