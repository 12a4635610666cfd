"""The forms a role's pages show, read before fuzzing: what a browser would post to each POST
route (every field with its value, and every option of each select), for the fuzz to mutate.

A submission that starts from the real form gets past "this field was not sent" and into
the views' own checks and services, where random fields rarely reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Baseline:
    """A form as the page shows it: the (name, value) pairs sent, the options of each field."""

    fields: Pairs
    options: tuple[tuple[str, tuple[str, ...]], ...]

    def options_of(self, name: str) -> tuple[str, ...]:
        return dict(self.options).get(name, ())


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, list[tuple[str, str]], dict[str, list[str]]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), a.get("method", "get").upper(), [], {}))
            return
        if not self.forms or "disabled" in a:
            return
        _, _, fields, options = self.forms[-1]
        name = a.get("name", "")
        kind = a.get("type", "text")
        if tag == "input" and name and kind not in {"submit", "button", "image", "reset", "file"}:
            if kind in {"checkbox", "radio"}:
                options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            else:
                fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            options.setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a:
                fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            fields = self.forms[-1][2]
            name, text = fields[-1]
            fields[-1] = (name, text + data)


def harvest(pages: Iterable[tuple[str, str]], adapter: MapAdapter) -> dict[str, Baseline]:
    """From (url, html) pages: for each "POST <rule>" the first form posting to it."""
    found: dict[str, Baseline] = {}
    for url, html in pages:
        parser = _FormParser()
        parser.feed(html)
        for action, method, fields, options in parser.forms:
            if method != "POST":
                continue
            path = urlsplit(action).path or urlsplit(url).path
            try:
                rule, _ = adapter.match(path, method="POST", return_rule=True)
            except HTTPException:
                continue
            sent = tuple((name, value) for name, value in fields if name != "csrf_token")
            choices = tuple((name, tuple(values)) for name, values in options.items())
            found.setdefault(f"POST {rule.rule}", Baseline(sent, choices))
    return found
