"""User admin: only admins list users, change roles and deactivate; every change audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from campaign.accounts import services
from campaign.accounts.models import User
from campaign.audit.models import AuditEvent
from campaign.errors import NotPermitted
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.accounts.helpers import audit_trail, count, logged_in_home, post, user_by_email
from tests.factories import OrganisationFactory
from tests.support.auth import csrf_from, log_in, make_user

NewClient = Callable[[], FlaskClient]


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> FlaskClient:
    log_in(client, make_user("admin", "admin@example.org"))
    return client


@pytest.fixture
def member(app: Flask) -> User:
    return make_user("coordinator", "member@example.org")


def _organisation(name: str = "Kafa'a Migrant Rights") -> Organisation:
    organisation = OrganisationFactory(name=name)
    db.session.commit()
    return organisation


def _detail(user: User) -> str:
    return f"/admin/users/{user.id}"


def _change_role(client: FlaskClient, user: User, role: str, organisation: str = "") -> str:
    """POST the role form; the response's status and body as one string to search."""
    data = {"role": role, "organisation": organisation}
    response = post(client, f"{_detail(user)}/role", data, form_path=_detail(user))
    return f"{response.status_code} {response.get_data(as_text=True)}"


ROUTES = [
    ("get", "/admin/users"),
    ("get", "/admin/users/{id}"),
    ("post", "/admin/users/{id}/role"),
    ("post", "/admin/users/{id}/deactivate"),
    ("post", "/admin/users/{id}/reactivate"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
@pytest.mark.parametrize(
    ("role", "expected"), [(None, 302), ("partner", 403), ("coordinator", 403)]
)
def test_only_admins_reach_user_admin(
    client: FlaskClient, member: User, method: str, route: str, role: str | None, expected: int
) -> None:
    if role is not None:
        log_in(client, make_user(role))
    token = csrf_from(client, "/account/login")
    path = route.format(id=member.id)
    data = {"csrf_token": token, "role": "admin", "organisation": ""}
    response = client.get(path) if method == "get" else client.post(path, data=data)
    assert response.status_code == expected
    if expected == 302:
        assert response.location.startswith("/account/login?next=")
    assert "member@example.org" not in response.get_data(as_text=True)
    refreshed = user_by_email("member@example.org")
    assert refreshed is not None and (refreshed.role, refreshed.is_active) == ("coordinator", True)
    assert audit_trail(member.id) == []


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("partner", 403)])
def test_only_coordinators_and_admins_reach_the_invitation_form(
    client: FlaskClient, role: str | None, expected: int
) -> None:
    if role is not None:
        log_in(client, make_user(role))
    assert client.get("/admin/users/invite").status_code == expected


def test_services_refuse_non_admins(app: Flask, member: User) -> None:
    coordinator = make_user("coordinator", "other@example.org")
    with pytest.raises(NotPermitted):
        services.change_role(actor=coordinator, user=member, role="admin", organisation_id=None)
    with pytest.raises(NotPermitted):
        services.set_active(actor=coordinator, user=member, active=False)


def test_admin_lists_users_with_their_status(admin: FlaskClient, member: User) -> None:
    gone = make_user("partner", "gone@example.org")
    gone.is_active = False
    db.session.add(User(email="pending@example.org", role="coordinator", name="Ŵörkér 𝔐𝔦𝔯𝔞"))
    db.session.commit()
    page = admin.get("/admin/users").get_data(as_text=True)
    for text in ("member@example.org", "gone@example.org", "deactivated", "invited", "Ŵörkér 𝔐𝔦𝔯𝔞"):
        assert text in page
    only_partners = admin.get("/admin/users?role=partner").get_data(as_text=True)
    assert "gone@example.org" in only_partners and "member@example.org" not in only_partners
    found = admin.get("/admin/users?q=MEMBER").get_data(as_text=True)
    assert "member@example.org" in found and "gone@example.org" not in found
    assert admin.get("/admin/users/999999").status_code == 404


def test_role_change_is_audited_and_takes_effect_at_once(
    admin: FlaskClient, member: User, new_client: NewClient
) -> None:
    session = new_client()
    log_in(session, member)
    assert logged_in_home(session) == "/admin/"
    organisation = _organisation()
    assert _change_role(admin, member, "partner", str(organisation.id)).startswith("302")
    # The session begun as a coordinator has ended; logging in again, the member is a partner.
    assert logged_in_home(session) is None
    log_in(session, member)
    assert logged_in_home(session) == "/partner/"
    assert session.get("/admin/").status_code == 403
    assert audit_trail(member.id) == [
        (
            "user.role_changed",
            {"role": "coordinator", "organisation_id": None},
            {"role": "partner", "organisation_id": organisation.id},
        )
    ]
    # Back to coordinator: the organisation is dropped with the partner role.
    assert _change_role(admin, member, "coordinator", str(organisation.id)).startswith("302")
    changed = user_by_email("member@example.org")
    assert changed is not None and (changed.role, changed.organisation_id) == ("coordinator", None)
    # The same role again changes and records nothing.
    assert _change_role(admin, member, "coordinator").startswith("302")
    assert len(audit_trail(member.id)) == 2


def test_deactivation_is_audited_and_ends_the_users_session(
    admin: FlaskClient, member: User, new_client: NewClient
) -> None:
    session = new_client()
    log_in(session, member)
    assert logged_in_home(session) == "/admin/"
    deactivate = f"{_detail(member)}/deactivate"
    assert post(admin, deactivate, {}, form_path=_detail(member)).status_code == 302
    assert post(admin, deactivate, {}, form_path=_detail(member)).status_code == 302  # again
    response = session.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/account/login")
    assert "member@example.org is deactivated" in admin.get(_detail(member)).get_data(as_text=True)

    reactivate = f"{_detail(member)}/reactivate"
    assert post(admin, reactivate, {}, form_path=_detail(member)).status_code == 302
    assert audit_trail(member.id) == [
        ("user.deactivated", {"is_active": True}, {"is_active": False}),
        ("user.reactivated", {"is_active": False}, {"is_active": True}),
    ]
    log_in(session, member)
    assert logged_in_home(session) == "/admin/"


def test_an_admin_cannot_demote_or_deactivate_themselves(admin: FlaskClient) -> None:
    me = user_by_email("admin@example.org")
    assert me is not None
    answer = _change_role(admin, me, "coordinator")
    assert answer.startswith("400") and "You cannot give up your own admin role" in answer
    response = post(admin, f"{_detail(me)}/deactivate", {}, form_path=_detail(me))
    assert response.status_code == 400
    assert "You cannot deactivate yourself" in response.get_data(as_text=True)
    assert logged_in_home(admin) == "/admin/"
    assert audit_trail(me.id) == []
    with pytest.raises(services.InvalidAccount):
        services.set_active(actor=me, user=me, active=False)


def test_a_partner_needs_an_organisation_that_was_not_merged(
    admin: FlaskClient, member: User
) -> None:
    keep, duplicate = _organisation("Keep"), _organisation("Duplicate")
    duplicate.merged_into_id = keep.id
    db.session.commit()
    answer = _change_role(admin, member, "partner")
    assert answer.startswith("400") and "Choose the partner&#39;s organisation." in answer
    answer = _change_role(admin, member, "partner", str(duplicate.id))
    assert answer.startswith("400") and "Not a valid choice" in answer
    admin_user = user_by_email("admin@example.org")
    with pytest.raises(services.InvalidAccount, match="merged"):
        services.change_role(
            actor=admin_user, user=member, role="partner", organisation_id=duplicate.id
        )
    db.session.rollback()
    unchanged = user_by_email("member@example.org")
    assert unchanged is not None and unchanged.role == "coordinator"
    assert audit_trail(member.id) == []


@pytest.mark.parametrize(
    ("role", "organisation", "message"),
    [
        ("", "", "Choose a role."),
        ("root", "", "Not a valid choice"),
        ("admin\r\n", "", "Not a valid choice"),
        ("<script>alert(1)</script>", "", "Not a valid choice"),
        ("partner", "abc", "Not a valid choice"),
        ("partner", "=1+1", "Not a valid choice"),
        ("partner", "9" * 30, "Not a valid choice"),
    ],
)
def test_bad_role_changes_are_refused_and_nothing_written(
    admin: FlaskClient, member: User, role: str, organisation: str, message: str
) -> None:
    events = count(AuditEvent)
    answer = _change_role(admin, member, role, organisation)
    assert answer.startswith("400") and message in answer
    assert "<script>alert(1)</script>" not in answer
    assert count(AuditEvent) == events
    unchanged = user_by_email("member@example.org")
    assert unchanged is not None and unchanged.role == "coordinator"


@pytest.mark.parametrize("action", ["role", "deactivate", "reactivate"])
def test_changes_without_csrf_token_are_refused(
    admin: FlaskClient, member: User, action: str
) -> None:
    response = admin.post(f"{_detail(member)}/{action}", data={"role": "partner"})
    assert response.status_code == 400 and "form expired" in response.get_data(as_text=True)
    unchanged = user_by_email("member@example.org")
    assert unchanged is not None and (unchanged.role, unchanged.is_active) == ("coordinator", True)
    assert audit_trail(member.id) == []
