"""The coordinators' export of the registry of states, read in batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from campaign.extensions import db
from campaign.states.models import State

HEADER = [
    "iso3",
    "name",
    "region",
    "status",
    "signed_on",
    "consented_on",
    "method",
    "priority",
    "notes",
]


def state_rows() -> Iterator[list[Any]]:
    query = select(State).order_by(State.name).execution_options(yield_per=500)
    for state in db.session.scalars(query):
        yield [
            state.iso3,
            state.name,
            state.region,
            state.status,
            state.signed_on,
            state.consented_on,
            state.consent_method,
            state.is_priority,
            state.notes,
        ]
