"""The suppression list at queue time for mail queued in bulk (a digest chunk): an address on
the list gets a row that says why and is never sent, and does not hold the digest open."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from campaign.extensions import db
from campaign.mail import suppression
from campaign.notifications import digests
from campaign.notifications.services import record_bounce
from tests.notifications.helpers import outbox_rows, subscriber

MONDAY = dt.date(2026, 11, 30)


def test_a_suppressed_subscriber_is_queued_no_digest(app: Flask) -> None:
    soft, hard, fine = (
        subscriber(f"{name}@example.org", frequency="weekly") for name in ("soft", "hard", "fine")
    )
    # Soft bounces up to the limit put the address on the list and leave its subscription as
    # it was: only the outbox's own check stands between it and the digest.
    for n in range(app.config["MAIL_SOFT_BOUNCE_LIMIT"]):
        suppression.record_bounce_report(
            address=soft.email, kind="soft", source="dsn", report_key=f"dsn:<soft-{n}@mx>"
        )
    # A hard bounce marks the subscription as well (as the bounce reader and the worker do).
    suppression.record_bounce_report(
        address=hard.email, kind="hard", source="dsn", report_key="dsn:<hard@mx>"
    )
    record_bounce(address=hard.email)
    db.session.flush()
    db.session.expire_all()
    assert suppression.suppressed([soft.email, hard.email, fine.email]) == {soft.email, hard.email}
    assert soft.is_mailable and not hard.is_mailable

    digest = digests.build_digest(kind="weekly", today=MONDAY)
    [(first, last)] = digests.plan_chunks(digest_id=digest.id)
    to_send = digests.prepare_chunk(digest_id=digest.id, first_id=first, last_id=last)

    rows = {row.to_address: row for row in outbox_rows(f"digest:{digest.id}:")}
    assert hard.email not in rows  # a bounced subscription is not even listed
    refused = rows[soft.email]
    assert (refused.status, refused.last_error) == ("failed", suppression.SUPPRESSED)
    assert refused.attempts == 0 and refused.id not in to_send
    assert rows[fine.email].status == "queued" and to_send == [rows[fine.email].id]
    # Nothing is owed to the suppressed address: the digest finishes once the rest is sent.
    assert digests.pending_subscription_ids(digest) == [fine.id]


def test_every_spelling_of_a_suppressed_mailbox_is_answered(app: Flask) -> None:
    """Two addresses of one mailbox in one batch (a +tag, a case) are both refused."""
    suppression.record_bounce_report(
        address="amina@example.org", kind="hard", source="smtp", report_key="smtp:test:1"
    )
    batch = ["amina@example.org", "Amina+news@example.org", "other@example.org"]
    assert suppression.suppressed(batch) == {"amina@example.org", "Amina+news@example.org"}
