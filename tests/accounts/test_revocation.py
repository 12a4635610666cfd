"""A stolen session cookie dies: replayed after logout, deactivation (and reactivation), a role
change, a password change or "log out everywhere", it opens nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts import services
from campaign.accounts.models import User
from campaign.extensions import db
from tests.accounts.helpers import logged_in_home, post
from tests.conftest import isolated_client
from tests.factories import OrganisationFactory
from tests.support.auth import csrf_from, log_in, make_user


def _stolen(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, value: str) -> FlaskClient:
    thief = isolated_client(app)
    thief.set_cookie("session", value)
    return thief


@pytest.fixture
def member(app: Flask) -> User:
    return make_user("coordinator", "member@example.org")


@pytest.fixture
def victim(app: Flask, member: User, fresh_limits: None) -> FlaskClient:
    client = isolated_client(app)
    log_in(client, member)
    assert logged_in_home(client) == "/admin/"
    return client


def _fresh(user: User) -> User:
    db.session.expire_all()
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def test_a_cookie_replayed_after_logout_is_refused(app: Flask, victim: FlaskClient) -> None:
    cookie = _stolen(victim)
    other_device = isolated_client(app)
    other_device.set_cookie("session", cookie)
    assert logged_in_home(other_device) == "/admin/"  # the thief's copy works until logout
    assert post(victim, "/account/logout", {}, form_path="/admin/").status_code == 302
    assert logged_in_home(victim) is None
    assert logged_in_home(_replay(app, cookie)) is None
    assert logged_in_home(other_device) is None  # logout ends every session of the user


def _deactivate_and_reactivate(admin: User, member: User) -> None:
    services.set_active(actor=admin, user=_fresh(member), active=False)
    db.session.commit()
    services.set_active(actor=admin, user=_fresh(member), active=True)
    db.session.commit()


def _role_change(admin: User, member: User) -> None:
    organisation = OrganisationFactory()
    services.change_role(
        actor=admin, user=_fresh(member), role="partner", organisation_id=organisation.id
    )
    db.session.commit()


def _password_change(admin: User, member: User) -> None:
    services.set_password(
        user=_fresh(member), password="a brand new passphrase 2026", purpose="reset"
    )
    db.session.commit()


CHANGES: dict[str, Callable[[User, User], None]] = {
    "deactivated and reactivated": _deactivate_and_reactivate,
    "role changed": _role_change,
    "password changed": _password_change,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_to_the_account_ends_its_sessions(
    app: Flask, victim: FlaskClient, member: User, change: Callable[[User, User], None]
) -> None:
    cookie = _stolen(victim)
    admin = make_user("admin", "admin@example.org")
    change(admin, member)
    assert logged_in_home(victim) is None
    assert logged_in_home(_replay(app, cookie)) is None


def test_log_out_everywhere_ends_the_other_sessions_and_keeps_this_one(
    app: Flask, victim: FlaskClient, member: User
) -> None:
    laptop = isolated_client(app)
    log_in(laptop, member)
    stolen = _stolen(laptop)
    page = victim.get("/account/")
    assert page.status_code == 200 and "member@example.org" in page.get_data(as_text=True)
    response = post(victim, "/account/logout-everywhere", {}, form_path="/account/")
    assert response.status_code == 302 and response.location.endswith("/account/")
    assert logged_in_home(victim) == "/admin/"
    assert logged_in_home(laptop) is None
    assert logged_in_home(_replay(app, stolen)) is None


def test_log_out_everywhere_needs_the_form_token(
    app: Flask, victim: FlaskClient, member: User
) -> None:
    generation = _fresh(member).session_generation
    assert victim.post("/account/logout-everywhere").status_code == 400
    assert victim.post("/account/logout-everywhere", data={"csrf_token": "x"}).status_code == 400
    assert _fresh(member).session_generation == generation
    assert logged_in_home(victim) == "/admin/"


def test_the_account_page_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/account/")
    assert response.status_code == 302 and "/account/login" in response.location
    token = csrf_from(client, "/account/login")
    response = client.post("/account/logout-everywhere", data={"csrf_token": token})
    assert response.status_code == 302 and "/account/login" in response.location


def test_a_forged_session_generation_does_not_log_in(
    app: Flask, victim: FlaskClient, member: User
) -> None:
    with victim.session_transaction() as session:
        session["_user_id"] = f"{member.id}:{'0' * 16}"
    assert logged_in_home(victim) is None
