"""Factories for the road to ratification: stages an admin adds, and changes of stage."""

from __future__ import annotations

import datetime as dt

import factory
from sqlalchemy import select

from campaign.extensions import db
from campaign.road.models import RoadStage, StageChange
from campaign.road.stages import ensure_default_stages
from tests.factories.accounts import UserFactory
from tests.factories.base import Factory, days_from, seeded


def default_stage(key: str) -> RoadStage:
    """One of the six stages migration 0011 seeds, by its key (added again if a test that
    committed wiped them: the `committed` fixture re-seeds only the registry)."""
    found = db.session.scalars(select(RoadStage).filter_by(key=key)).first()
    if found is None:
        ensure_default_stages()
        found = db.session.scalars(select(RoadStage).filter_by(key=key)).one()
    return found


class RoadStageFactory(Factory):
    """A stage an admin added (no key: its name reads as entered), after the defaults."""

    class Meta:
        model = RoadStage

    name = factory.Sequence(lambda n: f"Test stage {n}")
    position = factory.Sequence(lambda n: 100 + n)
    is_retired = False


class StageChangeFactory(Factory):
    """A coordinator's confirmed record that Mexico's government is considering the Convention
    (Mexico is a party: the road is the campaign's own record, apart from the treaty status)."""

    class Meta:
        model = StageChange

    state = seeded("MEX")
    stage = factory.LazyFunction(lambda: default_stage("government_considering"))
    effective_on = days_from(dt.date(2025, 1, 6))
    source = "Government press release"
    status = "confirmed"
    recorded_via = "back_office"
    proposed_by = factory.SubFactory(UserFactory)
    decided_by = factory.SelfAttribute("proposed_by")
    decided_at = factory.LazyFunction(lambda: dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
