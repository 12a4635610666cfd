"""Helpers for the event tests: a valid form, a partner of Senegal, posting forms, counting."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from campaign.accounts.models import User
from campaign.audit.models import AuditEvent
from campaign.events.models import Event
from campaign.extensions import db
from campaign.organisations.models import Organisation
from tests.factories import OrganisationFactory, PartnershipFactory, state
from tests.support.auth import csrf_from, log_in, make_user

EVENT = {
    "title": "Migrants Day panel in Dakar",
    "kind": "panel",
    "start_on": "2030-12-18",
    "start_time": "18:00",
    "end_on": "2030-12-18",
    "end_time": "20:00",
    "timezone": "Africa/Dakar",
    "city": "Dakar",
    "state": "SEN",
    "online_url": "",
    "language": "fr",
    "description": "A panel on the Convention.\nWith ministers.",
    "contact": "panel@example.org",
    "task": "",
}


def post_event(
    client: FlaskClient, path: str, *, csrf: bool = True, **changes: str | list[str] | None
) -> TestResponse:
    data: dict[str, object] = {
        key: value for key, value in {**EVENT, **changes}.items() if value is not None
    }
    if csrf:
        data["csrf_token"] = csrf_from(client, path)
    return client.post(path, data=data)


def partner_of(client: FlaskClient, *iso3: str, name: str = "Senegal Migrant Network") -> User:
    """Log *client* in as a partner user of an organisation that partners on *iso3*."""
    organisation = OrganisationFactory(name=name)
    for code in iso3:
        PartnershipFactory(organisation=organisation, state=state(code))
    db.session.commit()
    user = make_user(
        "partner", email=f"{name.split()[0].lower()}@example.org", organisation=organisation
    )
    log_in(client, user)
    return user


def events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).order_by(Event.id)))


def event_audits() -> list[str]:
    rows = select(AuditEvent.action).where(AuditEvent.entity_type == "event")
    return list(db.session.scalars(rows.order_by(AuditEvent.id)))


def organisation(name: str) -> Organisation:
    return db.session.scalars(select(Organisation).filter_by(name=name)).one()


def count_events() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Event)) or 0)
