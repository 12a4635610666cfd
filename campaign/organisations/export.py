"""The coordinators' exports of organisations and of national partnerships, read in batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from campaign.extensions import db
from campaign.organisations.models import Organisation, Partnership, SteeringMembership
from campaign.states.models import State

ORGANISATION_HEADER = [
    "id",
    "name",
    "kind",
    "country",
    "website",
    "contact_name",
    "contact_email",
    "steering_role",
]
PARTNERSHIP_HEADER = ["organisation", "iso3", "state", "role"]


def organisation_rows() -> Iterator[list[Any]]:
    """Every organisation not merged into another, with its country and steering seat."""
    country = aliased(State)
    query = (
        select(Organisation, country.iso3, SteeringMembership.role)
        .outerjoin(country, Organisation.country_id == country.id)
        .outerjoin(SteeringMembership)
        .where(Organisation.merged_into_id.is_(None))
        .order_by(Organisation.name)
        .execution_options(yield_per=500)
    )
    for organisation, iso3, steering in db.session.execute(query):
        yield [
            organisation.id,
            organisation.name,
            organisation.kind,
            iso3 or "",
            organisation.website,
            organisation.contact_name,
            organisation.contact_email,
            steering or "",
        ]


def partnership_rows() -> Iterator[list[Any]]:
    query = (
        select(Organisation.name, State.iso3, State.name, Partnership.role)
        .join(Partnership.organisation)
        .join(Partnership.state)
        .order_by(State.name, Organisation.name)
        .execution_options(yield_per=500)
    )
    for row in db.session.execute(query):
        yield list(row)
