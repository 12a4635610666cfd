"""Status-change alerts through a real worker, Redis and SMTP: the exact recipients, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from campaign.core.jobs import STATUS_CHANGE_ALERTS, SWEEP_ALERTS, enqueue_now
from campaign.extensions import db
from campaign.notifications.models import AlertRun
from campaign.states.models import StatusChange
from campaign.states.services import Act, correct_status_change, record_status_change
from tests.notifications.helpers import (
    body,
    drain,
    link_owner,
    outbox_rows,
    partner_organisation,
    recipients,
    state,
    subscriber,
    without_sentinels,
)
from tests.support.auth import make_user
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

SOURCE = "Depositary notification C.N.123.2026.TREATIES-IV.13"
SIGNATURE = Act("signature", dt.date(2026, 9, 1), SOURCE)
EXPECTED = [
    "admin@example.org",
    "all@example.org",
    "coordinator@example.org",
    "follower@example.org",
    "partner-bra@example.org",
    "partner-follower@example.org",
]


def _audience() -> None:
    """Everyone who should, and who should not, hear of a change in Brazil."""
    subscriber("follower@example.org", follows=["BRA", "MEX"])
    subscriber("all@example.org", alerts="all", frequency="none")
    subscriber("other-state@example.org", follows=["MEX"])
    subscriber("no-alerts@example.org", follows=["BRA"], alerts="none")
    subscriber("unsubscribed@example.org", follows=["BRA"], unsubscribed_at=dt.datetime.now(dt.UTC))
    subscriber("bounced@example.org", alerts="all", bounced_at=dt.datetime.now(dt.UTC))
    subscriber("unconfirmed@example.org", follows=["BRA"], confirmed=False)
    make_user("coordinator", "coordinator@example.org")
    make_user("admin", "admin@example.org")
    gone = make_user("coordinator", "former@example.org")
    gone.is_active = False
    make_user("partner", "partner-bra@example.org", partner_organisation("Conectas", "BRA"))
    make_user("partner", "partner-mex@example.org", partner_organisation("Sin Fronteras", "MEX"))
    # A partner user who also follows Brazil as a subscriber is one recipient.
    both = partner_organisation("Missão Paz", "BRA")
    subscriber("partner-follower@example.org", follows=["BRA"])
    make_user("partner", "partner-follower@example.org", both)
    db.session.commit()


def _record(act: Act = SIGNATURE) -> StatusChange | None:
    change = record_status_change(state=state("BRA"), act=act, recorded_by=None, via="sync")
    db.session.commit()
    return change


def _fanned_out(change_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(AlertRun, change_id) is not None


def test_a_change_alerts_exactly_its_audience_once(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    _audience()
    change = _record()
    assert change is not None
    # The sends are queued by the worker after its commit: wait for them, then prove no more.
    smtp_sink.wait_for(len(EXPECTED))
    drain(smtp_sink, already=len(EXPECTED))
    mails = without_sentinels(smtp_sink.messages)
    assert recipients(mails) == EXPECTED
    for mail in mails:
        assert mail["Subject"] == "Brazil signed the Migrant Workers Convention"
        assert "on 1 September 2026" in body(mail) and SOURCE in body(mail)
        assert link_owner(mail) > 0  # RFC 8058 headers and a working preferences link
    keys = {row.idempotency_key for row in outbox_rows("alert:")}
    assert len(keys) == len(EXPECTED) and all(k.startswith(f"alert:{change.id}:") for k in keys)

    # Recorded again (a second coordinator, the sync the next day), or its job run twice.
    assert _record() is None
    enqueue_now(STATUS_CHANGE_ALERTS, change.id)
    enqueue_now(STATUS_CHANGE_ALERTS, change.id)
    drain(smtp_sink, already=len(EXPECTED) + 1, name="sentinel-2")
    assert recipients(without_sentinels(smtp_sink.messages)) == EXPECTED
    assert len(outbox_rows("alert:")) == len(EXPECTED)  # the repeated jobs queued nothing


def test_corrections_and_no_op_changes_alert_nobody(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    subscriber("all@example.org", alerts="all")
    db.session.commit()
    change = record_status_change(
        state=state("BRA"), act=SIGNATURE, recorded_by=None, via="sync", alert=False
    )
    assert change is not None
    correction = correct_status_change(
        change=change, source=SOURCE, recorded_by=None, effective_on=dt.date(2026, 9, 2), via="sync"
    )
    db.session.commit()
    assert correction.from_status == correction.to_status
    enqueue_now(STATUS_CHANGE_ALERTS, correction.id)
    enqueue_now(STATUS_CHANGE_ALERTS, 999_999)  # a change that does not exist
    drain(smtp_sink, already=0)
    assert outbox_rows("alert:") == []


def test_the_sweep_alerts_a_change_whose_job_was_lost(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    subscriber("all@example.org", alerts="all")
    db.session.commit()
    # Recorded while the broker was unreachable: the change is stored, its job never arrived.
    change = record_status_change(
        state=state("BRA"), act=SIGNATURE, recorded_by=None, via="sync", alert=False
    )
    assert change is not None
    db.session.commit()
    enqueue_now(SWEEP_ALERTS)
    drain(smtp_sink, already=0)  # within the grace period the normal job may still come...
    drain(smtp_sink, already=1, name="sentinel-1")  # ... so the sweep queued nothing
    assert not _fanned_out(change.id)
    db.session.execute(
        update(StatusChange)
        .where(StatusChange.id == change.id)
        .values(recorded_at=change.recorded_at - dt.timedelta(minutes=6))
    )
    db.session.commit()
    enqueue_now(SWEEP_ALERTS)
    smtp_sink.wait_for(3)
    assert _fanned_out(change.id)
    enqueue_now(SWEEP_ALERTS)  # a second sweep finds nothing left to do
    drain(smtp_sink, already=3, name="sentinel-2")
    drain(smtp_sink, already=4, name="sentinel-3")
    assert recipients(without_sentinels(smtp_sink.messages)) == ["all@example.org"]
