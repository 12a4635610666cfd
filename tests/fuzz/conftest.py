"""Fixtures of the fuzz folder: cheap passwords, the world of every role, a client per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts import services as account_services
from tests.conftest import isolated_client
from tests.fuzz.targets import Target, build_target, cheap_hasher
from tests.support.auth import log_in

UNLIMITED = "100000 per minute"


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before any user is made, so that every hash and every login is cheap."""
    cheap = cheap_hasher()
    monkeypatch.setattr(account_services, "hasher", cheap)
    monkeypatch.setattr(account_services, "_DUMMY_HASH", cheap.hash("not a real password"))


@pytest.fixture
def target(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> Target:
    """The world, with the rate limits out of the way: the fuzz is one client address, and
    validation lies behind the limits."""
    for setting in ("LOGIN_RATE_LIMIT", "PASSWORD_RESET_RATE_LIMIT", "SUBSCRIBE_RATE_LIMIT"):
        monkeypatch.setitem(app.config, setting, UNLIMITED)
    return build_target(app)


@pytest.fixture
def as_role(app: Flask, target: Target) -> Callable[[str], FlaskClient]:
    """A client logged in as the world's user of a role ("anonymous": nobody)."""

    def client_for(role: str) -> FlaskClient:
        client = isolated_client(app)
        user = target.user(role)
        if user is not None:
            log_in(client, user)
        return client

    return client_for
