"""Faults in delivery: a worker killed mid-digest, Redis restarted, a relay refusing for good."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from campaign.core.jobs import DISPATCH_DIGEST, FLUSH_OUTBOX, enqueue_now
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail.models import OutboundEmail
from campaign.notifications import digests
from campaign.notifications.models import Subscription
from campaign.states.services import Act, record_status_change
from tests.notifications.conftest import SinkSpy
from tests.notifications.helpers import (
    bulk_subscribers,
    digest_finished,
    drain,
    outbox_rows,
    state,
    subscriber,
    without_sentinels,
)
from tests.support.servers import RedisServer, SmtpSink, wait_until
from tests.support.worker import CeleryWorker

SOURCE = "Depositary notification C.N.123.2026.TREATIES-IV.13"
CLAIM_TIMEOUT = 2


def _delivered(sink: SmtpSink) -> Counter[str]:
    return Counter(str(m["X-Envelope-To"]) for m in without_sentinels(sink.messages))


def test_a_worker_killed_mid_digest_misses_nobody_and_mails_nobody_twice(
    own_worker: Callable[..., CeleryWorker],
    smtp_sink: SmtpSink,
    sink_spy: Callable[..., SinkSpy],
) -> None:
    # Batches of 8: the 75th message opens the second chunk's fourth batch, so the kill lands
    # on a batch boundary and nothing was sent unsettled (a kill mid-batch re-sends that
    # batch's sent messages under the same Message-ID: tests/worker/test_batch_settle.py).
    settings = {
        "DIGEST_CHUNK_SIZE": "50",
        "MAIL_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
        "MAIL_SEND_BATCH": "8",
    }
    worker = own_worker(**settings)
    emails = {f"s{n:03d}@example.org" for n in range(200)}
    bulk_subscribers([{"email": email} for email in sorted(emails)])
    db.session.commit()
    spy = sink_spy(hold_at=75)  # in the middle of the second chunk
    digest = digests.build_digest(kind="weekly", today=dt.date(2026, 11, 30))
    db.session.commit()
    assert spy.held.wait(timeout=60), "the digest never reached the 75th message"
    worker.kill()  # SIGKILL while the relay has not yet answered the 75th message
    spy.release("421 Connection lost")  # the killed worker's message was never accepted
    assert len(smtp_sink.messages) == 74
    own_worker(**settings)
    # Beat's digests_due dispatches a stalled digest again; the dead worker's claim on the
    # 75th message expires after MAIL_CLAIM_TIMEOUT_SECONDS.
    time.sleep(CLAIM_TIMEOUT + 0.5)
    enqueue_now(DISPATCH_DIGEST, digest.id)
    wait_until(lambda: digest_finished(digest.id), timeout=90)
    drain(smtp_sink, already=200)
    delivered = _delivered(smtp_sink)
    assert set(delivered) == emails and set(delivered.values()) == {1}


@pytest.mark.parametrize("nudge", ["0", "0.25"], ids=["a job per message", "one job"])
def test_redis_restarted_during_a_fan_out_loses_no_alert(
    own_worker: Callable[..., CeleryWorker],
    smtp_sink: SmtpSink,
    redis_server: RedisServer,
    sink_spy: Callable[..., SinkSpy],
    nudge: str,
) -> None:
    """With a job per message, the jobs still queued go with Redis and the flush sends their
    mail; with one job for the fan-out (MAIL_NUDGE_SECONDS), the job holds its claimed mail and
    goes on without Redis. Either way every follower gets the alert once."""
    # Supervised, as in production: kombu can end the worker when Redis is gone a while.
    own_worker(MAIL_NUDGE_SECONDS=nudge, respawn=True)
    emails = {f"f{n:02d}@example.org" for n in range(30)}
    bulk_subscribers([{"email": email} for email in sorted(emails)], follows="BRA")
    db.session.commit()
    spy = sink_spy(hold_at=10)
    record_status_change(
        state=state("BRA"),
        act=Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
    )
    db.session.commit()
    assert spy.held.wait(timeout=60)
    redis_server.stop()  # the queued send jobs go with it (no persistence)
    spy.release()
    wait_until(lambda: len(smtp_sink.messages) >= 10, timeout=30)
    time.sleep(3)  # a restart takes a while: the worker's reconnect meets Redis down
    redis_server.start()
    if nudge == "0":
        assert len(smtp_sink.messages) < 30  # their jobs went with Redis
    # Ten minutes later, beat's flush finds any mail still queued and sends it.
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.status == "queued")
        .values(created_at=utcnow() - dt.timedelta(minutes=11))
    )
    db.session.commit()
    wait_until(lambda: _flushed(), timeout=60)
    drain(smtp_sink, already=30)
    delivered = _delivered(smtp_sink)
    assert set(delivered) == emails and set(delivered.values()) == {1}


def _flushed() -> bool:
    """Ask for a flush (as beat does every five minutes) until nothing is left queued."""
    if all(row.status == "sent" for row in outbox_rows("alert:")):
        return True
    try:
        enqueue_now(FLUSH_OUTBOX)
    except Exception:  # the test's own connection to Redis is still reconnecting
        return False
    time.sleep(1)
    return False


def test_a_permanent_refusal_bounces_without_retry_and_stops_mail_to_the_address(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    bad = subscriber("gone@example.org", alerts="all")
    subscriber("fine@example.org", alerts="all")
    db.session.commit()
    smtp_sink.refusals.append("550 No such user here")
    record_status_change(
        state=state("BRA"),
        act=Act("signature", dt.date(2026, 9, 1), SOURCE),
        recorded_by=None,
        via="sync",
    )
    db.session.commit()
    wait_until(lambda: {r.status for r in outbox_rows("alert:")} == {"sent", "bounced"}, 60)
    [bounced] = [row for row in outbox_rows("alert:") if row.status == "bounced"]
    assert bounced.to_address == "gone@example.org" and bounced.attempts == 1
    assert bounced.last_error is not None and "550" in bounced.last_error
    db.session.refresh(bad)
    assert bad.bounced_at is not None
    # The next alert goes to the good address only; the bounced one was not retried.
    record_status_change(
        state=state("IND"),
        act=Act("signature", dt.date(2026, 9, 2), SOURCE),
        recorded_by=None,
        via="sync",
    )
    db.session.commit()
    smtp_sink.wait_for(2)
    drain(smtp_sink, already=2)
    assert len(outbox_rows("alert:")) == 3
    assert sorted(_delivered(smtp_sink).elements()) == ["fine@example.org"] * 2
    assert db.session.get(Subscription, bad.id) is not None
