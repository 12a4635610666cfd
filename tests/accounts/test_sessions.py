"""Sessions: permanent so that they expire, and cookies secure and http-only in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from campaign import create_app
from campaign.accounts.policy import SECURE_COOKIE_SETTINGS, check_cookie_settings
from campaign.db import utcnow
from config import ProductionConfig
from tests.accounts.helpers import logged_in_home
from tests.conftest import isolated_client
from tests.support.auth import CSRF, PASSWORD, csrf_from, log_in, make_user


def _session_cookie(headers: list[str]) -> str:
    [cookie] = [header for header in headers if header.startswith("session=")]
    return cookie


def _log_in(client: FlaskClient, email: str) -> str:
    """Log in through the form; the session cookie the response sets."""
    token = csrf_from(client, "/account/login")
    data = {"csrf_token": token, "email": email, "password": PASSWORD}
    response = client.post("/account/login", data=data)
    assert response.status_code == 302
    return _session_cookie(response.headers.getlist("Set-Cookie"))


def test_login_makes_a_session_that_expires_when_idle(app: Flask, client: FlaskClient) -> None:
    make_user("coordinator", "ada@example.org")
    cookie = _log_in(client, "ada@example.org")
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    lifetime = dt.timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    assert lifetime == dt.timedelta(hours=8)
    with time_machine.travel(utcnow() + lifetime + dt.timedelta(minutes=5)):
        response = client.get("/admin/")
        assert response.status_code == 302 and response.location.startswith("/account/login")


def test_activity_keeps_a_session_alive_until_its_lifetime(app: Flask, client: FlaskClient) -> None:
    """A visit every 20 minutes keeps the login (idle timeout: 30 minutes), but not past the
    absolute lifetime: a cookie used all day still dies after 8 hours."""
    make_user("coordinator", "ada@example.org")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        _log_in(client, "ada@example.org")
    lifetime = dt.timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    step = dt.timedelta(minutes=20)
    moment = start + step
    while moment < start + lifetime - dt.timedelta(minutes=1):
        with time_machine.travel(moment, tick=False):
            assert logged_in_home(client) == "/admin/", moment - start
        moment += step
    with time_machine.travel(start + lifetime + dt.timedelta(minutes=1), tick=False):
        assert logged_in_home(client) is None


def test_an_idle_session_ends(app: Flask, client: FlaskClient) -> None:
    make_user("coordinator", "ada@example.org")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        _log_in(client, "ada@example.org")
    idle = dt.timedelta(seconds=app.config["SESSION_IDLE_SECONDS"])
    assert idle == dt.timedelta(minutes=30)
    with time_machine.travel(start + idle - dt.timedelta(minutes=1), tick=False):
        assert logged_in_home(client) == "/admin/"
    with time_machine.travel(start + 2 * idle, tick=False):
        response = client.get("/admin/")
        assert response.status_code == 302 and response.location.startswith("/account/login")


def test_a_session_without_the_password_fingerprint_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    """Sessions name "<id>:<fingerprint>"; a bare id (or a guessed one) logs nobody in."""
    user = make_user("admin", "ada@example.org")
    log_in(client, user)
    for forged in (str(user.id), f"{user.id}:", f"{user.id}:0000000000000000", "x:y", "9" * 40):
        with client.session_transaction() as session:
            session["_user_id"] = forged
        assert logged_in_home(client) is None, forged


@pytest.mark.parametrize("setting", SECURE_COOKIE_SETTINGS)
def test_production_refuses_cookies_that_are_not_secure_and_http_only(setting: str) -> None:
    bare = Flask("production-check")
    bare.config.from_object(ProductionConfig)
    check_cookie_settings(bare)  # as configured: fine
    bare.config[setting] = False
    with pytest.raises(RuntimeError, match=setting):
        check_cookie_settings(bare)


def test_other_environments_may_use_plain_http(app: Flask) -> None:
    assert not app.config.get("SESSION_COOKIE_SECURE")
    check_cookie_settings(app)


@pytest.fixture
def production_app(
    app: Flask, service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Flask:
    monkeypatch.setenv("SECRET_KEY", "production-test-secret")
    monkeypatch.setenv("DATABASE_URL", service_env["DATABASE_URL"])
    overrides: dict[str, Any] = {
        "SECRET_KEY": "production-test-secret",
        "SQLALCHEMY_DATABASE_URI": service_env["DATABASE_URL"],
        "CELERY_BROKER_URL": service_env["REDIS_URL"],
        "RATELIMIT_STORAGE_URI": service_env["RATELIMIT_STORAGE_URI"],
        "SITE_URL": "https://campaign.example.org",  # the one host production answers for
    }
    return create_app("production", **overrides)


def test_production_login_cookie_is_secure_http_only_and_expires(
    production_app: Flask, fresh_limits: None
) -> None:
    make_user("coordinator", "ada@example.org")
    client = isolated_client(production_app)
    https = {"base_url": "https://campaign.example.org"}
    page = client.get("/account/login", **https)
    match = CSRF.search(page.get_data(as_text=True))
    assert match is not None
    token = match.group(1)
    data = {"csrf_token": token, "email": "ada@example.org", "password": PASSWORD}
    response = client.post(
        "/account/login", data=data, headers={"Referer": "https://campaign.example.org/"}, **https
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    cookie = _session_cookie(response.headers.getlist("Set-Cookie"))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Expires="):
        assert flag in cookie
