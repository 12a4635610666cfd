"""The subscription pages: subscribe, confirm, preferences and RFC 8058 one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.notifications import tokens
from campaign.notifications.models import Subscription
from tests.notifications.helpers import NOW, outbox_rows, subscriber
from tests.support.auth import csrf_from
from tests.support.rows import count

VALID = {
    "email": "ana@example.org",
    "frequency": "weekly",
    "alerts": "followed",
    "states": ["BRA", "MEX"],
    "locale": "en",
}
PREFERENCES = {"frequency": "monthly", "alerts": "all", "states": ["PHL"], "locale": "ar"}
LONG = "a" * 243 + "@example.org"  # 255 characters


def _post(client: FlaskClient, path: str, data: dict[str, Any], *, csrf: bool = True) -> Any:
    values = dict(data)
    if csrf:
        values["csrf_token"] = csrf_from(client, path)
    return client.post(path, data=values)


def _preferences_path(subscription: Subscription) -> str:
    return f"/subscriptions/preferences/{tokens.make_token(tokens.PREFERENCES, subscription.id)}"


def _unsubscribe_path(subscription: Subscription) -> str:
    return f"/subscriptions/unsubscribe/{tokens.make_token(tokens.PREFERENCES, subscription.id)}"


def _reload(subscription: Subscription) -> Subscription:
    db.session.expire_all()
    found = db.session.get(Subscription, subscription.id)
    assert found is not None
    return found


def test_subscribe_confirm_and_reach_preferences(client: FlaskClient) -> None:
    page = client.get("/subscriptions/")
    assert page.status_code == 200 and "Follow the campaign" in page.get_data(as_text=True)
    response = _post(client, "/subscriptions/", VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/subscriptions/check-your-email")
    [subscription] = db.session.scalars(select(Subscription)).all()
    assert sorted(s.iso3 for s in subscription.states) == ["BRA", "MEX"]
    confirm = f"/subscriptions/confirm/{tokens.make_token(tokens.CONFIRM, subscription.id)}"
    assert client.get(confirm).status_code == 200
    assert _reload(subscription).confirmed_at is None  # a GET (a link scanner) confirms nothing
    done = _post(client, confirm, {})
    assert done.status_code == 200 and "Subscription confirmed" in done.get_data(as_text=True)
    assert _reload(subscription).is_mailable
    assert client.get(_preferences_path(subscription)).status_code == 200


def test_the_page_offers_the_browser_language(client: FlaskClient) -> None:
    page = client.get("/subscriptions/", headers={"Accept-Language": "fr-CH, fr;q=0.9"})
    assert '<option selected value="fr">' in page.get_data(as_text=True)


def test_the_honeypot_writes_nothing(client: FlaskClient) -> None:
    response = _post(client, "/subscriptions/", {**VALID, "homepage": "http://spam.example"})
    assert response.status_code == 302
    assert count(Subscription) == 0 and count(OutboundEmail) == 0


def test_duplicate_submissions_make_one_subscription_and_one_mail(client: FlaskClient) -> None:
    for _ in range(4):
        assert _post(client, "/subscriptions/", VALID).status_code == 302
    assert count(Subscription) == 1
    assert len(outbox_rows("subscription-confirm:")) == 1


SUBSCRIBE_BAD = [
    ({"email": ""}, "Please give your email address."),
    ({"email": LONG}, "at most 254 characters"),
    ({"email": "ana.example.org"}, "Please give a valid email address."),
    ({"email": "ana@example.org\r\nBcc: eve@example.org"}, "line breaks"),
    ({"email": "=HYPERLINK(1)@example.org"}, "Please start with a letter or a digit."),
    ({"email": "<script>alert(1)</script>@example.org"}, "the characters &lt; and &gt;"),
    ({"email": "ana\u202e@example.org"}, "direction-control characters"),
    ({"email": "😀@example.org"}, "Please give a valid email address."),
    ({"frequency": "daily"}, "Not a valid choice"),
    ({"alerts": "<script>"}, "Not a valid choice"),
    ({"states": ["XXX"]}, "not a valid choice"),
    ({"states": ["🇧🇷"]}, "not a valid choice"),
    ({"locale": "xx"}, "Not a valid choice"),
    ({"frequency": "none", "alerts": "none"}, "Please choose a digest, or alerts"),
    ({"frequency": "none", "alerts": "followed", "states": []}, "Please choose a digest"),
]


@pytest.mark.parametrize(("changes", "message"), SUBSCRIBE_BAD)
def test_bad_subscriptions_are_refused_with_a_message(
    client: FlaskClient, changes: dict[str, Any], message: str
) -> None:
    response = _post(client, "/subscriptions/", {**VALID, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(Subscription) == 0 and count(OutboundEmail) == 0


def test_subscribing_without_the_csrf_token_is_refused(client: FlaskClient) -> None:
    response = _post(client, "/subscriptions/", VALID, csrf=False)
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert count(Subscription) == 0


def test_preferences_are_saved_from_the_signed_link(client: FlaskClient) -> None:
    subscription = subscriber("ana@example.org", follows=["BRA"])
    db.session.commit()
    path = _preferences_path(subscription)
    assert '<option selected value="BRA">' in client.get(path).get_data(as_text=True)
    for _ in range(2):  # a double submission saves the same thing twice
        response = _post(client, path, {**PREFERENCES, "action": "save"})
        assert response.status_code == 302
    saved = _reload(subscription)
    assert (saved.frequency, saved.alerts, saved.locale) == ("monthly", "all", "ar")
    assert [s.iso3 for s in saved.states] == ["PHL"]
    assert _post(client, path, {"action": "unsubscribe"}).status_code == 302
    assert _reload(subscription).unsubscribed_at is not None


PREFERENCES_BAD = [
    ({"frequency": "hourly"}, "Not a valid choice"),
    ({"alerts": ""}, "Please choose which alerts you want."),
    ({"states": ["BRA\r\nX"]}, "not a valid choice"),
    ({"locale": "<b>"}, "Not a valid choice"),
    ({"locale": "e" * 500}, "Not a valid choice"),
    ({"frequency": "😀"}, "Not a valid choice"),
    ({"states": ["\u202eBRA"]}, "not a valid choice"),
]


@pytest.mark.parametrize(("changes", "message"), PREFERENCES_BAD)
def test_bad_preferences_change_nothing(
    client: FlaskClient, changes: dict[str, Any], message: str
) -> None:
    subscription = subscriber("ana@example.org", follows=["BRA"], frequency="weekly")
    db.session.commit()
    response = _post(client, _preferences_path(subscription), {**PREFERENCES, **changes})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    saved = _reload(subscription)
    assert (saved.frequency, [s.iso3 for s in saved.states]) == ("weekly", ["BRA"])


def _tampered(token: str) -> list[str]:
    return [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        token + "x",
        "x" * 1000,
        "not-a-token",
        tokens.make_token(tokens.CONFIRM, 1),  # another purpose's token
        token.replace(".", "\u202e.", 1),
    ]


@pytest.mark.parametrize("case", range(6))
def test_tampered_links_are_not_found_and_change_nothing(client: FlaskClient, case: int) -> None:
    subscription = subscriber("ana@example.org", frequency="weekly")
    db.session.commit()
    bad = _tampered(tokens.make_token(tokens.PREFERENCES, subscription.id))[case]
    for method, path in [
        ("GET", f"/subscriptions/preferences/{bad}"),
        ("GET", f"/subscriptions/unsubscribe/{bad}"),
        ("POST", f"/subscriptions/unsubscribe/{bad}"),
    ]:
        response = client.open(path, method=method, data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 404, (method, path)
        assert "This link is not valid" in response.get_data(as_text=True)
    assert _reload(subscription).is_mailable


@pytest.mark.parametrize("case", range(5))
def test_tampered_confirmation_links_confirm_nothing(client: FlaskClient, case: int) -> None:
    subscription = subscriber("ana@example.org", confirmed=False)
    db.session.commit()
    token = tokens.make_token(tokens.CONFIRM, subscription.id)
    bad = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        token + "x",
        "x" * 1000,
        tokens.make_token(tokens.PREFERENCES, subscription.id),  # another purpose's token
        token.replace(".", "😀.", 1),
    ][case]
    path = f"/subscriptions/confirm/{bad}"
    assert client.get(path).status_code == 404
    response = client.post(path, data={"csrf_token": csrf_from(client, "/subscriptions/")})
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)
    assert _reload(subscription).confirmed_at is None


def test_a_confirmation_link_expires_after_a_week(app: Flask, client: FlaskClient) -> None:
    subscription = subscriber("ana@example.org", confirmed=False)
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        path = f"/subscriptions/confirm/{tokens.make_token(tokens.CONFIRM, subscription.id)}"
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        assert client.get(path).status_code == 410
        response = client.post(path, data={"csrf_token": csrf_from(client, "/subscriptions/")})
    assert response.status_code == 410
    assert _reload(subscription).confirmed_at is None


def test_confirming_without_the_csrf_token_is_refused(client: FlaskClient) -> None:
    subscription = subscriber("ana@example.org", confirmed=False)
    db.session.commit()
    path = f"/subscriptions/confirm/{tokens.make_token(tokens.CONFIRM, subscription.id)}"
    assert client.post(path).status_code == 400
    assert client.post(path.replace("confirm", "preferences")).status_code == 400
    assert _reload(subscription).confirmed_at is None


def test_one_click_unsubscribe_needs_no_cookie_and_a_get_never_unsubscribes(app: Flask) -> None:
    subscription = subscriber("ana@example.org")
    db.session.commit()
    path = _unsubscribe_path(subscription)
    browser = app.test_client(use_cookies=False)
    page = browser.get(path)
    assert page.status_code == 200 and "Press the button" in page.get_data(as_text=True)
    assert _reload(subscription).unsubscribed_at is None
    # What a mail provider sends (RFC 8058 section 3.2): a bare POST, no cookie, no CSRF token.
    response = browser.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and "You are unsubscribed" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    first = _reload(subscription).unsubscribed_at
    assert first is not None
    assert browser.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert _reload(subscription).unsubscribed_at == first  # twice is harmless
    assert "is unsubscribed already" in browser.get(path).get_data(as_text=True)


def test_a_deleted_subscription_link_is_not_found(client: FlaskClient) -> None:
    subscription = subscriber("ana@example.org")
    db.session.commit()
    path = _preferences_path(subscription)
    db.session.delete(subscription)
    db.session.commit()
    assert client.get(path).status_code == 404
    assert client.post(path.replace("preferences", "unsubscribe")).status_code == 404


def test_subscribing_is_rate_limited(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SUBSCRIBE_RATE_LIMIT", "2 per minute")
    codes = [
        _post(client, "/subscriptions/", {**VALID, "email": f"a{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert count(Subscription) == 2
