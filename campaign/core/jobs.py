"""Names of the worker's jobs, and queueing one by name after commit."""

from __future__ import annotations

import logging
import time

from flask import current_app

from campaign.core.after_commit import after_commit

log = logging.getLogger(__name__)

SEND_EMAIL = "campaign.send_email"
FLUSH_OUTBOX = "campaign.flush_outbox"
STATUS_CHANGE_ALERTS = "campaign.status_change_alerts"
SYNC_TREATY = "campaign.sync_treaty"
REMIND_UNCONFIRMED_PLEDGES = "campaign.remind_unconfirmed_pledges"
RECONCILE_PLEDGE_COUNTERS = "campaign.reconcile_pledge_counters"
SWEEP_ALERTS = "campaign.sweep_alerts"
MIGRANTS_DAY_REMINDERS = "campaign.migrants_day_reminders"
OUTREACH_TASK_REMINDERS = "campaign.outreach_task_reminders"
DIGESTS_DUE = "campaign.digests_due"
DISPATCH_DIGEST = "campaign.dispatch_digest"
SEND_DIGEST_CHUNK = "campaign.send_digest_chunk"

ALL_JOBS = (
    SEND_EMAIL,
    FLUSH_OUTBOX,
    STATUS_CHANGE_ALERTS,
    SYNC_TREATY,
    REMIND_UNCONFIRMED_PLEDGES,
    RECONCILE_PLEDGE_COUNTERS,
    SWEEP_ALERTS,
    MIGRANTS_DAY_REMINDERS,
    OUTREACH_TASK_REMINDERS,
    DIGESTS_DUE,
    DISPATCH_DIGEST,
    SEND_DIGEST_CHUNK,
)


def enqueue_now(name: str, *args: object, countdown: float | None = None) -> None:
    """Send job *name* to the broker at once (use enqueue() inside a unit of work)."""
    celery = current_app.extensions["celery"]
    celery.send_task(name, args=list(args), countdown=countdown)


def enqueue(name: str, *args: object, committed: bool = False) -> None:
    """Queue job *name* with *args* once the current transaction commits; at once when what
    it follows is *committed* already (a statement that ran in autocommit)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            try:
                enqueue_now(name, *args)
            except Exception as error:  # the broker is down: the work is committed; a beat
                # job queues it again, so one line says so (not a traceback per request)
                log.warning(
                    "could not queue %s%r (%s: %s); its beat sweep will queue it again",
                    name,
                    args,
                    type(error).__name__,
                    error,
                )

    after_commit(send, committed=committed)


# The road to ratification: a confirmed change of stage alerts the state's followers.
STAGE_CHANGE_ALERTS = "campaign.stage_change_alerts"
ALL_JOBS = (*ALL_JOBS, STAGE_CHANGE_ALERTS)  # type: ignore[assignment]

# Webhooks: one delivery (after commit, and again with backoff); the sweep re-queues due ones.
DELIVER_WEBHOOK = "campaign.deliver_webhook"
SWEEP_WEBHOOKS = "campaign.sweep_webhooks"
ALL_JOBS = (*ALL_JOBS, DELIVER_WEBHOOK, SWEEP_WEBHOOKS)  # type: ignore[assignment]

# Pledge imports: the dry run or the run of one import, batch by batch, committed after each.
PLEDGE_IMPORT = "campaign.pledge_import"
ALL_JOBS = (*ALL_JOBS, PLEDGE_IMPORT)  # type: ignore[assignment]


# The outbox: everything queued and never tried, sent over one connection (mail/services).
SEND_PENDING = "campaign.send_pending"
ALL_JOBS = (*ALL_JOBS, SEND_PENDING)  # type: ignore[assignment]

# (application, job): the time until which a job sent by this process is still to run.
_ON_ITS_WAY: dict[tuple[int, str], float] = {}


def enqueue_coalesced(name: str, window: float, *, committed: bool = False) -> None:
    """Once the current transaction commits (at once if what it follows is *committed*
    already), queue job *name* to run *window* seconds later, unless this process queued one
    that has not run yet: that one runs after this commit and sees what it wrote. One job per
    process and window, however many units of work."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    key = (id(app), name)

    def send() -> None:
        now = time.monotonic()
        if now < _ON_ITS_WAY.get(key, 0.0):
            return
        _ON_ITS_WAY[key] = now + window
        with app.app_context():
            try:
                enqueue_now(name, countdown=window)
            except Exception as error:  # the broker is down: the outbox flush queues it again
                _ON_ITS_WAY.pop(key, None)
                log.warning("could not queue %s (%s: %s)", name, type(error).__name__, error)

    after_commit(send, committed=committed)
