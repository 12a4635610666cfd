"""Invitations: invite by email, the mailed link, choosing a password, re-sending, refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts.invitations import invite_user, resend_invitation
from campaign.accounts.models import User
from campaign.accounts.services import InvalidAccount, authenticate
from campaign.db import utcnow
from campaign.errors import NotPermitted
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.organisations.models import Organisation
from tests.accounts.helpers import (
    NEW_PASSWORD,
    audit_trail,
    count,
    link_path,
    logged_in_home,
    mails,
    post,
    set_password,
    user_by_email,
)
from tests.factories import OrganisationFactory
from tests.support.auth import log_in, make_user

INVITE = "/admin/users/invite"
NewClient = Callable[[], FlaskClient]


def _organisation(name: str = "Kafa'a Migrant Rights") -> Organisation:
    organisation = OrganisationFactory(name=name)
    db.session.commit()
    return organisation


def _invite(client: FlaskClient, **fields: str) -> tuple[int, str]:
    data = {"email": "new@example.org", "name": "", "role": "coordinator", "organisation": ""}
    response = post(client, INVITE, {**data, **fields})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "home"), [("partner", "/partner/"), ("coordinator", "/admin/")])
def test_invitation_journey(
    coordinator: FlaskClient, new_client: NewClient, role: str, home: str
) -> None:
    organisation = _organisation()
    org = str(organisation.id) if role == "partner" else ""
    status, _ = _invite(
        coordinator, email=" Mira@Example.org ", name="Mira", role=role, organisation=org
    )
    assert status == 302
    user = user_by_email("mira@example.org")
    assert user is not None and user.password_hash is None and user.is_active
    assert (user.role, user.organisation_id) == (role, organisation.id if org else None)
    [message] = mails(f"invite:{user.id}:")
    assert (message.idempotency_key, message.to_address) == (f"invite:{user.id}:1", user.email)
    assert "Choose your password" in (message.body_html or "")
    path = link_path(message)

    invitee = new_client()
    page = invitee.get(path)
    assert page.status_code == 200 and "mira@example.org" in page.get_data(as_text=True)
    response = set_password(invitee, path)
    assert (response.status_code, response.location) == (302, home)
    assert logged_in_home(invitee) == home
    db.session.expire_all()
    assert authenticate(email="mira@example.org", password=NEW_PASSWORD) is not None
    assert [action for action, _, _ in audit_trail(user.id)] == [
        "user.invited",
        "user.invitation_accepted",
    ]
    assert invitee.get(path).status_code == 410  # the link is spent


def test_admin_invites_an_admin_and_the_mail_names_the_inviter(
    app: Flask, client: FlaskClient
) -> None:
    admin = make_user("admin", "admin@example.org")
    admin.name = "Ada"
    db.session.commit()
    log_in(client, admin)
    assert _invite(client, email="second@example.org", role="admin")[0] == 302
    invited = user_by_email("second@example.org")
    assert invited is not None and invited.role == "admin"
    [message] = mails(f"invite:{invited.id}:")
    assert "Ada has invited you" in message.body_text


def test_coordinator_cannot_invite_an_admin(app: Flask, coordinator: FlaskClient) -> None:
    page = coordinator.get(INVITE).get_data(as_text=True)
    assert 'value="admin"' not in page
    status, body = _invite(coordinator, role="admin")
    assert status == 400 and "Not a valid choice" in body
    assert user_by_email("new@example.org") is None
    coordinator_user = user_by_email("coordinator@example.org")
    with pytest.raises(NotPermitted):
        invite_user(actor=coordinator_user, email="x@example.org", role="admin")


def test_partners_cannot_invite(app: Flask, client: FlaskClient) -> None:
    log_in(client, make_user("partner"))
    assert client.get(INVITE).status_code == 403
    with pytest.raises(NotPermitted):
        invite_user(
            actor=user_by_email("partner@example.org"), email="x@example.org", role="partner"
        )


def test_merged_organisation_is_refused(app: Flask, coordinator: FlaskClient) -> None:
    keep, duplicate = _organisation("Keep"), _organisation("Duplicate")
    duplicate.merged_into_id = keep.id
    db.session.commit()
    status, body = _invite(coordinator, role="partner", organisation=str(duplicate.id))
    assert status == 400 and "Not a valid choice" in body
    with pytest.raises(InvalidAccount, match="merged"):
        invite_user(
            actor=user_by_email("coordinator@example.org"),
            email="x@example.org",
            role="partner",
            organisation_id=duplicate.id,
        )
    assert user_by_email("x@example.org") is None


def test_an_existing_email_is_a_clear_error(app: Flask, coordinator: FlaskClient) -> None:
    make_user("partner", "taken@example.org")
    before = count(OutboundEmail)
    status, body = _invite(coordinator, email="TAKEN@example.org")
    assert status == 400
    assert "A user with the email taken@example.org already exists." in body
    assert count(OutboundEmail) == before


def test_duplicate_submission_invites_once_and_offers_to_resend(
    app: Flask, coordinator: FlaskClient
) -> None:
    assert _invite(coordinator)[0] == 302
    status, body = _invite(coordinator)
    assert status == 400
    assert "new@example.org is already invited and has not chosen a password yet." in body
    assert "Send the invitation again" in body
    user = user_by_email("new@example.org")
    assert user is not None and len(mails(f"invite:{user.id}:")) == 1
    assert count(User) == 2


def test_reinviting_resends_a_working_link_after_a_pause(
    coordinator: FlaskClient, new_client: NewClient
) -> None:
    assert _invite(coordinator)[0] == 302
    user = user_by_email("new@example.org")
    assert user is not None
    resend = f"/admin/users/{user.id}/reinvite"
    response = post(coordinator, resend, {}, form_path=INVITE)
    assert response.status_code == 302
    assert "wait a few minutes" in coordinator.get(INVITE).get_data(as_text=True)
    assert len(mails(f"invite:{user.id}:")) == 1  # a double click is one mail

    with time_machine.travel(utcnow() + dt.timedelta(minutes=3)):
        assert post(coordinator, resend, {}, form_path=INVITE).status_code == 302
        first, second = mails(f"invite:{user.id}:")
        assert second.idempotency_key == f"invite:{user.id}:2"
        assert link_path(second) != link_path(first)
        assert set_password(new_client(), link_path(second)).status_code == 302
        assert new_client().get(link_path(first)).status_code == 410
        # Still in travelled time: the coordinator's session cookie was signed in it.
        refused = post(coordinator, resend, {}, form_path=INVITE)
        assert refused.status_code == 400
        assert "already chosen a password" in refused.get_data(as_text=True)
    assert [action for action, _, _ in audit_trail(user.id)] == [
        "user.invited",
        "user.invitation_resent",
        "user.invitation_accepted",
    ]


def test_coordinator_cannot_resend_an_admins_invitation(
    app: Flask, coordinator: FlaskClient
) -> None:
    admin = make_user("admin", "boss@example.org")
    pending = invite_user(actor=admin, email="pending-admin@example.org", role="admin")
    db.session.commit()
    response = post(coordinator, f"/admin/users/{pending.id}/reinvite", {}, form_path=INVITE)
    assert response.status_code == 403
    assert len(mails(f"invite:{pending.id}:")) == 1
    with pytest.raises(NotPermitted):
        resend_invitation(actor=user_by_email("coordinator@example.org"), user=pending)


def _bad_invites() -> list[tuple[dict[str, str], str]]:
    return [
        ({"email": ""}, "Give the email address."),
        ({"email": "   "}, "Give the email address."),
        ({"email": "a" * 250 + "@example.org"}, "at most 254 characters"),
        ({"email": "not-an-email"}, "Give a valid email address."),
        ({"email": "two@@example.org"}, "Give a valid email address."),
        ({"email": "a@example.org\r\nBcc: b@example.org"}, "line breaks"),
        ({"email": "a@example.org\nBcc: b@example.org"}, "line breaks"),
        ({"email": "<script>alert(1)</script>@example.org"}, "&lt; and &gt;"),
        ({"email": "=cmd|' /C calc'!A0@example.org"}, "start with a letter"),
        ({"email": "\u202eevil@example.org"}, "direction-control"),
        ({"email": "𝔘𝔫𝔦@example.org"}, "plain (ASCII) letters"),
        ({"name": "N" * 201}, "at most 200 characters"),
        ({"name": "Mira\r\nBcc: b@example.org"}, "line breaks"),
        ({"name": '=HYPERLINK("http://evil.example")'}, "start with a letter"),
        ({"name": "+1+cmd"}, "start with a letter"),
        ({"name": "@SUM(A1)"}, "start with a letter"),
        ({"name": "<script>alert(1)</script>"}, "&lt; and &gt;"),
        ({"name": "Mira\u202e"}, "direction-control"),
        ({"name": "Mira\x00"}, "control characters"),
        ({"role": ""}, "Choose a role."),
        ({"role": "superuser"}, "Not a valid choice"),
        ({"role": "partner"}, "Choose the partner&#39;s organisation."),
        ({"role": "partner", "organisation": "999999"}, "Not a valid choice"),
        ({"role": "partner", "organisation": "1 OR 1=1"}, "Not a valid choice"),
    ]


@pytest.mark.parametrize(("fields", "message"), _bad_invites())
def test_bad_invitations_are_refused_with_a_message_and_nothing_written(
    app: Flask, coordinator: FlaskClient, fields: dict[str, str], message: str
) -> None:
    users, outbox = count(User), count(OutboundEmail)
    status, body = _invite(coordinator, **fields)
    assert status == 400
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert (count(User), count(OutboundEmail)) == (users, outbox)


def test_invitation_without_csrf_token_is_refused(app: Flask, coordinator: FlaskClient) -> None:
    coordinator.get(INVITE)
    response = coordinator.post(INVITE, data={"email": "new@example.org", "role": "coordinator"})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert user_by_email("new@example.org") is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("مريم الحسيني", "مريم الحسيني"),
        ("שרה כהן", "שרה כהן"),
        ("𝔐𝔦𝔯𝔞 🌍 Ŵörkér", "𝔐𝔦𝔯𝔞 🌍 Ŵörkér"),
        ('Ana "Nita" O\'Brien & Co', "Ana &#34;Nita&#34; O&#39;Brien &amp; Co"),
    ],
)
def test_unusual_names_are_kept_and_shown_escaped(
    client: FlaskClient, new_client: NewClient, name: str, shown: str
) -> None:
    log_in(client, make_user("admin", "admin@example.org"))
    assert _invite(client, name=name)[0] == 302
    user = user_by_email("new@example.org")
    assert user is not None and user.name == name
    assert shown in client.get("/admin/users").get_data(as_text=True)
    [message] = mails(f"invite:{user.id}:")
    assert f"Hello {name}," in message.body_text
    assert f"Hello {shown}," in (message.body_html or "")
    page = new_client().get(link_path(message)).get_data(as_text=True)
    assert shown in page


def test_an_invitation_accepted_in_spanish_keeps_spanish_for_mail(
    coordinator: FlaskClient, new_client: NewClient
) -> None:
    status, _ = _invite(coordinator, email="lucia@example.org", name="Lucía", role="coordinator")
    assert status == 302
    user = user_by_email("lucia@example.org")
    assert user is not None and user.locale == "en"
    [message] = mails(f"invite:{user.id}:")
    response = set_password(new_client(), "/es" + link_path(message))
    assert response.status_code == 302 and response.location.startswith("/es/")
    db.session.expire_all()
    assert user_by_email("lucia@example.org").locale == "es"  # type: ignore[union-attr]
