"""Mail queued by many units of work goes out through one job per process and window
(MAIL_NUDGE_SECONDS), which sends everything queued and never tried over one connection."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from campaign.core import jobs
from campaign.core.jobs import SEND_PENDING
from campaign.extensions import db
from campaign.mail import batch
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail
from tests.notifications.conftest import SinkSpy
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker

WINDOW = 0.25


@pytest.fixture
def nudged(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_NUDGE_SECONDS", WINDOW)
    monkeypatch.setattr(jobs, "_ON_ITS_WAY", {})


def _queue(key: str, to: str) -> int:
    message_id = outbox.queue(key=key, to=to, subject="Hello", text="Body")
    assert message_id is not None
    return message_id


def test_many_commits_in_a_window_publish_one_job(
    app: Flask, nudged: None, published_jobs: list[Any]
) -> None:
    for n in range(5):  # five requests, each its own unit of work
        _queue(f"t:pending:{n}", f"p{n}@example.org")
        db.session.commit()
    assert published_jobs == [(SEND_PENDING, ())]
    _queue("t:pending:rolled-back", "rb@example.org")
    db.session.rollback()  # nothing committed, nothing published
    assert published_jobs == [(SEND_PENDING, ())]
    time.sleep(WINDOW + 0.05)  # that job has run (or will, after everything above)
    _queue("t:pending:later", "later@example.org")
    db.session.commit()
    assert published_jobs == [(SEND_PENDING, ()), (SEND_PENDING, ())]


def test_never_tried_leaves_out_held_retried_sent_and_digest_mail(app: Flask) -> None:
    fresh = _queue("t:fresh", "fresh@example.org")
    retried = _queue("t:retried", "retried@example.org")
    sent = _queue("t:sent", "sent@example.org")
    held = _queue("t:held", "held@example.org")
    db.session.flush()
    outbox.claim_many([retried, sent])
    outbox.settle([retried], status="queued", error="421 later")  # waits for its backoff
    outbox.settle([sent], status="sent")
    db.session.get(OutboundEmail, held).status = "held"  # type: ignore[union-attr]
    db.session.flush()
    assert batch.never_tried(10) == [fresh]
    assert batch.never_tried(0) == []


def test_the_job_sends_them_once_over_one_connection(
    app: Flask,
    nudged: None,
    worker: CeleryWorker,
    smtp_sink: SmtpSink,
    committed: Any,
    sink_spy: Callable[..., SinkSpy],
) -> None:
    spy = sink_spy()
    addresses = [f"batch{n}@example.org" for n in range(7)]
    for n, address in enumerate(addresses):
        _queue(f"t:batch:{n}", address)
        db.session.commit()
    wait_until(lambda: len(smtp_sink.messages) >= len(addresses), timeout=60)
    jobs.enqueue_now(SEND_PENDING)  # run again: nothing is pending, nothing is sent twice
    _queue("t:batch:sentinel", "sentinel@example.org")
    db.session.commit()
    jobs.enqueue_now(SEND_PENDING)
    wait_until(lambda: len(smtp_sink.messages) >= len(addresses) + 1, timeout=60)
    delivered = [str(m["X-Envelope-To"]) for m in smtp_sink.messages]
    assert sorted(delivered[:-1]) == sorted(addresses) and delivered[-1] == "sentinel@example.org"
    assert spy.connections() <= 3  # one per job that found mail, not one per message
    db.session.expire_all()
    statuses = {
        row.status
        for row in db.session.query(OutboundEmail).filter(
            OutboundEmail.idempotency_key.like("t:batch:%")
        )
    }
    assert statuses == {"sent"}


def test_a_nudge_the_broker_refused_is_tried_again_at_the_next_commit(
    app: Flask, nudged: None, published_jobs: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broker down: the mail stays queued (the outbox flush is the safety net), and the
    window is not taken, so the next unit of work asks again at once."""
    real = jobs.enqueue_now

    def refused(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs, "enqueue_now", refused)
    down = _queue("t:down", "down@example.org")
    db.session.commit()
    assert published_jobs == [] and jobs._ON_ITS_WAY == {}
    assert batch.never_tried(10) == [down]
    monkeypatch.setattr(jobs, "enqueue_now", real)
    _queue("t:back", "back@example.org")
    db.session.commit()
    assert published_jobs == [(SEND_PENDING, ())]
