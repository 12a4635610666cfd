"""The queue's "views": thin tasks that load by id, call a service and commit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from celery import shared_task
from flask import current_app

from campaign.audit.services import record_event
from campaign.core import jobs
from campaign.db import utcnow
from campaign.extensions import db
from campaign.mail import batch, deferred, suppression
from campaign.mail import services as outbox
from campaign.mail.relay import Relay
from campaign.mail.services import Claimed
from campaign.mail.smtp import Mail, PermanentFailure, TemporaryFailure, deliver
from campaign.notifications.services import record_bounce
from campaign.pledges import counters
from campaign.pledges import services as pledge_services

log = logging.getLogger(__name__)


def backoff_seconds(attempt: int) -> int:
    """Exponential backoff from the configured base, capped at an hour."""
    base = int(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    return int(min(3600, base * 2 ** max(0, attempt - 1)))


@shared_task(name=jobs.SEND_EMAIL)
def send_email(message_id: int) -> str:
    """Send one outbox message, once: claimed before sending, settled after."""
    claimed = outbox.claim_many([message_id])
    db.session.commit()
    if not claimed:
        return "skipped"
    return send_claimed(claimed[0], deliver)


@shared_task(name=jobs.SEND_PENDING)
def send_pending() -> int:
    """Send every message queued and never tried, MAIL_SEND_BATCH at a time over one SMTP
    connection; each settled (or retried with backoff) as by send_email. Safe to run twice:
    a message is claimed before it is sent, and a claimed one is no longer pending."""
    size = int(current_app.config["MAIL_SEND_BATCH"])
    sent = 0
    with Relay() as relay:
        while ids := batch.never_tried(size):
            claimed = outbox.claim_many(ids)
            db.session.commit()
            if not claimed:  # another worker holds them: it sends them
                break
            relay.prepare(row for row in claimed if row.template is None)  # not deferred
            for row in claimed:
                sent += send_claimed(row, relay.send) == "sent"
    return sent


def send_claimed(
    row: Claimed,
    send: Callable[[Mail], str],
    *,
    sent: dict[int, str] | None = None,
    suppressed: bool | None = None,
) -> str:
    """Send a claimed row and settle it: sent, bounced (no retry), failed, or retried later.

    Given *sent*, a successful send is noted there (id: the header block sent) for the caller
    to settle with others (a digest chunk, in batches); a failure is always settled at once.
    *suppressed* is the caller's answer from the suppression list, looked up for a whole batch
    just now; None looks it up here.
    """
    if suppressed is None:
        suppressed = suppression.is_suppressed(row.to_address)
    if suppressed:  # it bounced since this was queued
        outbox.settle([row.id], status="failed", error=suppression.SUPPRESSED)
        db.session.commit()
        return "suppressed"
    written = deferred.write(row)  # a deferred message gets its bodies now
    if written is None:
        outbox.settle([row.id], status="failed", error=deferred.GONE)
        db.session.commit()
        return "failed"
    row = written
    try:
        headers = send(row)
    except PermanentFailure as error:
        outbox.settle([row.id], status="bounced", error=str(error))
        record_bounce(address=row.to_address)
        suppression.record_bounce_report(
            address=row.to_address,
            kind="hard",
            source="smtp",
            report_key=f"smtp:{row.id}:{row.attempts}",
            outbox_id=row.id,
            detail=str(error),
        )
        db.session.commit()
        return "bounced"
    except TemporaryFailure as error:
        if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            outbox.settle([row.id], status="failed", error=str(error))
            db.session.commit()
            return "failed"
        outbox.settle([row.id], status="queued", error=str(error))
        db.session.commit()
        retry_later(row)
        return "retry"
    if sent is not None:
        sent[row.id] = headers
    else:
        outbox.settle_sent({row.id: headers})
        db.session.commit()
    return "sent"


def retry_later(row: Claimed) -> None:
    """The single-message job retries it with backoff; if the broker is down, the outbox flush
    or the digest's next dispatch finds the row still queued."""
    try:
        jobs.enqueue_now(jobs.SEND_EMAIL, row.id, countdown=backoff_seconds(row.attempts))
    except Exception:  # the broker is unreachable: the row is safe in the outbox
        log.warning("could not schedule a retry of message %s", row.id, exc_info=True)


@shared_task(name=jobs.FLUSH_OUTBOX)
def flush_outbox() -> int:
    """Re-queue messages still waiting after ten minutes, in case their job was lost."""
    due = outbox.due_for_resend(dt.timedelta(minutes=10))
    for message_id in due:
        jobs.enqueue_now(jobs.SEND_EMAIL, message_id)
    return len(due)


@shared_task(name=jobs.REMIND_UNCONFIRMED_PLEDGES)
def remind_unconfirmed_pledges() -> int:
    """The one reminder for pledges unconfirmed after 48 hours (safe to run any number of times)."""
    count = pledge_services.remind_unconfirmed(now=utcnow())
    db.session.commit()
    return count


@shared_task(name=jobs.RECONCILE_PLEDGE_COUNTERS)
def reconcile_pledge_counters() -> int:
    """Recount the public counters from the pledges; logs and returns the drift fixed."""
    drift = counters.reconcile()
    if drift:
        record_event(
            actor=None,
            actor_label="reconciliation",
            action="pledges.reconciled",
            entity_type="pledge_counters",
            entity_id=None,
            after={f"{d.scope}/{d.kind}": f"{d.was}->{d.now}" for d in drift},
        )
        log.warning("pledge counters drifted: %s", drift)
    db.session.commit()
    return len(drift)
