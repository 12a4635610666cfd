"""Read-side helpers for the pledge pages."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import make_transient_to_detached

from campaign.extensions import db
from campaign.i18n.localised import language, state_name
from campaign.pledges.models import NO_COUNTRY, Pledge
from campaign.settings.services import ProcessCache
from campaign.states.models import State


class _Name(NamedTuple):
    iso3: str
    iso2: str
    name: str


def _choices_in(code: str) -> tuple[tuple[str, str], ...]:
    rows = db.session.execute(select(State.iso3, State.iso2, State.name).order_by(State.name))
    named = [(iso3, state_name(_Name(iso3, iso2, name), code)) for iso3, iso2, name in rows]
    if code == "en":
        return tuple(named)  # the registry's names, in the database's order, as always
    return tuple(sorted(named, key=lambda choice: _sort_key(choice[1])))


def _sort_key(name: str) -> tuple[str, str]:
    """Alphabetical in the language, near enough without ICU: accents after the letter they
    mark (Égypte among the E), case ignored; scripts without accents in code point order."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), name


def _states_by_iso3(_: str) -> dict[str, State]:
    """Detached copies of every state, as loaded; merged into a session without a query."""
    states = {}
    for row in db.session.execute(select(State.__table__)).mappings():
        state = State(**row)
        make_transient_to_detached(state)
        states[state.iso3] = state
    return states


def _state_ids(_: str) -> dict[str, int]:
    """Every state's id by its ISO alpha-3 code: what a new pledge needs, read as plain rows
    (a tenth of the CPU of the ORM copies above, reloaded every RUNTIME_CACHE_SECONDS)."""
    return {iso3: state_id for iso3, state_id in db.session.execute(select(State.iso3, State.id))}


_CHOICES = ProcessCache(_choices_in)
_STATES = ProcessCache(_states_by_iso3)
_STATE_IDS = ProcessCache(_state_ids)
_CHOICES.clear_on_change(State)
_STATES.clear_on_change(State)
_STATE_IDS.clear_on_change(State)


def country_choices() -> tuple[tuple[str, str], ...]:
    """(ISO alpha-3, name) of every state, named and sorted in the page's language: the list
    kept per process, shared (forms work out its codes once per list, not per request)."""
    return _CHOICES.get(language())


def state_for_choice(choice: str) -> State | None:
    """The chosen state, in this session (from the per-process copy: no query)."""
    if choice == NO_COUNTRY:
        return None
    cached = _STATES.get("all").get(choice)
    if cached is None:  # not a state (the form refuses it first): fails as it always did
        return db.session.scalars(select(State).filter_by(iso3=choice)).one()
    return db.session.merge(cached, load=False)


def state_id_for_choice(choice: str) -> int | None:
    """The chosen state's id (from the per-process map: no query, no ORM object)."""
    if choice == NO_COUNTRY:
        return None
    cached = _STATE_IDS.get("all").get(choice)
    if cached is None:  # not a state (the form refuses it first): fails as it always did
        return int(db.session.scalars(select(State.id).filter_by(iso3=choice)).one())
    return cached


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
