"""Fixtures: the test database (SQLite or PostgreSQL, rolled back after each test), Redis, an
SMTP sink, a worker."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import flask_sqlalchemy.session
import pytest
from celery.signals import before_task_publish
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.test import TestResponse

from campaign import create_app
from campaign.extensions import db as _db
from campaign.settings.services import ProcessCache
from tests.support.auth import log_in, make_user
from tests.support.databases import SqliteBackend, make_backend
from tests.support.live import LiveServer
from tests.support.servers import RedisServer, SmtpSink, free_port
from tests.support.worker import CeleryWorker

# One database per run, so that runs side by side (a developer and CI, or the two legs of
# `make test`) never collide; and one directory for the files a run stores (uploads, imports).
TEST_DB = f"campaign_test_{os.getpid()}"
RUN_FILES = Path(tempfile.mkdtemp(prefix="campaign-test-files-"))
BACKEND = make_backend()
LIVE_PORT = free_port()  # the live server's, known to every process of the run (SITE_URL)


def pytest_report_header() -> str:
    return f"database backend: {BACKEND.name} (TEST_BACKEND)"


def pytest_unconfigure() -> None:
    if isinstance(BACKEND, SqliteBackend):
        BACKEND.cleanup()
    shutil.rmtree(RUN_FILES, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def service_env(redis_server: RedisServer, smtp_sink: SmtpSink) -> dict[str, str]:
    """The environment a worker or server process needs to join this test run."""
    return {
        # A worker writes links on the site the live server is (deferred mail: a pledge's
        # confirmation is rendered in the worker), as the two share SITE_URL in production.
        "SITE_URL": f"http://127.0.0.1:{LIVE_PORT}",
        "DATABASE_URL": BACKEND.url(TEST_DB),
        "REDIS_URL": redis_server.url(0),
        "RATELIMIT_STORAGE_URI": redis_server.url(1),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_sink.port),
        "MAIL_RETRY_BASE_SECONDS": "1",
        "MAIL_TIMEOUT": "5",
        # The worker and the live server send queued mail as production does: one job per
        # process and window (the in-process app keeps one job per message: config.py).
        "MAIL_NUDGE_SECONDS": "0.25",
        "MATERIALS_DIR": str(RUN_FILES / "materials"),
        "PLEDGE_IMPORT_DIR": str(RUN_FILES / "imports"),
    }


def make_app(env: dict[str, str], **overrides: Any) -> Flask:
    settings: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
        "CELERY_BROKER_URL": env["REDIS_URL"],
        "RATELIMIT_STORAGE_URI": env["RATELIMIT_STORAGE_URI"],
        "MAIL_PORT": int(env["MAIL_PORT"]),
        "MAIL_RETRY_BASE_SECONDS": 1,
        "MATERIALS_DIR": env["MATERIALS_DIR"],
        "PLEDGE_IMPORT_DIR": env["PLEDGE_IMPORT_DIR"],
    }
    return create_app("test", **{**settings, **overrides})


@pytest.fixture(scope="session")
def app(service_env: dict[str, str]) -> Iterator[Flask]:
    """The app on a freshly migrated and seeded test database."""
    BACKEND.recreate(TEST_DB)
    application = make_app(service_env)
    with application.app_context():
        upgrade()
        seed_registry(application)
        # Tests join an outer transaction; every commit inside is a savepoint.
        _db.session.remove()
        _db.session.configure(join_transaction_mode="create_savepoint")
    yield application
    with application.app_context():
        _db.engine.dispose()
    BACKEND.drop(TEST_DB)


def seed_registry(application: Flask) -> None:
    result = application.test_cli_runner().invoke(args=["campaign", "seed"])
    assert result.exit_code == 0, result.output


@pytest.fixture(autouse=True)
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Each test in one outer transaction, rolled back afterwards (unless it needs commits)."""
    if "committed" in request.fixturenames or "app" not in request.fixturenames:
        yield _db
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        monkeypatch.setattr(
            flask_sqlalchemy.session.Session, "get_bind", lambda self, *a, **k: connection
        )
        _db.session.remove()
        try:
            yield _db
        finally:
            _db.session.remove()
            outer.rollback()
            connection.close()


@pytest.fixture
def committed(app: Flask) -> Iterator[Any]:
    """Real commits, visible to other processes (worker, server); wiped and re-seeded after."""
    with app.app_context():
        _db.session.remove()
        yield _db
        _db.session.remove()
        BACKEND.wipe(_db.engine, _db.metadata)
        ProcessCache.clear_every()  # nothing read before the wipe is kept
        seed_registry(app)
        _db.session.remove()


class IsolatedClient(FlaskClient):
    """A test client with a fresh app context (and so a fresh `g`) for every request.

    The autouse `db` fixture holds one app context for the whole test, and a request reuses
    an app context it finds: without this, every request of every client in a test would
    share one `g`, and with it Flask-Login's cached user and Flask-WTF's CSRF token.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


def isolated_client(app: Flask) -> FlaskClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def client(app: Flask, redis_server: RedisServer) -> FlaskClient:
    import redis

    redis.Redis.from_url(redis_server.url(1)).flushdb()  # fresh rate-limit counters
    return isolated_client(app)


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient) -> FlaskClient:
    """The test client, logged in through the real login form as a new coordinator."""
    log_in(client, make_user("coordinator"))
    return client


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> FlaskClient:
    log_in(client, make_user("admin"))
    return client


@pytest.fixture(params=["anonymous", "partner", "coordinator", "admin"])
def role_client(request: pytest.FixtureRequest, client: FlaskClient) -> tuple[str, FlaskClient]:
    """A client for each role in turn (anonymous: not logged in)."""
    role: str = request.param
    if role != "anonymous":
        log_in(client, make_user(role))
    return role, client


@pytest.fixture
def new_client(app: Flask, client: FlaskClient) -> Callable[[], FlaskClient]:
    """Another browser: its own cookies, its own requests."""
    return lambda: isolated_client(app)


@pytest.fixture
def published_jobs() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Every job this process sends to the broker, as (name, args), in order."""
    sent: list[tuple[str, tuple[Any, ...]]] = []

    def record(sender: str | None = None, body: Any = None, **_: Any) -> None:
        args = body[0] if isinstance(body, tuple | list) else ()
        sent.append((str(sender), tuple(args)))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


@pytest.fixture(scope="session")
def celery_worker(
    app: Flask, service_env: dict[str, str], redis_server: RedisServer
) -> Iterator[CeleryWorker]:
    """A real worker on the test Redis and database, started once for the session."""
    import redis

    redis.Redis.from_url(redis_server.url(0)).flushdb()  # no jobs left from rolled-back tests
    worker = CeleryWorker(service_env)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def worker(celery_worker: CeleryWorker, committed: Any, smtp_sink: SmtpSink) -> CeleryWorker:
    """The running worker, with committed data and an empty sink."""
    if celery_worker.process is None or celery_worker.process.poll() is not None:
        celery_worker.start()
    smtp_sink.clear()
    return celery_worker


@pytest.fixture(scope="session")
def live_server(app: Flask, service_env: dict[str, str]) -> Iterator[LiveServer]:
    """The app over real HTTP on loopback; pair it with `committed` (or `worker`)."""
    nudge = float(service_env["MAIL_NUDGE_SECONDS"])
    site = service_env["SITE_URL"]
    server = LiveServer(make_app(service_env, SITE_URL=site, MAIL_NUDGE_SECONDS=nudge), LIVE_PORT)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fresh_limits(redis_server: RedisServer) -> None:
    """Empty rate-limit counters, for tests that submit from one address many times."""
    import redis

    redis.Redis.from_url(redis_server.url(1)).flushdb()
