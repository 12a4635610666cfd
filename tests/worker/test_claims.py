"""Claiming many messages in one statement, settling them together, releasing unsent ones."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import update

from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail


def _queue(*keys: str) -> list[int]:
    ids = []
    for key in keys:
        message = outbox.queue_email(key=key, to=f"{key}@example.org", subject=key, text=key)
        assert message is not None
        ids.append(message.id)
    db.session.flush()
    return ids


def _row(message_id: int) -> OutboundEmail:
    db.session.expire_all()
    row = db.session.get(OutboundEmail, message_id)
    assert row is not None
    return row


def test_claim_many_claims_the_due_ones_once_in_the_order_asked(app: Flask) -> None:
    first, second, third = _queue("c:1", "c:2", "c:3")
    db.session.execute(
        update(OutboundEmail).where(OutboundEmail.id == second).values(status="sent")
    )
    claimed = outbox.claim_many([third, second, first])
    assert [row.id for row in claimed] == [third, first]
    assert [row.idempotency_key for row in claimed] == ["c:3", "c:1"]
    assert {row.attempts for row in claimed} == {1}
    assert outbox.claim_many([first, second, third]) == []
    assert _row(first).status == "sending" and _row(first).claimed_at is not None


def test_an_expired_claim_is_taken_over(app: Flask) -> None:
    [message_id] = _queue("c:4")
    assert outbox.claim_many([message_id])
    old = _row(message_id).claimed_at - dt.timedelta(hours=1)  # type: ignore[operator]
    db.session.execute(
        update(OutboundEmail).where(OutboundEmail.id == message_id).values(claimed_at=old)
    )
    [again] = outbox.claim_many([message_id])
    assert again.attempts == 2


def test_a_change_the_session_has_not_written_yet_counts(app: Flask) -> None:
    """The claim flushes the session first, as an ORM statement would: a message put back in
    the queue in this unit of work, not yet written, is claimed."""
    [message_id] = _queue("c:8")
    db.session.execute(
        update(OutboundEmail).where(OutboundEmail.id == message_id).values(status="failed")
    )
    row = _row(message_id)
    row.status = "queued"  # pending in the session, not flushed
    [claimed] = outbox.claim_many([message_id])
    assert claimed.id == message_id and _row(message_id).status == "sending"


def test_numbers_no_message_id_can_be_claim_nothing_and_fail_nothing(app: Flask) -> None:
    [message_id] = _queue("c:9")
    beyond = [2**31, 2**63, 2**64 + 7, -(2**70), 0]
    assert outbox.claim_many(beyond) == []
    [claimed] = outbox.claim_many([*beyond, message_id])
    assert claimed.id == message_id


def test_settle_marks_only_claimed_rows(app: Flask) -> None:
    claimed_id, queued_id = _queue("c:5", "c:6")
    outbox.claim_many([claimed_id])
    assert outbox.settle([claimed_id, queued_id], status="sent") == 1
    sent, queued = _row(claimed_id), _row(queued_id)
    assert sent.status == "sent" and sent.sent_at is not None and sent.last_error is None
    assert queued.status == "queued" and queued.sent_at is None
    assert outbox.settle([claimed_id], status="bounced", error="550") == 0  # already settled


def test_a_failure_is_settled_with_its_error(app: Flask) -> None:
    [message_id] = _queue("c:7")
    outbox.claim_many([message_id])
    outbox.settle([message_id], status="queued", error="SMTP 421: " + "x" * 3000)
    row = _row(message_id)
    assert row.status == "queued" and row.attempts == 1
    assert row.last_error is not None and len(row.last_error) == 2000


def test_release_gives_back_an_untried_claim(app: Flask) -> None:
    [message_id] = _queue("c:8")
    outbox.claim_many([message_id])
    assert outbox.release([message_id]) == 1
    row = _row(message_id)
    assert row.status == "queued" and row.attempts == 0 and row.claimed_at is None
    assert [claimed.id for claimed in outbox.claim_many([message_id])] == [message_id]
