"""A digest chunk settles its sends in batches: a crash re-sends at most one batch."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable

from campaign.core.jobs import DISPATCH_DIGEST, enqueue_now
from campaign.extensions import db
from campaign.notifications import digests
from tests.notifications.conftest import SinkSpy
from tests.notifications.helpers import bulk_subscribers, digest_finished, drain, outbox_rows
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker

BATCH = 8
CLAIM_TIMEOUT = 2


def test_a_worker_killed_mid_batch_resends_only_that_batch_under_the_same_message_ids(
    own_worker: Callable[..., CeleryWorker],
    smtp_sink: SmtpSink,
    sink_spy: Callable[..., SinkSpy],
) -> None:
    settings = {
        "DIGEST_CHUNK_SIZE": "100",
        "MAIL_SEND_BATCH": str(BATCH),
        "MAIL_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
    }
    worker = own_worker(**settings)
    emails = [f"b{n:02d}@example.org" for n in range(30)]
    bulk_subscribers([{"email": email} for email in emails])
    db.session.commit()
    # Held: the 13th message, the 5th of the second batch. The first batch was settled when
    # the second was claimed; the 9th to 12th were accepted by the relay but not settled.
    spy = sink_spy(hold_at=BATCH + 5)
    digest = digests.build_digest(kind="weekly", today=dt.date(2026, 11, 30))
    db.session.commit()
    assert spy.held.wait(timeout=60), "the digest never reached the held message"
    worker.kill()
    spy.release("421 Connection lost")
    assert len(smtp_sink.messages) == BATCH + 4
    first_ids = {str(m["X-Envelope-To"]): str(m["Message-ID"]) for m in smtp_sink.messages}
    states = Counter(row.status for row in outbox_rows("digest:"))
    # Only the batch being sent is claimed; the rest of the chunk is still queued.
    assert states == {"sent": BATCH, "sending": BATCH, "queued": 30 - 2 * BATCH}
    own_worker(**settings)
    time.sleep(CLAIM_TIMEOUT + 0.5)  # the dead worker's claims expire
    enqueue_now(DISPATCH_DIGEST, digest.id)
    wait_until(lambda: digest_finished(digest.id), timeout=90)
    drain(smtp_sink, already=30 + 4)
    delivered = Counter(str(m["X-Envelope-To"]) for m in smtp_sink.messages[:-1])
    assert set(delivered) == set(emails)
    again = sorted(email for email, times in delivered.items() if times > 1)
    assert again == emails[BATCH : BATCH + 4] and set(delivered.values()) == {1, 2}
    for message in smtp_sink.messages[BATCH + 4 : -1]:  # the second copies: the same id
        address = str(message["X-Envelope-To"])
        if address in again:
            assert str(message["Message-ID"]) == first_ids[address]
    rows = outbox_rows("digest:")
    assert {row.status for row in rows} == {"sent"}
    # Settled in batches, each with the header block it went out with (the outbox view's).
    for row in rows:
        assert row.sent_headers and f"To: {row.to_address}" in row.sent_headers
