"""INSERT ... ON CONFLICT DO NOTHING on either database: the loser of a race learns it lost.

Rather than a savepoint: no savepoint is released after the unit of work registered its
after-commit jobs (the session's after_commit event also fires for a released savepoint).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from campaign.extensions import db


def dialect_name() -> str:
    return str(db.session.get_bind().dialect.name)


def dialect_insert(model: type[Any] | Table) -> Any:
    """An INSERT for *model* (or a Core table) in the session's dialect (both know ON CONFLICT
    DO NOTHING)."""
    return (postgresql if dialect_name() == "postgresql" else sqlite).insert(model)


@lru_cache(maxsize=64)
def _insert_new(table: Table, unique: tuple[str, ...], dialect: str) -> Any:
    """Built once per table, unique columns and dialect: the values go in as parameters. (An
    ORM insert built with .values() per call cost more than running it on the pledge path.)"""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    on_conflict = insert.on_conflict_do_nothing(index_elements=list(unique))
    return on_conflict.returning(*table.primary_key.columns)


def insert_new(model: type[Any], values: dict[str, Any], unique: list[str]) -> Any | None:
    """Insert a row unless one with the same *unique* columns exists; its primary key, or None.

    *values* are plain values (no SQL expressions); column defaults fill the rest. The session
    is not flushed first (the ORM's insert did, and that cost 2 ms a pledge): a row these values
    refer to must be in the database already, as every caller's is."""
    # On the session's connection (a Core statement gains nothing from the ORM's execute path),
    # whose dialect is the one to build for: no second look-up of the session's bind.
    connection = db.session.connection()
    statement = _insert_new(model.__table__, tuple(unique), connection.dialect.name)
    return connection.execute(statement, values).scalar()
