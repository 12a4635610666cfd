"""The home page's figures kept per process (campaign/public/figures.py): a reader with a cookie
gets the page rendered without SQL, a change made here shows at once, one made elsewhere within
the expiry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from campaign.extensions import db
from campaign.pledges.models import PledgeCounter
from campaign.public import figures
from campaign.states.services import Act, record_status_change
from tests.factories.base import state
from tests.public.test_query_budget import statements

EXPIRY = 5
SOURCE = "Depositary notification C.N.123.2026.TREATIES-IV.13"


@pytest.fixture
def cached(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The cache on, as in production, and empty before and after the test."""
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", EXPIRY)
    figures._OVERVIEW.clear()
    figures._STATES.clear()
    figures._RENDERED.clear()
    yield
    figures._OVERVIEW.clear()
    figures._STATES.clear()
    figures._RENDERED.clear()


def _signed_in(client: FlaskClient) -> FlaskClient:
    """A reader with a session cookie: the page cache never answers them."""
    client.get("/pledge/individual")
    assert client.get_cookie("session") is not None
    return client


def _pledges(page: str) -> str:
    """The sentence with the pledge counts."""
    found = re.search(r"<strong>[\d,]+</strong> pledges? of support[^<]*", page)
    assert found is not None
    return found.group(0)


def test_the_home_page_runs_no_sql_while_its_figures_are_fresh(
    app: Flask, client: FlaskClient, cached: None
) -> None:
    reader = _signed_in(client)
    first = reader.get("/").get_data(as_text=True)
    with statements(app) as seen:
        again = reader.get("/")
    assert again.status_code == 200
    assert seen == []
    assert again.get_data(as_text=True) == first


def test_a_status_change_made_here_shows_at_once(
    app: Flask, client: FlaskClient, cached: None
) -> None:
    reader = _signed_in(client)
    assert "Brazil" not in _recent(reader.get("/").get_data(as_text=True))
    _brazil_signs()
    assert "Brazil" in _recent(reader.get("/").get_data(as_text=True))


def test_counts_changed_by_another_process_show_within_the_expiry(
    app: Flask, client: FlaskClient, cached: None
) -> None:
    reader = _signed_in(client)
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        before = _pledges(reader.get("/").get_data(as_text=True))
        # Another process confirms pledges: a statement, no ORM event in this process.
        db.session.execute(
            insert(PledgeCounter).values(
                scope="MEX", kind="individual", online=1234, offline=0, updated_at=start
            )
        )
        db.session.commit()
        clock.shift(EXPIRY - 1)
        assert _pledges(reader.get("/").get_data(as_text=True)) == before
        clock.shift(1)
        after = _pledges(reader.get("/").get_data(as_text=True))
    assert after != before and "1,234" in after.replace("\u202f", ",")


def _recent(page: str) -> str:
    found = re.search(r'<ul class="recent">(.*?)</ul>', page, re.DOTALL)
    return found.group(1) if found else ""


@pytest.mark.parametrize("language", ["", "/ar", "/zh"])
def test_a_state_page_runs_no_sql_while_fresh_and_shows_the_same(
    app: Flask, client: FlaskClient, cached: None, language: str
) -> None:
    reader = _signed_in(client)
    app.config["RUNTIME_CACHE_SECONDS"] = 0
    uncached = reader.get(f"{language}/states/MEX").get_data(as_text=True)
    app.config["RUNTIME_CACHE_SECONDS"] = EXPIRY
    first = reader.get(f"{language}/states/mex").get_data(as_text=True)
    with statements(app) as seen:
        again = reader.get(f"{language}/states/MEX")
    assert again.status_code == 200
    assert seen == []
    assert _main(again.get_data(as_text=True)) == _main(first) == _main(uncached)
    assert "1991" in _main(first) and "1999" in _main(first)  # the timeline is there


def test_a_state_change_made_here_shows_on_its_page_at_once(
    app: Flask, client: FlaskClient, cached: None
) -> None:
    reader = _signed_in(client)
    assert "2026" not in _main(reader.get("/states/BRA").get_data(as_text=True))
    _brazil_signs()
    assert "30 November 2026" in _main(reader.get("/states/BRA").get_data(as_text=True))


def test_an_unknown_state_stays_a_404_when_cached(client: FlaskClient, cached: None) -> None:
    assert client.get("/states/XXX").status_code == 404
    assert client.get("/states/XXX").status_code == 404


def _main(page: str) -> str:
    """The page's own content, without the form tokens of its header and footer."""
    found = re.search(r"<main.*?</main>", page, re.DOTALL)
    assert found is not None
    return found.group(0)


def test_the_content_kept_is_per_language_and_not_per_reader(
    app: Flask, client: FlaskClient, cached: None
) -> None:
    """The page's content is rendered once per language; the header stays the reader's own."""
    reader = _signed_in(client)
    english = _main(reader.get("/").get_data(as_text=True))
    french = _main(reader.get("/fr/").get_data(as_text=True))
    assert english != french and 'href="/fr/states"' in french
    assert _main(reader.get("/").get_data(as_text=True)) == english
    anonymous = app.test_client()
    page = anonymous.get("/states/MEX").get_data(as_text=True)
    assert _main(page) == _main(reader.get("/states/MEX").get_data(as_text=True))
    assert "Log in" in page  # the header is rendered for each reader


def test_the_api_figures_come_from_the_same_kept_counts(
    app: Flask, client: FlaskClient, cached: None
) -> None:
    reader = _signed_in(client)
    first = reader.get("/api/v1/stats").get_json()
    with statements(app) as seen:
        again = reader.get("/api/v1/stats").get_json()
    assert seen == [] and again == first
    assert first["parties"] == 60 and first["total"] == 193


def _brazil_signs() -> None:
    """A signature recorded in this process (through the ORM), committed."""
    record_status_change(
        state=state("BRA"),
        act=Act("signature", dt.date(2026, 11, 30), SOURCE),
        recorded_by=None,
        via="sync",
    )
    db.session.commit()
