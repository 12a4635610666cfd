"""The outbox page for coordinators: lists by status, retries a failed or bounced message."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.core.jobs import DISPATCH_DIGEST, SEND_EMAIL
from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail
from campaign.notifications.models import Digest
from tests.notifications.helpers import NOW, subscriber
from tests.support.auth import csrf_from, log_in, make_user


def _message(key: str, status: str, to: str = "ana@example.org") -> OutboundEmail:
    message = outbox.queue_email(key=key, to=to, subject=f"Subject {key}", text="Body")
    assert message is not None
    message.status, message.attempts, message.last_error = status, 3, f"SMTP 550: {key}"
    db.session.commit()
    return message


def _reload(message: OutboundEmail) -> OutboundEmail:
    db.session.expire_all()
    found = db.session.get(OutboundEmail, message.id)
    assert found is not None
    return found


@pytest.mark.parametrize(("role", "code"), [(None, 302), ("partner", 403), ("admin", 200)])
def test_only_coordinators_and_admins_see_the_outbox(
    client: FlaskClient, role: str | None, code: int
) -> None:
    if role:
        log_in(client, make_user(role, f"{role}@example.org"))
    assert client.get("/admin/outbox").status_code == code


def test_the_outbox_lists_and_filters_by_status(coordinator: FlaskClient) -> None:
    _message("failed:1", "failed")
    _message("sent:1", "sent", to="bob@example.org")
    page = coordinator.get("/admin/outbox").get_data(as_text=True)
    assert "failed:1" in page and "sent:1" in page and "SMTP 550: failed:1" in page
    failed = coordinator.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "failed:1" in failed and "sent:1" not in failed
    odd = coordinator.get("/admin/outbox?status=<script>&page=x")
    assert odd.status_code == 200 and "<script>" not in odd.get_data(as_text=True)


def test_retrying_a_bounce_queues_it_again_and_mails_the_address_again(
    coordinator: FlaskClient, published_jobs: list[Any]
) -> None:
    subscription = subscriber("ana@example.org", bounced_at=NOW)
    message = _message("bounced:1", "bounced")
    token = csrf_from(coordinator, "/admin/outbox")
    response = coordinator.post(f"/admin/outbox/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    retried = _reload(message)
    assert (retried.status, retried.attempts) == ("queued", 0)
    assert (SEND_EMAIL, (message.id,)) in published_jobs
    db.session.refresh(subscription)
    assert subscription.is_mailable
    event = db.session.scalars(select(AuditEvent).filter_by(action="outbox.retried")).one()
    assert event.entity_id == message.id and event.before == {
        "status": "bounced",
        "last_error": "SMTP 550: bounced:1",
    }


@pytest.mark.parametrize(
    ("status", "csrf", "path", "code"),
    [
        ("failed", False, "/admin/outbox/{id}/retry", 400),
        ("sent", True, "/admin/outbox/{id}/retry", 409),
        ("sending", True, "/admin/outbox/{id}/retry", 409),
        ("failed", True, "/admin/outbox/999999/retry", 404),
        ("failed", True, "/admin/outbox/-1/retry", 404),
        ("failed", True, "/admin/outbox/1e3/retry", 404),
        ("failed", True, "/admin/outbox/digests/999999/resume", 404),
    ],
)
def test_bad_retries_change_nothing(
    coordinator: FlaskClient, status: str, csrf: bool, path: str, code: int
) -> None:
    message = _message("m:1", status)
    data = {"csrf_token": csrf_from(coordinator, "/admin/outbox")} if csrf else {}
    response = coordinator.post(path.format(id=message.id), data=data)
    assert response.status_code == code
    assert response.get_data(as_text=True).strip()  # a page with a message
    assert _reload(message).status == status
    assert db.session.scalars(select(AuditEvent).filter_by(action="outbox.retried")).all() == []


def test_a_paused_digest_is_resumed(coordinator: FlaskClient, published_jobs: list[Any]) -> None:
    digest = Digest(
        kind="weekly",
        starts_on=NOW.date(),
        since_on=NOW.date(),
        content={"period": "Week of 26 October 2026"},
        paused_at=NOW,
        pause_reason="12 of 20 sends in a chunk failed",
    )
    db.session.add(digest)
    db.session.commit()
    page = coordinator.get("/admin/outbox").get_data(as_text=True)
    assert "12 of 20 sends in a chunk failed" in page
    token = csrf_from(coordinator, "/admin/outbox")
    response = coordinator.post(
        f"/admin/outbox/digests/{digest.id}/resume", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.refresh(digest)
    assert digest.paused_at is None
    assert (DISPATCH_DIGEST, (digest.id,)) in published_jobs
    again = coordinator.post(
        f"/admin/outbox/digests/{digest.id}/resume", data={"csrf_token": token}
    )
    assert again.status_code == 404  # not paused any more
