"""The reminder calendar in frozen time, its mail sent by a real worker over Redis and SMTP."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from sqlalchemy import select

from campaign.core.jobs import MIGRANTS_DAY_REMINDERS, enqueue_now
from campaign.db import utcnow
from campaign.extensions import db
from campaign.notifications import reminders
from campaign.notifications.models import Subscription
from campaign.notifications.services import ensure_staff_subscriptions
from campaign.organisations.models import Organisation
from campaign.outreach.models import OutreachTask
from tests.factories import OutreachTaskFactory
from tests.notifications.helpers import (
    NOW,
    body,
    drain,
    link_owner,
    outbox_rows,
    partner_organisation,
    recipients,
    subscriber,
    without_sentinels,
)
from tests.support.auth import make_user
from tests.support.servers import SmtpSink
from tests.support.worker import CeleryWorker

REMINDER_DAYS = {dt.date(2026, 11, 18): 30, dt.date(2026, 12, 11): 7, dt.date(2026, 12, 17): 1}
QUIET_DAYS = [
    dt.date(2026, 6, 1),
    dt.date(2026, 11, 17),
    dt.date(2026, 11, 19),
    dt.date(2026, 12, 10),
    dt.date(2026, 12, 12),
    dt.date(2026, 12, 18),
    dt.date(2026, 12, 19),
]
PARTNERS = ["partner-1@example.org", "partner-2@example.org"]
SUPPORTERS = ["alerts-only@example.org", "supporter@example.org"]


def _task(organisation_id: int, title: str, **fields: Any) -> OutreachTask:
    values = {"due_on": dt.date(2026, 12, 4), **fields}
    organisation = db.session.get(Organisation, organisation_id)
    return OutreachTaskFactory(organisation=organisation, title=title, **values)


def _people() -> OutreachTask:
    """Partners with open tasks, partners without, supporters who want mail and who do not."""
    working = partner_organisation("Conectas", "BRA")
    for email in PARTNERS:
        make_user("partner", email, working)
    stopped = make_user("partner", "partner-stopped@example.org", working)
    letter = _task(working.id, "Letter to the foreign minister", due_on=dt.date(2026, 12, 20))
    _task(working.id, "Migrants Day vigil", kind="migrants_day", due_on=None, status="in_progress")
    _task(working.id, "Old briefing", status="done")
    idle = partner_organisation("Sin Fronteras", "MEX")
    make_user("partner", "partner-idle@example.org", idle)
    _task(idle.id, "Cancelled letter", status="cancelled")
    make_user("coordinator", "coordinator@example.org")
    subscriber("supporter@example.org", frequency="weekly")
    subscriber("alerts-only@example.org", frequency="none", alerts="all")
    subscriber("nothing-wanted@example.org", frequency="none", alerts="none")
    subscriber("unsubscribed@example.org", unsubscribed_at=NOW)
    subscriber("bounced@example.org", bounced_at=NOW)
    subscriber("unconfirmed@example.org", confirmed=False)
    ensure_staff_subscriptions()
    stopped_subscription = db.session.scalars(
        select(Subscription).filter_by(user_id=stopped.id)
    ).one()
    stopped_subscription.unsubscribed_at = NOW  # a partner user who unsubscribed
    db.session.commit()
    return letter


def _on(day: dt.date, job: Any) -> int:
    """Run *job* for *day* with the clock frozen on it; commit after, as the task does."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(7), dt.UTC), tick=False):
        queued = int(job(today=utcnow().date()))
    db.session.commit()
    return queued


def test_migrants_day_reminders_follow_the_calendar_once(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    _people()
    for day in QUIET_DAYS:
        assert _on(day, reminders.queue_migrants_day) == 0, day
    assert outbox_rows("migrants-day:") == []
    for day, offset in REMINDER_DAYS.items():
        before = len(smtp_sink.messages)
        assert _on(day, reminders.queue_migrants_day) == 4, day
        assert _on(day, reminders.queue_migrants_day) == 0, day  # the job runs again: nothing
        drain(smtp_sink, already=before + 4, name=f"sentinel-{day}")
        mails = without_sentinels(smtp_sink.messages[before:])
        assert recipients(mails) == sorted(PARTNERS + SUPPORTERS), day
        for mail in mails:
            assert str(mail["X-Campaign-Key"]).startswith(f"migrants-day:2026:d-{offset}:")
            assert link_owner(mail) > 0
            assert f"in {offset} day" in str(mail["Subject"])
        by_address = {str(m["X-Envelope-To"]): body(m) for m in mails}
        partner = by_address[PARTNERS[0]]
        assert partner.index("Migrants Day vigil") < partner.index("Letter to the foreign")
        assert re.search(r"Migrants Day vigil \([^)]*\), no due date", partner)
        assert "due no due date" not in partner
        assert "Old briefing" not in partner
        assert "closest to becoming parties" in by_address[SUPPORTERS[1]]
    assert len(outbox_rows("migrants-day:")) == 12


def test_the_job_itself_runs_for_a_given_day(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    _people()
    enqueue_now(MIGRANTS_DAY_REMINDERS, "2025-12-11")
    smtp_sink.wait_for(4)
    enqueue_now(MIGRANTS_DAY_REMINDERS, "2025-12-11")
    drain(smtp_sink, already=4)
    assert recipients(without_sentinels(smtp_sink.messages)) == sorted(PARTNERS + SUPPORTERS)
    keys = [str(m["X-Campaign-Key"]) for m in without_sentinels(smtp_sink.messages)]
    assert all(key.startswith("migrants-day:2025:d-7:") for key in keys)


def test_task_notices_come_once_before_the_due_date_and_once_overdue(
    worker: CeleryWorker, smtp_sink: SmtpSink, committed: Any
) -> None:
    letter = _people()
    letter.due_on = dt.date(2026, 12, 4)
    db.session.commit()
    plan = [
        (dt.date(2026, 11, 30), 0),  # four days before
        (dt.date(2026, 12, 1), 2),  # due in three days: both partner users
        (dt.date(2026, 12, 2), 0),
        (dt.date(2026, 12, 4), 0),  # the due date itself
        (dt.date(2026, 12, 5), 2),  # overdue
        (dt.date(2026, 12, 6), 0),
    ]
    for day, expected in plan:
        assert _on(day, reminders.queue_task_notices) == expected, day
    drain(smtp_sink, already=4)
    mails = without_sentinels(smtp_sink.messages)
    subjects = sorted({str(m["Subject"]) for m in mails})
    assert subjects == [
        "Due on 4 December 2026: Letter to the foreign minister",
        "Overdue since 4 December 2026: Letter to the foreign minister",
    ]
    assert recipients(mails) == sorted(PARTNERS * 2)
    # Moved to a new date, the task is announced again for that date.
    letter.due_on = dt.date(2026, 12, 20)
    db.session.commit()
    assert _on(dt.date(2026, 12, 17), reminders.queue_task_notices) == 2
