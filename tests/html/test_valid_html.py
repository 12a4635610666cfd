"""Every page, public and back office, in the six languages, is valid HTML: the W3C Nu HTML
Checker finds no error (ids repeated across the forms of a page, labels pointing at another
form's field, attributes where HTML allows none). One checker run for all the pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from campaign.i18n import LANGUAGES
from tests.html import vnu
from tests.html.pages import (
    NOT_FOUND,
    NOT_HTML,
    World,
    build_world,
    fill,
    get_rules,
    localised,
    paths,
    post_paths,
)
from tests.support.auth import csrf_from, log_in

# A page the checker must refuse: proof, in the same run, that it runs and reports.
BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head><body>
<svg dir="rtl" role="img" aria-label="x"></svg>
<label for="a">A</label><input id="a"><input id="a">
</body></html>"""


class Visitors:
    """The back office as an admin (who sees every screen), the portal as a partner, the rest
    as an anonymous reader; each with the CSRF token of its session."""

    def __init__(self, world: World, new_client: Callable[[], FlaskClient]) -> None:
        self.anonymous, self.admin, self.partner = new_client(), new_client(), new_client()
        log_in(self.admin, world.users["admin"])
        log_in(self.partner, world.users["partner_a"])
        self.tokens = {
            id(self.anonymous): csrf_from(self.anonymous, "/pledge/individual"),
            id(self.admin): csrf_from(self.admin, "/admin/"),
            id(self.partner): csrf_from(self.partner, "/partner/"),
        }

    def get(self, url: str) -> TestResponse:
        return self._for(url).get(url)

    def post_empty_form(self, url: str) -> TestResponse:
        visitor = self._for(url)
        return visitor.post(url, data={"csrf_token": self.tokens[id(visitor)]})

    def _for(self, url: str) -> FlaskClient:
        path = url[3:] if url[1:3] in LANGUAGES and url[3:4] == "/" else url
        if path.startswith("/admin") or path == "/account/":  # the account page: logged in
            return self.admin
        return self.partner if path.startswith("/partner") else self.anonymous


def test_every_page_is_valid_html(
    app: Flask, new_client: Callable[[], FlaskClient], tmp_path: Path
) -> None:
    world = build_world()
    visitors = Visitors(world, new_client)
    pages: dict[Path, str] = {}

    def keep(label: str, response: TestResponse) -> None:
        page = tmp_path / f"page-{len(pages):04d}.html"
        page.write_bytes(response.get_data())
        pages[page] = label

    wrong_status = []
    for code in LANGUAGES:
        for path in paths(app, world.values):
            response = visitors.get(localised(path, code))
            if response.status_code != (404 if path == NOT_FOUND else 200):
                wrong_status.append(f"{localised(path, code)}: {response.status_code}")
            elif response.mimetype != "text/html":
                wrong_status.append(f"{localised(path, code)}: {response.mimetype} (NOT_HTML?)")
            keep(localised(path, code), response)
    assert wrong_status == []
    # Then every form sent empty, once the GETs are done (a POST may change what they show).
    for code in LANGUAGES:
        for path in post_paths(app, world.values):
            response = visitors.post_empty_form(localised(path, code))
            if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
                keep(f"POST {localised(path, code)} ({response.status_code})", response)
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN)

    problems = vnu.check([*pages, broken])

    assert {p.message for p in problems if p.file == broken} >= {
        "Attribute “dir” not allowed on element “svg” at this point.",
        "Duplicate ID “a”.",
    }
    errors = [
        f"{pages[p.file]} line {p.line}: {p.message} [{p.extract}]"
        for p in problems
        if p.file != broken
    ]
    assert errors == [], f"{len(errors)} errors in {len(pages)} pages:\n" + "\n".join(errors)


def test_every_get_route_is_fetched_or_excluded(app: Flask) -> None:
    rules = set(get_rules(app))
    assert set(NOT_HTML) <= rules, "an exclusion names a route that no longer exists"
    values = build_world().values
    fetched = paths(app, values)
    assert [
        rule for rule in sorted(rules - set(NOT_HTML)) if fill(rule, values) not in fetched
    ] == []
