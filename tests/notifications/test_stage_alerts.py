"""Alerts on changes of stage through a real worker, Redis and SMTP: only the followers who
chose them, once, and only once the change is confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import update

from campaign.core.jobs import STAGE_CHANGE_ALERTS, SWEEP_ALERTS, enqueue_now
from campaign.extensions import db
from campaign.notifications import stage_alerts
from campaign.road import services
from campaign.road.models import StageChange
from tests.notifications.helpers import (
    body,
    drain,
    link_owner,
    outbox_rows,
    recipients,
    state,
    subscriber,
    without_sentinels,
)
from tests.road.helpers import SOURCE, default_stages, move, partner_of
from tests.support.auth import make_user
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

__all__ = ["default_stages"]  # the autouse fixture: the default stages, after a wipe too
EXPECTED = ["all-stages@example.org", "follower-stages@example.org"]


def _audience() -> None:
    subscriber("follower-stages@example.org", follows=["BRA"], is_alerted_on_stages=True)
    subscriber("all-stages@example.org", alerts="all", is_alerted_on_stages=True)
    subscriber("follower@example.org", follows=["BRA"])  # acts only, the default
    subscriber("other-state@example.org", follows=["MEX"], is_alerted_on_stages=True)
    subscriber("no-alerts@example.org", follows=["BRA"], alerts="none", is_alerted_on_stages=True)
    subscriber(
        "gone@example.org",
        follows=["BRA"],
        is_alerted_on_stages=True,
        unsubscribed_at=dt.datetime.now(dt.UTC),
    )
    db.session.commit()


def test_a_confirmed_change_alerts_the_followers_who_chose_it_once(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    _audience()
    proposal, _ = services.propose_stage_change(
        state=state("BRA"), move=move("before_parliament"), partner=partner_of("BRA")
    )
    db.session.commit()
    drain(smtp_sink, already=0)  # a proposal alerts nobody
    services.confirm_stage_change(change=proposal, actor=make_user("coordinator"))
    db.session.commit()
    smtp_sink.wait_for(1 + len(EXPECTED))
    drain(smtp_sink, already=1 + len(EXPECTED), name="sentinel-1")
    mails = without_sentinels(smtp_sink.messages)
    assert recipients(mails) == EXPECTED
    for mail in mails:
        assert mail["Subject"] == "Brazil: a new step on the road to ratification"
        text = body(mail)
        assert "Before parliament, on 2 March 2026" in text and SOURCE in text
        assert link_owner(mail) > 0
    enqueue_now(STAGE_CHANGE_ALERTS, proposal.id)
    enqueue_now(STAGE_CHANGE_ALERTS, proposal.id)
    enqueue_now(STAGE_CHANGE_ALERTS, 999_999)
    drain(smtp_sink, already=len(EXPECTED) + 2, name="sentinel-2")
    assert recipients(without_sentinels(smtp_sink.messages)) == EXPECTED
    assert len(outbox_rows("stage-alert:")) == len(EXPECTED)


def test_the_sweep_alerts_a_confirmed_change_whose_job_was_lost(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    subscriber("all-stages@example.org", alerts="all", is_alerted_on_stages=True)
    coordinator = make_user("coordinator")
    # Stored as the broker was unreachable: the change is committed, its job never sent.
    change = StageChange(
        state=state("BRA"),
        stage=move().stage,
        effective_on=dt.date(2026, 3, 2),
        source=SOURCE,
        status="confirmed",
        recorded_via="back_office",
        proposed_by=coordinator,
        decided_by=coordinator,
        decided_at=dt.datetime.now(dt.UTC),
    )
    db.session.add(change)
    db.session.commit()
    enqueue_now(SWEEP_ALERTS)
    drain(smtp_sink, already=0)  # within the grace period: the normal job may still come
    db.session.execute(
        update(StageChange)
        .where(StageChange.id == change.id)
        .values(decided_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=6))
    )
    db.session.commit()
    enqueue_now(SWEEP_ALERTS)
    smtp_sink.wait_for(2)  # the first sentinel and the alert
    assert recipients(without_sentinels(smtp_sink.messages)) == ["all-stages@example.org"]


def test_fan_out_in_process_is_safe_to_run_twice_and_skips_proposals(app: Flask) -> None:
    subscriber("all-stages@example.org", alerts="all", is_alerted_on_stages=True)
    proposal, _ = services.propose_stage_change(
        state=state("BRA"), move=move(), partner=partner_of("BRA")
    )
    assert stage_alerts.fan_out(change_id=proposal.id) == 0
    services.confirm_stage_change(change=proposal, actor=make_user("coordinator"))
    assert stage_alerts.fan_out(change_id=proposal.id) == 1
    assert stage_alerts.fan_out(change_id=proposal.id) == 0
    assert len(outbox_rows("stage-alert:")) == 1
