"""Signed account links: expired, tampered, foreign and wrong-purpose links change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from campaign.accounts import tokens
from campaign.accounts.invitations import invite_user
from campaign.accounts.models import User
from campaign.db import utcnow
from campaign.extensions import db
from tests.accounts.helpers import NEW_PASSWORD, link_path, mails, post, user_by_email
from tests.support.auth import make_user

NewClient = Callable[[], FlaskClient]


@pytest.fixture
def invited(app: Flask) -> User:
    admin = make_user("admin", "admin@example.org")
    user = invite_user(actor=admin, email="invited@example.org", role="coordinator")
    db.session.commit()
    return user


def _token(path: str) -> str:
    return path.rsplit("/", 1)[1]


def _unchanged(email: str, password_hash: str | None) -> bool:
    user = user_by_email(email)
    return user is not None and user.password_hash == password_hash


def _try(client: FlaskClient, path: str) -> tuple[int, int]:
    """GET the page, then POST a good new password to it (CSRF token from another page)."""
    shown = client.get(path).status_code
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return shown, post(client, path, data, form_path="/account/forgot-password").status_code


def test_round_trip_and_purpose_separation(app: Flask) -> None:
    with app.test_request_context():
        token = tokens.make_token(tokens.INVITE, 7, "abc")
        assert tokens.read_token(tokens.INVITE, token) == tokens.TokenCheck(7, "abc")
        assert tokens.read_token(tokens.RESET, token) is None
        with pytest.raises(ValueError, match="purpose"):
            tokens.make_token("pledge-confirm", 7, "abc")


@pytest.mark.parametrize(
    "payload",
    [
        {"u": "7", "f": "abc"},
        {"u": 7},
        {"u": 7, "f": 1},
        {"u": True, "f": "abc"},
        [7, "abc"],
        "7",
        None,
    ],
)
def test_well_signed_payloads_of_the_wrong_shape_are_refused(app: Flask, payload: object) -> None:
    with app.test_request_context():
        forged = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=tokens.RESET).dumps(payload)
        assert tokens.read_token(tokens.RESET, forged) is None


def test_a_token_signed_with_another_key_is_refused(app: Flask) -> None:
    with app.test_request_context():
        forged = URLSafeTimedSerializer("not-our-key", salt=tokens.RESET).dumps({"u": 1, "f": "x"})
        assert tokens.read_token(tokens.RESET, forged) is None


def test_an_invitation_link_does_not_reset_and_a_reset_link_does_not_invite(
    app: Flask, invited: User, client: FlaskClient
) -> None:
    invitation = link_path(mails(f"invite:{invited.id}:")[0])
    assert _try(client, "/account/reset/" + _token(invitation)) == (404, 404)
    make_user("coordinator", "ada@example.org")
    post(client, "/account/forgot-password", {"email": "ada@example.org"})
    ada = user_by_email("ada@example.org")
    assert ada is not None
    reset = link_path(mails(f"password-reset:{ada.id}:")[0])
    assert _try(client, "/account/invitation/" + _token(reset)) == (404, 404)
    assert _unchanged("invited@example.org", None)
    assert _unchanged("ada@example.org", ada.password_hash)


def _tampered(token: str) -> list[str]:
    payload, stamp, signature = token.split(".")
    flip = "A" if signature[0] != "A" else "B"
    return [
        f"{payload}.{stamp}.{flip}{signature[1:]}",
        f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}.{stamp}.{signature}",
        f"{payload}.{stamp}",
        token + "x",
        "x" * 600,
        "not-a-token",
    ]


def test_tampered_links_are_not_found_and_change_nothing(
    app: Flask, invited: User, client: FlaskClient
) -> None:
    token = _token(link_path(mails(f"invite:{invited.id}:")[0]))
    for bad in _tampered(token):
        assert _try(client, f"/account/invitation/{bad}") == (404, 404), bad
    assert _unchanged("invited@example.org", None)
    assert client.get("/admin/").status_code == 302


def test_expired_invitation_is_gone_and_changes_nothing(
    app: Flask, invited: User, new_client: NewClient
) -> None:
    path = link_path(mails(f"invite:{invited.id}:")[0])
    with time_machine.travel(utcnow() + dt.timedelta(days=7, minutes=-1)):
        assert new_client().get(path).status_code == 200
    with time_machine.travel(utcnow() + dt.timedelta(days=7, minutes=1)):
        client = new_client()
        response = client.get(path)
        assert response.status_code == 410
        assert "Invitation links work for seven days" in response.get_data(as_text=True)
        assert _try(client, path) == (410, 410)
        assert client.get("/admin/").status_code == 302
    assert _unchanged("invited@example.org", None)


def test_expired_reset_link_is_gone_and_changes_nothing(
    app: Flask, client: FlaskClient, new_client: NewClient
) -> None:
    user = make_user("coordinator", "ada@example.org")
    post(client, "/account/forgot-password", {"email": "ada@example.org"})
    path = link_path(mails(f"password-reset:{user.id}:")[0])
    with time_machine.travel(utcnow() + dt.timedelta(minutes=61)):
        fresh = new_client()
        response = fresh.get(path)
        assert response.status_code == 410
        assert "Ask for a new link" in response.get_data(as_text=True)
        assert _try(fresh, path) == (410, 410)
    assert _unchanged("ada@example.org", user.password_hash)


def test_a_deactivated_users_link_no_longer_works(invited: User, client: FlaskClient) -> None:
    path = link_path(mails(f"invite:{invited.id}:")[0])
    invited.is_active = False
    db.session.commit()
    assert _try(client, path) == (410, 410)
    assert _unchanged("invited@example.org", None)
