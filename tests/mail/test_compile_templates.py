"""The worker compiles the mail templates before its pool forks (worker/app.py): a child's
first mail finds them in the template cache, compiled once."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from campaign.mail.compose import compile_templates, render


def test_every_mail_template_is_compiled_into_the_cache(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.jinja_env.cache is not None
    app.jinja_env.cache.clear()  # as a fresh process: nothing compiled yet
    count = compile_templates(app)
    names = {name for name in app.jinja_env.list_templates() if name.startswith("mail/")}
    assert count == len(names) and {"mail/digest.html", "mail/pledge_confirm.txt"} <= names

    asked: list[str] = []
    original = app.jinja_env.loader.get_source  # type: ignore[union-attr]

    def recorded(environment: Any, template: str) -> Any:
        asked.append(template)
        return original(environment, template)

    # Rendered from the cache: the loader reads no mail template's source again (it is only
    # asked for the language's own version, which does not exist).
    monkeypatch.setattr(app.jinja_env.loader, "get_source", recorded)
    with app.test_request_context():
        text, html = render("held_alert", "fr", group="203.0.113.0/24", link="/x")
    assert "203.0.113.0/24" in text and "203.0.113.0/24" in html
    assert asked and not set(asked) & names, asked
