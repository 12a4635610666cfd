"""POST /mail/bounces: a provider's bounce events as JSON, behind a bearer token; a bad
post writes nothing, a retried one counts once, a hard bounce stops every mail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.mail import suppression
from campaign.mail.models import BounceReport, OutboundEmail, Suppression
from campaign.mail.services import queue_email
from campaign.mail.webhook import MAX_EVENTS

TOKEN = "provider-webhook-token-0123456789"
URL = "/mail/bounces"


@pytest.fixture
def webhook(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_BOUNCE_WEBHOOK_TOKEN", TOKEN)


def post(client: FlaskClient, body: Any, token: str | None = TOKEN, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        URL, data=data, headers=headers, content_type=kwargs.get("ctype", "application/json")
    )


def event(email: str = "gone@example.org", kind: str = "hard", id_: str = "evt-1") -> dict:
    return {"id": id_, "email": email, "type": kind, "detail": "550 5.1.1 no such user"}


def written() -> tuple[int, int]:
    reports = db.session.scalar(select(func.count()).select_from(BounceReport))
    entries = db.session.scalar(select(func.count()).select_from(Suppression))
    return int(reports or 0), int(entries or 0)


def test_a_hard_bounce_event_stops_every_mail_to_the_address(
    app: Flask, client: FlaskClient, webhook: None
) -> None:
    response = post(client, {"events": [event("Gone@Example.org")]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"recorded": 1, "seen_before": 0}
    assert suppression.is_suppressed("gone@example.org")
    row = queue_email(
        to="gone@example.org", subject="Please confirm", text="Hello", key="after-webhook:1"
    )
    assert row is not None and row.status == "failed" and row.last_error == suppression.SUPPRESSED


def test_a_retried_delivery_counts_once(app: Flask, client: FlaskClient, webhook: None) -> None:
    body = {"events": [event(kind="soft", id_="evt-7")]}
    assert post(client, body).get_json() == {"recorded": 1, "seen_before": 0}
    assert post(client, body).get_json() == {"recorded": 0, "seen_before": 1}
    assert written() == (1, 1)
    assert not suppression.is_suppressed("gone@example.org")  # one soft bounce of three


def test_soft_bounce_events_reach_the_limit(app: Flask, client: FlaskClient, webhook: None) -> None:
    limit = int(app.config["MAIL_SOFT_BOUNCE_LIMIT"])
    events = [event(kind="soft", id_=f"evt-{n}") for n in range(limit)]
    assert post(client, {"events": events[:-1]}).status_code == 200
    assert not suppression.is_suppressed("gone@example.org")
    assert post(client, {"events": events[-1:]}).status_code == 200
    assert suppression.is_suppressed("gone@example.org")


def test_without_a_configured_token_the_endpoint_does_not_exist(
    app: Flask, client: FlaskClient
) -> None:
    assert not app.config.get("MAIL_BOUNCE_WEBHOOK_TOKEN")
    assert post(client, {"events": [event()]}).status_code == 404
    assert post(client, {"events": [event()]}, token="").status_code == 404
    assert written() == (0, 0)


@pytest.mark.parametrize(
    "token",
    [None, "", "wrong", TOKEN[:-1], TOKEN + "x", f"{TOKEN}\r\nX-Injected: 1", "é" * 40],
    ids=["missing", "empty", "wrong", "short", "long", "crlf", "non-ascii"],
)
def test_a_wrong_token_is_refused(
    app: Flask, client: FlaskClient, webhook: None, token: str | None
) -> None:
    # as the WSGI server hands it over: a client may send what werkzeug's own client refuses
    environ = {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post(URL, json={"events": [event()]}, environ_overrides=environ)
    assert response.status_code == 401
    assert "bearer token" in response.get_json()["error"]
    assert written() == (0, 0)


def test_only_post_is_answered(app: Flask, client: FlaskClient, webhook: None) -> None:
    assert client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


BAD_BODIES: dict[str, tuple[Any, str]] = {
    "empty body": ("", "events"),
    "not json": ("events=1", "events"),
    "truncated json": ('{"events": [', "events"),
    "a list": ([event()], "events"),
    "no events": ({}, "events"),
    "events not a list": ({"events": "gone@example.org"}, "events"),
    "no event": ({"events": []}, "events"),
    "too many events": ({"events": [event(id_=f"e{n}") for n in range(MAX_EVENTS + 1)]}, "1 to"),
    "event not an object": ({"events": ["gone@example.org"]}, "event 1 is not an object"),
    "no id": ({"events": [{"email": "a@example.org", "type": "hard"}]}, "id must"),
    "id a number": ({"events": [{**event(), "id": 7}]}, "id must"),
    "id too long": ({"events": [event(id_="x" * 151)]}, "id must"),
    "id with CR/LF": ({"events": [event(id_="a\r\nb")]}, "id must"),
    "no type": ({"events": [{"id": "a", "email": "a@example.org"}]}, "type must"),
    "unknown type": ({"events": [event(kind="complaint")]}, "type must"),
    "type a list": ({"events": [{**event(), "type": ["hard"]}]}, "type must"),
    "no email": ({"events": [{"id": "a", "type": "hard"}]}, "email must"),
    "email a number": ({"events": [{**event(), "email": 12}]}, "email must"),
    "email too long": ({"events": [event("a" * 250 + "@example.org")]}, "email must"),
    "malformed email": ({"events": [event("not-an-address")]}, "email is not valid"),
    "email with CR/LF": ({"events": [event("a@example.org\r\nBcc: b@example.org")]}, "email"),
    "email a formula": ({"events": [event("=HYPERLINK(1)@example.org")]}, "email"),
    "email a script": ({"events": [event("<script>@example.org")]}, "email is not valid"),
    "detail an object": ({"events": [{**event(), "detail": {"a": 1}}]}, "detail must"),
    # the first event is good: one bad event refuses the whole post
    "second event bad": ({"events": [event(), event("broken", id_="e2")]}, "event 2"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_bad_posts_are_refused_and_write_nothing(
    app: Flask, client: FlaskClient, webhook: None, name: str
) -> None:
    body, message = BAD_BODIES[name]
    response = post(client, body)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert message in response.get_json()["error"]
    assert written() == (0, 0)
    assert not suppression.is_suppressed("gone@example.org")


def test_an_oversized_body_is_refused(app: Flask, client: FlaskClient, webhook: None) -> None:
    body = {"events": [event()], "padding": "x" * 1_000_001}
    assert post(client, body).status_code == 413
    assert written() == (0, 0)


@pytest.mark.parametrize(
    "email", ["مهاجر@example.org", "\U0001f30d@example.org"], ids=["arabic", "astral"]
)
def test_internationalised_addresses_are_recorded(
    app: Flask, client: FlaskClient, webhook: None, email: str
) -> None:
    assert post(client, {"events": [event(email)]}).status_code == 200
    assert suppression.is_suppressed(email)


def test_a_right_to_left_override_in_an_address_is_refused(
    app: Flask, client: FlaskClient, webhook: None
) -> None:
    response = post(client, {"events": [event("\u202egro.elpmaxe@a")]})
    assert response.status_code == 400
    assert "unsafe characters" in response.get_json()["error"]
    assert written() == (0, 0)


def test_a_bounced_address_is_not_mailed_by_the_outbox(
    app: Flask, client: FlaskClient, webhook: None
) -> None:
    post(client, {"events": [event("gone@example.org")]})
    queue_email(to="Gone@example.org", subject="Hello", text="Hello", key="k:1")
    queue_email(to="kept@example.org", subject="Hello", text="Hello", key="k:2")
    rows = db.session.execute(select(OutboundEmail.to_address, OutboundEmail.status))
    statuses = {address: status for address, status in rows}
    assert statuses["kept@example.org"] == "queued"
    assert statuses["Gone@example.org"] == "failed"
