"""Clients logged in through the real login form, one role per test."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.auth import log_in, make_user


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient) -> FlaskClient:
    log_in(client, make_user("coordinator"))
    return client


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> FlaskClient:
    log_in(client, make_user("admin"))
    return client


@pytest.fixture(params=["anonymous", "partner", "coordinator", "admin"])
def role_client(request: pytest.FixtureRequest, client: FlaskClient) -> tuple[str, FlaskClient]:
    """A client for each role in turn (anonymous: not logged in)."""
    role: str = request.param
    if role != "anonymous":
        log_in(client, make_user(role))
    return role, client
