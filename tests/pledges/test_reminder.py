"""The one reminder for pledges still unconfirmed after 48 hours."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from campaign.extensions import db
from campaign.pledges import services
from campaign.pledges.mail import MAX_MAILS_PER_PLEDGE
from tests.pledges.helpers import at, outbox, pledges, signed
from worker.tasks import remind_unconfirmed_pledges

START = dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC)


def _remind(hours: float) -> int:
    count = services.remind_unconfirmed(now=START + dt.timedelta(hours=hours))
    db.session.commit()
    return count


def _reminders() -> list[str]:
    return [m.idempotency_key for m in outbox() if m.idempotency_key.startswith("pledge-reminder")]


@pytest.fixture
def unconfirmed(app: Flask) -> int:
    with at(START):
        return signed(confirmed=False).id


def test_no_reminder_before_48_hours(unconfirmed: int) -> None:
    assert _remind(47) == 0
    assert _remind(47.99) == 0
    assert _reminders() == []


def test_one_reminder_after_48_hours_however_often_the_job_runs(unconfirmed: int) -> None:
    assert _remind(49) == 1
    assert _reminders() == [f"pledge-reminder:{unconfirmed}"]
    [reminder] = [m for m in outbox() if m.idempotency_key.startswith("pledge-reminder")]
    assert reminder.subject.startswith("Reminder") and "/pledge/confirm/" in reminder.body_text
    assert "/pledge/manage/" in reminder.body_text
    assert _remind(50) == 0
    assert _remind(24 * 30) == 0
    assert _reminders() == [f"pledge-reminder:{unconfirmed}"]
    assert pledges()[0].reminded_at == START + dt.timedelta(hours=49)


def test_the_hourly_job_sends_the_one_reminder(unconfirmed: int) -> None:
    job = remind_unconfirmed_pledges
    with at(START + dt.timedelta(hours=47)):
        assert job.run() == 0
    for hours in (49, 50):
        with at(START + dt.timedelta(hours=hours)):
            job.run()
    assert _reminders() == [f"pledge-reminder:{unconfirmed}"]


@pytest.mark.parametrize("state", ["confirmed", "withdrawn", "erased"])
def test_no_reminder_for_pledges_that_are_settled(app: Flask, state: str) -> None:
    with at(START):
        pledge = signed(confirmed=state == "confirmed")
        if state == "withdrawn":
            services.withdraw_pledge(pledge=pledge)
        if state == "erased":
            services.erase_pledge(pledge=pledge)
        db.session.commit()
    assert _remind(49) == 0
    assert _reminders() == []


def test_the_reminder_counts_against_the_mail_cap(unconfirmed: int) -> None:
    pledge = pledges()[0]
    pledge.mails_sent = MAX_MAILS_PER_PLEDGE
    db.session.commit()
    _remind(49)
    assert _reminders() == []
    assert pledges()[0].mails_sent == MAX_MAILS_PER_PLEDGE
    assert _remind(50) == 0  # and it is not tried again
