"""The two databases every test runs on: SQLite (the embedded default) and PostgreSQL.

`make test` runs the suite once per backend (`TEST_BACKEND=sqlite` or `postgresql`); the
PostgreSQL server is named by `TEST_DATABASE_URL`, SQLite databases are files in a directory
of this run's own.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, MetaData, text
from sqlalchemy.exc import OperationalError

BACKENDS = ("postgresql", "sqlite")
WIPE_ATTEMPTS = 5


def backend_name() -> str:
    name = os.environ.get("TEST_BACKEND", "postgresql")
    if name not in BACKENDS:
        raise pytest.UsageError(f"TEST_BACKEND={name!r}: use one of {', '.join(BACKENDS)}")
    return name


class PostgresBackend:
    name = "postgresql"

    def admin_url(self) -> str:
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            raise pytest.UsageError(
                "TEST_DATABASE_URL is not set: run the suite with `make test`, which starts "
                "PostgreSQL."
            )
        return url

    def url(self, name: str) -> str:
        base = self.admin_url().rsplit("/", 1)[0]
        return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)

    def recreate(self, name: str) -> str:
        """An empty database called *name*; its SQLAlchemy URL."""
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def wipe(self, engine: Engine, metadata: MetaData) -> None:
        """Empty every table. The session's worker may still be busy with a job of the test
        that just ended (a confirmation it sends): when its writes and the TRUNCATE's locks
        deadlock, PostgreSQL rolls the TRUNCATE back, and it is tried again."""
        names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
        for attempt in range(WIPE_ATTEMPTS):
            try:
                with engine.begin() as conn:
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                return
            except OperationalError as error:
                if not isinstance(error.orig, psycopg.errors.DeadlockDetected):
                    raise
                if attempt == WIPE_ATTEMPTS - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))


class SqliteBackend:
    name = "sqlite"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="campaign-sqlite-"))

    def url(self, name: str) -> str:
        return f"sqlite:///{self.dir / name}.sqlite"

    def recreate(self, name: str) -> str:
        self.drop(name)
        return self.url(name)

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            (self.dir / f"{name}.sqlite{suffix}").unlink(missing_ok=True)

    def wipe(self, engine: Engine, metadata: MetaData) -> None:
        with engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())
            sequences = text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if conn.execute(sequences).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


Backend = PostgresBackend | SqliteBackend


def make_backend() -> Backend:
    return SqliteBackend() if backend_name() == "sqlite" else PostgresBackend()
