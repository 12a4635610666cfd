"""The factories (tests/factories): one for every model, and each makes rows the database
accepts, several at a time (unique columns stay unique), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.db import Base
from campaign.extensions import db
from campaign.settings.services import SETTINGS
from tests.factories import FACTORIES, Factory, SettingFactory

# Factories whose model has only so many distinct rows (a setting per key the code knows).
AT_MOST: dict[type[Factory], int] = {SettingFactory: len(SETTINGS)}


def test_every_model_has_a_factory(app: Flask) -> None:
    models = {mapper.class_ for mapper in Base.registry.mappers}
    covered = {factory._meta.model for factory in FACTORIES}
    assert models - covered == set(), "models without a factory in tests/factories"
    assert len(covered) == len(FACTORIES), "two factories for one model"


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda factory: factory.__name__)
def test_each_factory_makes_rows_the_database_accepts(app: Flask, factory: type[Factory]) -> None:
    model = factory._meta.model
    before = db.session.scalar(select(func.count()).select_from(model)) or 0
    count = min(3, AT_MOST.get(factory, 3))
    rows = factory.create_batch(count)
    db.session.flush()
    assert len({db.inspect(row).identity for row in rows}) == count
    after = db.session.scalar(select(func.count()).select_from(model))
    assert after == before + count
