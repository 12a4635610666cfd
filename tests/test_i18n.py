"""The language in the URL: `/fr/...` serves the French page, and every link on it stays French."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import get_locale

from campaign.i18n import ENVIRON_KEY, LANGUAGES
from tests.conftest import make_app
from tests.pledges.helpers import form_data
from tests.support.auth import csrf_from

HTML = re.compile(r'<html lang="(\w+)" dir="(\w+)">')


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("prefix", "lang", "direction"),
    [
        ("", "en", "ltr"),
        ("/en", "en", "ltr"),
        ("/fr", "fr", "ltr"),
        ("/ar", "ar", "rtl"),
        ("/zh", "zh", "ltr"),
        ("/ru", "ru", "ltr"),
        ("/es", "es", "ltr"),
    ],
)
def test_the_prefix_sets_language_direction_and_links(
    client: FlaskClient, prefix: str, lang: str, direction: str
) -> None:
    page = _page(client, f"{prefix}/states")
    assert HTML.search(page).groups() == (lang, direction)  # type: ignore[union-attr]
    assert f'href="{prefix}/states/MEX"' in page
    assert f'href="{prefix}/static/css/site.css"' in page
    assert client.get(f"{prefix}/static/css/site.css").status_code == 200


def test_every_page_offers_every_language(client: FlaskClient) -> None:
    page = _page(client, "/fr/states?status=party")
    for code in LANGUAGES:
        assert f'hreflang="{code}" href="http://localhost/{code}/states?status=party"' in page
        assert f'href="/{code}/states?status=party" lang="{code}"' in page
    assert re.search(r'lang="fr" hreflang="fr" dir="ltr" aria-current="true"', page)
    assert 'lang="ar" hreflang="ar" dir="rtl">العربية</a>' in page


@pytest.mark.parametrize("path", ["/xx/states", "/frx/", "/FR/states", "/fr-CA/states"])
def test_an_unknown_language_is_not_found(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_form_posted_in_french_redirects_in_french(client: FlaskClient) -> None:
    token = csrf_from(client, "/fr/pledge/individual")
    response = client.post(
        "/fr/pledge/individual", data={"csrf_token": token, **form_data("individual")}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/pledge/check-your-email"


def test_babel_uses_the_language_of_the_url(service_env: dict[str, str], app: Flask) -> None:
    probe = make_app(service_env)

    @probe.get("/_locale")
    def locale() -> str:
        return str(get_locale())

    client = probe.test_client()
    assert client.get("/_locale").get_data(as_text=True) == "en"
    assert client.get("/ru/_locale").get_data(as_text=True) == "ru"
    assert client.get("/zh/_locale").get_data(as_text=True) == "zh"


def test_a_page_and_a_mail_in_another_language_each_get_their_catalogue(app: Flask) -> None:
    """The template catalogue is kept per request and language (campaign.i18n._catalogue):
    a mail rendered in its recipient's language in the middle of a page finds its own."""
    from flask import render_template_string

    from campaign.mail import compose

    page = "{{ _('Status') }}|{{ _('Region') }}"
    with app.test_request_context("/", environ_base={"campaign.language": "fr"}):
        before = render_template_string(page)
        text, _html = compose.render("held_alert", "ar", group="client-1", count=3, url="/x")
        after = render_template_string(page)
        english_text, _html = compose.render(
            "held_alert", "en", group="client-1", count=3, url="/x"
        )
    assert before == after == "Statut|Région"
    assert re.search("[\u0600-\u06ff]", text) and not re.search("[\u0600-\u06ff]", english_text)


@pytest.mark.parametrize("code", [*LANGUAGES, "xx", None])
def test_babels_locale_is_the_requests_language_parsed_once(app: Flask, code: str | None) -> None:
    """Flask-Babel's locale is the request's language (English for an unknown or missing one),
    the same Locale object on every request in that language."""
    expected = Locale.parse(code if code in LANGUAGES else "en")
    seen = []
    for _ in range(2):
        environ = {} if code is None else {ENVIRON_KEY: code}
        with app.test_request_context("/", environ_base=environ):
            seen.append(get_locale())
    assert seen[0] == expected and seen[1] is seen[0]
    with app.app_context():  # outside a request: English
        assert str(get_locale()) == "en"
