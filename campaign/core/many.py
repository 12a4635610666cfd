"""Statements over many values that cost the same to build whatever their number.

SQLAlchemy expands `in_([...])` into one placeholder per value, and a multi-row INSERT ...
RETURNING into one per value of every row: the statement is rendered anew on each call, and
psycopg parses it again each time (it keeps no statement of more than 50 parameters). A digest
chunk ran several such statements over hundreds of rows. On PostgreSQL a list goes in as one
array parameter (`= ANY(...)`, `unnest(...)`), so the statement is built once and cached;
SQLite has no arrays and keeps the expanded forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from campaign.core.inserts import dialect_name
from campaign.core.params import MAX_ID
from campaign.extensions import db


def among(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values`: on PostgreSQL one array parameter (`column = ANY(:values)`).

    A number no INTEGER column holds matches nothing, on both databases (PostgreSQL would
    refuse it in the array's cast, SQLite any beyond 64 bits)."""
    items = listed(column, values)
    if dialect_name() == "postgresql":
        return column == any_(bindparam(None, items, type_=_array_of(column.type)))
    return column.in_(items)


def among_param(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """among() for a statement built once: the list is the parameter *name*, its value
    listed(column, values) at each execution (an array on PostgreSQL, an expanding IN on
    SQLite)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=_array_of(column.type)))
    return column.in_(bindparam(name, expanding=True))


def listed(column: Any, values: Iterable[Any]) -> list[Any]:
    """*values* as among() matches them against *column*: without the numbers an INTEGER
    column cannot hold."""
    items = list(values)
    if isinstance(column.type, Integer) and not isinstance(column.type, BigInteger):
        items = [value for value in items if -MAX_ID - 1 <= value <= MAX_ID]
    return items


def _array_of(type_: Any) -> postgresql.ARRAY:
    """An array of *type_* without its length: a cast to VARCHAR(n)[] cuts a longer value
    short in silence (a longer key would match a stored one, a longer value be stored cut),
    where the column itself refuses it, as SQLAlchemy's expanded forms let it."""
    if isinstance(type_, String) and type_.length is not None:
        type_ = String()
    return postgresql.ARRAY(type_)


def insert_rows(
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    unique: Sequence[str],
    returning: Sequence[str] = (),
) -> list[Any]:
    """INSERT *rows* (plain values, every row the same columns), skipping those that conflict
    on *unique*; the *returning* columns of the rows inserted (none if not asked for).

    On PostgreSQL one statement with one array per column (`INSERT ... SELECT FROM unnest`,
    arrays sent binary: campaign/db.py); on SQLite an executemany (or SQLAlchemy's multi-row
    INSERT when *returning*)."""
    if not rows:
        return []
    columns = tuple(rows[0])
    dialect = dialect_name()
    statement = _statement(table, columns, tuple(unique), tuple(returning), dialect)
    if dialect == "postgresql":
        arrays = {f"rows_{name}": [row[name] for row in rows] for name in columns}
        result = db.session.connection().execute(statement, arrays)
    else:
        result = db.session.connection().execute(statement, [dict(row) for row in rows])
    return list(result.all()) if returning else []


@lru_cache(maxsize=32)
def _statement(
    table: Table,
    columns: tuple[str, ...],
    unique: tuple[str, ...],
    returning: tuple[str, ...],
    dialect: str,
) -> Any:
    insert: Any
    if dialect == "postgresql":
        arrays = [
            bindparam(f"rows_{name}", type_=_array_of(table.c[name].type)) for name in columns
        ]
        source = func.unnest(*arrays).table_valued(*columns).render_derived()
        insert = postgresql.insert(table).from_select(
            list(columns), select(*(source.c[name] for name in columns))
        )
    else:
        insert = sqlite.insert(table)
    statement: Any = insert.on_conflict_do_nothing(index_elements=list(unique))
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    return statement


def update_each(
    table: Table, column: str, by_id: Mapping[int, Any], *where: Any, **values: Any
) -> int:
    """UPDATE the rows of *table* whose `id` is a key of *by_id*: *column* to that key's value,
    *values* alike for every row, where *where* holds too; how many rows changed.

    On PostgreSQL one statement over two arrays (`UPDATE ... FROM unnest(:ids, :values)`); on
    SQLite an executemany. The statement is built once per *where* (give it the same clause
    objects each time) and set of *values* names: the values are parameters, `set_<name>`
    (a column of that name makes SQLAlchemy refuse the statement, never mix the two up)."""
    if not by_id:
        return 0
    dialect = dialect_name()
    statement = _update_each_statement(table, column, tuple(where), tuple(values), dialect)
    given = {f"set_{name}": value for name, value in values.items()}
    connection = db.session.connection()
    if dialect == "postgresql":
        params = {**given, "each_id": list(by_id), "each_value": list(by_id.values())}
        return int(connection.execute(statement, params).rowcount)
    rows = [{**given, "each_id": key, "each_value": value} for key, value in by_id.items()]
    return int(connection.execute(statement, rows).rowcount)


@lru_cache(maxsize=16)
def _update_each_statement(
    table: Table, column: str, where: tuple[Any, ...], names: tuple[str, ...], dialect: str
) -> Any:
    sets = {name: bindparam(f"set_{name}", type_=table.c[name].type) for name in names}
    if dialect == "postgresql":
        given = (
            func.unnest(
                bindparam("each_id", type_=_array_of(table.c.id.type)),
                bindparam("each_value", type_=_array_of(table.c[column].type)),
            )
            .table_valued("id", "value")
            .render_derived()
        )
        return (
            update(table)
            .where(table.c.id == given.c.id, *where)
            .values(**sets, **{column: given.c.value})
        )
    return (
        update(table)
        .where(table.c.id == bindparam("each_id"), *where)
        .values(**sets, **{column: bindparam("each_value")})
    )
