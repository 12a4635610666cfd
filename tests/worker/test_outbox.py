"""The outbox services in-process: queued once per key, jobs only after commit, claimed once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.core.jobs import SEND_EMAIL
from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.models import OutboundEmail


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboundEmail)) or 0


def test_job_is_published_after_commit_only(app: Flask, published_jobs: list[Any]) -> None:
    message = outbox.queue_email(key="t:1", to="a@example.org", subject="Hi", text="Body")
    assert message is not None
    assert published_jobs == []
    db.session.commit()
    assert published_jobs == [(SEND_EMAIL, (message.id,))]


def test_nothing_published_on_rollback(app: Flask, published_jobs: list[Any]) -> None:
    outbox.queue_email(key="t:2", to="a@example.org", subject="Hi", text="Body")
    db.session.rollback()
    db.session.commit()
    assert published_jobs == []
    assert _count() == 0


def test_same_key_is_queued_once(app: Flask, published_jobs: list[Any]) -> None:
    first = outbox.queue_email(key="t:3", to="a@example.org", subject="Hi", text="Body")
    second = outbox.queue_email(key="t:3", to="b@example.org", subject="Other", text="Other")
    db.session.commit()
    assert first is not None and second is None
    assert _count() == 1
    assert [name for name, _ in published_jobs] == [SEND_EMAIL]


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        ("a@example.org\r\nBcc: victim@example.org", "Hi"),
        ("a@example.org", "Hi\nBcc: victim@example.org"),
        ("a@example.org", "Hi\rX-Injected: yes"),
    ],
)
def test_header_injection_is_refused(app: Flask, to: str, subject: str) -> None:
    with pytest.raises(ValueError, match="Line breaks"):
        outbox.queue_email(key="t:inj", to=to, subject=subject, text="Body")
    assert _count() == 0


def test_claim_is_exclusive_and_stale_claims_expire(app: Flask) -> None:
    message = outbox.queue_email(key="t:4", to="a@example.org", subject="Hi", text="Body")
    assert message is not None
    db.session.flush()
    [claimed] = outbox.claim_many([message.id])
    db.session.refresh(message)
    assert message.status == "sending" and claimed.attempts == message.attempts == 1
    assert outbox.claim_many([message.id]) == []
    message.claimed_at = message.claimed_at - dt.timedelta(hours=1)  # type: ignore[operator,assignment]
    db.session.flush()
    [again] = outbox.claim_many([message.id])
    assert again.attempts == 2
    outbox.settle([message.id], status="sent")
    db.session.refresh(message)
    message.claimed_at = message.claimed_at - dt.timedelta(hours=1)  # type: ignore[operator,assignment]
    db.session.flush()
    assert outbox.claim_many([message.id]) == []


def test_lost_jobs_are_found_for_resending(app: Flask) -> None:
    message = outbox.queue_email(key="t:5", to="a@example.org", subject="Hi", text="Body")
    assert message is not None
    db.session.flush()
    assert message.id not in outbox.due_for_resend(dt.timedelta(minutes=10))
    message.created_at = message.created_at - dt.timedelta(minutes=11)
    db.session.flush()
    assert message.id in outbox.due_for_resend(dt.timedelta(minutes=10))
