"""Helpers for the account tests: links out of the outbox, audit trails, posting forms."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from campaign.accounts.models import User
from campaign.audit.models import AuditEvent
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from tests.support.auth import csrf_from
from tests.support.rows import count as count  # the account tests import it from here

LINK = re.compile(r"https?://[^/\s]+(/account/(?:invitation|reset)/[A-Za-z0-9._-]+)")
NEW_PASSWORD = "a brand new passphrase"


def user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalars(select(User).filter_by(email=email)).first()


def mails(prefix: str) -> list[OutboundEmail]:
    """Outbox rows whose idempotency key starts with *prefix*, oldest first."""
    db.session.expire_all()
    query = select(OutboundEmail).where(OutboundEmail.idempotency_key.startswith(prefix))
    return list(db.session.scalars(query.order_by(OutboundEmail.id)))


def link_path(message: OutboundEmail) -> str:
    """The path of the one set-password link in *message*; the same in both bodies."""
    paths = set(LINK.findall(message.body_text))
    assert len(paths) == 1, message.body_text
    assert paths == set(LINK.findall(message.body_html or "")), message.body_html
    return paths.pop()


def audit_trail(user_id: int) -> list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
    db.session.expire_all()
    query = (
        select(AuditEvent).filter_by(entity_type="user", entity_id=user_id).order_by(AuditEvent.id)
    )
    return [(event.action, event.before, event.after) for event in db.session.scalars(query)]


def post(
    client: FlaskClient, path: str, data: dict[str, str], form_path: str | None = None
) -> TestResponse:
    """POST *data* to *path* with the CSRF token of the form on *form_path* (default *path*)."""
    token = csrf_from(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data})


def set_password(client: FlaskClient, path: str, password: str = NEW_PASSWORD) -> TestResponse:
    return post(client, path, {"password": password, "confirm": password})


def logged_in_home(client: FlaskClient) -> str | None:
    """Which home the client reaches: '/admin/', '/partner/' or None when logged out."""
    for home in ("/admin/", "/partner/"):
        if client.get(home).status_code == 200:
            return home
    return None
