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
from campaign.notifications.models import DigestDelivery
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


def test_a_digest_is_rendered_once_per_language_for_all_its_chunks(
    app: Flask, monkeypatch: Any
) -> None:
    from campaign.notifications import messages

    renders: list[str] = []
    original = messages.render_shared

    def counted(template: str, locale: str, **context: Any) -> tuple[str, str]:
        renders.append(locale)
        return original(template, locale, **context)

    monkeypatch.setattr(messages, "render_shared", counted)
    monkeypatch.setitem(app.config, "DIGEST_CHUNK_SIZE", 4)
    ids = bulk_subscribers(
        [{"email": f"chunked{n}@example.org", "locale": ("fr", "ar")[n % 2]} for n in range(12)]
    )
    digest = digests.build_digest(kind="weekly", today=MONDAY)
    db.session.flush()
    chunks = digests.plan_chunks(digest_id=digest.id)
    assert len(chunks) == 3
    for first, last in chunks:
        digests.prepare_chunk(digest_id=digest.id, first_id=first, last_id=last)
    assert sorted(renders) == ["ar", "fr"]  # not once per chunk
    rows = outbox_rows(f"digest:{digest.id}:")
    assert len(rows) == len(ids) and all("chunked" in row.to_address for row in rows)
    french = [row for row in rows if "/fr/" in row.body_text]
    assert len(french) == 6 and all(
        row.body_text.count("/fr/subscriptions/") == 2 for row in french
    )

    # Another digest (another id, or the same id built again later) is rendered afresh.
    digest.created_at += dt.timedelta(seconds=1)
    renders.clear()
    db.session.execute(
        DigestDelivery.__table__.delete().where(DigestDelivery.digest_id == digest.id)
    )
    first, last = chunks[0]
    digests.prepare_chunk(digest_id=digest.id, first_id=first, last_id=last)
    assert sorted(renders) == ["ar", "fr"]
