"""A database of a test's own that the test can take away and give back, on either backend.

PostgreSQL: a cluster of the test's own, stopped (fast shutdown) and started again. SQLite:
another process holding the write lock longer than the busy timeout, which is what an
embedded database being "down" means to a writer (reads still work there).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade

from campaign.extensions import db
from tests.conftest import BACKEND, make_app, seed_registry
from tests.support.postgres import PostgresCluster


@dataclass
class UnreliableDatabase:
    url: str
    cluster: PostgresCluster | None = None
    lock: sqlite3.Connection | None = None
    apps: list[Flask] = field(default_factory=list)

    @property
    def reads_fail(self) -> bool:
        return self.cluster is not None

    def app(self, env: dict[str, str], **settings: Any) -> Flask:
        application = make_app({**env, "DATABASE_URL": self.url}, **settings)
        self.apps.append(application)
        return application

    def down(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
        else:
            self.lock = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            self.lock.execute("BEGIN IMMEDIATE")

    def up(self) -> None:
        if self.cluster is not None:
            self.cluster.start()
        elif self.lock is not None:
            self.lock.execute("ROLLBACK")
            self.lock.close()
            self.lock = None


@pytest.fixture
def unreliable(service_env: dict[str, str]) -> Iterator[UnreliableDatabase]:
    cluster = None
    if BACKEND.name == "postgresql":
        cluster = PostgresCluster()
        cluster.start()
        url = cluster.create_database("outage")
    else:
        url = BACKEND.recreate("outage")
    database = UnreliableDatabase(url, cluster)
    setup = database.app(service_env)
    with setup.app_context():
        upgrade()
        seed_registry(setup)
        db.session.remove()
    try:
        yield database
    finally:
        if database.lock is not None:
            database.up()
        for application in database.apps:
            with application.app_context():
                db.engine.dispose()
        if cluster is not None:
            cluster.destroy()
        else:
            BACKEND.drop("outage")
