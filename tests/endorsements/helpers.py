"""Helpers for the endorsement tests: the valid form, signing through the client, rows back."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign.endorsements import tokens
from campaign.endorsements.models import Endorsement
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from tests.support.auth import csrf_from
from tests.support.mail import write_deferred

OFFICIAL = {
    "name": "Lucía Hernández",
    "office": "Member of Parliament",
    "institution": "Chamber of Deputies",
    "state": "MEX",
    "party": "Partido Ejemplo",
    "statement": "I will work for ratification in the Chamber.",
    "proof_url": "https://diputados.example.org/members/lucia-hernandez",
    "email": "lucia.hernandez@example.org",
    "accept_privacy": "y",
}
FORM = "/pledge/official"
CHECK_EMAIL = "/endorsement/check-your-email"
CONFIRM_LINK = re.compile(r"/endorsement/confirm/([\w.\-]+)")
MANAGE_LINK = re.compile(r"/endorsement/manage/([\w.\-]+)")


def sign(
    client: FlaskClient, *, csrf: bool = True, ip: str = "127.0.0.1", **changes: str | None
) -> TestResponse:
    """Fill in and send the official's form as a browser at *ip* would; a change to None
    leaves the field out."""
    data = {key: value for key, value in {**OFFICIAL, **changes}.items() if value is not None}
    if csrf:
        data["csrf_token"] = csrf_from(client, FORM)
    return client.post(FORM, data=data, environ_overrides={"REMOTE_ADDR": ip})


def endorsements() -> list[Endorsement]:
    db.session.expire_all()
    return list(db.session.scalars(select(Endorsement).order_by(Endorsement.id)))


def mails() -> list[OutboundEmail]:
    """The endorsements' mails in the outbox, oldest first, their bodies written."""
    write_deferred()
    db.session.expire_all()
    query = select(OutboundEmail).where(OutboundEmail.idempotency_key.like("endorsement-%"))
    return list(db.session.scalars(query.order_by(OutboundEmail.id)))


def outbox_size() -> int:
    return int(db.session.scalar(select(func.count()).select_from(OutboundEmail)) or 0)


def confirm_path(endorsement_id: int) -> str:
    return f"/endorsement/confirm/{tokens.make_token(tokens.CONFIRM, endorsement_id)}"


def manage_path(endorsement_id: int) -> str:
    return f"/endorsement/manage/{tokens.make_token(tokens.MANAGE, endorsement_id)}"


def links_in(body: str) -> tuple[str, str]:
    confirm, manage = CONFIRM_LINK.search(body), MANAGE_LINK.search(body)
    assert confirm and manage, body
    return f"/endorsement/confirm/{confirm.group(1)}", f"/endorsement/manage/{manage.group(1)}"


def post_with_csrf(
    client: FlaskClient, path: str, data: dict[str, str] | None = None
) -> TestResponse:
    token = csrf_from(client, FORM)
    return client.post(path, data={"csrf_token": token, **(data or {})})
