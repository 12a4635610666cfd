"""The coordinators' export of confirmed pledges, read in batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from campaign.extensions import db
from campaign.pledges.models import Pledge
from campaign.states.models import State

HEADER = [
    "id",
    "kind",
    "name",
    "email",
    "country",
    "organisation",
    "organisation_kind",
    "website",
    "contact_role",
    "message",
    "listed_publicly",
    "wants_updates",
    "moderation",
    "counted",
    "confirmed_at",
    "withdrawn_at",
    "source",
]


def confirmed_pledge_rows() -> Iterator[list[Any]]:
    query = (
        select(Pledge, State.iso3)
        .outerjoin(State, Pledge.country_id == State.id)
        .where(Pledge.confirmed_at.is_not(None), Pledge.erased_at.is_(None))
        .order_by(Pledge.id)
        .execution_options(yield_per=500)
    )
    for pledge, iso3 in db.session.execute(query):
        yield [
            pledge.id,
            pledge.kind,
            pledge.name,
            pledge.email,
            iso3 or "",
            pledge.organisation_name,
            pledge.organisation_kind,
            pledge.website,
            pledge.contact_role,
            pledge.message,
            pledge.is_public,
            pledge.wants_updates,
            pledge.moderation,
            pledge.is_counted,
            pledge.confirmed_at,
            pledge.withdrawn_at,
            pledge.source,
        ]
