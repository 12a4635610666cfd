"""No 5xx for any input: every route of the URL map, every method, for every role, with
Hypothesis drawing the path, query, form, headers and body (tests/fuzz/strategies.py).

Each role sends every route's plain request once and then REQUESTS_PER_ROLE drawn ones
through the test client; the first 5xx (or exception) fails with the request that caused it.
`make fuzz` runs the same strategies for much longer against a real server.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts.models import User
from tests.conftest import isolated_client
from tests.fuzz.runner import HTML, Answer, fuzz
from tests.fuzz.strategies import FuzzRequest
from tests.fuzz.targets import ROLES, Target, keeps_session
from tests.fuzz.wire import Wire
from tests.support.auth import csrf_from, log_in

REQUESTS_PER_ROLE = 500


class ClientVisitor:
    """The test client as one role's browser."""

    def __init__(self, app: Flask, user: User | None) -> None:
        self.app, self.user = app, user
        self.client = self._fresh()

    def _fresh(self) -> FlaskClient:
        client = isolated_client(self.app)
        if self.user is not None:
            log_in(client, self.user)
        self._token = csrf_from(client, "/pledge/individual")
        return client

    def token(self) -> str:
        return self._token

    def page(self, url: str) -> str:
        response = self.client.get(url)
        # Forms come in HTML pages only: a PDF, a material's file or a CSV has none to read.
        return response.get_data(as_text=True) if response.mimetype in HTML else ""

    def send(self, wire: Wire) -> Answer:
        response = self.client.open(
            wire.url, method=wire.method, headers=wire.headers, data=wire.body
        )
        response.get_data()  # a streamed body (CSV) runs to its end here
        return Answer(response.status_code)

    def settle(self, request: FuzzRequest) -> None:
        # Accepting the invitation (or a reset link) logs its user in: start again as the role.
        if not request.route.endpoint.startswith("accounts."):
            return
        with self.client.session_transaction() as session:
            user_id = session.get("_user_id")
        if user_id != (str(self.user.id) if self.user else None):
            self.client = self._fresh()


@pytest.mark.parametrize("role", ROLES)
def test_no_5xx_for_any_request(app: Flask, target: Target, role: str) -> None:
    visitor = ClientVisitor(app, target.user(role))
    tally = fuzz(visitor, role, target, examples=REQUESTS_PER_ROLE)
    assert tally.failures == []
    assert tally.count >= REQUESTS_PER_ROLE
    # Every route of the URL map was sent (a new route is fuzzed without being listed), but
    # for the ones this role never sends (logging out).
    sent = {key for key, count in tally.by_route.items() if count}
    expected = {
        route.key
        for route in target.routes
        if keeps_session(FuzzRequest(route, route.rule, ""), role, target)
    }
    assert expected - sent == set()
    assert tally.baselines, "no form was read from the pages"
    print(f"{role}: {tally.count} requests, by status {dict(sorted(tally.statuses.items()))}")
