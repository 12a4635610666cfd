"""Every notification mail, in every language it exists in, against its stored snapshot.

After a deliberate change to a template, run with UPDATE_SNAPSHOTS=1 and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask

from campaign.mail import compose
from campaign.notifications import messages, tokens
from campaign.notifications.models import Subscription
from tests.notifications.helpers import NOW

SNAPSHOTS = Path(__file__).parent / "snapshots"
TEMPLATES = Path(__file__).parents[2] / "templates" / "mail"
TASK = {
    "title": "Briefing for the Senate committee on migration",
    "kind": "Parliamentary briefing",
    "state": "Brazil",
    "due": "4 December 2026",
}
MIGRANTS_DAY = {"days": 7, "migrants_day": "18 December 2026"}


def _state_url(iso3: str) -> str:
    return compose.link(f"/states/{iso3}")


def _alert() -> dict[str, Any]:
    return {
        "state_name": "Brazil",
        "act": "signature",
        "effective_on": "1 September 2026",
        "source": "Depositary notification C.N.123.2026.TREATIES-IV.13",
        "source_url": "https://treaties.un.org/doc/Publication/CN/2026/CN.123.2026-Eng.pdf",
        "state_url": _state_url("BRA"),
        "parties": 60,
        "signatories": 11,
    }


def _digest() -> dict[str, Any]:
    return {
        "kind": "weekly",
        "period": "Week of 30 November 2026",
        "changes": [
            {
                "state": "Brazil",
                "headline": "signed",
                "effective_on": "1 December 2026",
                "url": _state_url("BRA"),
            }
        ],
        "parties": 60,
        "signatories": 11,
        "pledges_since": 1234,
        "tasks_done": [
            {"title": "Letter to the minister", "state": "Kenya", "organisation": "KHRC"}
        ],
        "tasks_done_total": 1,
        "migrants_day": "18 December 2026",
        "days_to_migrants_day": 11,
        "states_url": compose.link("/states"),
    }


def _supporter() -> dict[str, Any]:
    signatories = [("Brazil", "BRA"), ("Cambodia", "KHM")]
    return {
        **MIGRANTS_DAY,
        "signatories": [{"name": n, "url": _state_url(iso3)} for n, iso3 in signatories],
    }


CASES: dict[str, tuple[str, Callable[[], dict[str, Any]], dict[str, Any], bool]] = {
    # name: (template, context, subject values, rendered once for many subscribers)
    "alert": ("alert", _alert, {"state": "Brazil", "act": "signature"}, False),
    "digest": ("digest", _digest, {"period": "Week of 30 November 2026"}, True),
    "migrants_day_partner": (
        "migrants_day_partner",
        lambda: {**MIGRANTS_DAY, "tasks": [TASK, {**TASK, "title": "Migrants Day vigil"}]},
        MIGRANTS_DAY,
        False,
    ),
    "migrants_day_supporter": ("migrants_day_supporter", _supporter, MIGRANTS_DAY, True),
    "task_due": ("task_due", lambda: {"task": TASK, "organisation": "Conectas"}, TASK, False),
    "task_overdue": (
        "task_overdue",
        lambda: {"task": TASK, "organisation": "Conectas"},
        TASK,
        False,
    ),
}


def _languages(template: str) -> list[str]:
    translated = [path.parent.name for path in TEMPLATES.glob(f"*/{template}.txt")]
    return ["en", *sorted(translated)]


def _render(name: str, locale: str) -> tuple[str, str, str]:
    template, context, subject_values, shared = CASES[name]
    subscription = Subscription(id=42, email="ana@example.org", locale=locale)
    subject = compose.subject(template, locale, **subject_values)
    if shared:
        bodies = messages.render_shared(template, locale, **context())
        draft = messages.personalise(subscription, "key", subject, bodies)
        assert draft.html is not None
        return subject, draft.text, draft.html
    text, html = compose.render(template, locale, **messages.subscriber_links(42), **context())
    return subject, text, html


def _confirmation(active: bool) -> tuple[str, str, str]:
    token = tokens.make_token(tokens.CONFIRM, 42)
    text, html = compose.render(
        "subscription_confirm",
        "en",
        active=active,
        confirm_url=compose.link(f"/subscriptions/confirm/{token}"),
        **messages.subscriber_links(42),
    )
    subject = compose.subject("subscription_active" if active else "subscription_confirm")
    return subject, text, html


def _check(name: str, rendered: tuple[str, str, str]) -> None:
    subject, text, html = rendered
    expected = {f"{name}.txt": f"Subject: {subject}\n\n{text}\n", f"{name}.html": f"{html}\n"}
    for filename, content in expected.items():
        path = SNAPSHOTS / filename
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            path.write_text(content, encoding="utf-8")
        assert path.exists(), f"no snapshot {filename}: run with UPDATE_SNAPSHOTS=1 and review"
        assert content == path.read_text(encoding="utf-8"), f"{filename} differs from its snapshot"


@pytest.mark.parametrize(
    ("name", "locale"), [(name, locale) for name in CASES for locale in _languages(CASES[name][0])]
)
def test_mail_matches_its_snapshot(app: Flask, name: str, locale: str) -> None:
    with time_machine.travel(NOW, tick=False):
        rendered = _render(name, locale)
    _check(f"{name}.{locale}", rendered)
    if CASES[name][0] != "subscription_confirm":
        assert "/subscriptions/preferences/" in rendered[1] and "@@" not in rendered[1]


@pytest.mark.parametrize("active", [False, True])
def test_confirmation_matches_its_snapshot(app: Flask, active: bool) -> None:
    with time_machine.travel(NOW, tick=False):
        rendered = _confirmation(active)
    _check(f"subscription_{'active' if active else 'confirm'}.en", rendered)


def test_a_language_without_a_catalogue_falls_back_to_english(app: Flask) -> None:
    with time_machine.travel(NOW, tick=False):
        english, german = _render("alert", "en"), _render("alert", "de")
    assert english == german


@pytest.mark.parametrize("locale", ["fr", "ar", "zh", "ru", "es"])
def test_each_language_gets_the_alert_in_its_own_words(app: Flask, locale: str) -> None:
    with time_machine.travel(NOW, tick=False):
        english, translated = _render("alert", "en"), _render("alert", locale)
    assert translated[0] != english[0]  # the subject
    assert translated[1] != english[1]  # the text body
    assert "/subscriptions/preferences/" in translated[1]
