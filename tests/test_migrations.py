"""The migration history: upgrades an empty database to head, matches the models, downgrades."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from campaign.extensions import db
from tests.conftest import BACKEND, make_app


def _upgrade_compare_downgrade(url: str, service_env: dict[str, str]) -> None:
    application = make_app({**service_env, "DATABASE_URL": url})
    with application.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
            tables = set(inspect(connection).get_table_names())
        assert {"states", "status_changes", "pledges", "outbound_emails", "users"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_matches_models_and_downgrades(service_env: dict[str, str]) -> None:
    """On this leg's backend (the suite runs once on SQLite, once on PostgreSQL)."""
    name = f"campaign_migrations_{os.getpid()}"
    url = BACKEND.recreate(name)
    try:
        _upgrade_compare_downgrade(url, service_env)
    finally:
        BACKEND.drop(name)


@pytest.mark.parametrize("table", ["pledges", "outbound_emails", "status_changes"])
def test_constraints_live_in_the_database(table: str, app: Flask) -> None:
    """The invariants the design names are database constraints, not only Python checks."""
    inspector = inspect(db.session.connection())
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
    checks = inspector.get_check_constraints(table)
    expected = {
        "pledges": ("email_canonical", "kind"),
        "outbound_emails": ("idempotency_key",),
        "status_changes": ("state_id", "act", "to_status", "effective_on"),
    }[table]
    assert expected in uniques
    assert checks
