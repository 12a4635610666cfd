"""Names of the worker's jobs, and queueing one by name after commit."""

from __future__ import annotations

from flask import current_app

from campaign.core.after_commit import after_commit

SEND_EMAIL = "campaign.send_email"
FLUSH_OUTBOX = "campaign.flush_outbox"
STATUS_CHANGE_ALERTS = "campaign.status_change_alerts"
SYNC_TREATY = "campaign.sync_treaty"
REMIND_UNCONFIRMED_PLEDGES = "campaign.remind_unconfirmed_pledges"
RECONCILE_PLEDGE_COUNTERS = "campaign.reconcile_pledge_counters"

ALL_JOBS = (
    SEND_EMAIL,
    FLUSH_OUTBOX,
    STATUS_CHANGE_ALERTS,
    SYNC_TREATY,
    REMIND_UNCONFIRMED_PLEDGES,
    RECONCILE_PLEDGE_COUNTERS,
)


def enqueue_now(name: str, *args: object, countdown: float | None = None) -> None:
    """Send job *name* to the broker at once (use enqueue() inside a unit of work)."""
    celery = current_app.extensions["celery"]
    celery.send_task(name, args=list(args), countdown=countdown)


def enqueue(name: str, *args: object) -> None:
    """Queue job *name* with *args* once the current transaction commits."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            enqueue_now(name, *args)

    after_commit(send)
