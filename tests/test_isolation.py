"""Guard: what one test writes, the next must not see (the per-test rollback works)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from campaign.extensions import db
from campaign.organisations.models import Organisation

NAME = "Isolation guard organisation"


def test_a_writes_and_commits(app: Flask) -> None:
    db.session.add(Organisation(name=NAME, kind="ngo"))
    db.session.commit()
    assert db.session.scalars(select(Organisation).filter_by(name=NAME)).one()


def test_b_does_not_see_it(app: Flask) -> None:
    assert db.session.scalars(select(Organisation).filter_by(name=NAME)).first() is None
