"""The parts of a page kept per language (campaign/core/chrome.py) read exactly as rendered
afresh, follow the page, its query and the host for the language links, and never keep
anything of one reader for another."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.core import chrome
from tests.conftest import isolated_client
from tests.support.auth import log_in, make_user

PAGES = [
    "/",
    "/fr/",
    "/ar/about",
    "/zh/pledge/individual",
    "/es/events?kind=x&q=%3Cb%3E",
    "/ru/states",
    '/about?"><script>alert(1)</script>',
    "/fr/road-to-ratification?x=%F0%9F%98%80",
]
CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return CSRF.sub("csrf", response.get_data(as_text=True))


@pytest.fixture
def kept(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chrome, "_KEPT", {})
    monkeypatch.setattr(chrome, "_PAGES", {})
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 60)


@pytest.mark.parametrize("path", PAGES)
def test_kept_parts_read_exactly_as_rendered_afresh(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    fresh = _page(client, path)
    monkeypatch.setitem(app.config, "RUNTIME_CACHE_SECONDS", 60)
    monkeypatch.setattr(chrome, "_KEPT", {})
    monkeypatch.setattr(chrome, "_PAGES", {})
    assert _page(client, path) == fresh  # rendered, then kept
    assert _page(client, path) == fresh  # from what was kept
    assert chrome._KEPT  # the shared parts were kept
    assert bool(chrome._PAGES) == ("?" not in path)  # a page's links, unless it has a query


def test_language_links_follow_the_page_its_query_and_host(kept: None, client: FlaskClient) -> None:
    about = _page(client, "/fr/about")
    assert 'href="/es/about"' in about and 'hreflang="es" href="http://localhost/es/about"' in about
    states = _page(client, "/fr/states?region=Africa")
    assert 'href="/es/states?region=Africa"' in states and "/es/about" not in states
    other = client.get("/fr/about", base_url="http://127.0.0.1")
    assert 'href="http://127.0.0.1/es/about"' in other.get_data(as_text=True)
    hostile = _page(client, '/about?"><script>alert(1)</script>')
    assert "<script>alert(1)" not in hostile and "&#34;&gt;&lt;script&gt;" in hostile
    secure = client.get("/fr/about", base_url="https://localhost").get_data(as_text=True)
    assert 'href="https://localhost/es/about"' in secure  # kept per scheme as well
    assert 'href="http://localhost/es/about"' in _page(client, "/fr/about")


def test_pages_with_a_query_are_not_kept(kept: None, client: FlaskClient) -> None:
    for n in range(3):
        page = _page(client, f"/about?made-up={n}")
        assert f'href="/es/about?made-up={n}"' in page
    assert chrome._PAGES == {}  # rendered each time, never kept
    _page(client, "/about")
    assert [key[-1] for key in chrome._PAGES] == ["/about", "/about"]  # head and nav


def test_nothing_of_one_reader_is_kept_for_another(kept: None, app: Flask) -> None:
    visitor, coordinator = isolated_client(app), isolated_client(app)
    before = _page(visitor, "/")
    log_in(coordinator, make_user("coordinator"))
    mine = _page(coordinator, "/")
    assert "Back office" in mine and "Log out" in mine and "Log in" not in mine
    after = _page(visitor, "/")
    assert after == before and "Back office" not in after and "Log in" in after
    assert "/admin/" in _page(coordinator, "/fr/") and "/admin/" not in _page(visitor, "/fr/")


def test_an_unknown_part_is_an_error(app: Flask) -> None:
    with app.test_request_context("/"), pytest.raises(ValueError, match="no such part"):
        chrome.chrome("sidebar")
    with app.test_request_context("/"), pytest.raises(ValueError, match="no such part"):
        chrome.chrome_languages("footer")
