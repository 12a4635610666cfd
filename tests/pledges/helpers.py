"""Helpers for the pledge tests: valid forms, signing through the client, reading rows back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from campaign.core.addresses import normalise_email
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.pledges import services, tokens
from campaign.pledges.models import Pledge, PledgeCounter
from tests.factories import state
from tests.support.auth import csrf_from
from tests.support.mail import write_deferred

INDIVIDUAL = {
    "name": "Amina Yusuf",
    "email": "amina.yusuf@example.org",
    "country": "MEX",
    "message": "For my sister, who works in Monterrey.",
    "is_public": "y",
    "accept_privacy": "y",
}
ORGANISATION = {
    "organisation_name": "Kafa'a Migrant Rights",
    "organisation_kind": "ngo",
    "country": "LBN",
    "website": "https://kafaa.example.org",
    "name": "Rana Haddad",
    "email": "rana@kafaa.example.org",
    "contact_role": "Director",
    "message": "We support ratification by every state.",
    "is_public": "y",
    "accept_privacy": "y",
}
FORMS = {"individual": INDIVIDUAL, "organisation": ORGANISATION}
CHECK_EMAIL = "/pledge/check-your-email"
CONFIRM_LINK = re.compile(r"/pledge/confirm/([\w.\-]+)")
MANAGE_LINK = re.compile(r"/pledge/manage/([\w.\-]+)")


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Frozen at *moment*. (Each request of the test client runs in its own app context, so
    nothing cached in `g`, such as the CSRF token, survives a jump of days.)"""
    with time_machine.travel(moment, tick=False):
        yield


def form_data(kind: str, **changes: str | None) -> dict[str, str]:
    """The valid form for *kind* with *changes*; a change to None leaves the field out."""
    data: dict[str, str | None] = {**FORMS[kind], **changes}
    return {key: value for key, value in data.items() if value is not None}


def sign(
    client: FlaskClient,
    kind: str = "individual",
    *,
    csrf: bool = True,
    ip: str = "127.0.0.1",
    **changes: str | None,
) -> TestResponse:
    """Fill in and send the *kind* form as a browser at *ip* would."""
    data = form_data(kind, **changes)
    if csrf:
        data["csrf_token"] = csrf_from(client, f"/pledge/{kind}")
    return client.post(f"/pledge/{kind}", data=data, environ_overrides={"REMOTE_ADDR": ip})


def post_with_csrf(
    client: FlaskClient, path: str, data: dict[str, str] | None = None, *, page: str | None = None
) -> TestResponse:
    """POST *data* to *path* with the CSRF token from *page* (default: the individual form)."""
    token = csrf_from(client, page or "/pledge/individual")
    return client.post(path, data={"csrf_token": token, **(data or {})})


def pledges() -> list[Pledge]:
    db.session.expire_all()
    return list(db.session.scalars(select(Pledge).order_by(Pledge.id)))


def pledge_by_email(email: str) -> Pledge:
    db.session.expire_all()
    return db.session.scalars(select(Pledge).filter_by(email=email)).one()


def outbox(pledge_id: int | None = None) -> list[OutboundEmail]:
    """Queued mails, oldest first; those for *pledge_id* only, if given."""
    write_deferred()
    db.session.expire_all()
    rows = db.session.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).all()
    if pledge_id is None:
        return list(rows)
    return [row for row in rows if _pledge_id_of(row.idempotency_key) == pledge_id]


def _pledge_id_of(key: str) -> int | None:
    parts = key.split(":")
    return int(parts[1]) if key.startswith("pledge-") and len(parts) > 1 else None


def counted(scope: str, kind: str = "individual") -> int:
    db.session.expire_all()
    counter = db.session.get(PledgeCounter, (scope, kind))
    return counter.online if counter is not None else 0


def confirm_path(pledge_id: int) -> str:
    return f"/pledge/confirm/{tokens.make_token(tokens.CONFIRM, pledge_id)}"


def manage_path(pledge_id: int) -> str:
    return f"/pledge/manage/{tokens.make_token(tokens.MANAGE, pledge_id)}"


def links_in(body: str) -> tuple[str, str]:
    """The confirm and manage paths in a mail body."""
    confirm, manage = CONFIRM_LINK.search(body), MANAGE_LINK.search(body)
    assert confirm and manage, body
    return f"/pledge/confirm/{confirm.group(1)}", f"/pledge/manage/{manage.group(1)}"


def confirm(client: FlaskClient, path: str) -> TestResponse:
    """Open the confirm link and press the button."""
    return post_with_csrf(client, path, page=path)


def signed(
    kind: str = "individual", *, confirmed: bool = True, ip: str | None = None, **fields: Any
) -> Pledge:
    """A pledge made through the services (no client), optionally confirmed; committed.

    No address by default, so no rate limit applies; give *ip* to store its hash. A *country*
    (a State, or None) stands for its id.
    """
    if "country" in fields:
        country = fields.pop("country")
        fields["country_id"] = country.id if country is not None else None
    values: dict[str, Any] = {
        "name": "Amina Yusuf",
        "email": "amina.yusuf@example.org",
        "country_id": state("MEX").id,
        "message": "For my sister.",
        "wants_updates": True,
        **fields,
    }
    if kind == "organisation":
        values.setdefault("organisation_name", "Kafa'a Migrant Rights")
        values.setdefault("organisation_kind", "ngo")
        values.setdefault("contact_role", "Director")
    data = services.PledgeData(kind=kind, **values)
    services.sign_pledge(data=data, ip=ip)
    db.session.commit()
    pledge = pledge_by_email(normalise_email(data.email))
    if confirmed:
        services.confirm_pledge(pledge=pledge)
        db.session.commit()
    return pledge
