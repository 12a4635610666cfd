"""Shared by the road to ratification's tests: a partner of a state, a change's form data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from campaign.accounts.models import User
from campaign.extensions import db
from campaign.road.models import StageChange
from campaign.road.services import Move
from campaign.road.stages import ensure_default_stages
from tests.factories import PartnershipFactory, state
from tests.factories.road import default_stage
from tests.support.auth import make_user

SOURCE = "Council of Ministers, decision 12/2026"
URL = "https://example.org/decision-12-2026"


def partner_of(iso3: str, email: str = "partner@example.org") -> User:
    """A partner user whose organisation is a national partner of *iso3*."""
    user = make_user("partner", email=email)
    PartnershipFactory(organisation=user.organisation, state=state(iso3))
    db.session.commit()
    return user


def move(key: str = "government_approved", day: dt.date = dt.date(2026, 3, 2)) -> Move:
    return Move(stage=default_stage(key), effective_on=day, source=SOURCE, source_url=URL)


def form(key: str = "government_approved", **values: str) -> dict[str, str]:
    return {
        "stage": str(default_stage(key).id),
        "effective_on": "2026-03-02",
        "source": SOURCE,
        "source_url": URL,
        **values,
    }


def changes(iso3: str) -> list[StageChange]:
    db.session.expire_all()
    query = select(StageChange).filter_by(state_id=state(iso3).id).order_by(StageChange.id)
    return list(db.session.scalars(query))


@pytest.fixture(autouse=True)
def default_stages(request: pytest.FixtureRequest) -> None:
    """The six default stages: migration 0011 seeds them, but a test that commits (the
    `committed` fixture) wipes every table and re-seeds only the registry."""
    if "app" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    if "committed" in request.fixturenames:
        request.getfixturevalue("committed")
    ensure_default_stages()
    db.session.commit()
