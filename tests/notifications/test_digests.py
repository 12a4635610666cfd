"""Digests: built once per period, fanned out in chunks over one SMTP connection each."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.notifications import digests
from campaign.notifications.models import Digest, DigestDelivery, Subscription
from campaign.outreach.models import OutreachTask
from campaign.states.services import Act, record_status_change
from tests.notifications.conftest import SinkSpy
from tests.notifications.helpers import (
    NOW,
    PREFERENCES_LINK,
    body,
    bulk_subscribers,
    digest_finished,
    drain,
    finish_digest,
    link_owner,
    outbox_rows,
    partner_organisation,
    state,
    unsent_digest,
    without_sentinels,
)
from tests.support.auth import csrf_from, log_in, make_user
from tests.support.rows import count
from tests.support.servers import SmtpSink, wait_until
from tests.support.worker import CeleryWorker

MONDAY = dt.date(2026, 11, 30)


def _build(kind: str = "weekly", today: dt.date = MONDAY) -> Digest:
    digest = digests.build_digest(kind=kind, today=today)
    db.session.commit()  # the fan-out job is queued now
    return digest


def _population(size: int) -> tuple[set[str], set[str]]:
    """*size* subscribers: most want the weekly digest; some unsubscribed, bounced, unconfirmed,
    monthly or without a digest. The eligible addresses and the others."""
    rows: list[dict[str, Any]] = []
    for n in range(size):
        row: dict[str, Any] = {
            "email": f"s{n:05d}@example.org",
            "locale": ("en", "fr", "ar")[n % 3],
        }
        if n % 10 == 1:
            row["unsubscribed_at"] = NOW
        elif n % 15 == 2:
            row["bounced_at"] = NOW
        elif n % 40 == 3:
            row["confirmed_at"] = None
        elif n % 50 == 4:
            row["frequency"] = "monthly"
        elif n % 60 == 5:
            row["frequency"] = "none"
        rows.append(row)
    bulk_subscribers(rows)
    db.session.commit()
    eligible = {
        row["email"]
        for row in rows
        if "unsubscribed_at" not in row
        and "bounced_at" not in row
        and "confirmed_at" not in row
        and row.get("frequency", "weekly") == "weekly"
    }
    return eligible, {row["email"] for row in rows} - eligible


def test_two_thousand_subscribers_get_exactly_one_digest_each(
    app: Flask,
    worker: CeleryWorker,
    smtp_sink: SmtpSink,
    committed: Any,
    sink_spy: Callable[..., SinkSpy],
) -> None:
    eligible, others = _population(2000)
    spy = sink_spy()
    digest = _build()
    assert _build().id == digest.id  # built once per period
    wait_until(lambda: digest_finished(digest.id), timeout=150)
    drain(smtp_sink, already=len(eligible))
    mails = without_sentinels(smtp_sink.messages)
    delivered = Counter(str(m["X-Envelope-To"]) for m in mails)
    assert set(delivered) == eligible and set(delivered.values()) == {1}
    assert not others & set(delivered)
    chunk = int(app.config["DIGEST_CHUNK_SIZE"])
    assert spy.connections() == -(-len(eligible) // chunk) + 1  # one per chunk, and the sentinel
    owners = {link_owner(mail): str(mail["X-Envelope-To"]) for mail in mails}
    emails = dict(db.session.execute(select(Subscription.id, Subscription.email)).all())
    assert all(emails[owner] == address for owner, address in owners.items())
    assert count(DigestDelivery) == len(eligible)
    assert {row.status for row in outbox_rows("digest:")} == {"sent"}
    subjects = {str(mail["Subject"]) for mail in mails}
    assert "Week of 23 November 2026: where the Migrant Workers Convention stands" in subjects
    assert len(subjects) == 3  # one subject per language: en, fr and ar subscribers
    client = app.test_client(use_cookies=False)
    for mail in mails[:: len(mails) // 25]:  # the links work in the browser, too
        link = PREFERENCES_LINK.search(body(mail))
        assert link is not None
        page = client.get(link.group(0))
        assert page.status_code == 200
        assert str(mail["X-Envelope-To"]) in page.get_data(as_text=True)


def test_a_digest_pauses_itself_when_sends_keep_failing_and_resumes(
    app: Flask,
    client: FlaskClient,
    worker: CeleryWorker,
    smtp_sink: SmtpSink,
    committed: Any,
) -> None:
    eligible = {f"s{n:03d}@example.org" for n in range(60)}
    bulk_subscribers([{"email": email} for email in sorted(eligible)])
    db.session.commit()
    smtp_sink.refusals.extend(["550 No such user here"] * 15)
    digest = _build()
    wait_until(lambda: _paused(digest.id), timeout=60)
    held = [row for row in outbox_rows("digest:") if row.status == "held"]
    assert len(held) == 40 and len(smtp_sink.messages) == 5  # 20 tried, 15 refused
    bounced = db.session.scalar(select(func.count()).where(Subscription.bounced_at.is_not(None)))
    assert bounced == 15
    log_in(client, make_user("coordinator"))
    token = csrf_from(client, "/admin/outbox")
    assert client.post(f"/admin/outbox/digests/{digest.id}/resume", data={"csrf_token": token})
    wait_until(lambda: digest_finished(digest.id), timeout=60)
    drain(smtp_sink, already=45)
    delivered = Counter(str(m["X-Envelope-To"]) for m in without_sentinels(smtp_sink.messages))
    assert len(delivered) == 45 and set(delivered.values()) == {1}


def _paused(digest_id: int) -> bool:
    db.session.expire_all()
    digest = db.session.get(Digest, digest_id)
    return digest is not None and digest.paused_at is not None


def test_a_temporary_refusal_in_a_chunk_is_delivered_once(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    bulk_subscribers([{"email": f"s{n}@example.org"} for n in range(5)])
    db.session.commit()
    smtp_sink.refusals.append("421 Service not available, try again later")
    digest = _build()
    finish_digest(digest.id)
    drain(smtp_sink, already=5)
    delivered = Counter(str(m["X-Envelope-To"]) for m in without_sentinels(smtp_sink.messages))
    assert len(delivered) == 5 and set(delivered.values()) == {1}
    attempts = sorted(row.attempts for row in outbox_rows("digest:"))
    assert attempts == [1, 1, 1, 1, 2]


def test_digests_are_due_on_mondays_and_first_days_from_the_configured_hour(app: Flask) -> None:
    def due(moment: dt.datetime) -> list[tuple[str, dt.date]]:
        with time_machine.travel(moment, tick=False):
            digests.due_digests(now=utcnow())
        return sorted(db.session.execute(select(Digest.kind, Digest.starts_on)).all())

    weekly, monthly = ("weekly", MONDAY), ("monthly", dt.date(2026, 12, 1))
    assert due(dt.datetime(2026, 11, 30, 7, 50, tzinfo=dt.UTC)) == []  # before 08:00 UTC
    assert due(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)) == [weekly]
    assert due(dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)) == [weekly]  # once
    assert due(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)) == [monthly, weekly]
    # The beat was down on Monday 7 December: the weekly digest is built on Tuesday...
    caught_up = [monthly, weekly, ("weekly", dt.date(2026, 12, 7))]
    assert due(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)) == caught_up
    # ... but one missed for longer waits for the next Monday.
    assert due(dt.datetime(2026, 12, 17, 9, 0, tzinfo=dt.UTC)) == caught_up


def test_the_digest_says_what_changed_in_its_period(app: Flask) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False):
        record_status_change(
            state=state("BRA"),
            act=Act("signature", dt.date(2026, 11, 24), "UN depositary notification"),
            recorded_by=None,
            via="sync",
        )
        organisation = partner_organisation("Conectas", "BRA")
        db.session.add(
            OutreachTask(
                state_id=state("BRA").id,
                organisation_id=organisation.id,
                kind="briefing",
                title="Senate briefing",
                status="done",
                completed_at=utcnow(),
            )
        )
        db.session.flush()
    content = digests.build_digest(kind="weekly", today=MONDAY).content
    assert content["period"] == "Week of 23 November 2026"
    assert [c["state"] for c in content["changes"]] == ["Brazil"]
    assert content["changes"][0]["effective_on"] == "24 November 2026"
    assert content["tasks_done"] == [
        {"title": "Senate briefing", "state": "Brazil", "organisation": "Conectas"}
    ]
    assert content["days_to_migrants_day"] == 18
    later = digests.build_digest(kind="weekly", today=MONDAY + dt.timedelta(days=7)).content
    assert later["changes"] == [] and later["tasks_done"] == []


@pytest.mark.parametrize(
    ("kind", "today", "start", "since"),
    [
        ("weekly", dt.date(2026, 12, 6), dt.date(2026, 11, 30), dt.date(2026, 11, 23)),
        ("monthly", dt.date(2026, 3, 31), dt.date(2026, 3, 1), dt.date(2026, 2, 1)),
        ("monthly", dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2025, 12, 1)),
    ],
)
def test_periods(kind: str, today: dt.date, start: dt.date, since: dt.date) -> None:
    assert digests.period_start(kind, today) == start
    assert digests.previous_start(kind, start) == since


def _blocked(pid: int) -> bool:
    """Whether PostgreSQL's backend *pid* waits for a lock another session holds."""
    with db.engine.connect() as connection:
        blocked = text("SELECT cardinality(pg_blocking_pids(:pid)) > 0")
        return bool(connection.execute(blocked, {"pid": pid}).scalar())


def test_chunks_that_end_together_mark_the_digest_finished(app: Flask, committed: Any) -> None:
    """Two chunks settle their last sends at the same moment, each in its own transaction, and
    each then asks whether anybody is still owed the digest: one of them must say nobody."""
    digest = unsent_digest(MONDAY)
    first, second = bulk_subscribers([{"email": "a@example.org"}, {"email": "b@example.org"}])
    db.session.commit()
    mine, theirs = (
        digests.prepare_chunk(digest_id=digest.id, first_id=id_, last_id=id_)[0]
        for id_ in (first, second)
    )
    outbox.claim_many([mine, theirs])
    db.session.commit()
    digest_id = digest.id

    outbox.settle_sent({mine: "Subject: a"})  # this chunk's last send, not committed yet
    assert digests.finish_if_done(digest_id=digest_id) is False  # the other's is unsettled
    postgres = db.engine.dialect.name == "postgresql"
    other: dict[str, Any] = {}  # its backend's pid (PostgreSQL), its answer or its error

    def other_chunk() -> None:
        try:
            with app.app_context():
                if postgres:
                    other["pid"] = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
                outbox.settle_sent({theirs: "Subject: b"})
                other["answer"] = digests.finish_if_done(digest_id=digest_id)
                db.session.commit()
                db.session.remove()
        except Exception as error:  # raised again in the test's thread
            other["error"] = error

    thread = threading.Thread(target=other_chunk)
    thread.start()
    # PostgreSQL: go on once the other chunk has answered, or waits for this one's lock.
    # SQLite lets one writer in at a time: the other waits to settle until this one commits.
    wait_until(
        lambda: (
            not postgres
            or "answer" in other
            or "error" in other
            or ("pid" in other and _blocked(other["pid"]))
        ),
        timeout=30,
    )
    db.session.commit()
    thread.join(timeout=30)
    if "error" in other:
        raise other["error"]
    assert other.get("answer") is True
    assert digest_finished(digest_id)
