"""Side effects fire after the outermost commit, never after a savepoint or a rollback."""

from __future__ import annotations

from flask import Flask

from campaign.core.after_commit import after_commit
from campaign.extensions import db


def test_a_callback_runs_once_after_commit(app: Flask) -> None:
    fired: list[str] = []
    after_commit(lambda: fired.append("sent"))
    assert fired == []
    db.session.commit()
    assert fired == ["sent"]
    db.session.commit()
    assert fired == ["sent"]


def test_a_released_savepoint_does_not_fire_the_outer_callbacks(app: Flask) -> None:
    fired: list[str] = []
    after_commit(lambda: fired.append("outer"))
    with db.session.begin_nested():
        after_commit(lambda: fired.append("inner"))
    assert fired == []
    db.session.commit()
    assert fired == ["outer", "inner"]


def test_a_rolled_back_savepoint_keeps_the_outer_callbacks(app: Flask) -> None:
    fired: list[str] = []
    after_commit(lambda: fired.append("outer"))
    nested = db.session.begin_nested()
    nested.rollback()
    db.session.commit()
    assert fired == ["outer"]


def test_a_rollback_drops_the_callbacks(app: Flask) -> None:
    fired: list[str] = []
    after_commit(lambda: fired.append("lost"))
    db.session.rollback()
    db.session.commit()
    assert fired == []
