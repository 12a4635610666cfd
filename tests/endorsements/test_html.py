"""The endorsement pages, in every language, are well-formed HTML (html5lib's strict parser),
with their errors shown, and the Arabic pages right to left."""

from __future__ import annotations

import html5lib
import pytest
from flask.testing import FlaskClient

from campaign.extensions import db
from tests.endorsements.helpers import confirm_path, manage_path, sign
from tests.factories import EndorsementFactory

LANGUAGES = ("", "/ar", "/zh", "/fr", "/ru", "/es")


def _parses(body: str, path: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(body)
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{path}: {error}") from error
    assert document.find("body/main") is not None, path


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_endorsement_page_parses(coordinator: FlaskClient, prefix: str) -> None:
    waiting = EndorsementFactory(confirmed=True, name="لوسيا <i>x</i>", statement="a\nb")
    EndorsementFactory(verified=True, party="Partido", proof_url="https://a.example.org/?a=1&b")
    EndorsementFactory(verified=True, office="Mayor")
    db.session.commit()
    paths = [
        "/pledge/official",
        "/endorsement/check-your-email",
        confirm_path(waiting.id),
        manage_path(waiting.id),
        "/supporters",
        "/supporters/MEX",
        "/states/MEX",
        "/states/FRA",
        "/map",
        "/admin/endorsements",
        "/pledge/privacy",
    ]
    for path in paths:
        response = coordinator.get(prefix + path)
        assert response.status_code == 200, path
        _parses(response.get_data(as_text=True), prefix + path)
    refused = sign(coordinator, name="", proof_url="http://x.example.org")
    assert refused.status_code == 400
    _parses(refused.get_data(as_text=True), "/pledge/official (refused)")


def test_arabic_pages_read_right_to_left(client: FlaskClient) -> None:
    page = client.get("/ar/pledge/official").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'action="/ar/pledge/official"' in page
