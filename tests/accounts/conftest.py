"""Test clients whose requests each run in their own app context, as they do in production.

The autouse `db` fixture holds one app context for the whole test, and a request reuses an
app context it finds: so without this, every request of every client in a test shares one
`g`, and with it Flask-Login's cached user and Flask-WTF's CSRF token. A second client would
then act as whoever the first logged in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.servers import RedisServer


class IsolatedClient(FlaskClient):
    """A test client with a fresh app context (and so a fresh `g`) for every request."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


def isolated_client(app: Flask) -> FlaskClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def client(app: Flask, redis_server: RedisServer) -> FlaskClient:
    import redis

    redis.Redis.from_url(redis_server.url(1)).flushdb()  # fresh rate-limit counters
    return isolated_client(app)


@pytest.fixture
def new_client(app: Flask, client: FlaskClient) -> Callable[[], FlaskClient]:
    """Another browser: its own cookies, its own requests."""
    return lambda: isolated_client(app)
