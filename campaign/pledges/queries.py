"""Read-side helpers for the pledge pages."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.pledges.models import NO_COUNTRY, Pledge
from campaign.states.models import State


def country_choices() -> list[tuple[str, str]]:
    return [
        (iso3, name)
        for iso3, name in db.session.execute(select(State.iso3, State.name).order_by(State.name))
    ]


def state_for_choice(choice: str) -> State | None:
    if choice == NO_COUNTRY:
        return None
    return db.session.scalars(select(State).filter_by(iso3=choice)).one()


def get_pledge(pledge_id: int) -> Pledge | None:
    return db.session.get(Pledge, pledge_id)


def approved_organisations() -> list[Pledge]:
    """Organisations listed publicly: approved, consenting, still standing."""
    return list(
        db.session.scalars(
            select(Pledge)
            .where(
                Pledge.kind == "organisation",
                Pledge.moderation == "approved",
                Pledge.is_public.is_(True),
                Pledge.is_counted.is_(True),
            )
            .order_by(Pledge.organisation_name)
        )
    )


def public_individuals(state: State, limit: int = 200) -> list[Pledge]:
    """Residents of *state* who consented to be listed (shown as first name and country)."""
    return list(
        db.session.scalars(
            select(Pledge)
            .where(
                Pledge.kind == "individual",
                Pledge.country_id == state.id,
                Pledge.is_public.is_(True),
                Pledge.is_counted.is_(True),
            )
            .order_by(Pledge.confirmed_at.desc())
            .limit(limit)
        )
    )
