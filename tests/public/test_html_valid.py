"""Every public page, in every language, is well-formed HTML: html5lib's strict parser
(the WHATWG parsing algorithm) finds no parse error."""

from __future__ import annotations

import html5lib
import pytest
from flask.testing import FlaskClient

from tests.browser.pages import ALL_PAGES, NOT_FOUND


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_parses_without_error(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    if path.endswith(NOT_FOUND) or "not-a-token" in path:
        assert 400 <= response.status_code < 500, path
    else:
        assert response.status_code == 200, path
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(response.get_data(as_text=True))
    except html5lib.html5parser.ParseError as error:
        raise AssertionError(f"{path}: {error}") from error
    assert document.find("body/main") is not None, f"{path}: no <main>"
    assert document.find("head/title").text.strip(), f"{path}: empty <title>"


def test_the_strict_parser_does_catch_broken_markup() -> None:
    parser = html5lib.HTMLParser(strict=True)
    with pytest.raises(html5lib.html5parser.ParseError):
        parser.parse("<!doctype html><html><body><p>unclosed <b>bold</p></i></body></html>")
