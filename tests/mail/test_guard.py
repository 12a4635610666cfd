"""The public forms cannot be turned on strangers: one client mails at most
`mail_limit_new_addresses` new addresses an hour; beyond it everything is stored, the mails are
held by client for a coordinator to release or discard, and coordinators get one alert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from campaign.core.jobs import SEND_EMAIL
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import guard
from campaign.mail.models import OutboundEmail
from campaign.pledges.models import Pledge
from campaign.settings.services import set_setting
from tests.accounts.helpers import post
from tests.conftest import isolated_client
from tests.pledges.helpers import (
    CHECK_EMAIL,
    confirm,
    confirm_path,
    counted,
    pledge_by_email,
    sign,
    signed,
)
from tests.support.auth import csrf_from, make_user

VENUE = "203.0.113.50"


@pytest.fixture
def generous_pledge_limits(app: Flask, fresh_limits: None) -> None:
    """The pledge limits out of the way: what is tested is the limit on new addresses."""
    admin = make_user("admin", "limits-admin@example.org")
    set_setting(key="pledge_limit_burst", value="1000 per minute", actor=admin)
    set_setting(key="pledge_limit_sustained", value="1000 per day", actor=admin)
    db.session.commit()


def _rows(prefix: str, status: str | None = None) -> list[OutboundEmail]:
    query = select(OutboundEmail).where(OutboundEmail.idempotency_key.like(f"{prefix}%"))
    if status:
        query = query.where(OutboundEmail.status == status)
    db.session.expire_all()
    return list(db.session.scalars(query))


def _flood(client: FlaskClient, count: int, ip: str = VENUE, start: int = 0) -> list[int]:
    answers = []
    for number in range(start, start + count):
        response = sign(client, ip=ip, email=f"stranger{number}@example.net", name=f"S {number}")
        answers.append(response.status_code)
        assert response.location.endswith(CHECK_EMAIL)
    return answers


def test_a_flood_of_30_addresses_stores_30_pledges_and_mails_at_most_20(
    app: Flask, client: FlaskClient, generous_pledge_limits: None
) -> None:
    coordinator = make_user("coordinator", "coordinator@example.org")
    assert _flood(client, 30) == [302] * 30  # the visitor always gets the same answer
    pledges = db.session.scalar(select(func.count()).select_from(Pledge))
    assert pledges == 30
    confirmations = _rows("pledge-confirm:")
    assert len(confirmations) == 30
    assert len([row for row in confirmations if row.status == "queued"]) == 20
    held = [row for row in confirmations if row.status == "held"]
    assert len(held) == 10 and len({row.held_for for row in held}) == 1
    alerts = _rows("held-alert:")
    # one alert per coordinator and admin (the fixture made an admin), for this one client
    assert sorted(row.to_address for row in alerts) == [
        coordinator.email,
        "limits-admin@example.org",
    ]
    assert "/admin/outbox/held" in alerts[0].body_text


def test_ipv6_clients_count_per_64(
    app: Flask, client: FlaskClient, generous_pledge_limits: None
) -> None:
    for number in range(25):
        sign(client, ip=f"2001:db8:1:2::{number + 1:x}", email=f"v6-{number}@example.net")
    statuses = [row.status for row in _rows("pledge-confirm:")]
    assert statuses.count("queued") == 20 and statuses.count("held") == 5
    assert guard.client_network("2001:db8:1:2::1") == guard.client_network("2001:db8:1:2:ffff::9")
    assert guard.client_network("::ffff:192.0.2.1") == "192.0.2.1"
    assert guard.client_network("not an address") == "not an address"


def test_other_clients_are_not_held_back(
    app: Flask, client: FlaskClient, generous_pledge_limits: None
) -> None:
    _flood(client, 21)
    sign(isolated_client(app), ip="198.51.100.7", email="neighbour@example.net")
    neighbour = [r for r in _rows("pledge-confirm:") if r.to_address == "neighbour@example.net"]
    assert [row.status for row in neighbour] == ["queued"]


def test_the_limit_is_a_setting_editable_at_run_time(
    app: Flask, client: FlaskClient, generous_pledge_limits: None
) -> None:
    set_setting(key=guard.SETTING, value="3 per hour", actor=make_user("admin", "a2@example.org"))
    db.session.commit()
    _flood(client, 5)
    statuses = [row.status for row in _rows("pledge-confirm:")]
    assert statuses.count("queued") == 3 and statuses.count("held") == 2


def test_a_suspect_pledge_is_never_mailed_before_release(
    app: Flask, client: FlaskClient, fresh_limits: None
) -> None:
    burst = 5  # the default pledge_limit_burst: the sixth pledge a minute is suspect
    _flood(client, burst + 2)
    suspect = db.session.scalars(select(Pledge).where(Pledge.is_suspect.is_(True))).all()
    assert len(suspect) == 2
    rows = {row.to_address: row for row in _rows("pledge-confirm:")}
    assert all(rows[pledge.email].status == "held" for pledge in suspect)


def test_the_same_submission_again_and_again_is_one_pledge_against_the_limits(
    app: Flask, client: FlaskClient, fresh_limits: None
) -> None:
    """A double click or a retrying phone is not a flood: only a new pledge is counted."""
    for _ in range(12):
        sign(client, ip=VENUE, email="twice@example.net")
    pledge = db.session.scalars(select(Pledge)).one()
    assert pledge.is_suspect is False
    assert [row.status for row in _rows("pledge-confirm:")] == ["queued"]


def test_released_suspect_pledges_count_once_confirmed(
    app: Flask, client: FlaskClient, coordinator: FlaskClient, published_jobs: list[Any]
) -> None:
    """Releasing a group is a coordinator's word that its signers are genuine."""
    _flood(isolated_client(app), 7)
    suspects = db.session.scalars(select(Pledge).where(Pledge.is_suspect.is_(True))).all()
    assert len(suspects) == 2
    scope = suspects[0].scope
    group = str(_rows("pledge-confirm:", "held")[0].held_for)
    post(coordinator, f"/admin/outbox/held/{group}/release", {}, "/admin/outbox/held")
    db.session.expire_all()
    assert db.session.scalars(select(Pledge).where(Pledge.is_suspect.is_(True))).all() == []
    before = counted(scope)
    assert confirm(client, confirm_path(suspects[0].id)).status_code == 200
    assert counted(scope) == before + 1


def _resend(client: FlaskClient, pledge_id: int, ip: str = VENUE) -> str:
    """Ask for a fresh confirmation of *pledge_id* from *ip*, its cooldown over; the key of
    the mail that asks for."""
    earlier = utcnow() - dt.timedelta(hours=1)
    db.session.execute(update(Pledge).where(Pledge.id == pledge_id).values(last_mailed_at=earlier))
    db.session.commit()
    link = confirm_path(pledge_id)
    data = {"csrf_token": csrf_from(client, link)}
    resend = link.replace("/confirm/", "/resend/")
    assert client.post(resend, data=data, environ_overrides={"REMOTE_ADDR": ip}).status_code == 302
    return f"pledge-confirm:{pledge_id}:2"


def _individual(client: FlaskClient) -> str:
    sign(client, ip=VENUE, email="one-more@example.net")
    return f"pledge-confirm:{pledge_by_email('one-more@example.net').id}:"


def _organisation(client: FlaskClient) -> str:
    sign(client, "organisation", ip=VENUE, email="rana@kafaa.example.net")
    return f"pledge-confirm:{pledge_by_email('rana@kafaa.example.net').id}:"


def _pledge_resend(client: FlaskClient) -> str:
    # Signed through the services (no client, so nothing screened), then resent from the venue.
    return _resend(client, signed(confirmed=False, email="resend@example.net").id)


def _subscribe(client: FlaskClient) -> str:
    token = csrf_from(client, "/subscriptions/")
    data = {"csrf_token": token, "email": "sub@example.net", "locale": "en"}
    data |= {"frequency": "weekly", "alerts": "followed", "accept_privacy": "y"}
    client.post("/subscriptions/", data=data, environ_overrides={"REMOTE_ADDR": VENUE})
    return "subscription-confirm:"


def _forgot_password(client: FlaskClient) -> str:
    make_user("coordinator", "forgetful@example.org")
    token = csrf_from(client, "/account/forgot-password")
    client.post(
        "/account/forgot-password",
        data={"csrf_token": token, "email": "forgetful@example.org"},
        environ_overrides={"REMOTE_ADDR": VENUE},
    )
    return "password-reset:"


# Every public form that mails an address a visitor typed: what it sends (the key of its mail).
SCREENED: dict[str, Callable[[FlaskClient], str]] = {
    "individual pledge": _individual,
    "organisation pledge": _organisation,
    "pledge resend": _pledge_resend,
    "subscribe": _subscribe,
    "forgot password": _forgot_password,
}


@pytest.mark.parametrize("form", SCREENED)
def test_every_form_that_mails_a_typed_address_is_screened(
    app: Flask, client: FlaskClient, generous_pledge_limits: None, form: str
) -> None:
    set_setting(key=guard.SETTING, value="2 per hour", actor=make_user("admin", "a3@example.org"))
    db.session.commit()
    _flood(client, 2)
    key = SCREENED[form](client)
    assert [row.status for row in _rows(key)] == ["held"]


def test_a_suspect_pledges_resend_is_held_too(
    app: Flask, client: FlaskClient, fresh_limits: None
) -> None:
    """Asked for from a client under every limit (the signer at home): still held."""
    _flood(client, 7)  # beyond the default burst of 5: two suspects
    suspect = db.session.scalars(select(Pledge).where(Pledge.is_suspect.is_(True))).first()
    assert suspect is not None
    _resend(client, suspect.id, ip="198.51.100.20")
    assert [row.status for row in _rows(f"pledge-confirm:{suspect.id}:")] == ["held", "held"]


def test_coordinators_release_a_group_in_one_action(
    app: Flask,
    client: FlaskClient,
    coordinator: FlaskClient,
    generous_pledge_limits: None,
    published_jobs: list[Any],
) -> None:
    _flood(isolated_client(app), 24)
    page = coordinator.get("/admin/outbox/held").get_data(as_text=True)
    held = _rows("pledge-confirm:", "held")
    group = str(held[0].held_for)
    assert f"Client {group}: 4 messages" in page and "stranger20@example.net" in page
    published_jobs.clear()
    response = post(coordinator, f"/admin/outbox/held/{group}/release", {}, "/admin/outbox/held")
    assert response.status_code == 302
    assert _rows("pledge-confirm:", "held") == []
    released = {row.id for row in held}
    assert {args[0] for name, args in published_jobs if name == SEND_EMAIL} == released
    assert "No mail is held." in coordinator.get("/admin/outbox/held").get_data(as_text=True)
    again = post(coordinator, f"/admin/outbox/held/{group}/release", {}, "/admin/outbox/held")
    assert again.status_code == 404  # nothing left: released once


def test_coordinators_discard_a_group(
    app: Flask, client: FlaskClient, coordinator: FlaskClient, generous_pledge_limits: None
) -> None:
    _flood(isolated_client(app), 22)
    group = str(_rows("pledge-confirm:", "held")[0].held_for)
    response = post(coordinator, f"/admin/outbox/held/{group}/discard", {}, "/admin/outbox/held")
    assert response.status_code == 302
    discarded = _rows("pledge-confirm:", "failed")
    assert len(discarded) == 2 and all("discarded" in str(r.last_error) for r in discarded)
    assert db.session.scalar(select(func.count()).select_from(Pledge)) == 22  # pledges kept


@pytest.mark.parametrize(
    "group", ["client-0000000000000000", "x" * 300, "<script>", "..%2f..", "client-%0d%0a"]
)
def test_bad_groups_and_missing_csrf_change_nothing(
    app: Flask,
    client: FlaskClient,
    coordinator: FlaskClient,
    generous_pledge_limits: None,
    group: str,
) -> None:
    _flood(isolated_client(app), 21)
    real = str(_rows("pledge-confirm:", "held")[0].held_for)
    assert coordinator.post(f"/admin/outbox/held/{real}/release").status_code == 400  # no CSRF
    response = post(coordinator, f"/admin/outbox/held/{group}/discard", {}, "/admin/outbox/held")
    assert response.status_code == 404
    assert len(_rows("pledge-confirm:", "held")) == 1
