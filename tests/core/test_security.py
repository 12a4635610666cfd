"""Headers on every response (public, back office, error, cached), no-store on pages for one
person, and TRUSTED_HOSTS: a forged Host is refused before it reaches a link or a redirect."""

from __future__ import annotations

import re
from typing import Any

import flask_talisman
import pytest
from flask import Flask, request, request_started
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError
from werkzeug.test import Client

from campaign.core.security import Talisman, talisman_options, trusted_hosts
from tests.conftest import make_app
from tests.support.auth import log_in, make_user

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(headers: dict[str, str] | object, where: str) -> None:
    values = dict(headers)  # type: ignore[call-overload]
    for name, value in EVERY_RESPONSE.items():
        assert values.get(name) == value, (where, name, values.get(name))
    policy = values.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy, (where, policy)
    assert "unsafe-inline" not in policy and "http" not in policy, (where, policy)
    assert "camera=()" in values.get("Permissions-Policy", ""), where
    assert "Strict-Transport-Security" not in values, f"{where}: HSTS outside production"


@pytest.mark.parametrize("path", ["/", "/fr/states/BRA", "/pledge/individual", "/api/v1/stats"])
def test_public_pages_carry_the_headers_and_may_be_cached(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert_secure_headers(response.headers, path)
    assert response.headers.get("Cache-Control") != "no-store"


@pytest.mark.parametrize("path", ["/admin/", "/admin/outbox", "/admin/states/BRA"])
def test_back_office_pages_carry_the_headers_and_are_never_stored(
    coordinator: FlaskClient, path: str
) -> None:
    response = coordinator.get(path)
    assert response.status_code == 200
    assert_secure_headers(response.headers, path)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_public_page_shown_to_someone_logged_in_is_not_stored(coordinator: FlaskClient) -> None:
    assert coordinator.get("/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/account/login",
        "/account/reset/not-a-token",
        "/account/invitation/not-a-token",
        "/pledge/confirm/not-a-token",
        "/subscriptions/preferences/not-a-token",
    ],
)
def test_account_and_token_pages_are_never_stored(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    assert response.headers["Cache-Control"] == "no-store", path
    assert_secure_headers(response.headers, path)


@pytest.mark.parametrize("path", ["/no-such-page", "/states/ZZZ", "/admin/outbox/x"])
def test_error_pages_carry_the_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (302, 404)
    assert_secure_headers(response.headers, path)


def test_the_page_cache_serves_the_same_headers(service_env: dict[str, str]) -> None:
    cached = make_app(service_env, PUBLIC_CACHE_SECONDS=3600)
    client = Client(cached)
    flask_requests: list[str] = []

    def note(sender: Flask, **extra: object) -> None:
        flask_requests.append(request.path)

    with request_started.connected_to(note, cached):
        first, second = client.get("/"), client.get("/")
    assert flask_requests == ["/"]  # the second never reached Flask: it is the cache's copy
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    for response in (first, second):
        assert_secure_headers(response.headers, "cached /")
    for name in (*EVERY_RESPONSE, "Content-Security-Policy", "Permissions-Policy"):
        assert first.headers[name] == second.headers[name], name


def _faulty_app(service_env: dict[str, str]) -> Flask:
    """The application with two test-only pages: one with a bug, one whose database is down."""
    faulty = make_app(service_env, PROPAGATE_EXCEPTIONS=False)

    @faulty.get("/test-only/bug")
    def bug() -> str:
        raise RuntimeError("a bug")

    @faulty.get("/test-only/database-down")
    def database_down() -> str:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    return faulty


def test_server_error_pages_carry_the_headers(service_env: dict[str, str]) -> None:
    client = _faulty_app(service_env).test_client()
    for path, status in (("/test-only/bug", 500), ("/test-only/database-down", 503)):
        response = client.get(path)
        assert response.status_code == status, path
        assert "<html" in response.get_data(as_text=True), path  # the site's error page
        assert_secure_headers(response.headers, path)
    assert response.headers["Cache-Control"] == "no-store"  # the outage page is never kept


def test_the_partners_portal_is_never_stored(client: FlaskClient) -> None:
    anonymous = client.get("/partner/")
    assert anonymous.status_code == 302 and anonymous.headers["Cache-Control"] == "no-store"
    log_in(client, make_user("partner"))
    page = client.get("/partner/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert_secure_headers(page.headers, "/partner/")


FORGED = ["evil.example", "evil.example:5000", "127.0.0.1.evil.example", "localhost.evil"]


@pytest.mark.parametrize("host", FORGED)
@pytest.mark.parametrize("path", ["/", "/account//login", "/fr/states/BRA", "/api/v1/stats"])
def test_a_forged_host_is_refused(client: FlaskClient, host: str, path: str) -> None:
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert "evil" not in response.headers.get("Location", "")
    assert "evil" not in response.get_data(as_text=True)
    assert_secure_headers(response.headers, f"{host}{path}")


def test_a_forged_host_cannot_post(client: FlaskClient) -> None:
    response = client.post("/pledge/individual", data={}, headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_a_forged_forwarded_host_is_refused_behind_a_proxy(service_env: dict[str, str]) -> None:
    proxied = make_app(service_env, TRUSTED_PROXIES=1)
    response = proxied.test_client().get("/", headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400


def test_trusted_hosts_come_from_site_url_or_the_setting(app: Flask) -> None:
    site = Flask("site")
    site.config.update(SITE_URL="https://ratify.example.org", ENV_NAME="production")
    assert trusted_hosts(site) == ["ratify.example.org"]
    site.config["ENV_NAME"] = "development"
    assert trusted_hosts(site)[:2] == ["ratify.example.org", "localhost"]
    site.config["TRUSTED_HOSTS"] = " ratify.example.org, www.ratify.example.org ,"
    assert trusted_hosts(site) == ["ratify.example.org", "www.ratify.example.org"]


def test_hsts_in_production(service_env: dict[str, str]) -> None:
    production = make_app(
        service_env,
        ENV_NAME="production",
        SITE_URL="https://localhost",
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
    )
    response = production.test_client().get("/", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_csv_exports_say_their_charset_once(coordinator: FlaskClient) -> None:
    response = coordinator.get("/admin/pledges/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Strict-Transport-Security",
)


def _talismans_own(app: Flask, base_url: str) -> dict[str, str]:
    """The headers Flask-Talisman itself, unkept, sets with the app's options."""
    plain = Flask("plain")
    plain.config.update(SESSION_COOKIE_SECURE=app.config.get("SESSION_COOKIE_SECURE", False))
    flask_talisman.Talisman(plain, **talisman_options(app))
    plain.add_url_rule("/", "page", lambda: "page")
    headers = plain.test_client().get("/", base_url=base_url).headers
    return {name: headers[name] for name in SECURITY_HEADERS if name in headers}


@pytest.mark.parametrize("production", [False, True], ids=["test", "production"])
def test_the_headers_kept_per_view_are_talismans_own(
    service_env: dict[str, str], production: bool
) -> None:
    """The app keeps each view's headers (core/security.Talisman): the first response and
    every later one, over http and https, carry what Talisman works out each time."""
    secure = {"SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True}
    settings = {"ENV_NAME": "production", **secure} if production else {}
    app = make_app(service_env, SITE_URL="https://localhost", **settings)
    client = app.test_client()
    for base_url in ("https://localhost", "http://localhost", "https://localhost"):
        expected = _talismans_own(app, base_url)
        assert ("Strict-Transport-Security" in expected) is (production and "https" in base_url)
        for path in ("/", "/pledge/individual", "/no-such-page", "/api/v1/stats", "/"):
            headers = client.get(path, base_url=base_url).headers
            kept = {name: headers[name] for name in SECURITY_HEADERS if name in headers}
            assert kept == expected, (base_url, path)


def _two_views(talisman_class: type[flask_talisman.Talisman]) -> tuple[Flask, Any]:
    """A small app with one view on the site's options and one with options of its own."""
    site = Flask("two_views")
    talisman = talisman_class()
    talisman.init_app(site, **talisman_options(site))
    site.add_url_rule("/plain", "plain", lambda: "plain")
    own = talisman(force_https=True, content_security_policy_nonce_in=["script-src"])
    site.add_url_rule("/own", "own", own(lambda: "own"))
    return site, talisman


NONCE = re.compile(r"'nonce-[^']+'")
CSP_HEADER = "Content-Security-Policy"


@pytest.mark.parametrize("base_url", ["https://localhost", "http://localhost"])
def test_a_view_with_options_of_its_own_is_left_to_talisman(base_url: str) -> None:
    """Talisman's decorator (a redirect to https, a nonce) works as upstream's; the headers of a
    view on the site's options are kept, the other view's never are."""
    ours, talisman = _two_views(Talisman)
    upstream, _ = _two_views(flask_talisman.Talisman)
    for path in ("/own", "/plain", "/own", "/plain"):
        got = ours.test_client().get(path, base_url=base_url)
        expected = upstream.test_client().get(path, base_url=base_url)
        assert (got.status_code, got.location) == (expected.status_code, expected.location)
        assert {
            name: NONCE.sub("'nonce'", got.headers.get(name, "")) for name in SECURITY_HEADERS
        } == {
            name: NONCE.sub("'nonce'", expected.headers.get(name, "")) for name in SECURITY_HEADERS
        }, path
    assert set(talisman.kept) == {"plain"}
    if base_url.startswith("https"):
        nonces = [
            NONCE.search(ours.test_client().get("/own", base_url=base_url).headers[CSP_HEADER])
            for _ in range(2)
        ]
        assert nonces[0] and nonces[1] and nonces[0].group() != nonces[1].group()
    else:
        assert ours.test_client().get("/own", base_url=base_url).status_code == 302
