"""Forgotten passwords: one answer for every address, rate limits, links that work once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts.services import authenticate
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from tests.accounts.helpers import (
    NEW_PASSWORD,
    audit_trail,
    count,
    link_path,
    logged_in_home,
    mails,
    post,
    set_password,
)
from tests.support.auth import PASSWORD, csrf_from, log_in, make_user

FORGOT = "/account/forgot-password"
SENT = "/account/forgot-password/sent"
NewClient = Callable[[], FlaskClient]


def _forgot(client: FlaskClient, email: str) -> tuple[int, str | None, str]:
    response = post(client, FORGOT, {"email": email})
    return response.status_code, response.location, response.get_data(as_text=True)


def _password_works(email: str, password: str) -> bool:
    db.session.expire_all()
    return authenticate(email=email, password=password) is not None


def test_reset_journey(app: Flask, client: FlaskClient) -> None:
    user = make_user("coordinator", "ada@example.org")
    assert client.get("/account/login").get_data(as_text=True).count(FORGOT) == 1
    assert _forgot(client, "  ADA@example.org ")[:2] == (302, SENT)
    assert "Check your email" in client.get(SENT).get_data(as_text=True)
    [message] = mails(f"password-reset:{user.id}:")
    assert (message.idempotency_key, message.to_address) == (
        f"password-reset:{user.id}:1",
        "ada@example.org",
    )
    path = link_path(message)
    assert path.startswith("/account/reset/")
    assert client.get(path).status_code == 200
    assert _password_works("ada@example.org", PASSWORD)  # a GET changes nothing

    response = set_password(client, path)
    assert (response.status_code, response.location) == (302, "/admin/")
    assert logged_in_home(client) == "/admin/"
    assert _password_works("ada@example.org", NEW_PASSWORD)
    assert not _password_works("ada@example.org", PASSWORD)
    assert audit_trail(user.id) == [
        ("user.password_reset", {"has_password": True}, {"has_password": True})
    ]


def test_the_reset_link_dies_once_used(app: Flask, client: FlaskClient) -> None:
    user = make_user("admin", "ada@example.org")
    _forgot(client, "ada@example.org")
    path = link_path(mails(f"password-reset:{user.id}:")[0])
    assert set_password(client, path).status_code == 302
    assert client.get(path).status_code == 410
    token = csrf_from(client, FORGOT)
    replay = client.post(
        path, data={"csrf_token": token, "password": "y" * 12, "confirm": "y" * 12}
    )
    assert replay.status_code == 410
    assert _password_works("ada@example.org", NEW_PASSWORD)


def test_every_older_link_dies_when_the_password_changes(
    app: Flask, client: FlaskClient, new_client: NewClient
) -> None:
    user = make_user("admin", "ada@example.org")
    _forgot(client, "ada@example.org")
    with time_machine.travel(utcnow() + dt.timedelta(minutes=3)):
        _forgot(new_client(), "ada@example.org")
        first, second = (link_path(m) for m in mails(f"password-reset:{user.id}:"))
        assert set_password(new_client(), second).status_code == 302
        assert new_client().get(first).status_code == 410


def test_a_reset_ends_every_other_session(
    app: Flask, client: FlaskClient, new_client: NewClient
) -> None:
    user = make_user("admin", "ada@example.org")
    log_in(client, user)  # perhaps the person who stole the password
    assert logged_in_home(client) == "/admin/"
    owner = new_client()
    _forgot(owner, "ada@example.org")
    assert set_password(owner, link_path(mails(f"password-reset:{user.id}:")[0])).status_code == 302
    assert logged_in_home(owner) == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/account/login")


def test_unknown_and_known_addresses_get_the_same_answer(app: Flask, client: FlaskClient) -> None:
    make_user("coordinator", "known@example.org")
    gone = make_user("coordinator", "gone@example.org")
    gone.is_active = False
    db.session.commit()
    before = count(OutboundEmail)
    answers = {
        _forgot(client, email)
        for email in ("nobody@example.org", "gone@example.org", "known@example.org")
    }
    assert len(answers) == 1  # status, location and body alike
    assert answers.pop()[:2] == (302, SENT)
    assert count(OutboundEmail) == before + 1  # only the active, known user gets a mail
    assert len(mails("password-reset:")) == 1


def test_a_double_submission_sends_one_mail(app: Flask, client: FlaskClient) -> None:
    user = make_user("coordinator", "ada@example.org")
    assert [_forgot(client, "ada@example.org")[:2] for _ in range(3)] == [(302, SENT)] * 3
    assert len(mails(f"password-reset:{user.id}:")) == 1


def test_requests_are_limited_per_address_whether_or_not_it_exists(
    app: Flask, client: FlaskClient
) -> None:
    for email in ("nobody@example.org", "NOBODY@example.org ", *["nobody@example.org"] * 3):
        assert _forgot(client, email)[0] == 302
    status, _, body = _forgot(client, "nobody@example.org")
    assert status == 429 and "Too many attempts" in body
    assert _forgot(client, "someone-else@example.org")[0] == 302
    assert client.get(FORGOT).status_code == 200  # only POSTs count


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Give the email address."),
        ("   ", "Give the email address."),
        ("a" * 250 + "@example.org", "at most 254 characters"),
        ("not-an-email", "Give a valid email address."),
        ("known@example.org\r\nBcc: victim@example.org", "line breaks"),
        ("known@example.org\nBcc: victim@example.org", "line breaks"),
        ("<script>alert(1)</script>@example.org", "&lt; and &gt;"),
        ("=cmd|' /C calc'!A0@example.org", "start with a letter"),
        ("\u202eknown@example.org", "direction-control"),
        ("known\x00@example.org", "control characters"),
    ],
)
def test_bad_reset_requests_are_refused_and_mail_nothing(
    app: Flask, client: FlaskClient, email: str, message: str
) -> None:
    make_user("coordinator", "known@example.org")
    before = count(OutboundEmail)
    status, _, body = _forgot(client, email)
    assert status == 400 and message in body
    assert "<script>alert(1)</script>" not in body
    assert count(OutboundEmail) == before


def test_reset_request_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    make_user("coordinator", "known@example.org")
    client.get(FORGOT)
    response = client.post(FORGOT, data={"email": "known@example.org"})
    assert response.status_code == 400 and "form expired" in response.get_data(as_text=True)
    assert mails("password-reset:") == []


LONG = "p" * 1025


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("", "", "Choose a password."),
        (" " * 12, " " * 12, "Choose a password."),
        ("short", "short", "at least 10 characters"),
        ("123456789", "123456789", "at least 10 characters"),
        (LONG, LONG, "at most 1024 characters"),
        (NEW_PASSWORD, "", "Type the password again."),
        (NEW_PASSWORD, NEW_PASSWORD + " ", "The two passwords do not match."),
        (NEW_PASSWORD, "something else entirely", "The two passwords do not match."),
    ],
)
def test_bad_new_passwords_are_refused_and_the_link_still_works(
    app: Flask, client: FlaskClient, password: str, confirm: str, message: str
) -> None:
    user = make_user("coordinator", "ada@example.org")
    _forgot(client, "ada@example.org")
    path = link_path(mails(f"password-reset:{user.id}:")[0])
    response = post(client, path, {"password": password, "confirm": confirm})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body
    assert password not in body or not password.strip()  # never echoed back
    assert _password_works("ada@example.org", PASSWORD)
    assert audit_trail(user.id) == []
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "password",
    ["p" * 1024, "𝔘𝔫𝔦 𝔘𝔫𝔦 𝔘𝔫𝔦 𝔘𝔫𝔦", "كلمة سر طويلة جدا", "=cmd|' /C calc'!A0 <script>"],
)
def test_any_characters_make_a_password(app: Flask, client: FlaskClient, password: str) -> None:
    user = make_user("coordinator", "ada@example.org")
    _forgot(client, "ada@example.org")
    path = link_path(mails(f"password-reset:{user.id}:")[0])
    assert set_password(client, path, password).status_code == 302
    assert _password_works("ada@example.org", password)


def test_new_password_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    user = make_user("coordinator", "ada@example.org")
    _forgot(client, "ada@example.org")
    path = link_path(mails(f"password-reset:{user.id}:")[0])
    client.get(path)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "form expired" in response.get_data(as_text=True)
    assert _password_works("ada@example.org", PASSWORD)
    assert client.get(path).status_code == 200
