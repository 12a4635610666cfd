"""Notification jobs: alerts, Migrants Day and task reminders, digests sent chunk by chunk."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from celery import shared_task
from flask import current_app

from campaign.core import jobs
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import services as outbox
from campaign.mail.relay import Relay
from campaign.mail.services import Claimed, Draft
from campaign.notifications import alerts, digests, queries, reminders, stage_alerts
from worker.tasks import send_claimed

log = logging.getLogger(__name__)


def _day(on: str | None) -> dt.date:
    """The day a calendar job runs for: today (UTC), or an ISO date to replay a missed day."""
    return dt.date.fromisoformat(on) if on else utcnow().date()


@shared_task(name=jobs.STATUS_CHANGE_ALERTS)
def status_change_alerts(change_id: int) -> int:
    """Fan out alerts for one recorded change, once, however many times the job runs."""
    count = alerts.fan_out(change_id=change_id)
    db.session.commit()
    return count


@shared_task(name=jobs.SWEEP_ALERTS)
def sweep_alerts() -> int:
    """Queue the alert job again for recent changes (of status, and of stage) whose job was
    lost (a broker restart)."""
    within = dt.timedelta(hours=int(current_app.config["ALERT_SWEEP_HOURS"]))
    missed = alerts.unalerted_changes(now=utcnow(), within=within)
    for change_id in missed:
        jobs.enqueue_now(jobs.STATUS_CHANGE_ALERTS, change_id)
    stages = stage_alerts.unalerted_changes(now=utcnow(), within=within)
    for change_id in stages:
        jobs.enqueue_now(jobs.STAGE_CHANGE_ALERTS, change_id)
    return len(missed) + len(stages)


@shared_task(name=jobs.STAGE_CHANGE_ALERTS)
def stage_change_alerts(change_id: int) -> int:
    """Alert the followers of a confirmed change of stage, once, however often it runs."""
    count = stage_alerts.fan_out(change_id=change_id)
    db.session.commit()
    return count


@shared_task(name=jobs.MIGRANTS_DAY_REMINDERS)
def migrants_day_reminders(on: str | None = None) -> int:
    count = reminders.queue_migrants_day(today=_day(on))
    db.session.commit()
    return count


@shared_task(name=jobs.OUTREACH_TASK_REMINDERS)
def outreach_task_reminders(on: str | None = None) -> int:
    count = reminders.queue_task_notices(today=_day(on))
    db.session.commit()
    return count


@shared_task(name=jobs.DIGESTS_DUE)
def digests_due() -> int:
    """Build this period's digests when due; dispatch again the unfinished ones that stalled."""
    stalled = digests.due_digests(now=utcnow())
    db.session.commit()
    for digest_id in stalled:
        jobs.enqueue_now(jobs.DISPATCH_DIGEST, digest_id)
    return len(stalled)


@shared_task(name=jobs.DISPATCH_DIGEST)
def dispatch_digest(digest_id: int) -> int:
    """One chunk job per DIGEST_CHUNK_SIZE subscribers still owed the digest."""
    chunks = digests.plan_chunks(digest_id=digest_id)
    db.session.commit()
    for first_id, last_id in chunks:
        jobs.enqueue_now(jobs.SEND_DIGEST_CHUNK, digest_id, first_id, last_id)
    return len(chunks)


@shared_task(name=jobs.SEND_DIGEST_CHUNK)
def send_digest_chunk(digest_id: int, first_id: int, last_id: int) -> int:
    """Write the chunk's ledger and outbox rows, then send them over one SMTP connection.

    Messages are claimed, and settled as sent, MAIL_SEND_BATCH at a time: the settle of one
    batch and the claim of the next share a statement pair and a commit. A worker that dies
    mid-batch leaves at most one batch sent but not settled; once their claim expires those
    are sent again, under the same Message-ID. A failure is settled at once, as before.
    """
    written: dict[int, Draft] = {}
    message_ids = digests.prepare_chunk(
        digest_id=digest_id, first_id=first_id, last_id=last_id, written=written
    )
    db.session.commit()
    size = int(current_app.config["MAIL_SEND_BATCH"])
    tally = Tally.configured()
    sent: dict[int, str] = {}  # id: the header block sent
    with Relay() as relay:
        for start in range(0, len(message_ids), size):
            outbox.settle_sent(sent)
            sent.clear()
            batch = outbox.claim_many(message_ids[start : start + size], written)
            db.session.commit()
            if not _send_batch(digest_id, batch, relay, tally, sent):
                break
    outbox.settle_sent(sent)
    digests.finish_if_done(digest_id=digest_id)
    db.session.commit()
    return tally.sent


def _send_batch(
    digest_id: int, batch: list[Claimed], relay: Relay, tally: Tally, sent: dict[int, str]
) -> bool:
    """Send a claimed batch, noting the ids sent in *sent*; False once the digest paused.

    The suppression list is checked once for the batch, just before its first send."""
    refused = queries.suppressed_messages([row.id for row in batch])
    relay.prepare(row for row in batch if row.id not in refused and row.template is None)
    for index, row in enumerate(batch):
        if tally.too_many_errors():
            outbox.settle_sent(sent)
            sent.clear()
            outbox.release([unsent.id for unsent in batch[index:]])
            digests.pause(digest_id=digest_id, reason=tally.reason())
            db.session.commit()
            log.warning("digest %s paused: %s", digest_id, tally.reason())
            return False
        outcome = send_claimed(row, relay.send, sent=sent, suppressed=row.id in refused)
        tally.add(outcome)
    return True


@dataclass
class Tally:
    """Outcomes of one chunk's sends, and whether they fail too often to go on: more than
    *pause_rate* of them, once *min_sample* were tried."""

    min_sample: int
    pause_rate: float
    sent: int = 0
    errors: int = 0

    @classmethod
    def configured(cls) -> Tally:
        """With the app's settings, read once for the chunk."""
        config = current_app.config
        return cls(int(config["DIGEST_ERROR_MIN_SAMPLE"]), float(config["DIGEST_ERROR_RATE_PAUSE"]))

    def add(self, outcome: str) -> None:
        if outcome == "sent":
            self.sent += 1
        else:
            self.errors += 1

    def too_many_errors(self) -> bool:
        tried = self.sent + self.errors
        return tried > 0 and tried >= self.min_sample and self.errors / tried > self.pause_rate

    def reason(self) -> str:
        return f"{self.errors} of {self.sent + self.errors} sends in a chunk failed"
