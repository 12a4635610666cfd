"""Moderating organisations' pledges, and who may reach the pledges back office."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from campaign.extensions import db
from campaign.pledges import queries
from campaign.pledges.models import Pledge
from campaign.pledges.moderation import moderate_pledge
from campaign.pledges.services import withdraw_pledge
from tests.admin import audit_events
from tests.pledges.helpers import counted, outbox, pledges, signed, state
from tests.support.auth import csrf_from, log_in, make_user

QUEUE = "/admin/pledges/moderation"


def _organisation(name: str, *, confirmed: bool = True, **fields: Any) -> Pledge:
    email = name.lower().replace(" ", ".") + "@example.org"
    return signed(
        "organisation",
        confirmed=confirmed,
        organisation_name=name,
        email=email,
        country=state("LBN"),
        is_public=True,
        **fields,
    )


def _moderate(client: FlaskClient, pledge_id: int, **data: str) -> Any:
    token = csrf_from(client, QUEUE)
    return client.post(f"/admin/pledges/{pledge_id}/moderate", data={"csrf_token": token, **data})


def test_queue_lists_only_confirmed_pending_organisations(coordinator: FlaskClient) -> None:
    actor = make_user("admin")
    _organisation("Waiting Org")
    _organisation("Unconfirmed Org", confirmed=False)
    withdraw_pledge(pledge=_organisation("Withdrawn Org"))
    moderate_pledge(pledge=_organisation("Approved Org"), approve=True, reason="", actor=actor)
    moderate_pledge(pledge=_organisation("Rejected Org"), approve=False, reason="No", actor=actor)
    db.session.commit()
    signed(name="Individual Person", email="person@example.org")
    page = coordinator.get(QUEUE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Waiting Org" in text
    for absent in ("Unconfirmed", "Withdrawn", "Approved", "Rejected", "Individual Person"):
        assert absent not in text


def test_approving_lists_counts_and_mails_the_outcome(coordinator: FlaskClient) -> None:
    pledge = _organisation("Kafa'a Migrant Rights")
    assert _moderate(coordinator, pledge.id, decision="approve").status_code == 302
    [after] = pledges()
    assert after.moderation == "approved" and after.is_counted
    assert counted("LBN", "organisation") == 1
    assert [p.id for p in queries.approved_organisations()] == [pledge.id]
    [mail] = [m for m in outbox(pledge.id) if "moderation" in m.idempotency_key]
    assert mail.idempotency_key == f"pledge-moderation:{pledge.id}:approved"
    assert "Kafa'a Migrant Rights is approved" in mail.body_text
    assert "Waiting" not in coordinator.get(QUEUE).get_data(as_text=True)
    [event] = audit_events("pledge.approved")
    assert event.entity_id == pledge.id and event.actor_label == "coordinator@example.org"


def test_rejecting_without_a_reason_is_refused(coordinator: FlaskClient) -> None:
    pledge = _organisation("Waiting Org")
    mails = len(outbox())
    for reason in ("", "   "):
        response = _moderate(coordinator, pledge.id, decision="reject", reason=reason)
        assert response.status_code == 400
        assert "Give a reason for rejecting" in response.get_data(as_text=True)
    [after] = pledges()
    assert after.moderation == "pending" and after.moderated_at is None
    assert len(outbox()) == mails and audit_events("pledge.rejected") == []


def test_rejecting_with_a_reason_mails_it(coordinator: FlaskClient) -> None:
    pledge = _organisation("Waiting Org")
    reason = "We could not reach the organisation's office & website."
    assert _moderate(coordinator, pledge.id, decision="reject", reason=reason).status_code == 302
    [after] = pledges()
    assert after.moderation == "rejected" and not after.is_counted
    assert after.moderation_reason == reason
    assert counted("LBN", "organisation") == 0 and queries.approved_organisations() == []
    [mail] = [m for m in outbox(pledge.id) if "moderation" in m.idempotency_key]
    assert mail.idempotency_key == f"pledge-moderation:{pledge.id}:rejected"
    assert reason in mail.body_text
    assert str(escape(reason)) in (mail.body_html or "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "maybe"}, "Not a valid choice"),
        ({"decision": ""}, "Choose approve or reject."),
        ({"decision": "reject", "reason": "Bad\x00reason"}, "control characters"),
        ({"decision": "reject", "reason": "r" * 2001}, "longer than 2000"),
    ],
)
def test_bad_moderation_input_is_refused(
    coordinator: FlaskClient, data: dict[str, str], message: str
) -> None:
    pledge = _organisation("Waiting Org")
    response = _moderate(coordinator, pledge.id, **data)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert pledges()[0].moderation == "pending"


def test_moderating_without_csrf_or_the_wrong_pledge_is_refused(coordinator: FlaskClient) -> None:
    pledge = _organisation("Waiting Org")
    person = signed(email="person@example.org")
    response = coordinator.post(
        f"/admin/pledges/{pledge.id}/moderate", data={"decision": "approve"}
    )
    assert response.status_code == 400
    assert _moderate(coordinator, person.id, decision="approve").status_code == 404
    assert _moderate(coordinator, 987654, decision="approve").status_code == 404
    assert pledges()[0].moderation == "pending" and audit_events("pledge.approved") == []


COORDINATOR_PAGES = [QUEUE, "/admin/pledges/export.csv", "/admin/pledges/counts"]


@pytest.mark.parametrize("path", [*COORDINATOR_PAGES, "/admin/settings"])
def test_access_by_role(role_client: tuple[str, FlaskClient], path: str) -> None:
    role, client = role_client
    response = client.get(path)
    allowed = role == "admin" or (role == "coordinator" and path in COORDINATOR_PAGES)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login")
    else:
        assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("partner", 403)])
def test_others_cannot_moderate(client: FlaskClient, role: str, status: int) -> None:
    if role != "anonymous":
        log_in(client, make_user(role))
    pledge = _organisation("Waiting Org")
    token = csrf_from(client, "/pledge/individual")
    response = client.post(
        f"/admin/pledges/{pledge.id}/moderate", data={"csrf_token": token, "decision": "approve"}
    )
    assert response.status_code == status
    assert pledges()[0].moderation == "pending" and audit_events("pledge.approved") == []
