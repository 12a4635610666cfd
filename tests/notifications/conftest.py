"""Fixtures for the notification tests: a spy on the SMTP sink, and workers with our settings."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.servers import RedisServer, SmtpSink
from tests.support.worker import CeleryWorker


class SinkSpy:
    """Wraps the sink: notes each message's SMTP connection, and can hold the n-th message.

    A held message waits, unanswered, until release(): the worker sending it is stuck before
    the relay accepted it, the moment a test kills it or stops Redis.
    """

    def __init__(self, sink: SmtpSink, hold_at: int | None = None) -> None:
        self.sink = sink
        self.original = sink.handle_DATA
        self.hold_at = hold_at
        self.seen = 0
        self.peers: list[Any] = []
        self.held = threading.Event()
        self.released = threading.Event()
        self.reply = "250 Message accepted for delivery"
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.seen += 1
            number = self.seen
            self.peers.append(session.peer)
        if number == self.hold_at:
            self.held.set()
            # Wait off the event loop, so that the sink keeps serving other connections.
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait)
            if not self.reply.startswith("250"):
                return self.reply
        return await self.original(server, session, envelope)

    def release(self, reply: str = "250 Message accepted for delivery") -> None:
        self.reply = reply
        self.released.set()

    def connections(self) -> int:
        return len(set(self.peers))


@pytest.fixture
def sink_spy(
    smtp_sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., SinkSpy]]:
    """Install a SinkSpy (aiosmtpd looks the hook up for each new connection)."""
    spies: list[SinkSpy] = []

    def install(hold_at: int | None = None) -> SinkSpy:
        spy = SinkSpy(smtp_sink, hold_at)
        monkeypatch.setattr(smtp_sink, "handle_DATA", spy.handle_DATA)
        spies.append(spy)
        return spy

    yield install
    for spy in spies:  # a failed test must not leave the sink's thread waiting
        spy.released.set()


@pytest.fixture
def own_worker(
    celery_worker: CeleryWorker,
    committed: Any,
    smtp_sink: SmtpSink,
    service_env: dict[str, str],
    redis_server: RedisServer,
) -> Iterator[Callable[..., CeleryWorker]]:
    """Workers started with extra settings, in place of the session's worker (restarted after)."""
    celery_worker.stop()
    smtp_sink.clear()
    started: list[CeleryWorker] = []

    def start(respawn: bool = False, **settings: str) -> CeleryWorker:
        """With *respawn*, under scripts/respawn, as production runs it (README: a worker can
        exit for good when its broker restarts)."""
        worker = CeleryWorker({**service_env, **settings}, respawn=respawn)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        print(worker.output()[-8000:])  # pytest shows it when the test failed
    # Nothing of this test (a killed worker's unacknowledged job) may reach the next one.
    redis.Redis.from_url(redis_server.url(0)).flushdb()
    celery_worker.start()
