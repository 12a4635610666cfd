"""A digest chunk sends the drafts it wrote without reading their bodies back: what went out
is what the outbox holds, word for word, and a row it did not write is read as stored."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from typing import Any

from flask import Flask

from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.services import Draft
from campaign.notifications import digests
from tests.notifications.helpers import (
    body,
    bulk_subscribers,
    drain,
    finish_digest,
    outbox_rows,
    without_sentinels,
)
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

MONDAY = dt.date(2026, 11, 30)


def test_what_went_out_is_what_the_outbox_holds(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    emails = [f"reader{n}@example.org" for n in range(12)]
    bulk_subscribers(
        [{"email": email, "locale": ("ar", "zh", "fr")[n % 3]} for n, email in enumerate(emails)]
    )
    db.session.commit()
    digest = digests.build_digest(kind="weekly", today=MONDAY)
    db.session.commit()
    finish_digest(digest.id)
    drain(smtp_sink, already=len(emails))
    stored = {row.to_address: row for row in outbox_rows(f"digest:{digest.id}:")}
    mails = without_sentinels(smtp_sink.messages)
    assert sorted(str(m["X-Envelope-To"]) for m in mails) == sorted(emails)
    for mail in mails:
        row = stored[str(mail["X-Envelope-To"])]
        assert row.status == "sent" and row.attempts == 1
        assert body(mail).strip() == row.body_text.strip()
        assert body(mail, "html").strip() == (row.body_html or "").strip()
        assert str(make_header(decode_header(str(mail["Subject"])))) == row.subject


def test_a_claim_reads_back_only_the_rows_the_caller_did_not_write(app: Flask) -> None:
    written = outbox.queue_email(key="t:mine", to="mine@example.org", subject="S", text="stored")
    other = outbox.queue_email(key="t:other", to="other@example.org", subject="S", text="kept")
    assert written is not None and other is not None
    db.session.flush()
    draft = Draft("t:mine", "mine@example.org", "S", "held in memory", "<p>in memory</p>")
    [mine] = outbox.claim_many([written.id], {written.id: draft})
    assert (mine.id, mine.body_text, mine.body_html, mine.attempts) == (
        written.id,
        "held in memory",
        "<p>in memory</p>",
        1,
    )
    # One id among them unknown: the whole batch is read as stored.
    db.session.rollback()
    written = outbox.queue_email(key="t:mine", to="mine@example.org", subject="S", text="stored")
    other = outbox.queue_email(key="t:other", to="other@example.org", subject="S", text="kept")
    assert written is not None and other is not None
    db.session.flush()
    claimed = outbox.claim_many([written.id, other.id], {written.id: draft})
    assert [row.body_text for row in claimed] == ["stored", "kept"]
    assert outbox.claim_many([written.id], {written.id: draft}) == []  # claimed already
