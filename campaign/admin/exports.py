"""CSV exports of the registry, organisations and partnerships, streamed in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import aliased
from werkzeug.wrappers import Response

from campaign.accounts.policy import role_required
from campaign.admin import bp
from campaign.core.csv import csv_response
from campaign.extensions import db
from campaign.organisations.models import Organisation, Partnership, SteeringMembership
from campaign.states.models import State


def _states() -> Iterator[list[Any]]:
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


def _organisations() -> Iterator[list[Any]]:
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


def _partnerships() -> Iterator[list[Any]]:
    query = (
        select(Organisation.name, State.iso3, State.name, Partnership.role)
        .join(Partnership.organisation)
        .join(Partnership.state)
        .order_by(State.name, Organisation.name)
        .execution_options(yield_per=500)
    )
    for row in db.session.execute(query):
        yield list(row)


EXPORTS: dict[str, tuple[list[str], Callable[[], Iterator[list[Any]]]]] = {
    "states": (
        [
            "iso3",
            "name",
            "region",
            "status",
            "signed_on",
            "consented_on",
            "method",
            "priority",
            "notes",
        ],
        _states,
    ),
    "organisations": (
        [
            "id",
            "name",
            "kind",
            "country",
            "website",
            "contact_name",
            "contact_email",
            "steering_role",
        ],
        _organisations,
    ),
    "partnerships": (["organisation", "iso3", "state", "role"], _partnerships),
}


@bp.get("/export/<name>.csv")
@role_required("coordinator")
def export(name: str) -> Response:
    if name not in EXPORTS:
        abort(404)
    header, rows = EXPORTS[name]
    return csv_response(f"{name}.csv", header, rows())
