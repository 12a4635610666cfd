"""Redis (broker and rate-limit store) down while people sign: every pledge is taken, and each
is mailed once when Redis returns; the worker carries on (or is restarted by what runs it)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, update

from campaign.core.jobs import FLUSH_OUTBOX, enqueue_now
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.pledges.models import Pledge
from tests.conftest import isolated_client, make_app
from tests.pledges.helpers import INDIVIDUAL
from tests.support.auth import csrf_from
from tests.support.servers import RedisServer, SmtpSink, wait_until
from tests.support.worker import CeleryWorker


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    if server.process is not None:
        server.stop()


def test_pledges_are_taken_while_redis_is_down_and_mailed_once_after(
    committed: Any,
    own_redis: RedisServer,
    service_env: dict[str, str],
    smtp_sink: SmtpSink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    env = {**service_env, "REDIS_URL": own_redis.url(0), "RATELIMIT_STORAGE_URI": own_redis.url(1)}
    app = make_app(env)
    client = isolated_client(app)
    token = csrf_from(client, "/pledge/individual")

    def sign(number: int) -> int:
        data = {**INDIVIDUAL, "email": f"r{number}@example.org", "csrf_token": token}
        ip = {"REMOTE_ADDR": f"10.1.0.{number}"}
        return client.post("/pledge/individual", data=data, environ_overrides=ip).status_code

    smtp_sink.clear()
    worker = CeleryWorker(env, respawn=True)
    worker.start()
    try:
        assert [sign(n) for n in range(2)] == [302, 302]
        wait_until(lambda: len(smtp_sink.messages) >= 2, timeout=60)
        own_redis.stop()
        with caplog.at_level(logging.WARNING):
            assert [sign(n) for n in range(2, 12)] == [302] * 10
        limiter_lines = [r for r in caplog.records if "rate-limit storage" in r.getMessage()]
        assert len(limiter_lines) == 1 and all(r.exc_info is None for r in caplog.records)
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Pledge)) == 12
            queued = select(func.count()).where(OutboundEmail.status == "queued")
            assert db.session.scalar(queued) == 10  # safe in the outbox, waiting
            own_redis.start()
            # Ten minutes on, beat's flush finds them still queued and queues them again.
            db.session.execute(
                update(OutboundEmail)
                .where(OutboundEmail.status == "queued")
                .values(created_at=utcnow() - dt.timedelta(minutes=11))
            )
            db.session.commit()
            enqueue_now(FLUSH_OUTBOX)
        wait_until(lambda: len(smtp_sink.messages) >= 12, timeout=120)
        assert sign(12) == 302  # and the worker is still at work
        wait_until(lambda: len(smtp_sink.messages) >= 13, timeout=60)
    finally:
        worker.stop()
    sent = Counter(str(m["X-Envelope-To"]) for m in smtp_sink.messages)
    assert sent == Counter({f"r{n}@example.org": 1 for n in range(13)})


def test_a_worker_that_exits_is_started_again_by_make_runs_wrapper(
    committed: Any, service_env: dict[str, str], smtp_sink: SmtpSink
) -> None:
    """scripts/respawn (the Procfile's): a worker that died for good is run again."""
    worker = CeleryWorker(service_env, respawn=True)
    worker.start()
    try:
        assert worker.process is not None
        children = subprocess.run(
            ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        os.kill(int(children[0]), signal.SIGKILL)
        wait_until(lambda: worker.output().count(" ready.") >= 2, timeout=60)
        assert "respawn:" in worker.output()
        smtp_sink.clear()
        app = make_app(service_env)
        client = isolated_client(app)
        data = {**INDIVIDUAL, "csrf_token": csrf_from(client, "/pledge/individual")}
        assert client.post("/pledge/individual", data=data).status_code == 302
        wait_until(lambda: len(smtp_sink.messages) >= 1, timeout=60)
    finally:
        worker.stop()


def test_login_works_while_redis_is_down(
    committed: Any, own_redis: RedisServer, service_env: dict[str, str]
) -> None:
    """The account throttle's look (peek), count and forget fall back per process too."""
    from campaign.accounts.services import create_user
    from tests.support.auth import PASSWORD

    env = {**service_env, "REDIS_URL": own_redis.url(0), "RATELIMIT_STORAGE_URI": own_redis.url(1)}
    app = make_app(env)
    with app.app_context():
        create_user(email="ada@example.org", password=PASSWORD, role="coordinator")
        db.session.commit()
    own_redis.stop()
    client = isolated_client(app)

    def log_in(password: str) -> int:
        data = {"csrf_token": csrf_from(client, "/account/login"), "email": "ada@example.org"}
        return client.post("/account/login", data={**data, "password": password}).status_code

    assert log_in("wrong guess") == 401
    assert log_in(PASSWORD) == 302
    assert client.get("/admin/").status_code == 200


def test_an_app_whose_redis_is_down_leaves_the_others_counting_in_theirs(
    app: Any, own_redis: RedisServer, service_env: dict[str, str]
) -> None:
    """Counters belong to each application: a second app (its own Redis, now down) does not
    move the first one's counting into process memory, where the test's flush cannot reach."""
    import redis

    from campaign.ratelimits import ratelimits

    other = make_app({**service_env, "RATELIMIT_STORAGE_URI": own_redis.url(1)})
    own_redis.stop()
    with other.app_context():
        assert ratelimits.hit("1 per hour", "probe", "k").allowed  # counted in its memory
    with app.app_context():
        assert ratelimits.hit("1 per hour", "probe", "k").allowed
        assert not ratelimits.hit("1 per hour", "probe", "k").allowed
    store = redis.Redis.from_url(service_env["RATELIMIT_STORAGE_URI"])
    assert list(store.scan_iter("*probe*"))  # in the shared Redis, not in memory
    store.flushdb()
