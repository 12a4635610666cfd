"""The database unreachable: 503 with Retry-After and one log line, nothing half-written, and
the first request after it returns succeeds; the worker backs off and carries on."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.pledges.models import Pledge
from tests.conftest import isolated_client
from tests.outages.conftest import UnreliableDatabase
from tests.pledges.helpers import INDIVIDUAL
from tests.support.auth import csrf_from
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker

PAGE = "try again in a minute; nothing you sent was lost or half-saved"


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        pledges = db.session.scalar(select(func.count()).select_from(Pledge)) or 0
        mails = db.session.scalar(select(func.count()).select_from(OutboundEmail)) or 0
        db.session.remove()
        return pledges, mails


def _signer(app: Flask) -> Any:
    client = isolated_client(app)
    token = csrf_from(client, "/pledge/individual")

    def sign(number: int, path: str = "/pledge/individual") -> Any:
        data = {**INDIVIDUAL, "email": f"outage{number}@example.org", "csrf_token": token}
        return client.post(path, data=data, environ_overrides={"REMOTE_ADDR": f"10.0.0.{number}"})

    return sign


def test_requests_while_the_database_is_down_get_503_and_nothing_is_half_written(
    unreliable: UnreliableDatabase, service_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    app = unreliable.app(service_env, SQLITE_BUSY_TIMEOUT_MS=200)
    sign = _signer(app)
    assert [sign(n).status_code for n in range(3)] == [302] * 3
    unreliable.down()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        refused = [sign(n) for n in range(3, 8)]
        api = isolated_client(app).get("/api/v1/stats")
    assert [r.status_code for r in refused] == [503] * 5
    assert all(r.headers["Retry-After"] == "60" for r in refused)
    assert PAGE in refused[0].get_data(as_text=True)
    if unreliable.reads_fail:  # on SQLite a held write lock leaves reads working
        assert api.status_code == 503 and PAGE in api.get_json()["error"]
    outage_lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(outage_lines) == 5 + (1 if unreliable.reads_fail else 0)
    assert all(r.exc_info is None for r in caplog.records)  # one line each, no traceback
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    unreliable.up()
    assert sign(8).status_code == 302  # the first request after the outage
    assert _counts(app) == (4, 4)  # each acknowledged pledge, with its one mail; no others


def test_the_first_request_after_a_restart_succeeds(
    unreliable: UnreliableDatabase, service_env: dict[str, str]
) -> None:
    """Pooled connections from before the restart are found dead at checkout, not by a 500."""
    app = unreliable.app(service_env)
    sign = _signer(app)
    assert sign(1).status_code == 302
    unreliable.down()
    unreliable.up()
    assert sign(2).status_code == 302
    assert isolated_client(app).get("/api/v1/stats").status_code == 200
    assert _counts(app) == (2, 2)


def test_the_worker_backs_off_while_the_database_is_down_then_sends_each_mail_once(
    unreliable: UnreliableDatabase,
    service_env: dict[str, str],
    smtp_sink: SmtpSink,
    redis_server: Any,
) -> None:
    broker = redis_server.url(7)  # a queue of this test's own
    env = {**service_env, "DATABASE_URL": unreliable.url, "REDIS_URL": broker}
    app = unreliable.app(env, CELERY_BROKER_URL=broker, SQLITE_BUSY_TIMEOUT_MS=200)
    sign = _signer(app)
    smtp_sink.clear()
    assert [sign(n).status_code for n in range(3)] == [302] * 3  # queued; no worker yet
    unreliable.down()
    worker = CeleryWorker({**env, "SQLITE_BUSY_TIMEOUT_MS": "200"})
    worker.start()
    try:
        wait_until(lambda: worker.output().count("database unavailable") >= 3, timeout=60)
        unreliable.up()
        wait_until(lambda: len(smtp_sink.messages) >= 3, timeout=120)
        assert sign(3).status_code == 302  # the worker carries on after the outage
        wait_until(lambda: len(smtp_sink.messages) >= 4, timeout=60)
    finally:
        worker.stop()
    recipients = sorted(str(m["X-Envelope-To"]) for m in smtp_sink.messages)
    assert recipients == [f"outage{n}@example.org" for n in range(4)]
    assert "Traceback" not in worker.output()
