"""A real worker on real Redis sends outbox mail to a real SMTP server, once per key."""

from __future__ import annotations

import re
from collections.abc import Callable
from email import message_from_string
from email.utils import parseaddr
from typing import Any

import pytest
from flask import Flask

from campaign.core.jobs import ALL_JOBS, SEND_EMAIL, enqueue_now
from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail import suppression
from campaign.mail.bounces import outbox_id_of, return_path
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker
from tests.worker.helpers import drain, outbox_row, queue_message, reaches

BOUNCES = "bounces@campaign.example.org"
VERP_PATH = re.compile(r"bounces\+\d+-[0-9a-f]{12}@campaign\.example\.org")
VERP_RECIPIENTS = ("ana@example.org", "bo@example.org")


def test_every_job_name_is_registered_in_the_worker(app: Flask, worker: CeleryWorker) -> None:
    replies = app.extensions["celery"].control.inspect(timeout=10).registered() or {}
    registered = {name for names in replies.values() for name in names}
    assert set(ALL_JOBS) <= registered


def test_message_arrives_at_the_smtp_server(
    app: Flask, worker: CeleryWorker, smtp_sink: SmtpSink
) -> None:
    message_id = queue_message("welcome:1")
    [received] = smtp_sink.wait_for(1)
    assert received["Subject"] == "Subject welcome:1"
    assert received["X-Envelope-To"] == "supporter@example.org"
    assert received["X-Campaign-Key"] == "welcome:1"
    assert received.is_multipart()
    # Without MAIL_BOUNCE_ADDRESS, the envelope sender is the From address.
    assert smtp_sink.senders == [parseaddr(app.config["MAIL_DEFAULT_SENDER"])[1]]
    row = reaches(message_id, "sent")
    assert row.sent_at is not None and row.attempts == 1


def test_the_envelope_sender_is_each_messages_own_return_path(
    app: Flask,
    own_worker: Callable[..., CeleryWorker],
    smtp_sink: SmtpSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With MAIL_BOUNCE_ADDRESS, MAIL FROM is the message's VERP path: a bounce days later
    comes back to an address that names the message."""
    monkeypatch.setitem(app.config, "MAIL_BOUNCE_ADDRESS", BOUNCES)  # to compute it here too
    own_worker(MAIL_BOUNCE_ADDRESS=BOUNCES)
    ids = {to: queue_message(f"verp:{n}", to=to) for n, to in enumerate(VERP_RECIPIENTS)}
    smtp_sink.wait_for(len(ids))
    with smtp_sink.lock:
        envelopes = list(zip(smtp_sink.messages, smtp_sink.senders, strict=True))
    sent = {str(message["X-Envelope-To"]): sender for message, sender in envelopes}
    assert sent == {to: return_path(message_id) for to, message_id in ids.items()}
    from_address = parseaddr(app.config["MAIL_DEFAULT_SENDER"])[1]
    for message, sender in envelopes:
        assert VERP_PATH.fullmatch(sender), sender
        # The envelope only: readers still see, and reply to, the campaign's address.
        assert parseaddr(str(message["From"]))[1] == from_address
        # A report sent back to that path names the message it answers.
        report = message_from_string(f"To: {sender}\nSubject: Undelivered\n\nGone.\n")
        assert outbox_id_of(report) == ids[str(message["X-Envelope-To"])]


def test_same_key_twice_delivers_one_message(worker: CeleryWorker, smtp_sink: SmtpSink) -> None:
    message_id = queue_message("once:1")
    assert outbox.queue_email(key="once:1", to="x@example.org", subject="S", text="T") is None
    db.session.commit()
    enqueue_now(SEND_EMAIL, message_id)  # a duplicated job, as after a redelivery
    enqueue_now(SEND_EMAIL, message_id)
    drain(smtp_sink, expected=1)
    keys = [m["X-Campaign-Key"] for m in smtp_sink.messages]
    assert keys.count("once:1") == 1


def test_smtp_down_then_up_delivers_once(worker: CeleryWorker, smtp_sink: SmtpSink) -> None:
    smtp_sink.stop()
    try:
        message_id = queue_message("retry:1")
        wait_until(lambda: (r := outbox_row(message_id)).attempts >= 1 and r.last_error)
        assert outbox_row(message_id).status in {"queued", "sending"}
    finally:
        smtp_sink.start()
    smtp_sink.wait_for(1)
    row = reaches(message_id, "sent")
    assert row.attempts >= 2
    drain(smtp_sink, expected=1)
    assert [m["X-Campaign-Key"] for m in smtp_sink.messages].count("retry:1") == 1


def test_temporary_refusal_is_retried(worker: CeleryWorker, smtp_sink: SmtpSink) -> None:
    smtp_sink.refusals.append("421 Service not available, try again later")
    message_id = queue_message("refused-once:1")
    smtp_sink.wait_for(1)
    row = reaches(message_id, "sent")
    assert row.attempts == 2
    assert [m["X-Campaign-Key"] for m in smtp_sink.messages] == ["refused-once:1"]


def test_permanent_refusal_bounces_without_retry(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    smtp_sink.refusals.append("550 No such user here")
    message_id = queue_message("bounce:1")
    row = reaches(message_id, "bounced")
    assert row.attempts == 1
    assert row.last_error is not None and "550" in row.last_error
    drain(smtp_sink, expected=0)
    assert [m["X-Campaign-Key"] for m in smtp_sink.messages] == ["sentinel"]
    # The refusal put the address on the one suppression list: a new mail to it (a pledge a
    # minute later) is kept in the outbox, marked, and never handed to the relay.
    db.session.expire_all()
    assert suppression.is_suppressed("supporter@example.org")
    again = outbox_row(queue_message("pledge-confirm:9:1"))
    assert again.status == "failed" and again.last_error == suppression.SUPPRESSED
    queue_message("sentinel-2", to="sentinel@example.org")
    smtp_sink.wait_for(2)
    assert [m["X-Campaign-Key"] for m in smtp_sink.messages] == ["sentinel", "sentinel-2"]
