"""INSERT ... ON CONFLICT DO NOTHING on either database: the loser of a race learns it lost.

Rather than a savepoint: no savepoint is released after the unit of work registered its
after-commit jobs (the session's after_commit event also fires for a released savepoint).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from campaign.extensions import db


def dialect_insert(model: type[Any]) -> Any:
    """An INSERT for *model* in the session's dialect (both know ON CONFLICT DO NOTHING)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def insert_new(model: type[Any], values: dict[str, Any], unique: list[str]) -> Any | None:
    """Insert a row unless one with the same *unique* columns exists; its primary key, or None."""
    statement = dialect_insert(model).values(**values).on_conflict_do_nothing(index_elements=unique)
    return db.session.scalar(statement.returning(*model.__table__.primary_key.columns))
