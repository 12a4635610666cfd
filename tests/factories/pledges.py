"""Factories for pledges (as the table holds them, counters untouched) and their counters."""

from __future__ import annotations

import factory
from sqlalchemy import select

from campaign.core.addresses import matching_key
from campaign.db import utcnow
from campaign.extensions import db
from campaign.pledges.models import Pledge, PledgeCounter
from campaign.states.models import State
from tests.factories.base import Factory, seeded


class PledgeFactory(Factory):
    """An unconfirmed individual pledge from Mexico; `confirmed=True` confirms it now and
    `organisational=True` makes it an organisation's, waiting for moderation.

    The row only: nothing is counted or mailed (signed() in tests/pledges does that)."""

    class Meta:
        model = Pledge

    class Params:
        confirmed = factory.Trait(confirmed_at=factory.LazyFunction(utcnow))
        organisational = factory.Trait(
            kind="organisation",
            organisation_name=factory.Sequence(lambda n: f"Migrant Rights Centre {n}"),
            organisation_kind="ngo",
            contact_role="Director",
            moderation="pending",
        )

    kind = "individual"
    name = factory.Sequence(lambda n: f"Supporter {n}")
    email = factory.Sequence(lambda n: f"supporter{n}@example.org")
    email_canonical = factory.LazyAttribute(lambda o: matching_key(o.email))
    country = seeded("MEX")


def _uncounted_scope(kind: str) -> str:
    """The first member state with no counter of *kind* yet (a counter is one per scope)."""
    counted = select(PledgeCounter.scope).filter_by(kind=kind)
    query = select(State.iso3).where(State.iso3.not_in(counted)).order_by(State.iso3).limit(1)
    return db.session.scalars(query).one()


class PledgeCounterFactory(Factory):
    class Meta:
        model = PledgeCounter

    scope = factory.LazyAttribute(lambda o: _uncounted_scope(o.kind))
    kind = "individual"
    online = 1
    offline = 0
