"""Bad dates on the three report routes: a clear 400 that says what is accepted, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

ROUTES = ("/report", "/report.pdf", "/report.csv")


def _tomorrow() -> str:
    """Worked out when the test runs, not when it is collected: a run may cross midnight."""
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


BAD_DATES = [
    "1990-12-17",  # the day before the Convention's adoption
    "0001-01-01",
    "tomorrow",  # worked out when the test runs: a run may cross midnight
    "9999-12-31",
    "2003-02-30",
    "2003-3-14",
    "14/03/2003",
    "20030314",
    "2003-03-14T00:00:00",
    " 2003-03-14",
    "2003-03-14\r\nX-Injected: 1",
    "2003-03-14\x00",
    "abc",
    "-1",
    "1e9",
    "[]",
    "null",
    "9" * 10_000,  # very long
    "2" * 4 + "-03-14" + "x" * 5_000,
    "\u202e41-30-3002",  # right-to-left override
    "\u0662\u0660\u0660\u0663-\u0660\u0663-\u0661\u0664",  # Arabic-Indic digits
    "\U0001d7da\U0001d7d8\U0001d7d8\U0001d7db-03-14",  # astral (mathematical) digits
    "２００３-０３-１４",  # full-width digits
    "2003-03-14😀",
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", ["as_at", "since"])
@pytest.mark.parametrize("value", BAD_DATES)
def test_a_bad_date_is_a_400(client: FlaskClient, route: str, name: str, value: str) -> None:
    value = _tomorrow() if value == "tomorrow" else value
    response = client.get(route, query_string={name: value})
    assert response.status_code == 400
    assert f"{name} must be a date written YYYY-MM-DD" in response.get_data(as_text=True)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_at=2003-03-14&as_at=2004-01-01", "as_at may be given only once."),
        ("as_at=2003-03-14&as_at=2003-03-14", "as_at may be given only once."),
        ("since=2003-03-14&since=2004-01-01", "since may be given only once."),
        ("as_at=2000-01-01&since=2001-01-01", "since must be a date on or before as_at."),
        ("since=tomorrow", "since must be a date written YYYY-MM-DD"),
    ],
)
def test_arrays_and_a_since_after_as_at_are_400s(
    client: FlaskClient, route: str, query: str, message: str
) -> None:
    response = client.get(f"{route}?{query.replace('tomorrow', _tomorrow())}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "query", ["", "as_at=", "as_at=1990-12-18", "as_at=2000-01-01&since=2000-01-01", "x=1"]
)
def test_the_edges_that_are_accepted(client: FlaskClient, route: str, query: str) -> None:
    """An empty as_at is today; the day of adoption is the first date; since may equal as_at."""
    assert client.get(f"{route}?{query}").status_code == 200


def test_the_400_is_in_the_readers_language(client: FlaskClient) -> None:
    response = client.get("/fr/report?as_at=2003-03-14&as_at=2004-01-01")
    assert response.status_code == 400
    assert '<html lang="fr"' in response.get_data(as_text=True)
