"""factory-boy factories for organisations, partnerships, outreach tasks and their updates."""

from __future__ import annotations

import factory
from sqlalchemy import select

from campaign.extensions import db
from campaign.organisations.models import Organisation, Partnership
from campaign.outreach.models import OutreachTask, TaskUpdate
from campaign.states.models import State


def state(iso3: str) -> State:
    return db.session.scalars(select(State).filter_by(iso3=iso3)).one()


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class OrganisationFactory(_Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test partner organisation {n}")
    kind = "ngo"


class PartnershipFactory(_Base):
    class Meta:
        model = Partnership

    organisation = factory.SubFactory(OrganisationFactory)
    state = factory.LazyFunction(lambda: state("BRA"))
    role = "member"


class OutreachTaskFactory(_Base):
    class Meta:
        model = OutreachTask

    state = factory.LazyFunction(lambda: state("BRA"))
    organisation = factory.SubFactory(OrganisationFactory)
    kind = "letter"
    title = factory.Sequence(lambda n: f"Letter to the ministry {n}")
    description = ""
    status = "open"
    outcome = ""


class TaskUpdateFactory(_Base):
    class Meta:
        model = TaskUpdate

    task = factory.SubFactory(OutreachTaskFactory)
    text = factory.Sequence(lambda n: f"Update {n}")
