"""The declarative base with a naming convention, and time helpers shared by every model."""

from __future__ import annotations

import datetime as dt
import re
import select
import sqlite3
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Engine, MetaData, event, exc
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment in time: aware UTC in, aware UTC out, on every backend.

    PostgreSQL keeps the offset (`timestamptz`); SQLite keeps text without one, and hands back
    naive values that cannot be compared with aware ones. Values are stored in UTC on both, so
    they sort and compare the same way in SQL too. A naive value is taken to be UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Every model's base: stable constraint names and aware UTC datetimes."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            dt.datetime: UTCDateTime(),
            dict[str, Any]: JSON,
        },
    )


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def in_list(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a check constraint that *column* is one of *values*."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite (development): enforce foreign keys; WAL and a busy timeout for web + worker."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")  # kombu's broker file too
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@event.listens_for(Engine, "connect")
def _binary_arrays(dbapi_connection: Any, _record: Any) -> None:
    """PostgreSQL: a list parameter (campaign/core/many.py's arrays) goes in binary. psycopg
    writes a text array by default, escaping each element's quotes and backslashes in Python:
    a batch's header blocks took longer to escape than to store. Our lists hold one type each
    (a column's), which is all the binary format asks."""
    adapters = getattr(dbapi_connection, "adapters", None)
    if adapters is not None:
        from psycopg.types.array import ListBinaryDumper

        adapters.register_dumper(list, ListBinaryDumper)


# Statements that need the write lock: a transaction that starts with one of them starts
# with BEGIN IMMEDIATE.
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|CREATE|DROP|ALTER)\b", re.I)


def serialise_sqlite_writes(engine: Engine, busy_timeout_ms: int = 15000) -> None:
    """Make SQLite behave like PostgreSQL's READ COMMITTED for web, worker and beat at once.

    SQLite lets one writer in at a time. A transaction that reads first and writes later
    (BEGIN DEFERRED, pysqlite's way) fails at once with "database is locked" when another
    process wrote in between: the busy timeout cannot help, because its snapshot is stale.
    So reads run on their own, each seeing the latest commit (as in READ COMMITTED), and a
    transaction begins with BEGIN IMMEDIATE at its first write, or its first SELECT ... FOR
    UPDATE: it waits (busy_timeout) for the write lock instead of failing, and what it reads
    from then on cannot change under it. Savepoints work, since BEGIN is ours.
    """

    @event.listens_for(engine, "connect")
    def _manual_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # pysqlite issues no BEGIN of its own
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_immediate(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        raw = cursor.connection
        if raw.in_transaction or not conn.in_transaction():
            return
        if _WRITES.match(statement) or _locks_rows(context):
            raw.execute("BEGIN IMMEDIATE")


def _locks_rows(context: Any) -> bool:
    compiled = getattr(context, "compiled", None)
    statement = getattr(compiled, "statement", None)
    return getattr(statement, "_for_update_arg", None) is not None


# What a request or a job meets when the database is down, restarting, or (SQLite) locked
# for longer than the busy timeout: answered with 503 (web) or retried with backoff (worker).
DATABASE_UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


def describe_outage(error: BaseException) -> str:
    """One line for the log: the error's class and the first line of its message."""
    cause = getattr(error, "orig", None) or error
    first = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"database unavailable ({type(cause).__name__}: {first})"


def discard_dead_connections(engine: Engine) -> None:
    """Check each pooled PostgreSQL connection at checkout without a round trip.

    An idle connection has nothing to read; a server that restarted or closed it has sent its
    goodbye (or EOF), so its socket is readable. Such a connection is replaced before the
    request uses it, so the first request after the database returns succeeds. (A pre-ping
    `SELECT 1` would find the same at the cost of a round trip per checkout.)
    """

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
            raise exc.DisconnectionError("the connection was closed")
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
        if readable:
            raise exc.DisconnectionError("the server closed the connection")
