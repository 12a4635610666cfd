"""Treaty status sync task: the daily look at the UN Treaty Collection (beat, TREATY_SYNC_HOUR)."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from flask import current_app

from campaign.core import jobs
from campaign.extensions import db
from campaign.sync import services

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 600


@shared_task(name=jobs.SYNC_TREATY, bind=True, max_retries=3)
def sync_treaty(self: Task) -> str:
    """Fetch, compare and store proposals; safe to run twice (the same document is a no-op).

    Every attempt is kept as a run, a failed one with its message; a timeout or a 5xx is
    retried with backoff, a refused document is not (the next day's run looks again).
    """
    settings = services.SyncSettings.from_config(current_app.config)
    report = services.sync_url(url=current_app.config["TREATY_SYNC_URL"], settings=settings)
    db.session.commit()
    if report.failed:
        log.warning("treaty sync run %s failed: %s", report.run.id, report.run.error)
        if report.transient and self.request.retries < (self.max_retries or 0):
            raise self.retry(countdown=RETRY_BASE_SECONDS * 2**self.request.retries)
    return report.run.outcome
