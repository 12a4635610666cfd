"""The factories' common base (the test's own session, flushed, never committed) and lookups of
the seeded registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from sqlalchemy import select

from campaign.extensions import db
from campaign.states.models import State


def state(iso3: str) -> State:
    """A member state of the seeded registry, by its ISO alpha-3 code."""
    return db.session.scalars(select(State).filter_by(iso3=iso3)).one()


def seeded(iso3: str) -> Any:
    """A declaration for a relation to a seeded state: looked up, never a new row."""
    return factory.LazyFunction(lambda: state(iso3))


def days_from(start: dt.date, step: int = 1) -> Any:
    """A sequence of dates from *start*, *step* days apart: unique dates for unique rows."""
    return factory.Sequence(lambda n: start + dt.timedelta(days=step * n))


class Factory(factory.alchemy.SQLAlchemyModelFactory):
    """Rows are added to the test's session and flushed (ids set); tests commit where they need."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"
