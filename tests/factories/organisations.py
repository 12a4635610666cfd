"""Factories for organisations, their steering-committee seats and national partnerships."""

from __future__ import annotations

import datetime as dt

import factory

from campaign.organisations.models import Organisation, Partnership, SteeringMembership
from tests.factories.base import Factory, seeded


class OrganisationFactory(Factory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test partner organisation {n}")
    kind = "ngo"


class SteeringMembershipFactory(Factory):
    class Meta:
        model = SteeringMembership

    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"
    since_on = dt.date(2005, 3, 1)


class PartnershipFactory(Factory):
    class Meta:
        model = Partnership

    organisation = factory.SubFactory(OrganisationFactory)
    state = seeded("BRA")
    role = "member"
