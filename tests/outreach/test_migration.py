"""Migration 0005: duplicates already in the table stop the upgrade; downgrade removes the keys."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import inspect, text

from campaign.extensions import db
from tests.conftest import BACKEND, make_app

STATE = (
    "INSERT INTO states (iso3, iso2, m49, name, un_name, region, subregion, status, "
    "is_priority, notes, updated_at) VALUES ('BRA', 'BR', '076', 'Brazil', 'Brazil', "
    "'America', 'South America', 'none', false, '', CURRENT_TIMESTAMP)"
)
ORGANISATION = (
    "INSERT INTO organisations (name, kind, notes, created_at) "
    "VALUES ('Duplicated partner', 'ngo', '', CURRENT_TIMESTAMP)"
)
TASK = (
    "INSERT INTO outreach_tasks (state_id, organisation_id, kind, title, description, due_on, "
    "status, outcome, created_at, updated_at) VALUES (1, 1, 'letter', 'Same letter', '', NULL, "
    "'open', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


@pytest.fixture
def fresh(service_env: dict[str, str]) -> Iterator[tuple[Flask, Config]]:
    name = f"campaign_outreach_migration_{os.getpid()}"
    application = make_app({**service_env, "DATABASE_URL": BACKEND.recreate(name)})
    try:
        with application.app_context():
            yield application, current_app.extensions["migrate"].migrate.get_config()
            db.engine.dispose()
    finally:
        BACKEND.drop(name)


def _keys() -> set[str]:
    inspector = inspect(db.engine)
    uniques = {u["name"] or "" for u in inspector.get_unique_constraints("outreach_tasks")}
    indexes = {i["name"] or "" for i in inspector.get_indexes("outreach_tasks") if i["unique"]}
    return (uniques | indexes) & {
        "uq_outreach_tasks_same_task",
        "ix_outreach_tasks_same_undated_task",
    }


def test_duplicates_stop_the_upgrade_and_downgrade_works(fresh: tuple[Flask, Config]) -> None:
    _, config = fresh
    parent = ScriptDirectory.from_config(config).get_revision("0005").down_revision
    assert isinstance(parent, str)
    command.upgrade(config, parent)
    with db.engine.begin() as connection:
        for statement in (STATE, ORGANISATION, TASK, TASK):
            connection.execute(text(statement))
    with pytest.raises(RuntimeError, match="1 outreach tasks are duplicated"):
        command.upgrade(config, "0005")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE outreach_tasks SET title = 'Other letter' WHERE id = 2"))
    command.upgrade(config, "0005")
    assert _keys() == {"uq_outreach_tasks_same_task", "ix_outreach_tasks_same_undated_task"}
    command.downgrade(config, parent)
    assert _keys() == set()
