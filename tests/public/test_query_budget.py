"""The busiest public reads run a fixed, small number of SQL statements and never read the
pledges table."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from campaign.extensions import db

# A state's page: the state with its history and partners; its pledge counters; its road to
# ratification; its officials' endorsements counted. Each section one indexed statement.
BUDGETS = {"/": 2, "/states/MEX": 4, "/api/v1/stats": 2}
PLEDGES_TABLE = re.compile(r"\bpledges\b", re.IGNORECASE)
# The test fixture nests each request in a savepoint; production runs none of these.
SAVEPOINTS = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


@contextmanager
def on_execute(app: Flask, callback: Callable[..., None]) -> Iterator[None]:
    """*callback*(connection, cursor, statement, ...) for every statement sent in the block."""
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", callback)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", callback)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement sent to the database inside the block (savepoints left out)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not SAVEPOINTS.match(statement):
            seen.append(" ".join(statement.split()))

    with on_execute(app, record):
        yield seen


@pytest.mark.parametrize("url", ["/", "/states/MEX", "/api/v1/stats"])
def test_public_read_stays_within_its_query_budget(
    app: Flask, client: FlaskClient, url: str
) -> None:
    client.get(url)  # the first request may warm caches; the budget is for every request
    with statements(app) as seen:
        response = client.get(url)
    assert response.status_code == 200
    assert len(seen) <= BUDGETS[url], "\n".join(seen)
    assert not [s for s in seen if PLEDGES_TABLE.search(s)], "\n".join(seen)


def test_state_page_still_shows_the_whole_timeline(client: FlaskClient) -> None:
    """Loading the history in the same statement as the state keeps every act, in order."""
    page = client.get("/states/MEX").get_data(as_text=True)
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.DOTALL)
    assert timeline is not None
    items = timeline.group(1).split("</li>")[:-1]
    assert len(items) == 2  # Mexico signed in 1991 and ratified in 1999
    assert "1991" in items[0] and "1999" in items[1]


def test_unknown_state_is_still_a_404(client: FlaskClient) -> None:
    with statements(client.application) as seen:
        assert client.get("/states/XXX").status_code == 404
    assert len(seen) <= 1
