"""Submitting a page's form as a browser would: every field it shows, with its current value."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.auth import CSRF


class _Forms(HTMLParser):
    """Each <form> of a page: its action and the (name, value) pairs a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._multiple = False
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self._fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None and not self._multiple:
                self._first_option = value
                self._fields.setdefault(self._select, value)
            if "selected" in a:
                self._fields[self._select] = value  # (of a multiple select: the last one)
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._fields = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += (
                data.removeprefix("\n") if not self._fields[self._textarea] else data
            )


def page_form(html: str, action: str, page: str = "") -> dict[str, str]:
    """The fields of the form on *html* (the page at *page*) that posts to *action* (a path)."""
    parser = _Forms()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if (urlsplit(form_action).path or urlsplit(page or action).path) == action:
            return dict(fields)
    raise AssertionError(f"no form posting to {action} on the page")


def submit(
    client: FlaskClient, path: str, changes: dict[str, str], form_path: str = ""
) -> TestResponse:
    """Open *form_path* (default *path*), change some fields of its form for *path*, post it.

    When *form_path* has no form for *path* (a forged post to someone else's address), only
    its CSRF token goes with *changes*.
    """
    page = form_path or path
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    html = response.get_data(as_text=True)
    try:
        fields = page_form(html, urlsplit(path).path, page)
    except AssertionError:
        match = CSRF.search(html)
        assert match and form_path, f"no form posting to {path} on {page}"
        fields = {"csrf_token": match.group(1)}
    return client.post(path, data={**fields, **changes})
