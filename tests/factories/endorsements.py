"""Factory for officials' endorsements (the row only: nothing is mailed)."""

from __future__ import annotations

import factory

from campaign.core.addresses import matching_key
from campaign.db import utcnow
from campaign.endorsements.models import Endorsement, office_key
from tests.factories.base import Factory, seeded


class EndorsementFactory(Factory):
    """An unconfirmed endorsement by a Mexican member of parliament; `confirmed=True`
    confirms it now, `verified=True` confirms and verifies it (listed publicly)."""

    class Meta:
        model = Endorsement

    class Params:
        confirmed = factory.Trait(confirmed_at=factory.LazyFunction(utcnow))
        verified = factory.Trait(
            confirmed_at=factory.LazyFunction(utcnow),
            review="verified",
            reviewed_at=factory.LazyFunction(utcnow),
        )

    name = factory.Sequence(lambda n: f"Official {n}")
    office = "Member of Parliament"
    office_key = factory.LazyAttribute(lambda o: office_key(o.office))
    institution = "Chamber of Deputies"
    state = seeded("MEX")
    party = ""
    statement = "I will work for ratification."
    proof_url = "https://diputados.example.org/members/1"
    email = factory.Sequence(lambda n: f"official{n}@example.org")
    email_canonical = factory.LazyAttribute(lambda o: matching_key(o.email))
