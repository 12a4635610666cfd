"""Statements over many values (campaign/core/many.py), on both databases: the same rows as
the expanded forms they replace, and on PostgreSQL one parameter per list, not per value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, UniqueConstraint, select
from sqlalchemy.exc import DBAPIError

from campaign.core.inserts import dialect_name
from campaign.core.many import (
    _update_each_statement,
    among,
    among_param,
    insert_rows,
    listed,
    update_each,
)
from campaign.db import UTCDateTime
from campaign.extensions import db
from campaign.states.models import State
from tests.public.test_query_budget import statements

METADATA = MetaData()
ROWS = Table(
    "many_rows_test",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("owner", Integer, nullable=False),
    Column("item", String(40), nullable=False),
    Column("note", Text),
    Column("at", UTCDateTime()),
    UniqueConstraint("owner", "item"),
)
WHEN = dt.datetime(2026, 12, 18, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def rows_table(app: Flask) -> Any:
    """A table of this test's own, created inside the test's transaction (rolled back)."""
    METADATA.create_all(db.session.connection())
    return ROWS


def _row(owner: int, item: str, note: str | None = None) -> dict[str, Any]:
    return {"owner": owner, "item": item, "note": note, "at": WHEN}


CODE_LISTS = [
    [],
    ["MEX"],
    ["MEX", "SLV", "GTM"],
    ["MEX", "MEX"],  # repeated
    ["XXX", "'; DROP TABLE states; --", "ملاوي", "\U0001f600"],  # none is a state
    ["MEX", ""],
    ["MEXICO"],  # longer than the column: never cut to "MEX"
]


@pytest.mark.parametrize("codes", CODE_LISTS)
def test_among_finds_what_in_finds(app: Flask, codes: list[str]) -> None:
    expected = set(db.session.scalars(select(State.iso3).where(State.iso3.in_(codes))))
    found = set(db.session.scalars(select(State.iso3).where(among(State.iso3, codes))))
    assert found == expected
    assert found <= {"MEX", "SLV", "GTM"}


def test_among_param_is_among_in_one_statement_for_every_list(app: Flask) -> None:
    """Built once, the list a parameter: each list finds what among() finds."""
    statement = select(State.iso3).where(among_param(State.iso3, "codes", dialect_name()))
    for codes in CODE_LISTS:
        found = set(db.session.scalars(statement, {"codes": listed(State.iso3, codes)}))
        assert found == set(db.session.scalars(select(State.iso3).where(among(State.iso3, codes))))
    first = db.session.scalar(select(State.id).order_by(State.id).limit(1))
    by_id = select(State.id).where(among_param(State.id, "ids", dialect_name()))
    numbers = [2**31, 2**64 + 7, -(2**31) - 1, first]  # all but one beyond INTEGER
    assert list(db.session.scalars(by_id, {"ids": listed(State.id, numbers)})) == [first]
    assert list(db.session.scalars(by_id, {"ids": listed(State.id, numbers[:3])})) == []


def test_among_sends_a_list_as_one_parameter_on_postgresql(app: Flask) -> None:
    ids = list(db.session.scalars(select(State.id).order_by(State.id).limit(120)))
    with statements(app) as seen:
        found = list(db.session.scalars(select(State.id).where(among(State.id, ids))))
    assert sorted(found) == ids
    [sql] = seen
    if dialect_name() == "postgresql":
        assert "= ANY (" in sql and sql.count("%(") == 1, sql
    else:  # SQLite has no arrays: one placeholder per value, as SQLAlchemy's IN
        assert " IN (" in sql


def test_insert_rows_writes_every_row_and_returns_what_it_wrote(rows_table: Table) -> None:
    rows = [_row(1, "a", "first"), _row(1, "b", None), _row(2, "a", 'ملاوي \U0001f600 "q" {x}')]
    written = insert_rows(rows_table, rows, ["owner", "item"], ["owner", "item"])
    assert sorted(tuple(r) for r in written) == [(1, "a"), (1, "b"), (2, "a")]
    stored = db.session.execute(
        select(rows_table.c.owner, rows_table.c.item, rows_table.c.note, rows_table.c.at).order_by(
            rows_table.c.id
        )
    ).all()
    assert [tuple(r) for r in stored] == [
        (1, "a", "first", WHEN),
        (1, "b", None, WHEN),
        (2, "a", 'ملاوي \U0001f600 "q" {x}', WHEN),
    ]


def test_insert_rows_skips_conflicts_and_returns_only_new_rows(rows_table: Table) -> None:
    insert_rows(rows_table, [_row(1, "a", "kept")], ["owner", "item"])
    written = insert_rows(
        rows_table, [_row(1, "a", "ignored"), _row(1, "c")], ["owner", "item"], ["item"]
    )
    assert [tuple(r) for r in written] == [("c",)]
    notes = dict(db.session.execute(select(rows_table.c.item, rows_table.c.note)).all())
    assert notes == {"a": "kept", "c": None}


def test_insert_rows_without_returning_or_rows(rows_table: Table) -> None:
    assert insert_rows(rows_table, [], ["owner", "item"], ["item"]) == []
    assert insert_rows(rows_table, [_row(5, "z")], ["owner", "item"]) == []
    assert db.session.scalar(select(rows_table.c.item).where(rows_table.c.owner == 5)) == "z"


def test_insert_rows_is_one_statement_on_postgresql(app: Flask, rows_table: Table) -> None:
    rows = [_row(9, f"item-{n}") for n in range(300)]
    with statements(app) as seen:
        written = insert_rows(rows_table, rows, ["owner", "item"], ["item"])
    assert len(written) == 300
    if dialect_name() == "postgresql":
        [sql] = seen
        assert "unnest(" in sql and sql.count("%(") == 4, sql  # one array per column


def test_update_each_sets_each_rows_value_where_the_condition_holds(
    app: Flask, rows_table: Table
) -> None:
    insert_rows(rows_table, [_row(1, "a"), _row(1, "b"), _row(2, "c", "locked")], ["owner", "item"])
    ids = dict(db.session.execute(select(rows_table.c.item, rows_table.c.id)).all())
    later = WHEN + dt.timedelta(days=1)
    notes = {ids["a"]: 'ملاوي "a" \\ {}', ids["b"]: None, ids["c"]: "never", 10**6: "no row"}
    with statements(app) as seen:
        changed = update_each(rows_table, "note", notes, rows_table.c.owner == 1, at=later)
    assert changed == 2
    stored = {
        item: (note, at)
        for item, note, at in db.session.execute(
            select(rows_table.c.item, rows_table.c.note, rows_table.c.at)
        )
    }
    assert stored == {
        "a": ('ملاوي "a" \\ {}', later),
        "b": (None, later),
        "c": ("locked", WHEN),  # owner 2: left alone
    }
    if dialect_name() == "postgresql":
        [sql] = seen
        assert "unnest(" in sql, sql
    assert update_each(rows_table, "note", {}, at=later) == 0


def test_update_each_keeps_its_statement_and_takes_each_calls_values(
    app: Flask, rows_table: Table
) -> None:
    """Built once for the same clause object and value names: the second call's values are
    its own, not the first's baked into the statement."""
    insert_rows(rows_table, [_row(3, "p"), _row(3, "q"), _row(4, "r")], ["owner", "item"])
    ids = dict(db.session.execute(select(rows_table.c.item, rows_table.c.id)).all())
    owner_3 = rows_table.c.owner == 3
    later, latest = WHEN + dt.timedelta(days=1), WHEN + dt.timedelta(days=2)
    built = _update_each_statement.cache_info().misses
    assert update_each(rows_table, "note", {ids["p"]: "first"}, owner_3, at=later) == 1
    assert (
        update_each(rows_table, "note", {ids["q"]: "second", ids["r"]: "no"}, owner_3, at=latest)
        == 1
    )
    assert _update_each_statement.cache_info().misses == built + 1
    stored = {
        item: (note, at)
        for item, note, at in db.session.execute(
            select(rows_table.c.item, rows_table.c.note, rows_table.c.at)
        )
    }
    assert stored == {"p": ("first", later), "q": ("second", latest), "r": (None, WHEN)}


def test_lists_go_to_postgresql_as_binary_arrays(app: Flask) -> None:
    raw = db.session.connection().connection.dbapi_connection
    if dialect_name() != "postgresql":
        assert not hasattr(raw, "adapters")  # SQLite has no arrays: nothing to choose
        return
    from psycopg.adapt import PyFormat
    from psycopg.types.array import ListBinaryDumper

    assert raw.adapters.get_dumper(list, PyFormat.AUTO) is ListBinaryDumper


@pytest.mark.parametrize(
    "ids",
    [
        [2**31],  # beyond INTEGER
        [2**63, 2**64 + 7],  # beyond 64 bits
        [-(2**31) - 1, -(2**70)],
        [0, -1],
    ],
)
def test_among_matches_no_row_for_numbers_no_key_holds(app: Flask, ids: list[int]) -> None:
    first = db.session.scalar(select(State.id).order_by(State.id).limit(1))
    found = list(db.session.scalars(select(State.id).where(among(State.id, [*ids, first]))))
    assert found == [first]  # the others match nothing, and nothing fails
    assert list(db.session.scalars(select(State.id).where(among(State.id, ids)))) == []


def test_among_never_cuts_a_longer_value_to_the_columns_length(app: Flask) -> None:
    # A cast to VARCHAR(3)[] would make "MEXICO" into "MEX", which is a state.
    assert list(db.session.scalars(select(State.iso3).where(among(State.iso3, ["MEXICO"])))) == []
    assert list(db.session.scalars(select(State.iso3).where(among(State.iso3, ["MEX"])))) == ["MEX"]


def test_insert_rows_never_stores_a_value_cut_short(rows_table: Table) -> None:
    longer = "x" * 41  # the column holds 40
    if dialect_name() == "postgresql":
        with pytest.raises(DBAPIError), db.session.begin_nested():
            insert_rows(rows_table, [_row(7, longer)], ["owner", "item"])
        assert db.session.scalar(select(rows_table.c.item).where(rows_table.c.owner == 7)) is None
    else:  # SQLite keeps any length: the whole value, as an INSERT of it would
        insert_rows(rows_table, [_row(7, longer)], ["owner", "item"])
        assert db.session.scalar(select(rows_table.c.item).where(rows_table.c.owner == 7)) == longer
