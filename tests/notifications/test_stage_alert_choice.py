"""The subscribe and preferences forms: alerts on changes of stage, off unless ticked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.notifications import tokens
from campaign.notifications.models import Subscription
from tests.notifications.helpers import subscriber
from tests.support.auth import csrf_from

VALID = {
    "email": "ana@example.org",
    "frequency": "weekly",
    "alerts": "followed",
    "states": ["BRA"],
    "locale": "en",
}


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={**data, "csrf_token": csrf_from(client, path)})


def _subscription(email: str) -> Subscription:
    db.session.expire_all()
    return db.session.scalars(select(Subscription).filter_by(email=email)).one()


def test_subscribing_leaves_stage_alerts_off_unless_ticked(client: FlaskClient) -> None:
    page = client.get("/subscriptions/").get_data(as_text=True)
    assert 'name="is_alerted_on_stages"' in page and "road to ratification" in page
    assert _post(client, "/subscriptions/", VALID).status_code == 302
    assert not _subscription("ana@example.org").is_alerted_on_stages
    ticked = {**VALID, "email": "ben@example.org", "is_alerted_on_stages": "y"}
    assert _post(client, "/subscriptions/", ticked).status_code == 302
    assert _subscription("ben@example.org").is_alerted_on_stages


@pytest.mark.parametrize("value", ["y", "on", "1", "yes"])
def test_the_preferences_page_sets_and_clears_stage_alerts(client: FlaskClient, value: str) -> None:
    found = subscriber("cleo@example.org", follows=["BRA"])
    db.session.commit()
    path = f"/subscriptions/preferences/{tokens.make_token(tokens.PREFERENCES, found.id)}"
    values = {"frequency": "monthly", "alerts": "followed", "states": ["BRA"], "locale": "en"}
    assert _post(client, path, {**values, "is_alerted_on_stages": value}).status_code == 302
    assert _subscription("cleo@example.org").is_alerted_on_stages
    assert "checked" in _box(client.get(path).get_data(as_text=True))
    assert _post(client, path, values).status_code == 302  # unticked: the box is not sent
    assert not _subscription("cleo@example.org").is_alerted_on_stages
    assert "checked" not in _box(client.get(path).get_data(as_text=True))


def _box(page: str) -> str:
    match = re.search(r'<input[^>]*name="is_alerted_on_stages"[^>]*>', page)
    assert match is not None
    return match.group(0)
