"""Side effects fire after the outermost commit, never after a savepoint or a rollback."""

from __future__ import annotations

import pytest
from flask import Flask

from campaign.core.after_commit import after_commit
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.mail.services import queue_email
from tests.conftest import make_app
from tests.support.servers import free_port


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


def test_a_broker_that_is_down_loses_no_committed_work(
    app: Flask, service_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """The mail is committed to the outbox; queueing its job fails and is logged (flush_outbox
    queues it again) rather than turning a saved request into an error."""
    down = make_app(service_env, CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    with down.app_context():
        row = queue_email(key="broker-down", to="a@example.org", subject="S", text="T")
        assert row is not None
        db.session.commit()
        assert db.session.get(OutboundEmail, row.id) is not None
    assert "could not queue campaign.send_email" in caplog.text
