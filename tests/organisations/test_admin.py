"""Coordinators manage organisations, seats and partnerships; admins read the audit log."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import (
    OrganisationFactory,
    OutreachTaskFactory,
    PartnershipFactory,
    SteeringMembershipFactory,
    state,
)
from tests.support.auth import csrf_from, log_in, make_user
from tests.support.rows import count


def _org(name: str) -> Organisation | None:
    db.session.expire_all()
    return db.session.scalars(select(Organisation).filter_by(name=name)).first()


VALID = {
    "name": "Kafa'a Migrant Rights",
    "kind": "ngo",
    "country": "LBN",
    "website": "https://kafaa.example.org",
    "contact_name": "Rana",
    "contact_email": "Rana@Example.org",
    "notes": "Met at the Beirut forum <3",
}


def test_create_and_edit_organisation(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/organisations/new")
    response = coordinator.post("/admin/organisations/new", data={"csrf_token": token, **VALID})
    assert response.status_code == 302
    created = _org(VALID["name"])
    assert created is not None and created.country is not None
    assert (created.country.iso3, created.contact_email) == ("LBN", "rana@example.org")
    path = f"/admin/organisations/{created.id}/edit"
    token = csrf_from(coordinator, path)
    edited = {**VALID, "kind": "trade_union", "country": ""}
    assert coordinator.post(path, data={"csrf_token": token, **edited}).status_code == 302
    updated = _org(VALID["name"])
    assert updated is not None and (updated.kind, updated.country_id) == ("trade_union", None)
    actions = db.session.scalars(
        select(AuditEvent.action).filter_by(entity_type="organisation", entity_id=created.id)
    ).all()
    assert actions == ["organisation.created", "organisation.updated"]


BAD = [
    ({"name": ""}, "Give the name"),
    ({"name": "N" * 201}, "longer than 200"),
    ({"name": "=cmd|' /C calc'!A0"}, "start with a letter"),
    ({"name": "<script>alert(1)</script>"}, "&lt; and &gt;"),
    ({"name": "Line\r\nBreak"}, "line breaks"),
    ({"name": "Human Rights Watch"}, "exists already"),
    ({"name": "human rights watch"}, "exists already"),
    ({"kind": "bank"}, "Not a valid choice"),
    ({"country": "ATL"}, "Not a valid choice"),
    ({"website": "javascript:alert(1)"}, "full address"),
    ({"contact_email": "not-an-email"}, "valid email"),
    ({"contact_email": "a@example.org\r\nBcc: b@example.org"}, "line breaks"),
]


@pytest.mark.parametrize(("values", "message"), BAD)
def test_bad_organisations_write_nothing(
    coordinator: FlaskClient, values: dict[str, str], message: str
) -> None:
    before = count(Organisation), count(AuditEvent)
    token = csrf_from(coordinator, "/admin/organisations/new")
    response = coordinator.post(
        "/admin/organisations/new", data={"csrf_token": token, **VALID, **values}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert (count(Organisation), count(AuditEvent)) == before


def test_rtl_and_astral_names_are_accepted_and_escaped(coordinator: FlaskClient) -> None:
    token = csrf_from(coordinator, "/admin/organisations/new")
    name = "רשת העובדים המהגרים 𝔘 🌍"
    response = coordinator.post(
        "/admin/organisations/new", data={"csrf_token": token, **VALID, "name": name}
    )
    assert response.status_code == 302
    page = coordinator.get("/admin/organisations").get_data(as_text=True)
    assert name in page
    created = _org(name)
    assert created is not None
    detail = coordinator.get(f"/admin/organisations/{created.id}").get_data(as_text=True)
    assert "Met at the Beirut forum &lt;3" in detail


def test_missing_csrf_writes_nothing(coordinator: FlaskClient) -> None:
    before = count(Organisation)
    assert coordinator.post("/admin/organisations/new", data=VALID).status_code == 400
    assert count(Organisation) == before


def test_steering_seat_and_partnerships(coordinator: FlaskClient) -> None:
    organisation = OrganisationFactory(name="Solidarity Center")
    db.session.commit()
    path = f"/admin/organisations/{organisation.id}"
    token = csrf_from(coordinator, path)
    assert (
        coordinator.post(
            f"{path}/steering",
            data={"csrf_token": token, "role": "Co-chair", "since_on": "2024-05-01"},
        ).status_code
        == 302
    )
    assert (
        coordinator.post(
            f"{path}/partnerships", data={"csrf_token": token, "state": "PHL", "role": "lead"}
        ).status_code
        == 302
    )
    again = coordinator.post(
        f"{path}/partnerships", data={"csrf_token": token, "state": "PHL", "role": "lead"}
    )
    assert again.status_code == 302
    refreshed = _org("Solidarity Center")
    assert refreshed is not None and refreshed.steering_membership is not None
    assert refreshed.steering_membership.role == "Co-chair"
    assert [(p.state.iso3, p.role) for p in refreshed.partnerships] == [("PHL", "lead")]
    assert (
        coordinator.post(
            f"{path}/partnerships", data={"csrf_token": token, "state": "PHL", "role": "end"}
        ).status_code
        == 302
    )
    assert (
        coordinator.post(
            f"{path}/steering", data={"csrf_token": token, "role": "", "since_on": ""}
        ).status_code
        == 302
    )
    refreshed = _org("Solidarity Center")
    assert refreshed is not None and refreshed.partnerships == []
    assert refreshed.steering_membership is None
    for data in ({"state": "ATL", "role": "lead"}, {"state": "PHL", "role": "boss"}, {}):
        bad = coordinator.post(f"{path}/partnerships", data={"csrf_token": token, **data})
        assert bad.status_code == 400
    assert (
        coordinator.post(f"{path}/steering", data={"csrf_token": token, "role": "=1+1"}).status_code
        == 400
    )
    assert _org("Solidarity Center").partnerships == []  # type: ignore[union-attr]


def test_merge_moves_everything_and_keeps_the_duplicate_marked(coordinator: FlaskClient) -> None:
    keep = OrganisationFactory(name="Migrante International")
    duplicate = OrganisationFactory(name="Migrante Intl.")
    PartnershipFactory(organisation=keep, state=state("PHL"), role="lead")
    PartnershipFactory(organisation=duplicate, state=state("PHL"), role="member")
    PartnershipFactory(organisation=duplicate, state=state("IDN"), role="member")
    SteeringMembershipFactory(organisation=duplicate, role="member", since_on=None)
    OutreachTaskFactory(state=state("IDN"), organisation=duplicate, kind="letter", title="Write")
    db.session.commit()
    partner = make_user("partner", "p@example.org", organisation=duplicate)
    path = f"/admin/organisations/{keep.id}"
    token = csrf_from(coordinator, path)
    response = coordinator.post(
        f"{path}/merge", data={"csrf_token": token, "duplicate": str(duplicate.id), "confirm": "y"}
    )
    assert response.status_code == 302
    kept, merged = _org("Migrante International"), _org("Migrante Intl.")
    assert kept is not None and merged is not None
    assert sorted((p.state.iso3, p.role) for p in kept.partnerships) == [
        ("IDN", "member"),
        ("PHL", "lead"),
    ]
    assert kept.steering_membership is not None and merged.merged_into_id == kept.id
    assert db.session.get(type(partner), partner.id).organisation_id == kept.id  # type: ignore[union-attr]
    assert db.session.scalars(select(OutreachTask.organisation_id)).all() == [kept.id]
    assert "Migrante Intl." not in coordinator.get("/admin/organisations").get_data(as_text=True)
    again = coordinator.post(
        f"{path}/merge", data={"csrf_token": token, "duplicate": str(duplicate.id), "confirm": "y"}
    )
    assert again.status_code == 400


def test_merge_needs_confirmation(coordinator: FlaskClient) -> None:
    a, b = OrganisationFactory(name="A org"), OrganisationFactory(name="B org")
    db.session.commit()
    token = csrf_from(coordinator, f"/admin/organisations/{a.id}")
    response = coordinator.post(
        f"/admin/organisations/{a.id}/merge", data={"csrf_token": token, "duplicate": str(b.id)}
    )
    assert response.status_code == 400 and "Tick to confirm" in response.get_data(as_text=True)
    assert _org("B org").merged_into_id is None  # type: ignore[union-attr]


def test_audit_log_is_for_admins_and_filters(app: Flask, client: FlaskClient) -> None:
    coordinator = make_user("coordinator")
    log_in(client, coordinator)
    assert client.get("/admin/audit").status_code == 403
    client.post("/account/logout", data={"csrf_token": csrf_from(client, "/admin/")})
    admin = make_user("admin")
    log_in(client, admin)
    token = csrf_from(client, "/admin/organisations/new")
    client.post("/admin/organisations/new", data={"csrf_token": token, **VALID})
    page = client.get("/admin/audit?action=organisation.&actor=admin@").get_data(as_text=True)
    assert "organisation.created" in page and "admin@example.org" in page
    assert "organisation.created" not in client.get("/admin/audit?action=state.").get_data(
        as_text=True
    )
    for query in (
        "since=garbage",
        "until=2026-99-99",
        "action=%25",
        "page=-1",
        "actor=" + "x" * 500,
    ):
        assert client.get(f"/admin/audit?{query}").status_code == 200
